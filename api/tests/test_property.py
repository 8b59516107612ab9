"""Property-based run: Schemathesis generates requests from the published OpenAPI schema —
valid and deliberately invalid — for every operation, and none may end in a server error.

The requests go in-process through Django's test client (same database transaction as the
test's data), with a valid token so writes reach the services too.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

pytestmark = pytest.mark.django_db

EXAMPLES = 10


def _operations(schema_dict):
    schema = schemathesis.openapi.from_dict(schema_dict)
    for result in schema.get_all_operations():
        yield result.ok()


def _send(client, case, token: str):
    """The generated request, through Django's test client."""
    query = {k: v for k, v in (case.query or {}).items() if v is not None}
    path = case.formatted_path
    if query:
        path = f"{path}?{urlencode(query, doseq=True)}"
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = case.body
    if case.method.upper() in ("POST", "DELETE") and type(body).__name__ != "NotSet":
        if isinstance(body, bytes | str):
            kwargs["data"] = body
        else:
            kwargs["data"] = json.dumps(body, default=str)
        kwargs["content_type"] = case.media_type or "application/json"
    return client.generic(case.method.upper(), path, **kwargs)


def test_no_generated_request_causes_a_server_error(client, world, token_for):
    schema_dict = json.loads(
        client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )
    token = token_for(world.author)
    failures: list[str] = []
    statuses: list[int] = []
    operations = list(_operations(schema_dict))
    assert len(operations) >= 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                response = _send(client, case, token)
                statuses.append(response.status_code)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} {case.query} -> "
                                    f"{response.status_code}")  # fmt: skip
                elif response.status_code != 304 and response.content:
                    polis_file = "/polis/" in case.formatted_path and response.status_code == 200
                    kind = "text/csv" if polis_file else "application/json"
                    assert response["Content-Type"].startswith(kind)

            try:
                run()
            except Unsatisfiable:
                # Nothing to make invalid (an operation without parameters or body).
                assert mode == GenerationMode.NEGATIVE
    assert failures == []
    assert len(statuses) > 200
    assert any(code < 300 for code in statuses) and any(code == 400 for code in statuses)
