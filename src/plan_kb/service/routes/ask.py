"""``POST /ask``: a question in Chinese, answered from the graph with the tasks it rests on (the contract's JSON,
the same object ``plan-kb ask --json`` prints)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from plan_kb.answers.ask import MAX_QUESTION, Asker, check_question, new_id
from plan_kb.service.deps import KBDep, KnowledgeBase
from plan_kb.service.errors import ERROR_CONTENT

ORDER = 60
router = APIRouter()
_lock = threading.Lock()


class AskRequest(BaseModel):
    # the length is checked by check_question (HTTP 413 with the one error format), not by the schema
    question: str = Field(description=f"the question in Chinese, at most {MAX_QUESTION} characters",
                          examples=["汾河流域横向生态补偿谁牵头?"])
    conversation: str | None = Field(None, description="an id to continue a conversation: a follow-up such as "
                                     "'那配合单位呢?' reuses what the last question established",
                                     examples=["c1"], max_length=64)
    today: date | None = Field(None, description="the date relative phrases (今年, 明年) are read against "
                               "(default: today)")


class Agency(BaseModel):
    iri: str
    label: str


class TaskCitation(BaseModel):
    iri: str
    plan: str
    number: int
    title: str
    quote: str = Field(description="the sentence of the task's text the answer rests on")


class Value(BaseModel):
    value: float | int | None
    unit: str | None
    comparator: str | None
    indicator: str | None
    maxValue: float | int | None = None


class Constraint(BaseModel):
    kind: str = Field(description="agency, plan, place, indicator, date, task, role, topic or slip")
    text: str = Field(description="what was found in the question ((上文): kept from the conversation)")
    linked: list[dict[str, Any]] = Field(description="what it was linked to: iri and label, or a value")
    used: bool = Field(description="whether the answer used it")
    note: str | None = None


class AskResponse(BaseModel):
    question: str
    intent: str = Field(description="lead, support, agency_tasks, due_by, threshold, region, goal, text, when, "
                        "yes_no, count, compare or unknown")
    answer: str
    agencies: list[Agency]
    tasks: list[TaskCitation]
    values: list[Value]
    sparql: str = Field(description="the query that produced the facts")
    constraints: list[Constraint] = Field(default_factory=list,
                                          description="what the question was read as, and what the answer used")
    conversation: str | None = None


def asker_of(request: Request, kb: KnowledgeBase) -> Asker:
    """The knowledge base's Asker, made on first use (it goes with the knowledge base when a newer build is
    served)."""
    with _lock:
        if kb.asker is None:
            kb.asker = Asker(kb.store, kb.folder)
        return kb.asker


@router.post("/ask", operation_id="ask", tags=["ask"], response_class=JSONResponse,
             summary="Ask a question in Chinese; the answer cites the tasks it rests on",
             responses={200: {"model": AskResponse, "description": "the answer"},
                        413: {"description": "the question is too long", "content": ERROR_CONTENT},
                        422: {"description": "an empty question or a bad conversation id",
                              "content": ERROR_CONTENT}})
def ask(body: AskRequest, kb: KBDep, request: Request) -> Any:
    question = check_question(body.question)
    conversation = body.conversation or new_id()
    out: dict[str, Any] = asker_of(request, kb).ask(question, today=body.today, conversation=conversation)
    return JSONResponse(out)
