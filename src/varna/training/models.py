"""Training events and their attendance, counted by organisation and gender (never by name)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, Organisation, TenantQuerySet
from varna.core.terms import Term
from varna.core.vocabulary import GENDER_COUNT_FIELDS


class TrainingEvent(models.Model):
    class Topic(models.TextChoices):
        SIGNS_SYMBOLS = "signs_symbols", _("Signs and symbols (targeted)")
        STAFF = "staff", _("Violent extremism, for staff")
        DEMOCRACY = "democracy", _("Democracy education")
        PARENTS = "parents", _("Parent training")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        STAFF = "staff", _("Staff")
        PARENTS = "parents", _("Parents")
        PUPILS = "pupils", _("Pupils")
        OTHER = "other", _("Others")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("organiser"))
    organiser_text = models.CharField(_("external organiser"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    term = models.CharField(_("term"), max_length=12, db_index=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.term = Term.of(self.date).key
        super().save(*args, **kwargs)

    @property
    def term_label(self) -> str:
        return Term.parse(self.term).label


class Attendance(models.Model):
    """How many came from one organisation, by gender."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    # One count per gender of the national list (``n_female``, ...), labelled by it (ADR 0018).
    for _field, _gender in GENDER_COUNT_FIELDS:
        locals()[_field] = models.PositiveIntegerField(_gender.label, default=0)
    del _field, _gender

    class Meta:
        ordering = ["organisation__name", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.total}"

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name, _g in GENDER_COUNT_FIELDS)

    def counts(self) -> list[tuple[str, int]]:
        """(gender label, count) in the national list's order, for the attendance table."""
        return [(str(gender.label), getattr(self, name)) for name, gender in GENDER_COUNT_FIELDS]
