"""API tokens end. Tokens made before this had no end: they get 30 days, time to make a new one."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def _thirty_days_from_now():
    return timezone.now() + dt.timedelta(days=30)


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=_thirty_days_from_now, verbose_name="expires"),
            preserve_default=False,
        ),
    ]
