"""The demo loader never creates anything twice, also after the plan has been revised (issue 13)."""

from __future__ import annotations

import io
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from varna.core.models import Municipality
from varna.plans import demo, services
from varna.plans.models import Plan


def _rows() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_loading_the_demo_again_after_a_revision_adds_no_row_to_any_table(db: Any) -> None:
    call_command("load_demo", stdout=io.StringIO())
    sollentuna = Municipality.objects.get(slug="sollentuna")
    plan = Plan.objects.get(municipality=sollentuna, slug=demo.DEMO_PLAN_SLUG)
    coordinator = sollentuna.memberships.filter(role="coordinator").first().user
    draft = services.version_create_draft(actor=coordinator, plan=plan)
    services.version_approve_as_operator(version=draft, decision=services.Decision(
        body_kind="council", body="Kommunfullmäktige", date=timezone.localdate(), paragraph="§ 99"))
    before = _rows()
    call_command("load_demo", stdout=io.StringIO())
    after = _rows()
    assert {label: (before[label], after[label]) for label in before if before[label] != after[label]} == {}
