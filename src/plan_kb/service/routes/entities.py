"""Agencies, places, deadlines, the calendar and the export: ``/agencies``, ``/agencies/{id}``, ``/places/{id}``,
``/deadlines``, ``/calendar.ics``, ``/export``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from plan_kb.errors import NotFound
from plan_kb.service.deps import KBDep
from plan_kb.service.errors import ERROR_CONTENT
from plan_kb.service.listing import LIST_RESPONSES, Format, Limit, Offset, Page, json_response, page
from plan_kb.service.models import AgencyDetail, AgencySummary, DeadlineRow, PlaceDetail
from plan_kb.service.routes.rest import place_ref
from plan_kb.store import EXPORT_FORMATS
from plan_kb.store.queries import ROLES, entity_iri, records

ORDER = 30
router = APIRouter()
NOT_FOUND = {404: {"description": "no such entity", "content": ERROR_CONTENT}}
EntityId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$", max_length=200)]


@router.get("/agencies", operation_id="list_agencies", tags=["agencies"], response_model=Page[AgencySummary],
            summary="Every agency with a role, with how many items it leads, supports, is responsible for, guides",
            responses=LIST_RESPONSES)
def list_agencies(kb: KBDep, request: Request, format: Format = None, limit: Limit = None,
                  offset: Offset = 0) -> Any:
    return page(request, records(kb.store, "agencies"), list(AgencySummary.model_fields), format, limit, offset)


@router.get("/agencies/{id}", operation_id="get_agency", tags=["agencies"], response_model=AgencyDetail,
            summary="An agency: its names, its items by role and their deadlines", responses=NOT_FOUND)
def get_agency(kb: KBDep, id: Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$", max_length=200,
                                                  examples=["sx-ecology-environment"])]) -> Any:
    iri = entity_iri("agency", id)
    names = kb.select(f"""SELECT DISTINCT ?kind ?label WHERE {{
      {{ <{iri}> skos:prefLabel ?l BIND("pref" AS ?kind) }} UNION {{ <{iri}> rdfs:label ?l BIND("rdfs" AS ?kind) }}
      UNION {{ <{iri}> skos:altLabel ?l BIND("alt" AS ?kind) }} BIND(STR(?l) AS ?label) }} ORDER BY ?kind ?label""")
    tasks = records(kb.store, "agency-tasks", agency=id)
    if not names and not tasks:
        raise NotFound(f"no agency {id!r}; GET /agencies lists them")
    label = next((n["label"] for n in names if n["kind"] == "pref"),
                 next((n["label"] for n in names if n["kind"] == "rdfs"), id))
    by_role: dict[str, list[dict[str, Any]]] = {r: [] for r in ROLES}
    for t in tasks:
        by_role[t["role"]].append(t)
    deadlines = kb.select(f"""SELECT DISTINCT ?plan ?number ?title ?role ?kind ?date ?rrule ?requirement ?item
      ?deadline WHERE {{
      VALUES (?prop ?role) {{ {' '.join(f'(<{p}> "{r}")' for r, p in ROLES.items())} }}
      ?item ?prop <{iri}> ; pkb:hasDeadline ?deadline ; pkb:inPlan ?p . ?p pkb:planKey ?plan ; pkb:sourceStart ?ps .
      OPTIONAL {{ ?item pkb:number ?number }} OPTIONAL {{ ?item dcterms:title ?t }}
      OPTIONAL {{ ?deadline pkb:deadlineKind ?k }} OPTIONAL {{ ?deadline pkb:date ?date }}
      OPTIONAL {{ ?deadline pkb:rrule ?rrule }} OPTIONAL {{ ?deadline pkb:requirementText ?rq }}
      BIND(STR(?t) AS ?title) BIND(STRAFTER(STR(?k), "#") AS ?kind) BIND(STR(?rq) AS ?requirement)
      BIND(!BOUND(?date) AS ?undated) }} ORDER BY ?undated ?date ?ps ?number ?deadline ?role""")
    for d in deadlines:
        d["date"] = None if d["date"] is None else str(d["date"])
    return json_response({"iri": iri, "id": id, "label": label,
                          "altLabels": sorted({n["label"] for n in names if n["kind"] == "alt"}),
                          "tasks": by_role, "deadlines": deadlines})


@router.get("/places/{id}", operation_id="get_place", tags=["places"], response_model=PlaceDetail,
            summary="A place: its names and code, where it lies, what lies in it, and the items concerning it "
                    "(rolled up through pkb:within)", responses=NOT_FOUND)
def get_place(kb: KBDep, id: EntityId) -> Any:
    iri = entity_iri("place", id)
    facts = kb.select(f"""SELECT DISTINCT ?kind ?value WHERE {{
      {{ <{iri}> skos:prefLabel ?v BIND("pref" AS ?kind) }} UNION {{ <{iri}> skos:altLabel ?v BIND("alt" AS ?kind) }}
      UNION {{ <{iri}> a ?c BIND("type" AS ?kind) BIND(STRAFTER(STR(?c), "#") AS ?v) }}
      UNION {{ <{iri}> pkb:adminCode ?v BIND("code" AS ?kind) }}
      BIND(STR(?v) AS ?value) }} ORDER BY ?kind ?value""")
    items = records(kb.store, "place-tasks", place=id)
    if not facts and not items:
        raise NotFound(f"no place {id!r}")
    related = """SELECT ?iri (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?type; separator=" ") AS ?types)
      (SAMPLE(?code) AS ?adminCode) WHERE {{ {pattern}
      OPTIONAL {{ ?iri skos:prefLabel ?pl }} OPTIONAL {{ ?iri a ?c BIND(STRAFTER(STR(?c), "#") AS ?type) }}
      OPTIONAL {{ ?iri pkb:adminCode ?ac BIND(STR(?ac) AS ?code) }}
      BIND(STR(COALESCE(?pl, STRAFTER(STR(?iri), "/place/"))) AS ?l) }} GROUP BY ?iri ORDER BY ?iri"""
    within = kb.select(related.format(pattern=f"<{iri}> pkb:within+ ?iri ."))
    contains = kb.select(related.format(pattern=f"?iri pkb:within <{iri}> ."))
    seen: dict[str, dict[str, Any]] = {}
    for r in items:
        seen.setdefault(r["item"], {"iri": r["item"], "plan": r["plan"], "number": r["number"], "kind": r["kind"],
                                    "title": r["title"]})
    pick = [f["value"] for f in facts if f["kind"] == "pref"]
    return json_response({"iri": iri, "id": id, "label": pick[0] if pick else id,
            "altLabels": [f["value"] for f in facts if f["kind"] == "alt"],
            "types": [f["value"] for f in facts if f["kind"] == "type"],
            "adminCode": next((f["value"] for f in facts if f["kind"] == "code"), None),
            "within": [place_ref(r) for r in within], "contains": [place_ref(r) for r in contains],
            "items": list(seen.values())})


@router.get("/deadlines", operation_id="list_deadlines", tags=["deadlines"], response_model=Page[DeadlineRow],
            summary="Every deadline by date (undated kinds last), optionally of one plan or in a window",
            responses=LIST_RESPONSES)
def list_deadlines(
    kb: KBDep, request: Request,
    plan: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]*$", examples=["water"])] = None,
    before: Annotated[date | None, Query(description="dated deadlines on or before this date")] = None,
    after: Annotated[date | None, Query(description="dated deadlines on or after this date")] = None,
    kind: Annotated[Literal["By", "From", "During", "Recurring", "Relative", "External"] | None,
                    Query(description="only this kind of deadline")] = None,
    format: Format = None, limit: Limit = None, offset: Offset = 0,
) -> Any:
    rows = records(kb.store, "deadlines", plan=plan)
    out = []
    for r in rows:
        for k in ("date", "startDate", "offset"):
            r[k] = None if r[k] is None else str(r[k])
        if kind and r["deadlineKind"] != kind:
            continue
        if (before or after) and not r["date"]:
            continue
        if before and r["date"] > before.isoformat():
            continue
        if after and r["date"] < after.isoformat():
            continue
        out.append(r)
    return page(request, out, list(DeadlineRow.model_fields), format, limit, offset)


@router.get("/calendar.ics", operation_id="get_calendar", tags=["deadlines"], response_class=Response,
            summary="The deadlines as an iCalendar feed (RFC 5545), optionally of one agency or plan",
            responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}, **NOT_FOUND})
def calendar(kb: KBDep,
             agency: Annotated[str | None, Query(max_length=200, description="an agency: any of its names "
                                                 "(省生态环境厅) or its id", examples=["省生态环境厅"])] = None,
             plan: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]*$", examples=["water"])] = None,
             ) -> Response:
    from plan_kb.answers.calendar import calendar_bytes

    if agency and not agency.strip():
        agency = None
    body = calendar_bytes(kb.dataset(), agency=agency, plan=plan)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="plan-kb.ics"'})


_EXPORT_CONTENT: dict[str, Any] = {media: {"schema": {"type": "string"}} for _f, media in EXPORT_FORMATS.values()}
_EXPORT_CONTENT["application/ld+json"] = {"schema": {"description": "a JSON-LD document"}}


@router.get("/export", operation_id="export", tags=["export"], response_class=Response,
            summary="The whole knowledge base in an RDF format (quad formats keep one named graph per document)",
            responses={200: {"content": _EXPORT_CONTENT}})
def export(kb: KBDep, format: Annotated[Literal["nquads", "trig", "turtle", "ntriples", "jsonld", "rdfxml"],
                                        Query(description="the RDF format")] = "nquads") -> Response:
    media = EXPORT_FORMATS[format][1]
    ext = {"nquads": "nq", "trig": "trig", "turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld",
           "rdfxml": "rdf"}[format]
    ctype = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")
    return Response(kb.store.serialize(format), media_type=ctype,
                    headers={"Content-Disposition": f'attachment; filename="plan-kb.{ext}"'})
