"""Short names a document defines for its agencies: "区城市管理委员会(以下简称“区城管委”)", "市发展和改革委员会(简称
市发改委)". A name written later in the short form is that agency (its label as written kept). The form is data in
``extraction/roles.yaml`` (``abbreviation``). Pure: a document's text in, short name → (full name, start, end) out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from plan_kb.reading.role_names import _is_whole
from plan_kb.reading.role_words import Known, _default_known, rules


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile(rules()["abbreviation"])


def abbreviations(text: str, known: Known | None = None) -> dict[str, tuple[str, int, int]]:
    """The short names ``text`` defines for agencies, each with the full name and its span."""
    known = known or _default_known()
    r = rules()
    out: dict[str, tuple[str, int, int]] = {}
    for m in _pattern().finditer(text):
        short, a = m.group("short"), m.start()
        for i in range(max(0, a - 30), a):  # the longest agency name right before the bracket
            full = text[i:a]
            if re.search(r"[^\u4e00-\u9fff()]", full) or not _is_whole(full, known):
                continue
            if known(full) or full.startswith(r["other_name_starts"]):
                out.setdefault(short, (full, i, a))
                break
    return out
