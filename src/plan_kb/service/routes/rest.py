"""The JSON/CSV API for plans and tasks: ``/plans``, ``/plans/{key}``, ``/tasks``, ``/tasks/{plan}/{number}``."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from plan_kb.errors import NotFound
from plan_kb.service.deps import KBDep, KnowledgeBase
from plan_kb.service.errors import ERROR_CONTENT
from plan_kb.service.listing import LIST_RESPONSES, Format, Limit, Offset, Page, json_response, page
from plan_kb.service.models import (
    DeadlineOut,
    Fact,
    PlaceRef,
    PlanDetail,
    PlanSummary,
    Source,
    TaskDetail,
    TaskSummary,
    ThresholdOut,
)
from plan_kb.store import queries
from plan_kb.store.queries import records, task_items_query, tasks_query

ORDER = 20
router = APIRouter(tags=["plans and tasks"])
NOT_FOUND = {404: {"description": "no such plan or task", "content": ERROR_CONTENT}}

PlanKey = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100,
                              description="the plan key", examples=["water"])]


@router.get("/plans", operation_id="list_plans", summary="Every plan, with counts of tasks, measures and goals",
            response_model=Page[PlanSummary], responses=LIST_RESPONSES)
def list_plans(kb: KBDep, request: Request, format: Format = None, limit: Limit = None, offset: Offset = 0) -> Any:
    return page(request, every_plan(kb), list(PlanSummary.model_fields), format, limit, offset)


def every_plan(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """The rows of the ``plans`` query in its order (the plans' order in the documents), read once per build: a page
    of ``/plans`` is a slice of it."""
    return kb.memo("plans", lambda: records(kb.store, "plans"))


def plan_row(kb: KnowledgeBase, key: str) -> dict[str, Any]:
    for r in every_plan(kb):
        if r["plan"] == key:
            return dict(r)
    known = ", ".join(r["plan"] for r in every_plan(kb))
    raise NotFound(f"no plan {key!r}; known plans: {known}")


@router.get("/plans/{key}", operation_id="get_plan", summary="A plan: its goals, tasks and measures",
            response_model=PlanDetail, responses=NOT_FOUND)
def get_plan(kb: KBDep, key: PlanKey) -> Any:
    row = plan_row(kb, key)
    items = kb.select(f"""SELECT DISTINCT ?iri ?number ?kind ?title WHERE {{
      <{row['iri']}> ^pkb:inPlan ?iri . ?iri a ?cls ; pkb:number ?number ; dcterms:title ?t .
      VALUES (?cls ?kind) {{ (pkb:Task "task") (pkb:Measure "measure") }}
      BIND(STR(?t) AS ?title) }} ORDER BY DESC(?kind) ?number""")
    for i in items:
        i["plan"] = key
    return json_response({**row,
                          "goalList": records(kb.store, "plan-goals", plan=key),
                          "taskList": [i for i in items if i["kind"] == "task"],
                          "measureList": [i for i in items if i["kind"] == "measure"]})


@router.get("/tasks", operation_id="list_tasks", summary="Tasks, filtered by plan, agency, role, place, due date or "
            "indicator", response_model=Page[TaskSummary], responses=LIST_RESPONSES)
def list_tasks(
    kb: KBDep, request: Request,
    plan: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]*$", description="plan key",
                                      examples=["water"])] = None,
    agency: Annotated[str | None, Query(description="agency id (after id:agency/)",
                                        examples=["sx-ecology-environment"])] = None,
    role: Annotated[queries.Role | None, Query(description="with agency: only this role; alone: tasks that have "
                                                           "an agency in this role")] = None,
    place: Annotated[str | None, Query(description="place id (after id:place/); places within it count too")] = None,
    due_before: Annotated[date | None, Query(description="a deadline on or before this date")] = None,
    due_after: Annotated[date | None, Query(description="a deadline on or after this date")] = None,
    indicator: Annotated[str | None, Query(description="words of the name of an indicator the task limits",
                                           examples=["颗粒物"])] = None,
    format: Format = None, limit: Limit = None, offset: Offset = 0,
) -> Any:
    every, position = kb.memo("tasks", lambda: _every_task(kb))
    filters = {"plan": plan, "agency": agency, "role": role, "place": place, "due_before": due_before,
               "due_after": due_after, "indicator": indicator}
    if any(v is not None for v in filters.values()):
        found = {r["item"] for r in kb.store.query(task_items_query(**filters)).records()}
        rows: list[dict[str, Any]] = [every[i] for i in sorted(position[t] for t in found if t in position)]
    else:
        rows = every
    return page(request, rows, list(TaskSummary.model_fields), format, limit, offset)


def _every_task(kb: KnowledgeBase) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every task's row of ``/tasks`` in the list's order (document order), and each task's place in it, read once
    per build: a page of the list is then a slice, and a filtered list the tasks the store finds by its indexes
    (``task_items_query``), put in this order."""
    rows = kb.store.query(tasks_query()).records()
    for r in rows:
        r["iri"] = r["item"]
        r["leads"] = [x for x in (r.get("leads") or "").split("; ") if x]
    return rows, {r["item"]: i for i, r in enumerate(rows)}


@router.get("/tasks/{plan}/{number}", operation_id="get_task",
            summary="A task: every fact about it, its agencies, deadlines, places, limits and its source text",
            response_model=TaskDetail, responses=NOT_FOUND)
def get_task(kb: KBDep, plan: PlanKey,
             number: Annotated[int, Path(ge=1, le=10**6, description="the task number", examples=[1])]) -> Any:
    found = kb.select(f"""SELECT DISTINCT ?item ?title ?text ?start ?end ?quote ?doc WHERE {{
      ?p pkb:planKey "{plan}" . ?item a pkb:Task ; pkb:inPlan ?p ; pkb:number {number} ;
        dcterms:title ?t ; pkb:text ?x .
      OPTIONAL {{ ?item pkb:sourceStart ?start }} OPTIONAL {{ ?item pkb:sourceEnd ?end }}
      OPTIONAL {{ ?item pkb:sourceText ?q }} OPTIONAL {{ ?item prov:wasDerivedFrom ?doc }}
      BIND(STR(?t) AS ?title) BIND(STR(?x) AS ?text) BIND(STR(?q) AS ?quote) }} LIMIT 1""")
    if not found:
        plan_row(kb, plan)
        raise NotFound(f"plan {plan} has no task {number}")
    f = found[0]
    iri = f["item"]
    return json_response({
        "iri": iri, "plan": plan, "number": number, "title": f["title"], "text": f["text"],
        # the section's type as a FILTER: as a pattern, the store would start from every section of the base
        "section": [r["label"] for r in kb.select(f"""SELECT DISTINCT ?label WHERE {{ <{iri}> dcterms:isPartOf+ ?s .
            ?s pkb:headingLevel ?lvl ; rdfs:label ?l . FILTER EXISTS {{ ?s a pkb:Section }}
            BIND(STR(?l) AS ?label) }} ORDER BY ?lvl""")],
        "source": Source(document=f["doc"], text=f["quote"], start=f["start"], end=f["end"]),
        "agencies": [{"iri": a["agency"], "id": a["agency"].rsplit("/agency/", 1)[-1], "label": a["label"],
                      "role": a["role"], "inherited": a["inherited"]} for a in agencies_of(kb, iri, plan, number)],
        "deadlines": deadlines_of(kb, iri),
        "places": places_of(kb, iri),
        "thresholds": thresholds_of(kb, iri),
        "citations": [r["title"] for r in kb.select(f"""SELECT DISTINCT ?title WHERE {{ <{iri}> pkb:cites ?c .
            ?c dcterms:title ?t BIND(STR(?t) AS ?title) }} ORDER BY ?title""")],
        "facts": facts_of(kb, iri),
    })


def agencies_of(kb: KnowledgeBase, iri: str, plan: str, number: int) -> list[dict[str, Any]]:
    """The rows of the ``task-agencies`` named query for the task ``iri`` itself: the same query with the task
    bound, so the store starts from it (given the plan key and number, Oxigraph starts from every task's roles);
    the named query as it is if its text no longer has the shape this relies on."""
    body = queries.get("task-agencies").body
    body = re.sub(r"\?p pkb:planKey \?_plan \.\s*", "", body)
    body = body.replace("?task a pkb:Task ; pkb:inPlan ?p ; pkb:number ?_number ;", f"<{iri}>")
    if "?_" in body or "?p " in body or f"<{iri}> ?prop" not in body:
        return records(kb.store, "task-agencies", plan=plan, number=number)
    return kb.select(body.replace("?task", f"<{iri}>"))


def deadlines_of(kb: KnowledgeBase, iri: str) -> list[DeadlineOut]:
    rows = kb.select(f"""SELECT DISTINCT ?iri ?kind ?date ?startDate ?rrule ?offset ?afterEvent ?approximate
      ?requirement ?quote WHERE {{ <{iri}> pkb:hasDeadline ?iri .
      OPTIONAL {{ ?iri pkb:deadlineKind ?k }} OPTIONAL {{ ?iri pkb:date ?date }}
      OPTIONAL {{ ?iri pkb:startDate ?startDate }} OPTIONAL {{ ?iri pkb:rrule ?rrule }}
      OPTIONAL {{ ?iri pkb:offset ?offset }} OPTIONAL {{ ?iri pkb:afterEvent ?ae }}
      OPTIONAL {{ ?iri pkb:approximate ?approximate }} OPTIONAL {{ ?iri pkb:requirementText ?rq }}
      OPTIONAL {{ ?iri pkb:sourceText ?q }} OPTIONAL {{ ?iri pkb:sourceStart ?s }}
      BIND(STRAFTER(STR(?k), "#") AS ?kind) BIND(STR(?ae) AS ?afterEvent) BIND(STR(?rq) AS ?requirement)
      BIND(STR(?q) AS ?quote) }} ORDER BY ?s ?iri""")
    return [DeadlineOut(**{k: (str(v) if k in ("date", "startDate", "offset") and v is not None else v)
                           for k, v in r.items()}) for r in rows]


def places_of(kb: KnowledgeBase, iri: str) -> list[PlaceRef]:
    rows = kb.select(f"""SELECT ?iri (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?type; separator=" ") AS ?types)
      (SAMPLE(?code) AS ?adminCode) WHERE {{ <{iri}> pkb:concernsPlace ?iri .
      OPTIONAL {{ ?iri skos:prefLabel ?pl }} OPTIONAL {{ ?iri a ?c BIND(STRAFTER(STR(?c), "#") AS ?type) }}
      OPTIONAL {{ ?iri pkb:adminCode ?ac BIND(STR(?ac) AS ?code) }}
      BIND(STR(COALESCE(?pl, STRAFTER(STR(?iri), "/place/"))) AS ?l) }} GROUP BY ?iri ORDER BY ?iri""")
    return [place_ref(r) for r in rows]


def place_ref(r: dict[str, Any]) -> PlaceRef:
    return PlaceRef(iri=r["iri"], id=r["iri"].rsplit("/place/", 1)[-1], label=r["label"] or "",
                    types=[t for t in (r.get("types") or "").split() if t], adminCode=r.get("adminCode"))


def thresholds_of(kb: KnowledgeBase, iri: str) -> list[ThresholdOut]:
    rows = kb.select(f"""SELECT DISTINCT ?iri ?indicator ?subject ?comparator ?value ?maxValue ?unit ?year ?quote
      WHERE {{
      <{iri}> pkb:hasThreshold ?iri .
      OPTIONAL {{ ?iri pkb:indicator ?i }} OPTIONAL {{ ?iri pkb:subject ?s }}
      OPTIONAL {{ ?iri pkb:comparator ?comparator }} OPTIONAL {{ ?iri pkb:value ?value }}
      OPTIONAL {{ ?iri pkb:maxValue ?maxValue }} OPTIONAL {{ ?iri pkb:unit ?unit }}
      OPTIONAL {{ ?iri pkb:year ?year }} OPTIONAL {{ ?iri pkb:sourceText ?q }} OPTIONAL {{ ?iri pkb:sourceStart ?st }}
      BIND(STR(?i) AS ?indicator) BIND(STR(?s) AS ?subject) BIND(STR(?q) AS ?quote) }} ORDER BY ?st ?iri""")
    out = []
    for r in rows:
        for k in ("value", "maxValue"):
            if r[k] is not None and not isinstance(r[k], int | float):
                r[k] = None
        if r["year"] is not None and not isinstance(r["year"], int):
            r["year"] = None
        out.append(ThresholdOut(**r))
    return out


def facts_of(kb: KnowledgeBase, iri: str) -> list[Fact]:
    res = kb.store.query(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }} ORDER BY ?p ?o")
    return [Fact(predicate=d["p"].value, object=d["o"].value, kind=d["o"].kind, datatype=d["o"].datatype,
                 lang=d["o"].lang) for d in res.dicts()]
