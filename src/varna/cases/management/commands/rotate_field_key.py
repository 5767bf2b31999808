"""Re-encrypt every encrypted case field with the first key in VARNA_FIELD_ENCRYPTION_KEY.

Rotation: put the new key first (keep the old one after it), run this command, then drop the old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Re-encrypt encrypted case fields with the newest key."

    def handle(self, *args: Any, **options: Any) -> None:
        from django.apps import apps

        from varna.cases.fields import EncryptedTextField, fernet

        total = 0
        for model in apps.get_app_config("cases").get_models():
            columns = [f for f in model._meta.fields if isinstance(f, EncryptedTextField)]
            if not columns:
                continue
            with transaction.atomic():
                manager = model._default_manager
                raw = manager.values_list("pk", *[f.attname for f in columns])
                # values_list decrypts through from_db_value; re-saving encrypts with the first key.
                for pk, *values in raw:
                    manager.filter(pk=pk).update(**{f.attname: v for f, v in zip(columns, values, strict=True)})
                    total += 1
        fernet()  # fail loudly here if the configuration is broken
        self.stdout.write(f"{total} row(s) re-encrypted.")
