"""The 分工表 for other systems and spreadsheets: ``/division?plan=water`` (or ``agency=…``, or both) as JSON, CSV or
an Excel workbook (``format=xlsx``). The page for people is ``/ui/division``."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from plan_kb.answers.division import COLUMNS, Division, division, xlsx
from plan_kb.service.deps import KBDep
from plan_kb.service.errors import ERROR_CONTENT
from plan_kb.service.formats import table_csv
from plan_kb.service.listing import json_response
from plan_kb.store.queries import BadParameter, entity_iri

ORDER = 35
router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_of(kb: Any, plan: str | None, agency: str | None) -> Division:
    if not plan and not agency:
        raise BadParameter("a 分工表 is of a plan (plan=water) or an agency (agency=<id>), or both")
    return division(kb.store, plan=plan, agency_iri=entity_iri("agency", agency) if agency else None)


def _filename(table: Division, plan: str | None, agency: str | None, ext: str) -> dict[str, str]:
    ascii_name = "-".join(x for x in ("division", plan, agency) if x) + f".{ext}"
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                                   f"filename*=UTF-8''{quote(table.heading + '分工表.' + ext)}"}


@router.get("/division", operation_id="get_division", tags=["tasks"],
            summary="The 分工表 of a plan or an agency: task, content, lead, support, responsible, guiding, deadlines",
            responses={200: {"content": {"text/csv": {}, XLSX: {}}}, 400: {"content": ERROR_CONTENT},
                       404: {"content": ERROR_CONTENT}})
def get_division(kb: KBDep, request: Request,
                 plan: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100,
                                                   examples=["water"])] = None,
                 agency: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$", max_length=200)] = None,
                 format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json") -> Any:
    table = table_of(kb, plan, agency)
    if format == "xlsx":
        return Response(xlsx(table), media_type=XLSX, headers=_filename(table, plan, agency, "xlsx"))
    if format == "csv":
        body = table_csv(list(COLUMNS.values()), (r.cells() for r in table.rows))
        return Response(body, media_type="text/csv; charset=utf-8", headers=_filename(table, plan, agency, "csv"))
    return json_response({"heading": table.heading, "columns": COLUMNS,
                          "items": [{**r.__dict__, "ref": r.ref} for r in table.rows]})
