"""Deadlines read from the text of a task or measure (conventions.md, "Deadlines").

Each occurrence of a time expression is one deadline of one of six kinds: By (a last day), From (a first day),
During (a bare year governing a clause), Recurring (an RFC 5545 RRULE), Relative (an offset after an event) and
External (a time the authority sets elsewhere). The grammar of dates (年/月/日, 底/末, 前, 起) is here; the word
lists and season conventions are data in ``extraction/deadlines.yaml``.

The reader is pure: text in, :class:`Deadline` values out, offsets relative to the text it was given.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from plan_kb.base.resources import load_yaml

KINDS = ("By", "From", "During", "Recurring", "Relative", "External")
DATED_KINDS = ("By", "From", "During")

_DASH = "[—–\\-~～至到]"
_BEFORE = "(?:之|以)?前"  # 前, 之前, 以前: "2022年9月30日以前"
_CJK = "\u4e00-\u9fff"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}


@dataclass(frozen=True)
class Deadline:
    """One time expression read as a deadline. ``start``/``end`` span the expression, ``clause_start``/
    ``clause_end`` the clause that is due (which contains the expression)."""

    kind: str
    expression: str
    start: int
    end: int
    clause_start: int = 0
    clause_end: int = 0
    requirement: str = ""
    date: date | None = None
    start_date: date | None = None
    rrule: str | None = None
    offset: str | None = None
    event: str | None = None
    approximate: bool = False


@lru_cache(maxsize=1)
def _conf() -> dict[str, Any]:
    return load_yaml("deadlines.yaml")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _cn_number(s: str) -> int | None:
    """123, 三, 十二, 二十 → int."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_DIGITS.get(head, 1) if head else 1
        units = _CN_DIGITS.get(tail, 0) if tail else 0
        return tens * 10 + units
    if len(s) == 1 and s in _CN_DIGITS:
        return _CN_DIGITS[s]
    return None


def _months(m1: int, m2: int) -> list[int] | None:
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12) or m1 == m2:
        return None
    return list(range(m1, m2 + 1)) if m1 < m2 else [*range(m1, 13), *range(1, m2 + 1)]


# ----------------------------------------------------------------------------------------------------------------
# Patterns, in the order they claim text: the longer, more specific expression wins over the words inside it.

Maker = Callable[[re.Match[str], str], list[Deadline]]


def _recurring(m: re.Match[str], rrule: str, start: int | None = None, end: int | None = None) -> Deadline:
    s = m.start() if start is None else start
    e = m.end() if end is None else end
    return Deadline("Recurring", m.string[s:e], s, e, rrule=rrule)


def _season_hours(m: re.Match[str], _text: str) -> list[Deadline]:
    months = _months(int(m[1]), int(m[2]))
    h1, h2 = int(m[3]), int(m[4])
    if not months or not 0 <= h1 < h2 <= 24:
        return []
    hours = ",".join(str(h) for h in range(h1, h2))
    return [_recurring(m, f"FREQ=DAILY;BYMONTH={','.join(map(str, months))};BYHOUR={hours}")]


def _yearly_season(m: re.Match[str], _text: str) -> list[Deadline]:
    """每年一季度 → every year by the quarter's last day, as 每年3月底前."""
    season = next(s for s in _conf()["seasons"] if s["name"] == m[1])
    month, day = (int(x) for x in season["date"].split("-"))
    return [_recurring(m, f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}")]


def _yearly_year_end(m: re.Match[str], _text: str) -> list[Deadline]:
    """每年年底前 → every year by 12-31, as 每年12月底前."""
    return [_recurring(m, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31")]


def _yearly_date(m: re.Match[str], _text: str) -> list[Deadline]:
    month = int(m[1])
    if not 1 <= month <= 12:
        return []
    rule = f"FREQ=YEARLY;BYMONTH={month}"
    if m[2]:
        rule += f";BYMONTHDAY={int(m[2])}"
    elif m[3]:  # 底 / 末: the month's last day (February: the last day, whatever its number)
        rule += ";BYMONTHDAY=-1" if month == 2 else f";BYMONTHDAY={calendar.monthrange(2023, month)[1]}"
    return [_recurring(m, rule)]


def _season_window(m: re.Match[str], _text: str) -> list[Deadline]:
    months = _months(int(m[1]), int(m[2]))
    if not months:
        return []
    return [_recurring(m, f"FREQ=DAILY;BYMONTH={','.join(map(str, months))}")]


def _cycle(m: re.Match[str], _text: str) -> list[Deadline]:
    cadences = _conf()["cycle_cadences"]
    steps = [(m.start() + s.start(), m.start() + s.end(), s[1])
             for s in re.finditer(f"([{''.join(cadences)}])[{_CJK}]{{2}}", m[0])]
    if len({c for _, _, c in steps}) < 2:
        return []
    return [_recurring(m, cadences[c], s, e) for s, e, c in steps]


def _frequency(m: re.Match[str], _text: str) -> list[Deadline]:
    for f in _conf()["frequencies"]:
        if m[0] in f["words"]:
            return [_recurring(m, f["rrule"])]
    return []


def _every_n(m: re.Match[str], _text: str) -> list[Deadline]:
    """每两年 → FREQ=YEARLY;INTERVAL=2, 每3个月 → FREQ=MONTHLY;INTERVAL=3."""
    n = _cn_number(m[1])
    freq = _conf()["every_n_units"].get(m[2])
    if not n or not freq:
        return []
    return [_recurring(m, freq if n == 1 else f"{freq};INTERVAL={n}")]


def _monthly_day(m: re.Match[str], _text: str) -> list[Deadline]:
    """每月10日前 → FREQ=MONTHLY;BYMONTHDAY=10, as 每年5月底前 gives its month and day."""
    day = int(m[1])
    if not 1 <= day <= 31:
        return []
    return [_recurring(m, f"FREQ=MONTHLY;BYMONTHDAY={day}")]


def _from(m: re.Match[str], _text: str) -> list[Deadline]:
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        d = date(year, month, day)
    except ValueError:
        return []
    return [Deadline("From", m[0], m.start(), m.end(), date=d)]


def _by_day(m: re.Match[str], _text: str) -> list[Deadline]:
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return []
    return [Deadline("By", m[0], m.start(), m.end(), date=d)]


def _by_month(m: re.Match[str], _text: str) -> list[Deadline]:
    """X年M月底前 → M's last day; X年M月前 (before or by the month, as plans use it both ways) → M's last day,
    approximate."""
    if not 1 <= int(m[2]) <= 12:
        return []
    return [Deadline("By", m[0], m.start(), m.end(), date=_last_day(int(m[1]), int(m[2])),
                     approximate=not re.search("[底末]", m[0]))]


def _by_season(m: re.Match[str], _text: str) -> list[Deadline]:
    season = next(s for s in _conf()["seasons"] if s["name"] == m[2])
    if season.get("requires_before") and not m[0].endswith("前"):
        return []
    month, day = (int(x) for x in season["date"].split("-"))
    return [Deadline("By", m[0], m.start(), m.end(), date=date(int(m[1]), month, day),
                     approximate=bool(season.get("approximate")))]


def _by_year(m: re.Match[str], _text: str) -> list[Deadline]:
    return [Deadline("By", m[0], m.start(), m.end(), date=date(int(m[1]), 12, 31))]


def _within_year(m: re.Match[str], _text: str) -> list[Deadline]:
    """2022年内: within that year, so by its last day (as 2022年底前)."""
    return [Deadline("By", m[0], m.start(), m.end(), date=date(int(m[1]), 12, 31))]


def _relative(m: re.Match[str], text: str) -> list[Deadline]:
    rel = _conf()["relative"]
    clause = text[_clause_start(text, m.start()):m.start()]
    if any(w in clause for w in rel.get("limit_words", [])):
        return []  # a time allowed, read as a threshold
    unit = m[2]
    if m[1] == "半":
        offset = rel["half"].get(unit)
    else:
        n = _cn_number(m[1])
        code = rel["units"].get(unit)
        if not n or not code:
            return []
        offset = f"P{n * 7}D" if code == "W" else f"P{n}{code}"
    if not offset:
        return []
    return [Deadline("Relative", m[0], m.start(), m.end(), offset=offset, event=_event_before(text, m.start()))]


def _external_limit(m: re.Match[str], _text: str) -> list[Deadline]:
    if m[0].removeprefix("依法").startswith(tuple(_conf()["external"].get("enforcement_orders", []))):
        return []
    return [Deadline("External", m[0], m.start(), m.end())]


def _external_prescribed(m: re.Match[str], text: str) -> list[Deadline]:
    before = text[max(0, m.start() - 4):m.start()]
    if any(before.endswith(n) for n in _conf()["external"]["negations"]):
        return []
    return [Deadline("External", m[0], m.start(), m.end())]


def _during(m: re.Match[str], text: str, period: tuple[int, int] | None) -> list[Deadline]:
    conf = _conf()["during"]
    year = int(m[1])
    if period and year < period[0]:
        return []  # a year before the plan's period reports the past ("2021年已完成…的")
    after = text[m.end():]
    if any(after.startswith(w) for w in conf["past_markers"]):
        return []
    if any(after.lstrip("第").startswith(s["name"]) for s in _conf()["seasons"]):
        return []  # a season of that year, in words the season patterns do not take ("2023年采暖季结束前")
    window = re.match(f"[{_CJK}]{{0,{int(conf['list_window'])}}}", after)
    head = window[0] if window else ""
    if any(w in head for w in conf["list_words"]):
        return []  # the year only names a list or plan ("列入2022年淘汰计划")
    prefix = _strip_connectors(text[_clause_start(text, m.start()):m.start()], trailing=True, leading=True)
    if re.search(rf"\d{{4}}年[^、{_CJK}]*[{_CJK}]{{3,}}、$", prefix):
        prefix = ""  # the second stage of a staged duty ("2025年底前基本完成、2026年全面完成")
    if prefix and not _is_actor(prefix):
        return []  # the year is inside a phrase, not governing the clause
    last = int(m[2]) if m[2] else year
    if last < year:
        return []
    return [Deadline("During", m[0], m.start(), m.end(), start_date=date(year, 1, 1), date=date(last, 12, 31))]


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], Maker]]:
    conf = _conf()
    seasons = _alt([s["name"] for s in conf["seasons"]])
    freq = _alt([w for f in conf["frequencies"] for w in f["words"]])
    cad = "".join(conf["cycle_cadences"])
    ext = conf["external"]
    rel_units = _alt(list(conf["relative"]["units"]))
    within = _alt(conf["relative"]["within"])
    num = "[0-9一二两三四五六七八九十]+"
    rel_num = "[0-9]{1,3}|[一二两三四五六七八九十]+"  # an offset is a small count; 2022年内 is a year
    return [
        (re.compile(rf"(?:每年|(?<![\d年{_DASH[1:-1]}]))(\d{{1,2}})月?{_DASH}(?:次年)?(\d{{1,2}})月份?(?:每日|每天)"
                    rf"(\d{{1,2}})(?:时|点)?{_DASH}(\d{{1,2}})(?:时|点)"), _season_hours),
        (re.compile(rf"(?:每年|(?<![\d年{_DASH[1:-1]}]))(\d{{1,2}})月?{_DASH}(?:次年)?(\d{{1,2}})月份?(?![\d日])"
                    rf"(?:每日|每天)?"), _season_window),
        (re.compile(rf"每年(\d{{1,2}})月(?:(\d{{1,2}})日|(底|末)|份)?{_BEFORE}?"), _yearly_date),
        (re.compile(rf"每年(?:的)?年(底|末){_BEFORE}?"), _yearly_year_end),
        (re.compile(rf"每年(?:的)?第?({seasons})(?:末|底)?{_BEFORE}?"), _yearly_season),
        (re.compile(rf"每月(\d{{1,2}})日{_BEFORE}?"), _monthly_day),
        (re.compile(rf"每({num})个?({_alt(list(conf['every_n_units']))})"), _every_n),
        (re.compile(rf"(?<![\d每])[{cad}][{_CJK}]{{2}}(?:、[{cad}][{_CJK}]{{2}})+"), _cycle),
        (re.compile(r"(?:[自从])?(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?(?:起|开始实施|开始执行)"), _from),
        (re.compile(rf"(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})日{_BEFORE}"), _by_day),
        (re.compile(rf"(\d{{4}})年(\d{{1,2}})月(?:(?:底|末){_BEFORE}?|份?{_BEFORE})"), _by_month),
        (re.compile(rf"(\d{{4}})年第?({seasons})(?:末|底)?{_BEFORE}?"), _by_season),
        (re.compile(rf"(\d{{4}})年(?:年)?(?:底|末){_BEFORE}?"), _by_year),
        (re.compile(r"(?<!\d)(\d{4})年(?:以)?内"), _within_year),
        (re.compile(r"(?<!年)[到至](\d{4})年(?![\d底末度前起内、—\-])"), _by_year),
        (re.compile(rf"(?:{freq})(?![0-9.]+[万千百亿]?[{_CJK}]{{0,3}}(?:{_alt(conf['frequency_cap_ends'])})"
                    rf"|[0-9.]+[万千百亿]?(?!{_alt(conf['frequency_count_words'])}|[0-9.])[{_CJK}])"), _frequency),
        (re.compile(rf"(?<![\d.])(半|{rel_num})个?({rel_units})(?:{within})"), _relative),
        (re.compile(rf"(?:依法)?(?:{_alt(ext['time_limit_words'])})[{_CJK}]{{0,2}}"), _external_limit),
        (re.compile(rf"按照?[{_CJK}]{{0,12}}?规定的?(?:{_alt(ext['prescribed_time_words'])})"), _external_prescribed),
        # "在(…)规定(的)期限内": the same limit, as the span it must be done within
        (re.compile(rf"[在于][{_CJK}]{{0,8}}?规定的?(?:{_alt(ext['prescribed_time_words'])})(?:以)?内"),
         _external_prescribed),
    ]


# A bare year, or a bare range of years ("2022年至2023年", "2022—2023年"), that may govern a clause.
_YEAR = re.compile(r"(?<![\d《—\-~至到])(\d{4})(?:年?[至到—–\-~](\d{4}))?年(?![\d底末度前起内、—\-~至到])")


# ----------------------------------------------------------------------------------------------------------------
# Clauses

def _clause_start(text: str, pos: int) -> int:
    ends = _conf()["sentence_ends"] + _conf()["clause_ends"]
    i = pos
    while i > 0 and text[i - 1] not in ends:
        i -= 1
    return i


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    ends = _conf()["sentence_ends"]
    s = start
    while s > 0 and text[s - 1] not in ends:
        s -= 1
    e = end
    while e < len(text) and text[e] not in ends:
        e += 1
    return s, e


def _strip_connectors(s: str, trailing: bool = False, leading: bool = False) -> str:
    words = sorted(_conf()["clause_connectors"], key=len, reverse=True)
    changed = True
    while changed and s:
        changed = False
        for w in words:
            if trailing and s.endswith(w):
                s, changed = s[: -len(w)], True
            if leading and s.startswith(w):
                s, changed = s[len(w):], True
    return s


def _is_actor(s: str) -> bool:
    conf = _conf()["during"]
    return len(s) <= int(conf["actor_max_length"]) and re.fullmatch(
        rf"[{_CJK}、]*(?:{_alt(conf['actor_endings'])})", s) is not None


def _event_before(text: str, pos: int) -> str | None:
    """The event a relative deadline counts from: "…完成后,要在半年内" → "…完成"; "应在纳入名录一年内" → "纳入名录"."""
    s, _ = _sentence_bounds(text, pos, pos)
    before = text[s:pos]
    if "后" in before:
        head = before[: before.rindex("后")]
        return head[_clause_start(head, len(head)):] or None
    clause = before[_clause_start(before, len(before)):]
    m = re.search(r"(?:应当|应|要|须|需)?(?:在|于|自)([^在于自]*)$", clause)
    return (m[1] if m else None) or None


def _with_clause(text: str, d: Deadline, later: list[Deadline]) -> Deadline:
    s0, s1 = _sentence_bounds(text, d.start, d.end)
    c0 = _clause_start(text, d.start)
    ends = _conf()["clause_ends"]
    if d.kind in DATED_KINDS:
        # a date governs its sentence, up to the clause of the next date in the same sentence
        c1 = s1
        for n in later:
            if n.start < s1 and _clause_start(text, n.start) > c0:
                c1 = _clause_start(text, n.start)
                break
        while c1 > c0 and text[c1 - 1] in ends:
            c1 -= 1
        prefix = _strip_connectors(text[c0:d.start], trailing=True)
        suffix = _strip_connectors(text[d.end:c1].lstrip(ends), leading=True)
        requirement = prefix + suffix
    else:
        # a frequency, offset or limit is part of the wording of its clause. A cadence that is a clause of its own
        # or a manner (按…规定的时间节点,…)
        # opens the sentence ("5—9月,针对…组织开展…"): it runs to the sentence end. A limit or offset that is
        # hardly more than its words reaches back to what it limits ("对超标排放的排污口溯源整治,限期达标").
        c1 = _clause_end(text, d.end, s1)
        if text[c0:c1] == d.expression and (d.kind == "Recurring" or d.expression.startswith("按")):
            c1 = s1
        while len(text[c0:c1]) - len(d.expression) < 8 and c0 > s0:
            c0 = _clause_start(text, c0 - 1)
        requirement = text[c0:c1]
    return replace(d, clause_start=c0, clause_end=max(c1, d.end), requirement=requirement.strip())


def _clause_end(text: str, pos: int, limit: int) -> int:
    ends = _conf()["clause_ends"]
    while pos < limit and text[pos] not in ends:
        pos += 1
    return min(pos, limit)


# ----------------------------------------------------------------------------------------------------------------

def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Titles in 《》: a year inside a title ("规划(2022—2025年)") is part of a name."""
    return [(m.start(), m.end()) for m in re.finditer(r"《[^《》]*》", text)]


def read_deadlines(text: str, period: tuple[int, int] | None = None, region: str | None = None) -> list[Deadline]:
    """Every deadline in ``text``, in the order of the text. ``period`` is the plan's (first year, last year):
    a bare year before it reports the past. ``region`` is the plan's province (浙江省): it picks the regional date
    of a season where ``deadlines.yaml`` has one (汛期前 is 04-15 in Zhejiang, 06-01 in Shanxi)."""
    claimed: list[tuple[int, int]] = _quoted_spans(text)
    found: list[Deadline] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in claimed)

    for pattern, make in _patterns():
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            got = make(m, text)
            if got:
                found.extend(got)
                claimed.append((m.start(), m.end()))
    for m in _YEAR.finditer(text):
        if free(m.start(), m.end()):
            got = _during(m, text, period)
            found.extend(got)
            claimed.extend((d.start, d.end) for d in got)
    found.sort(key=lambda d: (d.start, d.end))
    found = _scoped(text, [_regional(d, region) for d in found])
    return [_with_clause(text, d, found[i + 1:]) for i, d in enumerate(found)]


def _regional(d: Deadline, region: str | None) -> Deadline:
    if region is None or d.kind != "By" or d.date is None:
        return d
    for season in _conf()["seasons"]:
        local = season.get("regional", {}).get(region)
        if local and season["name"] in d.expression:
            month, day = (int(x) for x in local["date"].split("-"))
            return replace(d, date=date(d.date.year, month, day))
    return d


_HOURS = re.compile(rf"(\d{{1,2}})(?:时|点)?{_DASH}(\d{{1,2}})(?:时|点)")


def _scoped(text: str, found: list[Deadline]) -> list[Deadline]:
    """Cadences that refer back to a named window take its months ("9—11月为关键期,关键期内每日12—16时…" →
    FREQ=DAILY;BYMONTH=9,10,11;BYHOUR=12,…,15), and the window's naming is no duty of its own; a daily cadence followed
    by an hour window takes those hours."""
    conf = _conf()["windows"]
    naming, names, refer = _alt(conf["naming"]), _alt(conf["names"]), _alt(conf["refer"])
    out = list(found)
    for w in found:
        if w.kind != "Recurring" or not (w.rrule or "").startswith("FREQ=DAILY;BYMONTH=") or "BYHOUR" in w.rrule:
            continue
        named = re.match(rf"(?:{naming})([{_CJK}]{{1,20}}?(?:{names}))", text[w.end:])
        if not named:
            continue
        months = w.rrule.split("BYMONTH=")[1]
        name = named[1]
        # the name as referred back to: its last 2-4 characters ("臭氧污染防控关键期" → "关键期")
        refs = [m.end() for k in range(min(len(name), 6), 1, -1)
                for m in re.finditer(re.escape(name[-k:]) + f"(?:{refer})", text) if m.start() > w.end]
        scoped = False
        for i, d in enumerate(out):
            if d.kind == "Recurring" and d.rrule and "BYMONTH" not in d.rrule and \
                    any(0 <= d.start - r <= 2 for r in refs):
                out[i] = replace(d, rrule=f"{d.rrule};BYMONTH={months}")
                scoped = True
        if scoped:
            out.remove(w)
    from plan_kb.reading.cadence_bounds import window_cadences, yearly_until

    out = window_cadences(text, yearly_until(text, out))
    for i, d in enumerate(out):
        if d.kind == "Recurring" and d.rrule and d.rrule.startswith("FREQ=DAILY") and "BYHOUR" not in d.rrule:
            h = _HOURS.match(text, d.end)
            if h and 0 <= int(h[1]) < int(h[2]) <= 24:
                hours = ",".join(str(x) for x in range(int(h[1]), int(h[2])))
                out[i] = replace(d, rrule=f"{d.rrule};BYHOUR={hours}", end=h.end(), expression=text[d.start:h.end()])
    return out

