"""What is due: the deadlines of the knowledge base in a window of dates, with the items and agencies they bind.

    >>> [f"{r.plan}#{r.number}" for r in due(dataset, by=date(2022, 12, 31), plan="water")]

By and During deadlines count by their date (the last day); From deadlines are "in force since" their date and are
listed whenever they started by the end of the window (an obligation that began earlier still binds); and
recurring duties (when asked) are expanded with python-dateutil's rrule into their occurrences in the window,
bounded by the plan's period. Relative and External deadlines have no date of their own and are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr
from rdflib import Dataset, Graph, URIRef

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.errors import NotFound, PlanKBError

ROLE_PROPERTIES = {"lead": "leadAgency", "support": "supportingAgency", "responsible": "responsibleAgency",
                   "guide": "guidingAgency"}
STATUS = {"By": "due", "During": "due", "From": "in force since", "Recurring": "recurring"}
#: the most occurrences a recurring duty is expanded into (an hourly rule over two years stays well below)
MAX_OCCURRENCES = 20000


class BadWindow(PlanKBError):
    """A window whose start lies after its end."""


@dataclass
class DueItem:
    """One deadline in the window, with the item it belongs to."""

    deadline: str  # the deadline's IRI
    item: str  # the task's or measure's IRI
    item_kind: str  # task | measure
    plan: str  # pkb:planKey
    number: int
    title: str
    kind: str  # By | During | From | Recurring
    date: date  # the last day (By, During), the first day (From), the first occurrence in the window (Recurring)
    status: str  # due | in force since | recurring
    requirement: str
    expression: str
    start: date | None = None  # During: the first day
    approximate: bool = False
    rrule: str | None = None
    occurrences: list[date] = field(default_factory=list)
    agencies: list[tuple[str, str]] = field(default_factory=list)  # (role, label)

    @property
    def ref(self) -> str:
        return f"{self.plan}#{self.number}" if self.item_kind == "task" else f"{self.plan}/保障措施{self.number}"


_QUERY = """
SELECT ?d ?item ?cls ?key ?n ?title ?kind ?date ?start ?rrule ?approx ?req ?expr ?src ?p0 ?p1 WHERE {
  ?item pkb:hasDeadline ?d ; a ?cls ; pkb:inPlan ?plan ; pkb:number ?n ; dcterms:title ?title .
  FILTER(?cls IN (pkb:Task, pkb:Measure))
  ?plan pkb:planKey ?key .
  ?d pkb:deadlineKind ?kind .
  FILTER(?kind IN (pkb:By, pkb:During, pkb:From, pkb:Recurring))
  OPTIONAL { ?d pkb:date ?date } OPTIONAL { ?d pkb:startDate ?start } OPTIONAL { ?d pkb:rrule ?rrule }
  OPTIONAL { ?d pkb:approximate ?approx } OPTIONAL { ?d pkb:requirementText ?req }
  OPTIONAL { ?d pkb:timeExpression ?expr } OPTIONAL { ?d pkb:sourceText ?src }
  OPTIONAL { ?plan pkb:periodStart ?p0 } OPTIONAL { ?plan pkb:periodEnd ?p1 }
}"""

_AGENCIES = """
SELECT DISTINCT ?item ?prop ?agency ?label WHERE {
  VALUES ?prop { pkb:leadAgency pkb:supportingAgency pkb:responsibleAgency pkb:guidingAgency }
  ?item pkb:hasDeadline ?d ; ?prop ?agency .
  OPTIONAL { ?agency skos:prefLabel ?pref }
  OPTIONAL { ?agency rdfs:label ?rl }
  BIND(COALESCE(?pref, ?rl, STR(?agency)) AS ?label)
}"""

_PLANS = "SELECT DISTINCT ?key WHERE { ?p a pkb:Plan ; pkb:planKey ?key }"


def plan_keys(dataset: Graph | Dataset) -> list[str]:
    return sorted(str(k) for (k,) in dataset.query(sparql_prefixes() + _PLANS))


def agency_iri(dataset: Graph | Dataset, name: str) -> URIRef:
    """The agency a person's ``name`` means (any label or short form), via the agency look-up."""
    from plan_kb.reading.agencies import find_agency

    return find_agency(name, dataset).iri


def item_agencies(dataset: Graph | Dataset) -> dict[str, list[tuple[str, str, str]]]:
    """item IRI → [(role, agency IRI, label)] for every item with a deadline, roles in the order lead … guide."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    order = list(ROLE_PROPERTIES)
    for item, prop, agency, label in dataset.query(sparql_prefixes() + _AGENCIES):
        role = next(r for r, p in ROLE_PROPERTIES.items() if str(prop).endswith("#" + p))
        entry = (role, str(agency), str(label))
        got = out.setdefault(str(item), [])
        if entry not in got:
            got.append(entry)
    for v in out.values():
        v.sort(key=lambda e: (order.index(e[0]), e[2]))
    return out


def _year(v) -> int | None:
    try:
        return int(str(v)[:4]) if v is not None else None
    except ValueError:
        return None


def occurrences(rule: str, first: date, last: date, dtstart: date | None = None) -> list[date]:
    """The days in [first, last] on which ``rule`` (an RRULE string) falls, counted from ``dtstart``."""
    start = datetime.combine(dtstart or first, datetime.min.time())
    rr = rrulestr(rule, dtstart=start)
    days: list[date] = []
    end = datetime.combine(last, datetime.max.time())
    for i, dt in enumerate(rr.xafter(datetime.combine(first, datetime.min.time()), inc=True)):
        if dt > end or i >= MAX_OCCURRENCES:
            break
        if not days or days[-1] != dt.date():
            days.append(dt.date())
    return days


def due(dataset: Graph | Dataset, by: date, after: date | None = None, agency: str | None = None,
        plan: str | None = None, recurring: bool = False) -> list[DueItem]:
    """Deadlines up to ``by`` (inclusive) and after ``after`` (exclusive), ordered by date then plan and number.

    ``agency``: only items where that agency (any of its names) leads, supports, answers or guides.
    ``plan``: only the plan with that key. ``recurring``: also the occurrences of recurring duties in the window
    (within the plan's period when the plan states one)."""
    if after and after >= by:
        raise BadWindow(f"--after {after} is not before --by {by}")
    if plan and plan not in plan_keys(dataset):
        raise NotFound(f"no plan has the key '{plan}'; known: {', '.join(plan_keys(dataset))}")
    wanted = str(agency_iri(dataset, agency)) if agency else None
    links = item_agencies(dataset)
    out: list[DueItem] = []
    seen: set[str] = set()
    for row in dataset.query(sparql_prefixes() + _QUERY):
        d, item, cls, key, n, title, kind, dt, start, rule, approx, req, expr, src, p0, p1 = row
        if str(d) in seen or (plan and str(key) != plan):
            continue
        seen.add(str(d))
        roles = links.get(str(item), [])
        if wanted and wanted not in {a for _, a, _ in roles}:
            continue
        k = str(kind).rsplit("#", 1)[-1]
        entry = DueItem(
            deadline=str(d), item=str(item), item_kind="task" if str(cls).endswith("#Task") else "measure",
            plan=str(key), number=int(n), title=str(title), kind=k, date=date.min, status=STATUS[k],
            requirement=str(req or src or ""), expression=str(expr or ""),
            start=date.fromisoformat(str(start)) if start else None,
            approximate=str(approx).lower() in ("true", "1"), rrule=str(rule) if rule else None,
            agencies=[(r, lab) for r, _, lab in roles])
        if k == "Recurring":
            if not recurring or not rule:
                continue
            y0, y1 = _year(p0), _year(p1)
            period_start = date(y0, 1, 1) if y0 else None
            first = max(after + timedelta(days=1) if after else (period_start or by - timedelta(days=365)),
                        period_start or date.min)
            last = min(by, date(y1, 12, 31)) if y1 else by
            if first > last:
                continue
            entry.occurrences = occurrences(str(rule), first, last, dtstart=period_start or first)
            if not entry.occurrences:
                continue
            entry.date = entry.occurrences[0]
        else:
            if not dt:
                continue
            entry.date = date.fromisoformat(str(dt))
            if entry.date > by:
                continue
            if after and k != "From" and entry.date <= after:
                continue
        out.append(entry)
    out.sort(key=lambda e: (e.date, e.plan, e.item_kind != "task", e.number, e.deadline))
    return out
