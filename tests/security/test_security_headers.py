"""Security headers: CSP without unsafe-inline, HSTS in production, Referrer-Policy, Permissions-Policy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from varna.plans.models import Plan

PLAN = "/sollentuna/plans/handlingsplan-vbe/"


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", ["/", "/account/login/", PLAN])
def test_csp_forbids_inline_script_and_style_and_other_hosts(client: Client, demo_plan: Plan, path: str) -> None:
    response = client.get(path)
    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert all(s == "'self'" or s.startswith("'nonce-") for s in csp["script-src"])
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]


def test_referrer_policy_permissions_policy_and_friends(client: Client, demo_plan: Plan) -> None:
    response = client.get(PLAN)
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()"]:
        assert feature in permissions
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_under_production_settings(production_settings: dict[str, Any], db: Any) -> None:
    with override_settings(**production_settings):
        response = Client().get("/account/login/", secure=True)
    hsts = response["Strict-Transport-Security"]
    assert "max-age=63072000" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" in hsts


def test_error_pages_carry_the_headers_too(client: Client, db: Any) -> None:
    response = client.get("/no-such-municipality/")
    assert response.status_code == 404
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Permissions-Policy"]
