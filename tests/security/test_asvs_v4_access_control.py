"""ASVS 4.0.3 V4: access control. V4.1.1/V4.2.1 (no IDOR) are the authorization matrix."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import PASSWORD
from tests.security.urls_failing import SECRET_IN_EXCEPTION
from varna.plans.models import Plan, PlanVersion

PLAN = "/sollentuna/plans/handlingsplan-vbe/"


@override_settings(ROOT_URLCONF="tests.security.urls_failing")
def test_v4_1_5_an_exception_gives_the_error_page_without_traceback_or_data(db: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-failure/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel" in html
    for leak in ["Traceback", "RuntimeError", SECRET_IN_EXCEPTION, "19121212", "s3cr3t", "failing_view", "/work/"]:
        assert leak not in html


def test_v4_1_5_a_failing_permission_check_denies_instead_of_allowing(verified_client: Any, alice: Any,
                                                                       demo_plan: Plan) -> None:
    client = verified_client(alice)
    client.raise_request_exception = False
    with mock.patch("varna.core.decorators.has_role", side_effect=RuntimeError("database went away")):
        response = client.get("/sollentuna/plans/import/")
    assert response.status_code == 500
    assert b"Plan file" not in response.content
    assert b"Planfil" not in response.content


def test_v4_2_2_a_post_without_the_csrf_token_is_refused(demo_plan: Plan, alice: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    session = strict.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=alice, name="app", confirmed=True).persistent_id
    session.save()
    before = PlanVersion.objects.filter(plan=demo_plan).count()
    assert strict.post(PLAN + "versions/new/").status_code == 403
    assert PlanVersion.objects.filter(plan=demo_plan).count() == before
    # With the token from a page of the site, the same request is accepted.
    page = strict.get(PLAN + "versions/")
    token = page.context["csrf_token"]
    assert strict.post(PLAN + "versions/new/", {"csrfmiddlewaretoken": str(token)}).status_code == 302
    assert PlanVersion.objects.filter(plan=demo_plan).count() == before + 1


def test_v4_2_2_login_itself_needs_the_csrf_token(bob: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/account/login/", {"email": bob.email, "password": PASSWORD}).status_code == 403
    assert "_auth_user_id" not in strict.session
    strict.get("/account/login/")
    token = strict.cookies["csrftoken"].value
    response = strict.post("/account/login/", {"email": bob.email, "password": PASSWORD,
                                               "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_v4_2_2_the_csrf_token_is_bound_to_the_session_cookie_not_guessable(db: Any) -> None:
    first, second = get_token(RequestFactory().get("/")), get_token(RequestFactory().get("/"))
    assert first != second
    assert len(first) >= 32


def test_v4_3_1_the_admin_site_needs_staff_status_and_a_second_factor(make_person: Any) -> None:
    from varna.core.models import User

    superuser = User.objects.create_superuser(email="root@varna.example", password="a long admin password")
    client = Client()
    client.force_login(superuser)
    assert client.get("/admin/")["Location"] == "/account/two-factor/"  # password alone is not enough
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=superuser, name="key", confirmed=True).persistent_id
    session.save()
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/core/auditevent/").status_code == 200


# --- separation of duties on roles (issue #16: "self-granted case access") -------------------------------

PEOPLE_PAGE = "/sollentuna/manage/people/"


def _grant(client: Client, email: str, role: str, name: str = "") -> Any:
    return client.post(PEOPLE_PAGE, {"email": email, "full_name": name, "role": role, "organisation": ""},
                       follow=True)


def _roles(user: Any, municipality: Any) -> set[str]:
    from varna.core.models import Membership

    return set(Membership.objects.filter(user=user, municipality=municipality).values_list("role", flat=True))


def test_v4_3_3_an_administrator_cannot_grant_themselves_the_coordinator_role(
        verified_client: Any, ada: Any, sollentuna: Any) -> None:
    from varna.core.models import RoleRequest

    client = verified_client(ada)
    client.cookies["django_language"] = "en"
    for role in ("coordinator", "staff", "administrator"):
        response = _grant(client, ada.email, role)
        assert "Nobody can grant or change their own roles. Ask another administrator." in response.content.decode()
    assert _roles(ada, sollentuna) == {"administrator"}
    assert not RoleRequest.objects.exists()


def test_v4_3_3_a_role_that_sees_cases_waits_for_a_second_administrator_and_the_coordinators_are_told(
        verified_client: Any, make_person: Any, ada: Any, alice: Any, bob: Any, sollentuna: Any,
        mailoutbox: Any, django_capture_on_commit_callbacks: Any) -> None:
    from varna.core.models import AuditEvent, RoleRequest

    adam = make_person("adam@sollentuna.example", "administrator", sollentuna)
    client = verified_client(ada)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant(client, bob.email, "coordinator", name="Bob Berg")
    assert "The role applies once another administrator has approved it" in response.content.decode()
    assert _roles(bob, sollentuna) == {"staff"}  # nothing yet: bob can't read a single case
    request = RoleRequest.objects.get(user=bob, role="coordinator", status="pending")
    told = sorted(address for message in mailoutbox for address in message.to)
    assert told == ["adam@sollentuna.example", "alice@sollentuna.example"]  # the other admin, the coordinator
    assert "Bob Berg" in mailoutbox[0].body
    assert "ada@sollentuna.example" in mailoutbox[0].body

    # The administrator who asked cannot approve it.
    response = client.post(f"{PEOPLE_PAGE}requests/{request.pk}/approve/", follow=True)
    assert "Another administrator must approve a role you asked for." in response.content.decode()
    assert _roles(bob, sollentuna) == {"staff"}

    mailoutbox.clear()
    second = verified_client(adam)
    with django_capture_on_commit_callbacks(execute=True):
        assert second.post(f"{PEOPLE_PAGE}requests/{request.pk}/approve/").status_code == 302
    assert _roles(bob, sollentuna) == {"staff", "coordinator"}
    assert [message.to for message in mailoutbox] == [["alice@sollentuna.example"]]
    assert "ada@sollentuna.example" in mailoutbox[0].body
    assert "adam@sollentuna.example" in mailoutbox[0].body
    granted = AuditEvent.objects.get(action="core.membership.granted", data__user=bob.email, data__role="coordinator")
    assert granted.actor == adam
    assert granted.data["requested_by"] == ada.email
    assert AuditEvent.objects.filter(action="core.role_request.created", actor=ada).count() == 1


def test_v4_3_3_nobody_approves_a_role_for_themselves(verified_client: Any, make_person: Any, ada: Any,
                                                      sollentuna: Any) -> None:
    from varna.core.models import RoleRequest

    adam = make_person("adam@sollentuna.example", "administrator", sollentuna)
    _grant(verified_client(ada), adam.email, "coordinator")
    request = RoleRequest.objects.get(user=adam)
    client = verified_client(adam)
    client.cookies["django_language"] = "en"
    response = client.post(f"{PEOPLE_PAGE}requests/{request.pk}/approve/", follow=True)
    assert "Nobody can grant or change their own roles." in response.content.decode()
    assert _roles(adam, sollentuna) == {"administrator"}
    request.refresh_from_db()
    assert request.status == "pending"


def test_v4_3_3_the_administrator_role_needs_a_second_administrator_too(
        verified_client: Any, ada: Any, bob: Any, sollentuna: Any) -> None:
    from varna.core.models import RoleRequest

    # With one administrator only, nobody can approve: the role is refused until the operator helps.
    _grant(verified_client(ada), "sockpuppet@sollentuna.example", "administrator")
    assert RoleRequest.objects.get().status == "pending"
    from varna.core.models import Membership

    assert not Membership.objects.filter(user__email="sockpuppet@sollentuna.example").exists()


def test_v4_3_3_the_grant_service_itself_refuses_a_case_role_without_approval(ada: Any, bob: Any,
                                                                              sollentuna: Any) -> None:
    from varna.core import services

    with pytest.raises(services.CoreError):
        services.membership_grant(actor=ada, municipality=sollentuna, user=bob, role="coordinator")
    with pytest.raises(services.CoreError):
        services.membership_grant(actor=ada, municipality=sollentuna, user=ada, role="staff")
    assert _roles(bob, sollentuna) == {"staff"}


def test_v4_1_3_roles_that_see_no_cases_are_granted_at_once(verified_client: Any, ada: Any, sollentuna: Any,
                                                            mailoutbox: Any, django_capture_on_commit_callbacks: Any
                                                            ) -> None:
    from varna.core.models import User

    with django_capture_on_commit_callbacks(execute=True):
        _grant(verified_client(ada), "ny@sollentuna.example", "manager", name="Nina Ny")
    assert _roles(User.objects.get(email="ny@sollentuna.example"), sollentuna) == {"manager"}
    assert mailoutbox == []


def test_v4_2_1_granting_a_role_to_an_address_of_another_municipality_reveals_nothing_about_that_account(
        verified_client: Any, ada: Any, tove: Any, sollentuna: Any) -> None:
    tove.full_name = "Tove Täbysdotter"
    tove.save()
    client = verified_client(ada)
    client.cookies["django_language"] = "en"
    answers = [_grant(client, email, "staff") for email in (tove.email, "nobody-yet@taby.example")]
    pages = [response.content.decode() for response in answers]
    assert "Täbysdotter" not in pages[0]
    assert "Täbysdotter" not in pages[1]
    assert [response.redirect_chain for response in answers] == [[(PEOPLE_PAGE, 302)]] * 2
    rows = {row[1]: row for row in answers[1].context["table"].text_rows()}
    assert rows[tove.email] == [tove.email, tove.email, "Staff", "–"]
    assert rows["nobody-yet@taby.example"] == ["nobody-yet@taby.example", "nobody-yet@taby.example", "Staff", "–"]
    # The name the administrator types is what the page shows, whatever the account says.
    _grant(client, tove.email, "manager", name="Tove T")
    assert "Tove T" in client.get(PEOPLE_PAGE).content.decode()
    tove.refresh_from_db()
    assert tove.full_name == "Tove Täbysdotter"


def test_v4_3_3_the_admin_site_refuses_a_superuser_granting_themselves_a_role(sollentuna: Any, bob: Any) -> None:
    from varna.core.models import Membership, User

    root = User.objects.create_superuser(email="root@varna.example", password="a long admin password")
    client = Client()
    client.force_login(root)
    client.cookies["django_language"] = "en"
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=root, name="key", confirmed=True).persistent_id
    session.save()

    def add(user: Any) -> Any:
        return client.post("/admin/core/membership/add/", {
            "user": user.pk, "municipality": sollentuna.pk, "role": "coordinator", "name": "",
            "created_at_0": "2026-01-01", "created_at_1": "12:00:00"})

    # The operator grants another person the role (and the coordinators are told, as for any grant)...
    assert add(bob).status_code == 302
    assert Membership.objects.filter(user=bob, role="coordinator").exists()
    # ...but not themselves.
    response = add(root)
    assert response.status_code == 200
    assert "Nobody can grant or change their own roles." in response.content.decode()
    assert not Membership.objects.filter(user=root).exists()
