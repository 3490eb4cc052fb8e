"""What another system meets, over real HTTP against ``plan-kb serve``: the most used clients (SPARQLWrapper's default
calls, rdflib's SPARQLStore), format aliases and repeated ``format=``, CORS preflight, HEAD and Allow, conditional GET
and gzip, the ontology at ``/ontology`` (Turtle and HTML) and in ``/export`` (pySHACL conforms with it, not without),
the named queries with their prefixes, JSON-LD with its context, the REST items' IRIs, and every export path giving
the same terms (the CLI and HTTP compared term by term in every format)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from plan_kb.base.namespaces import ONTOLOGY_GRAPH, PKB
from plan_kb.store import EXPORT_FORMATS
from tests.service.helpers import BIN, plan_kb_server

pytestmark = pytest.mark.slow
SPARQLWrapper = pytest.importorskip("SPARQLWrapper")

SELECT = ("PREFIX pkb: <https://w3id.org/plan-kb/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
          "SELECT ?task ?title WHERE { ?task a pkb:Task ; dcterms:title ?title ; pkb:inPlan [ pkb:planKey \"water\" ] }"
          " ORDER BY ?task LIMIT 5")
ASK = "PREFIX pkb: <https://w3id.org/plan-kb/ontology#> ASK { ?t a pkb:Task }"
CONSTRUCT = ("PREFIX pkb: <https://w3id.org/plan-kb/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
             "CONSTRUCT { ?p dcterms:title ?t ; pkb:planKey ?k } WHERE { ?p a pkb:Plan ; dcterms:title ?t ; "
             "pkb:planKey ?k }")
DESCRIBE = "DESCRIBE <https://w3id.org/plan-kb/id/jzbf-2022-95/water/task/1>"
OX_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
              "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def base(kb_data: Path) -> str:
    with plan_kb_server(kb_data) as url:
        yield url


def _wrapper(base: str, query: str, fmt: str, method: str, direct: bool = False) -> object:
    from SPARQLWrapper import POST, POSTDIRECTLY
    from SPARQLWrapper import SPARQLWrapper as Wrapper

    sw = Wrapper(base + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    if method == POST and direct:
        sw.setRequestMethod(POSTDIRECTLY)
    return sw.query().convert()


@pytest.mark.parametrize("method,direct", [("GET", False), ("POST", False), ("POST", True)])
def test_sparqlwrapper_default_calls(base: str, dataset: Dataset, method: str, direct: bool) -> None:
    from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML

    titles = [str(r.title) for r in dataset.query(SELECT)]
    assert titles
    res = _wrapper(base, SELECT, JSON, method, direct)
    assert [b["title"]["value"] for b in res["results"]["bindings"]] == titles
    doc = _wrapper(base, SELECT, XML, method, direct)  # SPARQLWrapper's default format
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == titles
    for fmt in (CSV, TSV):
        text = _wrapper(base, SELECT, fmt, method, direct).decode("utf-8")
        assert all(t in text for t in titles)
    assert _wrapper(base, ASK, JSON, method, direct)["boolean"] is True
    assert _wrapper(base, ASK, XML, method, direct).getElementsByTagName("boolean")[0].firstChild.data == "true"
    plans = {(s, o) for s, o in dataset.query(CONSTRUCT).graph.subject_objects(PKB.planKey)}
    for query, want in ((CONSTRUCT, plans), (DESCRIBE, None)):
        for fmt in (XML, TURTLE, N3, JSONLD):
            g = _wrapper(base, query, fmt, method, direct)
            if isinstance(g, bytes):  # SPARQLWrapper hands Turtle and N3 back unparsed
                g = Graph().parse(data=g, format="n3" if fmt == N3 else "turtle")
            assert isinstance(g, Graph) and len(g) > 0, (query, fmt)
            if want is not None:
                assert set(g.subject_objects(PKB.planKey)) == want, fmt


def test_rdflib_sparqlstore_as_a_client(base: str, dataset: Dataset) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(base + "/sparql")
    g = Graph(store=store)
    want = [str(r.title) for r in dataset.query(SELECT)]
    assert [str(r.title) for r in g.query(SELECT)] == want
    task = URIRef("https://w3id.org/plan-kb/id/jzbf-2022-95/water/task/1")
    assert (task, RDF.type, PKB.Task) in g
    assert set(g.triples((task, None, None))) == set(dataset.triples((task, None, None)))
    store.close()


def test_format_aliases_and_repeated_format(base: str) -> None:
    q = httpx.QueryParams
    for params, ctype in (
        ([("query", CONSTRUCT), ("format", "xml")], "application/rdf+xml"),
        ([("query", CONSTRUCT), ("format", "json-ld"), ("format", "application/ld+json,application/x-json+ld")],
         "application/ld+json"),
        ([("query", CONSTRUCT), ("format", "n3")], "text/n3"),
        ([("query", CONSTRUCT), ("format", "nt")], "application/n-triples"),
        ([("query", CONSTRUCT), ("format", "ttl")], "text/turtle"),
        ([("query", SELECT), ("format", "json"), ("output", "json"), ("results", "json")],
         "application/sparql-results+json"),
        ([("query", SELECT), ("format", "tsv")], "text/tab-separated-values"),
    ):
        r = httpx.get(base + "/sparql", params=q(params), timeout=30)
        assert r.status_code == 200 and r.headers["content-type"].startswith(ctype), (params, r.text[:200])
    for accept, fmt in (("text/n3", ox.RdfFormat.N3), ("application/n-quads", ox.RdfFormat.N_QUADS),
                        ("application/trig", ox.RdfFormat.TRIG)):
        # a format= value the service does not know: Accept decides
        r = httpx.get(base + "/sparql", params={"query": CONSTRUCT, "format": "something-else"},
                      headers={"Accept": accept}, timeout=30)
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        assert len(list(ox.parse(r.content, format=fmt))) > 0
    r = httpx.get(base + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "image/png"}, timeout=30)
    assert r.status_code == 406 and r.json()["error"]["status"] == 406


def test_cors_preflight_head_and_allow(base: str) -> None:
    r = httpx.options(base + "/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method":
                                                 "POST", "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    r = httpx.get(base + "/sparql", params={"query": ASK}, headers={"Origin": "https://yasgui.example"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    r = httpx.options(base + "/sparql")
    assert r.status_code == 204 and r.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    r = httpx.put(base + "/sparql", content=b"")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    for path in ("/", "/plans", "/tasks/water/1", f"/sparql?query={quote(ASK)}", "/sparql", "/ontology", "/export",
                 "/calendar.ics", "/docs", "/queries", "/context.jsonld"):
        got, head = httpx.get(base + path, timeout=30), httpx.head(base + path, timeout=30)
        assert got.status_code == head.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"], path


def test_conditional_get_and_gzip(base: str) -> None:
    r = httpx.get(base + "/export", params={"format": "nquads"}, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    raw = httpx.get(base + "/export", params={"format": "nquads"}, headers={"Accept-Encoding": "identity"},
                    timeout=30)
    assert "content-encoding" not in raw.headers and raw.content == r.content  # httpx decoded the gzip
    assert int(raw.headers["content-length"]) > 4 * len(gzip.compress(raw.content))
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert "max-age" in r.headers["cache-control"]
    again = httpx.get(base + "/export", params={"format": "nquads"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    since = httpx.get(base + "/export", params={"format": "nquads"}, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other = httpx.get(base + "/export", params={"format": "turtle"}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag
    # a representation per Accept: the same URL for another type is another entity
    tt = httpx.get(base + "/ontology", headers={"Accept": "text/turtle"})
    html = httpx.get(base + "/ontology", headers={"Accept": "text/html"})
    assert tt.headers["etag"] != html.headers["etag"]


def test_the_ontology_is_published(base: str) -> None:
    r = httpx.get(base + "/ontology")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    onto = Graph().parse(data=r.text, format="turtle")
    assert (PKB.Task, RDF.type, OWL.Class) in onto
    assert {Literal("任务", lang="zh"), Literal("Task", lang="en")} <= set(onto.objects(PKB.Task, RDFS.label))
    page = httpx.get(base + "/ontology", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    classes = set(onto.subjects(RDF.type, OWL.Class))
    props = {s for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for s in onto.subjects(RDF.type, t)}
    for term in classes | props:
        if str(term).startswith(str(PKB)):
            assert f'id="pkb:{str(term)[len(str(PKB)):]}"' in page.text, term
    assert "任务" in page.text and "Task" in page.text
    # in the store, as its own named graph, with instances reachable through the class hierarchy
    q = ("PREFIX pkb: <https://w3id.org/plan-kb/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c rdfs:subClassOf* pkb:Place }} "
         "?x a ?c }")
    n = httpx.get(base + "/sparql", params={"query": q, "format": "json"}).json()
    assert int(n["results"]["bindings"][0]["n"]["value"]) > 10
    for fmt, media in (("jsonld", "application/ld+json"), ("rdfxml", "application/rdf+xml"),
                       ("ntriples", "application/n-triples")):
        r = httpx.get(base + "/ontology", params={"format": fmt})
        assert r.headers["content-type"].startswith(media)
        assert len(list(ox.parse(r.content, format=ox.RdfFormat.from_media_type(media)))) == len(onto)


def test_shacl_conforms_over_the_export_with_the_ontology(base: str) -> None:
    from pyshacl import validate

    from plan_kb.graph.validate import shapes_graph

    def report(ontology: bool) -> tuple[bool, Graph]:
        r = httpx.get(base + "/export", params={"format": "nquads", "ontology": str(ontology).lower()}, timeout=60)
        ds = Dataset().parse(data=r.content, format="nquads")
        union = Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            union.add((s, p, o))
        conforms, results, _text = validate(union, shacl_graph=shapes_graph(), inference="none", advanced=True,
                                            allow_warnings=True)
        return conforms, results

    conforms, _ = report(True)
    assert conforms
    conforms, results = report(False)  # without the ontology a third party's validation fails on the class hierarchy
    sh = "http://www.w3.org/ns/shacl#"
    assert not conforms and any(str(c).endswith("ClassConstraintComponent")
                                for c in results.objects(None, URIRef(sh + "sourceConstraintComponent")))


def test_named_queries_run_as_shown(base: str) -> None:
    listed = httpx.get(base + "/queries").json()
    assert listed
    for q in listed:
        assert q["sparql"].startswith("PREFIX "), q["name"]
        r = httpx.post(base + "/sparql", content=q["sparql"].encode(), timeout=30,
                       headers={"Content-Type": "application/sparql-query", "Accept": "application/json"})
        assert r.status_code == 200, (q["name"], r.text[:300])
        rq = httpx.get(base + q["download"])
        assert rq.status_code == 200 and rq.headers["content-type"].startswith("application/sparql-query")
        assert q["sparql"] in rq.text and "attachment" in rq.headers["content-disposition"]


def test_jsonld_is_compact_with_the_published_context(base: str, built) -> None:
    ctx = httpx.get(base + "/context.jsonld").json()
    assert ctx["@context"]["pkb"] == str(PKB)
    r = httpx.get(base + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"})
    doc = r.json()
    assert doc["@context"] == ctx["@context"] and isinstance(doc["@graph"], list)
    assert any(n.get("pkb:planKey") == "water" for n in doc["@graph"])
    export = httpx.get(base + "/export", params={"format": "jsonld"}, timeout=60)
    assert export.json()["@context"] == ctx["@context"]
    got = set(ox.parse(export.content, format=ox.RdfFormat.JSON_LD))
    assert got == set(ox.parse(path=str(built.folder / "kb.nq"), format=ox.RdfFormat.N_QUADS))


def test_rest_items_carry_their_iris(base: str) -> None:
    for path in ("/plans", "/tasks", "/agencies", "/deadlines"):
        items = httpx.get(base + path).json()["items"]
        assert items and all(i["iri"].startswith("https://w3id.org/plan-kb/id/") for i in items), path


def triples(data: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(data, format=fmt)}


def test_per_graph_download(base: str, built) -> None:
    every = list(ox.parse(path=str(built.folder / "kb.nq"), format=ox.RdfFormat.N_QUADS))
    onto = {q.triple for q in every if q.graph_name == ox.NamedNode(str(ONTOLOGY_GRAPH))}
    r = httpx.get(base + "/graphs", params={"graph": str(ONTOLOGY_GRAPH)}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and triples(r.content, ox.RdfFormat.TURTLE) == onto
    r = httpx.get(base + "/export", params={"graph": str(ONTOLOGY_GRAPH), "format": "ntriples"})
    assert triples(r.content, ox.RdfFormat.N_TRIPLES) == onto
    r = httpx.get(base + "/graphs", params={"default": ""}, headers={"Accept": "application/n-triples"}, timeout=60)
    assert triples(r.content, ox.RdfFormat.N_TRIPLES) == {q.triple for q in every}
    assert httpx.get(base + "/graphs", params={"graph": "https://example.org/nothing"}).status_code == 404
    without = httpx.get(base + "/export", params={"format": "nquads", "ontology": "false"}, timeout=60)
    assert {q for q in ox.parse(without.content, format=ox.RdfFormat.N_QUADS)} == \
        {q for q in every if q.graph_name != ox.NamedNode(str(ONTOLOGY_GRAPH))}


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_cli_and_http_exports_have_the_same_terms(base: str, kb_data: Path, built, fmt: str) -> None:
    cli = subprocess.run([str(BIN / "plan-kb"), "export", "--format", fmt], capture_output=True, check=True,
                         env={**os.environ, "PLAN_KB_DATA": str(kb_data)}).stdout
    http = httpx.get(base + "/export", params={"format": fmt}, timeout=60)
    by_accept = httpx.get(base + "/export", headers={"Accept": EXPORT_FORMATS[fmt][1]}, timeout=60)
    assert http.status_code == 200 and by_accept.content == http.content
    a = set(ox.parse(cli, format=OX_FORMATS[fmt]))
    b = set(ox.parse(http.content, format=OX_FORMATS[fmt]))
    assert a == b  # term by term: IRIs, lexical forms, datatypes and language tags
    nq = list(ox.parse(path=str(built.folder / "kb.nq"), format=ox.RdfFormat.N_QUADS))
    want = set(nq) if fmt in ("nquads", "trig", "jsonld") else {q.triple for q in nq}
    got = a if fmt in ("nquads", "trig", "jsonld") else {q.triple for q in a}
    assert got == want


def test_cli_export_help_names_every_format(kb_data: Path) -> None:
    out = subprocess.run([str(BIN / "plan-kb"), "export", "--help"], capture_output=True, text=True, check=True,
                         env={**os.environ, "PLAN_KB_DATA": str(kb_data)}).stdout
    assert "rdfxml" in out and "as TriG" not in out
    assert json.loads(subprocess.run([str(BIN / "plan-kb"), "export", "--format", "jsonld"], capture_output=True,
                                     check=True, env={**os.environ, "PLAN_KB_DATA": str(kb_data)}).stdout)["@context"]


def test_calendar_feed_is_stable_and_named(base: str) -> None:
    a = httpx.get(base + "/calendar.ics", params={"agency": "省生态环境厅"})
    b = httpx.get(base + "/calendar.ics", params={"agency": "省生态环境厅"})
    assert a.status_code == 200 and a.content == b.content
    assert "X-WR-CALNAME:山西省生态环境厅" in a.text and "REFRESH-INTERVAL;VALUE=DURATION:" in a.text
    todo = httpx.get(base + "/calendar.ics", params={"agency": "省生态环境厅", "undated": "todo"})
    assert todo.status_code == 200 and todo.text.count("BEGIN:VEVENT") <= a.text.count("BEGIN:VEVENT")
