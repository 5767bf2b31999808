"""Attachments get random storage names; the name the uploader gave moves to `attachment_name`.

Earlier attachments were stored as followup/<municipality>/<year>/<the uploader's file name>, an address anyone
could guess. Each is copied to a random name in its municipality's folder and the old file is removed."""

import os
import uuid

from django.db import migrations, models


def to_random_names(apps, schema_editor):
    ActivityLog = apps.get_model("followup", "ActivityLog")
    for log in ActivityLog.objects.exclude(attachment="").iterator():
        storage, old = log.attachment.storage, log.attachment.name
        log.attachment_name = os.path.basename(old)[:200]
        if storage.exists(old):
            with storage.open(old, "rb") as handle:
                new = storage.save(f"followup/{log.municipality_id}/{uuid.uuid4().hex}", handle)
            storage.delete(old)
            log.attachment.name = new
        log.save(update_fields=["attachment", "attachment_name"])


class Migration(migrations.Migration):

    dependencies = [
        ("followup", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="activitylog",
            name="attachment_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="attachment's name"),
        ),
        # The old names are not brought back: they were the problem.
        migrations.RunPython(to_random_names, migrations.RunPython.noop),
    ]
