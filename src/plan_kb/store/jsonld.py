"""Compact JSON-LD with the project's published ``@context`` (served at ``/context.jsonld``).

The context only declares the project's prefixes, so every IRI is written as a compact IRI (``pkb:Task``,
``id:jzbf-2022-95/water/task/1``) and every literal keeps its exact lexical form and datatype (``{"@value": "35",
"@type": "xsd:decimal"}``): reading the document back gives the same terms as the N-Quads, with or without the
context at hand (it is embedded). Named graphs become ``{"@id": graph, "@graph": [...]}`` entries; triples of the
default graph are top-level nodes of ``@graph``.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def context(prefixes: dict[str, str] | None = None) -> dict[str, Any]:
    """The ``@context`` object: the project's prefixes (the contract's and the vocabularies it reuses)."""
    if prefixes is None:
        from plan_kb.base.namespaces import PREFIXES

        prefixes = {k: str(v) for k, v in PREFIXES.items()}
    return {"@context": dict(sorted(prefixes.items()))}


class _Compactor:
    def __init__(self, prefixes: dict[str, str]):
        # longest namespace first, so id:…/ wins over a shorter namespace that is its prefix
        self.ns = sorted(((v, k) for k, v in prefixes.items()), key=lambda x: -len(x[0]))

    def iri(self, value: str) -> str:
        for ns, prefix in self.ns:
            if value.startswith(ns) and len(value) > len(ns) and not value[len(ns):].startswith("//"):
                return f"{prefix}:{value[len(ns):]}"
        return value

    def node_id(self, t: Any) -> str:
        return f"_:{t.value}" if isinstance(t, ox.BlankNode) else self.iri(t.value)

    def value(self, t: Any) -> Any:
        if isinstance(t, ox.Literal):
            if t.language:
                return {"@value": t.value, "@language": t.language}
            if t.datatype.value == XSD_STRING:
                return t.value
            return {"@value": t.value, "@type": self.iri(t.datatype.value)}
        return {"@id": self.node_id(t)}


def _nodes(triples: list[Any], c: _Compactor) -> list[dict[str, Any]]:
    by_subject: dict[str, dict[str, Any]] = {}
    for t in triples:
        sid = c.node_id(t.subject)
        node = by_subject.setdefault(sid, {"@id": sid})
        if t.predicate.value == RDF_TYPE and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(c.node_id(t.object))
        else:
            node.setdefault(c.iri(t.predicate.value), []).append(c.value(t.object))
    out = []
    for sid in sorted(by_subject):
        node = by_subject[sid]
        out.append({k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in node.items()})
    return out


def compact_jsonld(data: list[Any], prefixes: dict[str, str] | None = None) -> bytes:
    """Triples or quads (pyoxigraph) as one compact JSON-LD document with the embedded context."""
    ctx = context(prefixes)
    c = _Compactor(ctx["@context"])
    default: list[Any] = []
    graphs: dict[str, list[Any]] = {}
    for q in data:
        g = getattr(q, "graph_name", None)
        if g is None or isinstance(g, ox.DefaultGraph):
            default.append(q.triple if isinstance(q, ox.Quad) else q)
        else:
            graphs.setdefault(c.node_id(g), []).append(q.triple)
    body: list[dict[str, Any]] = _nodes(default, c)
    for gid in sorted(graphs):
        body.append({"@id": gid, "@graph": _nodes(graphs[gid], c)})
    doc = {**ctx, "@graph": body}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
