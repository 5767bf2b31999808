"""A demo analysis built from whatever the demo municipality's situation picture holds. Idempotent; its texts
say they are demo text, and it cites only the municipality's own published figures."""

from __future__ import annotations

from django.db import transaction

from varna.analysis import selectors, services
from varna.analysis.models import Evidence
from varna.core.actors import SYSTEM
from varna.core.models import Municipality
from varna.situation import selectors as situation

DEMO_TITLE = "Lägesbild och analys (demo)"


@transaction.atomic
def load(municipality: Municipality) -> str:
    if selectors.analyses_of(municipality).filter(title=DEMO_TITLE).exists():
        return "demo analysis already there"
    terms = situation.terms_of(municipality)
    if not terms:
        return "no observations: no demo analysis"
    analysis = services.analysis_create(
        actor=SYSTEM, municipality=municipality, title=DEMO_TITLE, period_from=terms[max(0, len(terms) - 4)],
        period_to=terms[-1], summary="Syntetisk demotext: arbetsgruppens slutsatser ur lägesbilden.")
    categories = situation.breakdown_values(municipality, "category")
    problem = services.problem_save(
        actor=SYSTEM, analysis=analysis, title="Propaganda i det offentliga rummet (demo)",
        what="Syntetisk demotext: klistermärken och symboler rapporteras återkommande.",
        where="Flera stadsdelar", who="Boende och elever", since=terms[0], certainty="medium")
    services.evidence_add(actor=SYSTEM, problem=problem, kind=Evidence.Kind.OBSERVATIONS, term=terms[-1],
                          breakdown="observations", note="Observationer per kategori, senaste terminen")
    services.indicator_create(actor=SYSTEM, municipality=municipality, problem=problem,
                              name="Observationer av propaganda per termin (demo)", kind="category",
                              key=categories[0][0], baseline_term=terms[max(0, len(terms) - 4)])
    from django.utils import timezone

    services.source_create(
        actor=SYSTEM, municipality=municipality, kind="crime_statistics", title="Anmälda brott (syntetisk demo)",
        publisher="Syntetisk demokälla", published_on=timezone.localdate(), figures=[
            {"series": "Skadegörelse (demo)", "area": municipality.name, "period": term[:4], "value": value,
             "unit": "anmälda brott"} for term, value in zip(terms[::2], (120, 110, 95, 90), strict=False)])
    return f"demo analysis with 1 problem statement over {len(terms)} terms"
