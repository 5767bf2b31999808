"""A synthetic self-assessment for the demo year. Idempotent; the comments say they are demo text."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from varna.core.actors import SYSTEM
from varna.core.models import Municipality
from varna.report import selectors, services

_SCORES = [2, 2, 1, 3, 1, 2, 0, 2, 1, 1, 2, 2]


@transaction.atomic
def load(municipality: Municipality, *, today: dt.date | None = None) -> str:
    year = (today or timezone.localdate()).year
    existing = selectors.assessments_of(municipality, year)
    added = 0
    for rec in selectors.recommendations_of(municipality):
        if rec.number in existing or not 1 <= rec.number <= 12:
            continue
        services.assessment_save(
            actor=SYSTEM, municipality=municipality, year=year, number=rec.number, score=_SCORES[rec.number - 1],
            comment="Syntetisk demobedömning: arbetet pågår enligt planen, se uppföljningen.",
            evidence=f"/{municipality.slug}/followup/")
        existing[rec.number] = None  # type: ignore[assignment]
        added += 1
    return f"{added} self-assessment scores added"
