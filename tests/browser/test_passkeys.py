"""Passkeys in a real browser: Chromium's virtual authenticator (DevTools' WebAuthn domain) plays the security
key; the page's script runs the ceremonies and Värna checks them."""

from __future__ import annotations

import re
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

PASSWORD = "correct horse battery"


def test_a_coordinator_adds_a_passkey_and_logs_in_with_it(new_page: Any, alice: Any) -> None:
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    page = new_page("en", user=alice)
    page.set_default_timeout(30_000)  # the ceremonies' round trips, on a shared machine
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": False, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    page.goto("/account/passkeys/")
    page.get_by_label(re.compile("^Name, so that you know it later")).fill("work key")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("cell", name="work key")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Use a passkey instead").click()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
