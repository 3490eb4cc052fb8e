"""The SPARQL 1.1 Protocol endpoint, over HTTP against a real ``plan-kb serve``: every method, content type and
refusal, the time limit and the row cap, and the service description."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from plan_kb.store.guard import QueryRefused, QuerySyntaxError, check
from tests.service.helpers import plan_kb_server

pytestmark = pytest.mark.slow

PKB = "PREFIX pkb: <https://w3id.org/plan-kb/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
TASKS = PKB + ("SELECT ?task ?n ?title WHERE { ?task a pkb:Task ; pkb:number ?n ; dcterms:title ?title ; "
               "pkb:inPlan [ pkb:planKey \"water\" ] } ORDER BY ?n")
CONSTRUCT = PKB + ("CONSTRUCT { ?t dcterms:title ?title } WHERE { ?t a pkb:Task ; dcterms:title ?title ; "
                   "pkb:inPlan [ pkb:planKey \"water\" ] }")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
ROW_LIMIT = 300


@pytest.fixture(scope="module")
def base(kb_data) -> str:
    with plan_kb_server(kb_data, PLAN_KB_QUERY_TIMEOUT="1.5", PLAN_KB_ROW_LIMIT=str(ROW_LIMIT)) as url:
        yield url


@pytest.fixture(scope="module")
def water_tasks(dataset) -> list[str]:
    """The water plan's task titles, as rdflib reads them from the built graph (the reference)."""
    return [str(r.title) for r in dataset.query(TASKS)]


def get(base: str, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(f"{base}/sparql", params={"query": query, **params}, headers=headers, timeout=30)


def test_select_json_by_accept(base, water_tasks):
    r = get(base, TASKS, "application/sparql-results+json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    data = r.json()
    assert data["head"]["vars"] == ["task", "n", "title"]
    rows = data["results"]["bindings"]
    assert [b["title"]["value"] for b in rows] == water_tasks
    assert rows[0]["title"]["xml:lang"] == "zh"
    assert rows[0]["n"] == {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert rows[0]["task"]["type"] == "uri"


def test_select_xml_csv_tsv(base, water_tasks):
    r = get(base, TASKS, "application/sparql-results+xml")
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(r.content)
    titles = [b.find("s:literal", ns).text for b in root.iterfind(".//s:binding[@name='title']", ns)]
    assert titles == water_tasks
    r = get(base, TASKS, "text/csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["task", "n", "title"] and [x[2] for x in rows[1:]] == water_tasks
    r = get(base, TASKS, "text/tab-separated-values")
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    lines = r.text.rstrip("\n").split("\n")
    assert lines[0] == "?task\t?n\t?title"
    assert lines[1].split("\t")[2] == f'"{water_tasks[0]}"@zh'


def test_accept_q_values_and_format_parameter(base):
    r = get(base, TASKS, "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1")
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    r = get(base, TASKS, "application/sparql-results+xml", format="csv")
    assert r.headers["content-type"].startswith("text/csv")
    r = get(base, TASKS)  # no Accept: SPARQL JSON
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = get(base, TASKS, "image/png")
    assert r.status_code == 406 and "offered" in r.json()["error"]["message"]


def test_post_form_and_sparql_query(base, water_tasks):
    r = httpx.post(f"{base}/sparql", data={"query": TASKS}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == len(water_tasks)
    r = httpx.post(f"{base}/sparql", content=TASKS.encode(), headers={"Content-Type": "application/sparql-query",
                                                                       "Accept": "text/csv"})
    assert r.status_code == 200 and r.text.count("\r\n") == len(water_tasks) + 1
    r = httpx.post(f"{base}/sparql", content=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json()["error"]["status"] == 415


def test_ask(base):
    q = PKB + "ASK { ?t a pkb:Task }"
    assert get(base, q).json() == {"head": {}, "boolean": True}
    assert get(base, PKB + "ASK { ?t a pkb:NoSuchClass }").json()["boolean"] is False
    root = ET.fromstring(get(base, q, "application/sparql-results+xml").content)
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    assert get(base, q, "text/csv").text.splitlines()[1] == "true"


def test_construct_formats(base, water_tasks):
    r = get(base, CONSTRUCT, "text/turtle")
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert len(g) == len(water_tasks)
    r = get(base, CONSTRUCT, "application/n-triples")
    assert len(Graph().parse(data=r.text, format="nt")) == len(water_tasks)
    r = get(base, CONSTRUCT, "application/ld+json")
    assert r.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=r.text, format="json-ld")) == len(water_tasks)
    r = get(base, CONSTRUCT, format="rdfxml")
    assert len(Graph().parse(data=r.text, format="xml")) == len(water_tasks)
    r = get(base, CONSTRUCT, "application/sparql-results+json")  # a results type for a graph
    assert r.status_code == 406


def test_describe(base):
    q = "DESCRIBE <https://w3id.org/plan-kb/id/agency/sx-ecology-environment>"
    r = get(base, q, "text/turtle")
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    assert len(g) > 0


@pytest.mark.parametrize("query", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/plan-kb/id/graph/x>",
    "prefix ex: <http://e/> insert { ?s ex:p 1 } where { ?s ?p ?o }",
])
def test_updates_refused(base, query):
    for r in (get(base, query),
              httpx.post(f"{base}/sparql", data={"query": query}),
              httpx.post(f"{base}/sparql", data={"update": query}),
              httpx.post(f"{base}/sparql", content=query.encode(),
                         headers={"Content-Type": "application/sparql-update"})):
        assert r.status_code == 403, r.text
        assert "read-only" in r.json()["error"]["message"]
    # and the data is unchanged
    assert get(base, PKB + "ASK { ?t a pkb:Task }").json()["boolean"] is True


def test_service_refused(base):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    r = get(base, q)
    assert r.status_code == 403 and "SERVICE" in r.json()["error"]["message"]
    r = get(base, "select * where { service silent ?x { ?s ?p ?o } }")
    assert r.status_code == 403
    # the word inside a string, an IRI or a variable name is not the keyword
    ok = get(base, 'SELECT ?service WHERE { BIND("SERVICE LOAD INSERT" AS ?service) }')
    assert ok.status_code == 200 and ok.json()["results"]["bindings"][0]["service"]["value"] == "SERVICE LOAD INSERT"


def test_syntax_error(base):
    r = get(base, "SELECT * WHERE { ?s ?p ")
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("the query does not parse")


def test_time_limit_stops_the_query_and_the_endpoint_recovers(base):
    t0 = time.monotonic()
    r = get(base, SLOW)
    took = time.monotonic() - t0
    assert r.status_code == 503
    assert "time limit of 1.5 s" in r.json()["error"]["message"]
    assert took < 10
    for _ in range(3):  # the killed worker is replaced; queries keep being answered
        assert get(base, PKB + "ASK { ?t a pkb:Task }").status_code == 200


def test_row_cap(base):
    r = get(base, "SELECT * WHERE { ?s ?p ?o }")
    assert r.status_code == 413
    assert f"more than {ROW_LIMIT} rows" in r.json()["error"]["message"]
    r = get(base, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert r.status_code == 413
    r = get(base, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {ROW_LIMIT}")
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == ROW_LIMIT


def test_default_graph_uri(base, dataset):
    graphs = sorted({str(c.identifier) for c in dataset.graphs() if len(c)})
    doc = next(g for g in graphs if "/graph/" in g)
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    n_doc = int(get(base, q, **{"default-graph-uri": doc}).json()["results"]["bindings"][0]["n"]["value"])
    assert n_doc == len(dataset.graph(doc))
    n_none = get(base, q, **{"default-graph-uri": "https://w3id.org/plan-kb/id/graph/none"}).json()
    assert n_none["results"]["bindings"][0]["n"]["value"] == "0"


def test_service_description_for_machines(base, dataset):
    r = httpx.get(f"{base}/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    svc = next(g.subjects(RDF.type, SD.Service))
    assert str(svc) == f"{base}/sparql"
    assert (svc, SD.supportedLanguage, SD.SPARQL11Query) in g
    ds = next(g.subjects(RDF.type, VOID.Dataset))
    assert int(g.value(ds, VOID.triples)) == len(dataset)
    r = httpx.get(f"{base}/sparql", params={"format": "jsonld"})
    assert json.loads(r.text)


def test_page_for_browsers(base):
    r = httpx.get(f"{base}/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<textarea" in r.text and "task-leads" in r.text and "http" not in r.text.split("<script>")[1].split(
        "const Q")[0]
    assert "cdn" not in r.text.lower()


def test_guard_reads_tokens_not_substrings():
    assert check("SELECT * WHERE { ?s <http://ex.org/LOAD> ?o }") == "select"
    assert check("# INSERT in a comment\nASK { ?s ?p 'DELETE' }") == "ask"
    assert check("PREFIX drop: <http://e/> CONSTRUCT { ?s drop:x ?o } WHERE { ?s ?p ?o }") == "construct"
    with pytest.raises(QueryRefused):
        check("SELECT * WHERE { SeRvIcE <http://x> { ?s ?p ?o } }")
    with pytest.raises(QueryRefused):
        check("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    with pytest.raises(QuerySyntaxError):
        check("   ")
