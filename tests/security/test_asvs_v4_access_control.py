"""ASVS 4.0.3 V4: access control. V4.1.1/V4.2.1 (no IDOR) are the authorization matrix."""

from __future__ import annotations

from typing import Any
from unittest import mock

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
    assert b"Plan file" not in response.content and b"Planfil" not in response.content


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
    assert first != second and len(first) >= 32


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
