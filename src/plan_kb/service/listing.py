"""Lists of the REST API: paged JSON (``total``, ``limit``, ``offset``, ``next``, ``items``) in a stable order, or the
same rows as CSV (``?format=csv`` or ``Accept: text/csv``). ``next`` is the URL of the following page (the same
query with ``offset`` moved on), ``null`` on the last; it is also sent as ``Link: <…>; rel="next"``, for CSV too."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from plan_kb.service.errors import ERROR_CONTENT
from plan_kb.service.formats import parse_accept, table_csv

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    total: int
    limit: int
    offset: int
    next: str | None = None
    items: list[T]


Format = Annotated[Literal["json", "csv"] | None,
                   Query(description="json (default) or csv; without it the Accept header decides")]
Limit = Annotated[int | None, Query(ge=1, le=100000, description="page size (default and cap from the settings)")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="rows to skip")]

LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
    400: {"description": "a bad filter value", "content": ERROR_CONTENT},
}


def wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt:
        return fmt == "csv"
    for media, _q in parse_accept(request.headers.get("accept")):
        if media in ("text/csv",):
            return True
        if media in ("application/json", "*/*", "application/*"):
            return False
    return False


def _cell(v: Any) -> Any:
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def next_link(request: Request, offset: int, limit: int, total: int) -> str | None:
    """The URL of the page after ``[offset, offset + limit)`` of ``total`` rows, or None on the last page."""
    if offset + limit >= total:
        return None
    return str(request.url.include_query_params(offset=offset + limit, limit=limit))


def page_size(request: Request, limit: int | None) -> int:
    s = request.app.state.settings
    return min(limit or s.page_limit, s.max_page_limit)


def page(request: Request, rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str | None,
         limit: int | None, offset: int, total: int | None = None) -> Any:
    """One page of ``rows`` (already in their stable order) as a Page dict or a CSV response; with ``total``,
    ``rows`` is the page already (the store cut it) and ``total`` the length of the whole list."""
    lim = page_size(request, limit)
    chunk = list(rows[offset:offset + lim]) if total is None else list(rows[:lim])
    total = len(rows) if total is None else total
    nxt = next_link(request, offset, lim, total)
    links = {"Link": f'<{nxt}>; rel="next"'} if nxt else {}
    if wants_csv(request, fmt):
        body = table_csv(list(columns), ([_cell(r.get(c)) for c in columns] for r in chunk))
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"X-Total-Count": str(total), "Vary": "Accept", **links})
    resp = json_response({"total": total, "limit": lim, "offset": offset, "next": nxt, "items": chunk})
    resp.headers.update(links)
    return resp


def _default(o: Any) -> Any:
    if hasattr(o, "model_dump"):
        return o.model_dump()
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"not JSON: {type(o).__name__}")


def json_response(data: Any, status: int = 200) -> Response:
    """JSON written directly (the route's response_model documents it; the tests check the documents conform),
    which spares the per-row model validation on every request."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default).encode("utf-8")
    return Response(body, status_code=status, media_type="application/json")
