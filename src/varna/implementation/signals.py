"""Plans must not import this app, so approval reaches it as a signal on the version's save."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from varna.plans.models import PlanVersion


@receiver(post_save, sender=PlanVersion)
def _start_round_on_approval(sender: Any, instance: PlanVersion, **kwargs: Any) -> None:
    if instance.status == PlanVersion.Status.APPROVED and not kwargs.get("raw"):
        from varna.implementation import services

        services.round_start(version=instance)
