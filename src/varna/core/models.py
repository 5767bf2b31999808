"""Tenants, organisations, people, roles and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.fields import EncryptedTextField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Login is by e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    # The organisation a partner (police, region psychiatry) comes from; blank for the municipality's own staff.
    # Shown next to their name wherever it appears (``__str__``, the audit log), so that nobody mistakes a
    # partner for a colleague of the municipality.
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    # Set on each request's user by django_otp's OTPMiddleware: has this session passed a second factor?
    is_verified: Callable[[], bool]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        name = self.full_name or self.email
        return f"{name} ({self.organisation_name})" if self.organisation_name else name

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


municipality_code_validator = RegexValidator(
    r"^\d{4}$", _("A municipality code is four digits, for example 0163.")
)


class Municipality(models.Model):
    """A tenant. Every tenant-owned row points at one."""

    class ApprovalRole(models.TextChoices):
        STEERING_GROUP = "steering_group", _("Steering group")
        COORDINATOR = "coordinator", _("Coordinator")

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("municipality code"), max_length=4, unique=True,
                            validators=[municipality_code_validator])
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    plan_approval_role = models.CharField(
        _("who approves plan versions"), max_length=20, choices=ApprovalRole.choices,
        default=ApprovalRole.STEERING_GROUP,
    )
    staff_may_report_observations = models.BooleanField(_("staff may report observations"), default=False)
    national_opt_in = models.BooleanField(_("shares suppressed figures with the national view"), default=False)
    # Set for a municipality created through onboarding until its administrator publishes the guide (the
    # setup checklist decides when that may happen); meanwhile the public guide shows only national contacts.
    in_setup = models.BooleanField(_("being set up"), default=False)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def county_code(self) -> str:
        """The first two digits of a Swedish municipality code name its county."""
        return self.code[:2]


class TenantQuerySet(models.QuerySet):
    def for_municipality(self, municipality: Municipality) -> TenantQuerySet:
        return self.filter(municipality=municipality)


class Organisation(models.Model):
    """A unit within a municipality, or a partner such as the police, that takes part in the plan."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School and preschool")
        SOCIAL_SERVICES = "social_services", _("Social services")
        LEISURE = "leisure", _("Culture and leisure")
        EDUCATION_LABOUR = "education_labour", _("Adult education and labour market")
        SECURITY = "security", _("Security unit")
        POLICE = "police", _("Police")
        RESCUE = "rescue", _("Rescue services")
        HEALTH = "health", _("Health care")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="organisations")
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("part of"))
    # What training and implementation coverage divide by: the people who work in the unit.
    headcount = models.PositiveIntegerField(_("number of staff"), null=True, blank=True,
                                            validators=[MaxValueValidator(100_000)])

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="organisation_key_unique_per_municipality"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is not None and self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("A unit can only be part of a unit in the same municipality.")})


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    STEERING_GROUP = "steering_group", _("Steering group")
    WORKING_GROUP = "working_group", _("Working group")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class Membership(models.Model):
    """A role that a user holds in one municipality (national analysts hold theirs in none)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="memberships", verbose_name=_("unit"))
    # The person's name as this municipality recorded it when granting the role. The people page shows this,
    # never the account's own name, which another municipality may have written (nothing about accounts of
    # other municipalities is revealed by granting a role to an e-mail address).
    name = models.CharField(_("name"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            # Three partial constraints instead of one with NULLS NOT DISTINCT, which SQLite lacks.
            models.UniqueConstraint(fields=["user", "municipality", "role", "organisation"],
                                    condition=models.Q(organisation__isnull=False), name="membership_unique_unit"),
            models.UniqueConstraint(fields=["user", "municipality", "role"],
                                    condition=models.Q(organisation__isnull=True, municipality__isnull=False),
                                    name="membership_unique_no_unit"),
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(municipality__isnull=True),
                                    name="membership_unique_national"),
            models.CheckConstraint(
                condition=(models.Q(role="national_analyst", municipality__isnull=True)
                           | (~models.Q(role="national_analyst") & models.Q(municipality__isnull=False))),
                name="membership_national_analyst_has_no_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.municipality or '—'})"

    def clean(self) -> None:
        if self.organisation is not None and self.organisation.municipality_id != self.municipality_id:
            raise ValidationError({"organisation": _("The unit must belong to the same municipality.")})


class RoleRequest(models.Model):
    """A role that needs a second administrator before it applies (one that sees cases, or grants roles).

    Separation of duties (ASVS V4.3.3): the administrator who asks can't approve, nobody approves a role for
    themselves, and the municipality's coordinators are told of the request and of the grant."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="role_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_requests")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user", "role"], condition=models.Q(status="pending"),
                                    name="role_request_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.get_status_display()})"


class Group(models.Model):
    """A working group, steering group or expert group of a municipality."""

    class Kind(models.TextChoices):
        WORKING = "working", _("Working group")
        STEERING = "steering", _("Steering group")
        EXPERT = "expert", _("Expert group")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="groups")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     verbose_name=_("representing"))

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} i {self.group}"


class Invitation(models.Model):
    """An e-mailed link that lets one person into a municipality: with a role, into a group, or both.

    Only a keyed hash of the link's token is stored; the link works once and until ``expires_at``. Nobody is
    ever sent a password: the invitee chooses one (or logs in with the account they have). Other apps grant
    more on acceptance (a partner into one case, say) by reading ``grants`` in a receiver of
    ``varna.core.services.invitation_accepted``."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("unit"))
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations",
                              verbose_name=_("group"))
    grants = models.JSONField(default=dict, blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(role="") | models.Q(group__isnull=False)
                                   | ~models.Q(grants={}), name="invitation_grants_something"),
            models.CheckConstraint(condition=~models.Q(role="national_analyst"), name="invitation_not_national"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.municipality})"

    def is_usable_at(self, moment: object) -> bool:
        return self.accepted_at is None and self.revoked_at is None and moment < self.expires_at  # type: ignore[operator]

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "withdrawn"
        return "open" if timezone.now() < self.expires_at else "expired"


class UserSession(models.Model):
    """One logged-in session of a user, so that they can see their sessions and end the others.

    The session data itself stays in the session store; this row only names it. Rows are written at
    login and removed at logout or when the user ends the session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class AuditEventQuerySet(models.QuerySet):
    """Audit entries are append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs: object) -> int:
        raise AuditImmutableError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("Audit events cannot be deleted.")


class AuditImmutableError(Exception):
    pass


class AuditEvent(models.Model):
    """Who did what, when, to which object and why. Written by services, never changed."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    # Kept beside the key so that the entry stays readable if the account is renamed.
    actor_label = models.CharField(max_length=254, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Why, in the words of the person (a case reveal, an export): encrypted at rest like the case's own text,
    # since a purpose can say who a case is about. At most 500 characters (audit.record cuts it).
    purpose = EncryptedTextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "created_at"]),
                   models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AuditImmutableError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("Audit events cannot be deleted.")

    @property
    def action_label(self) -> str:
        """The action in words, in the reader's language (core/audit_labels.py)."""
        from varna.core.audit_labels import label

        return label(self.action)


def field_label(model: type[models.Model], name: str) -> str:
    """The verbose name of one of ``model``'s own fields, for messages that name the field."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not a field")
    return str(field.verbose_name)


def column_name(model: type[models.Model], name: str) -> str:
    """The database column of one of ``model``'s own fields, for SQL written out from the models."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} has no column")
    return field.column
