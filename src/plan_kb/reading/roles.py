"""Who acts on an item: the closing parenthetical of a task or measure, read as conventions.md "Roles" says.

    (省生态环境厅牵头,省水利厅、省财政厅配合,各市人民政府负责。以下各项任务和专项行动均需各市人民政府负责,不再列出)

The parenthetical is split into parts at , ; 。; a part ends with its role word (牵头 lead, 配合 support, 负责 /
负责落实 responsible, 督促指导 guide, optionally after 按职责分工 / 加强); a part without a role word takes the role of
the next part ("省交通厅,中国铁路…等相关单位按职责分工负责"). The names of a part are split at 、 and at 和 / 及
only where both sides are whole names; 等 / 等相关部门 end a list; a prefix or suffix the list shares is expanded.
A part "以下…均需X负责,不再列出" is a standing note.

Pure: text in, names with their spans out. The words are data in ``extraction/roles.yaml``; which names are whole
names comes from the agency registry (``extraction/agencies.yaml``) and, for names nobody registered, from the
endings an agency name has.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from plan_kb.base.resources import load_yaml

Known = Callable[[str], bool]


@dataclass(frozen=True)
class NameMention:
    """One agency name; ``start``/``end`` is the name as written (``北京局``), ``name`` the name it stands for
    after a shared prefix or suffix is expanded (``中国铁路北京局集团有限公司``)."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class RoleMention:
    role: str  # lead | support | responsible | guide
    name: str
    start: int  # the name as written
    end: int
    word: str  # the role words as written: 牵头, 按职责分工负责, 加强督促指导 …


@dataclass(frozen=True)
class StandingNote:
    """``以下…均需各市人民政府负责,不再列出``: ``actors`` answer for every later task of the plan."""

    role: str
    actors: tuple[NameMention, ...]
    scope: str  # what the note says it covers: 各项任务和专项行动
    start: int  # the note, from 以下 to the end of its part
    end: int


@dataclass
class RoleReading:
    span: tuple[int, int] | None = None  # the inside of the closing parenthetical
    mentions: list[RoleMention] = field(default_factory=list)
    notes: list[StandingNote] = field(default_factory=list)
    doubts: list[tuple[str, int, int]] = field(default_factory=list)  # (message, start, end)


# --- the word lists --------------------------------------------------------------------------------------------

def _longest_first(words: list[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in _longest_first(words))


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """``extraction/roles.yaml`` with its regular expressions compiled."""
    y = load_yaml("roles.yaml")
    word_role = {w: role for role, spec in y["roles"].items() for w in spec["words"]}
    mods = _alt(y["modifiers"])
    return {
        **y,
        "word_role": word_role,
        "role_part": re.compile(rf"^(?P<names>.*?)(?P<word>(?:{mods})*(?P<role>{_alt(list(word_role))}))$", re.S),
        "note": re.compile(y["standing_note"]["pattern"], re.S),
        "part_seps": set(y["part_separators"]),
        "name_seps": set(y["name_separators"]),
        "conj": _longest_first(y["conjunctions"]),
        "list_end": re.compile(rf"(?:{_alt(y['list_ends'])}|等(?:{_alt(y.get('list_end_tail_words') or [])})+)$"),
        "opener": re.compile(rf"^(?:{_alt(y['openers'])})"),
        "suffixes": _longest_first(y["name_suffixes"]),
        "shared_suffixes": _longest_first(y["shared_suffixes"]),
        "shared_prefixes": _longest_first(y["shared_prefixes"]),
        "own_level": tuple(y["own_level_prefixes"]),
        "distributive": tuple(y.get("distributive_prefixes") or ()),
        "sub_levels": tuple(y.get("sub_levels") or ()),
        "fillers": set(y["filler_parts"]),
    }


def _default_known() -> Known:
    from plan_kb.reading.agencies import registry

    return registry().knows


# --- the parenthetical and its parts ----------------------------------------------------------------------------

def closing_parenthetical(text: str) -> tuple[int, int] | None:
    """The inside ``(start, end)`` of the parenthetical that closes ``text`` (after trailing spaces and 。), or None.
    It may stand in a paragraph of its own; brackets inside it are balanced."""
    end = len(text.rstrip(" \t\r\n。"))
    if end == 0 or text[end - 1] not in ")）":
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        c = text[i]
        if c in ")）":
            depth += 1
        elif c in "(（":
            depth -= 1
            if depth == 0:
                return i + 1, end - 1
    return None


def _split(text: str, start: int, end: int, seps: set[str]) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` between separators outside brackets, trimmed of white space, none empty."""
    out, depth, s = [], 0, start
    for i in range(start, end):
        c = text[i]
        if c in "(（":
            depth += 1
        elif c in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and c in seps:
            out.append((s, i))
            s = i + 1
    out.append((s, end))
    return [t for t in (_trim(text, a, b) for a, b in out) if t[0] < t[1]]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _clean(s: str) -> str:
    return re.sub(r"\s+", "", s)


# --- names -----------------------------------------------------------------------------------------------------

def _is_whole(name: str, known: Known) -> bool:
    return known(name) or any(name.endswith(s) for s in rules()["suffixes"])


def _conj_split(text: str, a: int, b: int, known: Known) -> list[tuple[int, int]]:
    """Split one 、-token at 和 / 及 where both sides are whole names (省粮食和储备局 stays whole)."""
    token = _clean(text[a:b])
    if known(token):
        return [(a, b)]
    for i in range(a + 1, b - 1):
        for conj in rules()["conj"]:
            if text.startswith(conj, i) and i + len(conj) < b:
                left, right = _trim(text, a, i), _trim(text, i + len(conj), b)
                if _is_whole(_clean(text[left[0]:left[1]]), known) and _is_whole(
                        _clean(text[right[0]:right[1]]), known):
                    return [left, *_conj_split(text, right[0], right[1], known)]
                break
    return [(a, b)]


def _expand(group: list[list[Any]], known: Known) -> None:
    """Expand the suffix and the prefix a list shares, in place; each element is [name, start, end]."""
    r = rules()
    if len(group) < 2:
        return
    last = group[-1][0]
    suffix = next((s for s in r["shared_suffixes"] if last.endswith(s) and len(last) > len(s)), None)
    if suffix:
        core = last[: -len(suffix)]
        for el in group[:-1]:
            t = el[0]
            if t.endswith(suffix):
                continue
            if known(t + suffix):
                el[0] = t + suffix
            elif known(t):
                continue
            elif not any(t.endswith(s) for s in r["suffixes"]) or t[-1] == core[-1]:
                el[0] = t + suffix
    first = group[0][0]
    prefix = next((p for p in r["shared_prefixes"] if first.startswith(p) and len(first) > len(p)), None)
    if prefix:
        for el in group[1:]:
            t = el[0]
            if t.startswith(prefix):
                continue
            if known(prefix + t):
                el[0] = prefix + t
            elif known(t):
                continue
            elif not t.startswith(r["own_level"]) or (
                    prefix in r["distributive"] and t.startswith(r["sub_levels"])):
                el[0] = prefix + t


def read_names(text: str, start: int, end: int, known: Known | None = None) -> list[NameMention]:
    """The agency names in ``text[start:end]`` (a list such as ``省生态环境厅、省水利厅等相关部门``)."""
    r = rules()
    known = known or _default_known()
    a, b = _trim(text, start, end)
    m = r["opener"].match(text, a, b)
    if m:
        a = m.end()
    m = r["list_end"].search(text[a:b])
    if m and m.start() > 0:
        b = a + m.start()
    groups: list[list[list[Any]]] = [[]]
    for ta, tb in _split(text, a, b, r["name_seps"]):
        pieces = _conj_split(text, ta, tb, known)
        for k, (pa, pb) in enumerate(pieces):
            if k > 0:
                groups.append([])
            name = _clean(text[pa:pb])
            if name:
                groups[-1].append([name, pa, pb])
    out = []
    for g in groups:
        _expand(g, known)
        out += [NameMention(n, s, e) for n, s, e in g]
    return out


# --- the whole reading ------------------------------------------------------------------------------------------

def read_roles(text: str, offset: int = 0, known: Known | None = None) -> RoleReading:
    """The roles the closing parenthetical of an item gives; spans are ``offset`` + positions in ``text``."""
    r = rules()
    known = known or _default_known()
    inside = closing_parenthetical(text)
    if inside is None:
        return RoleReading()
    reading = RoleReading(span=(inside[0] + offset, inside[1] + offset))
    pending: list[NameMention] = []
    found = False
    for a, b in _split(text, inside[0], inside[1], r["part_seps"]):
        part = text[a:b]
        note = r["note"].match(part)
        if note:
            actors = read_names(text, a + note.start("actor"), a + note.end("actor"), known)
            reading.notes.append(StandingNote(
                r["standing_note"]["role"], tuple(_shift(n, offset) for n in actors), _clean(note.group("scope")),
                a + offset, b + offset))
            found = True
            continue
        if _clean(part) in r["fillers"]:
            continue
        m = r["role_part"].match(part)
        if not m or not m.group("names").strip():
            names = read_names(text, a, b, known)
            if all(_is_whole(n.name, known) for n in names):
                pending += names
            else:
                reading.doubts.append((f"not a list of agencies: {part}", a + offset, b + offset))
            continue
        found = True
        role = r["word_role"][m.group("role")]
        names = pending + read_names(text, a, a + m.start("word"), known)
        pending = []
        for n in names:
            reading.mentions.append(RoleMention(role, n.name, n.start + offset, n.end + offset, m.group("word")))
    if not found:
        return RoleReading()
    for n in pending:
        reading.doubts.append((f"no role word after {n.name}", n.start + offset, n.end + offset))
    return reading


def _shift(n: NameMention, offset: int) -> NameMention:
    return NameMention(n.name, n.start + offset, n.end + offset)
