"""Answers written by Oxigraph under the caps (``plan_kb.store.written``): the same rows as the typed result, the row
cap exact whatever the values hold (unbound solutions, marks of the format inside strings), the byte cap on what is
written, and the same through a worker process and on the event loop."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from plan_kb.store import EmbeddedStore, ResultTooLarge, RowLimitExceeded
from plan_kb.store.results import run_on_oxigraph
from plan_kb.store.written import Written

NS = "http://www.w3.org/2005/sparql-results#"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    g = ox.NamedNode("http://example.org/g")
    for i in range(50):
        # values that hold what marks a term or a row in the formats written
        text = ['{"type":"uri"', "<result>", "{}", 'a"{', "{", f"plain {i}"][i % 6]
        s.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                      ox.Literal(text), g))
    return s


def _rows(w: Written) -> int:
    if w.format == "json":
        return len(json.loads(w.data)["results"]["bindings"])
    return len(ET.fromstring(w.data).findall(f"{{{NS}}}results/{{{NS}}}result"))


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_rows_of_the_typed_result(store, fmt) -> None:
    q = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    w = run_on_oxigraph(store, q, 50, write=fmt)
    assert isinstance(w, Written) and w.kind == "select" and _rows(w) == 50
    if fmt == "json":
        typed = run_on_oxigraph(store, q)
        got = [(b["s"]["value"], b["o"]["value"]) for b in json.loads(w.data)["results"]["bindings"]]
        assert got == [(r["s"], r["o"]) for r in typed.records()]
    with pytest.raises(RowLimitExceeded, match="more than 49 rows"):
        run_on_oxigraph(store, q, 49, write=fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_row_cap_counts_solutions_that_bind_nothing(store, fmt) -> None:
    q = "SELECT ?x WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?x } }"
    assert _rows(run_on_oxigraph(store, q, 50, write=fmt)) == 50
    with pytest.raises(RowLimitExceeded):
        run_on_oxigraph(store, q, 49, write=fmt)
    # terms with few rows: one row of two terms is within a cap of one row
    one = 'SELECT ?a ?b WHERE { BIND("{}" AS ?a) BIND("{\\"type\\":\\"x" AS ?b) }'
    assert _rows(run_on_oxigraph(store, one, 1, write=fmt)) == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_byte_cap_is_on_what_is_written(store, fmt) -> None:
    q = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    size = len(run_on_oxigraph(store, q, write=fmt).data)
    assert len(run_on_oxigraph(store, q, byte_limit=size, write=fmt).data) == size
    with pytest.raises(ResultTooLarge, match=f"more than {size - 1} bytes"):
        run_on_oxigraph(store, q, byte_limit=size - 1, write=fmt)


def test_ask_and_graphs(store) -> None:
    w = run_on_oxigraph(store, "ASK { ?s ?p ?o }", write="json")
    assert w.kind == "ask" and json.loads(w.data)["boolean"] is True
    g = run_on_oxigraph(store, "CONSTRUCT WHERE { ?s ?p ?o }", write="json")  # a graph: the typed result
    assert g.kind == "graph" and len(g) == 50


def test_through_a_worker_and_on_the_event_loop(built) -> None:
    s = EmbeddedStore(built.folder, workers=1)
    try:
        q = "SELECT ?s WHERE { ?s a <https://w3id.org/plan-kb/ontology#Task> }"
        by_thread = s.query(q, timeout=10, write="json")
        on_loop = asyncio.run(s.aquery(q, timeout=10, write="json"))
        assert isinstance(on_loop, Written) and on_loop.data == by_thread.data and _rows(on_loop) > 10
        with pytest.raises(RowLimitExceeded):
            asyncio.run(s.aquery(q, timeout=10, row_limit=3, write="xml"))
        assert asyncio.run(s.aquery("ASK {}", timeout=10, write="xml")).kind == "ask"  # the worker is still there
    finally:
        s.close()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_cap_holds_for_the_smallest_rows_at_every_size(store, fmt) -> None:
    """Solutions that bind nothing are the fewest bytes a row can take: the answers judged by their size alone (the
    cap times 3 bytes in JSON, 9 in XML) and the ones counted both give the cap exactly."""
    q = "SELECT ?x WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?x } }"
    for cap in range(40, 61):
        if cap >= 50:
            assert _rows(run_on_oxigraph(store, q, cap, write=fmt)) == 50
        else:
            with pytest.raises(RowLimitExceeded):
                run_on_oxigraph(store, q, cap, write=fmt)
    assert _rows(run_on_oxigraph(store, q, 10_000, write=fmt)) == 50  # far within: nothing counted
