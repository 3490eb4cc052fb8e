"""Text helpers of the question reader: the one folding questions and graph text are compared in, sentences of a
task's text, and the date phrases of a question (relative to a ``today`` the caller can fix)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from plan_kb.base.resources import load_yaml
from plan_kb.errors import PlanKBError

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{CJK}]+")
_SPACE = re.compile(r"[\s\u3000]+")
_QUOTES = re.compile(r"[“”\"'‘’「」『』《》]")


def fold(s: str) -> str:
    """NFKC (full-width → half-width, Ⅲ → III), no spaces or quotation marks, ASCII lower-cased."""
    s = unicodedata.normalize("NFKC", s)
    s = _SPACE.sub("", s)
    return _QUOTES.sub("", s).lower()


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    """``extraction/ask.yaml``."""
    return load_yaml("ask.yaml")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a task's text: split after 。 ; ! ? outside brackets; a closing role note
    ("(省生态环境厅牵头,…)") is a sentence of its own."""
    spans: list[tuple[int, int]] = []
    start, depth = 0, 0
    for i, c in enumerate(text):
        if c in "(（":
            if depth == 0 and i > start:
                # a bracket that closes the item (the role note) starts a sentence of its own
                close = _closing(text, i)
                if close is not None and not text[close + 1:].strip(" 。"):
                    spans.append((start, i))
                    start = i
            depth += 1
        elif c in ")）":
            depth = max(0, depth - 1)
        elif c in "。;!?；！？" and depth == 0:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _closing(text: str, i: int) -> int | None:
    depth = 0
    for j in range(i, len(text)):
        if text[j] in "(（":
            depth += 1
        elif text[j] in ")）":
            depth -= 1
            if depth == 0:
                return j
    return None


# --- dates ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DateAsk:
    """A time a question asks about: ``mode`` "by" (done on or before ``end``) or "within" (in ``start``–``end``)."""

    mode: str
    start: date
    end: date
    text: str
    span: tuple[int, int]
    past: bool = False  # 已经过期: the deadlines before today
    soon: bool = False  # 快到期: the deadlines from today to soon_days after it

    def describe(self) -> str:
        if self.past:
            return f"已过期({zh_date(self.end)}及以前)"
        if self.mode in ("by", "nodes"):
            return f"{zh_date(self.end)}前"
        if self.mode == "from":
            if self.start == self.end:
                return f"自{zh_date(self.start)}起"
            if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
                return f"自{self.start.year}年起"
            return f"自{zh_date(self.start)}至{zh_date(self.end)}间起"
        if self.start.month == 1 and self.start.day == 1 and self.end.month == 12 and self.end.day == 31 \
                and self.start.year == self.end.year:
            return f"{self.start.year}年内"
        return f"{zh_date(self.start)}至{zh_date(self.end)}"


def zh_date(d: date) -> str:
    """2023-06-30 → 2023年6月30日."""
    return f"{d.year}年{d.month}月{d.day}日"


def _month_end(y: int, m: int) -> date:
    if m == 12:
        return date(y, 12, 31)
    return date.fromordinal(date(y, m + 1, 1).toordinal() - 1)


_NUM_ZH = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}


def _year_words() -> str:
    rel = config()["dates"]["relative_years"]
    return "|".join(sorted(map(re.escape, rel), key=len, reverse=True))


@lru_cache(maxsize=1)
def _date_pattern() -> re.Pattern[str]:
    year = rf"(?:(?P<y>(?:19|20)\d\d)年?|(?<![0-9])(?P<y2>[0-9]{{2}})年|(?P<ry>{_year_words()}))"
    month = r"(?:(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?(?P<md>\d{1,2}(?:日|号))?)"
    part = r"(?P<part>上半年|下半年|第?[一二三四1-4]季度|q[1-4]|年底|年末|底|末|初)?"
    tail = r"(?P<tail>结束前|结束之前|结束以前|前|之前|以前|为止|内|以内|之内|期间|当年|起|开始)?"
    return re.compile(rf"(?:截至|截止到?|到)?{year}(?:{month})?{part}{tail}")


class DateOutOfRange(PlanKBError):
    """A date phrase naming a year the calendar does not have (HTTP 422)."""

    status = 422


def _quarter(part: str) -> int:
    """第三季度, 3季度, 三季度 → 3."""
    n = part.strip("第季度")
    return int(n) if n.isdigit() else _NUM_ZH[n]


def _year_of(y: int, phrase: str, today: date) -> int:
    if not 1 <= y <= 9999:
        raise DateOutOfRange(f"'{phrase}' read against {today.isoformat()} is the year {y}, outside the years 1 to "
                             "9999 that dates can have; give another 'today'")
    return y


def find_dates(q: str, today: date) -> list[DateAsk]:
    """Date phrases of a folded question: 2022年底前 (by 2022-12-31), 2023年内 / 2023年 (within 2023),
    2023年10月底前 (by 2023-10-31), 明年 / 今年年底 (relative to ``today``)."""
    rel = config()["dates"]["relative_years"]
    q = _ZH_YEAR.sub(lambda m: "".join(str(_ZH_DIGIT[c]) for c in m.group(1)) + "年", q)  # 二〇二三年 → 2023年
    out = _numeric_dates(q)
    out += _season_dates(q, today, out)
    for m in _date_pattern().finditer(q):
        if any(d.span[0] < m.end() and m.start() < d.span[1] for d in out):
            continue
        if m.group("y"):
            y = int(m.group("y"))
            # a year must stand as a year: 2022年, or four digits not part of a longer number
            if not m.group(0).endswith(("年", "前", "内", "底", "末", "间")) and "年" not in m.group(0):
                continue
        elif m.group("y2"):
            y = 2000 + int(m.group("y2"))
        else:
            y = _year_of(today.year + int(rel[m.group("ry")]), m.group(0), today)
        part, tail = m.group("part") or "", m.group("tail") or ""
        mon = m.group("m")
        before = tail in ("前", "之前", "以前", "为止", "结束前", "结束之前", "结束以前") or m.group(0).startswith(
            ("截至", "截止", "到"))
        if mon:
            mn = int(mon) if mon.isdigit() else _NUM_ZH[mon]
            if m.group("md"):
                d = date(y, mn, min(int(m.group("md")[:-1]), _month_end(y, mn).day))
                start, end = d, d
            else:
                start, end = date(y, mn, 1), _month_end(y, mn)
            if part in ("初",):
                end = date(y, mn, 10)
            mode = "by" if before or part in ("底", "末") else "within"
        elif part in ("上半年",):
            start, end, mode = date(y, 1, 1), date(y, 6, 30), "by" if before else "within"
        elif part in ("下半年",):
            start, end, mode = date(y, 7, 1), date(y, 12, 31), "by" if before else "within"
        elif "季度" in part or part.startswith("q"):
            qn = int(part[1]) if part.startswith("q") else _quarter(part)
            start, end = date(y, 3 * qn - 2, 1), _month_end(y, 3 * qn)
            mode = "by" if before else "within"
        elif part in ("年底", "年末", "底", "末"):
            start, end = date(y, 1, 1), date(y, 12, 31)
            mode = "by"
        else:
            start, end = date(y, 1, 1), date(y, 12, 31)
            mode = "by" if before else "within"
        if tail in ("起", "开始"):
            mode = "from"
        out.append(DateAsk(mode, start, end, m.group(0), m.span()))
    # 年内 / 年底前 with no year before them: this year
    for m in _BARE_YEAR.finditer(q):
        if any(d.span[0] < m.end() and m.start() < d.span[1] for d in out):
            continue
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
        out.append(DateAsk("within" if m.group(1) == "年内" else "by", start, end, m.group(0), m.span()))
    for m in _BARE_HALF.finditer(q):  # 下半年 with no year: this year's
        if any(d.span[0] < m.end() and m.start() < d.span[1] for d in out):
            continue
        y, part = today.year, m.group(1)
        if "季度" in part or part.startswith("q"):
            qn = int(part[1]) if part.startswith("q") else _quarter(part)
            start, end = date(y, 3 * qn - 2, 1), _month_end(y, 3 * qn)
        else:
            start, end = (date(y, 1, 1), date(y, 6, 30)) if part == "上半年" else (date(y, 7, 1), date(y, 12, 31))
        out.append(DateAsk("by" if m.group(2) else "within", start, end, m.group(0), m.span()))
    out += _relative_dates(q, today, out)
    out += _status_dates(q, today, out)
    out.sort(key=lambda d: d.span)
    return out


@lru_cache(maxsize=1)
def _seasons() -> tuple[dict[str, str], re.Pattern[str] | None]:
    """The named periods of a year the plans' deadlines are read with (``seasons`` of ``extraction/deadlines.yaml``:
    采暖季 → 11-01), and a pattern of "<year><season>前"."""
    found = {fold(x["name"]): x["date"] for x in load_yaml("deadlines.yaml").get("seasons") or ()
             if x.get("requires_before")}
    if not found:
        return found, None
    names = "|".join(sorted(map(re.escape, found), key=len, reverse=True))
    year = rf"(?:(?P<y>(?:19|20)\d\d)年|(?<![0-9])(?P<y2>[0-9]{{2}})年|(?P<ry>{_year_words()}))"
    return found, re.compile(rf"{year}(?P<season>{names})(?:前|之前|以前)")


def _season_dates(q: str, today: date, found: list[DateAsk]) -> list[DateAsk]:
    """2022年采暖季前 (by 2022-11-01), 明年汛期前: a season as the plans' deadlines read it."""
    dates, rx = _seasons()
    out: list[DateAsk] = []
    for m in rx.finditer(q) if rx else ():
        if any(d.span[0] < m.end() and m.start() < d.span[1] for d in found):
            continue
        if m.group("y"):
            y = int(m.group("y"))
        elif m.group("y2"):
            y = 2000 + int(m.group("y2"))
        else:
            y = today.year + int(config()["dates"]["relative_years"][m.group("ry")])
        mm, dd = (int(x) for x in dates[m.group("season")].split("-"))
        d = date(_year_of(y, m.group(0), today), mm, dd)
        out.append(DateAsk("by", d, d, m.group(0), m.span()))
    return out


def _status_dates(q: str, today: date, found: list[DateAsk]) -> list[DateAsk]:
    """已经过期 (deadlines before ``today``) and 快到期 (from ``today`` to ``soon_days`` after it), when the question
    gives no other date: by a word (``past_words``, ``soon_words``) or by the deadline's own noun (``past_patterns``,
    ``soon_patterns``: 截止日期已经过了, 期限快到了)."""
    if found:
        return []
    cfg = config()["dates"]
    for key in ("soon", "past"):  # 快到期 before 到期了
        hit = _status_hit(q, key)
        if hit is None:
            continue
        i, j = hit
        if key == "past":
            end = date.fromordinal(today.toordinal() - 1)
            return [DateAsk("by", end, end, q[i:j], (i, j), past=True)]
        end = date.fromordinal(today.toordinal() + int(cfg.get("soon_days") or 30))
        return [DateAsk("due", today, end, q[i:j], (i, j), soon=True)]
    return []


def _status_hit(q: str, key: str) -> tuple[int, int] | None:
    """Where a status of ``key`` ("past" or "soon") stands in ``q``: its longest word first, then its patterns."""
    cfg = config()["dates"]
    for w in sorted(cfg.get(f"{key}_words") or (), key=len, reverse=True):
        i = q.find(w)
        if i >= 0:
            return i, i + len(w)
    for p in _status_patterns(key):
        m = p.search(q)
        if m:
            return m.span()
    return None


@lru_cache(maxsize=2)
def _status_patterns(key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in config()["dates"].get(f"{key}_patterns") or ())


_ZH_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_YEAR = re.compile("([〇零一二三四五六七八九]{4})年")
_BEFORE = ("前", "之前", "以前", "为止", "底前", "底", "末")
_RELATIVE = re.compile(r"(这个月|本月|当月|下个月|下月|上个月|上月|本季度|这个季度|这季度|当季|下季度|下个季度"
                       r"|上季度|上个季度|今明两年|这两年)(底前|底|末|前|之前|以前|内|以内)?")
_BARE_MONTH = re.compile(r"(?<![0-9年月.\-/—~至到])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?(底|末|初)?"
                         r"(前|之前|以前|内|以内|为止)?")


def _relative_dates(q: str, today: date, found: list[DateAsk]) -> list[DateAsk]:
    """这个月, 下季度, 今明两年 (relative to ``today``) and a month without a year (6月底前: the next June's end)."""
    out: list[DateAsk] = []

    def free(m: re.Match[str]) -> bool:
        return not any(d.span[0] < m.end() and m.start() < d.span[1] for d in found + out)

    for m in _RELATIVE.finditer(q):
        if not free(m):
            continue
        w, y, mn = m.group(1), today.year, today.month
        if "两年" in w:
            start, end = date(y, 1, 1), date(y + 1, 12, 31)
        elif "月" in w:
            k = y * 12 + mn - 1 + (1 if w.startswith("下") else -1 if w.startswith("上") else 0)
            start = date(k // 12, k % 12 + 1, 1)
            end = _month_end(start.year, start.month)
        else:
            k = y * 4 + (mn - 1) // 3 + (1 if w.startswith("下") else -1 if w.startswith("上") else 0)
            start = date(k // 4, 3 * (k % 4) + 1, 1)
            end = _month_end(start.year, start.month + 2)
        mode = "by" if (m.group(2) or "") in _BEFORE else "within"
        out.append(DateAsk(mode, start, end, m.group(0), m.span()))
    for m in _BARE_MONTH.finditer(q):
        if not free(m) or not (m.group(2) or m.group(3)):
            continue  # a bare 5月 may be a recurring month (5—9月); only 6月底, 6月前, 10月内 are dates
        mon = m.group(1)
        mn = int(mon) if mon.isdigit() else _NUM_ZH[mon]
        y = today.year if _month_end(today.year, mn) >= today else today.year + 1
        start, end = date(y, mn, 1), _month_end(y, mn)
        if m.group(2) == "初":
            end = date(y, mn, 10)
        mode = "by" if m.group(2) in ("底", "末") or (m.group(3) or "") in _BEFORE else "within"
        out.append(DateAsk(mode, start, end, m.group(0), m.span()))
    return out


#: 年底 with no year before it (哪年底, 几月底 ask when: no date)
_BARE_YEAR = re.compile(r"(?<![0-9年今明去本哪几])(年内|年底前|年底|年末)")
_BARE_HALF = re.compile(r"(?<![0-9年今明去本])(上半年|下半年|第?[一二三四1-4]季度|q[1-4])(结束前|前|之前|以前)?")
_NUMERIC = re.compile(r"(?<![0-9.])(?P<y>20[0-9]{2})[./-](?P<m>1[0-2]|0?[1-9])(?:[./-](?P<d>3[01]|[12][0-9]|0?[1-9]))?"
                      r"(?![0-9])(?P<tail>前|之前|以前|为止|底前|底)?")


_NUMERIC2 = re.compile(r"(?<![0-9.])(?P<y>[0-9]{2})[./-](?P<m>1[0-2]|0?[1-9])[./-](?P<d>3[01]|[12][0-9]|0?[1-9])"
                       r"(?![0-9.])(?P<tail>前|之前|以前|为止)?")


def _numeric_dates(q: str) -> list[DateAsk]:
    """2023.6.30前, 2023/10/31, 2023-06 (a month), 23.10.31: dates written with digits and separators."""
    out = []
    for m in [*_NUMERIC.finditer(q), *_NUMERIC2.finditer(q)]:
        if any(d.span[0] < m.end() and m.start() < d.span[1] for d in out):
            continue
        y, mn = int(m.group("y")), int(m.group("m"))
        y = y + 2000 if y < 100 else y
        if m.group("d"):
            try:
                d = date(y, mn, int(m.group("d")))
            except ValueError:
                continue
            start = end = d
        else:
            start, end = date(y, mn, 1), _month_end(y, mn)
        mode = "by" if m.group("tail") else "within"
        out.append(DateAsk(mode, start, end, m.group(0), m.span()))
    return out
