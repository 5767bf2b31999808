"""The situation fixtures, shared."""

from tests.situation.conftest import districts, make_observation  # noqa: F401
