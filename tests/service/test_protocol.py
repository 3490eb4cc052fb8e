"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint, from the manifest in
``tests/service/protocol/manifest.yaml`` (the W3C descriptions rewritten as cases against this project's data),
run over HTTP against ``plan-kb serve`` with the embedded store and with a remote ``oxigraph serve``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import yaml
from rdflib import Dataset

from plan_kb.base.namespaces import ONTOLOGY_GRAPH, PKB
from plan_kb.store import RemoteStore
from tests.service.helpers import oxigraph_server, plan_kb_server

pytestmark = pytest.mark.slow
MANIFEST = Path(__file__).parent / "protocol" / "manifest.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graphs(dataset: Dataset) -> dict[str, str]:
    """The placeholders: the first document's named graph and the ontology's."""
    docs = sorted({str(g) for _s, _p, _o, g in dataset.quads((None, None, PKB.Plan, None))})
    return {"doc": docs[0], "ontology": str(ONTOLOGY_GRAPH)}


@pytest.fixture(scope="module")
def sizes(dataset: Dataset, graphs: dict[str, str]) -> dict[str, set[tuple[Any, ...]]]:
    """The triples of each placeholder's graph, and of the whole union ("all")."""
    out: dict[str, set[tuple[Any, ...]]] = {k: set() for k in (*graphs, "all")}
    names = {v: k for k, v in graphs.items()}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        out["all"].add((s, p, o))
        if str(g) in names:
            out[names[str(g)]].add((s, p, o))
    return out


@pytest.fixture(scope="module", params=["embedded", "remote"])
def endpoint(request: pytest.FixtureRequest, kb_data: Path, built, tmp_path_factory) -> Iterator[str]:
    if request.param == "embedded":
        with plan_kb_server(kb_data) as base:
            yield base + "/sparql"
        return
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-protocol")) as store_url:
        pusher = RemoteStore(store_url)
        pusher.push(built.folder / "kb.nq")
        pusher.close()
        with plan_kb_server(kb_data, PLAN_KB_STORE=store_url) as base:
            yield base + "/sparql"


def _fill(value: Any, graphs: dict[str, str]) -> Any:
    if isinstance(value, str):
        for k, v in graphs.items():
            value = value.replace("{" + k + "}", v)
    return value


def _pairs(rows: list[list[str]] | None, graphs: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, _fill(v, graphs)) for k, v in rows or []]


def send(endpoint: str, case: dict[str, Any], graphs: dict[str, str]) -> httpx.Response:
    headers = {"Accept": case.get("accept", "application/sparql-results+json, application/n-triples;q=0.9, "
                                            "text/turtle;q=0.8")}
    params = _pairs(case.get("params"), graphs)
    content: bytes | None = None
    if "form" in case:
        content = httpx.QueryParams(_pairs(case["form"], graphs)).__str__().encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif "body" in case:
        content = _fill(case["body"], graphs).encode("utf-8")
    elif "body_utf16" in case:
        content = _fill(case["body_utf16"], graphs).encode("utf-16")
    if "content_type_sent" in case:
        if case["content_type_sent"] is None:
            headers.pop("Content-Type", None)
        else:
            headers["Content-Type"] = case["content_type_sent"]
    req = httpx.Request(case["method"], endpoint, params=params, content=content, headers=headers)
    if content is not None and "Content-Type" not in headers:
        req.headers.pop("Content-Type", None)
    with httpx.Client(timeout=60) as client:
        return client.send(req)


def _check(r: httpx.Response, case: dict[str, Any], graphs: dict[str, str],
           sizes: dict[str, set[tuple[Any, ...]]]) -> None:
    want = case["status"]
    if want == "4xx":
        assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
        assert "error" in r.json()
    else:
        assert r.status_code == want, (r.status_code, r.text[:300])
    if r.status_code >= 400:
        return
    ctype = r.headers.get("content-type", "").split(";")[0]
    if "content_type" in case:
        assert ctype in case["content_type"], ctype
    expect = case.get("expect") or {}

    def size(expr: str | int) -> int:
        if isinstance(expr, int):
            return expr
        union: set[tuple[Any, ...]] = set()
        for part in expr.split("+"):
            union |= sizes[part]
        return len(union)

    if "count" in expect:
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == size(expect["count"])
    if "positive" in expect:
        assert int(r.json()["results"]["bindings"][0][expect["positive"]]["value"]) > 0
    if "boolean" in expect:
        assert r.json()["boolean"] is expect["boolean"]
    if "graphs" in expect:
        got = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
        assert got == {graphs[g] for g in expect["graphs"]}
    if "graph_counts" in expect:
        got = {b.get("g", {}).get("value", ""): int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}
        assert got == {(graphs[g] if g else ""): size(n) for g, n in expect["graph_counts"].items()}
    if "triples" in expect:
        triples = list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
        assert len(set(triples)) == size(expect["triples"])
    if "rdf" in expect:
        fmt = ox.RdfFormat.from_media_type(ctype)
        assert fmt is not None and list(ox.parse(r.content, format=fmt))
    if "service_description" in expect:
        fmt = ox.RdfFormat.from_media_type(ctype)
        sd = "http://www.w3.org/ns/sparql-service-description#"
        types = {t.object.value for t in ox.parse(r.content, format=fmt)
                 if t.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
        assert sd + "Service" in types


def test_the_manifest_covers_the_w3c_tests_that_apply() -> None:
    names = {c["w3c"] for c in CASES if c.get("w3c")}
    assert len(names) == len([c for c in CASES if c.get("w3c")]) >= 25
    assert all(c.get("description") and c.get("method") for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_protocol(endpoint: str, case: dict[str, Any], graphs: dict[str, str],
                  sizes: dict[str, set[tuple[Any, ...]]]) -> None:
    _check(send(endpoint, case, graphs), case, graphs, sizes)
