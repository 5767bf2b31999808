"""Approved and superseded versions are immutable, whatever code path tries to change them."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver

from varna.core.backup import is_restoring
from varna.plans.models import Activity, Fulfilment, Level, PlanVersion, Recommendation, Reference, Section


class ImmutableVersionError(Exception):
    pass


_writing_history: contextvars.ContextVar[bool] = contextvars.ContextVar("plans_writing_history", default=False)


@contextlib.contextmanager
def writing_history() -> Iterator[None]:
    """Let the importer create the content of a version that arrives already superseded."""
    token = _writing_history.set(True)
    try:
        yield
    finally:
        _writing_history.reset(token)


def _check(version_id: int | None) -> None:
    # A restore (varna.core.backup) loads approved versions exactly as they were.
    if version_id is None or _writing_history.get() or is_restoring():
        return
    status = PlanVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    if status is not None and status != PlanVersion.Status.DRAFT:
        raise ImmutableVersionError("Only a draft plan version can be changed.")


@receiver(pre_save, sender=Activity)
@receiver(pre_save, sender=Level)
@receiver(pre_save, sender=Section)
@receiver(pre_save, sender=Recommendation)
@receiver(pre_save, sender=Reference)
def _refuse_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    _check(instance.version_id)


@receiver(pre_save, sender=Fulfilment)
@receiver(pre_delete, sender=Fulfilment)
def _refuse_link_change(sender: Any, instance: Fulfilment, **kwargs: Any) -> None:
    _check(Activity.objects.filter(pk=instance.activity_id).values_list("version_id", flat=True).first())


@receiver(pre_delete, sender=Activity)
@receiver(pre_delete, sender=Level)
@receiver(pre_delete, sender=Section)
@receiver(pre_delete, sender=Recommendation)
@receiver(pre_delete, sender=Reference)
def _refuse_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    _check(instance.version_id)


@receiver(m2m_changed, sender=Activity.responsible.through)
def _refuse_responsible_change(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("pre_") and isinstance(instance, Activity):
        _check(instance.version_id)


@receiver(pre_save, sender=PlanVersion)
def _refuse_version_edit(sender: Any, instance: PlanVersion, **kwargs: Any) -> None:
    """An approved version may only become superseded (and get its end date); nothing else changes."""
    if instance.pk is None or _writing_history.get() or is_restoring():
        return
    stored = PlanVersion.objects.filter(pk=instance.pk).values().first()
    if stored is None or stored["status"] == PlanVersion.Status.DRAFT:
        return
    allowed = {"status", "valid_to", "updated_at", "lock_version"}
    changed = {name for name, value in stored.items()
               if name not in allowed and getattr(instance, name if not name.endswith("_id") else name) != value}
    if stored["status"] == PlanVersion.Status.SUPERSEDED and instance.status != PlanVersion.Status.SUPERSEDED:
        changed.add("status")
    if changed:
        raise ImmutableVersionError(f"An approved plan version cannot be changed ({', '.join(sorted(changed))}).")
