"""Pages for staff, in Chinese: the search at ``/``, ``/ui/tasks/{plan}/{number}``, ``/ui/agencies/{id}``,
``/ui/places/{id}``, ``/ui/deadlines``, ``/ui/sparql``, and their CSS/JS under ``/ui/static/``. Every page answers
JSON too (``?format=json`` or ``Accept: application/json``); every page carries the chat box that posts to ``/ask``.

``/`` is the search page for a browser (and for ``*/*``); with ``Accept: application/json`` or ``?format=json`` it
answers the search result as JSON, the same object as ``/search``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from plan_kb.answers.search import FACETS
from plan_kb.errors import NotFound, PlanKBError
from plan_kb.reading.dates import typed_date
from plan_kb.service.deps import KBDep, KnowledgeBase
from plan_kb.service.errors import status_of
from plan_kb.service.web.browse import agencies_index, document_view, documents_index, places_index
from plan_kb.service.web.render import STATIC, error_page, render, url, wants_json
from plan_kb.service.web.sparql import sparql_view
from plan_kb.service.web.views import agency_view, deadlines_view, place_view, search_view, task_view

ORDER = 90
router = APIRouter(include_in_schema=False)

_PLAN = re.compile(r"[a-z0-9][a-z0-9-]*")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_STATIC_FILES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
Values = Annotated[list[str] | None, Query()]


def _failed(request: Request, kb: KnowledgeBase, exc: PlanKBError) -> Response:
    if wants_json(request):
        raise exc
    return error_page(request, kb, status_of(exc), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def _today(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return typed_date(value)
    except ValueError as exc:
        from plan_kb.store.queries import BadParameter

        raise BadParameter(f"as_of: {exc}") from None


@router.get("/ui/static/{name}")
def static(name: str) -> Response:
    if name not in _STATIC_FILES:
        raise NotFound(f"no static file {name!r}")
    return FileResponse(STATIC / name, media_type=_STATIC_FILES[name], headers={"Cache-Control": "no-cache"})


@router.get("/")
def search_page(kb: KBDep, request: Request, q: str = "", plan: Values = None, kind: Values = None,
                agency: Values = None, role: Values = None, place: Values = None, year: Values = None,
                indicator: Values = None, sort: str = "relevance", page: int = 1) -> Response:
    given = {"plan": plan, "kind": kind, "agency": agency, "role": role, "place": place, "year": year,
             "indicator": indicator}
    filters = {k: [v for v in (given.get(k) or []) if v] for k in FACETS}
    try:
        if sort not in ("relevance", "deadline"):
            from plan_kb.answers.search import SearchQueryError

            raise SearchQueryError(f"sort must be relevance or deadline, not {sort!r}")
        if kb.folder is None:
            from plan_kb.errors import NotBuilt

            raise NotBuilt("search needs the build folder; this service reads a remote store")
        data = search_view(kb, q.strip(), filters, sort, max(1, page))
    except PlanKBError as e:
        if wants_json(request):
            raise
        data = {"query": q, "error": str(e).splitlines()[0], "hits": [], "facetList": [], "total": 0}
        return render(request, kb, "search.html", data, title="检索", status=status_of(e))
    return render(request, kb, "search.html", data, title=f"检索:{q}" if q else "检索")


@router.get("/ui/tasks/{plan}/{number}")
def task_page(kb: KBDep, request: Request, plan: str, number: str) -> Response:
    try:
        if not _PLAN.fullmatch(plan) or not number.isdigit() or not 1 <= int(number) <= 10**6:
            raise NotFound(f"no task {plan}/{number}")
        data = task_view(kb, plan, int(number))
    except PlanKBError as e:
        return _failed(request, kb, e)
    return render(request, kb, "task.html", data, title=f"{data['title']}(任务{number})",
                  extra={"subject": data["title"]})


@router.get("/ui/agencies")
def agencies_page(kb: KBDep, request: Request) -> Response:
    return render(request, kb, "agencies.html", agencies_index(kb), title="单位")


@router.get("/ui/places")
def places_page(kb: KBDep, request: Request) -> Response:
    return render(request, kb, "places.html", places_index(kb), title="地点")


@router.get("/ui/documents")
def documents_page(kb: KBDep, request: Request) -> Response:
    return render(request, kb, "documents.html", {"documents": documents_index(kb)}, title="文件")


@router.get("/ui/documents/{slug}")
def document_page(kb: KBDep, request: Request, slug: str) -> Response:
    try:
        if not _ID.fullmatch(slug):
            raise NotFound(f"no document {slug!r}")
        data = document_view(kb, slug)
    except PlanKBError as e:
        return _failed(request, kb, e)
    return render(request, kb, "document.html", data, title=data["title"] or data["number"] or slug)


def _subject_page(request: Request, kb: KnowledgeBase, kind: str, ident: str, template: str,
                  view: Callable[[], dict[str, Any]]) -> Response:
    """The page of one agency or place: its id checked, its view, the page titled by its label."""
    try:
        if not _ID.fullmatch(ident):
            raise NotFound(f"no {kind} {ident!r}")
        data = view()
    except PlanKBError as e:
        return _failed(request, kb, e)
    return render(request, kb, template, data, title=data["label"], extra={"subject": data["label"]})


@router.get("/ui/agencies/{agency_id}")
def agency_page(kb: KBDep, request: Request, agency_id: str, today: str | None = None,
                as_of: str | None = None) -> Response:
    return _subject_page(request, kb, "agency", agency_id, "agency.html",
                         lambda: agency_view(kb, agency_id, _today(as_of or today)))


@router.get("/ui/places/{place_id}")
def place_page(kb: KBDep, request: Request, place_id: str) -> Response:
    return _subject_page(request, kb, "place", place_id, "place.html", lambda: place_view(kb, place_id))


@router.get("/ui/deadlines")
def deadlines_page(kb: KBDep, request: Request, agency: str | None = None, plan: str | None = None,
                   today: str | None = None, as_of: str | None = None) -> Response:
    try:
        if agency and not _ID.fullmatch(agency):
            raise NotFound(f"no agency {agency!r}")
        if plan and not _PLAN.fullmatch(plan):
            raise NotFound(f"no plan {plan!r}")
        data = deadlines_view(kb, agency or None, plan or None, _today(as_of or today))
    except PlanKBError as e:
        return _failed(request, kb, e)
    return render(request, kb, "deadlines.html", data, title="期限")


@router.get("/ui/division")
def division_page(kb: KBDep, request: Request, plan: str | None = None, agency: str | None = None) -> Response:
    from plan_kb.service.routes.division import table_of

    try:
        if agency and not _ID.fullmatch(agency):
            raise NotFound(f"no agency {agency!r}")
        if plan and not _PLAN.fullmatch(plan):
            raise NotFound(f"no plan {plan!r}")
        plans = kb.select("SELECT ?plan ?title WHERE { ?p pkb:planKey ?plan ; dcterms:title ?title ; "
                          "pkb:sourceStart ?s } ORDER BY ?s ?plan")
        table = table_of(kb, plan, agency) if plan or agency else None
    except PlanKBError as e:
        return _failed(request, kb, e)
    data = {"plan": plan, "agency": agency, "plans": plans, "heading": table.heading if table else "",
            "rows": [{**r.__dict__, "ref": r.ref} for r in table.rows] if table else [],
            "downloads": {f: url("/division", {"plan": plan, "agency": agency, "format": f}) for f in ("xlsx", "csv")}
            if table else {}}
    return render(request, kb, "division.html", data, title=f"{data['heading']}分工表" if table else "分工表")


@router.get("/ui/ask")
def answer_page(kb: KBDep, request: Request, question: str = "", today: str | None = None) -> Response:
    """The chat box without JavaScript: the form's GET renders the answer as a page (with JS it posts to /ask)."""
    from plan_kb.answers.ask import check_question
    from plan_kb.service.routes.ask import asker_of

    data: dict[str, Any] = {"question": question}
    if question.strip():
        try:
            data = asker_of(request, kb).ask(check_question(question), today=_today(today) if today else None)
        except PlanKBError as e:
            return _failed(request, kb, e)
    return render(request, kb, "answer.html", data, title="提问" + (f":{question[:30]}" if question else ""))


@router.get("/ui/sparql")
def sparql_page(kb: KBDep, request: Request, query: str | None = None) -> Response:
    data = sparql_view(kb, query)
    status = data.get("status", 400) if data["error"] else 200
    if data["error"] and wants_json(request):
        return error_page(request, kb, status, data["error"])
    return render(request, kb, "sparql.html", data, title="SPARQL 查询", status=status)
