"""axe-core in Debian's Chromium over the list pages that render core/table.html and offer downloads."""

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import AXE, axe_violations_of

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (AXE.exists() and CHROMIUM.exists()), reason="needs axe-core (npm ci) and chromium"),
]


@pytest.fixture
def demo_lists(db: Any) -> Any:
    from varna.cases import demo as cases_demo
    from varna.core import demo as core_demo
    from varna.knowledge import demo as knowledge_demo
    from varna.meetings import demo as meetings_demo
    from varna.plans import demo as plans_demo
    from varna.situation import demo as situation_demo

    municipality = core_demo.load_municipality()
    municipality.national_opt_in = True
    municipality.save()
    plans_demo.load(municipality)
    knowledge_demo.load(municipality)
    cases_demo.load(municipality)
    situation_demo.load(municipality)
    meetings_demo.load(municipality, today=timezone.localdate())
    return municipality


def _verified(email: str) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from varna.core.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="t",
                                                                                       confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_list_pages_with_downloads_have_no_axe_violations(offline_page: Any, demo_lists: Any) -> None:

    plan = "/sollentuna/plans/handlingsplan-vbe/"
    pages_by_user = {
        "samordnare@sollentuna.example": [
            "/sollentuna/situation/", "/sollentuna/situation/observations/", "/sollentuna/situation/surveys/",
            "/sollentuna/cases/", "/sollentuna/cases/statistics/", "/sollentuna/manage/audit/",
            "/sollentuna/meetings/", "/sollentuna/meetings/actions/?all=1", plan + "versions/", plan + "activities/"],
        "admin@sollentuna.example": ["/sollentuna/manage/people/"],
        "analytiker@cve.example": ["/national/"],
    }
    pages = {}
    for email, paths in pages_by_user.items():  # rendered before the browser starts (see the follow-up test)
        client = _verified(email)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert b"data-export-table" in response.content, path
            pages[path] = response.content.decode()
    failures = {}
    page = offline_page()
    for path, html in pages.items():
        violations = axe_violations_of(page, html, path)
        if violations:
            failures[path] = violations
    assert failures == {}
