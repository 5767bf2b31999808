"""Districts and non-personal observations of the situation picture."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, Organisation, TenantQuerySet
from varna.situation.choices import COUNT_FIELDS, SIGNS, Category, Milieu, term_of

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
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    milieu = models.CharField(_("milieu"), max_length=20, choices=Milieu.choices)
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
        indexes = [models.Index(fields=["municipality", "term"], name="observation_term_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_category_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.term = term_of(self.date)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.district_id and self.district.municipality_id != self.municipality_id:
            raise ValidationError({"district": _("The district must belong to the same municipality.")})
        unknown = [s for s in self.signs if s not in SIGNS]
        if unknown:
            raise ValidationError({"signs": _("Unknown signs.")})

    @property
    def people(self) -> int:
        return sum(getattr(self, name) for name, _g, _a in COUNT_FIELDS)
