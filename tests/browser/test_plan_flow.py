"""A coordinator logs in with a real one-time code, edits a draft; the steering group approves it."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

PASSWORD = "correct horse battery"
PLAN = "/sollentuna/plans/handlingsplan-vbe/"


def _log_in(page: Any, email: str, code_for: TOTPDevice | None = None) -> None:
    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if code_for is not None:
        expect(page).to_have_url(re.compile("/account/two-factor/$"))
        device = code_for
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Six-digit code from your authenticator app").fill(f"{code:06d}")
        page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_coordinator_edits_a_draft_and_the_steering_group_approves_it(
        new_page: Any, demo_plan: Any, alice: Any, sten: Any) -> None:
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    page = new_page("en")
    _log_in(page, alice.email, code_for=device)

    page.goto(PLAN + "versions/")
    page.get_by_role("button", name="Start a new version from the one in force (version 1)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2")
    page.get_by_role("link", name=re.compile("^Add an activity")).first.click()
    page.get_by_label("Key").fill("prevent-parent-evenings")
    page.get_by_label("Direction of work").fill("Parents' evenings about online radicalisation")
    page.get_by_label("What is done").fill("Each school holds an evening for parents once a term.")
    page.get_by_label("Number of times").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The activity was saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="Parents' evenings about online radicalisation", exact=True)).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    page = new_page("en")
    _log_in(page, sten.email)
    page.goto(PLAN + "versions/2/edit/")
    page.get_by_role("link", name="Review and approve").click()
    page.get_by_label("Kind of deciding body").select_option("council")
    page.get_by_label("Deciding body", exact=True).fill("Kommunfullmäktige")
    page.get_by_label("Decision date").fill(timezone.localdate().isoformat())
    page.get_by_label("Paragraph").fill("§ 12")
    page.get_by_label("Registry number (diarienummer)").fill("KS 2026/0099")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Version 2 is approved and now in force.")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(PLAN) + "$"))

    # Anyone can now read the new activity in the public plan.
    public = new_page("en")
    public.goto(PLAN + "activities/")
    expect(public.get_by_role("cell", name="Parents' evenings about online radicalisation", exact=True)).to_be_visible()
    assert {v.number: v.status for v in demo_plan.versions.all()} == {1: "superseded", 2: "approved"}
    assert demo_plan.versions.get(number=2).decision_text.startswith("Kommunfullmäktige ")
