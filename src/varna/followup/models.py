"""What was done for the plan: one row per logged occurrence of an activity."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, Organisation, TenantQuerySet
from varna.core.terms import Term


def _attachment_path(instance: ActivityLog, filename: str) -> str:
    # A random name in the municipality's folder: the uploader's name (which may hold a person's name) is kept
    # in `attachment_name` for the download only, and nothing under MEDIA_ROOT is served by path (core.files).
    from varna.core.files import random_name

    return random_name(f"followup/{instance.municipality_id}")


class ActivityLog(models.Model):
    """One occurrence of a plan activity: what a unit did, when, and with how many people."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Logged by hand")
        MEETING = "meeting", _("Working-group meeting")
        TRAINING = "training", _("Training")
        IMPLEMENTATION = "implementation", _("Implementation")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey("plans.Activity", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("activity"))
    # Kept beside the key: a log fulfils the activity with the same key in later plan versions too.
    activity_key = models.SlugField(max_length=80, db_index=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit"),
        help_text=_("Empty when the responsible units did it together, e.g. a working-group meeting."))
    date = models.DateField(_("date"))
    term = models.CharField(_("term"), max_length=12, db_index=True, editable=False)
    description = models.TextField(_("what was done"))
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    link = models.URLField(_("link"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=_attachment_path, blank=True, max_length=300)
    # The name the uploader gave, for the download's Content-Disposition; never a path in storage.
    attachment_name = models.CharField(_("attachment's name"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    # "meetings.meeting:12" for logs that another module wrote, so that it writes each only once.
    source_ref = models.CharField(max_length=100, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("logged by"))
    # The annual report quotes only texts a coordinator chose for it (services.log_choose_for_report), each
    # checked by the personal-data guard when chosen and again when printed: a log is written for colleagues.
    in_annual_report = models.BooleanField(_("quoted in the annual report"), default=False)
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log entries")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["municipality", "activity_key", "term"])]
        constraints = [
            models.UniqueConstraint(fields=["activity", "source_ref"], condition=~models.Q(source_ref=""),
                                    name="activity_log_source_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.activity_key}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.term = Term.of(self.date).key
        if self.activity_id and not self.activity_key:
            self.activity_key = self.activity.key
        super().save(*args, **kwargs)

    @property
    def term_obj(self) -> Term:
        return Term.parse(self.term)

    def clean(self) -> None:
        if self.organisation is not None and self.organisation.municipality_id != self.municipality_id:
            raise ValidationError({"organisation": _("The unit must belong to the same municipality.")})


class ReminderSent(models.Model):
    """A reminder e-mail, kept so that the scheduled job doesn't send the same one every day."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=12)
    kind = models.CharField(max_length=10)  # "due" or "overdue"
    sent_at = models.DateTimeField(default=timezone.now)
    activity_keys = models.JSONField(default=list)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["user", "term", "kind"])]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d} {self.kind} {self.term}"
