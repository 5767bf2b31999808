"""Districts and non-personal observations of the situation picture."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, Organisation, TenantQuerySet
from varna.core.terms import Term
from varna.situation.choices import COUNT_FIELDS
from varna.situation.survey_bank import Audience

DESCRIPTION_MAX = 500


class District(models.Model):
    """An area of the municipality that observations are placed in. Each municipality keeps its own."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="district_key_unique")]

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """Something seen in the municipality, with no person's identity: counts, never names."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="observations")
    date = models.DateField(_("date"))
    # Derived from the date on save; stored so that aggregates group by it without date arithmetic.
    term = models.CharField(_("term"), max_length=6, editable=False)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="observations",
                                 verbose_name=_("district"))
    # Keys into the municipality's vocabulary (knowledge base). Entries are retired, never deleted or
    # re-keyed (ADR 0018), so a stored key keeps its meaning; the services check new values against it.
    category = models.CharField(_("category"), max_length=60)
    milieu = models.CharField(_("milieu"), max_length=60)
    signs = models.JSONField(_("signs seen"), default=list, blank=True)
    source_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+", verbose_name=_("source organisation"))
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reported by"))
    synthetic = models.BooleanField(_("synthetic demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    for _field, _gender, _age in COUNT_FIELDS:
        locals()[_field] = models.PositiveIntegerField(default=0)
    del _field, _gender, _age

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["municipality", "term"], name="observation_term_idx"),
            # Every dashboard asks whether synthetic rows are mixed in; without this the answer "no" is a
            # scan of every observation. Partial, so it holds only the (few) synthetic rows.
            models.Index(fields=["municipality"], condition=models.Q(synthetic=True),
                         name="observation_synthetic_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.category}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.term = Term.of(self.date).key
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.district_id and self.district.municipality_id != self.municipality_id:
            raise ValidationError({"district": _("The district must belong to the same municipality.")})
        if not isinstance(self.signs, list) or not all(isinstance(s, str) for s in self.signs):
            raise ValidationError({"signs": _("Unknown signs.")})

    @property
    def people(self) -> int:
        return sum(getattr(self, name) for name, _g, _a in COUNT_FIELDS)


class ObservationRollup(models.Model):
    """Sums of observations per term × district × milieu × category, kept up to date by the services.

    Every aggregate reads this instead of the observations, so the dashboard reads at most a few thousand
    rows per municipality however many observations there are. ``services.rollup_rebuild`` recomputes it.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    term = models.CharField(max_length=6)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    milieu = models.CharField(max_length=60)
    category = models.CharField(max_length=60)
    observations = models.IntegerField(default=0)

    for _field, _gender, _age in COUNT_FIELDS:
        locals()[_field] = models.IntegerField(default=0)
    del _field, _gender, _age

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "term", "district", "milieu", "category"],
                                               name="observation_rollup_unique")]

    def __str__(self) -> str:
        return f"{self.term} {self.district_id} {self.milieu} {self.category}: {self.observations}"


class Survey(models.Model):
    """A questionnaire for staff and civil society, open for a period, answered anonymously."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    questions = models.JSONField(_("questions"), default=list)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class SurveyLink(models.Model):
    """The link one audience answers through. The token says which survey and audience, nothing more."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    token = models.CharField(max_length=40, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "audience"], name="survey_link_unique")]

    def __str__(self) -> str:
        return f"{self.survey} – {self.audience}"


class SurveyAnswer(models.Model):
    """One answer to one question. Deliberately not linked to the other answers of the same respondent,
    to a user, an address or a time of day: random keys (no insertion order) and the day only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    audience = models.CharField(max_length=20)
    question = models.CharField(max_length=60)
    value = models.CharField(max_length=500)
    submitted_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.question}: {self.value[:40]}"


class DistrictMap(models.Model):
    """District boundaries the municipality uploads (GeoJSON FeatureCollection, ``properties.key`` naming
    the district). Without one, the map falls back to a file shipped for the demo, if any."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="district_map")
    geojson = models.JSONField()
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("district map")
        verbose_name_plural = _("district maps")

    def __str__(self) -> str:
        return f"{self.municipality}"
