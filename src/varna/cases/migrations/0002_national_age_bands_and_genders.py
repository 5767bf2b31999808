"""Cases take the age bands and genders of `varna.core.vocabulary`, the situation picture's (ADR 0018).

A stored value moves to the unified entry that contains it, so what a case says stays true: 18–20 is within
18–24, 30 or older within 25 or older, and "other" and "not known" are both "other or unknown". Under 15,
15–17 and "not known" (age) keep their keys. 21–29 lies across 18–24 and 25+; it stays as a retired band
rather than be guessed. The finer distinctions are not kept anywhere, so going back maps each value to one
old one (18–24 to 18–20, 25+ to 30+, other or unknown to not known) and says less than before."""

from django.db import migrations, models

AGE_FORWARD = {"18_20": "18_24", "30_plus": "25_plus"}
GENDER_FORWARD = {"unknown": "other"}
AGE_BACKWARD = {"18_24": "18_20", "25_plus": "30_plus"}
GENDER_BACKWARD = {"other": "unknown"}


def _convert(apps, ages, genders):
    Case = apps.get_model("cases", "Case")
    for old, new in ages.items():
        Case.objects.filter(age_band=old).update(age_band=new)
    for old, new in genders.items():
        Case.objects.filter(gender=old).update(gender=new)


def forward(apps, schema_editor):
    _convert(apps, AGE_FORWARD, GENDER_FORWARD)


def backward(apps, schema_editor):
    _convert(apps, AGE_BACKWARD, GENDER_BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="case",
            name="age_band",
            field=models.CharField(choices=[("under_15", "Under 15"), ("15_17", "15–17"), ("18_24", "18–24"),
                                            ("25_plus", "25 or older"), ("unknown", "Age unknown"),
                                            ("21_29", "21–29 (recorded before December 2026)")],
                                   default="unknown", max_length=10, verbose_name="age band"),
        ),
        migrations.AlterField(
            model_name="case",
            name="gender",
            field=models.CharField(choices=[("female", "Girls/women"), ("male", "Boys/men"),
                                            ("other", "Other or unknown")],
                                   default="other", max_length=10, verbose_name="gender"),
        ),
    ]
