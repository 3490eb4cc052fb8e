"""A corpus of N distinct documents made from the bundled one, for measuring and testing a base of many documents.

Copy ``k`` (0 is the original, unchanged) gets another document number (``〔2022〕95号`` → ``〔2022〕(95+k)号``, so its
own slug and named graph) and another period (``2022—2023`` → ``(2022+k)—(2023+k)``, so its plans get keys of their
own, ``water-2024-2025``). Every other word stays: the copies name the same agencies, places, indicators and cited
laws, which is what a base of many plans of one province looks like. Not a benchmark module (no ``run``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from plan_kb.base.resources import CORPUS

_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")
_PERIOD = re.compile(r"(\d{4})(\s*)—(\s*)(\d{4})")


def copy_text(text: str, k: int) -> str:
    """The text of copy ``k``: document numbers moved by ``k``, every ``YYYY—YYYY`` period moved by ``k`` years."""
    if k == 0:
        return text
    text = _NUMBER.sub(lambda m: f"〔{m.group(1)}〕{int(m.group(2)) + k}号", text)
    return _PERIOD.sub(lambda m: f"{int(m.group(1)) + k}{m.group(2)}—{m.group(3)}{int(m.group(4)) + k}", text)


def make_copies(n: int, dest: Path, source: Path = CORPUS) -> Path:
    """Write ``n`` copies of every ``*.txt`` of ``source`` into ``dest`` (``000-…`` is the original, first in the
    build's name order); returns ``dest``."""
    if n < 1:
        raise ValueError("n must be at least 1")
    dest.mkdir(parents=True, exist_ok=True)
    files = sorted(source.glob("*.txt"))
    for k in range(n):
        for f in files:
            (dest / f"{k:03d}-{f.name}").write_text(copy_text(f.read_text(encoding="utf-8"), k), encoding="utf-8")
    return dest


def first_of(copies: Path, k: int, dest: Path) -> Path:
    """A corpus in ``dest`` of the first ``k`` documents of ``copies`` (in name order, as a build reads them), the rest
    kept back to add later; returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(copies.glob("*.txt"))[:k]:
        shutil.copy(f, dest / f.name)
    return dest
