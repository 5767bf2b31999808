"""Reporting, changing and deleting observations: the guard, the audit, roles and tenancy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from varna.core.actors import SYSTEM
from varna.core.models import AuditEvent
from varna.core.terms import Term
from varna.situation import services
from varna.situation.models import Observation

NEW = "/sollentuna/situation/observations/new/"
LIST = "/sollentuna/situation/observations/"


def _post_data(**extra: Any) -> dict[str, Any]:
    data = {"date": "2025-03-10", "district": "tureberg", "category": "propaganda", "milieu": "white-power",
            "signs": ["early-graffiti-stickers"], "description": "Klistermärken vid busshållplatsen.",
            "n_male_15_17": "3", "n_female_15_17": "1"}
    data.update(extra)
    return data


@pytest.mark.parametrize(("day", "term"), [(dt.date(2025, 1, 1), "2025-1"), (dt.date(2025, 6, 30), "2025-1"),
                                           (dt.date(2025, 7, 1), "2025-2"), (dt.date(2025, 12, 31), "2025-2")])
def test_the_term_is_derived_from_the_date(day: dt.date, term: str, make_observation: Any) -> None:
    assert Term.of(day).key == term
    assert make_observation(date=day).term == term


def test_working_group_reports_an_observation(client: Client, walter: Any, districts: Any) -> None:
    client.force_login(walter)
    response = client.post(NEW, _post_data())
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert (observation.term, observation.n_male_15_17, observation.people) == ("2025-1", 3, 4)
    assert observation.signs == ["early-graffiti-stickers"]
    assert observation.reported_by == walter
    event = AuditEvent.objects.get(action="situation.observation.created")
    assert event.actor == walter
    assert event.object_id == str(observation.pk)


@pytest.mark.parametrize(("text", "what"), [
    ("Eleven 850101-1236 delade propaganda.", "identity number"),
    ("Anna Svensson delade propaganda i klassen.", "name"),
    ("Ring 070-123 45 67 om det händer igen.", "phone number"),
    ("Skicka bilder till namn@example.se.", "e-mail address"),
    ("Klotter på Storgatan 12 i går.", "street address"),
])
def test_the_form_refuses_personal_data_says_what_was_found_and_saves_nothing(
        client: Client, walter: Any, districts: Any, text: str, what: str) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(walter)
    response = client.post(NEW, _post_data(description=text))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["description"])
    assert what in errors
    assert Observation.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="situation.").exists()


def test_the_guard_message_is_swedish_for_swedish_users(client: Client, walter: Any, districts: Any) -> None:
    client.force_login(walter)
    response = client.post(NEW, _post_data(description="Anna Svensson delade propaganda."))
    assert "Ett namn hittades" in " ".join(response.context["form"].errors["description"])


def test_the_service_refuses_personal_data_and_never_puts_it_in_the_error(make_observation: Any) -> None:
    with pytest.raises(services.PersonalDataError) as caught:
        make_observation(description="Ring 070-123 45 67 eller mejla namn@example.se")
    assert "070" not in str(caught.value)
    assert "example.se" not in str(caught.value)
    assert len(caught.value.messages) == 2
    assert Observation.objects.count() == 0


def test_change_and_delete_are_audited_with_field_names_only(alice: Any, make_observation: Any) -> None:
    observation = make_observation(alice, description="Klotter i gångtunneln.")
    values = {name: getattr(observation, name) for name in services.EDITABLE}
    values.update(description="Klotter i gångtunneln, sanerat.", n_male_18_24=2)
    services.observation_change(actor=alice, observation=observation, values=values)
    changed = AuditEvent.objects.get(action="situation.observation.changed")
    assert changed.data == {"fields": ["description", "n_male_18_24"]}
    assert "sanerat" not in str(changed.data)
    pk = observation.pk
    services.observation_delete(actor=alice, observation=observation)
    assert not Observation.objects.exists()
    assert AuditEvent.objects.filter(action="situation.observation.deleted", object_id=str(pk)).exists()


def test_change_refuses_personal_data_and_keeps_the_old_text(alice: Any, make_observation: Any) -> None:
    observation = make_observation(alice, description="Klotter i gångtunneln.")
    values = {name: getattr(observation, name) for name in services.EDITABLE}
    values["description"] = "Per Andersson klottrade."
    with pytest.raises(services.PersonalDataError):
        services.observation_change(actor=alice, observation=observation, values=values)
    observation.refresh_from_db()
    assert observation.description == "Klotter i gångtunneln."


def test_a_district_of_another_municipality_is_refused(taby: Any, make_observation: Any, districts: Any) -> None:
    values = {"date": dt.date(2025, 3, 1), "district": districts["tureberg"], "category": "other",
              "milieu": "unclear"}
    with pytest.raises(services.SituationError):
        services.observation_create(actor=SYSTEM, municipality=taby, values=values)


def test_staff_may_not_report_unless_the_municipality_allows_it(client: Client, bob: Any, sollentuna: Any,
                                                                 districts: Any) -> None:
    client.force_login(bob)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _post_data()).status_code == 403
    sollentuna.staff_may_report_observations = True
    sollentuna.save()
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, _post_data())
    assert response.status_code == 302
    assert Observation.objects.count() == 1
    # Staff report; they don't read the list of observations.
    assert client.get(LIST).status_code == 403


def test_other_roles_and_tenants(client: Client, maria: Any, tove: Any, verified_client: Any,
                                 districts: Any) -> None:
    assert client.get(NEW).status_code == 302
    assert "/account/login/" in client.get(NEW)["Location"]
    client.force_login(maria)
    assert client.get(NEW).status_code == 403
    assert verified_client(tove).get(NEW).status_code == 404
    assert verified_client(tove).get(LIST).status_code == 404


def test_the_reporters_name_is_shown_to_the_coordinator_only(client: Client, alice: Any, walter: Any,
                                                             verified_client: Any, make_observation: Any) -> None:
    make_observation(walter)
    client.force_login(walter)
    as_walter = client.get(LIST)
    assert as_walter.status_code == 200
    assert not as_walter.context["show_reporter"]
    assert "walter" not in as_walter.content.decode().split("<main", 1)[1].split("</table>")[0]
    as_alice = verified_client(alice).get(LIST)
    assert as_alice.context["show_reporter"]
    assert "walter" in as_alice.content.decode()


def test_only_the_reporter_or_the_coordinator_may_change(client: Client, walter: Any, make_person: Any,
                                                         sollentuna: Any, make_observation: Any) -> None:
    observation = make_observation(walter)
    other = make_person("wilma@sollentuna.example", "working_group", sollentuna)
    client.force_login(other)
    edit = f"/sollentuna/situation/observations/{observation.pk}/edit/"
    assert client.get(edit).status_code == 403
    assert client.post(
        f"/sollentuna/situation/observations/{observation.pk}/delete/", {"confirm": "yes"}).status_code == 403
    client.force_login(walter)
    assert client.get(edit).status_code == 200
    response = client.post(edit, _post_data(description="Klistermärken, borttagna."))
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.description == "Klistermärken, borttagna."


def test_an_observation_of_another_municipality_is_404(verified_client: Any, tove: Any, walter: Any,
                                                       make_observation: Any) -> None:
    observation = make_observation(walter)
    response = verified_client(tove).get(f"/taby/situation/observations/{observation.pk}/edit/")
    assert response.status_code == 404


def test_a_description_over_500_characters_is_refused_on_every_path(client: Client, walter: Any,
                                                                    make_observation: Any) -> None:
    with pytest.raises(services.SituationError):
        make_observation(description="x" * 501)
    client.force_login(walter)
    response = client.post(NEW, _post_data(description="x" * 501))
    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert Observation.objects.count() == 0


def _rollup(municipality: Any) -> list[tuple[Any, ...]]:
    from varna.situation.choices import COUNT_FIELDS
    from varna.situation.models import ObservationRollup

    names = ["term", "district_id", "milieu", "category", "observations"] + [n for n, _g, _a in COUNT_FIELDS]
    return sorted(tuple(r) for r in ObservationRollup.objects.filter(municipality=municipality)
                  .exclude(observations=0).values_list(*names))


def test_the_rollup_follows_every_create_change_delete_and_import(alice: Any, sollentuna: Any,
                                                                  make_observation: Any, districts: Any) -> None:
    first = make_observation(alice, n_male_15_17=3)
    second = make_observation(alice, district="edsberg", n_female_under_15=2)
    make_observation(alice, n_male_15_17=1, n_other_unknown=4)
    values = {name: getattr(first, name) for name in services.EDITABLE}
    values.update(district=districts["viby"], milieu="autonomous", date=dt.date(2025, 9, 1), n_male_15_17=5)
    services.observation_change(actor=alice, observation=first, values=values)
    services.observation_delete(actor=alice, observation=second)
    services.observations_import(actor=alice, municipality=sollentuna, rows=[
        {"date": dt.date(2025, 3, 1), "district": districts["tureberg"], "category": "propaganda",
         "milieu": "white-power", "n_male_15_17": 2}])
    incremental = _rollup(sollentuna)
    services.rollup_rebuild(municipality=sollentuna)
    assert incremental == _rollup(sollentuna)
    assert sum(row[4] for row in incremental) == Observation.objects.count() == 3
