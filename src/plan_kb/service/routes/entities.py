"""Agencies, places, deadlines, the calendar and the export: ``/agencies``, ``/agencies/{id}``, ``/places/{id}``,
``/deadlines``, ``/calendar.ics``, ``/export``."""

from __future__ import annotations

import bisect
import itertools
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from plan_kb.errors import NotFound
from plan_kb.reading.agencies import find_jurisdiction
from plan_kb.service.deps import KBDep
from plan_kb.service.errors import ERROR_CONTENT
from plan_kb.service.listing import LIST_RESPONSES, Format, Limit, Offset, Page, json_response, page
from plan_kb.service.models import AgencyDetail, AgencySummary, DeadlineRow, PlaceDetail
from plan_kb.service.routes.rest import place_ref
from plan_kb.store import EXPORT_FORMATS, serialize_quads
from plan_kb.store.queries import ROLES, BadParameter, entity_iri, records

ORDER = 30
router = APIRouter()
NOT_FOUND = {404: {"description": "no such entity", "content": ERROR_CONTENT}}
EntityId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$", max_length=200)]


@router.get("/agencies", operation_id="list_agencies", tags=["agencies"], response_model=Page[AgencySummary],
            summary="Every agency with a role, with how many items it leads, supports, is responsible for, guides",
            responses=LIST_RESPONSES)
def list_agencies(kb: KBDep, request: Request, format: Format = None, limit: Limit = None, offset: Offset = 0,
                  jurisdiction: Annotated[str | None, Query(
                      max_length=100, description="only the bodies of this government: a place name (潮州市, 潮州, "
                      "上海市徐汇区) or its division code (445100)")] = None) -> Any:
    rows = kb.memo("agencies", lambda: [{"iri": r["agency"], **r} for r in records(kb.store, "agencies")])
    if jurisdiction and jurisdiction.strip():
        code = find_jurisdiction(jurisdiction).code
        rows = [r for r in rows if r.get("jurisdiction") == code]
    return page(request, rows, list(AgencySummary.model_fields), format, limit, offset)


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
    deadlines = kb.select(f"""SELECT DISTINCT ?plan ?number ?title ?role ?kind ?date ?rrule ?offset ?afterEvent
      ?approximate ?source ?requirement ?item ?deadline WHERE {{
      VALUES (?prop ?role) {{ {' '.join(f'(<{p}> "{r}")' for r, p in ROLES.items())} }}
      ?item ?prop <{iri}> ; pkb:hasDeadline ?deadline ; pkb:inPlan ?p . ?p pkb:planKey ?plan ; pkb:sourceStart ?ps .
      OPTIONAL {{ ?item pkb:number ?number }} OPTIONAL {{ ?item dcterms:title ?t }}
      OPTIONAL {{ ?deadline pkb:deadlineKind ?k }} OPTIONAL {{ ?deadline pkb:date ?date }}
      OPTIONAL {{ ?deadline pkb:rrule ?rrule }} OPTIONAL {{ ?deadline pkb:requirementText ?rq }}
      OPTIONAL {{ ?deadline pkb:offset ?offset }} OPTIONAL {{ ?deadline pkb:afterEvent ?ae }}
      OPTIONAL {{ ?deadline pkb:approximate ?approximate }} OPTIONAL {{ ?deadline pkb:sourceText ?src }}
      BIND(STR(?t) AS ?title) BIND(STRAFTER(STR(?k), "#") AS ?kind) BIND(STR(?rq) AS ?requirement)
      BIND(STR(?ae) AS ?afterEvent) BIND(STR(?src) AS ?source)
      BIND(!BOUND(?date) AS ?undated) }} ORDER BY ?undated ?date ?ps ?number ?deadline ?role""")
    for d in deadlines:
        d["date"] = None if d["date"] is None else str(d["date"])
        d["offset"] = None if d["offset"] is None else str(d["offset"])
    home = kb.select(f"""SELECT ?code ?label WHERE {{ <{iri}> pkb:jurisdiction ?j . ?j pkb:adminCode ?c .
      OPTIONAL {{ ?j skos:prefLabel ?l }} BIND(STR(?c) AS ?code) BIND(STR(?l) AS ?label) }} LIMIT 1""")
    return json_response({"iri": iri, "id": id, "label": label,
                          "altLabels": sorted({n["label"] for n in names if n["kind"] == "alt"}),
                          "jurisdiction": home[0]["code"] if home else None,
                          "jurisdictionLabel": home[0]["label"] if home else None,
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
    rows = kb.memo("deadlines", lambda: Deadlines(records(kb.store, "deadlines"))).window(plan, after, before)
    out = [r for r in rows if r["deadlineKind"] == kind] if kind else rows
    return page(request, out, list(DeadlineRow.model_fields), format, limit, offset)


class Deadlines:
    """The rows of the ``deadlines`` query in its order (dated by date, then undated), of all plans and of each plan,
    read once per build: a page of ``/deadlines`` is a slice, a window of dates a run found by bisection."""

    def __init__(self, rows: list[dict[str, Any]]):
        for r in rows:
            r["iri"] = r["deadline"]
            for k in ("date", "startDate", "offset"):
                r[k] = None if r[k] is None else str(r[k])
        self.rows: dict[str | None, list[dict[str, Any]]] = {None: rows}
        for r in rows:
            self.rows.setdefault(r["plan"], []).append(r)
        self.dates = {k: [r["date"] for r in v if r["date"]] for k, v in self.rows.items()}

    def window(self, plan: str | None, after: date | None, before: date | None) -> list[dict[str, Any]]:
        rows = self.rows.get(plan, [])
        if not (before or after):
            return rows
        dates = self.dates[plan]
        if any(a > b for a, b in itertools.pairwise(dates)) or not all(r["date"] for r in rows[:len(dates)]):
            dated = [r for r in rows if r["date"]]  # not by date as text: look at each one
            return [r for r in dated if (not after or r["date"] >= after.isoformat())
                    and (not before or r["date"] <= before.isoformat())]
        lo = bisect.bisect_left(dates, after.isoformat()) if after else 0
        hi = bisect.bisect_right(dates, before.isoformat()) if before else len(dates)
        return rows[lo:max(lo, hi)]


@router.get("/calendar.ics", operation_id="get_calendar", tags=["deadlines"], response_class=Response,
            summary="The deadlines as an iCalendar feed to subscribe to (RFC 5545), optionally of one agency or plan",
            responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}, **NOT_FOUND})
def calendar(kb: KBDep,
             agency: Annotated[str | None, Query(max_length=200, description="an agency: any of its names "
                                                 "(省生态环境厅) or its id", examples=["省生态环境厅"])] = None,
             plan: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]*$", examples=["water"])] = None,
             daily: Annotated[Literal["weekly", "daily"], Query(
                 description="a daily duty as one reminder a week on Monday (weekly) or an event every day "
                             "(daily)")] = "weekly",
             undated: Annotated[Literal["event", "todo", "omit"], Query(
                 description="a deadline with no date of its own: an all-day event on the plan's last day marked "
                             "as undated (event), a VTODO (todo), or left out (omit)")] = "event",
             ) -> Response:
    from plan_kb.answers.calendar import calendar_bytes
    from plan_kb.store import PlainRows
    from plan_kb.store.folders import build_time

    if agency and not agency.strip():
        agency = None
    stamp = build_time(kb.folder) if kb.folder is not None else None
    body = kb.cached(("calendar", agency, plan, daily, undated),
                     lambda: calendar_bytes(PlainRows(kb.store), agency=agency, plan=plan, stamp=stamp, daily=daily,
                                            undated=undated))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="plan-kb.ics"'})


_EXPORT_CONTENT: dict[str, Any] = {media: {"schema": {"type": "string"}} for _f, media in EXPORT_FORMATS.values()}
_EXPORT_CONTENT["application/ld+json"] = {"schema": {"description": "a compact JSON-LD document (/context.jsonld)"}}
_EXTENSIONS = {"nquads": "nq", "trig": "trig", "turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "rdfxml": "rdf"}
#: export formats by media type, for Accept
_EXPORT_MEDIA = {media: name for name, (_f, media) in EXPORT_FORMATS.items()} | {
    "text/plain": "ntriples", "application/json": "jsonld", "application/xml": "rdfxml", "text/n3": "turtle"}


def export_format(fmt: str | None, accept: str | None) -> str:
    """The export format ``format=`` names (a short name or media type), else the best of ``Accept`` (N-Quads for
    ``*/*`` or none)."""
    from plan_kb.service.formats import ALIASES, NotAcceptable, parse_accept

    if fmt:
        v = fmt.strip().lower()
        name = ALIASES["graph"].get(v, v)
        name = _EXPORT_MEDIA.get(name, name)
        name = "turtle" if name == "n3" else name
        if name in EXPORT_FORMATS:
            return name
        raise BadParameter(f"format {fmt!r} is not an export format; one of {', '.join(EXPORT_FORMATS)}")
    for media, _q in parse_accept(accept):
        if media in _EXPORT_MEDIA:
            return _EXPORT_MEDIA[media]
        if media in ("*/*", "application/*"):
            return "nquads"
        if media == "text/*":
            return "turtle"
    raise NotAcceptable(f"none of the accepted types ({accept}) is an export format; offered: "
                        f"{', '.join(m for _f, m in EXPORT_FORMATS.values())}")


def rdf_download(kb: Any, request: Request, fmt: str | None, graph: str | None, ontology: bool,
                 stem: str, merge: bool = False) -> Response:
    name = export_format(fmt, request.headers.get("accept"))
    if graph is not None and graph not in kb.store.graphs():
        raise NotFound(f"no graph {graph!r} in the knowledge base; the service description (GET /sparql) lists them")

    def make() -> bytes:
        if not merge:
            return kb.store.serialize(name, graph=graph, ontology=ontology)
        import pyoxigraph as ox

        quads = ox.parse(kb.store.serialize("nquads", ontology=ontology), format=ox.RdfFormat.N_QUADS)
        return serialize_quads([q.triple for q in quads], name)

    body = kb.cached(("export", name, graph, ontology, merge), make)
    media = EXPORT_FORMATS[name][1]
    ctype = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")
    return Response(body, media_type=ctype, headers={
        "Content-Disposition": f'attachment; filename="{stem}.{_EXTENSIONS[name]}"', "Vary": "Accept"})


GraphIri = Annotated[str | None, Query(max_length=2000, description="one named graph only (Graph Store Protocol "
                                       "read): a document's graph or the ontology's")]


@router.get("/export", operation_id="export", tags=["export"], response_class=Response,
            summary="The whole knowledge base (or one named graph) in an RDF format; quad formats keep one named "
                    "graph per document and one for the ontology", responses={200: {"content": _EXPORT_CONTENT},
                                                                               **NOT_FOUND})
def export(kb: KBDep, request: Request,
           format: Annotated[str | None, Query(description="nquads, trig, turtle (ttl), ntriples (nt), jsonld, "
                                               "rdfxml (xml), or a media type; without it Accept decides "
                                               "(N-Quads for */*)", examples=["nquads"])] = None,
           graph: GraphIri = None,
           ontology: Annotated[bool, Query(description="include the ontology's named graph")] = True) -> Response:
    return rdf_download(kb, request, format, graph, ontology, "plan-kb")


@router.get("/graphs", operation_id="graph_store_read", tags=["export"], response_class=Response,
            summary="Graph Store Protocol (read): GET ?graph=<iri> one named graph, or ?default the default graph "
                    "(the union)", responses={200: {"content": _EXPORT_CONTENT}, **NOT_FOUND})
def graph_store(kb: KBDep, request: Request, graph: GraphIri = None,
                default: Annotated[str | None, Query(description="present: the default graph")] = None,
                format: Annotated[str | None, Query(description="as for /export")] = None) -> Response:
    if graph is None and default is None:
        raise BadParameter("name a graph: ?graph=<iri>, or ?default for the default graph")
    if graph is not None and default is not None:
        raise BadParameter("?graph and ?default both given; name one graph")
    return rdf_download(kb, request, format, graph, True,
                        "plan-kb" if graph is None else graph.rstrip("/").rsplit("/", 1)[-1], merge=graph is None)
