"""Property-based fuzzing of the API from its OpenAPI schema (schemathesis): no input gives a 5xx.

Not collected by `make test` (the file name does not start with `test_`); `make api-fuzz` runs it.
The schema is loaded through the WSGI application, so no server is started; requests carry a
coordinator's token for Sollentuna and most go to Sollentuna's own paths, so the endpoints' real
code (selectors, services, the PII guard, suppression) is reached rather than only the 404 for an
unknown municipality. Bounded by hypothesis' `max_examples` per operation.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

MAX_EXAMPLES = 30


@pytest.fixture
def coordinator_token(db: Any, settings: Any) -> str:
    from varna.api import services
    from varna.core import demo

    settings.VARNA_RATE_LIMITS_ENABLED = False
    from varna.core.models import Membership, User
    from varna.plans import demo as plans_demo
    from varna.situation import demo as situation_demo

    municipality = demo.load_municipality()
    plans_demo.load(municipality)
    situation_demo.load_districts(municipality)
    user = User.objects.create_user(email="fuzz@sollentuna.example", password="not-used")
    Membership.objects.create(user=user, municipality=municipality, role="coordinator")
    return services.token_create(actor=user, municipality=municipality, name="fuzz")[1]


def _load_schema() -> Any:
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


schema = _load_schema()


@schema.parametrize()
@pytest.mark.django_db
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_input_gives_a_server_error(case: Any, coordinator_token: str) -> None:
    if case.path_parameters and "municipality_slug" in case.path_parameters:
        case.path_parameters["municipality_slug"] = "sollentuna"
    case.call_and_validate(headers={"Authorization": f"Bearer {coordinator_token}"}, checks=[not_a_server_error])
