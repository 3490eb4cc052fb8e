"""The named queries of ``api/queries/*.rq``: ``GET /queries`` lists them, and each is an operation of its own,
``GET /queries/{name}?param=…`` (operation id ``query_<name>``), answering JSON rows or CSV."""

from __future__ import annotations

import inspect
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from plan_kb.base.namespaces import PREFIXES
from plan_kb.errors import NotFound
from plan_kb.service.deps import KBDep
from plan_kb.service.errors import ERROR_CONTENT
from plan_kb.service.listing import Format, Limit, Offset, json_response, next_link, page, page_size, wants_csv
from plan_kb.store.queries import ROLES, NamedQuery, named_queries, run_named_page

ORDER = 15
router = APIRouter(prefix="/queries", tags=["named queries"])


class ParamInfo(BaseModel):
    name: str
    type: str
    description: str
    required: bool
    example: str | None = None


class QueryInfo(BaseModel):
    name: str
    summary: str
    description: str
    params: list[ParamInfo]
    sparql: str
    url: str
    download: str


class QueryRows(BaseModel):
    """Rows of a named query: values as JSON numbers, booleans and strings (IRIs as strings)."""

    query: str
    total: int
    limit: int
    offset: int
    next: str | None = None
    variables: list[str]
    items: list[dict[str, Any]]


def with_prefixes(body: str) -> str:
    """``body`` with the PREFIX lines of the prefixes it uses, so it runs as it is pasted into ``/sparql``."""
    import re

    used = set(re.findall(r"(?<![\w?$<#])([A-Za-z][\w-]*):", body))
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items() if k in used) + body


def _info(q: NamedQuery) -> QueryInfo:
    return QueryInfo(name=q.name, summary=q.summary, description=q.description,
                     params=[ParamInfo(name=p.name, type=p.type, description=p.description,
                                       required=not p.optional, example=p.example) for p in q.params],
                     sparql=with_prefixes(q.body), url=f"/queries/{q.name}", download=f"/queries/{q.name}.rq")


@router.get("", operation_id="list_queries", summary="The named queries and their parameters",
            response_model=list[QueryInfo])
def list_queries() -> list[QueryInfo]:
    return [_info(q) for q in named_queries().values()]


@router.get("/{name}.rq", operation_id="download_query", response_class=Response,
            summary="A named query as a .rq file, with its PREFIX lines (parameters as ?_name variables)",
            responses={200: {"content": {"application/sparql-query": {"schema": {"type": "string"}}}},
                       404: {"description": "no such named query", "content": ERROR_CONTENT}})
def download_query(name: str) -> Response:
    q = named_queries().get(name)
    if q is None:
        raise NotFound(f"no named query {name!r}; GET /queries lists them")
    head = "".join(f"# {line}\n".replace("# \n", "#\n") for line in (q.summary, "", *q.description.splitlines()))
    params = "".join(f"# parameter ?_{p.name} ({p.type}{', optional' if p.optional else ''}): {p.description}\n"
                     for p in q.params)
    text = head + params + with_prefixes(q.body)
    return Response(text.encode("utf-8"), media_type="application/sparql-query; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{q.name}.rq"'})


_PY_TYPES: dict[str, Any] = {"integer": int, "date": date}


def _endpoint(q: NamedQuery) -> Any:
    def run(kb: KBDep, request: Request, format: Format = None, limit: Limit = None, offset: Offset = 0,
            **params: Any) -> Any:
        lim = page_size(request, limit)
        res, total = run_named_page(kb.store, q.name, lim, offset,
                                    **{k: v for k, v in params.items() if v is not None})
        rows = res.records()
        if wants_csv(request, format):
            return page(request, rows, res.variables, format, limit, offset, total=total)
        nxt = next_link(request, offset, lim, total)
        resp = json_response({"query": q.name, "total": total, "limit": lim, "offset": offset, "next": nxt,
                              "variables": res.variables, "items": rows})
        if nxt:
            resp.headers["Link"] = f'<{nxt}>; rel="next"'
        return resp

    base = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in inspect.signature(run).parameters.values()
            if p.kind != inspect.Parameter.VAR_KEYWORD]
    extra = []
    for p in q.params:
        typ: Any = _PY_TYPES.get(p.type, str)
        kw: dict[str, Any] = {"description": p.description}
        if p.example is not None:
            kw["examples"] = [p.example]
        if p.type == "role":
            kw["pattern"] = "^(" + "|".join(ROLES) + ")$"
        elif p.type in ("plan",):
            kw["pattern"] = r"^[a-z0-9][a-z0-9-]*$"
        elif p.type in ("agency", "place"):
            kw["pattern"] = r"^[A-Za-z0-9][A-Za-z0-9._~-]*$"
        elif typ is str:
            kw["min_length"] = 1
        if typ is int:
            kw["ge"], kw["le"] = -(10**12), 10**12
        ann = Annotated[typ | None, Query(**kw)] if p.optional else Annotated[typ, Query(**kw)]
        extra.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, annotation=ann,
                                       default=None if p.optional else inspect.Parameter.empty))
    run.__signature__ = inspect.Signature([*base[:2], *extra, *base[2:]])  # type: ignore[attr-defined]
    run.__name__ = f"query_{q.name.replace('-', '_')}"
    return run


for _q in named_queries().values():
    router.add_api_route(
        f"/{_q.name}", _endpoint(_q), methods=["GET"], operation_id=f"query_{_q.name.replace('-', '_')}",
        summary=_q.summary, description=(_q.description + "\n\n```sparql\n" + with_prefixes(_q.body) + "```").strip(),
        response_model=QueryRows,
        responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
                   400: {"description": "a bad parameter value", "content": ERROR_CONTENT}})
