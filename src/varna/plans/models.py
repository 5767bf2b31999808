"""The action plan as data: plan → versions → sections, levels → activities, recommendations, references."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, Organisation, TenantQuerySet
from varna.plans.cadence import COUNTED_KINDS, Cadence, CadenceKind
from varna.plans.validity import Span, Validity, spans


class Plan(models.Model):
    """One action plan of a municipality. A municipality may run several (one per committee, say)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="plans")
    slug = models.SlugField(_("address name"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    scope = models.CharField(_("scope"), max_length=200, blank=True,
                             help_text=_("For example the whole municipality, or one committee."))
    # Who approves the plan's versions: a committee's plan may be approved by its steering group while the
    # municipality-wide one is the coordinator's to record. A new plan starts from the municipality's default.
    approval_role = models.CharField(_("who approves its versions"), max_length=20,
                                     choices=Municipality.ApprovalRole.choices,
                                     default=Municipality.ApprovalRole.STEERING_GROUP)
    review_interval_months = models.PositiveSmallIntegerField(
        _("revise every (months)"), null=True, blank=True,
        help_text=_("How often the plan is to be revised, e.g. 12 for a yearly revision. Empty: no set interval."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"], name="plan_slug_unique")]

    def __str__(self) -> str:
        return self.title


_NOT_ADOPTED_HELP = _("The text is not from the adopted document (added later, or for a demo) and is shown marked "
                      "as such.")
_HOW_MET_NOT_ADOPTED_HELP = _("“How the plan meets it” is not from the adopted document and is shown marked as such.")


class DecisionBody(models.TextChoices):
    COUNCIL = "council", _("Municipal council")
    EXECUTIVE_BOARD = "executive_board", _("Municipal executive board")
    COMMITTEE = "committee", _("Committee")
    STEERING_GROUP = "steering_group", _("Steering group")
    OTHER = "other", _("Other body")


class PlanVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    # Set by services.version_import (not stored): the unit keys of the file that matched no unit.
    unit_names_kept: list[str]
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    level_set = models.CharField(_("level set"), max_length=60, blank=True,
                                 help_text=_("The structure the levels were taken from, or empty for the plan's own."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # The decision record: who decided, when, under which paragraph and registry number. It is what the
    # plan's pages, the PDF, the API and the national plan age show, never the click that entered it.
    decision_body_kind = models.CharField(_("kind of deciding body"), max_length=20, choices=DecisionBody.choices,
                                          blank=True)
    decision_body = models.CharField(_("deciding body"), max_length=200, blank=True,
                                     help_text=_("As the body is called, e.g. Kommunfullmäktige or Socialnämnden."))
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_paragraph = models.CharField(_("paragraph"), max_length=30, blank=True,
                                          help_text=_("The paragraph of the minutes, e.g. § 41."))
    registry_number = models.CharField(_("registry number (diarienummer)"), max_length=60, blank=True)
    decision_reference = models.CharField(_("decision reference as written"), max_length=200, blank=True,
                                          help_text=_("Free text, for a decision recorded before the fields above."))
    # Who entered the approval in Värna, and when: the record's provenance, not the decision.
    approved_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    # A draft's way to its approver: sent (by whom, when) and, if the approver sent it back, why. A sent draft
    # is frozen, so that what is approved is what was sent; a returned one is the editor's again.
    sent_at = models.DateTimeField(_("sent for approval at"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("sent for approval by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("returned by"))
    return_comment = models.TextField(_("comment on return"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every change so that two editors can't silently overwrite each other.
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.UniqueConstraint(fields=["plan"], condition=models.Q(status="approved"),
                                    name="plan_one_approved_version"),
            models.UniqueConstraint(fields=["plan"], condition=models.Q(status="draft"),
                                    name="plan_one_draft_version"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number} ({self.get_status_display()})"

    @property
    def municipality(self) -> Municipality:
        return self.plan.municipality

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def awaiting_approval(self) -> bool:
        """A draft sent for approval and not yet approved or returned."""
        return self.status == self.Status.DRAFT and self.sent_at is not None

    @property
    def was_returned(self) -> bool:
        """A draft its approver sent back to the editor, not sent again since."""
        return self.status == self.Status.DRAFT and self.sent_at is None and self.returned_at is not None

    @property
    def adopted_on(self) -> dt.date | None:
        """The day the version was adopted (the decision's date, else the day it was recorded): nothing is in force
        before it (see `plans.validity`)."""
        if self.status == self.Status.DRAFT:
            return None
        if self.decision_date is not None:
            return self.decision_date
        if self.approved_at is None:
            return None
        return timezone.localtime(self.approved_at, ZoneInfo(settings.TIME_ZONE)).date()

    @property
    def decision_text(self) -> str:
        """The decision as one line: “Kommunfullmäktige 2016-04-07 § 41, Dnr 2016/0131 KS-3”."""
        head = " ".join(p for p in (self.decision_body, self.decision_date.isoformat() if self.decision_date else "",
                                    self.decision_paragraph) if p)
        registry = f"Dnr {self.registry_number}" if self.registry_number else ""
        text = ", ".join(p for p in (head, registry) if p)
        return text or self.decision_reference

    def validity(self) -> Validity:
        """What `plans.validity` needs of this version. A draft is never in force."""
        if self.status == self.Status.DRAFT:
            return Validity(self.number, None)
        return Validity(self.number, self.valid_from, self.valid_to, self.adopted_on)

    @cached_property
    def span(self) -> Span | None:
        """When this version is in force, given the plan's other versions; None if never."""
        if self.status == self.Status.DRAFT:
            return None
        siblings = [v.validity() for v in self.plan.versions.exclude(status=self.Status.DRAFT)]
        return next((s for s in spans(siblings) if s.number == self.number), None)

    @property
    def standing(self) -> str:
        """Today: "draft", "in_force", "upcoming" (adopted, in force from a later day), "ended" or "never"."""
        if self.status == self.Status.DRAFT:
            return "draft"
        span, today = self.span, timezone.localdate()
        if span is None:
            return "never"
        if span.start > today:
            return "upcoming"
        return "in_force" if span.contains(today) else "ended"


class VersionChildQuerySet(models.QuerySet):
    def for_municipality(self, municipality: Municipality) -> VersionChildQuerySet:
        return self.filter(version__plan__municipality=municipality)


class Section(models.Model):
    """Running text of the plan: background, definition, purpose, goals, ..."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveIntegerField(default=0)
    not_adopted = models.BooleanField(_("not from the adopted document"), default=False,
                                      help_text=_NOT_ADOPTED_HELP)

    objects = VersionChildQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="section_key_unique")]

    def __str__(self) -> str:
        return self.title


class Level(models.Model):
    """A level (or area) of the plan. Levels are the plan's own data, not a fixed list."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="levels")
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(default=0)
    introduction = models.TextField(_("introduction"), blank=True)
    not_adopted = models.BooleanField(_("not from the adopted document"), default=False,
                                      help_text=_NOT_ADOPTED_HELP)

    objects = VersionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="level_key_unique")]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """One row of a level's table: direction, what is done, who is responsible, when."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="activities")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="activities")
    key = models.SlugField(_("key"), max_length=80,
                          help_text=_("Stays the same across versions, so that versions can be compared."))
    order = models.PositiveIntegerField(default=0)
    direction = models.CharField(_("direction of work"), max_length=300)
    action = models.TextField(_("what is done"))
    responsible = models.ManyToManyField(Organisation, blank=True, related_name="plan_activities",
                                         verbose_name=_("responsible units"))
    responsible_text = models.TextField(_("who is responsible"), blank=True)
    cadence_kind = models.CharField(_("how often"), max_length=20,
                                    choices=[(k.value, k.value) for k in CadenceKind])
    cadence_count = models.PositiveSmallIntegerField(_("number of times"), null=True, blank=True)
    when_text = models.CharField(_("when, in the plan's words"), max_length=300, blank=True)
    not_adopted = models.BooleanField(_("not from the adopted document"), default=False,
                                      help_text=_NOT_ADOPTED_HELP)

    objects = VersionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["level__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="activity_key_unique")]

    def __str__(self) -> str:
        return self.direction

    @property
    def cadence(self) -> Cadence:
        kind = CadenceKind(self.cadence_kind)
        return Cadence(kind, self.cadence_count if kind in COUNTED_KINDS else None)


class Fulfilment(models.Model):
    """Something recorded elsewhere in Värna that counts as an occurrence of an activity: plan data.

    `source` names the module (a held meeting, a registered training, the implementation round) and `detail`
    what of it (the group that met, the training's topic, the managers' confirmations). The modules offer the
    pairs they write (see plans.fulfilment) and find their activities through these rows (ADR 0012).
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="fulfilled_by")
    source = models.SlugField(_("fulfilled by"), max_length=30)
    detail = models.SlugField(_("which"), max_length=40)

    class Meta:
        verbose_name = _("what fulfils an activity")
        verbose_name_plural = _("what fulfils activities")
        ordering = ["source", "detail"]
        constraints = [models.UniqueConstraint(fields=["activity", "source", "detail"], name="fulfilment_unique")]

    def __str__(self) -> str:
        return f"{self.source}: {self.detail}"


class Recommendation(models.Model):
    """One of the national coordinator's twelve recommendations, and how the plan meets it."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    how_met = models.TextField(_("how the plan meets it"), blank=True)
    not_adopted = models.BooleanField(_("not from the adopted document"), default=False,
                                      help_text=_HOW_MET_NOT_ADOPTED_HELP)

    objects = VersionChildQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="recommendation_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Reference(models.Model):
    """A law, policy or further reading the plan points to. Statutes change: keep the date checked."""

    class Kind(models.TextChoices):
        LAW = "law", _("Law")
        POLICY = "policy", _("Policy document")
        READING = "reading", _("Further reading")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="references")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, null=True, blank=True, related_name="references")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    statute = models.CharField(_("statute number"), max_length=60, blank=True, help_text=_("For example SFS 2025:400."))
    url = models.URLField(_("address"), blank=True)
    note = models.TextField(_("note"), blank=True)
    verified_on = models.DateField(_("last checked"), null=True, blank=True)

    objects = VersionChildQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title
