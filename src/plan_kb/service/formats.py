"""Result formats and content negotiation: SPARQL results (JSON, XML, CSV, TSV) and RDF (Turtle, N-Triples, JSON-LD,
RDF/XML, N3, N-Quads, TriG), chosen by a ``format`` parameter that is understood, else by ``Accept`` with q-values."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from plan_kb.base.cells import cell, inert
from plan_kb.errors import PlanKBError
from plan_kb.store import Result, Term, serialize_quads

#: SELECT/ASK formats: name -> media type
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: CONSTRUCT/DESCRIBE formats: name -> media type (N3 is answered in Turtle, which is N3; N-Quads and TriG put the
#: triples in the default graph)
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "n3": "text/n3",
    "nquads": "application/n-quads",
    "trig": "application/trig",
}
#: what ``format=`` may say, per kind (Fuseki's short names and more; a media type works too)
ALIASES = {
    "results": {"json": "json", "srj": "json", "sparql-results+json": "json", "xml": "xml", "srx": "xml",
                "sparql-results+xml": "xml", "csv": "csv", "tsv": "tsv", "text/plain": "tsv"},
    "graph": {"turtle": "turtle", "ttl": "turtle", "n3": "n3", "nt": "ntriples", "ntriples": "ntriples",
              "n-triples": "ntriples", "nq": "nquads", "nquads": "nquads", "n-quads": "nquads", "trig": "trig",
              "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld", "xml": "rdfxml", "rdfxml": "rdfxml",
              "rdf": "rdfxml", "rdf+xml": "rdfxml", "rdf/xml": "rdfxml", "owl": "rdfxml"},
}
#: extra media types a client may ask for, per kind
_EXTRA = {
    "results": {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                "application/sparql-results+json": "json"},
    "graph": {"application/json": "jsonld", "text/plain": "ntriples", "application/xml": "rdfxml",
              "text/xml": "rdfxml", "application/x-turtle": "turtle", "application/turtle": "turtle",
              "text/rdf+n3": "n3", "application/x-json+ld": "jsonld", "application/x-trig": "trig"},
}
#: the query parameters clients put a format in (SPARQLWrapper repeats it in all three)
FORMAT_PARAMS = ("format", "output", "results")


class NotAcceptable(PlanKBError):
    status = 406


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    out = []
    for i, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        out.append((bits[0].lower(), q, i))
    out.sort(key=lambda x: (-x[1], x[2]))
    return [(m, q) for m, q, _ in out if q > 0]


def format_name(kind: str, value: str) -> str | None:
    """The format a ``format=`` value names for a result of ``kind``, or None when it names none on offer: a short
    name (``xml``, ``ttl``, ``json-ld``) or a media type, or a comma-separated list of them (first understood)."""
    table = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    by_media = {m: n for n, m in table.items()} | _EXTRA[kind]
    for part in value.split(","):
        v = part.split(";")[0].strip().lower()
        if not v:
            continue
        name = ALIASES[kind].get(v) or by_media.get(v)
        if name:
            return name
    return None


def negotiate(kind: str, accept: str | None, fmt: str | Sequence[str] | None) -> tuple[str, str]:
    """(format name, media type) for a result of ``kind`` ('results' or 'graph'): :func:`choose_format`, whose
    answer is kept for the next request with the same ``Accept`` and ``format`` values (clients send the same few)."""
    values = (fmt,) if isinstance(fmt, str) else tuple(fmt or ())
    if len(accept or "") + sum(len(v) for v in values) > 1024:
        return choose_format(kind, accept, values)
    return _kept_choice(kind, accept, values)


@lru_cache(maxsize=256)
def _kept_choice(kind: str, accept: str | None, values: tuple[str, ...]) -> tuple[str, str]:
    return choose_format(kind, accept, values)


def choose_format(kind: str, accept: str | None, fmt: str | Sequence[str] | None) -> tuple[str, str]:
    """(format name, media type) for a result of ``kind`` ('results' or 'graph').

    ``fmt`` (the ``format`` values, possibly repeated) wins when one of its values is understood; otherwise, as in
    Fuseki, ``Accept`` decides, so a client that sends a format name this service does not know still gets an answer
    in a type it accepts."""
    table = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    values = [fmt] if isinstance(fmt, str) else list(fmt or [])
    for v in values:
        name = format_name(kind, v) if v else None
        if name:
            return name, table[name]
    by_media = {m: n for n, m in table.items()} | _EXTRA[kind]
    for media, _q in parse_accept(accept):
        if media in by_media:
            name = by_media[media]
            return name, table[name]
        if media in ("*/*", "application/*", "text/*"):
            name = next(n for n, m in table.items() if media == "*/*" or m.startswith(media[:-1]))
            return name, table[name]
    asked = f"format {', '.join(repr(v) for v in values)} and " if any(values) else ""
    raise NotAcceptable(f"none of the requested types ({asked}Accept: {accept}) is offered for this result; "
                        f"offered: {', '.join(table.values())}")


def prefers_html(accept: str | None) -> bool:
    for media, _q in parse_accept(accept):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media in ("*/*", "text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json"):
            return False
    return False


# -- SELECT / ASK --------------------------------------------------------------------------------------------------

def _json_term(t: Term) -> dict[str, str]:
    d = {"type": t.kind, "value": t.value}
    if t.lang:
        d["xml:lang"] = t.lang
    elif t.kind == "literal" and t.datatype and not t.datatype.endswith("#string"):
        d["datatype"] = t.datatype
    return d


def results_json(res: Result) -> bytes:
    if res.kind == "ask":
        return json.dumps({"head": {}, "boolean": res.boolean}).encode()
    bindings = [{v: _json_term(t) for v, t in zip(res.variables, row, strict=True) if t is not None}
                for row in res.rows]
    return json.dumps({"head": {"vars": res.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def results_xml(res: Result) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    if res.kind == "ask":
        out.append(f"</head>\n<boolean>{'true' if res.boolean else 'false'}</boolean>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    out += [f"<variable name={quoteattr(v)}/>" for v in res.variables]
    out.append("</head>\n<results>\n")
    for row in res.rows:
        out.append("<result>")
        for v, t in zip(res.variables, row, strict=True):
            if t is None:
                continue
            if t.kind == "uri":
                inner = f"<uri>{escape(t.value)}</uri>"
            elif t.kind == "bnode":
                inner = f"<bnode>{escape(t.value)}</bnode>"
            elif t.lang:
                inner = f"<literal xml:lang={quoteattr(t.lang)}>{escape(t.value)}</literal>"
            elif t.datatype and not t.datatype.endswith("#string"):
                inner = f"<literal datatype={quoteattr(t.datatype)}>{escape(t.value)}</literal>"
            else:
                inner = f"<literal>{escape(t.value)}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def table_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """RFC 4180 CSV (CRLF line ends), as the SPARQL CSV format and the REST lists use; no cell is a formula."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([inert(str(h)) for h in header])
    for r in rows:
        w.writerow([cell(v) for v in r])
    return buf.getvalue().encode("utf-8")


def results_csv(res: Result) -> bytes:
    if res.kind == "ask":
        return table_csv(["_askResult"], [["true" if res.boolean else "false"]])
    return table_csv(res.variables, ([None if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value)
                                      for t in row] for row in res.rows))


def _tsv_term(t: Term) -> str:
    """The term in N-Triples syntax; a literal that a spreadsheet would run once unquoted gets the leading ``'``."""
    if t.kind == "literal" and inert(t.value) != t.value:
        return Term(t.kind, inert(t.value), t.datatype, t.lang).n3()
    return t.n3()


def results_tsv(res: Result) -> bytes:
    if res.kind == "ask":
        return f"?_askResult\n{'true' if res.boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in res.variables)]
    lines += ["\t".join("" if t is None else _tsv_term(t) for t in row) for row in res.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def graph_bytes(res: Result, name: str) -> bytes:
    """Re-serialise a CONSTRUCT/DESCRIBE result (N-Triples) as ``name``."""
    if name == "ntriples":
        return res.ntriples.encode("utf-8")
    triples = list(ox.parse(res.ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    return triples_bytes(triples, name, res.ntriples)


def triples_bytes(triples: list[ox.Triple], name: str, text: str | None = None) -> bytes:
    """Triples in a graph format of :data:`GRAPH_TYPES`, with the project's prefixes that the data uses."""
    from plan_kb.base.namespaces import PREFIXES

    if text is None:
        text = "".join(t.subject.value + " " + t.predicate.value + " " + str(t.object) for t in triples)
    used = {k: str(v) for k, v in PREFIXES.items() if str(v) in text}
    if name == "jsonld":
        return serialize_quads(triples, name)  # the whole published context, as at /context.jsonld
    return serialize_quads(triples, "turtle" if name == "n3" else name, prefixes=used)


def render(res: Result, name: str) -> bytes:
    if res.kind == "graph":
        return graph_bytes(res, name)
    return {"json": results_json, "xml": results_xml, "csv": results_csv, "tsv": results_tsv}[name](res)
