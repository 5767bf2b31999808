"""The data migrations to one term key convert every stored follow-up and training term, both ways."""

import datetime as dt
import importlib
from typing import Any

from django.apps import apps

from varna.followup.models import ActivityLog, ReminderSent
from varna.plans.selectors import approved_activities_of
from varna.training.models import TrainingEvent

followup_migration = importlib.import_module("varna.followup.migrations.0003_term_keys")
training_migration = importlib.import_module("varna.training.migrations.0002_term_keys")


def test_old_keys_become_the_one_key_and_back(demo_plan: Any, sollentuna: Any, alice: Any) -> None:
    activity = approved_activities_of(sollentuna).first()
    spring = ActivityLog.objects.create(municipality=sollentuna, activity=activity, date=dt.date(2026, 3, 1),
                                        description="test")
    autumn = ActivityLog.objects.create(municipality=sollentuna, activity=activity, date=dt.date(2026, 9, 1),
                                        description="test")
    reminder = ReminderSent.objects.create(municipality=sollentuna, user=alice, term="x", kind="due")
    event = TrainingEvent.objects.create(municipality=sollentuna, title="t", topic="other", audience="staff",
                                         date=dt.date(2025, 10, 1))
    # What the database held before: the follow-up's own form.
    ActivityLog.objects.filter(pk=spring.pk).update(term="2026-spring")
    ActivityLog.objects.filter(pk=autumn.pk).update(term="2026-autumn")
    ReminderSent.objects.filter(pk=reminder.pk).update(term="2026-autumn")
    TrainingEvent.objects.filter(pk=event.pk).update(term="2025-autumn")

    followup_migration.forward(apps, None)
    training_migration.forward(apps, None)
    assert [ActivityLog.objects.get(pk=log.pk).term for log in (spring, autumn)] == ["2026-1", "2026-2"]
    assert ReminderSent.objects.get(pk=reminder.pk).term == "2026-2"
    assert TrainingEvent.objects.get(pk=event.pk).term == "2025-2"

    followup_migration.backward(apps, None)
    training_migration.backward(apps, None)
    assert [ActivityLog.objects.get(pk=log.pk).term for log in (spring, autumn)] == ["2026-spring", "2026-autumn"]
    assert TrainingEvent.objects.get(pk=event.pk).term == "2025-autumn"


def test_a_second_run_changes_nothing(demo_plan: Any, sollentuna: Any) -> None:
    activity = approved_activities_of(sollentuna).first()
    log = ActivityLog.objects.create(municipality=sollentuna, activity=activity, date=dt.date(2022, 8, 1),
                                     description="test")
    followup_migration.forward(apps, None)
    assert ActivityLog.objects.get(pk=log.pk).term == "2022-2"
