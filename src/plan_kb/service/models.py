"""The JSON shapes of the REST API (they are its OpenAPI schemas)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PlanSummary(BaseModel):
    plan: str = Field(description="the plan key", examples=["water"])
    title: str
    iri: str
    periodStart: str | None = None
    periodEnd: str | None = None
    tasks: int
    measures: int
    goals: int


class ItemRef(BaseModel):
    iri: str
    plan: str
    number: int | None = None
    kind: str = Field("task", description="task, measure or goal")
    title: str | None = None


class TaskSummary(BaseModel):
    iri: str = Field(description="the task's IRI (also as item)")
    item: str
    plan: str
    number: int
    title: str
    leads: list[str] = Field(description="labels of the lead agencies")


class AgencyRef(BaseModel):
    iri: str
    id: str
    label: str
    role: str | None = None
    inherited: bool | None = None


class Source(BaseModel):
    document: str | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None


class DeadlineOut(BaseModel):
    iri: str
    kind: str | None = Field(None, description="By, From, During, Recurring, Relative or External")
    date: str | None = None
    startDate: str | None = None
    rrule: str | None = None
    offset: str | None = None
    afterEvent: str | None = None
    approximate: bool | None = None
    requirement: str | None = None
    quote: str | None = None


class PlaceRef(BaseModel):
    iri: str
    id: str
    label: str
    types: list[str] = []
    adminCode: str | None = None


class ThresholdOut(BaseModel):
    iri: str
    indicator: str | None = None
    subject: str | None = None
    comparator: str | None = None
    value: float | None = None
    maxValue: float | None = None
    unit: str | None = None
    year: int | None = None
    quote: str | None = None


class Fact(BaseModel):
    predicate: str
    object: str
    kind: str = Field(description="uri, literal or bnode")
    datatype: str | None = None
    lang: str | None = None


class TaskDetail(BaseModel):
    iri: str
    plan: str
    number: int
    title: str
    text: str
    section: list[str] = Field(description="the headings above the task, outermost first")
    source: Source
    agencies: list[AgencyRef]
    deadlines: list[DeadlineOut]
    places: list[PlaceRef]
    thresholds: list[ThresholdOut]
    citations: list[str]
    facts: list[Fact] = Field(description="every triple with the task as its subject")


class Goal(BaseModel):
    goal: str
    text: str | None = None
    indicator: str | None = None
    comparator: str | None = None
    value: float | None = None
    maxValue: float | None = None
    unit: str | None = None
    year: int | None = None


class PlanDetail(PlanSummary):
    goalList: list[Goal]
    taskList: list[ItemRef]
    measureList: list[ItemRef]


class AgencySummary(BaseModel):
    iri: str = Field(description="the agency's IRI (also as agency)")
    id: str
    label: str
    agency: str
    jurisdiction: str | None = Field(None, description="the division code of the government it belongs to")
    jurisdictionLabel: str | None = None
    lead: int
    support: int
    responsible: int
    guiding: int


class RoleItem(BaseModel):
    role: str
    plan: str
    number: int
    kind: str
    title: str
    item: str


class AgencyDeadline(BaseModel):
    plan: str
    number: int | None = None
    title: str | None = None
    role: str
    kind: str | None = None
    date: str | None = None
    rrule: str | None = None
    offset: str | None = None
    afterEvent: str | None = None
    approximate: bool | None = None
    source: str | None = None
    requirement: str | None = None
    item: str
    deadline: str


class AgencyDetail(BaseModel):
    iri: str
    id: str
    label: str
    altLabels: list[str]
    jurisdiction: str | None = Field(None, description="the division code of the government it belongs to")
    jurisdictionLabel: str | None = None
    tasks: dict[str, list[RoleItem]] = Field(description="items by role: lead, support, responsible, guiding")
    deadlines: list[AgencyDeadline]


class PlaceDetail(BaseModel):
    iri: str
    id: str
    label: str
    altLabels: list[str]
    types: list[str]
    adminCode: str | None = None
    within: list[PlaceRef]
    contains: list[PlaceRef]
    items: list[ItemRef] = Field(description="items concerning the place or a place within it")


class DeadlineRow(BaseModel):
    iri: str = Field(description="the deadline's IRI (also as deadline)")
    plan: str
    number: int | None = None
    kind: str
    title: str | None = None
    deadlineKind: str
    date: str | None = None
    startDate: str | None = None
    rrule: str | None = None
    offset: str | None = None
    afterEvent: str | None = None
    approximate: bool
    requirement: str | None = None
    item: str
    deadline: str
