"""Working-group meetings: agenda, attendance, minutes, decisions and the actions they give rise to."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.models import Group, Municipality, Organisation, TenantQuerySet


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("group"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    # Stable across edits so that calendar programs update the event instead of adding another.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def has_started(self) -> bool:
        """Only a meeting that has started can be marked as held (``services.meeting_mark_held``)."""
        return self.starts_at <= timezone.now()


class Attendee(models.Model):
    """A member of the group invited to the meeting, with the organisation they represent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("representing"))
    present = models.BooleanField(_("present"), null=True)

    class Meta:
        ordering = ["organisation__name", "user__full_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendee_unique")]

    def __str__(self) -> str:
        return str(self.user)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        """This app's own kinds. The kinds are open: other apps register theirs (the situation picture's,
        media monitoring's) through the `agenda_kinds()` hook, so the field has no fixed choices."""

        OVERDUE_ACTIVITY = "overdue_activity", _("Plan activity behind schedule")
        OPEN_ACTION = "open_action", _("Open action from an earlier meeting")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, default=Kind.OTHER)
    title = models.CharField(_("item"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    # Where a generated item came from ("action:12", "activity:<key>:<unit>"); empty when typed.
    source_ref = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        from varna.meetings.agenda import kind_label

        return kind_label(self.kind)


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Action(models.Model):
    """Something a meeting decided someone should do, by a date. The owner updates the status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions",
                                 verbose_name=_("decision"))
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    status_note = models.CharField(_("comment"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CalendarToken(models.Model):
    """A secret address for one user's meeting calendar. Only its hash is stored; revoking ends it."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"
