"""The deadlines as an RFC 5545 calendar: it parses back, has one event per dated deadline (for every agency),
carries recurring rules, quotes the clause, cites the task and says when a date is approximate."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from rdflib import Dataset

from plan_kb import cli
from plan_kb.answers.calendar import calendar_bytes
from plan_kb.base.namespaces import sparql_prefixes

ROLES = "pkb:leadAgency|pkb:supportingAgency|pkb:responsibleAgency|pkb:guidingAgency"


def _parse(data: bytes) -> Calendar:
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.rstrip().endswith(b"END:VCALENDAR")
    return Calendar.from_ical(data)


def _counts(dataset: Dataset, agency: str | None = None) -> tuple[int, int]:
    """(dated deadlines, all deadlines) of tasks and measures, for one agency's items or all."""
    who = f"?i {ROLES} <{agency}> ." if agency else ""
    q = sparql_prefixes() + f"""
        SELECT (COUNT(DISTINCT ?d) AS ?all) (COUNT(DISTINCT ?dated) AS ?n) WHERE {{
          ?i a ?cls ; pkb:hasDeadline ?d . FILTER(?cls IN (pkb:Task, pkb:Measure)) {who}
          OPTIONAL {{ ?d pkb:date|pkb:rrule ?x . BIND(?d AS ?dated) }} }}"""
    total, dated = next(iter(dataset.query(q)))
    return int(dated), int(total)


@pytest.fixture(scope="module")
def whole(dataset: Dataset) -> Calendar:
    return _parse(calendar_bytes(dataset))


def test_the_whole_calendar_has_one_event_per_dated_deadline(dataset: Dataset, whole: Calendar) -> None:
    dated, total = _counts(dataset)
    events, todos = whole.walk("VEVENT"), whole.walk("VTODO")
    assert dated > 0 and len(events) == dated
    assert len(events) + len(todos) == total
    assert len({str(c["UID"]) for c in events + todos}) == total


def test_the_calendar_of_every_agency_parses_back_with_its_deadlines(dataset: Dataset) -> None:
    agencies = [str(a) for (a,) in dataset.query(sparql_prefixes() + f"""
        SELECT DISTINCT ?a WHERE {{ ?i {ROLES} ?a ; pkb:hasDeadline ?d }}""")]
    assert agencies
    for a in agencies:
        cal = _parse(calendar_bytes(dataset, agency=a))
        dated, total = _counts(dataset, a)
        assert len(cal.walk("VEVENT")) == dated, a
        assert len(cal.walk("VEVENT")) + len(cal.walk("VTODO")) == total, a


def test_events_quote_the_clause_and_cite_the_task(dataset: Dataset, whole: Calendar) -> None:
    rows = {str(d): (str(req), str(item)) for d, req, item in dataset.query(sparql_prefixes() + """
        SELECT ?d ?req ?i WHERE { ?i pkb:hasDeadline ?d . ?d pkb:requirementText ?req }""")}
    for ev in whole.walk("VEVENT"):
        req, item = rows[str(ev["UID"])]
        text = str(ev["DESCRIPTION"])
        assert req in text and item in text
        assert str(ev["URL"]) == item


def test_dated_events_fall_on_their_dates(dataset: Dataset, whole: Calendar) -> None:
    dates = {str(d): (str(k).rsplit("#", 1)[-1], date.fromisoformat(str(dt)), s) for d, k, dt, s in dataset.query(
        sparql_prefixes() + """SELECT ?d ?k ?date ?start WHERE { ?i pkb:hasDeadline ?d .
            ?d pkb:deadlineKind ?k ; pkb:date ?date . OPTIONAL { ?d pkb:startDate ?start } }""")}
    seen = 0
    for ev in whole.walk("VEVENT"):
        if str(ev["UID"]) not in dates:
            continue
        kind, day, start = dates[str(ev["UID"])]
        assert ev.decoded("DTEND") == day.fromordinal(day.toordinal() + 1)
        assert ev.decoded("DTSTART") == (date.fromisoformat(str(start)) if kind == "During" else day)
        seen += 1
    assert seen == len(dates)


def test_recurring_duties_keep_their_rule(dataset: Dataset, whole: Calendar) -> None:
    rules = {str(d): str(r) for d, r in dataset.query(sparql_prefixes() + """
        SELECT ?d ?r WHERE { ?i pkb:hasDeadline ?d . ?d pkb:rrule ?r }""")}
    assert rules
    for ev in whole.walk("VEVENT"):
        rule = rules.get(str(ev["UID"]))
        if not rule:
            continue
        written = ev["RRULE"].to_ical().decode()
        parts = {p for p in written.split(";") if not p.startswith("UNTIL=")}
        assert parts == set(rule.split(";")), (rule, written)
        start = ev.decoded("DTSTART")
        assert isinstance(start, datetime) == ("BYHOUR" in rule)
        # the event's first day is an occurrence of its own rule, as RFC 5545 asks of DTSTART
        first = start if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
        assert rrulestr(written, dtstart=first)[0] == first


def test_approximate_dates_are_said_to_be_approximate(dataset: Dataset, whole: Calendar) -> None:
    approx = {str(d) for (d,) in dataset.query(sparql_prefixes() + """
        SELECT ?d WHERE { ?i pkb:hasDeadline ?d . ?d pkb:approximate true }""")}
    assert approx
    for ev in whole.walk("VEVENT"):
        said = "近似" in str(ev["DESCRIPTION"]) and str(ev.get("X-PLAN-KB-APPROXIMATE")) == "TRUE"
        assert said == (str(ev["UID"]) in approx)


def test_cli_writes_the_calendar_of_a_plan(use_kb, capsysbinary: pytest.CaptureFixture) -> None:
    assert cli.main(["calendar", "--plan", "water", "--agency", "省住建厅"]) == 0
    cal = _parse(capsysbinary.readouterr().out)
    events = cal.walk("VEVENT")
    assert events and all("/water/" in str(e["URL"]) for e in events)
    assert all("住房和城乡建设厅" in str(e["DESCRIPTION"]) for e in events)
