"""export(import(x)) == x for generated plans."""

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varna.core.actors import SYSTEM
from varna.core.models import Municipality
from varna.plans import services, yaml_io
from varna.plans.models import PlanVersion

KINDS = ["school", "social_services", "leisure", "education_labour", "security", "police", "rescue", "health",
         "civil_society", "other"]
CADENCES = ["continuous", "when_needed", "on_request", "per_curriculum", "per_term(1)", "per_term(2)",
            "per_year(1)", "per_year(4)"]
FULFILMENTS = [("implementation", "managers"), ("meeting", "steering"), ("meeting", "working"),
               ("training", "parents"), ("training", "signs_symbols")]
keys = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6})?", fullmatch=True)
# Control characters and Unicode line/paragraph separators are not text a plan holds; YAML folds them.
alphabet = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
text = st.text(alphabet, min_size=1, max_size=40).map(lambda s: s.strip() or "x")


def free_text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet, max_size=max_size)

_counter = itertools.count()
dates = st.dates().map(lambda d: d.isoformat())


@st.composite
def plans(draw: Any) -> dict[str, Any]:
    org_keys = sorted(draw(st.sets(keys, min_size=1, max_size=5)))
    organisations = []
    for i, key in enumerate(org_keys):
        parent = draw(st.sampled_from([None, *org_keys[:i]])) if i else None
        organisations.append({"key": key, "name": draw(text), "kind": draw(st.sampled_from(KINDS)),
                              "parent": parent})
    level_keys = draw(st.lists(keys, min_size=1, max_size=4, unique=True))
    activity_keys = iter(draw(st.lists(keys, min_size=12, max_size=12, unique=True)))
    levels = []
    for key in level_keys:
        activities = [{"key": next(activity_keys), "direction": draw(text), "action": draw(text),
                       "responsible": sorted(draw(st.sets(st.sampled_from(org_keys), max_size=3))),
                       "responsible_text": draw(free_text(20)), "cadence": draw(st.sampled_from(CADENCES)),
                       "when": draw(free_text(20)),
                       "fulfilled_by": [{source: detail} for source, detail in
                                        sorted(draw(st.sets(st.sampled_from(FULFILMENTS), max_size=2)))],
                       "not_adopted": draw(st.booleans())}
                      for _ in range(draw(st.integers(0, 3)))]
        refs = [{"kind": "law", "title": draw(text), "statute": "SFS 2025:400", "url": "https://example.org/a",
                 "note": "", "verified_on": draw(st.one_of(st.none(), dates))}
                for _ in range(draw(st.integers(0, 1)))]
        levels.append({"key": key, "name": draw(text), "introduction": draw(free_text(60)),
                       "not_adopted": draw(st.booleans()), "activities": activities, "references": refs})
    # An import is always a draft, whatever the file says; the decision it states comes along as a proposal.
    valid_from = draw(st.one_of(st.none(), dates))
    return {
        "format": "varna-plan/1",
        "plan": {"slug": draw(keys), "title": draw(text), "scope": draw(free_text(30)),
                 "approval_role": draw(st.sampled_from(["steering_group", "coordinator"]))},
        "version": {"number": draw(st.integers(1, 50)), "status": "draft", "level_set": "sollentuna-2016",
                    "valid_from": valid_from, "valid_to": None,
                    "decision": {"body_kind": draw(st.sampled_from(["", "council", "committee", "steering_group"])),
                                 "body": draw(free_text(20)), "date": draw(st.one_of(st.none(), dates)),
                                 "paragraph": draw(free_text(10)), "registry_number": draw(free_text(20)),
                                 "as_written": draw(free_text(30))}},
        "organisations": organisations,
        "sections": [{"key": k, "title": draw(text), "body": draw(free_text(80)), "not_adopted": draw(st.booleans())}
                     for k in draw(st.lists(keys, max_size=3, unique=True))],
        "levels": levels,
        "recommendations": [{"number": n, "text": draw(text), "how_met": draw(free_text(30)),
                             "not_adopted": draw(st.booleans())}
                            for n in sorted(draw(st.sets(st.integers(1, 12), max_size=4)))],
        "references": [],
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(document=plans())
def test_export_of_import_reproduces_the_file(db: Any, document: dict[str, Any]) -> None:
    # A fresh municipality per example: audit events keep earlier ones alive, by design.
    n = next(_counter)
    municipality = Municipality.objects.create(name=f"Prov {n}", code=f"{9000 + n}", slug=f"prov-{n}")
    version = services.plan_import(actor=SYSTEM, municipality=municipality, text=yaml_io.dump(document))
    assert services.plan_to_dict(PlanVersion.objects.get(pk=version.pk)) == document
