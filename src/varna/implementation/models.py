"""Implementation rounds: after each approved plan version, managers confirm and employees acknowledge."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, Organisation, TenantQuerySet


class Round(models.Model):
    """One round per approved plan version. Who is asked is read from the roles at the time of asking."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    version = models.OneToOneField("plans.PlanVersion", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("plan version"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("implementation round")
        verbose_name_plural = _("implementation rounds")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} ({self.started_at:%Y-%m-%d})"


class UnitConfirmation(models.Model):
    """A manager's confirmation that their unit has been informed about the plan version."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="confirmations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("unit"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)
    how = models.CharField(_("how the unit was informed"), max_length=500, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="confirmation_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.confirmed_at:%Y-%m-%d}"


class Acknowledgement(models.Model):
    """An employee's acknowledgement that they have read the plan version."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="acknowledgement_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} {self.acknowledged_at:%Y-%m-%d}"
