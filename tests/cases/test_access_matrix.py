"""Every case URL × every role, with the expected status. Any unexpected 200 fails.

A case URL answers 200 (or a redirect after a POST) only to those who may use it; everyone else who is
logged in gets 404, never 403, so that nothing reveals whether a case exists; anonymous users go to login.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

ROLES = ["anonymous", "staff", "manager", "working_group", "steering_group", "coordinator",
         "participant_this", "participant_other", "coordinator_other", "national_analyst"]

# (name, method, needs a case, roles that succeed). Success is 200 for GET and 302 for POST.
COORD = {"coordinator"}
SEE = {"coordinator", "participant_this"}
URLS: list[tuple[str, str, bool, set[str]]] = [
    ("case_list", "get", False, {"coordinator", "participant_this", "participant_other"}),
    # Exporting the list is the coordinator's, like every file that leaves the cases app (ADR 0005).
    ("case_list_export", "get", False, COORD),
    ("case_open", "get", False, COORD),
    ("log_review", "get", False, COORD),
    ("review_start", "post", False, COORD),
    ("review_detail", "get", False, COORD),
    ("statistics", "get", False, {"coordinator", "steering_group"}),
    ("statistics_export", "get", False, {"coordinator", "steering_group"}),
    ("legal_bases", "get", False, COORD),
    ("legal_basis_edit", "get", False, COORD),
    ("case_detail", "get", True, SEE),
    ("case_edit", "get", True, COORD),
    ("case_status", "post", True, COORD),
    ("case_concern", "get", True, COORD),
    ("case_legal_hold", "post", True, COORD),
    ("note_add", "post", True, SEE),
    ("sign_add", "post", True, SEE),
    ("participants", "get", True, COORD),
    ("participant_remove", "get", True, COORD),  # the confirmation page; acting needs confirm=yes
    ("identity_reveal", "get", True, SEE),
    ("identity_edit", "get", True, COORD),
    ("referral_create", "get", True, SEE),
    ("referral_answer", "get", True, SEE),
    ("access_log", "get", True, SEE),
    ("case_export", "get", True, COORD),
]


@pytest.fixture
def people(alice_reviewer: Any, bob: Any, maria: Any, walter: Any, sten: Any, pia: Any, otto: Any, tove: Any,
           nils: Any) -> dict[str, Any]:
    return {"anonymous": None, "staff": bob, "manager": maria, "working_group": walter, "steering_group": sten,
            "coordinator": alice_reviewer, "participant_this": pia, "participant_other": otto,
            "coordinator_other": tove, "national_analyst": nils}


@pytest.fixture
def targets(case_a: Any, case_b: Any, alice_reviewer: Any, make_person: Any, sollentuna: Any) -> dict[str, str]:
    """One concrete URL per route name."""
    from varna.cases import selectors, services
    from varna.cases.models import LegalBasis

    extra = make_person("extra@sollentuna.example", "staff", sollentuna)
    removable = services.participant_add(actor=alice_reviewer, case=case_a, user=extra)
    basis = LegalBasis.objects.get(municipality=sollentuna, key="osl-10-2")
    referral = services.referral_create(actor=alice_reviewer, case=case_a, kind="school_health", legal_basis=basis,
                                        sent_on=timezone.localdate())
    review = services.access_review_start(actor=alice_reviewer, municipality=sollentuna,
                                          period_start=timezone.localdate(), period_end=timezone.localdate())
    assert selectors.case_get(alice_reviewer, sollentuna, case_a.code)
    m = sollentuna.slug
    extra_args = {"review_detail": {"pk": review.pk}, "legal_basis_edit": {"pk": basis.pk},
                  "participant_remove": {"pk": removable.pk}, "referral_answer": {"pk": referral.pk},
                  "case_list_export": {"file_format": "csv"}, "statistics_export": {"file_format": "xlsx"}}
    urls = {}
    for name, _method, with_case, _ok in URLS:
        kwargs: dict[str, Any] = {"municipality": m, **extra_args.get(name, {})}
        if with_case:
            kwargs["code"] = case_a.code
        urls[name] = reverse(f"cases:{name}", kwargs=kwargs)
    return urls


def test_every_case_url_answers_each_role_as_expected(people: dict[str, Any], targets: dict[str, str],
                                                      login: Any) -> None:
    clients = {role: login(user) for role, user in people.items()}
    unexpected = []
    for name, method, _with_case, allowed in URLS:
        url = targets[name]
        for role in ROLES:
            response = getattr(clients[role], method)(url)
            if role == "anonymous":
                expected = 302
            elif role in allowed:
                expected = 200 if method == "get" else 302
            else:
                expected = 404
            ok = response.status_code == expected
            if role == "anonymous" and ok:
                ok = "/account/login/" in response["Location"]
            if not ok:
                unexpected.append(f"{name} {method.upper()} as {role}: {response.status_code}, expected {expected}")
            if response.status_code == 200:
                assert role in allowed, f"unexpected 200: {name} as {role}"
            if response.status_code != 302 or role != "anonymous":
                assert "no-store" in response.get("Cache-Control", ""), f"{name} as {role} may be cached"
    assert not unexpected, "\n".join(unexpected)


def test_every_case_url_is_in_the_matrix() -> None:
    from varna.cases import urls

    assert {pattern.name for pattern in urls.urlpatterns} == {name for name, *_rest in URLS}


def test_a_coordinator_without_the_log_permission_cannot_read_the_log_review(case_a: Any, alice: Any,
                                                                             login: Any) -> None:
    response = login(alice).get(reverse("cases:log_review", args=["sollentuna"]))
    assert response.status_code == 404


def test_a_participant_removed_from_the_case_no_longer_sees_it(case_a: Any, alice: Any, pia: Any,
                                                               login: Any) -> None:
    from varna.cases import services

    url = reverse("cases:case_detail", args=["sollentuna", case_a.code])
    assert login(pia).get(url).status_code == 200
    services.participant_remove(actor=alice, participant=case_a.participants.get(user=pia))
    assert login(pia).get(url).status_code == 404


def test_case_data_never_travels_in_a_query_string(case_a: Any, alice_reviewer: Any, login: Any) -> None:
    client = login(alice_reviewer)
    page = client.get(reverse("cases:log_review", args=["sollentuna"]))
    assert b'method="post" class="filter-form"' in page.content
    filtered = client.post(reverse("cases:log_review", args=["sollentuna"]), {"code": case_a.code})
    assert filtered.status_code == 200
    assert case_a.code.encode() in filtered.content


def test_no_role_without_access_can_post_to_any_case_url(people: dict[str, Any], targets: dict[str, str],
                                                         login: Any) -> None:
    """The same matrix for writes: a POST from a role without access is a 404 (or login), and changes nothing."""
    from varna.core.models import AuditEvent

    clients = {role: login(user) for role, user in people.items()}
    before = AuditEvent.objects.exclude(action__startswith="core.").count()
    for name, _method, _with_case, allowed in URLS:
        for role in ROLES:
            if role in allowed:
                continue
            response = clients[role].post(targets[name], {"status": "closed", "hold": "on", "reason": "x" * 20,
                                                          "text": "x", "purpose": "x" * 20, "code": "123456"})
            expected = 302 if role == "anonymous" else 404
            assert response.status_code == expected, f"{name} POST as {role}: {response.status_code}"
    assert AuditEvent.objects.exclude(action__startswith="core.").count() == before


def test_the_cases_link_is_shown_only_to_case_roles(case_a: Any, alice: Any, pia: Any, bob: Any, sten: Any,
                                                    login: Any) -> None:
    url = reverse("cases:case_list", args=["sollentuna"])
    stats = reverse("cases:statistics", args=["sollentuna"])
    for user, sees_cases, sees_stats in [(alice, True, True), (pia, True, False), (bob, False, False),
                                         (sten, False, True)]:
        body = login(user).get("/sollentuna/").content.decode()
        assert (f'href="{url}"' in body) is sees_cases, user
        assert (f'href="{stats}"' in body) is sees_stats, user
