"""Täby's coordinator runs two plans, one of them revised with effect from a later day, in the browser:
every row says which plan it belongs to, the plan filter narrows to one, the revision is announced as
"Gäller från", and the annual report has a section per plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from tests.plans import timeline
from tests.plans.timeline import Row

STRATEGY = [("prevent", "Förebygga"), ("hinder", "Förhindra"), ("protect", "Skydda"), ("manage", "Hantera")]
CRIME = [("situation", "Lägesbild"), ("measures", "Åtgärder"), ("follow_up", "Uppföljning")]


def test_the_coordinator_tells_the_two_plans_apart_everywhere(new_page: Any, taby: Any, tove: Any) -> None:
    today = timezone.localdate()
    start = dt.date(today.year - 1, 1, 1)
    strategy = timeline.plan(taby, "strategi", "Strategi mot våldsbejakande extremism")
    crime = timeline.plan(taby, "brottsforebyggande", "Brottsförebyggande åtgärdsplan")
    timeline.version(strategy, 1, levels=STRATEGY, valid_from=start, adopted_on=start - dt.timedelta(days=20),
                     rows=[Row("natverk", "prevent", "per_term(1)", ["skolor"], direction="Nätverksträffar")])
    timeline.version(crime, 1, levels=CRIME, valid_from=start, adopted_on=start - dt.timedelta(days=10),
                     rows=[Row("trygghetsvandring", "measures", "per_term(2)", ["polisen"],
                               direction="Trygghetsvandringar")])
    later = today + dt.timedelta(days=40)
    timeline.version(strategy, 2, levels=STRATEGY, valid_from=later, adopted_on=today,
                     rows=[Row("natverk", "prevent", "per_term(3)", ["skolor"], direction="Nätverksträffar")])

    page = new_page("sv", tove)
    page.goto("/taby/followup/")
    rows = page.locator("table.compliance-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Nätverksträffar").locator("td").first).to_have_text(
        "Strategi mot våldsbejakande extremism, v1")
    expect(rows.filter(has_text="Trygghetsvandringar").locator("td").first).to_have_text(
        "Brottsförebyggande åtgärdsplan, v1")
    page.locator("select[name=plan]").select_option(label="Brottsförebyggande åtgärdsplan")
    page.get_by_role("button", name="Filtrera").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Trygghetsvandringar")

    page.goto("/taby/plans/")
    expect(page.get_by_text("Strategi mot våldsbejakande extremism")).to_be_visible()
    page.goto("/taby/plans/strategi/versions/2/")
    expect(page.get_by_text(f"Gäller från {later.isoformat()}").first).to_be_visible()
    page.goto("/taby/plans/strategi/")
    expect(page.get_by_text("Gäller", exact=True).first).to_be_visible()

    page.goto(f"/taby/report/?year={start.year}")
    expect(page.get_by_role("heading", name="Strategi mot våldsbejakande extremism", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="Brottsförebyggande åtgärdsplan", level=3)).to_be_visible()
