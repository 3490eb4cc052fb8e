"""Rules a reviewer can read: every ``extraction/rules/*.rq`` (a SPARQL UPDATE) runs on each document's graph
after the readers, in file-name order. The inheritance of responsibility from standing notes is one of them.

The rules run on Oxigraph, not on rdflib's SPARQL engine: the document's graph is copied into an in-memory Oxigraph
store, the updates run there, and what they added is written back into the document's graph. On the bundled
corpus that is 1.5 s (rdflib's update) against a few milliseconds plus the copy (``make bench`` measures both).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.base.resources import EXTRACTION
from plan_kb.graph.writer import GraphWriter

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rule_files() -> list[Path]:
    return sorted((EXTRACTION / "rules").glob("*.rq"))


@cache
def _rule_texts() -> tuple[str, ...]:
    return tuple(sparql_prefixes() + p.read_text(encoding="utf-8") for p in rule_files())


def to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))


def run_rules(g: Graph, rules: tuple[str, ...] | None = None) -> int:
    """Run the rules' updates on ``g`` (on Oxigraph) and add what they insert to ``g``; returns how many triples.
    A rule that deletes is refused: the readers' facts are the record of the text."""
    store = ox.Store()
    original = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in g}
    store.extend(original)
    for text in rules if rules is not None else _rule_texts():
        store.update(text)
    now = set(store)
    if original - now:
        raise ValueError("a rule of extraction/rules/ deleted facts; rules may only add")
    for q in now - original:
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return len(now) - len(original)


def apply_rules(w: GraphWriter) -> None:
    run_rules(w.g)
