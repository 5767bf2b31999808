"""Writes for the report: the coordinator's self-assessment, and audited exports."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.models import Municipality, field_label
from varna.disclosure import guard as personal_data_guard
from varna.report import permissions
from varna.report.models import Assessment


class ReportError(Exception):
    pass


class ReportPermissionError(ReportError):
    pass


class ReportPersonalData(ReportError, personal_data_guard.PersonalDataError):
    """A comment or evidence held personal data; the message says what and where, never the text."""


@transaction.atomic
def assessment_save(*, actor: Any, municipality: Municipality, year: int, number: int, score: int | None,
                    comment: str = "", evidence: str = "") -> Assessment:
    """Score one recommendation (0–3) for `year`, with a comment and evidence."""
    if actor is not None and not permissions.can_assess(actor, municipality):
        raise ReportPermissionError(_("Only the coordinator makes the self-assessment."))
    if not 1 <= number <= 12:
        raise ReportError(_("There are twelve recommendations."))
    if score is not None and not 0 <= score <= 3:
        raise ReportError(_("The score is 0, 1, 2 or 3."))
    # The annual report becomes a public record: comments on the plan say how it is met, never about whom.
    personal_data_guard.check_fields(
        {"comment": comment, "evidence": evidence},
        {name: field_label(Assessment, name) for name in ("comment", "evidence")},
        error=ReportPersonalData)
    assessment, _created = Assessment.objects.get_or_create(municipality=municipality, year=year, number=number)
    changed = (assessment.score, assessment.comment, assessment.evidence) != (score, comment, evidence)
    if changed:
        assessment.score, assessment.comment, assessment.evidence = score, comment, evidence
        assessment.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        assessment.updated_at = timezone.now()
        assessment.save()
        audit.record(actor=actor, action="report.assessment.changed", municipality=municipality, obj=assessment,
                     data={"year": year, "number": number, "score": score})
    return assessment


def report_exported(*, actor: Any, municipality: Municipality, year: int, file_format: str) -> None:
    audit.record(actor=actor, action="report.annual.exported", municipality=municipality,
                 data={"year": year, "format": file_format})
