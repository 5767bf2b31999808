"""Attendance is counted by the national gender list (varna.core.vocabulary, ADR 0018): ``women``/``men``/
``other`` become ``n_female``/``n_male``/``n_other``. The meaning of each count is unchanged, so this is a pure
rename (values kept, reversible); only the labels follow the list's."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("training", "0002_term_keys")]

    operations = [
        migrations.RenameField("attendance", "women", "n_female"),
        migrations.RenameField("attendance", "men", "n_male"),
        migrations.RenameField("attendance", "other", "n_other"),
        migrations.AlterField("attendance", "n_female",
                              models.PositiveIntegerField(default=0, verbose_name="Girls/women")),
        migrations.AlterField("attendance", "n_male", models.PositiveIntegerField(default=0, verbose_name="Boys/men")),
        migrations.AlterField("attendance", "n_other",
                              models.PositiveIntegerField(default=0, verbose_name="Other or unknown")),
    ]
