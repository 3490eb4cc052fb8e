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

import json
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from plan_kb.errors import PlanKBError
from plan_kb.store.results import (
    QueryError,
    QueryTimeout,
    Result,
    ResultTooLarge,
    RowLimitExceeded,
    StoreUnavailable,
    Term,
    has_dataset_clause,
    run_on_oxigraph,
)

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
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              byte_limit: int | None = None, write: str | None = None) -> Any:
        """Answer a SPARQL query; the default graph is the union of all graphs unless ``default_graphs`` is given.
        ``row_limit`` and ``byte_limit`` cap the result (its rows or triples, and the bytes of its terms). With
        ``write`` (``json`` or ``xml``) a store may answer a SELECT or ASK with the bytes of that results format
        (:class:`plan_kb.store.written.Written`) instead of a :class:`Result`."""
        ...

    def serialize(self, fmt: str, graph: str | None = None, ontology: bool = True) -> bytes:
        """The whole dataset (or one named ``graph``) in one of :data:`EXPORT_FORMATS` (triple formats merge the
        graphs); ``ontology=False`` leaves the ontology's graph out."""
        ...

    def graphs(self) -> list[str]:
        """The names of the named graphs."""
        ...

    def close(self) -> None: ...


class PlainRows:
    """A store seen as rdflib's ``graph.query`` is used by the look-ups of ``plan_kb.answers`` (calendar, due):
    ``query(sparql)`` gives tuples of plain strings (``None`` where unbound). The query runs on the store, so a
    request never goes through rdflib's SPARQL parser (which is not thread-safe, RDFLib/rdflib#1282)."""

    def __init__(self, store: Store):
        self.store = store

    def query(self, sparql: str) -> list[tuple[str | None, ...]]:
        return [tuple(None if t is None else t.value for t in row) for row in self.store.query(sparql).rows]


def _prefixes() -> dict[str, str]:
    from plan_kb.base.namespaces import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


def serialize_quads(quads: list[Any], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Quads (or triples) in one of :data:`EXPORT_FORMATS`, every literal with its lexical form as stored; triple
    formats merge the graphs, JSON-LD is compact with the project's context (:mod:`plan_kb.store.jsonld`)."""
    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    prefixes = _prefixes() if prefixes is None else prefixes
    if fmt == "jsonld":
        from plan_kb.store.jsonld import compact_jsonld

        return compact_jsonld(quads, prefixes)
    rdf_format = EXPORT_FORMATS[fmt][0]
    if fmt in QUAD_FORMATS:
        data: list[Any] = [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object)
                           for q in quads]
    else:
        data = list(dict.fromkeys(q.triple if isinstance(q, ox.Quad) else q for q in quads))
    kw: dict[str, Any] = {}
    if fmt in ("turtle", "trig", "rdfxml"):
        kw["prefixes"] = prefixes
    return ox.serialize(data, format=rdf_format, **kw) or b""


def select_quads(quads: Any, graph: str | None = None, ontology: bool = True) -> list[ox.Quad]:
    """The quads of one named graph, or all of them (without the ontology's graph when ``ontology`` is false)."""
    from plan_kb.base.namespaces import ONTOLOGY_GRAPH

    skip = None if ontology else str(ONTOLOGY_GRAPH)
    out = []
    for q in quads:
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        if (graph is not None and g != graph) or (skip is not None and g == skip):
            continue
        out.append(q)
    return out


def export_file(nq: Path, fmt: str, graph: str | None = None, ontology: bool = True) -> bytes:
    """A build's ``kb.nq`` in ``fmt``: what ``plan-kb export`` writes and ``/export`` serves, term for term."""
    quads = select_quads(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS), graph, ontology)
    if graph is not None and not quads:
        from plan_kb.errors import NotFound

        raise NotFound(f"no graph {graph!r} in the knowledge base")
    return serialize_quads(quads, fmt)


#: The build's own Oxigraph store (RocksDB), written once by the build next to ``kb.nq`` and never changed after.
STORE_DIR = "oxigraph"


class EmbeddedStore:
    """Oxigraph in this process, loaded from a build's ``kb.nq``; nothing to start.

    ``read_only`` opens the build's on-disk store instead (milliseconds whatever the size, for a command that asks
    a few questions and exits); a build without one is loaded from ``kb.nq`` as usual."""

    def __init__(self, folder: Path, workers: int = 2, read_only: bool = False):
        self.folder = Path(folder)
        self.nq = self.folder / "kb.nq"
        disk = self.folder / STORE_DIR
        if read_only and (disk / "CURRENT").exists():
            self.store = ox.Store.read_only(str(disk))
        else:
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
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              byte_limit: int | None = None, write: str | None = None) -> Any:
        if timeout is not None:
            return self.pool().run(sparql, timeout, row_limit, default_graphs, named_graphs, byte_limit, write)
        return run_on_oxigraph(self.store, sparql, row_limit, default_graphs, named_graphs, byte_limit, write)

    async def aquery(self, sparql: str, *, timeout: float, row_limit: int | None = None,
                     default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                     byte_limit: int | None = None, write: str | None = None) -> Any:
        """A user's query (:meth:`query` with a ``timeout``) from a coroutine: the event loop waits on the worker."""
        if self._pool is None:  # starting the workers takes a while: not on the loop
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, self.pool)
        return await self.pool().arun(sparql, timeout, row_limit, default_graphs, named_graphs, byte_limit, write)

    def pool(self) -> Any:
        """The worker processes that answer users' queries under a time limit (started on first use)."""
        with self._lock:
            if self._pool is None:
                from plan_kb.store.pool import QueryPool

                self._pool = QueryPool(self.nq, self._workers)
            return self._pool

    def serialize(self, fmt: str, graph: str | None = None, ontology: bool = True) -> bytes:
        if graph is not None:
            quads: Any = self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        else:
            quads = self.store
        return serialize_quads(select_quads(quads, graph, ontology), fmt)

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


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
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              byte_limit: int | None = None, write: str | None = None) -> Result:
        import httpx

        from plan_kb.store.guard import query_form

        form = query_form(sparql)
        accept = "application/n-triples" if form in ("construct", "describe") else "application/sparql-results+json"
        params: list[tuple[str, str]] = [("default-graph-uri", g) for g in default_graphs or []]
        params += [("named-graph-uri", g) for g in named_graphs or []]
        if not default_graphs and not named_graphs and not has_dataset_clause(sparql):
            params.append(("union-default-graph", ""))  # Oxigraph's switch; other servers ignore it
        try:
            with self.client.stream("POST", self.query_url, params=params, content=sparql.encode("utf-8"),
                                    headers={"Content-Type": "application/sparql-query", "Accept": accept},
                                    timeout=timeout or self._timeout) as r:
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if byte_limit is not None and len(body) > byte_limit:
                        raise ResultTooLarge(f"the result holds more than {byte_limit} bytes, the cap of this "
                                             "service; select fewer or shorter values (add a LIMIT)")
                status, reason = r.status_code, r.reason_phrase
            text = bytes(body).decode("utf-8", "replace")
        except httpx.TimeoutException:
            raise QueryTimeout(f"the query ran longer than the time limit of {timeout or self._timeout:g} s; "
                               "make it more selective or add a LIMIT") from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"the SPARQL endpoint {self.query_url} does not answer: {exc}") from None
        if status >= 400:
            msg = text.strip().splitlines()[0] if text.strip() else reason
            if status >= 500 and "timeout" not in msg.lower():
                raise StoreUnavailable(f"the SPARQL endpoint failed ({status}): {msg}")
            raise (QueryTimeout if "timeout" in msg.lower() else QueryError)(f"the query failed: {msg}")
        if accept == "application/n-triples":
            nt = text
            res = Result("graph", ntriples=nt)
            if row_limit is not None and len(res) > row_limit:
                raise RowLimitExceeded(f"the graph has more than {row_limit} triples, the cap of this service")
            return res
        data = json.loads(text)
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

    def serialize(self, fmt: str, graph: str | None = None, ontology: bool = True) -> bytes:
        if fmt not in EXPORT_FORMATS:
            raise QueryError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
        if graph is not None:  # one graph: ask the Graph Store for that graph only
            r = self.client.get(self.gsp_url, params={"graph": graph}, headers={"Accept": "application/n-triples"})
            if r.status_code == 404:
                return serialize_quads([], fmt)
            if r.status_code >= 400:
                raise StoreUnavailable(f"the Graph Store at {self.gsp_url} failed ({r.status_code})")
            g = ox.NamedNode(graph)
            quads = [ox.Quad(t.subject, t.predicate, t.object, g)
                     for t in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)]
            return serialize_quads(quads, fmt)
        r = self.client.get(self.gsp_url, headers={"Accept": "application/n-quads"})
        if r.status_code >= 400:
            raise StoreUnavailable(f"the Graph Store at {self.gsp_url} failed ({r.status_code})")
        quads = list(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))
        return serialize_quads(select_quads(quads, None, ontology), fmt)

    def graphs(self) -> list[str]:
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        return [r["g"] for r in res.records()]

    def close(self) -> None:
        self.client.close()


def open_store(folder: Path | None = None, url: str | None = None, workers: int = 2,
               timeout: float = 30.0) -> Store:
    """The remote store at ``url``, else the embedded store of ``folder`` (default: the current build)."""
    if url:
        return RemoteStore(url, timeout=timeout)
    from plan_kb.store.folders import current_dir

    return EmbeddedStore(folder or current_dir(), workers=workers)
