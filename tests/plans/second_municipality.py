"""Two plans of a municipality that is not Sollentuna, with keys, units and structure of their own.

A municipality-wide plan after the 2024 national strategy's four areas and a crime-prevention plan under
SFS 2023:196; each links its own activities to meetings, training and implementation through `fulfilled_by`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from varna.plans import services, yaml_io

ORGANISATIONS = [
    {"key": "utb", "name": "Utbildningsförvaltningen", "kind": "school", "parent": None},
    {"key": "omv", "name": "Omsorgsförvaltningen", "kind": "social_services", "parent": None},
    {"key": "trygg", "name": "Trygghetsenheten", "kind": "security", "parent": None},
]


def strategy_plan(*, number: int = 1, status: str = "draft", meeting_link: bool = True) -> dict[str, Any]:
    """The municipality-wide plan: four areas, its own activity keys."""
    return {
        "format": yaml_io.FORMAT,
        "plan": {"slug": "vbe-plan", "title": "Plan mot våldsbejakande extremism", "scope": "Hela kommunen"},
        "version": {"number": number, "status": status, "valid_from": None, "valid_to": None},
        "organisations": ORGANISATIONS,
        "levels": [
            {"key": "forebygga", "name": "Förebygga", "activities": [
                {"key": "samverkansmote", "direction": "Samverkan i nätverket", "action": "Nätverket träffas.",
                 "responsible": ["trygg"], "cadence": "per_term(1)",
                 "fulfilled_by": [{"meeting": "working"}] if meeting_link else []},
                {"key": "kunskapslyft", "direction": "Kunskap hos personal", "action": "Utbildning om uttryck.",
                 "responsible": ["utb", "omv"], "cadence": "per_year(2)",
                 "fulfilled_by": [{"training": "signs_symbols"}]},
            ]},
            {"key": "forhindra", "name": "Förhindra", "activities": [
                {"key": "chefsgenomgang", "direction": "Planen är känd", "action": "Cheferna går igenom planen.",
                 "responsible": ["utb", "omv"], "cadence": "per_year(1)",
                 "fulfilled_by": [{"implementation": "managers"}]},
            ]},
            {"key": "skydda", "name": "Skydda", "activities": [
                {"key": "skyddsrutin", "direction": "Rutiner", "action": "Rutinen ses över.",
                 "responsible": ["trygg"], "cadence": "per_year(1)"},
            ]},
            {"key": "hantera", "name": "Hantera", "activities": [
                {"key": "avhopparstod", "direction": "Stöd att lämna", "action": "Stödet erbjuds.",
                 "responsible": ["omv"], "cadence": "when_needed"},
            ]},
        ],
    }


def crime_prevention_plan(*, number: int = 1, status: str = "draft") -> dict[str, Any]:
    """The crime-prevention plan (SFS 2023:196): a structure of its own, linked to the same meetings."""
    return {
        "format": yaml_io.FORMAT,
        "plan": {"slug": "brottsforebyggande", "title": "Brottsförebyggande plan", "scope": "Kommunstyrelsen"},
        "version": {"number": number, "status": status, "valid_from": None, "valid_to": None},
        "organisations": ORGANISATIONS,
        "levels": [
            {"key": "lagesbild", "name": "Lägesbild", "activities": [
                {"key": "lagesbildsmote", "direction": "Gemensam lägesbild", "action": "Lägesbilden gås igenom.",
                 "responsible": ["trygg"], "cadence": "per_term(2)",
                 "fulfilled_by": [{"meeting": "working"}, {"meeting": "steering"}]},
            ]},
            {"key": "atgarder", "name": "Åtgärder", "activities": [
                {"key": "foraldrakvallar", "direction": "Föräldrar", "action": "Föräldrakvällar.",
                 "responsible": ["utb"], "cadence": "per_year(1)", "fulfilled_by": [{"training": "parents"}]},
                {"key": "plangenomgang", "direction": "Planen är känd", "action": "Genomgång i ledningen.",
                 "responsible": ["omv"], "cadence": "per_year(1)",
                 "fulfilled_by": [{"implementation": "managers"}]},
            ]},
        ],
    }


def import_approved(document: dict[str, Any], *, municipality: Any, coordinator: Any, approver: Any) -> Any:
    """Import as a draft and approve it the way a municipality does: the approver records the decision."""
    draft = services.plan_import(actor=coordinator, municipality=municipality, text=yaml_io.dump(document))
    return services.version_approve(actor=approver, version=draft, decision=services.Decision(
        body_kind="executive_board", body="Kommunstyrelsen", date=timezone.localdate(), paragraph="§ 12",
        registry_number="KS 2025/0088"))
