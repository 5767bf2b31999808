"""Rollup rows whose observations were all deleted or moved held nothing but kept their term (a mistyped 1900,
say) in every term list, the national one too. The services now drop such rows; this drops those left behind."""

from django.db import migrations


def drop_empty_rows(apps, schema_editor):
    apps.get_model("situation", "ObservationRollup").objects.filter(observations__lte=0).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("situation", "0005_observation_synthetic_index"),
    ]

    operations = [
        migrations.RunPython(drop_empty_rows, migrations.RunPython.noop),
    ]
