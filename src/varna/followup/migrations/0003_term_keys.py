"""Terms are stored as one key, ``2026-1``/``2026-2`` (varna.core.terms, ADR 0018); this converts the
``2026-spring``/``2026-autumn`` form the follow-up used before. Reversible: the two forms map one to one."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

_FORWARD = (("-spring", "-1"), ("-autumn", "-2"))


def _convert(apps, pairs):
    for name in ("ActivityLog", "ReminderSent"):
        model = apps.get_model("followup", name)
        for old, new in pairs:
            model.objects.filter(term__endswith=old).update(term=Replace("term", Value(old), Value(new)))


def forward(apps, schema_editor):
    _convert(apps, _FORWARD)


def backward(apps, schema_editor):
    _convert(apps, [(new, old) for old, new in _FORWARD])


class Migration(migrations.Migration):
    dependencies = [("followup", "0002_attachment_name_random_storage")]
    operations = [migrations.RunPython(forward, backward)]
