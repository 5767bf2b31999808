"""The national view: suppressed figures of opted-in municipalities only; no municipality page for the analyst."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from tests.security.test_authorization_matrix import TABLE_PATH, routes
from varna.situation.choices import COUNT_FIELDS

pytestmark = pytest.mark.django_db


def _opt_in(*municipalities: Any) -> None:
    for municipality in municipalities:
        municipality.national_opt_in = True
        municipality.save()


def test_small_counts_are_hidden_and_free_text_never_shown(nils: Any, sollentuna: Any, taby: Any,
                                                           make_observation: Any, verified_client: Any) -> None:
    _opt_in(sollentuna)
    make_observation(description="Klistermärken vid pendeltågsstationen", **{COUNT_FIELDS[0][0]: 3})
    response = verified_client(nils).get("/national/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Klistermärken" not in html
    for _header, table in response.context["page"]["tables"]:
        shown = {c.display for row in table.rows for c in [*row.cells, row.total]}
        shown |= {c.display for c in [*table.column_totals, table.grand_total]}
        assert "3" not in shown
    # Not opted in: on the map as a grey shape, in no table.
    assert "<title>Täby: deltar inte</title>" in html
    assert "<td>Täby</td>" not in html
    assert '<th scope="row">Täby</th>' not in html


def test_large_counts_are_rounded_to_five(nils: Any, sollentuna: Any, make_observation: Any,
                                          verified_client: Any) -> None:
    _opt_in(sollentuna)
    make_observation(**{COUNT_FIELDS[0][0]: 21})
    make_observation(date=dt.date(2025, 4, 2), **{COUNT_FIELDS[0][0]: 1})
    response = verified_client(nils).get("/national/")
    tables = dict((t.key, t) for _h, t in response.context["page"]["tables"])
    assert tables["municipality"].grand_total.display == "20"


def test_plan_coverage_shows_the_approved_version(nils: Any, demo_plan: Any, verified_client: Any) -> None:
    _opt_in(demo_plan.municipality)
    coverage = verified_client(nils).get("/national/").context["page"]["coverage"]
    assert coverage[0].approved_version == 1  # the demo plan's one approved version


def test_members_of_a_municipality_get_no_national_view(alice: Any, verified_client: Any) -> None:
    assert verified_client(alice).get("/national/").status_code == 403


def test_the_analyst_finds_the_national_view_from_the_start_page_and_the_header(nils: Any,
                                                                                 verified_client: Any) -> None:
    client = verified_client(nils)
    start = client.get("/")
    assert start.status_code == 200
    html = start.content.decode()
    cards = html[html.index('id="account-links"'):]
    assert 'href="/national/"' in cards[:cards.index("</div>")]
    assert "No municipality has been set up yet" not in html
    national = client.get("/national/").content.decode()
    header = national[national.index('class="site-account"'):]
    assert 'href="/national/" aria-current="page"' in header[:header.index("</nav>")]


def test_nobody_else_is_offered_the_national_view(alice: Any, tove: Any, verified_client: Any) -> None:
    for user, page in [(alice, "/sollentuna/"), (tove, "/taby/")]:
        assert 'href="/national/"' not in verified_client(user).get(page).content.decode()


def test_national_analyst_gets_no_more_of_a_municipality_than_the_public() -> None:
    """Every municipality-level URL: the analyst gets a 200 only where an anonymous visitor does too."""
    table = yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8"))["urls"]
    checked = 0
    for route in routes():
        if "municipality" not in route.params or route.name not in table:
            continue
        expect = table[route.name]["expect"]
        analyst = expect.get("national_analyst", expect.get("default"))
        anonymous = expect.get("anonymous", expect.get("default"))
        assert analyst != 200 or anonymous == 200, route.name
        checked += 1
    assert checked > 50
