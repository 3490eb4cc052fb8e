"""Where queries are answered: a small ``Store`` protocol with an embedded Oxigraph store (the default) and a remote
SPARQL 1.1 endpoint with the Graph Store Protocol.

The graph is *built* with rdflib; it is *served* from Oxigraph. Every store answers a SPARQL query with a
:class:`Result` made of plain :class:`Term` values, so the service serialises results the same way whatever the store.

``query(sparql)`` is for the project's own queries (trusted, fast, in-process). ``query(sparql, timeout=…,
row_limit=…)`` is for queries a user sends: on the embedded store they run in a pool of worker processes that are
killed when the time limit is hit (an Oxigraph query cannot be interrupted from Python, and a thread left running
would burn a core for as long as the query lasts).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

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


def result_from_ox(answer: Any, row_limit: int | None = None) -> Result:
    """Turn a pyoxigraph answer into a :class:`Result`, stopping as soon as the row cap is passed."""
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows: list[tuple[Term | None, ...]] = []
        for sol in answer:
            rows.append(tuple(None if t is None else _from_ox(t) for t in sol))
            if row_limit is not None and len(rows) > row_limit:
                raise RowLimitExceeded(f"the result has more than {row_limit} rows, the cap of this service; "
                                       "add a LIMIT (and OFFSET to page)")
        return Result("select", names, rows)
    triples = []
    for t in answer:
        triples.append(t)
        if row_limit is not None and len(triples) > row_limit:
            raise RowLimitExceeded(f"the graph has more than {row_limit} triples, the cap of this service; "
                                   "add a LIMIT to the WHERE clause")
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    return Result("graph", ntriples=nt.decode("utf-8"))


# -- the protocol --------------------------------------------------------------------------------------------------

#: Formats of a whole-dataset export: name -> (pyoxigraph format, media type).
EXPORT_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
}
QUAD_FORMATS = {"nquads", "trig", "jsonld"}


@runtime_checkable
class Store(Protocol):
    """What the service and the named queries need from a store."""

    description: str

    def query(self, sparql: str, *, timeout: float | None = None, row_limit: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        """Answer a SPARQL query; the default graph is the union of all graphs unless ``default_graphs`` is given."""
        ...

    def serialize(self, fmt: str) -> bytes:
        """The whole dataset in one of :data:`EXPORT_FORMATS` (triple formats merge the graphs)."""
        ...

    def close(self) -> None: ...


def _prefixes() -> dict[str, str]:
    from plan_kb.namespaces import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


def _serialize_quads(quads: list[ox.Quad], fmt: str) -> bytes:
    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    rdf_format = EXPORT_FORMATS[fmt][0]
    if fmt in QUAD_FORMATS:
        data: list[Any] = quads
    else:
        data = list(dict.fromkeys(q.triple for q in quads))
    kw: dict[str, Any] = {}
    if fmt in ("turtle", "trig", "rdfxml", "jsonld"):
        kw["prefixes"] = _prefixes()
    return ox.serialize(data, format=rdf_format, **kw) or b""


class EmbeddedStore:
    """Oxigraph in this process, loaded from a build's ``kb.nq``; nothing to start."""

    def __init__(self, folder: Path, workers: int = 2):
        self.folder = Path(folder)
        self.nq = self.folder / "kb.nq"
        self.store = ox.Store()
        self.store.bulk_load(path=str(self.nq), format=ox.RdfFormat.N_QUADS)
        self.description = f"embedded Oxigraph {self.folder}"
        self._workers = workers
        self._pool: Any = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.store)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str, *, timeout: float | None = None, row_limit: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        if timeout is not None:
            return self.pool().run(sparql, timeout, row_limit, default_graphs, named_graphs)
        return run_on_oxigraph(self.store, sparql, row_limit, default_graphs, named_graphs)

    def pool(self) -> Any:
        """The worker processes that answer users' queries under a time limit (started on first use)."""
        with self._lock:
            if self._pool is None:
                from plan_kb.query_pool import QueryPool

                self._pool = QueryPool(self.nq, self._workers)
            return self._pool

    def serialize(self, fmt: str) -> bytes:
        return _serialize_quads(list(self.store), fmt)

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


def run_on_oxigraph(store: ox.Store, sparql: str, row_limit: int | None = None,
                    default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
    kw: dict[str, Any] = {}
    if default_graphs:
        kw["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        kw["use_default_graph_as_union"] = True
    if named_graphs:
        kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        answer = store.query(sparql, **kw)
        return result_from_ox(answer, row_limit)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None


class RemoteStore:
    """A SPARQL 1.1 endpoint (query) with the Graph Store Protocol (upload), reached over HTTP.

    ``url`` is either the root of an Oxigraph server (``http://host:7878``: ``/query`` and ``/store`` are used) or a
    query endpoint; ``gsp_url`` names the Graph Store endpoint when it is not the Oxigraph layout.
    """

    def __init__(self, url: str, gsp_url: str | None = None, timeout: float = 30.0):
        import httpx

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PlanKBError(f"not an http(s) URL of a SPARQL endpoint: {url!r}")
        if parts.path in ("", "/"):
            self.query_url = urlunsplit((parts.scheme, parts.netloc, "/query", "", ""))
            self.gsp_url = gsp_url or urlunsplit((parts.scheme, parts.netloc, "/store", "", ""))
        else:
            self.query_url = url
            self.gsp_url = gsp_url or url
        self.description = f"remote SPARQL endpoint {self.query_url}"
        self.client = httpx.Client(timeout=timeout)
        self._timeout = timeout

    def query(self, sparql: str, *, timeout: float | None = None, row_limit: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        import httpx

        from plan_kb.sparql_guard import query_form

        form = query_form(sparql)
        accept = "application/n-triples" if form in ("construct", "describe") else "application/sparql-results+json"
        params: list[tuple[str, str]] = [("default-graph-uri", g) for g in default_graphs or []]
        params += [("named-graph-uri", g) for g in named_graphs or []]
        if not default_graphs:
            params.append(("union-default-graph", ""))  # Oxigraph's switch; other servers ignore it
        try:
            r = self.client.post(self.query_url, params=params, content=sparql.encode("utf-8"),
                                 headers={"Content-Type": "application/sparql-query", "Accept": accept},
                                 timeout=timeout or self._timeout)
        except httpx.TimeoutException:
            raise QueryTimeout(f"the query ran longer than the time limit of {timeout or self._timeout:g} s; "
                               "make it more selective or add a LIMIT") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"the SPARQL endpoint {self.query_url} does not answer: {exc}") from None
        if r.status_code >= 400:
            msg = r.text.strip().splitlines()[0] if r.text.strip() else r.reason_phrase
            if r.status_code >= 500 and "timeout" not in msg.lower():
                raise StoreUnavailable(f"the SPARQL endpoint failed ({r.status_code}): {msg}")
            raise (QueryTimeout if "timeout" in msg.lower() else QueryError)(f"the query failed: {msg}")
        if accept == "application/n-triples":
            nt = r.text
            res = Result("graph", ntriples=nt)
            if row_limit is not None and len(res) > row_limit:
                raise RowLimitExceeded(f"the graph has more than {row_limit} triples, the cap of this service")
            return res
        data = r.json()
        if "boolean" in data:
            return Result("ask", boolean=bool(data["boolean"]))
        names = data["head"]["vars"]
        bindings = data["results"]["bindings"]
        if row_limit is not None and len(bindings) > row_limit:
            raise RowLimitExceeded(f"the result has more than {row_limit} rows, the cap of this service; "
                                   "add a LIMIT (and OFFSET to page)")
        rows = [tuple(Term.from_json(b[v]) if v in b else None for v in names) for b in bindings]
        return Result("select", names, rows)

    def push(self, nq: Path) -> dict[str, int]:
        """Replace each named graph of ``nq`` on the server (HTTP PUT per graph); returns triples per graph."""
        by_graph: dict[str, list[ox.Triple]] = {}
        for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS):
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            by_graph.setdefault(g, []).append(q.triple)
        counts = {}
        for g, triples in by_graph.items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            params = {"graph": g} if g else {"default": ""}
            r = self.client.put(self.gsp_url, params=params, content=body,
                                headers={"Content-Type": "application/n-triples"})
            if r.status_code >= 400:
                raise StoreUnavailable(f"the Graph Store at {self.gsp_url} refused graph {g or 'default'} "
                                       f"({r.status_code}): {r.text.strip()[:200]}")
            counts[g] = len(triples)
        return counts

    def serialize(self, fmt: str) -> bytes:
        if fmt not in EXPORT_FORMATS:
            raise QueryError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
        r = self.client.get(self.gsp_url, headers={"Accept": "application/n-quads"})
        if r.status_code >= 400:
            raise StoreUnavailable(f"the Graph Store at {self.gsp_url} failed ({r.status_code})")
        quads = list(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))
        return _serialize_quads(quads, fmt)

    def close(self) -> None:
        self.client.close()


def open_store(folder: Path | None = None, url: str | None = None, workers: int = 2,
               timeout: float = 30.0) -> Store:
    """The remote store at ``url``, else the embedded store of ``folder`` (default: the current build)."""
    if url:
        return RemoteStore(url, timeout=timeout)
    from plan_kb.kb import current_dir

    return EmbeddedStore(folder or current_dir(), workers=workers)
