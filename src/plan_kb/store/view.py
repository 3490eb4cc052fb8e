"""The look-ups written against an rdflib graph (``dataset.query(sparql, initBindings=…)`` giving rows of rdflib
terms) answered by a store instead: :class:`StoreView` has the two things they use, ``query`` and ``in``, and runs
them on Oxigraph (or a remote store), so that no command parses ``kb.nq`` with rdflib to answer a question.

``open_view()`` opens the current build's on-disk Oxigraph store read-only (milliseconds, whatever the size of the
base); a build without one is loaded from its ``kb.nq`` into an in-memory Oxigraph store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import ResultRow
from rdflib.term import Node

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.store.engine import EmbeddedStore, Store
from plan_kb.store.results import Term

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def to_rdflib(t: Term | None) -> Node | None:
    """A store's term as rdflib would have parsed it from N-Quads (a plain string literal has no datatype)."""
    if t is None:
        return None
    if t.kind == "uri":
        return URIRef(t.value)
    if t.kind == "bnode":
        return BNode(t.value)
    if t.lang:
        return Literal(t.value, lang=t.lang)
    return Literal(t.value, datatype=None if t.datatype in (None, _XSD_STRING) else URIRef(t.datatype))


def _n3(node: Any) -> str:
    if isinstance(node, Term):
        return node.n3()
    if isinstance(node, URIRef | BNode | Literal):
        return node.n3()
    return Literal(node).n3()


def with_bindings(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """``sparql`` with ``VALUES ?name { term }`` at the start of its outermost WHERE body (rdflib's initBindings)."""
    if not bindings:
        return sparql
    m = _WHERE.search(sparql)
    if m is None:
        raise ValueError("a query with bindings needs a WHERE clause")
    values = " ".join(f"VALUES ?{k} {{ {_n3(v)} }}" for k, v in bindings.items())
    return sparql[:m.end()] + " " + values + " " + sparql[m.end():]


class StoreView:
    """Read-only, rdflib-shaped access to a store: ``query`` gives rdflib's result rows (tuples with the variables
    as attributes), ``(s, p, o) in view``. Its default graph is the union of the named graphs (of ``graphs`` only,
    when given: a view of some documents and the registries)."""

    default_union = True

    def __init__(self, store: Store, graphs: list[str] | None = None):
        self.store = store
        self.graphs = graphs

    def query(self, sparql: str, initBindings: Mapping[str, Any] | None = None) -> list[tuple]:
        text = sparql_prefixes() + sparql  # a query's own PREFIX lines come after and win
        res = self.store.query(with_bindings(text, initBindings), default_graphs=self.graphs)
        if res.kind == "ask":
            return [(Literal(bool(res.boolean)),)]
        labels = [Variable(v) for v in res.variables]
        return [ResultRow({v: to_rdflib(t) for v, t in zip(labels, row, strict=True) if t is not None}, labels)
                for row in res.rows]

    def triples(self, pattern: tuple) -> Iterator[tuple]:
        """The triples of the union that fit ``(s, p, o)`` (None: any), each once."""
        names = ["?s", "?p", "?o"]
        if all(n is not None for n in pattern):
            if tuple(pattern) in self:
                yield tuple(pattern)
            return
        terms = [_n3(n) if n is not None else names[i] for i, n in enumerate(pattern)]
        free = [names[i] for i, n in enumerate(pattern) if n is None]
        for row in self.query(f"SELECT DISTINCT {' '.join(free)} WHERE {{ {' '.join(terms)} }}"):
            got = iter(row)
            yield tuple(n if n is not None else next(got) for n in pattern)

    def subjects(self, predicate: Any = None, object: Any = None) -> Iterator[Node]:
        for s, _p, _o in self.triples((None, predicate, object)):
            yield s

    def objects(self, subject: Any = None, predicate: Any = None) -> Iterator[Node]:
        for _s, _p, o in self.triples((subject, predicate, None)):
            yield o

    def subject_objects(self, predicate: Any = None) -> Iterator[tuple[Node, Node]]:
        for s, _p, o in self.triples((None, predicate, None)):
            yield s, o

    def value(self, subject: Any = None, predicate: Any = None, object: Any = None) -> Node | None:
        """One node that completes the pattern (rdflib's ``Graph.value``), or None."""
        for t in self.triples((subject, predicate, object)):
            return t[[subject, predicate, object].index(None)] if None in (subject, predicate, object) else t[2]
        return None

    def __contains__(self, triple: tuple) -> bool:
        terms = ["?s", "?p", "?o"]
        for i, node in enumerate(triple):
            if node is not None:
                terms[i] = _n3(node)
        return bool(self.store.query(f"ASK {{ {' '.join(terms)} }}", default_graphs=self.graphs).boolean)

    def close(self) -> None:
        self.store.close()


def open_view(folder: Path | None = None) -> StoreView:
    """A view of the build ``folder`` (default: the current one) through its own Oxigraph store."""
    from plan_kb.store.folders import current_dir

    return StoreView(EmbeddedStore(folder or current_dir(), workers=1, read_only=True))
