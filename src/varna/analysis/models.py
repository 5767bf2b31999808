"""The analysis of the situation picture: problem statements with their evidence, the measures that answer
them, indicators followed per term, and the other sources of the picture (external aggregate figures and the
units' recurring reports).

Links to other modules are by stable keys where the other side is versioned: a plan activity is named by its
plan and its key (which survives a new version), so that a revision keeps the thread (ADR 0020).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, Organisation, TenantQuerySet

TEXT_MAX = 2000


class Certainty(models.TextChoices):
    LOW = "low", _("Low: a few signals")
    MEDIUM = "medium", _("Medium: several sources agree")
    HIGH = "high", _("High: well documented over time")


class Analysis(models.Model):
    """The working group's analysis of the situation picture for a period (a run of whole terms)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="analyses")
    title = models.CharField(_("title"), max_length=200)
    period_from = models.CharField(_("first term"), max_length=12)
    period_to = models.CharField(_("last term"), max_length=12)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The decision record, as for a plan version (ADR 0017): the body that decided, not the click.
    decision_body_kind = models.CharField(_("kind of deciding body"), max_length=20, blank=True)
    decision_body = models.CharField(_("deciding body"), max_length=200, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_paragraph = models.CharField(_("paragraph"), max_length=30, blank=True)
    registry_number = models.CharField(_("registry number (diarienummer)"), max_length=60, blank=True)
    # Approved together with a plan version: which plan (its decision record was copied from that version).
    approved_with_plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("approved with the plan"))
    approved_with_version = models.PositiveIntegerField(null=True, blank=True)
    approved_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        ordering = ["-period_to", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def decision_text(self) -> str:
        head = " ".join(p for p in (self.decision_body, self.decision_date.isoformat() if self.decision_date else "",
                                    self.decision_paragraph) if p)
        registry = f"Dnr {self.registry_number}" if self.registry_number else ""
        return ", ".join(p for p in (head, registry) if p)


class ProblemStatement(models.Model):
    """One problem the analysis found: what, where, who is affected, since when, and how sure."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="problems")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("problem in one line"), max_length=200)
    what = models.TextField(_("what"), max_length=TEXT_MAX)
    where = models.CharField(_("where"), max_length=300, blank=True)
    who = models.CharField(_("who is affected"), max_length=300, blank=True)
    since = models.CharField(_("since when"), max_length=12, blank=True)  # a term key
    certainty = models.CharField(_("how sure"), max_length=10, choices=Certainty.choices, default=Certainty.MEDIUM)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("problem statement")
        verbose_name_plural = _("problem statements")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def municipality(self) -> Municipality:
        return self.analysis.municipality


class ExternalSource(models.Model):
    """Where external figures come from: an imported file (the police's statistics, a school survey's
    published tables, safety-walk findings) or figures entered by hand. Aggregates only, never persons."""

    class Kind(models.TextChoices):
        CRIME_STATISTICS = "crime_statistics", _("Reported crime statistics")
        SCHOOL_SURVEY = "school_survey", _("School or youth survey")
        SAFETY_WALK = "safety_walk", _("Safety walk")
        OTHER = "other", _("Other source")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="external_sources")
    kind = models.CharField(_("kind of source"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    publisher = models.CharField(_("published by"), max_length=200)
    url = models.URLField(_("address"), blank=True)
    published_on = models.DateField(_("published or retrieved on"))
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("external source")
        verbose_name_plural = _("external sources")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"


class ExternalFigure(models.Model):
    """One aggregate figure of an external source: a measure for a period and an area, with its unit."""

    source = models.ForeignKey(ExternalSource, on_delete=models.CASCADE, related_name="figures")
    series = models.CharField(_("measure"), max_length=200)
    area = models.CharField(_("area"), max_length=120, blank=True)
    period = models.CharField(_("period"), max_length=20)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40)

    class Meta:
        verbose_name = _("external figure")
        verbose_name_plural = _("external figures")
        ordering = ["series", "area", "period", "id"]

    def __str__(self) -> str:
        return f"{self.series} {self.area} {self.period}: {self.value} {self.unit}"


class Evidence(models.Model):
    """What in Värna a problem statement rests on. Observations are cited as one published table of one
    whole term (the catalogue's, ADR 0016), never as a free query."""

    class Kind(models.TextChoices):
        OBSERVATIONS = "observations", _("Observations (a published table of one term)")
        SURVEY = "survey", _("Survey result")
        MONITORING = "monitoring", _("Media monitoring item")
        FIGURE = "figure", _("External figure")

    problem = models.ForeignKey(ProblemStatement, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    breakdown = models.CharField(_("table"), max_length=20, blank=True)
    term = models.CharField(_("term"), max_length=12, blank=True)
    survey_id = models.PositiveIntegerField(null=True, blank=True)
    question = models.CharField(_("question"), max_length=60, blank=True)
    monitoring_item_id = models.PositiveIntegerField(null=True, blank=True)
    figure = models.ForeignKey(ExternalFigure, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("what it shows"), max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.note}"


class ProblemActivity(models.Model):
    """A plan activity (named by plan and key, stable across versions) addresses a problem statement."""

    problem = models.ForeignKey(ProblemStatement, on_delete=models.CASCADE, related_name="activities")
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    activity_key = models.SlugField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["problem", "plan", "activity_key"],
                                               name="problem_activity_unique")]

    def __str__(self) -> str:
        return f"{self.problem} ← {self.plan_id}:{self.activity_key}"


class Indicator(models.Model):
    """Something followed per term to tell whether a problem shrank or an activity was carried out."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("Observations of a category per term")
        DISTRICT = "district", _("People involved in a district per term")
        MILIEU = "milieu", _("People involved in a milieu per term")
        SURVEY_SHARE = "survey_share", _("Share of survey answers with a given answer")
        COMPLETION = "completion", _("Activity completion per term")
        EXTERNAL = "external", _("External series (entered or imported, with its source)")

    class Direction(models.TextChoices):
        DOWN = "down", _("Lower is better")
        UP = "up", _("Higher is better")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="indicators")
    problem = models.ForeignKey(ProblemStatement, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="indicators")
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    activity_key = models.SlugField(max_length=80, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What the kind needs: a category, district or milieu key; a survey question and answer; an external series.
    key = models.CharField(_("which"), max_length=80, blank=True)
    question = models.CharField(_("question"), max_length=60, blank=True)
    answer = models.CharField(_("answer"), max_length=60, blank=True)
    series = models.CharField(_("external series"), max_length=200, blank=True)
    direction = models.CharField(_("better when"), max_length=4, choices=Direction.choices, default=Direction.DOWN)
    baseline_term = models.CharField(_("baseline term"), max_length=12)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_term = models.CharField(_("target term"), max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReportingDuty(models.Model):
    """A unit that reports its observations on a rhythm (EST-style recurring reporting)."""

    class Rhythm(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("unit"))
    rhythm = models.CharField(_("rhythm"), max_length=10, choices=Rhythm.choices)
    starts_on = models.DateField(_("from"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "organisation"],
                                               name="reporting_duty_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.rhythm})"


class NilReport(models.Model):
    """A unit's report that it saw nothing to report in one period: it has reported, with no observation."""

    duty = models.ForeignKey(ReportingDuty, on_delete=models.CASCADE, related_name="nil_reports")
    period_start = models.DateField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["duty", "period_start"], name="nil_report_unique")]

    def __str__(self) -> str:
        return f"{self.duty} {self.period_start}"
