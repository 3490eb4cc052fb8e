"""``/search``: full-text search in Chinese over the tasks, measures and goals, with facets and highlighted
snippets. The index is the one ``plan-kb build`` wrote into the build folder the service runs on.

A malformed query (unbalanced quotes, only punctuation, too long) or an unknown filter value answers 400 with the
one error format of the service; an out-of-range page or size answers 422.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from plan_kb.answers.search import FACETS, search
from plan_kb.answers.search.query import MAX_PAGE_SIZE
from plan_kb.errors import NotBuilt
from plan_kb.service.deps import KBDep
from plan_kb.service.errors import ERROR_CONTENT
from plan_kb.service.listing import json_response

router = APIRouter(tags=["search"])


class HitModel(BaseModel):
    iri: str
    ref: str
    kind: str
    plan: str
    plan_title: str
    number: int | None
    title: str
    snippet: str
    score: float
    document: str
    start: int | None
    end: int | None
    deadline: str | None
    roles: dict[str, list[str]]


class FacetValueModel(BaseModel):
    value: str
    label: str
    count: int
    selected: bool


class SearchResponse(BaseModel):
    query: str
    filters: dict[str, list[str]]
    sort: str
    page: int
    size: int
    pages: int
    total: int
    hits: list[HitModel]
    facets: dict[str, list[FacetValueModel]]
    seconds: float


Values = Annotated[list[str] | None, Query()]


@router.get("/search", response_model=SearchResponse, summary="Search tasks, measures and goals",
            responses={400: {"content": ERROR_CONTENT, "description": "a malformed query or unknown filter value"},
                       422: {"content": ERROR_CONTENT, "description": "a bad page or size"},
                       503: {"content": ERROR_CONTENT, "description": "no search index in the build"}})
def search_route(
    kb: KBDep,
    q: Annotated[str, Query(description="words; \"a phrase\" or “a phrase”; AND / OR between words")] = "",
    plan: Values = None, kind: Values = None, agency: Values = None, role: Values = None, place: Values = None,
    year: Values = None, indicator: Values = None, jurisdiction: Values = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
    sort: Literal["relevance", "deadline"] = "relevance",
) -> Any:
    """Facet values are ids, IRIs or labels (agency=环保厅, place=晋中, role=lead or 牵头, year=2022,
    jurisdiction=潮州市: the plans of that government and of those below it); repeat a
    parameter to select several values of one facet. Each facet counts the items that pass the other filters."""
    if kb.folder is None:
        raise NotBuilt("search needs the build folder; this service reads a remote store")
    given = {"plan": plan, "kind": kind, "agency": agency, "role": role, "place": place, "year": year,
             "indicator": indicator, "jurisdiction": jurisdiction}
    filters = {k: v for k, v in given.items() if k in FACETS and v}
    # written directly, as the lists are (the response model documents it; the tests check answers conform)
    return json_response(search(kb.folder, q, filters, page=page, sort=sort, size=size).as_dict())
