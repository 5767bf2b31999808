"""The Sollentuna plan of 2016 as demo content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from varna.core.models import Municipality
from varna.plans import services
from varna.plans.models import Plan

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo" / "sollentuna-2016.yaml"
DEMO_PLAN_SLUG = "handlingsplan-vbe"


def load(municipality: Municipality, *, actor: Any = None) -> str:
    """Import the demo plan unless it is already there (loading twice creates nothing twice)."""
    if Plan.objects.filter(municipality=municipality, slug=DEMO_PLAN_SLUG, versions__number=1).exists():
        return "plan already loaded"
    draft = services.plan_import(actor=actor, municipality=municipality, text=DEMO_FILE.read_text(encoding="utf-8"))
    # An import is a draft; the demo then records the council's decision the file states.
    if draft.decision_date is None:
        raise ValueError("the demo plan states no decision date")
    version = services.version_approve_as_operator(version=draft, decision=services.Decision(
        body_kind=draft.decision_body_kind, body=draft.decision_body, date=draft.decision_date,
        paragraph=draft.decision_paragraph, registry_number=draft.registry_number), valid_from=draft.valid_from)
    return f"plan loaded: {version.activities.count()} activities in {version.levels.count()} levels"
