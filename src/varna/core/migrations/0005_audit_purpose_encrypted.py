"""The purpose stated in the audit log (why a case identity was revealed, why a case was exported) is encrypted
at rest like the case's own text.

This is the one migration that rewrites audit rows: each purpose is replaced by its encryption, the same words.
The append-only triggers of 0002 are lifted for that and put back in the same transaction (on SQLite, changing
the column rebuilds the table, which drops its triggers, so they are made again in any case)."""

from django.db import migrations

import varna.core.fields

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]


def encrypt_purposes(apps, schema_editor):
    from varna.core.fields import encrypt

    vendor = schema_editor.connection.vendor
    table = "core_auditevent"
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER core_auditevent_no_update")
        elif vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        # Raw SQL: the column now decrypts what it reads, and these values are still plain text.
        cursor.execute(f"SELECT id, purpose FROM {table} WHERE purpose <> ''")  # noqa: S608 # nosec B608
        rows = cursor.fetchall()
        for start in range(0, len(rows), 500):
            cursor.executemany(f"UPDATE {table} SET purpose = %s WHERE id = %s",  # noqa: S608 # nosec B608
                               [(encrypt(purpose), pk) for pk, purpose in rows[start:start + 500]])
        if vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER core_auditevent_no_update")
        elif vendor == "sqlite":
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_membership_name_role_requests"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="purpose",
            field=varna.core.fields.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(restore_sqlite_triggers, restore_sqlite_triggers),
        migrations.RunPython(encrypt_purposes, migrations.RunPython.noop),
    ]
