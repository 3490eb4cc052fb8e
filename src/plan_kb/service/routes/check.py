"""Rules as code over HTTP: ``GET /rules`` (the compiled rules, JSON or CSV), ``GET /rules.ttl`` (the same rules as
SHACL shapes, for any SHACL engine), ``POST /check`` (records as JSON or CSV → one result per record, JSON or CSV),
and the page ``/ui/check`` (paste or upload a CSV, see the verdicts with the tasks linked, download the result)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from plan_kb.answers.rules import RuleSet, as_csv, check, parse
from plan_kb.answers.rules.records import BadRecords
from plan_kb.base.cells import cell
from plan_kb.errors import NotBuilt, PlanKBError
from plan_kb.service.deps import KBDep, KnowledgeBase
from plan_kb.service.errors import ERROR_CONTENT, status_of
from plan_kb.service.listing import Format, wants_csv
from plan_kb.service.web.render import render, ui_href

ORDER = 55
router = APIRouter()
MAX_BODY = 2_000_000
RULE_COLUMNS = ("iri", "kind", "role", "plan", "number", "title", "indicator_label", "subject", "source_kind",
                "place_label", "place_mode", "comparator", "test", "value", "max_value", "unit", "from", "year",
                "quote")
EXAMPLE = "id,subject,place,indicator,value,unit,date\nk1,焦炉烟气,介休市,氮氧化物,60,mg/m3,2024-03-15\n"
CHECK_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}, "example": EXAMPLE},
    "application/json": {"schema": {"type": "array", "items": {"type": "object", "properties": {
        k: {"type": "string"} for k in ("id", "subject", "place", "indicator", "unit", "date")} | {
        "value": {"type": "number"}}}}, "example": [{"id": "k1", "subject": "焦炉烟气", "place": "介休市",
                                                      "indicator": "氮氧化物", "value": 60, "unit": "mg/m3",
                                                      "date": "2024-03-15"}]}}}}


def ruleset(kb: KnowledgeBase) -> RuleSet:
    if kb.folder is None:
        raise NotBuilt("the rules live in the build folder; this service reads a remote store")
    return RuleSet.load(Path(kb.folder))


@router.get("/rules", operation_id="rules", tags=["rules"],
            summary="Every compiled rule: indicator, source kind, place, from when, test, and the task it cites",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def rules(kb: KBDep, request: Request, format: Format = None) -> Any:
    rs = ruleset(kb)
    items = list(rs.rules.values())
    if wants_csv(request, format):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(RULE_COLUMNS)
        for r in items:
            w.writerow([cell(r.get(c)) for c in RULE_COLUMNS])
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8")
    return JSONResponse({"total": len(items), "rules": items, "shapes": "/rules.ttl"})


@router.get("/rules.ttl", operation_id="rules_shapes", tags=["rules"],
            summary="The rules as SHACL shapes (Turtle): run them with any SHACL engine over a records graph",
            responses={200: {"content": {"text/turtle": {"schema": {"type": "string"}}}}})
def rules_ttl(kb: KBDep) -> Any:
    ruleset(kb)
    return FileResponse(Path(kb.folder) / "rules.ttl", media_type="text/turtle; charset=utf-8")  # type: ignore[arg-type]


async def _records_text(request: Request) -> tuple[str, str | None]:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise BadRecords(f"the records are {len(body)} bytes; at most {MAX_BODY}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRecords("the records are not UTF-8 text") from None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = "json" if media.endswith("json") else ("csv" if media in ("text/csv", "text/plain") else None)
    return text, fmt


@router.post("/check", operation_id="check", tags=["rules"], openapi_extra=CHECK_BODY,
             summary="Check records (CSV or JSON: id, subject, place, indicator, value, unit, date) against the "
                     "plans' limits and goals",
             responses={200: {"description": "one result per record", "content": {
                 "text/csv": {"schema": {"type": "string"}}}},
                 422: {"description": "records that cannot be read", "content": ERROR_CONTENT},
                 413: {"description": "too many records", "content": ERROR_CONTENT}})
async def check_records(kb: KBDep, request: Request, format: Format = None) -> Any:
    text, fmt = await _records_text(request)
    results = check(parse(text, fmt), ruleset(kb))
    if wants_csv(request, format):
        return Response(as_csv(results), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="check.csv"'})
    return JSONResponse(results)


# --- the page ------------------------------------------------------------------------------------------------
@router.get("/ui/check", include_in_schema=False)
def check_page(kb: KBDep, request: Request) -> Response:
    return render(request, kb, "check.html", {"records": EXAMPLE, "results": None}, title="核查数据")


@router.post("/ui/check", include_in_schema=False)
async def check_page_post(kb: KBDep, request: Request) -> Response:
    body = await request.body()
    form = parse_qs(body.decode("utf-8", errors="replace")) if len(body) <= MAX_BODY else {}
    text = (form.get("records") or [""])[0]
    data: dict[str, Any] = {"records": text, "results": None}
    status = 200
    try:
        data["results"] = check(parse(text, None), ruleset(kb))
        for r in data["results"]:
            for v in r["verdicts"]:
                v["href"] = ui_href(v["task"]["iri"]) if "task" in v else None
        data["csv"] = as_csv(data["results"])
        data["summary"] = _summary(data["results"])
    except PlanKBError as exc:
        data["error"] = str(exc).splitlines()[0]
        status = status_of(exc)
    return render(request, kb, "check.html", data, title="核查数据", status=status)


def _summary(results: list[dict[str, Any]]) -> dict[str, int]:
    out = {"meets": 0, "breaks": 0, "not_in_force": 0, "not_comparable": 0, "not_covered": 0}
    for r in results:
        if not r["verdicts"]:
            out["not_covered"] += 1
        for v in r["verdicts"]:
            out[v["status"]] += 1
    return out
