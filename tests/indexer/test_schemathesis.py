"""Schemathesis against the API's own OpenAPI document, on a populated database: whatever the
generated requests (valid and invalid parameters alike), no 5xx, and every answer conforms to the
schema (status codes, content types, bodies). Bounded: a few dozen examples per operation."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from mall_data import populated_store
from schemathesis.specs.openapi.checks import positive_data_acceptance

from indexer.api import create_app
from indexer.settings import Settings


@pytest.fixture
def api_schema(tmp_path):
    store, deployment = populated_store(tmp_path / "schemathesis.db")
    app = create_app(Settings(frontend_dir=tmp_path / "no-frontend"), store, deployment)
    yield schemathesis.openapi.from_asgi("/api/openapi.json", app)
    store.close()


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api__no_server_errors_and_answers_conform(case):
    # A cursor is opaque: the schema cannot say which strings are the API's own, so a schema-valid
    # one may rightly be refused (422, tested in test_api). Every other check applies as it is.
    opaque = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
    case.call_and_validate(excluded_checks=opaque)
