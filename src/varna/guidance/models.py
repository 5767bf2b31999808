"""The contact directory behind the guide: who to call, and when, how and against what someone last checked it.

National contacts (``municipality`` NULL) are one shared list, kept by the platform administrator, that every
municipality inherits; a municipality overrides one by adding its own contact with the same key, but only while
its own facts are at least as new as the national entry's (``selectors.directory_for``). Contacts are retired,
never deleted, and every change and verification is kept as a ``ContactChange``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, field_label
from varna.guidance.engine import ASKERS

# A contact whose number nobody has checked for this long gets a quiet note, unless the municipality
# chose another age (DirectorySettings).
STALE_AFTER = dt.timedelta(days=365)
MAX_AGE = 120


class ContactKind(models.TextChoices):
    ACUTE_EMERGENCY = "acute_emergency", _("Acute emergency")
    POLICE_TIPS = "police_tips", _("Police tip line")
    COORDINATOR = "coordinator", _("Municipal coordinator")
    SOCIAL_SERVICES_INTAKE = "social_services_intake", _("Social services intake")
    RELATIVES_LINE = "relatives_line", _("Relatives' support line")
    CHILD_PSYCHIATRY = "child_psychiatry", _("Child and adolescent psychiatry")
    ADULT_PSYCHIATRY = "adult_psychiatry", _("Adult psychiatry")
    LEAVER_SUPPORT = "leaver_support", _("Leaver support")
    HEALTHCARE_ADVICE = "healthcare_advice", _("Healthcare advice")
    OTHER = "other", _("Other")


class VerificationMethod(models.TextChoices):
    CALLED = "called", _("Called the number")
    WEB_PAGE = "web_page", _("Checked the organisation's web page")
    EMAIL = "email", _("E-mail from the organisation")
    LETTER = "letter", _("Letter or decision from the organisation")
    MEETING = "meeting", _("Met or spoke with the organisation")
    PLAN = "plan", _("An adopted plan or decision")
    OTHER = "other", _("Another way (say which in the source)")


class Contact(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="contacts",
                                     help_text=_("Empty for a national contact that every municipality inherits."))
    key = models.SlugField(_("key"), max_length=60,
                           help_text=_("Stable, e.g. social-services-intake. The guide's rules refer to it."))
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ContactKind.choices, default=ContactKind.OTHER)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("web address"), blank=True, validators=[URLValidator(schemes=["https"])])
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    description = models.TextField(_("about"), blank=True)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    asker_roles = models.JSONField(_("serves"), default=list, blank=True,
                                   help_text=_("Who may call; empty means anyone."))
    source = models.CharField(_("checked against"), max_length=300, blank=True)
    source_date = models.DateField(_("date of the source"), null=True, blank=True)
    last_verified_at = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"))
    verified_by_label = models.CharField(_("verified by"), max_length=254, blank=True)
    verification_method = models.CharField(_("how it was checked"), max_length=20,
                                           choices=VerificationMethod.choices, blank=True)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    # Retired contacts leave the guide but keep their history; the key is free for a new contact.
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]
        permissions = [("maintain_national_contacts", "Can maintain the national contacts of every municipality")]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"],
                                    condition=models.Q(municipality__isnull=False, retired_at__isnull=True),
                                    name="contact_key_unique_per_municipality"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(municipality__isnull=True,
                                                                       retired_at__isnull=True),
                                    name="contact_key_unique_national"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None and value > MAX_AGE:
                raise ValidationError({name: _("An age is at most %(max)s.") % {"max": MAX_AGE}})
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("The upper age must not be below the lower age.")})
        unknown = [role for role in self.asker_roles or [] if role not in ASKERS]
        if unknown:
            raise ValidationError({"asker_roles": _("Unknown asker role: %(role)s") % {"role": unknown[0]}})

    @property
    def is_national(self) -> bool:
        return self.municipality_id is None

    # The municipality's chosen age for "needs checking"; selectors.directory_for sets it on what it returns.
    stale_after: dt.timedelta = STALE_AFTER
    # False for a municipality's contact that a newer national entry hides (selectors.contacts_for_review).
    shown_in_guide: bool = True

    @property
    def fact_date(self) -> dt.date | None:
        """How new the facts are: the later of the source's own date and the last verification."""
        dates = [day for day in (self.source_date, self.last_verified_at) if day is not None]
        return max(dates, default=None)

    def is_stale_on(self, day: dt.date) -> bool:
        return self.last_verified_at is None or day - self.last_verified_at > self.stale_after

    @property
    def is_stale(self) -> bool:
        """Not verified within the municipality's chosen age (or never): the public page notes it quietly."""
        return self.is_stale_on(timezone.localdate())

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def needs_warning(self) -> bool:
        """Stale and the municipality's own: a national number (112, 1177, ...) is kept up to date nationally
        and is shown without a warning; the public pages still say when it was last checked."""
        return self.is_stale and not self.is_national

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link: digits only, with a leading + kept."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return ("+" + digits) if self.phone.strip().startswith("+") else digits


class RoutingRules(models.Model):
    """A municipality's own routing rules for the guide, edited in the product (the rule language of
    ``engine.py``). Saved only when the engine accepts them; without a row the package's file applies."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="routing_rules")
    text = models.TextField(_("routing rules"))
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("saved by"))

    class Meta:
        verbose_name = _("routing rules")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.municipality}"


class ContactChange(models.Model):
    """One change or verification of a contact, as it happened: never edited, never deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Changed")
        VERIFIED = "verified", _("Verified")
        RETIRED = "retired", _("Retired")

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField(_("by"), max_length=254, blank=True)
    # {field: [before, after]} for the fields this change touched, as text.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    method = models.CharField(_("how it was checked"), max_length=20, choices=VerificationMethod.choices,
                              blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contact} {self.kind} {self.at:%Y-%m-%d}"

    def rows(self) -> list[tuple[str, Any, Any]]:
        """The changed fields as (field's name in words, before, after)."""
        return [(field_label(Contact, name), before, after)
                for name, (before, after) in self.changes.items()]


class DirectorySettings(models.Model):
    """A municipality's choices for its contact directory."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="contact_settings")
    stale_after_days = models.PositiveSmallIntegerField(
        _("needs checking after (days)"), default=STALE_AFTER.days,
        validators=[MinValueValidator(30), MaxValueValidator(1095)],
        help_text=_("A contact not verified for this many days is mailed to the coordinators weekly and noted on "
                    "the public pages. Between 30 and 1,095 days."))

    class Meta:
        verbose_name = _("contact directory settings")
        verbose_name_plural = _("contact directory settings")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.stale_after_days}"
