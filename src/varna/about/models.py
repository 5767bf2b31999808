"""What a municipality publishes about its use of Värna: the accessibility statement's facts and contacts.

The statement follows DIGG's model for lag (2018:1937) om tillgänglighet till digital offentlig service:
how far the service complies, what is known not to work, how to ask for content in another form or report a
shortcoming, and which authority supervises. Everything here is the municipality's own data; a municipality
that has not filled it in still gets a statement (Värna's own known shortcomings, and the supervisory
authority), with its contact lines saying to contact the municipality.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality


class Compliance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class ServiceStatement(models.Model):
    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="service_statement")
    # Värna knows shortcomings of its own (about.accessibility.KNOWN_SHORTCOMINGS), so "partial" is the honest default.
    compliance = models.CharField(_("compliance with the accessibility requirements"), max_length=10,
                                  choices=Compliance.choices, default=Compliance.PARTIAL)
    shortcomings = models.TextField(_("known shortcomings"), blank=True,
                                    help_text=_("What the municipality knows does not work, one per line."))
    contact_email = models.EmailField(_("e-mail for accessibility"), blank=True,
                                      help_text=_("Where people ask for another format or report a shortcoming."))
    contact_phone = models.CharField(_("phone for accessibility"), max_length=40, blank=True)
    response_time = models.CharField(_("when people get an answer"), max_length=100, blank=True,
                                     help_text=_("For example: within five working days."))
    assessment = models.TextField(_("how the service was assessed"), blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    published_on = models.DateField(_("statement published on"), null=True, blank=True)
    supervisory_authority = models.CharField(_("supervisory authority"), max_length=200,
                                             default="Myndigheten för digital förvaltning (DIGG)")
    supervisory_authority_url = models.URLField(_("where to report to the supervisory authority"),
                                                default="https://www.digg.se/tdosanmalan")
    privacy_contact_email = models.EmailField(_("data protection officer's e-mail"), blank=True)

    class Meta:
        verbose_name = _("statement about the service")
        verbose_name_plural = _("statements about the service")

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def shortcoming_lines(self) -> list[str]:
        return [line.strip() for line in self.shortcomings.splitlines() if line.strip()]
