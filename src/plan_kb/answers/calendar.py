"""The deadlines of the knowledge base as an RFC 5545 calendar staff can subscribe to (written with icalendar).

One VEVENT per deadline: By on its day, From on its first day, During over its year, recurring duties with their
RRULE (bounded by the plan's period; a time window such as 每日10—16时 is one event of its length a day; a daily duty
is by default one reminder a week). Deadlines without a date of their own (Relative, External) are all-day events on
the plan's last day, marked as undated (or VTODOs on request), so nothing the plans ask for is left out and calendar
apps that ignore VTODO in a feed still show them. Every component quotes the clause that is
due, cites the task by its IRI and says when a date is approximate (read from a convention such as 采暖季前).

``calendar_bytes(dataset, agency="省住建厅")`` is what ``plan-kb calendar`` prints and the service serves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar, Event, Timezone, Todo, vRecur
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


def _rule_parts(rule: str) -> dict[str, str]:
    return {k.upper(): v for k, _, v in (p.partition("=") for p in rule.split(";") if p)}


def _join(parts: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def time_window(rule: str) -> tuple[str, int, int] | None:
    """A rule with a run of hours (``BYHOUR=10,11,…,15``, read from 每日10—16时) as (the rule without BYHOUR, first
    hour, hours): one event of the window's length a day instead of one event an hour."""
    parts = _rule_parts(rule)
    if "BYHOUR" not in parts:
        return None
    hours = sorted(int(h) for h in parts["BYHOUR"].split(",") if h.strip().isdigit())
    if not hours or hours != list(range(hours[0], hours[-1] + 1)):
        return None
    del parts["BYHOUR"]
    return _join(parts), hours[0], len(hours)


def weekly_reminder(rule: str) -> str | None:
    """A daily rule (every day, or every day of some months) as one reminder a week on Monday, in the same months."""
    parts = _rule_parts(rule)
    if parts.get("FREQ", "").upper() != "DAILY" or parts.get("INTERVAL", "1") != "1":
        return None
    parts["FREQ"] = "WEEKLY"
    parts.pop("INTERVAL", None)
    parts["BYDAY"] = "MO"
    return _join(parts)


def _recurring(comp: Event, e: Entry, daily: str) -> bool:
    assert e.rrule
    rule, window = e.rrule, time_window(e.rrule)
    hour, hours = 0, 0
    if window:
        rule, hour, hours = window
    reminder = weekly_reminder(rule) if daily == "weekly" else None
    if reminder:
        rule = reminder
        comp["summary"] = comp["summary"] + "(每日事项,每周一提醒)"
        comp.add("x-plan-kb-rrule", e.rrule)
    period_start = date(e.period[0], 1, 1) if e.period else (e.date or date(2000, 1, 1))
    tz = TIMEZONE if window else None
    dtstart = datetime.combine(period_start, time(hour, 0), tzinfo=tz)
    until = datetime.combine(date(e.period[1], 12, 31), time(23, 59, 59), tzinfo=tz) if e.period else None
    first = _first_occurrence(rule, dtstart, until)
    if first is None:
        return False
    recur = vRecur.from_ical(rule)
    if window:
        comp.add("dtstart", first)
        comp.add("duration", timedelta(hours=hours))
        if until:
            recur["UNTIL"] = [until.astimezone(UTC)]
    else:
        comp.add("dtstart", first.date())
        comp.add("dtend", first.date() + timedelta(days=1))
        comp.add("transp", "TRANSPARENT")
        if until:
            recur["UNTIL"] = [until.date()]
    comp.add("rrule", recur)
    return True


def _component(e: Entry, stamp: datetime, daily: str = "weekly", undated: str = "event") -> Event | Todo | None:
    """The calendar component of one deadline; None when it has no occurrence (or ``undated="omit"``)."""
    if not e.dated and undated == "omit":
        return None
    # an undated deadline of a plan with no known period has no day to be shown on: a VTODO then
    comp: Event | Todo = Event() if e.dated or (undated == "event" and e.period) else Todo()
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
        if isinstance(comp, Todo):
            comp.add("status", "NEEDS-ACTION")
            return comp
        # no date of its own: shown on the last day of the plan's period, and said to be so
        assert e.period
        end = date(e.period[1], 12, 31)
        comp["summary"] = f"[无具体日期] {summary}"
        comp["description"] = (f"无具体日期:此事项没有自己的日期,列在计划期末({end.isoformat()})以便提醒。\n"
                               "No date of its own: shown on the last day of the plan's period.\n"
                               + _description(e))
        comp.add("x-plan-kb-undated", "TRUE")
        comp.add("dtstart", end)
        comp.add("dtend", end + timedelta(days=1))
        comp.add("transp", "TRANSPARENT")
        return comp
    if e.kind == "Recurring":
        if not e.rrule or not isinstance(comp, Event) or not _recurring(comp, e, daily):
            return None
        return comp
    start = e.start if e.kind == "During" and e.start else e.date
    assert start is not None and e.date is not None
    comp.add("dtstart", start)
    comp.add("dtend", e.date + timedelta(days=1))
    comp.add("transp", "TRANSPARENT")
    return comp


#: how often a subscribed calendar should be fetched again (RFC 7986 REFRESH-INTERVAL)
REFRESH = timedelta(hours=12)
DAILY_CHOICES = ("weekly", "daily")
UNDATED_CHOICES = ("event", "todo", "omit")


def calendar_name(dataset: Graph | Dataset, agency: str | None, plan: str | None) -> str:
    """The agency's name (its official one), with the plan's title: what a calendar app shows for the feed."""
    parts = []
    if agency:
        iri = agency_iri(dataset, agency)
        label = next(iter(dataset.query(sparql_prefixes() + f"SELECT ?l WHERE {{ <{iri}> skos:prefLabel ?l }}")),
                     None)
        parts.append(str(label[0]) if label else agency)
    if plan:
        title = next(iter(dataset.query(sparql_prefixes() + f'SELECT ?t WHERE {{ ?p pkb:planKey "{plan}" ; '
                                        'dcterms:title ?t }')), None)
        parts.append(str(title[0]) if title else plan)
    return " · ".join(parts) + " · 行动计划时限" if parts else "plan-kb 行动计划时限"


def build_calendar(dataset: Graph | Dataset, agency: str | None = None, plan: str | None = None,
                   stamp: datetime | None = None, daily: str = "weekly", undated: str = "event") -> Calendar:
    """The calendar of every deadline (of ``agency``, of ``plan``).

    ``stamp`` is the DTSTAMP of every component (the build's time, so the feed is the same on every fetch);
    ``daily="weekly"`` turns each daily duty into one reminder a week (``"daily"``: every day); ``undated="event"``
    shows a deadline with no date of its own as an all-day event on the plan's last day, marked as such
    (``"todo"``: a VTODO without a due date, ``"omit"``: left out)."""
    if daily not in DAILY_CHOICES:
        raise ValueError(f"daily must be one of {', '.join(DAILY_CHOICES)}, not {daily!r}")
    if undated not in UNDATED_CHOICES:
        raise ValueError(f"undated must be one of {', '.join(UNDATED_CHOICES)}, not {undated!r}")
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = calendar_name(dataset, agency, plan)
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(TIMEZONE))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    # the plans' time zone, always: a calendar must hold a component (RFC 5545 §3.6), even with no duties
    cal.add_component(Timezone.from_tzinfo(TIMEZONE, first_date=date(2000, 1, 1)))
    for e in entries(dataset, agency=agency, plan=plan):
        comp = _component(e, stamp, daily=daily, undated=undated)
        if comp is not None:
            cal.add_component(comp)
    return cal


def calendar_bytes(dataset: Graph | Dataset, agency: str | None = None, plan: str | None = None,
                   stamp: datetime | None = None, daily: str = "weekly", undated: str = "event") -> bytes:
    """The calendar as ``text/calendar`` bytes (CRLF lines, folded at 75 octets)."""
    return build_calendar(dataset, agency=agency, plan=plan, stamp=stamp, daily=daily, undated=undated).to_ical()
