"""Schemathesis against the web app's OpenAPI document: no generated request makes it fail."""

from __future__ import annotations

import tempfile

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from hallsim.web.app import create_app  # noqa: E402

app = create_app(tempfile.mkdtemp(prefix="hallsim-schema-"), workers=0, max_runs=1,
                 host="testserver")   # the name Starlette's test client sends
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_server_fail(case):
    """Any request the OpenAPI document allows gets a non-5xx answer matching the document."""
    response = case.call()
    assert response.status_code < 500, response.text
