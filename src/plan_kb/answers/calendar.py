"""The deadlines of the knowledge base as an RFC 5545 calendar staff can subscribe to (written with icalendar).

One VEVENT per dated deadline: By on its day, From on its first day, During over its year, and recurring duties
with their RRULE (bounded by the plan's period). Deadlines without a date of their own (Relative, External) are
VTODOs without a due date, so nothing the plans ask for is left out. Every component quotes the clause that is
due, cites the task by its IRI and says when a date is approximate (read from a convention such as 采暖季前).

``calendar_bytes(dataset, agency="省住建厅")`` is what ``plan-kb calendar`` prints and the service serves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar, Event, Todo, vRecur
from rdflib import Dataset, Graph

from plan_kb import __version__
from plan_kb.answers.due import ROLE_PROPERTIES, agency_iri, item_agencies, plan_keys
from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.errors import NotFound

#: The plans are Chinese provincial plans: timed duties ("每日10—16时") are local time there.
TIMEZONE = ZoneInfo("Asia/Shanghai")
PRODID = f"-//plan-kb//plan-kb {__version__}//ZH"
ROLES_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "督促指导"}
KINDS_ZH = {"By": "截止", "From": "起施行", "During": "年内", "Recurring": "周期", "Relative": "相对时限",
            "External": "另行规定时限"}
DATED = ("By", "From", "During", "Recurring")

_QUERY = """
SELECT ?d ?item ?cls ?key ?ptitle ?n ?title ?kind ?date ?start ?rrule ?offset ?event ?approx ?req ?expr ?src ?p0 ?p1
WHERE {
  ?item pkb:hasDeadline ?d ; a ?cls ; pkb:inPlan ?plan ; pkb:number ?n ; dcterms:title ?title .
  FILTER(?cls IN (pkb:Task, pkb:Measure))
  ?plan pkb:planKey ?key . OPTIONAL { ?plan dcterms:title ?ptitle }
  ?d pkb:deadlineKind ?kind .
  OPTIONAL { ?d pkb:date ?date } OPTIONAL { ?d pkb:startDate ?start } OPTIONAL { ?d pkb:rrule ?rrule }
  OPTIONAL { ?d pkb:offset ?offset } OPTIONAL { ?d pkb:afterEvent ?event } OPTIONAL { ?d pkb:approximate ?approx }
  OPTIONAL { ?d pkb:requirementText ?req } OPTIONAL { ?d pkb:timeExpression ?expr }
  OPTIONAL { ?d pkb:sourceText ?src }
  OPTIONAL { ?plan pkb:periodStart ?p0 } OPTIONAL { ?plan pkb:periodEnd ?p1 }
}"""


@dataclass
class Entry:
    """One deadline with what a calendar says about it."""

    iri: str
    item: str
    ref: str
    plan_title: str
    title: str
    kind: str
    date: date | None
    start: date | None
    rrule: str | None
    offset: str | None
    event: str | None
    approximate: bool
    requirement: str
    expression: str
    source: str
    period: tuple[int, int] | None
    agencies: list[tuple[str, str]] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        return self.kind in DATED and bool(self.date or self.rrule)


def _year(v) -> int | None:
    return int(str(v)[:4]) if v is not None and str(v)[:4].isdigit() else None


def entries(dataset: Graph | Dataset, agency: str | None = None, plan: str | None = None) -> list[Entry]:
    """Every deadline (of ``agency``'s items, of ``plan``), in the order of plans and items."""
    if plan and plan not in plan_keys(dataset):
        raise NotFound(f"no plan has the key '{plan}'; known: {', '.join(plan_keys(dataset))}")
    wanted = str(agency_iri(dataset, agency)) if agency else None
    links = item_agencies(dataset)
    out: dict[str, Entry] = {}
    for row in dataset.query(sparql_prefixes() + _QUERY):
        d, item, cls, key, ptitle, n, title, kind, dt, start, rule, off, ev, approx, req, expr, src, p0, p1 = row
        if str(d) in out or (plan and str(key) != plan):
            continue
        roles = links.get(str(item), [])
        if wanted and wanted not in {a for _, a, _ in roles}:
            continue
        is_task = str(cls).endswith("#Task")
        y0, y1 = _year(p0), _year(p1)
        out[str(d)] = Entry(
            iri=str(d), item=str(item), ref=f"{key}#{n}" if is_task else f"{key}/保障措施{n}",
            plan_title=str(ptitle or key), title=str(title), kind=str(kind).rsplit("#", 1)[-1],
            date=date.fromisoformat(str(dt)) if dt else None, start=date.fromisoformat(str(start)) if start else None,
            rrule=str(rule) if rule else None, offset=str(off) if off else None, event=str(ev) if ev else None,
            approximate=str(approx).lower() in ("true", "1"), requirement=str(req or ""),
            expression=str(expr or ""), source=str(src or ""), period=(y0, y1) if y0 and y1 else None,
            agencies=[(r, lab) for r, _, lab in roles])
    return sorted(out.values(), key=lambda e: (e.ref.split("#")[0], e.item, e.iri))


def _description(e: Entry) -> str:
    lines = [e.requirement or e.source]
    when = f"时限: {e.expression}" if e.expression else f"时限: {KINDS_ZH.get(e.kind, e.kind)}"
    if e.approximate:
        when += "(日期按惯例推定,为近似日期 / approximate date read from a convention)"
    lines.append(when)
    if e.kind == "Recurring" and e.period:
        lines.append(f"周期: {e.rrule}(按计划期 {e.period[0]}—{e.period[1]} 年)")
    if e.kind == "Relative":
        lines.append(f"期限: {e.event or '事件'}后 {e.offset}")
    if e.source and e.source != e.requirement:
        lines.append(f"原文: 「{e.source}」")
    lines.append(f"任务: {e.plan_title} {e.ref} {e.title}")
    roles: dict[str, list[str]] = {}
    for role, label in e.agencies:
        roles.setdefault(role, []).append(label)
    for role in ROLE_PROPERTIES:
        if role in roles:
            lines.append(f"{ROLES_ZH[role]}: {'、'.join(roles[role])}")
    lines.append(e.item)
    return "\n".join(lines)


def _first_occurrence(rule: str, dtstart: datetime, until: datetime | None) -> datetime | None:
    first = rrulestr(rule, dtstart=dtstart).after(dtstart, inc=True)
    return first if first and (until is None or first <= until) else None


def _component(e: Entry, stamp: datetime) -> Event | Todo | None:
    comp: Event | Todo = Event() if e.dated else Todo()
    comp.add("uid", e.iri)
    comp.add("dtstamp", stamp)
    summary = f"{e.ref} {e.title}: {e.expression or KINDS_ZH.get(e.kind, e.kind)}"
    if e.approximate:
        summary += "(约)"
    comp.add("summary", summary)
    comp.add("description", _description(e))
    comp.add("url", e.item)
    comp.add("categories", [e.kind, e.ref.split("#")[0].split("/")[0]])
    if e.approximate:
        comp.add("x-plan-kb-approximate", "TRUE")
    if not e.dated:
        comp.add("status", "NEEDS-ACTION")
        return comp
    if e.kind == "Recurring":
        if not e.rrule:
            return None
        period_start = date(e.period[0], 1, 1) if e.period else (e.date or date.today())
        timed = "BYHOUR=" in e.rrule.upper()
        tz = TIMEZONE if timed else None
        dtstart = datetime.combine(period_start, time(0, 0), tzinfo=tz)
        until = datetime.combine(date(e.period[1], 12, 31), time(23, 59, 59), tzinfo=tz) if e.period else None
        first = _first_occurrence(e.rrule, dtstart, until)
        if first is None:
            return None
        recur = vRecur.from_ical(e.rrule)
        if timed:
            comp.add("dtstart", first)
            comp.add("duration", timedelta(hours=1))
            if until:
                recur["UNTIL"] = [until.astimezone(UTC)]
        else:
            comp.add("dtstart", first.date())
            comp.add("dtend", first.date() + timedelta(days=1))
            if until:
                recur["UNTIL"] = [until.date()]
        comp.add("rrule", recur)
        return comp
    start = e.start if e.kind == "During" and e.start else e.date
    assert start is not None and e.date is not None
    comp.add("dtstart", start)
    comp.add("dtend", e.date + timedelta(days=1))
    comp.add("transp", "TRANSPARENT")
    return comp


def build_calendar(dataset: Graph | Dataset, agency: str | None = None, plan: str | None = None,
                   stamp: datetime | None = None) -> Calendar:
    """The calendar of every deadline (of ``agency``, of ``plan``)."""
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = "行动计划时限"
    if agency:
        name += f" · {agency}"
    if plan:
        name += f" · {plan}"
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(TIMEZONE))
    for e in entries(dataset, agency=agency, plan=plan):
        comp = _component(e, stamp)
        if comp is not None:
            cal.add_component(comp)
    cal.add_missing_timezones(first_date=date(2000, 1, 1))
    return cal


def calendar_bytes(dataset: Graph | Dataset, agency: str | None = None, plan: str | None = None,
                   stamp: datetime | None = None) -> bytes:
    """The calendar as ``text/calendar`` bytes (CRLF lines, folded at 75 octets)."""
    return build_calendar(dataset, agency=agency, plan=plan, stamp=stamp).to_ical()
