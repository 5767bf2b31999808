"""The coordinator's self-assessment against the national coordinator's twelve recommendations, per year."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, TenantQuerySet

SCORES = [
    (0, _("0 – not begun")),
    (1, _("1 – begun")),
    (2, _("2 – largely in place")),
    (3, _("3 – fully in place")),
]


class Assessment(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("recommendation"),
                                              validators=[MinValueValidator(1), MaxValueValidator(12)])
    score = models.PositiveSmallIntegerField(_("score"), choices=SCORES, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.TextField(_("evidence in Värna"), blank=True,
                                help_text=_("Links to meetings, logs or trainings that show it, one per line."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "number"], name="assessment_once_per_year"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__lte=3),
                                   name="assessment_score_0_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.year} #{self.number}: {self.score}"
