"""Query results and errors, whatever store answered: typed terms, a result set, and running one query on an
Oxigraph store (used in process and by the worker pool)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from plan_kb.errors import PlanKBError

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{XSD}{t}" for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
                                    "unsignedLong", "unsignedShort", "unsignedByte")}


class QueryError(PlanKBError):
    """A query the store cannot parse or evaluate (HTTP 400)."""

    status = 400


class QueryTimeout(PlanKBError):
    """The query ran past the configured time limit (HTTP 503, as Fuseki and GraphDB answer)."""

    status = 503


class RowLimitExceeded(PlanKBError):
    """The result has more rows than the configured cap (HTTP 413)."""

    status = 413


class ResultTooLarge(PlanKBError):
    """The result's terms hold more bytes than the configured cap (HTTP 413)."""

    status = 413


class QueryInterrupted(PlanKBError):
    """The query was stopped because the service is stopping or reloading (HTTP 503: try again)."""

    status = 503


class StoreUnavailable(PlanKBError):
    """A remote store that does not answer (HTTP 502)."""

    status = 502


# -- results -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as the SPARQL results formats see it."""

    kind: str  # uri | literal | bnode
    value: str
    datatype: str | None = None
    lang: str | None = None

    def py(self) -> Any:
        """The term as a plain Python value: IRIs and strings as str, numbers as int/float, booleans as bool."""
        if self.kind != "literal" or not self.datatype:
            return self.value
        try:
            if self.datatype in _INTEGERS:
                return int(self.value)
            if self.datatype in (f"{XSD}decimal", f"{XSD}double", f"{XSD}float"):
                d = Decimal(self.value)
                return int(d) if d == d.to_integral_value() and self.datatype == f"{XSD}decimal" else float(d)
            if self.datatype == f"{XSD}boolean":
                return self.value in ("true", "1")
        except ArithmeticError:
            return self.value
        return self.value

    def n3(self) -> str:
        """The term in N-Triples / SPARQL syntax."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        s = '"' + escape_string(self.value) + '"'
        if self.lang:
            return f"{s}@{self.lang}"
        if self.datatype and self.datatype != f"{XSD}string":
            return f"{s}^^<{self.datatype}>"
        return s

    @classmethod
    def from_ox(cls, t: Any) -> Term:
        if isinstance(t, ox.NamedNode):
            return cls("uri", t.value)
        if isinstance(t, ox.BlankNode):
            return cls("bnode", t.value)
        if isinstance(t, ox.Literal):
            return cls("literal", t.value, t.datatype.value, t.language)
        return cls("literal", str(t))

    @classmethod
    def from_json(cls, b: dict[str, str]) -> Term:
        kind = {"typed-literal": "literal"}.get(b["type"], b["type"])
        dt = b.get("datatype") or (None if "xml:lang" in b or kind != "literal" else f"{XSD}string")
        return cls(kind, b["value"], dt, b.get("xml:lang"))


_from_ox = Term.from_ox


def escape_string(s: str) -> str:
    return (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t"))


@dataclass
class Result:
    """The answer to one query: rows for SELECT, a boolean for ASK, N-Triples text for CONSTRUCT/DESCRIBE."""

    kind: str  # select | ask | graph
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: str = ""

    def dicts(self) -> list[dict[str, Term]]:
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        """Rows as plain values; an unbound variable is ``None``."""
        return [{v: (t.py() if t is not None else None) for v, t in zip(self.variables, row, strict=True)}
                for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else self.ntriples.count("\n")


def _too_large(byte_limit: int) -> ResultTooLarge:
    return ResultTooLarge(f"the result holds more than {byte_limit} bytes, the cap of this service; select fewer "
                          "or shorter values (add a LIMIT, or SUBSTR long texts)")


def _size(t: Term | None) -> int:
    return 0 if t is None else len(t.value.encode("utf-8", "surrogatepass")) + len(t.datatype or "") + 8


def result_from_ox(answer: Any, row_limit: int | None = None, byte_limit: int | None = None) -> Result:
    """Turn a pyoxigraph answer into a :class:`Result`, stopping as soon as the row cap or the byte cap is passed
    (the bytes of the terms' values, datatypes and a few bytes of markup each: at least what any format writes).

    Solutions are read one at a time from Oxigraph's iterator, so a result over a cap is never held whole."""
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    size = 0
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows: list[tuple[Term | None, ...]] = []
        for sol in answer:
            row = tuple(None if t is None else _from_ox(t) for t in sol)
            rows.append(row)
            if row_limit is not None and len(rows) > row_limit:
                raise RowLimitExceeded(f"the result has more than {row_limit} rows, the cap of this service; "
                                       "add a LIMIT (and OFFSET to page)")
            if byte_limit is not None:
                size += sum(_size(t) for t in row)
                if size > byte_limit:
                    raise _too_large(byte_limit)
        return Result("select", names, rows)
    triples = []
    for t in answer:
        triples.append(t)
        if row_limit is not None and len(triples) > row_limit:
            raise RowLimitExceeded(f"the graph has more than {row_limit} triples, the cap of this service; "
                                   "add a LIMIT to the WHERE clause")
        if byte_limit is not None:
            size += sum(len(str(x)) for x in (t.subject, t.predicate, t.object)) + 4
            if size > byte_limit:
                raise _too_large(byte_limit)
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    return Result("graph", ntriples=nt.decode("utf-8"))


# -- the protocol --------------------------------------------------------------------------------------------------

def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset (``FROM`` / ``FROM NAMED`` outside any group, SPARQL 1.1 §13.2); the
    answer for a query of a few thousand characters is kept (a worker is sent the same queries again and again)."""
    return _dataset_clause(sparql) if len(sparql) < 8192 else _dataset_clause.__wrapped__(sparql)


@lru_cache(maxsize=512)
def _dataset_clause(sparql: str) -> bool:
    from plan_kb.store.guard import tokens

    try:
        toks = tokens(sparql)
    except PlanKBError:
        return False
    depth = 0
    for t in toks:
        if t.kind == "punct" and t.text == "{":
            depth += 1
        elif t.kind == "punct" and t.text == "}":
            depth -= 1
        elif depth == 0 and t.kind == "word" and t.text.lower() == "from":
            return True
    return False


def dataset_arguments(sparql: str, default_graphs: list[str] | None = None,
                      named_graphs: list[str] | None = None) -> dict[str, Any]:
    """The RDF dataset a query runs on, as Oxigraph's keyword arguments.

    The protocol's ``default-graph-uri`` / ``named-graph-uri`` come first and replace the query's own ``FROM`` and
    ``FROM NAMED``; then the query's dataset clauses (Oxigraph reads them itself); with neither, the default graph is
    the union of all graphs and every named graph is there to ``GRAPH`` over, as in Fuseki's and Oxigraph's
    union-default-graph mode. Only ``named-graph-uri`` leaves the default graph empty (the store's own default graph,
    which holds nothing)."""
    kw: dict[str, Any] = {}
    if default_graphs or named_graphs:
        if default_graphs:
            kw["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or []]
    elif not has_dataset_clause(sparql):
        kw["use_default_graph_as_union"] = True
    return kw

def run_on_oxigraph(store: ox.Store, sparql: str, row_limit: int | None = None,
                    default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                    byte_limit: int | None = None, write: str | None = None) -> Any:
    """The answer as a :class:`Result`; with ``write`` (``json`` or ``xml``), a SELECT or ASK answer as the bytes of
    that format instead (:class:`plan_kb.store.written.Written`, written by Oxigraph)."""
    try:
        answer = store.query(sparql, **dataset_arguments(sparql, default_graphs, named_graphs))
        if write is not None and not isinstance(answer, ox.QueryTriples):
            from plan_kb.store.written import write_on_oxigraph

            return write_on_oxigraph(answer, write, row_limit, byte_limit)
        return result_from_ox(answer, row_limit, byte_limit)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None
