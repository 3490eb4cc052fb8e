"""Plain Chinese for what people read (pages, the CLI, the 分工表, calendars): dates as 2023年6月30日, deadlines of
every kind in words (2023年6月30日前, 自2023年1月1日起, 2022年内, 每年5月31日前, 5—9月每日10—16时, 纳入名录后1年内),
and a plan's short name (山西省水环境质量再提升2022—2023年行动计划 → 水环境质量再提升). Keys, IRIs, RRULEs and ISO
durations stay in the JSON and the URLs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

_FREQ = {"YEARLY": "每年", "MONTHLY": "每月", "WEEKLY": "每周", "DAILY": "每日"}
_EVERY = {("MONTHLY", 3): "每季度", ("MONTHLY", 6): "每半年", ("YEARLY", 2): "每两年", ("YEARLY", 3): "每三年",
          ("WEEKLY", 2): "每两周"}
_UNITS = {"Y": "年", "M": "个月", "W": "周", "D": "日"}
_REGION = re.compile(r"^(.{2,8}?(省|自治区|市|自治州|州|盟|地区|县|区|旗))(?=.{4,})")
_PERIOD = re.compile(r"[(（]?\d{4}\s*[—–\-－~至]+\s*\d{4}\s*年?[)）]?|[(（]?\d{4}年[)）]?")
_GENRE = re.compile(r"(三年)?(攻坚)?(专项)?(行动计划|行动方案|实施方案|工作方案|实施计划|工作要点|分工方案|任务分工表|"
                    r"若干措施|若干意见|实施意见|工作计划|方案|计划)$")


def zh_date(value: date | str | None) -> str:
    """2023-06-30 → 2023年6月30日; '' for nothing."""
    if not value:
        return ""
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def _months(values: str) -> str:
    months = [int(m) for m in values.split(",")]
    if len(months) > 2 and months == list(range(months[0], months[-1] + 1)):
        return f"{months[0]}—{months[-1]}月"
    return "、".join(f"{m}月" for m in months)


def rrule_words(rule: str) -> str:
    """An RFC 5545 RRULE in words: FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31 → 每年5月31日前."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq, interval = parts.get("FREQ", ""), int(parts.get("INTERVAL", "1") or 1)
    every = _EVERY.get((freq, interval)) or (f"每{interval}{_UNITS.get(freq[0], '')}" if interval > 1
                                             else _FREQ.get(freq, "定期"))
    months = parts.get("BYMONTH")
    day = parts.get("BYMONTHDAY")
    hours = parts.get("BYHOUR")
    if freq == "YEARLY" and months and day:
        return f"{every}{_months(months)}{day}日前"
    if freq == "MONTHLY" and day:
        return f"{every}{day}日前"
    text = (f"{_months(months)}" if months else "") + every
    if hours:
        hs = [int(h) for h in hours.split(",")]
        text += f"{hs[0]}—{hs[-1] + 1}时" if hs == list(range(hs[0], hs[-1] + 1)) else "、".join(f"{h}时" for h in hs)
    return text


def duration_words(offset: str) -> str:
    """An ISO 8601 duration as 内-phrase: P6M → 6个月内, P1Y → 1年内, P30D → 30日内."""
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", offset or "")
    if not m or not any(m.groups()):
        return offset or ""
    return "".join(f"{n}{u}" for n, u in zip(m.groups(), ("年", "个月", "周", "日"), strict=True) if n) + "内"


def deadline_words(d: Mapping[str, Any]) -> str:
    """A deadline row (``deadlineKind`` or ``kind``, ``date``, ``startDate``, ``rrule``, ``offset``, ``afterEvent``,
    ``approximate``, ``source``) in words."""
    kind = str(d.get("deadlineKind") or d.get("kind") or "").rsplit("#", 1)[-1]
    when = d.get("date")
    source = str(d.get("source") or "")
    if kind == "By" and when:
        if str(d.get("approximate")).lower() in ("true", "1"):  # a convention's date (采暖季前 → 11-01)
            printed = re.match(r"^.{0,12}?(?:以前|之前|前)", source)  # the words as printed say it best
            return printed.group(0) if printed else f"约{zh_date(when)}前"
        return f"{zh_date(when)}前"
    if kind == "From" and when:
        return f"自{zh_date(when)}起"
    if kind == "During" and when:
        start = d.get("startDate")
        year = str(when)[:4]
        return f"{year}年内" if not start or str(start)[:4] == year else f"{str(start)[:4]}—{year}年"
    if kind == "Recurring" and d.get("rrule"):
        return rrule_words(str(d["rrule"]))
    if kind == "Relative" and d.get("offset"):
        after = d.get("afterEvent")
        return (f"{after}后" if after else "") + duration_words(str(d["offset"]))
    if kind == "External":
        return source if 0 < len(source) <= 16 else "按规定时限"
    return source


def plan_short_name(title: str) -> str:
    """The title without region, period and genre word: 山西省水环境质量再提升2022—2023年行动计划 → 水环境质量再提升."""
    t = re.sub(r"\s+", "", title or "")
    t = re.sub(r"^关于(印发)?", "", t)
    t = re.sub(r"的(通知|意见)$", "", t)
    t = _PERIOD.sub("", t)
    t = _REGION.sub("", t)
    t = re.sub(r"^\d{4}年", "", t)
    short = _GENRE.sub("", t).strip("的")
    return short or t or title


#: How near a deadline must be to count as 即将到期 (days).
SOON_DAYS = 30
STATUS_ZH = {"overdue": "已逾期", "soon": "即将到期", "open": "未到期", "in_force": "已生效", "not_yet": "未生效",
             "undated": "无固定日期"}


def deadline_status(kind: str, when: date | str | None, as_of: date, soon_days: int = SOON_DAYS) -> str:
    """Where a deadline stands on ``as_of``: a By or During date passed is overdue, one within ``soon_days`` soon,
    a later one open; a From date is a start, not a deadline (in force, or not yet); the rest have no date."""
    kind = kind.rsplit("#", 1)[-1]
    if not when:
        return "undated"
    d = when if isinstance(when, date) else date.fromisoformat(str(when)[:10])
    if kind == "From":
        return "in_force" if d <= as_of else "not_yet"
    if d < as_of:
        return "overdue"
    return "soon" if (d - as_of).days <= soon_days else "open"


_PLAN_PERIOD = re.compile(r"(\d{4})\s*[—–\-－~至]+\s*(\d{4})\s*年|(\d{4})\s*年")


def plan_period(title: str) -> tuple[int, int] | None:
    """The years a plan's title gives it (…2022—2023年行动计划 → (2022, 2023); 潮州市2023年… → (2023, 2023))."""
    m = _PLAN_PERIOD.search(title or "")
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(3)), int(m.group(3)))
