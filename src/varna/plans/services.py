"""Writes for plans: import, drafts, edits, approval. Each is atomic and writes its audit event."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.actors import SYSTEM
from varna.core.models import AuditEvent, Membership, Municipality, Organisation, Role
from varna.core.permissions import NotPermitted, require
from varna.core.plugins import hooks
from varna.core.services import organisation_upsert
from varna.plans import fulfilment, permissions, selectors, yaml_io
from varna.plans.cadence import COUNTED_KINDS, Cadence, CadenceKind
from varna.plans.models import (
    Activity,
    DecisionBody,
    Fulfilment,
    Level,
    Plan,
    PlanVersion,
    Recommendation,
    Reference,
    Section,
)


class PlanError(Exception):
    pass


class PlanPermissionError(PlanError, NotPermitted):
    """Refused by a permission predicate (a 403 wherever it is not turned into a message)."""


class StaleVersionError(PlanError):
    """Someone else saved the draft after this editor loaded it."""


def _local_noon(day: str) -> dt.datetime:
    # Dates in the file are the decision's calendar date; store midday so no time zone moves the day.
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), ZoneInfo(settings.TIME_ZONE))


def _assert_draft(version: PlanVersion) -> None:
    if version.status != PlanVersion.Status.DRAFT:
        raise PlanError(_("Only a draft can be changed. Approved versions are kept exactly as approved."))


def _assert_may_edit_draft(actor: Any, version: PlanVersion) -> Municipality:
    """The coordinator, and only a draft. Returns the municipality for the audit event."""
    municipality = version.plan.municipality
    if not permissions.can_edit_plan(actor, municipality):
        raise PlanPermissionError(_("Only the coordinator can edit the plan."))
    _assert_draft(version)
    if version.awaiting_approval:
        raise PlanError(_("The draft has been sent for approval and cannot be changed until the approver "
                          "returns it."))
    return municipality


def _touch(version: PlanVersion, expected_lock: int | None) -> None:
    """Bump the draft's lock version; refuse if someone saved in between."""
    query = PlanVersion.objects.filter(pk=version.pk, status=PlanVersion.Status.DRAFT, sent_at__isnull=True)
    if expected_lock is not None:
        query = query.filter(lock_version=expected_lock)
    if query.update(lock_version=F("lock_version") + 1, updated_at=timezone.now()) != 1:
        raise StaleVersionError(_("Someone else changed this draft while you were editing. "
                                  "Your text is kept below; compare and save again."))
    version.refresh_from_db(fields=["lock_version", "updated_at"])


# --- import and export ---------------------------------------------------------------------------

@transaction.atomic
def plan_import(*, actor: Any, municipality: Municipality, text: str) -> PlanVersion:
    """Import one plan version from YAML. All or nothing: a bad file changes nothing."""
    require(permissions.can_edit_plan(actor, municipality), _("Only the coordinator can import a plan."),
            PlanPermissionError)
    data = yaml_io.parse(text)
    meta, vmeta = data["plan"], data["version"]

    # A unit named in an adopted version (of any plan) keeps the name it was adopted with: a file for another
    # plan, or a draft, never renames what an approved version shows. Rename it on the admin site if it changed.
    adopted = set(Organisation.objects.filter(
        municipality=municipality, plan_activities__version__status__in=[
            PlanVersion.Status.APPROVED, PlanVersion.Status.SUPERSEDED]).values_list("key", flat=True))
    existing = {o.key: o for o in Organisation.objects.filter(municipality=municipality)}
    organisations: dict[str, Organisation] = {}
    kept: list[str] = []
    for item in data.get("organisations", []):
        known = existing.get(item["key"])
        if known is not None and item["key"] in adopted:
            organisations[item["key"]] = known
            if (known.name, known.kind) != (item["name"], item["kind"]):
                kept.append(item["key"])
            continue
        organisations[item["key"]] = organisation_upsert(
            municipality=municipality, key=item["key"], name=item["name"], kind=item["kind"],
            parent=known.parent if known else None, actor=actor)
    for item in data.get("organisations", []):
        if item["key"] in adopted and item["key"] in existing:
            continue
        parent = organisations.get(item.get("parent") or "")
        org = organisations[item["key"]]
        if org.parent_id != (parent.pk if parent else None):
            org.parent = parent
            org.save(update_fields=["parent"])

    plan, created = Plan.objects.get_or_create(
        municipality=municipality, slug=meta["slug"],
        defaults={"title": meta["title"], "scope": meta.get("scope", ""),
                  "approval_role": meta.get("approval_role") or municipality.plan_approval_role})
    if not created and plan.versions.exclude(status=PlanVersion.Status.DRAFT).exists():
        # Who approves an adopted plan is not changed by a file; the administrator changes it on the plan.
        meta = {**meta, "approval_role": plan.approval_role}
    plan.title, plan.scope = meta["title"], meta.get("scope", "")
    plan.approval_role = meta.get("approval_role") or plan.approval_role
    plan.save(update_fields=["title", "scope", "approval_role"])

    if plan.versions.filter(number=vmeta["number"]).exists():
        raise yaml_io.PlanFormatError([yaml_io.FormatProblem("version/number", None, _(
            "version %(number)s of this plan already exists") % {"number": vmeta["number"]})])
    # An import is always a draft, whatever the file says: only the approver records a decision (ADR 0017).
    if plan.versions.filter(status=PlanVersion.Status.DRAFT).exists():
        raise yaml_io.PlanFormatError([yaml_io.FormatProblem("version/number", None, _(
            "the plan already has a draft; approve or delete it first"))])
    newest = plan.versions.aggregate(n=Max("number"))["n"]
    if newest and newest > vmeta["number"]:
        raise yaml_io.PlanFormatError([yaml_io.FormatProblem("version/number", None, _(
            "a newer version (%(number)s) exists") % {"number": newest})])

    version = _import_content(plan, data, organisations)
    version.refresh_from_db()  # dates as dates, not the strings of the file
    audit.record(actor=actor, action="plans.version.imported", municipality=municipality, obj=version,
                 data={"plan": plan.slug, "number": version.number, "status": version.status,
                       "status_in_file": vmeta.get("status", ""), "unit_names_kept": kept})
    version.unit_names_kept = kept  # for the page that reports the import
    return version


def _import_content(plan: Plan, data: dict[str, Any], organisations: dict[str, Organisation]) -> PlanVersion:
    vmeta = data["version"]
    decision = vmeta.get("decision") or {}
    # The decision the file states is kept on the draft as a proposal; the approver confirms or corrects it.
    version = PlanVersion.objects.create(
        plan=plan, number=vmeta["number"], status=PlanVersion.Status.DRAFT, level_set=vmeta.get("level_set", ""),
        valid_from=vmeta.get("valid_from"), valid_to=vmeta.get("valid_to"),
        decision_body_kind=decision.get("body_kind", ""), decision_body=decision.get("body", ""),
        decision_date=decision.get("date"), decision_paragraph=decision.get("paragraph", ""),
        registry_number=decision.get("registry_number", ""), decision_reference=decision.get("as_written", ""),
    )
    for order, item in enumerate(data.get("sections", [])):
        Section.objects.create(version=version, key=item["key"], title=item["title"],
                               body=item.get("body", ""), order=order, not_adopted=item.get("not_adopted", False))
    for level_order, item in enumerate(data["levels"]):
        level = Level.objects.create(version=version, key=item["key"], name=item["name"],
                                     introduction=item.get("introduction", ""), order=level_order,
                                     not_adopted=item.get("not_adopted", False))
        for order, row in enumerate(item["activities"]):
            cadence = Cadence.parse(row["cadence"])
            activity = Activity.objects.create(
                version=version, level=level, key=row["key"], order=order, direction=row["direction"],
                action=row["action"], responsible_text=row.get("responsible_text", ""),
                cadence_kind=cadence.kind, cadence_count=cadence.count, when_text=row.get("when", ""),
                not_adopted=row.get("not_adopted", False))
            activity.responsible.set([organisations[k] for k in row.get("responsible", [])])
            Fulfilment.objects.bulk_create([Fulfilment(activity=activity, source=source, detail=detail)
                                            for pair in row.get("fulfilled_by", []) for source, detail in pair.items()])
        for order, ref in enumerate(item.get("references", [])):
            _create_reference(version, ref, order, level=level)
    for item in data.get("recommendations", []):
        Recommendation.objects.create(version=version, number=item["number"], text=item["text"],
                                      how_met=item.get("how_met", ""), not_adopted=item.get("not_adopted", False))
    for order, ref in enumerate(data.get("references", [])):
        _create_reference(version, ref, order)
    return version


def _create_reference(version: PlanVersion, ref: dict[str, Any], order: int, level: Level | None = None) -> None:
    Reference.objects.create(version=version, level=level, order=order, kind=ref["kind"], title=ref["title"],
                             statute=ref.get("statute", ""), url=ref.get("url", ""), note=ref.get("note", ""),
                             verified_on=ref.get("verified_on"))


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).date().isoformat()
    return value.isoformat()


def _reference_dict(ref: Reference) -> dict[str, Any]:
    return {"kind": ref.kind, "title": ref.title, "statute": ref.statute, "url": ref.url, "note": ref.note,
            "verified_on": _date(ref.verified_on)}


def plan_to_dict(version: PlanVersion) -> dict[str, Any]:
    """The canonical exchange form of a version: every field present, in a fixed order."""
    plan = version.plan
    organisations = plan.municipality.organisations.select_related("parent").order_by("key")
    levels = version.levels.prefetch_related(
        "activities__responsible", "activities__fulfilled_by", "references").order_by("order", "id")
    return {
        "format": yaml_io.FORMAT,
        "plan": {"slug": plan.slug, "title": plan.title, "scope": plan.scope, "approval_role": str(plan.approval_role)},
        "version": {
            "number": version.number, "status": str(version.status), "level_set": version.level_set,
            "valid_from": _date(version.valid_from), "valid_to": _date(version.valid_to),
            "decision": {
                "body_kind": str(version.decision_body_kind), "body": version.decision_body,
                "date": _date(version.decision_date), "paragraph": version.decision_paragraph,
                "registry_number": version.registry_number, "as_written": version.decision_reference,
            },
        },
        "organisations": [
            {"key": o.key, "name": o.name, "kind": o.kind, "parent": o.parent.key if o.parent else None}
            for o in organisations
        ],
        "sections": [{"key": s.key, "title": s.title, "body": s.body, "not_adopted": s.not_adopted}
                     for s in version.sections.order_by("order")],
        "levels": [
            {
                "key": level.key, "name": level.name, "introduction": level.introduction,
                "not_adopted": level.not_adopted,
                "activities": [
                    {
                        "key": a.key, "direction": a.direction, "action": a.action,
                        "responsible": sorted(o.key for o in a.responsible.all()),
                        "responsible_text": a.responsible_text, "cadence": str(a.cadence), "when": a.when_text,
                        "fulfilled_by": [{f.source: f.detail} for f in a.fulfilled_by.all()],
                        "not_adopted": a.not_adopted,
                    }
                    for a in sorted(level.activities.all(), key=lambda a: (a.order, a.pk))
                ],
                "references": [_reference_dict(r) for r in sorted(level.references.all(),
                                                                   key=lambda r: (r.order, r.pk))],
            }
            for level in levels
        ],
        "recommendations": [{"number": r.number, "text": r.text, "how_met": r.how_met, "not_adopted": r.not_adopted}
                            for r in version.recommendations.order_by("number")],
        "references": [_reference_dict(r) for r in version.references.filter(level=None).order_by("order", "id")],
    }


def plan_export(*, actor: Any, version: PlanVersion) -> str:
    """The version as YAML. Every export is audited."""
    require(permissions.can_export_plan_file(actor, version.plan.municipality),
            _("Your role does not export the plan as a file."), PlanPermissionError)
    audit.record(actor=actor, action="plans.version.exported", municipality=version.plan.municipality,
                 obj=version, data={"format": "yaml"})
    return yaml_io.dump(plan_to_dict(version))


def plan_pdf_exported(*, actor: Any, version: PlanVersion) -> None:
    audit.record(actor=actor, action="plans.version.exported", municipality=version.plan.municipality,
                 obj=version, data={"format": "pdf"})


def list_exported(*, actor: Any, version: PlanVersion, what: str, file_format: str, filters: dict[str, str],
                  rows: int) -> None:
    """A list of a version (`what`: activities) exported as a file: format, filters and row count."""
    audit.record(actor=actor, action=f"plans.{what}.exported", municipality=version.plan.municipality,
                 obj=version, data={"format": file_format, "filters": filters, "rows": rows})


def plan_list_exported(*, actor: Any, plan: Plan, file_format: str, rows: int) -> None:
    """The list of a plan's versions exported as a file."""
    audit.record(actor=actor, action="plans.versions.exported", municipality=plan.municipality, obj=plan,
                 data={"format": file_format, "filters": {}, "rows": rows})


# --- drafts, edits and approval ------------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor: Any, municipality: Municipality, title: str, slug: str, level_set: str,
                scope: str = "") -> Plan:
    if not permissions.can_edit_plan(actor, municipality):
        raise PlanPermissionError(_("Only the coordinator can create plans."))
    if Plan.objects.filter(municipality=municipality, slug=slug).exists():
        raise PlanError(_("A plan with that address name already exists."))
    sets = yaml_io.level_sets()
    if level_set not in sets:
        raise PlanError(_("Unknown level set."))
    plan = Plan.objects.create(municipality=municipality, title=title, slug=slug, scope=scope,
                               approval_role=municipality.plan_approval_role)
    version = PlanVersion.objects.create(plan=plan, number=1, level_set=level_set)
    for order, level in enumerate(sets[level_set]["levels"]):
        Level.objects.create(version=version, key=level["key"], name=level["name"], order=order)
    audit.record(actor=actor, action="plans.plan.created", municipality=municipality, obj=plan)
    return plan


@transaction.atomic
def version_create_draft(*, actor: Any, plan: Plan) -> PlanVersion:
    """Start a new draft as a copy of the current approved version."""
    municipality = plan.municipality
    if not permissions.can_edit_plan(actor, municipality):
        raise PlanPermissionError(_("Only the coordinator can start a new draft."))
    if plan.versions.filter(status=PlanVersion.Status.DRAFT).exists():
        raise PlanError(_("There is already a draft. Continue with it instead."))
    # The version in force is what a revision starts from; else the newest adopted one, else the newest of all.
    source = (selectors.version_in_force(plan) or plan.versions.filter(status=PlanVersion.Status.APPROVED).first()
              or plan.versions.first())
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = PlanVersion.objects.create(plan=plan, number=number, level_set=source.level_set if source else "")
    if source is not None:
        _copy_content(source, draft)
    audit.record(actor=actor, action="plans.version.draft_created", municipality=municipality, obj=draft,
                 data={"copied_from": source.number if source else None})
    return draft


def _copy_content(source: PlanVersion, target: PlanVersion) -> None:
    for s in source.sections.all():
        Section.objects.create(version=target, key=s.key, title=s.title, body=s.body, order=s.order,
                               not_adopted=s.not_adopted)
    levels: dict[int | None, Level] = {}
    for level in source.levels.all():
        levels[level.pk] = Level.objects.create(version=target, key=level.key, name=level.name,
                                                order=level.order, introduction=level.introduction,
                                                not_adopted=level.not_adopted)
    for a in source.activities.prefetch_related("responsible", "fulfilled_by"):
        copy = Activity.objects.create(
            version=target, level=levels[a.level_id], key=a.key, order=a.order, direction=a.direction,
            action=a.action, responsible_text=a.responsible_text, cadence_kind=a.cadence_kind,
            cadence_count=a.cadence_count, when_text=a.when_text, not_adopted=a.not_adopted)
        copy.responsible.set(a.responsible.all())
        Fulfilment.objects.bulk_create([Fulfilment(activity=copy, source=f.source, detail=f.detail)
                                        for f in a.fulfilled_by.all()])
    for r in source.recommendations.all():
        Recommendation.objects.create(version=target, number=r.number, text=r.text, how_met=r.how_met,
                                      not_adopted=r.not_adopted)
    for ref in source.references.all():
        Reference.objects.create(version=target, level=levels.get(ref.level_id), order=ref.order, kind=ref.kind,
                                 title=ref.title, statute=ref.statute, url=ref.url, note=ref.note,
                                 verified_on=ref.verified_on)


def _cadence_fields(kind: str, count: int | None) -> tuple[str, int | None]:
    cadence = Cadence(CadenceKind(kind), count if CadenceKind(kind) in COUNTED_KINDS else None)
    return cadence.kind.value, cadence.count


@transaction.atomic
def activity_save(*, actor: Any, version: PlanVersion, level: Level, key: str, direction: str, action: str,
                  responsible: list[Organisation], responsible_text: str, cadence_kind: str,
                  cadence_count: int | None, when_text: str, expected_lock: int | None,
                  fulfilled_by: list[tuple[str, str]] | None = None, activity: Activity | None = None) -> Activity:
    """Create (activity=None) or change an activity of a draft. `fulfilled_by` lists (source, detail) pairs
    (plans.fulfilment); None keeps an existing activity's."""
    municipality = _assert_may_edit_draft(actor, version)
    for source, detail in fulfilled_by or []:
        why = fulfilment.problem(source, detail)
        if why:
            raise PlanError(why)
    if level.version_id != version.pk or any(o.municipality_id != municipality.pk for o in responsible):
        raise PlanError(_("The level or a unit does not belong to this plan."))
    duplicate = version.activities.filter(key=key)
    if activity is not None:
        duplicate = duplicate.exclude(pk=activity.pk)
    if duplicate.exists():
        raise PlanError(_("Another activity already has the key “%(key)s”.") % {"key": key})
    _touch(version, expected_lock)
    kind, count = _cadence_fields(cadence_kind, cadence_count)
    created = activity is None
    if activity is None:
        order = (level.activities.aggregate(n=Max("order"))["n"] or 0) + 1
        activity = Activity(version=version, order=order)
    activity.level, activity.key, activity.direction, activity.action = level, key, direction, action
    activity.responsible_text, activity.cadence_kind, activity.cadence_count = responsible_text, kind, count
    activity.when_text = when_text
    activity.save()
    activity.responsible.set(responsible)
    if fulfilled_by is not None:
        activity.fulfilled_by.all().delete()
        Fulfilment.objects.bulk_create([Fulfilment(activity=activity, source=source, detail=detail)
                                        for source, detail in dict.fromkeys(fulfilled_by)])
    audit.record(actor=actor, action="plans.activity.created" if created else "plans.activity.changed",
                 municipality=municipality, obj=activity,
                 data={"version": version.number, "key": key,
                       "fulfilled_by": [f"{s}:{d}" for s, d in fulfilled_by] if fulfilled_by is not None else None})
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    version = activity.version
    municipality = _assert_may_edit_draft(actor, version)
    _touch(version, None)
    audit.record(actor=actor, action="plans.activity.deleted", municipality=municipality, obj=activity,
                 data={"version": version.number, "key": activity.key})
    activity.delete()


@transaction.atomic
def level_save(*, actor: Any, level: Level, name: str, introduction: str, expected_lock: int | None) -> Level:
    version = level.version
    municipality = _assert_may_edit_draft(actor, version)
    _touch(version, expected_lock)
    level.name, level.introduction = name, introduction
    level.save(update_fields=["name", "introduction"])
    audit.record(actor=actor, action="plans.level.changed", municipality=municipality, obj=level)
    return level


@transaction.atomic
def version_delete_draft(*, actor: Any, version: PlanVersion) -> None:
    municipality = _assert_may_edit_draft(actor, version)
    audit.record(actor=actor, action="plans.version.draft_deleted", municipality=municipality, obj=version)
    version.delete()


RETURN_COMMENT_MAX = 2000


@transaction.atomic
def version_send_for_approval(*, actor: Any, version: PlanVersion) -> PlanVersion:
    """The editor hands the draft to whoever records the plan's approval; it stays frozen until then."""
    municipality = _assert_may_edit_draft(actor, version)
    if not version.activities.exists():
        raise PlanError(_("A plan without activities cannot be approved."))
    # Only one of two clicks (or two editors) wins; the loser is told the draft was already sent.
    if PlanVersion.objects.filter(pk=version.pk, status=PlanVersion.Status.DRAFT, sent_at__isnull=True).update(
            sent_at=timezone.now(), sent_by=actor, updated_at=timezone.now()) != 1:
        raise PlanError(_("The draft has already been sent for approval."))
    version.refresh_from_db()
    audit.record(actor=actor, action="plans.version.sent_for_approval", municipality=municipality, obj=version,
                 data={"number": version.number, "approver": version.plan.approval_role})
    return version


def return_comment_check(comment: str) -> str:
    """The approver's comment, trimmed; refused when empty (the editor must learn what to change) or too long."""
    comment = comment.strip()
    if not comment:
        raise PlanError(_("Say what should change before the draft can be approved."))
    if len(comment) > RETURN_COMMENT_MAX:
        raise PlanError(_("The comment is too long: at most %(n)s characters.") % {"n": RETURN_COMMENT_MAX})
    return comment


@transaction.atomic
def version_return(*, actor: Any, version: PlanVersion, comment: str) -> PlanVersion:
    """The approver sends a draft back to the editor, saying what to change; it can be edited and sent again."""
    if not permissions.can_approve_plan(actor, version.plan):
        raise PlanPermissionError(_("Your role cannot approve versions of this plan."))
    _assert_draft(version)
    comment = return_comment_check(comment)
    now = timezone.now()
    if PlanVersion.objects.filter(pk=version.pk, status=PlanVersion.Status.DRAFT, sent_at__isnull=False).update(
            sent_at=None, sent_by=None, returned_at=now, returned_by=actor, return_comment=comment,
            updated_at=now) != 1:
        raise PlanError(_("The draft is not waiting for approval, so there is nothing to return."))
    version.refresh_from_db()
    # The comment is the approver's own words about the plan, kept on the version; the audit says who and when.
    audit.record(actor=actor, action="plans.version.returned", municipality=version.plan.municipality,
                 obj=version, data={"number": version.number, "comment_length": len(comment)})
    return version


@dataclass(frozen=True)
class Decision:
    """The decision that adopted a version: the body, its kind, the date, the paragraph and the registry number."""

    body_kind: str
    body: str
    date: dt.date
    paragraph: str = ""
    registry_number: str = ""


def _check_decision(decision: Decision) -> None:
    if decision.body_kind not in DecisionBody.values or not decision.body.strip():
        raise PlanError(_("Say which body decided: its kind and its name."))
    if decision.date > timezone.localdate():
        raise PlanError(_("The decision date is in the future; record a decision once it has been taken."))


def decision_check(decision: Decision) -> None:
    """The rule for a decision record, for other modules that record one (the analysis): raises PlanError."""
    _check_decision(decision)


@transaction.atomic
def version_approve(*, actor: Any, version: PlanVersion, decision: Decision,
                    valid_from: dt.date | None = None) -> PlanVersion:
    """Record the decision that adopted a draft (body, date, paragraph, registry number) and who entered it.
    The version is in force from `valid_from` (the decision date if empty); the previous one until then."""
    if not permissions.can_approve_plan(actor, version.plan):
        raise PlanPermissionError(_("Your role cannot approve versions of this plan."))
    return _approve_checked(version, actor=actor, decision=decision, valid_from=valid_from)


@transaction.atomic
def version_approve_as_operator(*, version: PlanVersion, decision: Decision,
                                valid_from: dt.date | None = None) -> PlanVersion:
    """The same, from the command line or the demo loader (no person logged in; audited without an actor)."""
    return _approve_checked(version, actor=SYSTEM, decision=decision, valid_from=valid_from)


def _approve_checked(version: PlanVersion, *, actor: Any, decision: Decision,
                     valid_from: dt.date | None) -> PlanVersion:
    _assert_draft(version)
    _check_decision(decision)
    if not version.activities.exists():
        raise PlanError(_("A plan without activities cannot be approved."))
    return _approve(version, actor=actor, decision=decision, valid_from=valid_from or decision.date)


def _approve(version: PlanVersion, *, actor: Any, decision: Decision, valid_from: dt.date) -> PlanVersion:
    # Lock the plan's versions so that two approvals can't both win.
    list(PlanVersion.objects.select_for_update().filter(plan=version.plan))
    previous = version.plan.versions.filter(status=PlanVersion.Status.APPROVED).exclude(pk=version.pk).first()
    version.status = PlanVersion.Status.APPROVED
    version.decision_body_kind, version.decision_body = decision.body_kind, decision.body.strip()
    version.decision_date, version.decision_paragraph = decision.date, decision.paragraph.strip()
    version.registry_number = decision.registry_number.strip()
    version.valid_from = valid_from
    # Who entered it and when: provenance, shown apart from the decision.
    version.approved_at = timezone.now()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    version.approved_by = actor if authenticated else None
    if previous is not None:
        # The previous version stays in force until the new one starts (plans.validity): never before the
        # new one was adopted, so approving a revision leaves every past day as it was.
        previous.status = PlanVersion.Status.SUPERSEDED
        start = version.validity().start
        if start and (previous.valid_to is None or previous.valid_to >= start):
            previous.valid_to = start - dt.timedelta(days=1)
        previous.save(update_fields=["status", "valid_to", "updated_at"])
    version.save()
    # Implementation starts its round here (plans import no other app): in this transaction, so a failed
    # approval starts nothing.
    for hook in hooks("plan_version_approved"):
        hook(version)
    audit.record(actor=actor, action="plans.version.approved", municipality=version.plan.municipality,
                 obj=version, data={"number": version.number, "decision": version.decision_text,
                                    "valid_from": valid_from.isoformat(),
                                    "superseded": previous.number if previous else None})
    return version


# --- yearly revision -----------------------------------------------------------------------------

@transaction.atomic
def plan_review_interval_set(*, actor: Any, plan: Plan, months: int | None) -> Plan:
    """How often the plan is to be revised (months), or None for no set interval."""
    if not permissions.can_edit_plan(actor, plan.municipality):
        raise PlanPermissionError(_("Only the coordinator can edit the plan."))
    if months is not None and not 1 <= months <= 120:
        raise PlanError(_("The interval is between 1 and 120 months."))
    before = plan.review_interval_months
    plan.review_interval_months = months
    plan.save(update_fields=["review_interval_months"])
    audit.record(actor=actor, action="plans.plan.review_interval_changed", municipality=plan.municipality,
                 obj=plan, data={"before": before, "after": months})
    return plan


def revision_reminders_send(*, municipality: Municipality, today: dt.date | None = None) -> int:
    """E-mail the coordinators about each plan whose revision is due soon or overdue, once per plan and due date.

    Returns how many e-mails were sent.
    """
    sent = 0
    for revision in selectors.revisions_due(municipality, today):
        if revision.draft is not None:
            continue  # the revision is under way
        marker = {"plan": revision.plan.slug, "due_on": revision.due_on.isoformat()}
        if AuditEvent.objects.filter(municipality=municipality, action="plans.revision.reminder_sent",
                                     data__plan=marker["plan"], data__due_on=marker["due_on"]).exists():
            continue
        recipients = sorted({m.user.email for m in Membership.objects.filter(
            municipality=municipality, role=Role.COORDINATOR, user__is_active=True).select_related("user")})
        if not recipients:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Time to revise “%(title)s”: due %(day)s") % {
                "title": revision.plan.title, "day": revision.due_on.isoformat()}
            body = render_to_string("plans/revision_email.txt", {
                "revision": revision, "municipality": municipality,
                "url": settings.VARNA_PUBLIC_URL + reverse(
                    "plans:version_list", kwargs={"municipality": municipality.slug, "plan": revision.plan.slug})})
        with transaction.atomic():
            audit.record(actor=None, action="plans.revision.reminder_sent", municipality=municipality,
                         obj=revision.plan, data={**marker, "recipients": len(recipients)})
            transaction.on_commit(functools.partial(send_mail, subject, body, None, recipients))
        sent += len(recipients)
    return sent
