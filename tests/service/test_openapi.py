"""The OpenAPI document: stable, unique operation ids with summaries and examples; and a schemathesis run over it
against a real server (bounded in examples and time) that finds no server error and no response breaking the
schema."""

from __future__ import annotations

import time

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from plan_kb.store.queries import named_queries
from tests.service.helpers import plan_kb_server

#: operation ids other systems call; renaming one is a breaking change
STABLE = {"sparql_query_get", "sparql_query_post", "list_queries", "list_plans", "get_plan", "list_tasks",
          "get_task", "list_agencies", "get_agency", "get_place", "list_deadlines", "get_calendar", "export"}
BUDGET_SECONDS = 60.0

schemathesis.openapi.media_type(
    "application/sparql-query",
    st.sampled_from([b"ASK { ?s ?p ?o }", b"SELECT * WHERE { ?s ?p ?o } LIMIT 3", b"SELECT",
                     b"INSERT DATA { <http://a> <http://b> <http://c> }",
                     b"CONSTRUCT WHERE { ?s a <https://w3id.org/plan-kb/ontology#Task> } LIMIT 5"])
    | st.binary(max_size=64))


@pytest.fixture(scope="module")
def base(kb_data) -> str:
    with plan_kb_server(kb_data, PLAN_KB_QUERY_TIMEOUT="5") as url:
        yield url


@pytest.fixture(scope="module")
def openapi(base) -> dict:
    return httpx.get(f"{base}/openapi.json").json()


def _operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_operation_ids_are_stable_and_unique(openapi):
    ids = [op["operationId"] for _p, _m, op in _operations(openapi)]
    assert len(ids) == len(set(ids))
    assert set(ids) >= STABLE
    assert {f"query_{n.replace('-', '_')}" for n in named_queries()} <= set(ids)


def test_every_operation_is_described(openapi):
    for path, method, op in _operations(openapi):
        assert op.get("summary"), (path, method)
        assert "4XX" in op["responses"] or any(c.startswith("4") for c in op["responses"]), (path, method)
    for name, q in named_queries().items():
        op = openapi["paths"][f"/queries/{name}"]["get"]
        params = {p["name"]: p for p in op.get("parameters", [])}
        for p in q.params:
            assert p.name in params and params[p.name]["required"] is not p.optional
            if p.example:
                assert params[p.name]["schema"].get("examples") == [p.example] or params[p.name].get("examples")
    assert "ErrorResponse" in openapi["components"]["schemas"]


def test_examples_in_the_schema_work(base, openapi):
    """Each named query's documented example parameters give a 200."""
    for name in named_queries():
        op = openapi["paths"][f"/queries/{name}"]["get"]
        params = {p["name"]: (p["schema"].get("examples") or p.get("examples") or [None])[0]
                  for p in op.get("parameters", []) if p.get("required")}
        assert httpx.get(f"{base}/queries/{name}", params=params).status_code == 200, name


@pytest.mark.slow
def test_schemathesis(base):
    """No 5xx and nothing outside the schema, for generated requests to every operation, bounded in examples per
    operation and in total time."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    started = time.monotonic()
    tested = []
    for result in schema.get_all_operations():
        op = result.ok()
        if time.monotonic() - started > BUDGET_SECONDS:
            break

        @given(case=op.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case):
            case.call_and_validate(base_url=base, checks=[not_a_server_error, status_code_conformance,
                                                          content_type_conformance, response_schema_conformance])

        run()
        tested.append(op.label)
    assert len(tested) >= len(STABLE)
