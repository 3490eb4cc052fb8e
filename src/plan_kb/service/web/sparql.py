"""The SPARQL page: the example queries (the named queries of ``api/queries`` with their example parameters) and a
read-only run of the query typed, shown as a table, with links to download the result from ``/sparql``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.errors import PlanKBError
from plan_kb.service.deps import KnowledgeBase
from plan_kb.service.errors import status_of
from plan_kb.service.web.render import ui_href, url
from plan_kb.store.guard import read
from plan_kb.store.queries import named_queries

SHOWN_ROWS = 500


@lru_cache(maxsize=1)
def examples() -> list[dict[str, str]]:
    """Each named query that runs with its example parameters, with only the prefixes it uses."""
    head = sparql_prefixes()
    out = []
    for name, nq in named_queries().items():
        try:
            body = nq.sparql(**nq.example_params())[len(head):]
        except PlanKBError:
            continue
        used = "".join(ln + "\n" for ln in head.splitlines() if ln.split() and ln.split()[1] in body)
        out.append({"name": name, "summary": nq.summary, "title_zh": nq.title_zh, "query": used + body})
    return out


def sparql_view(kb: KnowledgeBase, query: str | None) -> dict[str, Any]:
    ex = examples()
    text = query if query is not None else (ex[0]["query"] if ex else "")
    out: dict[str, Any] = {"query": text, "examples": ex, "ran": False, "error": None}
    if query is None or not query.strip():
        return out
    out["downloads"] = {f: url("/sparql", {"query": query, "format": f}) for f in ("csv", "json")}
    try:
        s = kb.settings
        query, form = read(query, s.query_size, s.query_depth)
        res = kb.store.query(query, timeout=s.query_timeout, row_limit=s.row_limit, byte_limit=s.result_bytes)
    except PlanKBError as e:
        out["error"] = str(e).splitlines()[0] if str(e) else type(e).__name__
        out["status"] = status_of(e)  # a query past the time limit is 503 here as on /sparql
        return out
    out["ran"] = True
    out["form"] = form
    if res.kind == "select":
        out["variables"] = res.variables
        out["total"] = len(res.rows)
        out["rows"] = [[None if t is None else {"value": t.value, "kind": t.kind,
                                                "href": ui_href(t.value) if t.kind == "uri" else None} for t in row]
                       for row in res.rows[:SHOWN_ROWS]]
    elif res.kind == "ask":
        out["boolean"] = res.boolean
    else:
        out["downloads"] = {f: url("/sparql", {"query": query, "format": f}) for f in ("turtle", "jsonld")}
        out["ntriples"] = res.ntriples
    return out
