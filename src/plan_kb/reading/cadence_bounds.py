"""Bounds a cadence takes from the words right before it (issue 14): a season window ("灌溉期(4—9月)每周" →
FREQ=WEEKLY;BYMONTH=4,…,9) and a span of years ("2024年至2026年每年" → FREQ=YEARLY;UNTIL=20261231), each one duty
rather than two. Pure: the deadlines :mod:`plan_kb.reading.deadlines` read in, the merged ones out."""

from __future__ import annotations

import re
from dataclasses import replace

from plan_kb.reading.deadlines import Deadline


def window_cadences(text: str, found: list[Deadline]) -> list[Deadline]:
    """A season window right before a cadence gives the cadence its months: "灌溉期(4—9月)每周巡查" is
    FREQ=WEEKLY;BYMONTH=4,…,9 (one duty), not a daily one and a weekly one."""
    out = list(found)
    for w in found:
        if w.kind != "Recurring" or not (w.rrule or "").startswith("FREQ=DAILY;BYMONTH=") or "BYHOUR" in w.rrule \
                or w.expression.endswith(("每日", "每天")):
            continue
        nxt = next((d for d in out if d.start >= w.end and re.fullmatch(r"[)）]?", text[w.end:d.start])), None)
        if nxt is None or nxt.kind != "Recurring" or not nxt.rrule or "BYMONTH" in nxt.rrule:
            continue
        months = w.rrule.split("BYMONTH=")[1]
        out[out.index(nxt)] = replace(nxt, rrule=f"{nxt.rrule};BYMONTH={months}", start=w.start,
                                      expression=text[w.start:nxt.end])
        out.remove(w)
    return out


def yearly_until(text: str, found: list[Deadline]) -> list[Deadline]:
    """A span of years right before a cadence bounds it: "2024年至2026年每年举办" is FREQ=YEARLY until the span's
    last year (RFC 5545 UNTIL), one duty, not a During and a Recurring."""
    out = list(found)
    for d in found:
        if d.kind != "During" or d.start_date is None or d.date is None or d.start_date.year == d.date.year:
            continue
        nxt = next((r for r in out if r.start == d.end and r.kind == "Recurring" and r.rrule
                    and "UNTIL" not in r.rrule), None)
        if nxt is None:
            continue
        out[out.index(nxt)] = replace(nxt, rrule=f"{nxt.rrule};UNTIL={d.date.strftime('%Y%m%d')}", start=d.start,
                                      expression=text[d.start:nxt.end])
        out.remove(d)
    return out
