"""Approved plan versions are rendered once and served from the cache; whatever changes what a page shows
changes its key, so the change shows at the next request (varna.core.rendercache, ADR 0015)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.autoreload import file_changed

from varna.core.models import AuditEvent, Organisation
from varna.plans import services
from varna.plans.models import Plan, PlanVersion

PLAN = "/sollentuna/plans/handlingsplan-vbe/"
PAGES = [PLAN, PLAN + "levels/prevent/", PLAN + "activities/", PLAN + "activities/?cadence=continuous"]


def _decided() -> services.Decision:
    """The executive board's decision of today (these tests are about rendering, not who approves)."""
    from django.utils import timezone

    return services.Decision(body_kind="executive_board", body="Kommunstyrelsen", date=timezone.localdate())


def _rendered_keys() -> list[str]:
    return [key for key in cache._cache if ":render:" in key]  # type: ignore[attr-defined]  # the local-memory cache


def _main(html: str) -> str:
    """The page's main content (the header around it holds a fresh CSRF token on every response)."""
    return html[html.index('<main id="main"'):html.index("</main>")]


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_an_approved_page_is_built_once_and_served_the_same(client: Client, demo_plan: Plan, url: str) -> None:
    with CaptureQueriesContext(connection) as first_queries:
        first = _get(client, url)
    with CaptureQueriesContext(connection) as second_queries:
        second = _get(client, url)
    assert _main(first) == _main(second)
    assert _rendered_keys()
    # The activities, their units, levels and references are read only to build the page.
    assert len(second_queries) < len(first_queries)
    assert not any('FROM "plans_activity" ' in query["sql"] for query in second_queries.captured_queries)
    assert len(second_queries) <= 5


def test_a_new_revision_shows_at_once_on_every_page(client: Client, verified_client: Any, demo_plan: Plan,
                                                   alice: Any, sollentuna: Any) -> None:
    before = {url: _get(client, url) for url in PAGES}
    assert all("Nytt arbetssätt för fritidsgårdarna" not in page for page in before.values())
    sollentuna.plan_approval_role = "coordinator"
    sollentuna.save()
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    services.activity_save(
        actor=alice, version=draft, level=draft.levels.get(key="prevent"), key="prevent-youth-centres",
        direction="Nytt arbetssätt för fritidsgårdarna", action="Personalen går en utbildning", responsible=[],
        responsible_text="Fritidsgårdarna", cadence_kind="continuous", cadence_count=None, when_text="Löpande",
        expected_lock=None)
    services.version_approve_as_operator(version=draft, decision=_decided())
    for url in [PLAN, PLAN + "levels/prevent/", PLAN + "activities/?cadence=continuous"]:
        page = _get(client, url)
        assert "Version 2" in page, url
        assert "Kommunstyrelsen " in page, url
    assert "Nytt arbetssätt för fritidsgårdarna" in _get(client, PLAN + "levels/prevent/")
    assert "Nytt arbetssätt för fritidsgårdarna" in _get(client, PLAN + "activities/?cadence=continuous")
    # The old version's own page says at once that it is no longer in force.
    assert "inte längre" in _get(client, PLAN + "versions/1/")


def test_renaming_a_unit_or_the_plan_shows_at_once(client: Client, demo_plan: Plan) -> None:
    unit = Organisation.objects.filter(municipality=demo_plan.municipality, plan_activities__isnull=False).first()
    assert unit.name in _get(client, PLAN + "activities/")
    # Even a bulk update that sends no signal: the key is read from the database, not from an event.
    Organisation.objects.filter(pk=unit.pk).update(name="Omdöpta enheten")
    assert "Omdöpta enheten" in _get(client, PLAN + "activities/")
    Plan.objects.filter(pk=demo_plan.pk).update(title="Plan mot våldsbejakande extremism 2027")
    for url in PAGES:
        assert "Plan mot våldsbejakande extremism 2027" in _get(client, url), url


def test_a_change_to_the_version_row_shows_at_once(client: Client, demo_plan: Plan) -> None:
    assert "2027-06-30" not in _get(client, PLAN)
    version = demo_plan.versions.get(status="approved")
    version.valid_to = dt.date(2027, 6, 30)  # the one thing an approved version may still get: an end date
    version.save()
    assert "2027-06-30" in _get(client, PLAN)


def test_drafts_are_never_cached(verified_client: Any, demo_plan: Plan, alice: Any) -> None:
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    client = verified_client(alice)
    base = f"{PLAN}versions/{draft.number}/"
    assert "Ny inriktning för skolorna" not in _get(client, base)
    cache.clear()
    for url in [base, base + "levels/prevent/", base + "activities/"]:
        _get(client, url)
    assert _rendered_keys() == []
    services.activity_save(
        actor=alice, version=draft, level=draft.levels.get(key="prevent"), key="prevent-schools",
        direction="Ny inriktning för skolorna", action="Samtal i varje klass", responsible=[],
        responsible_text="Rektorerna", cadence_kind="per_term", cadence_count=1, when_text="", expected_lock=None)
    assert "Ny inriktning för skolorna" in _get(client, base + "levels/prevent/")


def test_what_depends_on_the_reader_is_not_in_the_shared_fragment(
        client: Client, verified_client: Any, demo_plan: Plan, alice: Any) -> None:
    anonymous = _get(client, PLAN)
    coordinator_page = _get(verified_client(alice), PLAN)
    assert "export.yaml" in coordinator_page
    assert "export.yaml" not in anonymous
    # The export links carry the reader's own filters, not those of whoever filled the cache.
    assert "export.csv?cadence=continuous" in _get(Client(), PLAN + "activities/?cadence=continuous")
    assert "export.csv?cadence=continuous&amp;x=1" in _get(Client(), PLAN + "activities/?cadence=continuous&x=1")


def test_each_language_has_its_own_rendering(client: Client, demo_plan: Plan) -> None:
    assert "Nivåer" in _get(client, PLAN)
    client.cookies["django_language"] = "en"
    english = _get(client, PLAN)
    assert "Levels" in english
    assert "Nivåer" not in english


def test_filters_have_their_own_rendering(client: Client, demo_plan: Plan) -> None:
    everything = _get(client, PLAN + "activities/")
    continuous = _get(client, PLAN + "activities/?cadence=continuous")
    assert continuous != everything
    version = demo_plan.versions.get(status="approved")
    expected = version.activities.filter(cadence_kind="continuous").count()
    assert expected < version.activities.count()
    assert continuous.count('<tr><th scope="row"') == expected


def test_another_municipality_with_the_same_address_gets_its_own_pages(
        client: Client, demo_plan: Plan, taby: Any, make_person: Any) -> None:
    from varna.plans import demo

    demo.load(taby)
    sollentuna_page = _get(client, PLAN + "activities/")
    Organisation.objects.filter(municipality=taby).update(name="Täby enhet")
    taby_page = _get(client, "/taby/plans/handlingsplan-vbe/activities/")
    assert "Täby enhet" in taby_page
    assert "Täby enhet" not in _get(client, PLAN + "activities/")
    assert _main(_get(client, PLAN + "activities/")) == _main(sollentuna_page)
    # And a plan of its own structure, beside the first.
    tove = make_person("tove@taby.example", "coordinator", taby)
    taby.plan_approval_role = "coordinator"
    taby.save()
    plan = services.plan_create(actor=tove, municipality=taby, title="Täbys brottsförebyggande plan",
                                slug="brottsforebyggande", level_set="crime-prevention-2023")
    version = plan.versions.get()
    services.activity_save(
        actor=tove, version=version, level=version.levels.get(key="situation"), key="situation-survey",
        direction="Lägesbild från skolorna", action="Enkät varje vår", responsible=[], responsible_text="",
        cadence_kind="per_year", cadence_count=1, when_text="Mars", expected_lock=None)
    services.version_approve_as_operator(version=version, decision=_decided())
    page = _get(client, "/taby/plans/brottsforebyggande/levels/situation/")
    assert "Lägesbild från skolorna" in page
    assert "Täbys brottsförebyggande plan" in page
    assert "Lägesbild från skolorna" not in _get(client, "/taby/plans/handlingsplan-vbe/")


def test_a_template_change_shows_at_once(client: Client, demo_plan: Plan, tmp_path: Path) -> None:
    _get(client, PLAN)
    (tmp_path / "plans").mkdir()
    banner = tmp_path / "plans" / "_version_banner.html"
    banner.write_text("<p>Första mallen</p>", encoding="utf-8")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        assert "Första mallen" in _get(client, PLAN)
        # Edited while the server runs (the development server's reloader reports it).
        banner.write_text("<p>Andra mallen</p>", encoding="utf-8")
        file_changed.send(sender=None, file_path=banner)
        page = _get(client, PLAN)
        assert "Andra mallen" in page
        assert "Första mallen" not in page
    assert "Andra mallen" not in _get(client, PLAN)


def test_the_pdf_is_rendered_once_per_version_with_an_etag(client: Client, verified_client: Any,
                                                          demo_plan: Plan, alice: Any, sollentuna: Any) -> None:
    url = PLAN + "plan.pdf"
    with mock.patch("weasyprint.HTML.write_pdf", side_effect=[b"%PDF v1", b"%PDF v2"]) as render:
        first, second = client.get(url), client.get(url)
        assert first.content == second.content == b"%PDF v1"
        assert render.call_count == 1
        etag = first["ETag"]
        assert etag
        assert second["ETag"] == etag
        assert "public" in first["Cache-Control"]
        # A browser that has it asks again with its ETag and gets "not modified", without the file.
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        # A signed-in member's download is recorded, from the cache too; an anonymous reader's is not.
        assert not AuditEvent.objects.filter(action="plans.version.exported").exists()
        member = verified_client(alice)
        assert member.get(url).content == b"%PDF v1"
        assert render.call_count == 1
        assert AuditEvent.objects.filter(action="plans.version.exported", actor=alice).count() == 1

        sollentuna.plan_approval_role = "coordinator"
        sollentuna.save()
        draft = services.version_create_draft(actor=alice, plan=demo_plan)
        services.version_approve_as_operator(version=draft, decision=_decided())
        changed = Client().get(url, HTTP_IF_NONE_MATCH=etag)
        assert changed.status_code == 200
        assert changed.content == b"%PDF v2"
        assert changed["ETag"] != etag
        assert render.call_count == 2


def test_a_draft_pdf_is_rendered_every_time_and_kept_by_no_one(verified_client: Any, demo_plan: Plan,
                                                               alice: Any) -> None:
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    client = verified_client(alice)
    url = f"{PLAN}versions/{draft.number}/plan.pdf"
    with mock.patch("weasyprint.HTML.write_pdf", return_value=b"%PDF draft") as render:
        responses = [client.get(url), client.get(url)]
    assert render.call_count == 2
    assert all(r.status_code == 200 and "ETag" not in r and "no-store" in r["Cache-Control"] for r in responses)
    assert PlanVersion.objects.get(pk=draft.pk).is_draft


def test_the_hot_path_query_reads_the_version_as_the_orm_does(demo_plan: Plan, taby: Any, alice: Any,
                                                             sollentuna: Any) -> None:
    from varna.plans import selectors

    plan, version, siblings = selectors.public_version_get(demo_plan.municipality, demo_plan.slug)
    stored = selectors.current_version(demo_plan)
    for model_field in PlanVersion._meta.concrete_fields:
        assert getattr(version, model_field.attname) == getattr(stored, model_field.attname), model_field.name
    for model_field in Plan._meta.concrete_fields:
        assert getattr(plan, model_field.attname) == getattr(demo_plan, model_field.attname)
    assert version.span == stored.span
    assert version.standing == stored.standing == "in_force"
    assert [v.pk for v in siblings] == [stored.pk]
    # Only that municipality's plan.
    assert selectors.public_version_get(taby, demo_plan.slug) is None
    assert selectors.public_version_get(demo_plan.municipality, "no-such-plan") is None
    # A version adopted to come into force later: the pages keep showing the one in force until that day.
    demo_plan.municipality.plan_approval_role = "coordinator"
    demo_plan.municipality.save()
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    services.version_approve_as_operator(version=draft, decision=_decided(),
                             valid_from=timezone.localdate() + dt.timedelta(days=30))
    for day in (timezone.localdate(), timezone.localdate() + dt.timedelta(days=30)):
        _plan, shown, _siblings = selectors.public_version_get(demo_plan.municipality, demo_plan.slug, day)
        assert shown.number == selectors.current_version(demo_plan, day).number
    assert {v.number for v in selectors.public_version_get(demo_plan.municipality, demo_plan.slug)[2]} == {1, 2}


def test_a_version_adopted_for_later_shows_in_force_on_its_first_day(client: Client, demo_plan: Plan, alice: Any,
                                                                     sollentuna: Any) -> None:
    sollentuna.plan_approval_role = "coordinator"
    sollentuna.save()
    draft = services.version_create_draft(actor=alice, plan=demo_plan)
    start = timezone.localdate() + dt.timedelta(days=1)
    services.version_approve_as_operator(version=draft, decision=_decided(), valid_from=start)
    page = _get(client, PLAN)
    assert "Version 1" in page
    # Tomorrow: the cached page of today is not the one shown.
    with mock.patch("django.utils.timezone.localdate", return_value=start):
        assert "Version 2" in _get(client, PLAN)


def test_the_filter_form_in_the_cached_page_shows_the_readers_choice(client: Client, demo_plan: Plan) -> None:
    unit = Organisation.objects.filter(municipality=demo_plan.municipality, plan_activities__isnull=False).first()
    page = _get(client, PLAN + f"activities/?organisation={unit.key}")
    assert f'<option value="{unit.key}" selected>' in page
    assert f'<option value="{unit.key}" selected>' not in _get(Client(), PLAN + "activities/")
    # A unit's new key is a new rendering, and the old key is checked by the form again (not from the cache).
    Organisation.objects.filter(pk=unit.pk).update(key="ny-nyckel")
    assert '<option value="ny-nyckel" selected>' in _get(client, PLAN + "activities/?organisation=ny-nyckel")
    stale = client.get(PLAN + f"activities/?organisation={unit.key}").content.decode()
    assert 'data-color="danger"' in stale


def test_a_filter_the_form_refuses_is_shown_with_its_error_and_never_cached(client: Client, demo_plan: Plan) -> None:
    _get(client, PLAN + "activities/")
    cache.clear()
    page = _get(client, PLAN + "activities/?cadence=<script>")
    assert 'data-color="danger"' in page
    assert "<script>" not in page
    assert not any(":render:plans.activities:" in key for key in _rendered_keys())
    assert _get(Client(), PLAN + "activities/?cadence=nonsense").count('data-color="danger"') >= 1


def test_an_unknown_level_is_not_found_with_the_level_names_cached(client: Client, demo_plan: Plan) -> None:
    assert client.get(PLAN + "levels/prevent/").status_code == 200
    assert client.get(PLAN + "levels/no-such-level/").status_code == 404
    assert client.get("/taby/plans/handlingsplan-vbe/levels/prevent/").status_code == 404
