"""How a question's names stand to the asker and to each other (the linking of :mod:`understand`; the words are
data in ``extraction/ask.yaml``):

* the asker's own body: words about the asker (我是省水利厅的, 本人是省农业农村厅的。) name it, and 我们厅 / 本厅 / 我局
  point at it later (``own_self``, ``own_bodies``); 我们水利厅 is the name itself, no context to drop;
* an agency set apart from a who-answer: 除开我们水利厅, 住建厅以外, 除了水利厅之外 (``apart_words``, ``apart_after``);
* the agency a support word is held beside: 配合生态环境厅的, 给住建厅打下手的 — that agency leads the task
  (``beside_words``);
* a place whose name is said to be written: 点了忻州名字, 写了大同的名字 (``place_name_words``).

The functions take the folded question and spans; :mod:`understand` makes the mentions.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache

from plan_kb.answers.ask.text import config, fold


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(fold(w)) for w in words if w), key=len, reverse=True))


@lru_cache(maxsize=1)
def _own_ref() -> re.Pattern[str]:
    cfg = config()
    bodies = cfg.get("own_bodies") or {}
    groups = "".join(f"(?P<{kind}>{_alt(ws)})|" for kind, ws in bodies.items()).rstrip("|")
    who = _alt(list(cfg.get("own_prefixes") or ()) + list(cfg.get("own_self") or ()))
    # 我们厅长, 本市长: the head of the body, no body (off the genre)
    return re.compile(f"(?:{who})(?:{groups})(?!长)" if who and groups else "$^")


def own_refs(q: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of the places where the asker points at their own body (我们厅, 本厅, 我局: agency;
    我们市, 本县: place)."""
    out = []
    for m in _own_ref().finditer(q):
        kind = next(k for k, v in m.groupdict().items() if v)
        out.append((m.start(), m.end(), kind))
    return out


def own_name_follows(clause: str, names: Container[str], longest: int) -> bool:
    """Whether ``clause`` begins with one of ``own_prefixes`` right before a name of the graph (我们水利厅…, 咱们
    商务厅…, 俺们临汾…): the asker's own body named, which is a constraint, not words about the asker."""
    for p in sorted((fold(w) for w in config().get("own_prefixes") or ()), key=len, reverse=True):
        if clause.startswith(p):
            rest = clause[len(p):]
            rest = rest[1:] if rest.startswith("省") else rest
            return any(rest[:k] in names for k in range(2, min(len(rest), longest) + 1))
    return False


@lru_cache(maxsize=1)
def _apart_before() -> re.Pattern[str]:
    cfg = config()
    own = _alt(cfg.get("own_prefixes") or ())
    return re.compile(f"(?:{_alt(cfg.get('apart_words') or ('除了',))})(?:{own})?(?:省)?$")


def set_apart(q: str, start: int, end: int) -> bool:
    """Whether the agency at ``start:end`` is set apart (除开我们水利厅…, 住建厅以外…, 除了水利厅之外…)."""
    after = tuple(fold(w) for w in config().get("apart_after") or ())
    return bool(_apart_before().search(q[:start])) or (bool(after) and q[end:].startswith(after))


def beside(q: str, role_start: int, role_end: int, agencies: list[tuple[int, int]]) -> int | None:
    """The index in ``agencies`` (spans) of the agency a support word at ``role_start:role_end`` is held beside:
    right after it (配合生态环境厅的) or right before it after one of ``beside_words`` (给住建厅配合的); None."""
    words = tuple(fold(w) for w in config().get("beside_words") or ())
    for k, (s, e) in enumerate(agencies):
        if s == role_end or (s == role_end + 1 and q[role_end] == "省"):
            return k
        if e == role_start and words and q[:s].endswith(words):
            return k
    return None


def place_named(q: str, place_ends: list[int]) -> bool:
    """Whether a place's name is said to be written (点了忻州名字, 写了大同的名字): one of ``place_name_words``
    right after a place."""
    words = tuple(fold(w) for w in config().get("place_name_words") or ())
    return bool(words) and any(q[e:].startswith(words) for e in place_ends)
