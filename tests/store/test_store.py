"""The stores: embedded Oxigraph (with its killable query workers) and a remote SPARQL 1.1 endpoint + Graph Store
Protocol, tested against a real ``oxigraph serve`` started on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from plan_kb.store import EmbeddedStore, QueryError, QueryTimeout, RemoteStore, RowLimitExceeded, Store
from plan_kb.store.queries import named_queries, records
from tests.service.helpers import BIN, oxigraph_server, plan_kb_server

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def embedded(built):
    s = EmbeddedStore(built.folder)
    yield s
    s.close()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="module")
def remote(oxigraph, built):
    s = RemoteStore(oxigraph)
    counts = s.push(built.folder / "kb.nq")
    assert counts and all(n > 0 for n in counts.values())
    yield s
    s.close()


def test_embedded_is_a_store(embedded, dataset):
    assert isinstance(embedded, Store)
    assert len(embedded) == len(list(dataset.quads((None, None, None, None))))
    # distinct triples: the ontology's graph and a document's share a few (the union default graph is a bag)
    res = embedded.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert res.records()[0]["n"] == len({q[:3] for q in dataset.quads((None, None, None, None))})
    with pytest.raises(QueryError, match="does not parse"):
        embedded.query("SELECT WHERE")


def test_embedded_time_limit_kills_the_worker(embedded):
    pool = embedded.pool()
    before = set(pool.pids())
    with pytest.raises(QueryTimeout, match=r"time limit of 0\.5 s"):
        embedded.query(SLOW, timeout=0.5)
    res = embedded.query("ASK { ?s ?p ?o }", timeout=10)  # answered by a live worker
    assert res.boolean is True
    killed = before - set(pool.pids())
    assert len(killed) == 1
    for pid in killed:
        status = Path(f"/proc/{pid}/status")
        assert not status.exists() or "zombie" in status.read_text().lower()


def test_embedded_row_cap(embedded):
    with pytest.raises(RowLimitExceeded):
        embedded.query("SELECT * WHERE { ?s ?p ?o }", timeout=10, row_limit=10)
    assert len(embedded.query("SELECT * WHERE { ?s ?p ?o } LIMIT 10", timeout=10, row_limit=10).rows) == 10


@pytest.mark.slow
def test_remote_has_every_graph(remote, dataset):
    res = remote.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    got = {r["g"]: r["n"] for r in res.records()}
    want = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    assert got == want


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(named_queries()))
def test_remote_answers_like_embedded(remote, embedded, name):
    q = named_queries()[name]
    got, want = records(remote, name, **q.example_params()), records(embedded, name, **q.example_params())
    assert sorted(map(repr, got)) == sorted(map(repr, want))  # the same rows (a query may leave ties unordered)


@pytest.mark.slow
def test_remote_construct_ask_and_errors(remote, embedded):
    c = "CONSTRUCT WHERE { ?s a <https://w3id.org/plan-kb/ontology#Task> }"
    assert sorted(remote.query(c).ntriples.splitlines()) == sorted(embedded.query(c).ntriples.splitlines())
    assert remote.query("ASK { ?s ?p ?o }").boolean is True
    with pytest.raises(QueryError):
        remote.query("SELECT WHERE")
    with pytest.raises(RowLimitExceeded):
        remote.query("SELECT * WHERE { ?s ?p ?o }", row_limit=5)
    with pytest.raises(QueryTimeout):
        remote.query(SLOW, timeout=0.5)


@pytest.mark.slow
def test_serve_from_the_remote_store(remote, oxigraph, kb_data, tmp_path):
    """``plan-kb serve --store URL`` answers the API and /sparql from the remote store."""
    with plan_kb_server(tmp_path, PLAN_KB_STORE=oxigraph) as base:  # an empty data folder: all from the store
        plans = httpx.get(f"{base}/plans").json()
        assert {p["plan"] for p in plans["items"]} >= {"water", "air", "soil", "groundwater"}
        r = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert r.json()["boolean"] is True
        r = httpx.get(f"{base}/sparql", params={"query": "INSERT DATA { <http://a> <http://b> <http://c> }"})
        assert r.status_code == 403
        nq = httpx.get(f"{base}/export", params={"format": "nquads"})
        lines = (kb_data / "current" / "kb.nq").read_text(encoding="utf-8").splitlines()
        assert nq.status_code == 200 and len(nq.text.splitlines()) == sum(1 for ln in lines if ln.strip())


@pytest.mark.slow
def test_push_command(built, kb_data, tmp_path):
    with oxigraph_server(tmp_path / "ox") as url:
        env = {**os.environ, "PLAN_KB_DATA": str(kb_data)}
        out = subprocess.run([str(BIN / "plan-kb"), "push", url], env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        assert "pushed" in out.stdout
        s = RemoteStore(url)
        try:
            n = s.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").records()[0]["n"]
        finally:
            s.close()
        assert n == sum(1 for line in (built.folder / "kb.nq").read_text(encoding="utf-8").splitlines() if line)


def test_remote_store_rejects_a_bad_url():
    with pytest.raises(Exception, match="not an http"):
        RemoteStore("ftp://example.org/sparql")
    assert sys.executable


@pytest.mark.slow
def test_remote_and_embedded_export_the_same_graph(remote, embedded):
    import pyoxigraph as ox

    from plan_kb.base.namespaces import ONTOLOGY_GRAPH

    def terms(store: Store, **kw: object) -> set:
        return set(ox.parse(store.serialize("nquads", **kw), format=ox.RdfFormat.N_QUADS))

    one = terms(embedded, graph=str(ONTOLOGY_GRAPH))
    assert one and one == terms(remote, graph=str(ONTOLOGY_GRAPH))
    assert terms(remote, ontology=False) == terms(embedded, ontology=False) == terms(embedded) - one
    assert not terms(remote, graph="https://example.org/no-such-graph")


@pytest.mark.parametrize("query,named", [
    ("SELECT * FROM <http://g> WHERE { ?s ?p ?o }", True),
    ("select * from named <http://g> where { graph ?g { ?s ?p ?o } }", True),
    ("PREFIX g: <http://g/> CONSTRUCT { ?s ?p ?o } FROM g:x WHERE { ?s ?p ?o }", True),
    ("DESCRIBE <http://x> FROM <http://g>", True),
    ("SELECT * WHERE { ?s ?p \"FROM <http://g>\" }", False),   # in a string
    ("SELECT * WHERE { ?s <http://x/FROM> ?o } # FROM <http://g>", False),  # in an IRI and a comment
    ("SELECT ?from WHERE { ?s ?p ?from }", False),  # a variable
    ("SELECT * WHERE { ?s ?p ?o }", False),
])
def test_dataset_clauses_are_read_as_the_grammar_reads_them(query, named):
    from plan_kb.store.results import dataset_arguments, has_dataset_clause

    assert has_dataset_clause(query) is named
    kw = dataset_arguments(query)
    assert ("use_default_graph_as_union" in kw) is not named
    # the protocol's graphs replace the query's own dataset, and only named graphs leave the default graph empty
    assert set(dataset_arguments(query, ["http://d"])) == {"default_graph", "named_graphs"}
    assert set(dataset_arguments(query, None, ["http://n"])) == {"named_graphs"}
