"""What the endpoint says about itself: a SPARQL 1.1 Service Description with VoID statistics (for machines) and a
small self-contained page with the example queries (for people)."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.service.deps import KnowledgeBase
from plan_kb.store import serialize_quads
from plan_kb.store.queries import named_queries

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCT = "http://purl.org/dc/terms/"
XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N3", "N-Quads", "TriG")


def statistics(kb: KnowledgeBase) -> dict[str, Any]:
    """Triples, entities, classes and properties of the whole dataset and of each named graph (computed once)."""
    cached = getattr(kb, "_void_stats", None)
    if cached is not None:
        return cached
    q = kb.store.query
    # distinct triples: the union default graph is a bag, and a triple two graphs share counts once
    whole = q("SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) "
              "(COUNT(DISTINCT ?o) AS ?objects) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }").records()[0]
    graphs = q("SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g").records()
    classes = q("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c").records()
    stats = {"whole": whole, "graphs": graphs, "classes": classes}
    kb._void_stats = stats  # type: ignore[attr-defined]
    return stats


def service_description(kb: KnowledgeBase, base: str, fmt: str) -> bytes:
    endpoint = ox.NamedNode(f"{base}/sparql")
    dataset = ox.NamedNode(f"{base}/sparql#dataset")
    stats = statistics(kb)
    t: list[ox.Triple] = []

    def add(s: Any, p: str, o: Any) -> None:
        t.append(ox.Triple(s, ox.NamedNode(p), o))

    def num(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(XSD_INT))

    add(endpoint, RDF_TYPE, ox.NamedNode(SD + "Service"))
    add(endpoint, SD + "endpoint", endpoint)
    add(endpoint, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
    add(endpoint, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
    for f in _RESULT_FORMATS:
        add(endpoint, SD + "resultFormat", ox.NamedNode(FORMATS + f))
    add(endpoint, DCT + "description",
        ox.Literal("Read-only SPARQL 1.1 endpoint of plan-kb; the default graph is the union of the named graphs. "
                   f"Queries stop after {kb.settings.query_timeout:g} s and return at most {kb.settings.row_limit} "
                   "rows; updates, LOAD and SERVICE are refused.", language="en"))
    ds_node = ox.BlankNode("defaultDataset")
    add(endpoint, SD + "defaultDataset", ds_node)
    add(ds_node, RDF_TYPE, ox.NamedNode(SD + "Dataset"))
    dg = ox.BlankNode("defaultGraph")
    add(ds_node, SD + "defaultGraph", dg)
    add(dg, RDF_TYPE, ox.NamedNode(SD + "Graph"))
    add(dg, VOID + "triples", num(stats["whole"]["triples"]))
    for i, g in enumerate(stats["graphs"]):
        ng = ox.BlankNode(f"namedGraph{i}")
        gn = ox.BlankNode(f"graph{i}")
        add(ds_node, SD + "namedGraph", ng)
        add(ng, RDF_TYPE, ox.NamedNode(SD + "NamedGraph"))
        add(ng, SD + "name", ox.NamedNode(g["g"]))
        add(ng, SD + "graph", gn)
        add(gn, RDF_TYPE, ox.NamedNode(SD + "Graph"))
        add(gn, VOID + "triples", num(g["triples"]))
    # VoID
    add(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    add(dataset, DCT + "title", ox.Literal("plan-kb: government action plans", language="en"))
    add(dataset, VOID + "sparqlEndpoint", endpoint)
    add(dataset, VOID + "dataDump", ox.NamedNode(f"{base}/export?format=nquads"))
    add(dataset, VOID + "uriSpace", ox.Literal("https://w3id.org/plan-kb/id/"))
    add(dataset, VOID + "vocabulary", ox.NamedNode("https://w3id.org/plan-kb/ontology#"))
    add(dataset, "http://www.w3.org/2000/01/rdf-schema#seeAlso", ox.NamedNode(f"{base}/ontology"))
    add(dataset, VOID + "triples", num(stats["whole"]["triples"]))
    add(dataset, VOID + "distinctSubjects", num(stats["whole"]["subjects"]))
    add(dataset, VOID + "properties", num(stats["whole"]["properties"]))
    add(dataset, VOID + "distinctObjects", num(stats["whole"]["objects"]))
    add(dataset, VOID + "classes", num(len(stats["classes"])))
    for i, c in enumerate(stats["classes"]):
        part = ox.BlankNode(f"classPartition{i}")
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(c["c"]))
        add(part, VOID + "entities", num(c["n"]))
    prefixes = {"sd": SD, "void": VOID, "formats": FORMATS, "dcterms": DCT}
    if fmt == "jsonld":
        return serialize_quads(t, "jsonld", prefixes=prefixes)
    return serialize_quads(t, "turtle" if fmt == "n3" else fmt, prefixes=prefixes)


@lru_cache(maxsize=1)
def _examples() -> list[dict[str, str]]:
    out = []
    head = sparql_prefixes()
    for name, nq in named_queries().items():
        try:
            body = nq.sparql(**nq.example_params())[len(head):]
        except Exception:
            continue
        used = "".join(ln + "\n" for ln in head.splitlines() if ln.split()[1] in body)
        out.append({"name": name, "summary": nq.summary, "query": used + body})
    return out


def sparql_page(kb: KnowledgeBase, action: str) -> str:
    examples = _examples()
    items = "\n".join(
        f'<li><a href="#" data-i="{i}">{html.escape(e["summary"])}</a> <code>{html.escape(e["name"])}</code></li>'
        for i, e in enumerate(examples))
    first = html.escape(examples[0]["query"]) if examples else ""
    data = json.dumps([e["query"] for e in examples], ensure_ascii=False).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>plan-kb SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
textarea{{width:100%;height:16rem;font-family:ui-monospace,monospace;font-size:.9rem}}
code{{color:#555}} li{{margin:.2rem 0}}
</style></head><body>
<h1>plan-kb SPARQL endpoint</h1>
<p>A read-only <a href="https://www.w3.org/TR/sparql11-protocol/">SPARQL 1.1</a> endpoint. The default graph is the
union of all graphs (one per document, one for the <a href="/ontology">ontology</a>) unless the query names its
dataset (<code>FROM</code>, <code>FROM NAMED</code>) or the request does (<code>default-graph-uri</code>,
<code>named-graph-uri</code>). Queries stop after {kb.settings.query_timeout:g}&nbsp;s and may return at most
{kb.settings.row_limit} rows. Machine-readable description: <code>GET /sparql</code> with
<code>Accept: text/turtle</code>. API: <a href="/docs">/docs</a>.</p>
<form method="get" action="{html.escape(action)}">
<textarea name="query" id="q" spellcheck="false">{first}</textarea>
<p><label>Format <select name="format">
<option value="json">SPARQL JSON</option><option value="xml">SPARQL XML</option><option value="csv">CSV</option>
<option value="tsv">TSV</option><option value="turtle">Turtle (CONSTRUCT)</option>
<option value="jsonld">JSON-LD (CONSTRUCT)</option><option value="ntriples">N-Triples (CONSTRUCT)</option>
<option value="rdfxml">RDF/XML (CONSTRUCT)</option><option value="trig">TriG (CONSTRUCT)</option>
</select></label> <button type="submit">Run</button></p>
</form>
<h2>Example queries</h2>
<ul id="examples">
{items}
</ul>
<script>
const Q = {data};
document.getElementById("examples").addEventListener("click", e => {{
  const i = e.target.dataset.i; if (i === undefined) return;
  e.preventDefault(); document.getElementById("q").value = Q[+i];
}});
</script>
</body></html>
"""
