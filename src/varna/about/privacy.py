"""Which personal data Värna keeps, whose, why, on what legal basis and for how long: the privacy page's source.

Each entry names the model and the fields that hold the data, so the page is generated from the data model
itself: ``tests/about/test_privacy.py`` fails when a model gains a field that holds personal data (a link to a
user, an e-mail or IP address, an encrypted text, a name or label of a person) that no entry here declares,
or when an entry names a field that no longer exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Purpose:
    """Why some personal data is kept, and under which rules (one row group on the privacy page)."""

    key: str
    title: Promise
    whose: Promise
    why: Promise
    basis: Promise
    kept: Promise | None  # None: worked out at request time (see retention_text)


@dataclass(frozen=True)
class PersonalData:
    purpose: str
    model: str  # app_label.Model
    fields: tuple[str, ...]
    what: Promise


PUBLIC_TASK = _("Public task (GDPR art. 6.1 e): the municipality's work against violent extremism.")

PURPOSES: tuple[Purpose, ...] = (
    Purpose("account", _("Your account and roles"), _("Staff and partners who log in"),
            _("To let you log in, give you the access your role needs and show your name on what you do."),
            PUBLIC_TASK, _("As long as you have a role; the municipality's administrator removes the account.")),
    Purpose("security", _("Security and the audit log"), _("Everyone who logs in"),
            _("To protect the service: sessions, failed logins and a log of who read or changed what, when, from "
              "which address, and why."),
            _("Legal obligation to keep personal data secure (GDPR art. 32) and public task."),
            _("Sessions end when you log out or after a while; the audit log cannot be changed and is kept under "
              "the municipality's archive rules.")),
    Purpose("work", _("Who did what in the plan's work"), _("Staff and partners"),
            _("To follow up the action plan: who logged an activity, approved a version, checked a contact, "
              "attends a meeting or owns an action."),
            PUBLIC_TASK, _("As long as the plan's follow-up needs it, under the municipality's archive rules.")),
    Purpose("cases", _("Individual cases in the expert group"),
            _("The person a case is about, and the staff working on it"),
            _("To coordinate support for one person. The case uses a code instead of a name; the identity and notes "
              "are encrypted and only the case's participants can read them. Every reading is logged."),
            _("Public task, and for sensitive data the legal basis recorded on each case (for example consent or "
              "the Social Services Act)."),
            None),
)

RECORDS: tuple[PersonalData, ...] = (
    PersonalData("account", "core.User", ("email", "full_name", "organisation_name"),
                 _("Name and e-mail address; for a partner, the organisation they come from")),
    PersonalData("account", "core.Membership", ("user",), _("Your roles in the municipality")),
    PersonalData("account", "core.RoleRequest", ("user", "requested_by", "decided_by"),
                 _("Requests for a role, who asked and who decided")),
    PersonalData("account", "core.GroupMembership", ("user",), _("The groups you belong to")),
    PersonalData("account", "core.Invitation", ("email", "name", "created_by", "accepted_by"),
                 _("Invitations: the address and name invited, who invited, and who accepted")),
    PersonalData("account", "api.ApiToken", ("user", "name"), _("API keys and who they belong to")),
    PersonalData("account", "sso.ExternalIdentity", ("user", "subject", "organisation_name", "last_login_at"),
                 _("Your identity at your organisation's login service, and when you last logged in with it")),
    PersonalData("account", "sso.IdentityProviderDevice", ("user",),
                 _("That your organisation's login service vouches for your second factor")),
    PersonalData("account", "passkeys.Passkey", ("user", "name", "created_at", "last_used_at"),
                 _("Your passkeys: their names, when you added them and when you last used one")),
    PersonalData("security", "core.UserSession", ("user", "ip_address", "user_agent"),
                 _("Your sessions: IP address and browser")),
    PersonalData("security", "core.AuditEvent", ("actor", "actor_label", "purpose", "ip_address"),
                 _("The audit log: who, when, from which address, and the purpose given")),
    PersonalData("work", "plans.PlanVersion", ("approved_by", "sent_by", "returned_by"),
                 _("Who sent a plan draft for approval, who returned it, and who approved it")),
    PersonalData("work", "guidance.RoutingRules", ("saved_by",), _("Who last saved the guide's routing")),
    PersonalData("work", "guidance.ContactChange", ("actor", "actor_label"),
                 _("Who changed or checked a contact in the directory, and when")),
    PersonalData("work", "guidance.Contact", ("verified_by", "verified_by_label"),
                 _("Who last checked a contact's details")),
    PersonalData("work", "situation.Observation", ("reported_by",),
                 _("Who reported an observation (the observation itself holds no personal data)")),
    PersonalData("work", "followup.ActivityLog", ("logged_by", "attachment_name"),
                 _("Who logged an activity, and the name of an attached file")),
    PersonalData("work", "followup.ReminderSent", ("user",), _("Reminders sent to you")),
    PersonalData("work", "meetings.Meeting", ("created_by",), _("Who called a meeting")),
    PersonalData("work", "meetings.Attendee", ("user",), _("Who attends a meeting")),
    PersonalData("work", "meetings.Action", ("owner",), _("Who owns an action from a meeting")),
    PersonalData("work", "meetings.CalendarToken", ("user",), _("Your personal calendar link")),
    PersonalData("work", "training.TrainingEvent", ("created_by",), _("Who registered a training")),
    PersonalData("work", "implementation.UnitConfirmation", ("confirmed_by",),
                 _("Which manager confirmed that their unit knows the plan")),
    PersonalData("work", "implementation.Acknowledgement", ("user",), _("That you have read the plan")),
    PersonalData("work", "report.Assessment", ("updated_by",), _("Who wrote a self-assessment")),
    PersonalData("work", "analysis.Analysis", ("approved_by",), _("Who approved a situation analysis")),
    PersonalData("work", "analysis.ExternalSource", ("added_by",), _("Who added an external figure or table")),
    PersonalData("work", "analysis.NilReport", ("reported_by",), _("Who reported that a unit had nothing to report")),
    PersonalData("cases", "cases.Case", ("opened_by", "concern_override_by", "concern_override_reason",
                                         "legal_hold_reason"), _("The case: who opened it and why it is kept")),
    PersonalData("cases", "cases.Identity", ("name", "identity_number", "contact", "updated_by"),
                 _("The person's identity (encrypted), shown only with a stated purpose")),
    PersonalData("cases", "cases.Note", ("author", "text"), _("Notes (encrypted) and who wrote them")),
    PersonalData("cases", "cases.Referral", ("consent_scope", "answer_reason", "created_by"),
                 _("Referrals, consent and answers")),
    PersonalData("cases", "cases.StatusChange", ("changed_by",), _("Who changed the case's status")),
    PersonalData("cases", "cases.CaseSign", ("added_by",), _("Who recorded a sign")),
    PersonalData("cases", "cases.Participant", ("user", "added_by"), _("Who takes part in the case")),
    PersonalData("cases", "cases.AccessReview", ("started_by",), _("Reviews of who may read the case")),
    PersonalData("cases", "cases.AccessReviewItem", ("reviewed_by",), _("Who reviewed each access")),
)

# Fields the test would take for personal data that are not: the municipality's functional addresses.
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "about.ServiceStatement": ("contact_email", "privacy_contact_email"),
    # The login service's own secrets (encrypted: its client secret, Värna's signing key), not anyone's data.
    "sso.IdentityProvider": ("client_secret", "saml_sp_private_key"),
}


def retention_text(purpose: Purpose) -> str:
    if purpose.kept is not None:
        return str(purpose.kept)
    days = settings.VARNA_CASE_RETENTION_DAYS
    text = ngettext("Deleted %(days)s day after the case is closed, unless it is on legal hold.",
                    "Deleted %(days)s days after the case is closed, unless it is on legal hold.", days)
    return text % {"days": days}


def by_purpose() -> list[tuple[Purpose, str, list[PersonalData]]]:
    """Every purpose with its retention in words and the data kept for it, in the order of PURPOSES."""
    return [(purpose, retention_text(purpose), [r for r in RECORDS if r.purpose == purpose.key])
            for purpose in PURPOSES]
