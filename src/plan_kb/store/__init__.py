"""Stage 3, where queries run. Takes a built knowledge base (a build folder's ``kb.nq``, or a remote SPARQL store)
and gives answers to SPARQL: the embedded Oxigraph store and the remote one behind one ``Store`` protocol
(``engine``), the pool of worker processes that runs users' queries under a time limit (``pool``), the read-only
guard (``guard``), the named queries of ``api/queries/`` (``queries``), typed results (``results``), and where the
built knowledge bases live on disk (``folders``). Imports only ``base`` and ``errors``: nothing here reads text or
writes the graph."""

from plan_kb.store.engine import (
    EXPORT_FORMATS,
    QUAD_FORMATS,
    EmbeddedStore,
    PlainRows,
    RemoteStore,
    Store,
    export_file,
    open_store,
    serialize_quads,
)
from plan_kb.store.results import (
    QueryError,
    QueryInterrupted,
    QueryTimeout,
    Result,
    ResultTooLarge,
    RowLimitExceeded,
    StoreUnavailable,
    Term,
    escape_string,
    result_from_ox,
    run_on_oxigraph,
)

__all__ = [
    "EXPORT_FORMATS",
    "QUAD_FORMATS",
    "EmbeddedStore",
    "PlainRows",
    "QueryError",
    "QueryInterrupted",
    "QueryTimeout",
    "RemoteStore",
    "Result",
    "ResultTooLarge",
    "RowLimitExceeded",
    "Store",
    "StoreUnavailable",
    "Term",
    "escape_string",
    "export_file",
    "open_store",
    "result_from_ox",
    "run_on_oxigraph",
    "serialize_quads",
]
