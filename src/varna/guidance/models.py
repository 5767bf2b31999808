"""The contact directory behind the guide: who to call, and when someone last checked the number.

National contacts (``municipality`` NULL) are one shared list that every municipality inherits; a
municipality overrides one by adding its own contact with the same key.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality
from varna.guidance.engine import ASKERS

# A contact whose number nobody has checked for this long gets a visible warning.
STALE_AFTER = dt.timedelta(days=365)


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
    url = models.URLField(_("web address"), blank=True)
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

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], condition=models.Q(municipality__isnull=False),
                                    name="contact_key_unique_per_municipality"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(municipality__isnull=True),
                                    name="contact_key_unique_national"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("The upper age must not be below the lower age.")})
        unknown = [role for role in self.asker_roles or [] if role not in ASKERS]
        if unknown:
            raise ValidationError({"asker_roles": _("Unknown asker role: %(role)s") % {"role": unknown[0]}})

    @property
    def is_national(self) -> bool:
        return self.municipality_id is None

    def is_stale_on(self, day: dt.date) -> bool:
        return self.last_verified_at is None or day - self.last_verified_at > STALE_AFTER

    @property
    def is_stale(self) -> bool:
        """Not verified for more than 12 months (or never): the public page warns about it."""
        return self.is_stale_on(timezone.localdate())

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
