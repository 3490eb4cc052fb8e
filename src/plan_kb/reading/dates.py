"""A day as people type it where a date is asked for (``--by``, ``as_of``, ``due_before``, a named query's date):
``2023-06-30``, ``2023/6/30``, ``2023.6.30``, ``20230630``, ``2023年6月30日`` (or 号), ``二〇二三年六月三十日``,
``23年6月30日``, and the coarser ``2023年6月`` / ``2023年6月底`` / ``2023年底`` / ``2023年`` / ``2023-06``, which mean
the last day of that month or year where a window ends (``end=True``) and the first where it starts."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = re.compile(r"[〇零一二两三四五六七八九十]+")
_FORMS = [
    re.compile(r"(?P<y>\d{4}|\d{2})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<y>\d{4}|\d{2})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]?|(?P<mend>底|末))?|(?P<yend>底|末))?"),
]


def _numerals(s: str) -> str:
    """二〇二三 → 2023, 三十 → 30, 十二 → 12 (the numerals of a written date)."""
    def one(m: re.Match[str]) -> str:
        w = m.group(0)
        if "十" not in w:
            return "".join(str(_DIGITS[c]) for c in w)
        tens, _, units = w.partition("十")
        return str((_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0))
    return _NUMERAL.sub(one, s)


def typed_date(text: str, *, end: bool = True) -> date:
    """The day ``text`` names; ``ValueError`` with what is accepted when it names none."""
    s = _numerals(re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))))
    s = re.sub(r"(前|以前|之前|为止|止)$", "", s)
    for form in _FORMS:
        m = form.fullmatch(s)
        if not m:
            continue
        parts = m.groupdict()
        year = int(parts["y"]) + (2000 if len(parts["y"]) == 2 else 0)
        closing = end or bool(parts.get("yend") or parts.get("mend"))  # 年底 / 月底 name the last day either way
        month = int(parts["m"]) if parts.get("m") else (12 if closing else 1)
        if not 1 <= month <= 12:
            break
        last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
        day = int(parts["d"]) if parts.get("d") else (last if closing else 1)
        try:
            return date(year, month, day)
        except ValueError:
            break
    raise ValueError(f"'{text}' is not a date (2023-06-30, 2023年6月30日, 2023.6.30, 2023年6月底 or 2023年底)")
