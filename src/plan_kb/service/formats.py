"""Result formats and content negotiation: SPARQL results (JSON, XML, CSV, TSV) and RDF (Turtle, N-Triples, JSON-LD,
RDF/XML), chosen by ``Accept`` with q-values or by a ``format`` parameter."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from plan_kb.base.cells import cell, inert
from plan_kb.errors import PlanKBError
from plan_kb.store import Result, Term

#: SELECT/ASK formats: name -> media type
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: CONSTRUCT/DESCRIBE formats: name -> media type
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml", "rdf+xml": "rdfxml",
            "srj": "json", "srx": "xml", "n-triples": "ntriples"}
#: extra media types a client may ask for, per kind
_EXTRA = {
    "results": {"application/json": "json", "application/xml": "xml", "text/xml": "xml"},
    "graph": {"application/json": "jsonld", "text/plain": "ntriples", "application/xml": "rdfxml",
              "application/x-turtle": "turtle"},
}


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


def negotiate(kind: str, accept: str | None, fmt: str | None) -> tuple[str, str]:
    """(format name, media type) for a result of ``kind`` ('results' or 'graph')."""
    table = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    if fmt:
        name = _ALIASES.get(fmt.lower(), fmt.lower())
        if name in table:
            return name, table[name]
        for n, media in table.items():
            if media == fmt.lower():
                return n, media
        raise NotAcceptable(f"format {fmt!r} is not offered for this result; one of {', '.join(table)}")
    by_media = {m: n for n, m in table.items()} | _EXTRA[kind]
    for media, _q in parse_accept(accept):
        if media in by_media:
            name = by_media[media]
            return name, table[name]
        if media in ("*/*", "application/*", "text/*"):
            name = next(n for n, m in table.items() if media == "*/*" or m.startswith(media[:-1]))
            return name, table[name]
    raise NotAcceptable(f"none of the accepted types ({accept}) is offered for this result; "
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
    from plan_kb.base.namespaces import PREFIXES

    fmt = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[name]
    triples = list(ox.parse(res.ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    used = {k: str(v) for k, v in PREFIXES.items() if str(v) in res.ntriples}
    return ox.serialize(triples, format=fmt, prefixes=used) or b""


def render(res: Result, name: str) -> bytes:
    if res.kind == "graph":
        return graph_bytes(res, name)
    return {"json": results_json, "xml": results_xml, "csv": results_csv, "tsv": results_tsv}[name](res)
