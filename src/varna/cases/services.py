"""Writes for cases. Each is atomic and writes its audit event in the same transaction.

Every audit event about a case has ``object_type="cases.case"`` and the case code as ``object_id``, so a
case's access log is one query and survives the purge of the case (the code is never reused).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from varna.cases import permissions, selectors
from varna.cases.audit_actions import OBJECT_TYPE, READ_ACTIONS
from varna.cases.models import (
    AccessReview,
    AccessReviewItem,
    Case,
    CaseSign,
    Identity,
    LegalBasis,
    Note,
    Participant,
    Referral,
    StatusChange,
    new_case_code,
)
from varna.core import audit
from varna.core.actors import SYSTEM
from varna.core.models import AuditEvent, Membership, Municipality, Organisation
from varna.core.pdf import render_pdf
from varna.core.permissions import NotPermitted, is_platform_admin, is_system, require
from varna.core.vocabulary import RETIRED_AGE_BANDS, AgeBand, Gender
from varna.guidance import engine
from varna.knowledge import selectors as knowledge

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise



class CaseError(Exception):
    pass


class CasePermissionError(CaseError, NotPermitted):
    """Refused by a permission predicate (a 403 wherever it is not turned into a message)."""


class CaseConflictError(CaseError):
    """Someone saved the case after this editor loaded it. ``current`` is the case as it is now."""

    def __init__(self, current: Case) -> None:
        self.current = current
        super().__init__(_("Someone else changed this case while you were editing. Both versions are shown "
                           "below; nothing was saved and nothing is lost."))


class StepUpError(CaseError):
    pass


def _record(*, actor: Any, case: Case, action: str, purpose: str = "", data: dict[str, Any] | None = None) -> None:
    audit.record(actor=actor, action=action, municipality=case.municipality, object_type=OBJECT_TYPE,
                 object_id=case.code, purpose=purpose, data=data)


def _bump(case: Case, expected_lock: int | None, **changes: Any) -> None:
    """Write ``changes`` to the case row if nobody saved since ``expected_lock``; else raise a conflict."""
    query = Case.objects.filter(pk=case.pk)
    if expected_lock is not None:
        query = query.filter(lock_version=expected_lock)
    now = timezone.now()
    if query.update(lock_version=F("lock_version") + 1, updated_at=now, **changes) != 1:
        raise CaseConflictError(Case.objects.get(pk=case.pk))
    for name, value in changes.items():
        setattr(case, name, value)
    case.refresh_from_db(fields=["lock_version", "updated_at"])


def _touch(case: Case) -> None:
    """Mark the case as changed without bumping its lock version: a note, sign or referral added by a
    participant must not turn the coordinator's unrelated edit of the case fields into a conflict."""
    case.updated_at = timezone.now()
    Case.objects.filter(pk=case.pk).update(updated_at=case.updated_at)


def verify_step_up(user: Any, code: str) -> bool:
    """A fresh one-time code from one of the user's confirmed devices (each code works once)."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return False
    for device in devices_for_user(user, confirmed=True):
        allowed, _why = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            return True
    return False


# --- opening, viewing, changing ------------------------------------------------------------------

def _check_person(age_band: str, gender: str, *, kept: str = "") -> None:
    """The national age bands and genders (ADR 0018): a retired band only where the case already holds it."""
    if age_band not in AgeBand.values or (age_band in RETIRED_AGE_BANDS and age_band != kept):
        raise CaseError(_("Choose one of the age bands offered."))
    if gender not in Gender.values:
        raise CaseError(_("Choose one of the genders offered."))


@transaction.atomic
def case_open(*, actor: Any, municipality: Municipality, age_band: str, gender: str, milieu_key: str = "",
              path_key: str = "") -> Case:
    """Open a case under a fresh random code. Only a coordinator may."""
    if not permissions.can_open_case(actor, municipality):
        raise CasePermissionError(_("Only the coordinator opens cases."))
    _check_person(age_band, gender)
    for _attempt in range(20):
        code = new_case_code()
        # A code that was ever used (even by a purged case) stays retired: old log entries name it.
        if Case.objects.filter(code=code).exists() or AuditEvent.objects.filter(
                object_type=OBJECT_TYPE, object_id=code).exists():
            continue
        try:
            with transaction.atomic():
                case = Case.objects.create(municipality=municipality, code=code, age_band=age_band, gender=gender,
                                           milieu_key=milieu_key, path_key=path_key, opened_by=actor)
        except IntegrityError:
            continue
        break
    else:  # pragma: no cover - 25**4 codes; twenty collisions in a row means something else is wrong
        raise CaseError("Could not find a free case code.")
    StatusChange.objects.create(case=case, from_status="", to_status=case.status, changed_by=actor)
    _record(actor=actor, case=case, action="cases.case.opened")
    return case


def case_viewed(*, actor: Any, case: Case, purpose: str, page: str = "case") -> None:
    """Every read of a case page writes exactly one event."""
    require(permissions.can_see_case(actor, case), _("You do not take part in this case."), CasePermissionError)
    _record(actor=actor, case=case, action="cases.case.viewed", purpose=purpose, data={"page": page})


def cases_listed(*, actor: Any, municipality: Municipality, codes: list[str], purpose: str) -> None:
    """A list that shows case codes is a read of each of them: one event naming the codes shown."""
    require(permissions.can_list_cases(actor, municipality), _("Your role does not list cases."), CasePermissionError)
    audit.record(actor=actor, action="cases.case.listed", municipality=municipality, object_type=OBJECT_TYPE,
                 purpose=purpose, data={"codes": codes})


def case_list_exported(*, actor: Any, municipality: Municipality, codes: list[str], file_format: str) -> None:
    """The case list as a file: one event naming the (pseudonymous) codes it holds, like a listing, since the
    log review must find every read of a case. Only coordinators export (ADR 0005)."""
    if not permissions.can_export_case_list(actor, municipality):
        raise CasePermissionError(_("Only the coordinator exports the case list."))
    audit.record(actor=actor, action="cases.case_list.exported", municipality=municipality,
                 object_type=OBJECT_TYPE, purpose="case list export",
                 data={"codes": codes, "format": file_format, "rows": len(codes)})


def statistics_exported(*, actor: Any, municipality: Municipality, file_format: str) -> None:
    """The suppressed statistics left as a file: no case is named, so the event holds only the format."""
    require(permissions.can_see_statistics(actor, municipality), _("Your role does not see the case statistics."),
            CasePermissionError)
    audit.record(actor=actor, action="cases.statistics.exported", municipality=municipality,
                 data={"format": file_format, "filters": {}})


@transaction.atomic
def case_update(*, actor: Any, case: Case, expected_lock: int, age_band: str, gender: str, milieu_key: str,
                path_key: str) -> Case:
    """Change the case's description. A save over a newer version raises ``CaseConflictError``."""
    if not permissions.can_manage_case(actor, case):
        raise CasePermissionError(_("Only the coordinator changes the case."))
    _check_person(age_band, gender, kept=case.age_band)
    fields = {"age_band": age_band, "gender": gender, "milieu_key": milieu_key, "path_key": path_key}
    changed = sorted(name for name, value in fields.items() if getattr(case, name) != value)
    _bump(case, expected_lock, **fields)
    _record(actor=actor, case=case, action="cases.case.changed", data={"fields": changed})
    recompute_concern(case)
    return case


@transaction.atomic
def case_set_status(*, actor: Any, case: Case, status: str, expected_lock: int | None = None) -> Case:
    if not permissions.can_manage_case(actor, case):
        raise CasePermissionError(_("Only the coordinator changes the status."))
    if status not in Case.TRANSITIONS[case.status]:
        raise CaseError(_("A case cannot go from this status to that one."))
    previous = case.status
    changes: dict[str, Any] = {"status": status}
    if status == Case.Status.CLOSED:
        now = timezone.now()
        changes["closed_at"] = now
        changes["purge_after"] = timezone.localdate(now) + dt.timedelta(days=settings.VARNA_CASE_RETENTION_DAYS)
    else:
        changes["closed_at"] = None
        changes["purge_after"] = None
    _bump(case, expected_lock, **changes)
    StatusChange.objects.create(case=case, from_status=previous, to_status=status, changed_by=actor)
    _record(actor=actor, case=case, action="cases.case.changed", data={"status": [previous, status]})
    return case


def compute_concern(case: Case) -> str:
    """The guidance engine's level for the case's signs, as a municipal professional would be told."""
    keys = frozenset(case.signs.values_list("sign_key", flat=True))
    catalogue = knowledge.sign_tiers(case.municipality)
    known = frozenset(key for key in keys if key in catalogue)
    from varna.guidance import selectors as guidance

    rules = guidance.rules_for(case.municipality)
    inp = engine.GuidanceInput(signs=known, asker="municipal_staff", age_band=case.engine_age_band)
    # The level does not depend on the directory; give the engine the contacts it needs to answer.
    return engine.evaluate(inp, rules=rules, signs=catalogue, contacts=rules.referenced_contacts).level


def recompute_concern(case: Case) -> None:
    level = compute_concern(case)
    if level != case.computed_concern:
        Case.objects.filter(pk=case.pk).update(computed_concern=level)
        case.computed_concern = level


@transaction.atomic
def concern_override(*, actor: Any, case: Case, level: str, reason: str, expected_lock: int | None = None) -> Case:
    """Set (or, with an empty level, remove) the coordinator's concern level. Setting one needs a reason."""
    if not permissions.can_manage_case(actor, case):
        raise CasePermissionError(_("Only the coordinator sets the concern level."))
    reason = reason.strip()
    if level and not reason:
        raise CaseError(_("Say why the level differs from the one the signs give."))
    _bump(case, expected_lock, concern_override=level, concern_override_reason=reason if level else "",
          concern_override_by=actor if level else None)
    _record(actor=actor, case=case, action="cases.case.changed",
            data={"concern_override": level, "computed": case.computed_concern})
    return case


@transaction.atomic
def legal_hold_set(*, actor: Any, case: Case, hold: bool, reason: str = "") -> Case:
    if not permissions.can_manage_case(actor, case):
        raise CasePermissionError(_("Only the coordinator sets a legal hold."))
    if hold and not reason.strip():
        raise CaseError(_("Say why the case must be kept."))
    _bump(case, None, legal_hold=hold, legal_hold_reason=reason.strip() if hold else "")
    _record(actor=actor, case=case, action="cases.case.changed", data={"legal_hold": hold})
    return case


# --- signs, participants, notes, identity ---------------------------------------------------------

@transaction.atomic
def sign_add(*, actor: Any, case: Case, sign_key: str, observed_on: dt.date,
             source: Organisation | None = None) -> CaseSign:
    if not permissions.can_contribute_to_case(actor, case):
        raise CasePermissionError(_("You cannot add to this case."))
    if sign_key not in knowledge.sign_tiers(case.municipality):
        raise CaseError(_("That sign is not in the knowledge base."))
    if source is not None and source.municipality_id != case.municipality_id:
        raise CaseError(_("The organisation must belong to the same municipality."))
    sign = CaseSign.objects.create(case=case, sign_key=sign_key, observed_on=observed_on, source=source,
                                   added_by=actor)
    _touch(case)
    recompute_concern(case)
    _record(actor=actor, case=case, action="cases.case.changed", data={"sign_added": sign_key})
    return sign


@transaction.atomic
def participant_add(*, actor: Any, case: Case, user: Any) -> Participant:
    if not permissions.can_manage_case(actor, case):
        raise CasePermissionError(_("Only the coordinator adds participants."))
    if not Membership.objects.filter(user=user, municipality=case.municipality).exists():
        raise CaseError(_("Only people with a role in the municipality can take part in its cases."))
    participant, created = Participant.objects.get_or_create(case=case, user=user, defaults={"added_by": actor})
    if not created:
        raise CaseError(_("This person already takes part in the case."))
    _record(actor=actor, case=case, action="cases.participant.added", data={"user": user.get_username()})
    return participant


@transaction.atomic
def partner_invite(*, actor: Any, case: Case, email: str, name: str, organisation: Any) -> Any:
    """Invite someone from another organisation to take part in this case only (core's e-mailed invitation;
    varna.cases.partners adds them when they accept). The coordinator's, while the case is open; the organisation
    they come from is required, since it is shown next to their name."""
    from varna.core import services as core_services

    if not permissions.can_manage_case(actor, case) or case.is_closed:
        raise CasePermissionError(_("Only the coordinator invites partners, while the case is open."))
    if organisation is None or organisation.municipality_id != case.municipality_id:
        raise CaseError(_("Choose the organisation the partner comes from."))
    if Membership.objects.filter(user__email=email.strip().lower()).exists():
        raise CaseError(_("This person has a role in Värna: add them as a participant instead."))
    try:
        invitation, _token = core_services.invitation_create(
            actor=actor, municipality=case.municipality, email=email, name=name, organisation=organisation,
            grants={"case": case.pk})
    except core_services.CoreError as exc:
        raise CaseError(str(exc)) from exc
    _record(actor=actor, case=case, action="cases.partner.invited", data={"email": invitation.email,
                                                                          "organisation": organisation.key})
    return invitation


@transaction.atomic
def partner_participant_add(*, inviter: Any, case: Case, user: Any) -> Participant:
    """A partner who accepted a coordinator's invitation to this case takes part in it (varna.cases.partners).

    The partner holds no role in the municipality; the invitation stands for the coordinator's decision, which
    must still hold (the inviter is still a coordinator, the case still open)."""
    if inviter is None or not permissions.can_manage_case(inviter, case) or case.is_closed:
        raise CasePermissionError(_("The coordinator who invited you can no longer add participants to this case."))
    participant, created = Participant.objects.get_or_create(case=case, user=user, defaults={"added_by": inviter})
    if created:
        _record(actor=inviter, case=case, action="cases.participant.added",
                data={"user": user.get_username(), "partner": True})
    return participant


@transaction.atomic
def participant_remove(*, actor: Any, participant: Participant) -> None:
    case = participant.case
    if not permissions.can_manage_case(actor, case):
        raise CasePermissionError(_("Only the coordinator removes participants."))
    username = participant.user.get_username()
    participant.delete()
    _record(actor=actor, case=case, action="cases.participant.removed", data={"user": username})


@transaction.atomic
def note_add(*, actor: Any, case: Case, text: str) -> Note:
    if not permissions.can_contribute_to_case(actor, case):
        raise CasePermissionError(_("You cannot add to this case."))
    if not text.strip():
        raise CaseError(_("Write something in the note."))
    note = Note.objects.create(case=case, author=actor, text=text.strip())
    _touch(case)
    _record(actor=actor, case=case, action="cases.note.added", data={"note": note.pk})
    return note


@transaction.atomic
def identity_set(*, actor: Any, case: Case, name: str, identity_number: str, contact: str) -> Identity:
    if not permissions.can_manage_case(actor, case):
        raise CasePermissionError(_("Only the coordinator records who the case is about."))
    identity, _created = Identity.objects.update_or_create(
        case=case, defaults={"name": name.strip(), "identity_number": identity_number.strip(),
                             "contact": contact.strip(), "updated_by": actor, "updated_at": timezone.now()})
    _record(actor=actor, case=case, action="cases.identity.changed")
    return identity


def identity_reveal(*, actor: Any, case: Case, purpose: str, code: str) -> Identity | None:
    """Show who the case is about: needs a stated purpose and a fresh one-time code; always audited."""
    if not permissions.can_reveal_identity(actor, case):
        raise CasePermissionError(_("You cannot see this case."))
    purpose = purpose.strip()
    if len(purpose) < 10:
        raise CaseError(_("State the purpose in a sentence."))
    if not verify_step_up(actor, code):
        _record(actor=actor, case=case, action="cases.identity.reveal_refused", purpose=purpose)
        raise StepUpError(_("The one-time code was not accepted. Wait for a new code and try again."))
    with transaction.atomic():
        _record(actor=actor, case=case, action="cases.identity.revealed", purpose=purpose)
        return Identity.objects.filter(case=case).first()


# --- referrals and legal bases -------------------------------------------------------------------

def referral_kinds_for(case: Case) -> list[tuple[str, StrOrPromise]]:
    """Psychiatry is chosen by age band: child and adolescent psychiatry for minors, adult psychiatry for
    adults; when the age is not known both are offered."""
    kinds: list[tuple[str, StrOrPromise]] = list(Referral.Kind.choices)
    if case.engine_age_band == "under_18":
        kinds = [k for k in kinds if k[0] != Referral.Kind.ADULT_PSYCHIATRY]
    elif case.engine_age_band == "adult":
        kinds = [k for k in kinds if k[0] != Referral.Kind.CHILD_PSYCHIATRY]
    return kinds


# Organisations whose staff are not the municipality's own employees.
_NON_MUNICIPAL_KINDS = frozenset({Organisation.Kind.POLICE, Organisation.Kind.HEALTH,
                                  Organisation.Kind.CIVIL_SOCIETY})


def is_municipal_staff(user: Any, municipality: Municipality) -> bool:
    memberships = Membership.objects.filter(user=user, municipality=municipality).select_related("organisation")
    return any(m.organisation is None or m.organisation.kind not in _NON_MUNICIPAL_KINDS for m in memberships)


def report_is_mandatory(user: Any, case: Case) -> bool:
    """A report of concern is mandatory when the person is under 18 and the reporter is municipal staff."""
    return case.is_minor and is_municipal_staff(user, case.municipality)


@transaction.atomic
def referral_create(*, actor: Any, case: Case, kind: str, legal_basis: LegalBasis, sent_on: dt.date,
                    consent_given_by: str = "", consent_given_on: dt.date | None = None,
                    consent_scope: str = "") -> Referral:
    if not permissions.can_contribute_to_case(actor, case):
        raise CasePermissionError(_("You cannot add to this case."))
    if kind not in dict(referral_kinds_for(case)):
        raise CaseError(_("That kind of referral does not fit the person's age band."))
    if legal_basis.municipality_id != case.municipality_id:
        raise CaseError(_("Choose one of the municipality's legal bases."))
    referral = Referral(case=case, kind=kind, legal_basis=legal_basis, sent_on=sent_on,
                        consent_given_by=consent_given_by, consent_given_on=consent_given_on,
                        consent_scope=consent_scope.strip(), created_by=actor)
    try:
        referral.clean()
    except ValidationError as exc:
        raise CaseError(" ".join(exc.messages)) from exc
    referral.save()
    _touch(case)
    _record(actor=actor, case=case, action="cases.referral.created",
            data={"referral": referral.pk, "kind": kind, "legal_basis": legal_basis.key})
    return referral


@transaction.atomic
def referral_answer(*, actor: Any, referral: Referral, answer: str, reason: str, answered_on: dt.date) -> Referral:
    case = referral.case
    if not permissions.can_contribute_to_case(actor, case):
        raise CasePermissionError(_("You cannot add to this case."))
    if answer not in (Referral.Answer.ACCEPTED, Referral.Answer.DECLINED):
        raise CaseError(_("Choose accepted or declined."))
    if answer == Referral.Answer.DECLINED and not reason.strip():
        raise CaseError(_("Say why the referral was declined."))
    referral.answer, referral.answer_reason, referral.answered_on = answer, reason.strip(), answered_on
    referral.save(update_fields=["answer", "answer_reason", "answered_on"])
    _record(actor=actor, case=case, action="cases.referral.answered", data={"referral": referral.pk,
                                                                             "answer": answer})
    return referral


def referrals_remind(*, today: dt.date | None = None) -> list[Referral]:
    """Remind the sender of every referral left unanswered past the set time (once a week at most).

    The message carries no case data: it asks the sender to log in."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.VARNA_REFERRAL_REMINDER_DAYS)
    recent = timezone.now() - dt.timedelta(days=7)
    due = Referral.objects.filter(answer=Referral.Answer.PENDING, sent_on__lt=cutoff).exclude(
        reminded_at__gte=recent).select_related("case", "case__municipality", "created_by")
    reminded = []
    for referral in due:
        with transaction.atomic():
            Referral.objects.filter(pk=referral.pk).update(reminded_at=timezone.now())
            audit.record(actor=None, action="cases.referral.reminded", municipality=referral.case.municipality,
                         object_type=OBJECT_TYPE, object_id=referral.case.code, data={"referral": referral.pk})
            recipient = referral.created_by.email
            transaction.on_commit(functools.partial(
                send_mail, _("Värna: a referral is waiting for an answer"),
                _("A referral you sent has not been answered. Log in to Värna to follow it up."),
                settings.DEFAULT_FROM_EMAIL, [recipient]))
        reminded.append(referral)
    return reminded


@transaction.atomic
def legal_basis_save(*, actor: Any, municipality: Municipality, key: str, statute: str, section: str,
                     explanation: str, is_consent: bool, reporting_duty: bool, last_verified: dt.date,
                     basis: LegalBasis | None = None) -> LegalBasis:
    if not permissions.can_manage_legal_bases(actor, municipality):
        raise CasePermissionError(_("Only the coordinator maintains the legal bases."))
    if basis is not None and basis.municipality_id != municipality.pk:
        raise CaseError(_("Choose one of the municipality's legal bases."))
    values = {"statute": statute, "section": section, "explanation": explanation, "is_consent": is_consent,
              "reporting_duty": reporting_duty, "last_verified": last_verified}
    if basis is None:
        if LegalBasis.objects.filter(municipality=municipality, key=key).exists():
            raise CaseError(_("A legal basis with this key already exists."))
        basis = LegalBasis.objects.create(municipality=municipality, key=key, **values)
    else:
        for name, value in values.items():
            setattr(basis, name, value)
        basis.save()
    audit.record(actor=actor, action="cases.legal_basis.saved", municipality=municipality, obj=basis,
                 data={"key": basis.key})
    return basis


# --- export, access log, review ------------------------------------------------------------------

def case_export_pdf(*, actor: Any, case: Case, purpose: str, code: str) -> bytes:
    """The handover summary as PDF, watermarked with who exported it and when. Needs a fresh code."""
    if not permissions.can_export_case(actor, case):
        raise CasePermissionError(_("Only the coordinator exports a case."))
    purpose = purpose.strip()
    if len(purpose) < 10:
        raise CaseError(_("State the purpose in a sentence."))
    if not verify_step_up(actor, code):
        _record(actor=actor, case=case, action="cases.case.export_refused", purpose=purpose)
        raise StepUpError(_("The one-time code was not accepted. Wait for a new code and try again."))
    exported_at = timezone.localtime()
    watermark = _("Exported by %(who)s (%(email)s) on %(when)s – do not pass on") % {
        "who": actor, "email": actor.email, "when": exported_at.strftime("%Y-%m-%d %H:%M")}
    pdf = render_pdf("cases/case_pdf.html", {
        "case": case, "municipality": case.municipality,
        "watermark": watermark, "watermark_css": _css_string(watermark),
        **selectors.case_page_data(case)})
    with transaction.atomic():
        _record(actor=actor, case=case, action="cases.case.exported", purpose=purpose,
                data={"format": "pdf", "exported_at": exported_at.isoformat()})
    return pdf


def _css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string (for ``content:``), safe inside <style>."""
    out = []
    for char in text:
        if char in '\\"<>&' or ord(char) < 32:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return "".join(out)


def access_log_reviewed(*, actor: Any, municipality: Municipality, purpose: str,
                        data: dict[str, Any] | None = None) -> None:
    """Listing the log of case reads names case codes, so it is itself a read of case data and is logged."""
    require(permissions.can_review_access_log(actor, municipality), _("You may not review the access log."),
            CasePermissionError)
    audit.record(actor=actor, action="cases.access_log.viewed", municipality=municipality, object_type=OBJECT_TYPE,
                 purpose=purpose, data=data or {})


def access_log_viewed(*, actor: Any, case: Case) -> None:
    require(permissions.can_see_case_access_log(actor, case), _("Your role does not read the case's access log."),
            CasePermissionError)
    _record(actor=actor, case=case, action="cases.access_log.viewed", purpose="access log")


@dataclass(frozen=True)
class PurgeEntry:
    code: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    purged_at: dt.datetime


def cases_due_for_purge(*, today: dt.date | None = None) -> list[Case]:
    today = today or timezone.localdate()
    return list(Case.objects.filter(status=Case.Status.CLOSED, legal_hold=False, purge_after__lt=today)
                .select_related("municipality"))


def cases_purge(*, actor: Any = SYSTEM, today: dt.date | None = None, dry_run: bool = False) -> list[PurgeEntry]:
    """Delete every closed case past its retention period and not on legal hold.

    Content goes; a tombstone stays in the audit log (code, dates, who purged), because the log must show
    that a purge happened and old log entries must still name a code that is never reused."""
    if not is_platform_admin(actor):
        raise CasePermissionError(_("Only the scheduled purge or the operator purges cases."))
    report = []
    for case in cases_due_for_purge(today=today):
        entry = PurgeEntry(case.code, case.opened_at, case.closed_at, timezone.now())
        if not dry_run:
            with transaction.atomic():
                locked = Case.objects.select_for_update().filter(pk=case.pk, status=Case.Status.CLOSED,
                                                                 legal_hold=False).first()
                if locked is None:
                    continue
                for model in (Note, Identity, CaseSign, Participant, Referral, StatusChange):
                    model.objects.filter(case=locked).delete()
                locked.delete()
                _record(actor=actor, case=case, action="cases.case.purged", data={
                    "opened_at": entry.opened_at.isoformat(),
                    "closed_at": entry.closed_at.isoformat() if entry.closed_at else None,
                    "purged_by": "purge_closed_cases" if is_system(actor) else actor.get_username()})
        report.append(entry)
    return report


@transaction.atomic
def access_review_start(*, actor: Any, municipality: Municipality, period_start: dt.date, period_end: dt.date,
                        sample_percent: int = 10, reason: str = AccessReview.Reason.MONTHLY,
                        rng: random.Random | None = None) -> AccessReview:
    """Draw a random sample of the users who read case data in the period (at least one) and put each of
    their case reads up for review."""
    if not permissions.can_review_access_log(actor, municipality):
        raise CasePermissionError(_("You may not review the access log."))
    if period_end < period_start:
        raise CaseError(_("The period ends before it starts."))
    if not 1 <= sample_percent <= 100:
        raise CaseError(_("The sample is between 1 and 100 per cent."))
    rng = rng or random.SystemRandom()
    events = _reads_in(municipality, period_start, period_end)
    users = sorted(set(events.exclude(actor=None).values_list("actor_id", flat=True)))
    size = max(1, round(len(users) * sample_percent / 100)) if users else 0
    chosen = rng.sample(users, size)
    review = AccessReview.objects.create(municipality=municipality, reason=reason, period_start=period_start,
                                         period_end=period_end, sample_percent=sample_percent, started_by=actor)
    AccessReviewItem.objects.bulk_create(
        [AccessReviewItem(review=review, event=event) for event in events.filter(actor_id__in=chosen)])
    audit.record(actor=actor, action="cases.access_review.started", municipality=municipality, obj=review,
                 data={"users": len(chosen), "of": len(users), "reason": reason})
    return review


def _reads_in(municipality: Municipality, start: dt.date, end: dt.date) -> Any:
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz)
    return AuditEvent.objects.filter(municipality=municipality, action__in=READ_ACTIONS, created_at__gte=since,
                                     created_at__lt=until)


@transaction.atomic
def access_review_mark(*, actor: Any, item: AccessReviewItem, verdict: str, comment: str) -> AccessReviewItem:
    review = item.review
    if not permissions.can_review_access_log(actor, review.municipality):
        raise CasePermissionError(_("You may not review the access log."))
    if verdict not in (AccessReviewItem.Verdict.JUSTIFIED, AccessReviewItem.Verdict.NOT_JUSTIFIED):
        raise CaseError(_("Choose justified or not justified."))
    if verdict == AccessReviewItem.Verdict.NOT_JUSTIFIED and not comment.strip():
        raise CaseError(_("Say why the access was not justified."))
    item.verdict, item.comment = verdict, comment.strip()
    item.reviewed_by, item.reviewed_at = actor, timezone.now()
    item.save(update_fields=["verdict", "comment", "reviewed_by", "reviewed_at"])
    audit.record(actor=actor, action="cases.access_review.marked", municipality=review.municipality, obj=review,
                 data={"event": item.event_id, "verdict": verdict})
    if not review.items.filter(verdict=AccessReviewItem.Verdict.PENDING).exists():
        AccessReview.objects.filter(pk=review.pk).update(completed_at=timezone.now())
        audit.record(actor=actor, action="cases.access_review.completed", municipality=review.municipality,
                     obj=review)
    return item
