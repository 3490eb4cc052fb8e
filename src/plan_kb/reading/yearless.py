"""Deadlines written without their year in a plan of one year ("温州市2025年养老服务工作要点": "6月底前完成摸底",
"年底前全面建成", "3月31日前出台方案", "年内推出20个", "上半年完成"): the year is the plan's own, the one its
title names. A plan whose title names no single year (or a period of several) gets none: its month-only dates stay
unread, as before.

Pure: text in, deadlines with spans out; the forms are those of ``deadlines.py`` for a dated deadline (X年M月底前,
X年M月D日前, X年底前), less the year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from plan_kb.base.resources import load_yaml
from plan_kb.reading.deadlines import Deadline, _regional

_BEFORE = "(?:之|以)?前"
# not after a year, a digit, 每年 / 每 (those are read by deadlines.py), nor inside a range (1—6月)
_FREE = r"(?<![\d年每月—–\-~至到])"
_MONTH_END = re.compile(rf"{_FREE}(\d{{1,2}})月(?:底|末){_BEFORE}?")
_DAY = re.compile(rf"{_FREE}(\d{{1,2}})月(\d{{1,2}})日{_BEFORE}")
_YEAR_END = re.compile(rf"(?<![\d每])(?<!\d年)(?<!当)年(?:底|末){_BEFORE}")
# 年内 / 今年内: by the year's end; not 一年内 / 半年内 / 3年内 (relative periods), 全年内, 每年内
_WITHIN_YEAR = re.compile(r"(?<![\d一二两三四五六七八九十半几数每全当今本])(?:今年|本年度|本年|年)(?:以)?内")
_TITLE_YEAR = re.compile(r"(?<![\d—–\-~至到])(\d{4})年(?!\s*[—–\-~至到]\s*\d{4})")


def plan_year(title: str, period: tuple[int, int] | None) -> int | None:
    """The one year a plan is for: its period if it is a single year, else the only year its title names."""
    if period:
        return period[0] if period[0] == period[1] else None
    years = {int(y) for y in _TITLE_YEAR.findall(title)}
    return years.pop() if len(years) == 1 else None


def yearless_deadlines(text: str, year: int, taken: list[Deadline], region: str | None = None) -> list[Deadline]:
    """The month-only and 年底前 deadlines of ``text``, dated in ``year``, that no deadline in ``taken`` covers
    (a season before which a duty is due — 汛期前, 春季学期开学前 — at its date in ``region``, approximate)."""
    def free(a: int, b: int) -> bool:
        return not any(d.start < b and a < d.end for d in taken)

    out: list[Deadline] = []
    for m in _MONTH_END.finditer(text):
        month = int(m[1])
        if 1 <= month <= 12 and free(m.start(), m.end()):
            out.append(Deadline("By", m[0], m.start(), m.end(), date=date(year, month,
                                                                         calendar.monthrange(year, month)[1])))
    for m in _DAY.finditer(text):
        try:
            day = date(year, int(m[1]), int(m[2]))
        except ValueError:
            continue
        if free(m.start(), m.end()):
            out.append(Deadline("By", m[0], m.start(), m.end(), date=day))
    for m in _YEAR_END.finditer(text):
        if free(m.start(), m.end()):
            out.append(Deadline("By", m[0], m.start(), m.end(), date=date(year, 12, 31)))
    for m in _WITHIN_YEAR.finditer(text):
        if free(m.start(), m.end()):
            out.append(Deadline("By", m[0], m.start(), m.end(), date=date(year, 12, 31)))
    for m in _seasons().finditer(text):  # 上半年, 三季度 … of the plan's year (as deadlines.yaml dates them)
        month, day = map(int, _season_dates()[m.group("s")].split("-"))
        if free(m.start(), m.end()):
            out.append(Deadline("By", m[0], m.start(), m.end(), date=date(year, month, day)))
    def alone(a: int, b: int) -> bool:  # "8月底前完成秋季开学前检查": the season names the check, the date is due
        lo = max(text.rfind(c, 0, a) for c in ",;。:，；：") + 1
        ends = [e for e in (text.find(c, b) for c in ",;。:，；：") if e >= 0]
        hi = min(ends) if ends else len(text)
        return not any(lo <= d.start < hi for d in [*taken, *out])

    for m in _seasons_before().finditer(text):
        season = _seasons_due_before()[m.group("s")]
        month, day = map(int, season["date"].split("-"))
        if free(m.start(), m.end()) and alone(m.start(), m.end()):
            out.append(_regional(Deadline("By", m[0], m.start(), m.end(), date=date(year, month, day),
                                          approximate=bool(season.get("approximate"))), region))
    for m in _breaks().finditer(text):  # 寒假期间: within the school break of the plan's year
        b = _break_dates()[m.group("b")]
        (m1, d1), (m2, d2) = (map(int, b[k].split("-")) for k in ("start", "end"))
        if free(m.start(), m.end()) and alone(m.start(), m.end()):
            out.append(Deadline("During", m[0], m.start(), m.end(), start_date=date(year, m1, d1),
                                date=date(year, m2, d2), approximate=True))
    return out


@lru_cache(maxsize=1)
def _seasons_due_before() -> dict[str, dict]:
    return {s["name"]: s for s in load_yaml("deadlines.yaml")["seasons"] if s.get("requires_before")}


@lru_cache(maxsize=1)
def _seasons_before() -> re.Pattern[str]:
    names = "|".join(map(re.escape, sorted(_seasons_due_before(), key=len, reverse=True)))
    return re.compile(rf"(?<![\d年每第])(?P<s>{names}){_BEFORE}")


@lru_cache(maxsize=1)
def _break_dates() -> dict[str, dict]:
    return {b["name"]: b for b in load_yaml("deadlines.yaml").get("school_breaks", [])}


@lru_cache(maxsize=1)
def _breaks() -> re.Pattern[str]:
    names = "|".join(map(re.escape, sorted(_break_dates(), key=len, reverse=True))) or "(?!)"
    return re.compile(rf"(?<![\d年每])(?P<b>{names})(?:期间|内)")


@lru_cache(maxsize=1)
def _season_dates() -> dict[str, str]:
    return {s["name"]: s["date"] for s in load_yaml("deadlines.yaml")["seasons"]
            if not s.get("approximate") and not s.get("requires_before")}


@lru_cache(maxsize=1)
def _seasons() -> re.Pattern[str]:
    names = "|".join(map(re.escape, sorted(_season_dates(), key=len, reverse=True)))
    return re.compile(rf"(?<![\d年每第])(?:第)?(?P<s>{names})(?:末|底)?(?:{_BEFORE})?")
