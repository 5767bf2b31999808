"""The count columns take the age band keys of `varna.core.vocabulary`, which cases use too (ADR 0018):
``n_<gender>_u15`` becomes ``n_<gender>_under_15`` and ``n_<gender>_25plus`` becomes ``n_<gender>_25_plus``.
The bands themselves are unchanged, so every stored count keeps its meaning; a rename keeps the values and
is reversible. Written out here rather than read from the vocabulary: a migration must not change when the
code does."""

from django.db import migrations

GENDERS = ("female", "male", "other")
RENAMED = {"u15": "under_15", "25plus": "25_plus"}


class Migration(migrations.Migration):

    dependencies = [
        ("situation", "0007_vocabulary_keys"),
    ]

    operations = [
        migrations.RenameField(model_name=model, old_name=f"n_{gender}_{old}", new_name=f"n_{gender}_{new}")
        for model in ("observation", "observationrollup")
        for gender in GENDERS
        for old, new in RENAMED.items()
    ]
