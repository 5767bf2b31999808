"""Reads for cases. Every function takes the actor or the municipality and never crosses either.

A case the actor may not see is a 404, exactly as a case that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.cases import permissions
from varna.cases.audit_actions import LIST_ACTIONS, OBJECT_TYPE, READ_ACTIONS
from varna.cases.models import AccessReview, AccessReviewItem, Case, LegalBasis, Participant
from varna.core.models import AuditEvent, Membership, Municipality
from varna.core.vocabulary import AgeBand, Gender
from varna.disclosure.catalogue import publish_lists
from varna.disclosure.suppression import PUBLISHED
from varna.knowledge import selectors as knowledge

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def cases_visible_to(user: Any, municipality: Municipality) -> QuerySet[Case]:
    """The coordinators see the municipality's cases; a participant sees the cases they take part in."""
    cases = Case.objects.filter(municipality=municipality).select_related("municipality")
    if permissions.is_coordinator(user, municipality):
        return cases
    if not (user.is_authenticated and user.is_active):
        return cases.none()
    return cases.filter(participants__user=user)


def referrals_awaiting_answer_count(user: Any, municipality: Municipality) -> int:
    """How many referrals of the cases the user may see have no answer yet (a number only: no case code)."""
    from varna.cases.models import Referral

    return Referral.objects.filter(case__in=cases_visible_to(user, municipality),
                                   answer=Referral.Answer.PENDING).count()


def case_get(user: Any, municipality: Municipality, code: str) -> Case:
    case = cases_visible_to(user, municipality).filter(code=code.upper()).select_related("municipality").first()
    if case is None or not permissions.can_see_case(user, case):
        raise Http404
    return case


def participant_get(case: Case, pk: int) -> Participant:
    participant = case.participants.filter(pk=pk).select_related("user").first()
    if participant is None:
        raise Http404
    return participant


def referral_get(case: Case, pk: int) -> Any:
    referral = case.referrals.filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def legal_bases_of(municipality: Municipality) -> QuerySet[LegalBasis]:
    return LegalBasis.objects.filter(municipality=municipality)


def legal_basis_get(municipality: Municipality, pk: int) -> LegalBasis:
    basis = legal_bases_of(municipality).filter(pk=pk).first()
    if basis is None:
        raise Http404
    return basis


def possible_participants(case: Case) -> QuerySet[Any]:
    """People with a role in the municipality who do not yet take part."""
    from django.contrib.auth import get_user_model

    members = Membership.objects.filter(municipality=case.municipality).values("user")
    return get_user_model().objects.filter(pk__in=members, is_active=True).exclude(
        case_participations__case=case).order_by("full_name", "email")


def case_page_data(case: Case) -> dict[str, Any]:
    """Everything the case page and the handover PDF show, with sign and milieu names resolved."""
    signs = {sign.key: sign for sign in knowledge.signs_of(case.municipality)}
    milieus = {m.key: m for m in knowledge.milieus_of(case.municipality)}
    paths = {p.key: p for p in knowledge.paths_of(case.municipality)}
    case_signs = [(entry, signs.get(entry.sign_key)) for entry in case.signs.select_related("source")]
    return {
        "case_signs": case_signs,
        "milieu": milieus.get(case.milieu_key),
        "path_in": paths.get(case.path_key),
        "status_changes": case.status_changes.select_related("changed_by"),
        "participants": case.participants.select_related("user"),
        "notes": case.notes.select_related("author"),
        "referrals": case.referrals.select_related("legal_basis", "created_by"),
        "has_identity": hasattr(case, "identity"),
    }


def access_log_of(case: Case) -> QuerySet[AuditEvent]:
    """Everything the log holds about the case: reads, changes, reveals, exports."""
    return AuditEvent.objects.filter(
        Q(object_type=OBJECT_TYPE, object_id=case.code)
        | Q(action__in=LIST_ACTIONS, data__codes__icontains=case.code),
        municipality=case.municipality).select_related("actor")


def case_reads(municipality: Municipality, *, user_email: str = "", code: str = "", start: dt.date | None = None,
               end: dt.date | None = None) -> QuerySet[AuditEvent]:
    """Reads of case data in a municipality, for the log review; every filter optional."""
    events = AuditEvent.objects.filter(municipality=municipality, action__in=READ_ACTIONS).select_related("actor")
    if user_email:
        events = events.filter(actor_label__iexact=user_email.strip())
    if code:
        code = code.strip().upper()
        events = events.filter(Q(object_id=code) | Q(action__in=LIST_ACTIONS, data__codes__icontains=code))
    tz = timezone.get_current_timezone()
    if start:
        events = events.filter(created_at__gte=dt.datetime.combine(start, dt.time.min, tz))
    if end:
        events = events.filter(created_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz))
    return events


def access_reviews_of(municipality: Municipality) -> QuerySet[AccessReview]:
    return AccessReview.objects.filter(municipality=municipality).select_related("started_by")


def access_review_get(municipality: Municipality, pk: int) -> AccessReview:
    review = access_reviews_of(municipality).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def review_item_get(review: AccessReview, pk: int) -> AccessReviewItem:
    item = review.items.filter(pk=pk).select_related("event").first()
    if item is None:
        raise Http404
    return item


def purge_tombstones(municipality: Municipality) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(municipality=municipality, action="cases.case.purged")


BREAKDOWNS = ("status", "age_band", "gender", "milieu")


def _breakdown_labels(municipality: Municipality) -> dict[str, dict[str, StrOrPromise]]:
    # Retired age bands too, like the situation picture's retired categories: past years counted under them.
    milieus = {m.key: m.name for m in knowledge.milieus_of(municipality)}
    return {"status": dict(Case.Status.choices), "age_band": dict(AgeBand.choices),
            "gender": dict(Gender.choices), "milieu": {"": _("Not known"), **milieus}}


def case_statistics_years(municipality: Municipality) -> list[int]:
    """Every year from the first case opened to this year: the periods the case statistics publish."""
    first = Case.objects.filter(municipality=municipality).order_by("opened_at").values_list(
        "opened_at", flat=True).first()
    this_year = timezone.localdate().year
    return list(range(timezone.localdate(first).year if first else this_year, this_year + 1))


def case_statistics(municipality: Municipality, *, year: int) -> tuple[str, list[tuple[str, list[tuple[str, str]]]]]:
    """The cases opened during ``year`` counted by status, age band, gender and milieu: the total and four
    lists, published through ``varna.disclosure.catalogue.publish_lists``.

    Only whole years by the year a case was opened, never a range, a total over years or "open during the
    year": then the figures of two years share no case and can't be subtracted from each other (ADR 0016).
    The page, its export and the annual report all read these cells."""
    labels = _breakdown_labels(municipality)
    rows = list(Case.objects.filter(municipality=municipality, opened_at__year=year).values_list(*(
        "status", "age_band", "gender", "milieu_key")))
    lists = {}
    for index, key in enumerate(BREAKDOWNS):
        counts = Counter(row[index] for row in rows)
        lists[key] = [counts.get(value, 0) for value in labels[key]]
    published = publish_lists(lists, PUBLISHED)
    return published.total.display, [
        (key, [(str(label), cell.display) for label, cell in zip(labels[key].values(), published.lists[key],
                                                                   strict=True)])
        for key in BREAKDOWNS]
