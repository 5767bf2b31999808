"""axe-core in Debian's Chromium over the follow-up pages: no WCAG 2.1 A/AA violations."""

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
def demo_everything(db: Any) -> Any:
    from varna.core import demo as core_demo
    from varna.followup import demo as followup_demo
    from varna.implementation import demo as implementation_demo
    from varna.meetings import demo as meetings_demo
    from varna.plans import demo as plans_demo
    from varna.report import demo as report_demo
    from varna.training import demo as training_demo

    municipality = core_demo.load_municipality()
    plans_demo.load(municipality)
    today = timezone.localdate()
    followup_demo.load(municipality, today=today)
    meetings_demo.load(municipality, today=today)
    training_demo.load(municipality, today=today)
    implementation_demo.load(municipality)
    report_demo.load(municipality, today=today)
    return municipality


def test_follow_up_pages_have_no_axe_violations(offline_page: Any, demo_everything: Any) -> None:
    from django.test import Client

    from varna.core.models import User
    from varna.meetings.models import Meeting
    from varna.training.models import TrainingEvent

    client = Client()
    client.force_login(User.objects.get(email="styrgrupp@sollentuna.example"))
    # The audit log's triggers forbid the flush a live server needs, so pages are rendered by the test
    # client and handed to the browser with the same style sheets the base template links.
    meeting = Meeting.objects.filter(status="held").first()
    event = TrainingEvent.objects.first()
    paths = ["/sollentuna/followup/", "/sollentuna/followup/log/", f"/sollentuna/meetings/{meeting.pk}/",
             "/sollentuna/meetings/", "/sollentuna/training/", f"/sollentuna/training/{event.pk}/",
             "/sollentuna/training/coverage/", "/sollentuna/implementation/", "/sollentuna/report/"]
    pages = {}
    for path in paths:  # rendered before the browser starts: Playwright's event loop would hide the test database
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    failures = {}
    page = offline_page()
    for path, html in pages.items():
        violations = axe_violations_of(page, html, path)
        if violations:
            failures[path] = violations
    assert failures == {}
