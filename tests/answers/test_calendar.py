"""The deadlines as an RFC 5545 calendar a person would subscribe to: it parses back (icalendar, and
recurring-ical-events expands it), has one event per deadline for every agency (undated ones on the plan's last day,
marked; as VTODOs on request), carries recurring rules (a time window as one event of its length, a daily duty as a
weekly reminder unless asked for every day), no duty floods a year with more than 60 occurrences, names the agency,
keeps DTSTAMP stable, quotes the clause, cites the task and says when a date is approximate."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from icalendar import Calendar
from rdflib import Dataset

from plan_kb import cli
from plan_kb.answers.calendar import calendar_bytes, time_window
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


def test_the_whole_calendar_has_one_event_per_deadline(dataset: Dataset, whole: Calendar) -> None:
    dated, total = _counts(dataset)
    events = whole.walk("VEVENT")
    assert 0 < dated < total and len(events) == total and not whole.walk("VTODO")
    assert len({str(c["UID"]) for c in events}) == total
    undated = [e for e in events if str(e.get("X-PLAN-KB-UNDATED")) == "TRUE"]
    assert len(undated) == total - dated
    for e in undated:  # on the plan's last day, all day, and said to be so
        assert e.decoded("DTSTART") == date(e.decoded("DTSTART").year, 12, 31)
        assert str(e["SUMMARY"]).startswith("[无具体日期]") and "无具体日期" in str(e["DESCRIPTION"])


def test_undated_deadlines_as_todos_on_request(dataset: Dataset) -> None:
    dated, total = _counts(dataset)
    cal = _parse(calendar_bytes(dataset, undated="todo"))
    assert len(cal.walk("VEVENT")) == dated and len(cal.walk("VTODO")) == total - dated
    cal = _parse(calendar_bytes(dataset, undated="omit"))
    assert len(cal.walk("VEVENT")) == dated and not cal.walk("VTODO")


def _agencies(dataset: Dataset) -> dict[str, str]:
    return {str(a): str(label) for a, label in dataset.query(sparql_prefixes() + f"""
        SELECT DISTINCT ?a ?label WHERE {{ ?i {ROLES} ?a . ?a skos:prefLabel ?label }}""")}


def test_the_calendar_of_every_agency_is_one_to_subscribe_to(dataset: Dataset) -> None:
    agencies = _agencies(dataset)
    stamp = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert len(agencies) > 10
    for a, label in agencies.items():
        data = calendar_bytes(dataset, agency=a, stamp=stamp)
        cal = _parse(data)
        _dated, total = _counts(dataset, a)
        assert len(cal.walk("VEVENT")) == total, a
        assert cal.subcomponents, f"{a}: a calendar must hold a component (RFC 5545 §3.6)"
        assert str(cal["X-WR-CALNAME"]).startswith(label), a
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in data.decode()
        assert all(e.decoded("DTSTAMP") == stamp for e in cal.walk("VEVENT"))
        per_year = Counter((str(o["UID"]), o.decoded("DTSTART").year)
                           for o in recurring_ical_events.of(cal).between(date(2022, 1, 1), date(2024, 1, 1)))
        assert not per_year or max(per_year.values()) <= 60, (a, per_year.most_common(2))
    a = next(iter(agencies))
    assert calendar_bytes(dataset, agency=a, stamp=stamp) == calendar_bytes(dataset, agency=a, stamp=stamp)


def test_every_recurring_duty_every_day_on_request(dataset: Dataset) -> None:
    weekly = _parse(calendar_bytes(dataset))
    daily = _parse(calendar_bytes(dataset, daily="daily"))
    n = lambda cal: Counter(str(o["UID"]) for o in recurring_ical_events.of(cal).between(  # noqa: E731
        date(2022, 1, 1), date(2023, 1, 1)))
    w, d = n(weekly), n(daily)
    assert max(d.values()) > 60 and max(w.values()) <= 60
    assert w.keys() == d.keys()


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


def test_recurring_duties_keep_their_rule(dataset: Dataset) -> None:
    rules = {str(d): str(r) for d, r in dataset.query(sparql_prefixes() + """
        SELECT ?d ?r WHERE { ?i pkb:hasDeadline ?d . ?d pkb:rrule ?r }""")}
    assert any("BYHOUR" in r for r in rules.values())
    every_day = _parse(calendar_bytes(dataset, daily="daily"))
    for ev in every_day.walk("VEVENT"):
        rule = rules.get(str(ev["UID"]))
        if not rule:
            continue
        written = ev["RRULE"].to_ical().decode()
        parts = {p for p in written.split(";") if not p.startswith("UNTIL=")}
        window = time_window(rule)
        start = ev.decoded("DTSTART")
        if window:  # 每日10—16时: one event from 10:00 lasting six hours, not one an hour
            plain, hour, hours = window
            assert parts == set(plain.split(";")), (rule, written)
            assert start.hour == hour and ev.decoded("DURATION") == timedelta(hours=hours) and hours > 1
        else:
            assert parts == set(rule.split(";")), (rule, written)
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
