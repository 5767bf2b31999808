"""axe-core in Debian's Chromium over the contact directory's pages, as the coordinator and as the platform
administrator (whom the URL-table crawl has no role for), in Swedish and English, with a form showing its errors;
and none of them scrolls sideways on a 320 px phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import AXE, axe_violations_of

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (AXE.exists() and CHROMIUM.exists()), reason="needs axe-core (npm ci) and chromium"),
]


@pytest.fixture
def guide(sollentuna: Any) -> Any:
    from varna.guidance import demo as guidance_demo
    from varna.knowledge import demo as knowledge_demo

    knowledge_demo.load(sollentuna)
    guidance_demo.load(sollentuna)
    return sollentuna


def _client(user: Any, language: str) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="axe", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _pages(guide: Any, alice: Any) -> dict[str, str]:
    """Every page of the directory, rendered by the test client before the browser starts (Playwright's event
    loop would hide the test database)."""
    from django.contrib.auth.models import Permission

    from varna.core.models import User
    from varna.guidance import services
    from varna.guidance.models import Contact

    admin = User.objects.create_user(email="platform@varna.example", password="correct horse battery")
    admin.user_permissions.add(Permission.objects.get(codename="maintain_national_contacts"))
    admin = User.objects.get(pk=admin.pk)
    own = Contact.objects.get(municipality=guide, key="coordinator")
    relatives = Contact.objects.get(municipality=guide, key="relatives-line")  # hidden by the newer national entry
    national = Contact.objects.get(municipality=None, key="relatives-line")
    retired = Contact.objects.get(municipality=guide, key="adult-psychiatry")
    services.contact_retire(actor=alice, municipality=guide, contact=retired)
    review = "/sollentuna/guidance/contacts/"
    pages = {}
    for language in ("sv", "en"):
        coordinator, platform = _client(alice, language), _client(admin, language)
        gets = [(coordinator, review), (coordinator, f"{review}new/"), (coordinator, f"{review}new/?key=bris"),
                (coordinator, f"{review}{own.pk}/edit/"), (coordinator, f"{review}{relatives.pk}/verify/"),
                (coordinator, f"{review}{own.pk}/retire/"), (coordinator, f"{review}{retired.pk}/history/"),
                (coordinator, f"{review}settings/"), (platform, "/national/contacts/"),
                (platform, f"/national/contacts/{national.pk}/edit/"),
                (platform, f"/national/contacts/{national.pk}/history/")]
        for client, path in gets:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[f"{language} {path}"] = response.content.decode()
        errors = coordinator.post(f"{review}new/", {"key": "Not a key", "phone": "ring oss", "url": "http://x"})
        assert errors.status_code == 200
        pages[f"{language} {review}new/ with errors"] = errors.content.decode()
    return pages


def test_the_contact_directory_pages_have_no_axe_violations_and_fit_a_phone(offline_page: Any, guide: Any,
                                                                           alice: Any) -> None:
    pages = _pages(guide, alice)
    failures: dict[str, Any] = {}
    page = offline_page(viewport={"width": 320, "height": 800})
    for name, html in pages.items():
        violations = axe_violations_of(page, html, name)
        if violations:
            failures[name] = violations
        # Tables scroll inside their own region; the page itself must not.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            failures.setdefault(name, []).append(("horizontal overflow at 320 px", overflow))
    assert failures == {}
