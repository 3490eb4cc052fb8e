"""The vocabulary the data uses, published: ``/ontology`` (the ontology's named graph of the store, by content
negotiation: an HTML page of classes and properties with Chinese and English labels for people, Turtle by default,
any RDF format by ``Accept`` or ``format``) and ``/context.jsonld`` (the JSON-LD context every JSON-LD answer uses)."""

from __future__ import annotations

import html
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from plan_kb.base.namespaces import ONTOLOGY_GRAPH, PREFIXES
from plan_kb.service.deps import KBDep, KnowledgeBase
from plan_kb.service.formats import GRAPH_TYPES, negotiate, prefers_html
from plan_kb.store.jsonld import context

ORDER = 40
router = APIRouter(tags=["ontology"])
ONTOLOGY_IRI = "https://w3id.org/plan-kb/ontology"
_CONTENT: dict[str, Any] = {m: {"schema": {"type": "string"}} for m in GRAPH_TYPES.values()}
_CONTENT["text/html"] = {"schema": {"type": "string"}}


@router.get("/ontology", operation_id="get_ontology", response_class=Response,
            summary="The ontology: an HTML page of its classes and properties, or RDF (Turtle by default)",
            responses={200: {"content": _CONTENT}})
def ontology(kb: KBDep, request: Request,
             format: Annotated[str | None, Query(description="turtle, ntriples, jsonld, rdfxml, nquads, trig, n3, "
                                                 "html; without it Accept decides")] = None) -> Response:
    accept = request.headers.get("accept")
    if (format or "").lower() == "html" or (not format and prefers_html(accept)):
        return HTMLResponse(ontology_page(kb), headers={"Vary": "Accept"})
    name, media = negotiate("graph", accept or "text/turtle", format)
    body = kb.store.serialize("turtle" if name == "n3" else name, graph=str(ONTOLOGY_GRAPH))
    ctype = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")
    return Response(body, media_type=ctype, headers={"Vary": "Accept"})


@router.get("/context.jsonld", operation_id="get_jsonld_context", response_class=Response,
            summary="The JSON-LD @context of every JSON-LD answer and export (the project's prefixes)",
            responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}}})
def jsonld_context() -> Response:
    body = json.dumps(context(), ensure_ascii=False, indent=1).encode("utf-8")
    return Response(body, media_type="application/ld+json")


_TERMS = """
SELECT ?term ?kind ?zh ?en ?definition ?comment
  (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers)
  (GROUP_CONCAT(DISTINCT STR(?domain); separator=" ") AS ?domains)
  (GROUP_CONCAT(DISTINCT STR(?range); separator=" ") AS ?ranges)
  (GROUP_CONCAT(DISTINCT STR(?match); separator=" ") AS ?matches)
WHERE { GRAPH <%s> {
  VALUES (?type ?kind) { (owl:Class "class") (rdfs:Class "class") (owl:ObjectProperty "object property")
    (owl:DatatypeProperty "datatype property") (rdf:Property "property")
    (owl:AnnotationProperty "annotation property") }
  ?term a ?type .
  OPTIONAL { ?term rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?term rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
  OPTIONAL { ?term skos:definition ?definition }
  OPTIONAL { ?term rdfs:comment ?comment }
  OPTIONAL { ?term rdfs:subClassOf|rdfs:subPropertyOf ?super FILTER(isIRI(?super)) }
  OPTIONAL { ?term rdfs:domain ?domain FILTER(isIRI(?domain)) }
  OPTIONAL { ?term rdfs:range ?range FILTER(isIRI(?range)) }
  OPTIONAL { ?term skos:exactMatch|skos:closeMatch|owl:equivalentClass|owl:equivalentProperty ?match }
} } GROUP BY ?term ?kind ?zh ?en ?definition ?comment ORDER BY ?kind ?term"""


def _short(iri: str) -> str:
    for k, v in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(v)) and len(iri) > len(str(v)):
            return f"{k}:{iri[len(str(v)):]}"
    return iri


def _link(iri: str, local: set[str]) -> str:
    label = html.escape(_short(iri))
    href = f"#{html.escape(_short(iri))}" if iri in local else html.escape(iri)
    return f'<a href="{href}"><code>{label}</code></a>'


def terms(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Every class and property of the ontology with its labels, definition and links (one row per term)."""
    rows = kb.query(_TERMS % ONTOLOGY_GRAPH).records()
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(r["term"], r)
    return list(seen.values())


def ontology_page(kb: KnowledgeBase) -> str:
    rows = terms(kb)
    local = {r["term"] for r in rows}
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault("classes" if r["kind"] == "class" else "properties", []).append(r)
    toc, sections = [], []
    for key, title in (("classes", "类 Classes"), ("properties", "属性 Properties")):
        items = groups.get(key, [])
        toc.append(f"<li><a href='#{key}'>{title}</a> ({len(items)})</li>")
        cards = []
        for r in items:
            name = _short(r["term"])
            facts = [f"<dt>IRI</dt><dd><code>{html.escape(r['term'])}</code></dd>",
                     f"<dt>kind</dt><dd>{html.escape(r['kind'])}</dd>"]
            for label, field in (("sub-class / sub-property of", "supers"), ("domain", "domains"),
                                 ("range", "ranges"), ("matches", "matches")):
                vals = [v for v in (r.get(field) or "").split() if v]
                if vals:
                    facts.append(f"<dt>{label}</dt><dd>{', '.join(_link(v, local) for v in vals)}</dd>")
            text = " ".join(html.escape(str(r[k])) for k in ("definition", "comment") if r.get(k))
            cards.append(f"""<section class="term" id="{html.escape(name)}">
<h3><code>{html.escape(name)}</code> {html.escape(str(r.get('zh') or ''))}
<span class="en">{html.escape(str(r.get('en') or ''))}</span></h3>
<p>{text}</p><dl>{''.join(facts)}</dl></section>""")
        sections.append(f"<h2 id='{key}'>{title}</h2>\n" + "\n".join(cards))
    index = " · ".join(f'<a href="#{html.escape(_short(r["term"]))}">{html.escape(_short(r["term"]))}</a>'
                       for r in rows)
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>plan-kb 本体 ontology</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
.term{{border-top:1px solid #ddd;padding:.4rem 0}} .en{{color:#555;font-weight:normal}}
dl{{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.3rem 0}} dt{{color:#666}}
dd{{margin:0}} code{{font-size:.9em}}
</style></head><body>
<h1>plan-kb 行动计划知识库本体 <span class="en">plan-kb ontology</span></h1>
<p>IRI <code>{ONTOLOGY_IRI}</code>; namespace <code>{PREFIXES['pkb']}</code>. Also as
<a href="/ontology?format=turtle">Turtle</a>, <a href="/ontology?format=jsonld">JSON-LD</a>,
<a href="/ontology?format=rdfxml">RDF/XML</a>, <a href="/ontology?format=ntriples">N-Triples</a>; in the SPARQL
endpoint as the named graph <code>{ONTOLOGY_GRAPH}</code>.
JSON-LD context: <a href="/context.jsonld">/context.jsonld</a>.</p>
<ul>{''.join(toc)}</ul>
<p class="index">{index}</p>
{''.join(sections)}
</body></html>
"""
