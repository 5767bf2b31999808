"""ASVS V4.1.1/V4.2.1: every URL × every role answers as `url_access.yaml` says.

The URLs come from Django's resolver, so a view added by any module is covered the moment it is
routed: a URL name missing from the table fails the test, and so does any answer (above all a 200)
that the table does not expect. Keyword arguments are filled from the demo data by the
`parameters` section of the table, so new modules only add data, not code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from django.apps import apps
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

TABLE_PATH = Path(__file__).with_name("url_access.yaml")
TABLE_NAME = "tests/security/url_access.yaml"
ROLES = ["anonymous", "staff", "manager", "working_group", "steering_group", "coordinator", "administrator",
         "national_analyst", "other_coordinator", "sso_user", "partner", "case_partner"]
# Unless the table names them, these roles expect another role's answer. Someone whose staff role came from the
# municipality's identity provider (its groups claim) gets exactly what a staff member given the role in Värna
# gets. A partner holds no role in the municipality, like the national analyst: the table names only where they
# differ (their one group's meetings or their one case; the national pages, which are the analyst's).
LIKE = {"sso_user": "staff", "partner": "national_analyst", "case_partner": "national_analyst"}
# What each outcome in the table means (401: the API without a token);
# `login` and `admin_login` are redirects to those pages.
OUTCOMES = {200, 302, 401, 403, 404, 405, 429, "login", "admin_login", "two_factor"}
HOME = "sollentuna"
OTHER = "taby"


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "plans:draft_edit"
    params: tuple[str, ...]
    admin: bool


def _walk(patterns: list[Any], namespace: str = "", params: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        names = params + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                entry.namespace or namespace)
            yield from _walk(entry.url_patterns, inner, names)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            if not entry.name:
                name = f"{namespace}:<unnamed {entry.pattern}>" if namespace else f"<unnamed {entry.pattern}>"
            yield Route(name, names, admin=name.split(":")[0] == "admin")


def routes() -> list[Route]:
    """Every named URL pattern, recursively; patterns sharing a name are kept apart by their parameters."""
    seen: dict[tuple[str, frozenset[str]], Route] = {}
    for route in _walk(get_resolver().url_patterns):
        seen.setdefault((route.name, frozenset(route.params)), route)
    return [route for route in seen.values() if "<unnamed" not in route.name]


def test_every_url_pattern_has_a_name() -> None:
    """The table is keyed by URL name; an unnamed pattern would escape the matrix (the admin's catch-all aside)."""
    unnamed = [r.name for r in _walk(get_resolver().url_patterns) if "<unnamed" in r.name and not r.admin]
    assert not unnamed, f"give these URL patterns a name= so that {TABLE_NAME} can list them: {unnamed}"


def load_table() -> dict[str, Any]:
    return yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8"))


def _expected(table: dict[str, Any], route: Route) -> dict[str, Any] | None:
    if route.admin:
        rule = table["admin"]
        return {"expect": {"default": rule["expect"], **rule.get("exceptions", {}).get(route.name, {})},
                "kwargs": {}}
    return table["urls"].get(route.name)


def test_every_url_name_is_in_the_table() -> None:
    table = load_table()
    missing = [r.name for r in routes() if not r.admin and r.name not in table["urls"]]
    assert not missing, "\n".join(f"add {name} to {TABLE_NAME}" for name in missing)


def test_the_table_names_only_urls_that_exist_and_known_roles_and_outcomes() -> None:
    table = load_table()
    names = {r.name for r in routes()}
    stale = sorted(set(table["urls"]) - names) + sorted(set(table["admin"].get("exceptions", {})) - names)
    assert not stale, "\n".join(f"remove {name} from {TABLE_NAME}: no such URL" for name in stale)
    for name, entry in [*table["urls"].items(), *table["admin"].get("exceptions", {}).items()]:
        expect = entry.get("expect", entry)
        assert set(expect) <= {"default", *ROLES}, f"{name}: unknown role in {sorted(expect)}"
        assert set(expect.values()) <= OUTCOMES, f"{name}: unknown outcome in {sorted(map(str, expect.values()))}"
        assert "default" in expect or set(expect) >= set(ROLES), f"{name}: give every role or a default"


# --- the world the matrix runs in -----------------------------------------------------------------

def _person(email: str, role: str | None, municipality: Any) -> Any:
    from varna.core.models import Membership, Organisation, User

    user = User.objects.create_user(email=email, password="matrix-password-not-used", full_name=email)
    if role:
        unit = Organisation.objects.filter(municipality=municipality, key="buk").first() if municipality else None
        Membership.objects.create(user=user, municipality=municipality, role=role,
                                  organisation=unit if role in ("staff", "manager", "working_group") else None)
    return user


def _client_for(user: Any | None) -> Client:
    """A client logged in as `user` with a verified second factor: the matrix tests authorization, not login."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    if user is not None:
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _plans_with_a_draft(municipality: Any, actor: Any) -> None:
    from varna.plans import services
    from varna.plans.models import Plan

    for plan in Plan.objects.filter(municipality=municipality):
        if not plan.versions.filter(status="draft").exists():
            services.version_create_draft(actor=actor, plan=plan)


def _a_case(municipality: Any, actor: Any) -> None:
    """The demo never invents a case about a person, so the matrix opens one: a participant who is none of
    the roles in the matrix, a referral and an access-review round, so every case URL has something to show."""
    import datetime as dt

    from varna.cases import services
    from varna.cases.models import LegalBasis
    case = services.case_open(actor=actor, municipality=municipality, age_band="15_17", gender="other")
    # A social worker on the expert group: staff like the matrix's staff member, but of another unit.
    participant = _person("participant@matrix.example", "staff", municipality)
    services.participant_add(actor=actor, case=case, user=participant)
    services.referral_create(actor=actor, case=case, kind="social_services", sent_on=dt.date(2026, 1, 5),
                             legal_basis=LegalBasis.objects.filter(municipality=municipality).first())
    services.case_viewed(actor=actor, case=case, purpose="matrix")
    # Reading the access log is a permission of its own: the matrix's coordinator lacks it, a reviewer has it.
    from django.contrib.auth.models import Permission

    reviewer = _person("reviewer@matrix.example", "coordinator", municipality)
    reviewer.user_permissions.add(Permission.objects.get(codename="review_access_log"))
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    services.access_review_start(actor=reviewer, municipality=municipality, period_start=dt.date(2000, 1, 1),
                                 period_end=dt.date(2100, 1, 1))


def _sso_user(municipality: Any) -> Any:
    """Provisioned by a login through the municipality's identity provider: its groups claim maps to staff of the
    same unit as the matrix's staff member (no role of its own in Värna)."""
    from varna.core.models import Organisation
    from varna.sso import services
    from varna.sso.models import IdentityProvider, RoleMapping

    provider = IdentityProvider.objects.create(municipality=municipality, slug="matrix-idp", name="Matrix IdP",
                                               issuer="https://idp.matrix.example", client_id="varna",
                                               unknown_users=IdentityProvider.UnknownUsers.CREATE)
    RoleMapping.objects.create(provider=provider, group_value="all-staff", role="staff",
                               organisation=Organisation.objects.get(municipality=municipality, key="buk"))
    login = services.login_from_claims(provider=provider, subject="matrix-subject-1", assurance=[], claims={
        "email": "sso_user@matrix.example", "name": "SSO User", "groups": ["all-staff"]})
    assert login.user.memberships.get().role == "staff"
    return login.user


def _partner(municipality: Any, coordinator: Any, *, case: bool) -> Any:
    """A partner from the police, invited by the coordinator to the working group (whose meetings the demo holds)
    or to the matrix's case, who accepted: no role in the municipality."""
    from unittest import mock

    from varna.cases import models as case_models
    from varna.cases import services as case_services
    from varna.core import services
    from varna.core.models import Group, Organisation

    police = Organisation.objects.get_or_create(municipality=municipality, key="matrix-police",
                                                defaults={"name": "Polisen", "kind": "police"})[0]
    email = f"{'case_' if case else ''}partner@police.matrix.example"
    with mock.patch("django.db.transaction.on_commit", lambda fn, *a, **k: fn()):
        if case:
            the_case = case_models.Case.objects.filter(municipality=municipality).order_by("pk").first()
            invitation = case_services.partner_invite(actor=coordinator, case=the_case, email=email, name="Partner",
                                                      organisation=police)
            token = None
        else:
            invitation, token = services.invitation_create(
                actor=coordinator, municipality=municipality, email=email, name="Partner", organisation=police,
                group=Group.objects.get(municipality=municipality, kind=Group.Kind.WORKING))
    if token is None:
        from django.core import mail

        token = mail.outbox[-1].body.split("/account/invitation/")[1].split("/")[0]
    user = services.invitation_accept(token=token, password="matrix-partner-passphrase", full_name="Partner")
    assert user.organisation_name == "Polisen"
    assert not user.memberships.exists()
    assert invitation.pk
    return user


# Extra state some URLs need beyond the demo (a module whose URLs need more adds a function here).
SETUP_HOOKS = [_plans_with_a_draft, _a_case]


def _build_world() -> dict[str, Client]:
    people = build_people()
    return {role: _client_for(people.get(role)) for role in ROLES}


def build_people() -> dict[str, Any]:
    """The demo municipality with every module's demo content, one person per role, and the extra state
    of SETUP_HOOKS; the browser's accessibility walk uses the same world."""
    from varna.core import demo
    from varna.core.models import Municipality

    municipality = demo.load_municipality()
    for config in apps.get_app_configs():  # every module's demo content, as `varna demo` loads it
        loader = getattr(config, "load_demo", None)
        if loader is not None:
            loader(municipality)
    other = Municipality.objects.create(name="Täby", code="0160", slug=OTHER)
    people = {role: _person(f"{role}@matrix.example", role, municipality)
              for role in ROLES if role not in ("anonymous", "national_analyst", "other_coordinator", "sso_user",
                                                "partner", "case_partner")}
    people["national_analyst"] = _person("national@matrix.example", "national_analyst", None)
    people["other_coordinator"] = _person("other@matrix.example", "coordinator", other)
    for hook in SETUP_HOOKS:
        hook(municipality, people["coordinator"])
    people["sso_user"] = _sso_user(municipality)
    people["partner"] = _partner(municipality, people["coordinator"], case=False)
    people["case_partner"] = _partner(municipality, people["coordinator"], case=True)
    return people


def _resolve_parameter(spec: Any, param: str) -> Any:
    """`{value: x}` or `{model: app.Model, field: f, filter: {...}, order_by: [...]}` → one value."""
    if not isinstance(spec, dict):
        return spec
    if "value" in spec:
        return spec["value"]
    model = apps.get_model(spec["model"])
    queryset = model.objects.filter(**spec.get("filter", {})).order_by(*spec.get("order_by", ["pk"]))
    value = queryset.values_list(spec.get("field", "pk"), flat=True).first()
    assert value is not None, f"no {spec['model']} matches the `{param}` parameter in {TABLE_NAME}"
    return value


def _kwargs(table: dict[str, Any], route: Route, entry: dict[str, Any]) -> dict[str, Any]:
    """Fill each URL parameter from the entry's own `kwargs`, else `parameters["<namespace>:<name>"]`,
    else `parameters["<name>"]`."""
    namespace = route.name.rsplit(":", 1)[0] if ":" in route.name else ""
    parameters = table["parameters"]
    kwargs = {}
    for param in route.params:
        spec = entry.get("kwargs", {}).get(param)
        if spec is None:
            spec = parameters.get(f"{namespace}:{param}", parameters.get(param))
        assert spec is not None, (
            f"{route.name}: add a way to fill the URL parameter `{param}` to the `parameters` section of {TABLE_NAME}")
        kwargs[param] = _resolve_parameter(spec, param)
    return kwargs


def _outcome(response: Any) -> Any:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("core:login")):
            return "login"
        if location.startswith(reverse("admin:login")):
            return "admin_login"
        if location.startswith(reverse("core:two_factor")):
            return "two_factor"
        return 302
    return response.status_code


@pytest.mark.django_db
# Every role asks from the same address here; the limits per address are tested in test_rate_limiting.py.
@override_settings(VARNA_RATE_LIMITS_ENABLED=False)
def test_every_url_answers_every_role_as_the_table_says() -> None:
    table = load_table()
    clients = _build_world()
    failures = []
    # Rendering a PDF takes a second and proves nothing about access: the view's guards run before it.
    with mock.patch("weasyprint.HTML.write_pdf", return_value=b"%PDF-1.7 matrix"):
        for route in sorted(routes(), key=lambda r: r.name):
            entry = _expected(table, route)
            if entry is None:
                continue  # reported by test_every_url_name_is_in_the_table
            try:
                path = reverse(route.name, kwargs=_kwargs(table, route, entry) or None)
            except AssertionError as exc:
                failures.append(str(exc).splitlines()[0])
                continue
            expect = entry["expect"]
            for role in ROLES:
                want = expect.get(role, expect.get(LIKE[role], expect.get("default")) if role in LIKE
                                  else expect.get("default"))
                got = _outcome(clients[role].get(path))
                if got != want:
                    hint = "  ← UNEXPECTED 200" if got == 200 else ""
                    failures.append(f"{route.name} {path} as {role}: expected {want}, got {got}{hint}")
    assert not failures, f"{len(failures)} answers differ from {TABLE_NAME}:\n" + "\n".join(failures)
