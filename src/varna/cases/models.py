"""Case coordination for the expert group: one pseudonymous case per individual of concern.

No name or identity number is ever stored on a case. The optional ``Identity`` lives in its own table
with every field encrypted; notes and free-text reasons are encrypted too (``fields.EncryptedTextField``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.cases.fields import EncryptedTextField
from varna.core.models import AuditEvent, Municipality, Organisation, TenantQuerySet
from varna.core.vocabulary import ADULT_AGE_BANDS, MINOR_AGE_BANDS, AgeBand, Gender

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: codes are read aloud in meetings and copied by hand.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_PREFIX = "VX-"
CODE_LENGTH = 4


def new_case_code() -> str:
    """A random, non-sequential code such as ``VX-7K3Q``: it says nothing about order, date or person."""
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ConcernLevel(models.TextChoices):
    # The guidance engine's levels (guidance.engine.LEVELS), in rising order.
    NONE = "none", _("No concern")
    EARLY = "early", _("Early concern")
    HEIGHTENED = "heightened", _("Heightened concern")
    CLEAR = "clear", _("Clear concern")
    ACUTE = "acute", _("Acute")


class Case(models.Model):
    """One individual of concern, known to the system only by a random code."""

    class Status(models.TextChoices):
        OPENED = "opened", _("Opened")
        ASSESSING = "assessing", _("Assessing")
        SUPPORT = "support", _("Support in progress")
        MONITORING = "monitoring", _("Monitoring")
        CLOSED = "closed", _("Closed")

    # Which status may follow which. A closed case can be reopened into assessment.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        "opened": ("assessing", "closed"),
        "assessing": ("support", "monitoring", "closed"),
        "support": ("monitoring", "assessing", "closed"),
        "monitoring": ("support", "assessing", "closed"),
        "closed": ("assessing",),
    }

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="cases")
    code = models.CharField(_("case code"), max_length=12, unique=True, default=new_case_code, editable=False)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.OTHER)
    # Keys into the knowledge base (knowledge.Milieu.key, knowledge.PathIn.key), optional.
    milieu_key = models.SlugField(_("milieu"), max_length=60, blank=True)
    path_key = models.SlugField(_("path in"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPENED)
    computed_concern = models.CharField(_("concern level from signs"), max_length=12,
                                        choices=ConcernLevel.choices, default=ConcernLevel.NONE)
    concern_override = models.CharField(_("concern level set by the coordinator"), max_length=12,
                                        choices=ConcernLevel.choices, blank=True)
    concern_override_reason = EncryptedTextField(_("reason for the coordinator's level"), blank=True)
    concern_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Bumped by every write to the case row; a save that expected an older number is a conflict.
    lock_version = models.PositiveIntegerField(default=1)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = EncryptedTextField(_("reason for the legal hold"), blank=True)
    purge_after = models.DateField(_("to be purged after"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.code

    @property
    def concern_level(self) -> str:
        """The level in force: the coordinator's override if any, else the one computed from the signs."""
        return self.concern_override or self.computed_concern

    def get_concern_level_display(self) -> str:
        return str(ConcernLevel(self.concern_level).label)

    @property
    def is_minor(self) -> bool:
        return self.age_band in MINOR_AGE_BANDS

    @property
    def engine_age_band(self) -> str:
        """The guidance engine's coarser bands: under_18, adult, unknown."""
        if self.age_band in MINOR_AGE_BANDS:
            return "under_18"
        if self.age_band in ADULT_AGE_BANDS:
            return "adult"
        return "unknown"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def allowed_statuses(self) -> list[tuple[str, str]]:
        return [(value, str(self.Status(value).label)) for value in self.TRANSITIONS[self.status]]


class StatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Case.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class CaseSign(models.Model):
    """A warning sign from the knowledge base, observed on a date and reported by an organisation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signs")
    sign_key = models.SlugField(_("sign"), max_length=60)
    observed_on = models.DateField(_("observed on"))
    source = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("reported by"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_on", "-id"]

    def __str__(self) -> str:
        return self.sign_key


class Participant(models.Model):
    """A member of the expert group who takes part in one case, and so may see it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_participations")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_participant_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.case_id})"


class Note(models.Model):
    """An entry in the case's timeline. The text is encrypted at rest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.author}"


class Identity(models.Model):
    """Who the case is about. Separate from the case, every field encrypted, shown only after a stated
    purpose and a fresh one-time code."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    name = EncryptedTextField(_("name"), blank=True)
    identity_number = EncryptedTextField(_("personal identity number"), blank=True)
    contact = EncryptedTextField(_("contact details"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "identity"  # never the name: this string may end up in logs


class LegalBasis(models.Model):
    """A statute that allows sharing information (or consent). Data, because statutes change."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="legal_bases")
    key = models.SlugField(_("key"), max_length=60)
    statute = models.CharField(_("statute"), max_length=200)
    section = models.CharField(_("section"), max_length=100, blank=True)
    explanation = models.TextField(_("explanation"))
    is_consent = models.BooleanField(_("this is consent"), default=False)
    reporting_duty = models.BooleanField(_("comes with a duty to report"), default=False)
    last_verified = models.DateField(_("last verified"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["statute", "section"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="legal_basis_key_unique")]

    def __str__(self) -> str:
        return f"{self.statute} {self.section}".strip()


class Referral(models.Model):
    """Routing the person or their family to support, with the basis for sharing and the answer."""

    class Kind(models.TextChoices):
        SOCIAL_SERVICES = "social_services", _("Social services intake (report of concern)")
        CHILD_PSYCHIATRY = "child_psychiatry", _("Child and adolescent psychiatry")
        ADULT_PSYCHIATRY = "adult_psychiatry", _("Adult psychiatry")
        LEAVER_SUPPORT = "leaver_support", _("Support to leave")
        RELATIVES_SUPPORT = "relatives_support", _("Support for relatives")
        POLICE = "police", _("Police")
        SCHOOL_HEALTH = "school_health", _("School health services")

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Consenter(models.TextChoices):
        PERSON = "person", _("The person themself")
        GUARDIAN = "guardian", _("Guardian")
        BOTH = "both", _("The person and their guardian")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("to"), max_length=20, choices=Kind.choices)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="referrals",
                                    verbose_name=_("legal basis"))
    consent_given_by = models.CharField(_("who consented"), max_length=10, choices=Consenter.choices, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_scope = EncryptedTextField(_("what the consent covers"), blank=True)
    sent_on = models.DateField(_("sent on"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answer_reason = EncryptedTextField(_("reason"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on}"

    def clean(self) -> None:
        if self.legal_basis_id and self.legal_basis.is_consent and not (
                self.consent_given_by and self.consent_given_on and self.consent_scope):
            raise ValidationError(_("Consent needs who consented, when, and to what."))
        if self.answer == self.Answer.DECLINED and not self.answer_reason:
            raise ValidationError({"answer_reason": _("Say why the referral was declined.")})

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return (self.answer == self.Answer.PENDING
                and (today - self.sent_on).days > settings.VARNA_REFERRAL_REMINDER_DAYS)  # type: ignore[operator]


class AccessReview(models.Model):
    """A round of log review: a random sample of users and their case accesses, each judged by a reviewer."""

    class Reason(models.TextChoices):
        MONTHLY = "monthly", _("Regular monthly review")
        SUSPECTED_MISUSE = "suspected_misuse", _("Suspected misuse")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="access_reviews")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.MONTHLY)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    sample_percent = models.PositiveSmallIntegerField(_("sample of users (%)"), default=10)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        permissions = [("review_access_log", "May read and review the case access log")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.period_start}–{self.period_end}"


class AccessReviewItem(models.Model):
    class Verdict(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        JUSTIFIED = "justified", _("Justified")
        NOT_JUSTIFIED = "not_justified", _("Not justified")

    review = models.ForeignKey(AccessReview, on_delete=models.CASCADE, related_name="items")
    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=15, choices=Verdict.choices, default=Verdict.PENDING)
    comment = models.TextField(_("comment"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event__actor_label", "event__created_at"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.verdict}"
