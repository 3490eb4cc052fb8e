"""Roles written inside an item's sentences, for an item with no role note (工作要点 often write them so):
"此项工作由县住建局牵头,县自然资源局配合。", "…,由县司法局牵头,县市监局按职责分工负责。", "县人社局要按年度发布…",
"县市监局要会同县公安局、县税务局做好…". A 由 clause is read like a note (its role words decide); the subject of a
clause whose verb follows 要 (or 负责, 牵头) answers for the task, and the bodies it works 会同 (together with)
support it. The words are data in ``extraction/roles.yaml`` (``sentence_roles``). Pure: text in, a reading with
spans out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from plan_kb.reading.role_names import _is_whole, read_names
from plan_kb.reading.role_words import Known, _default_known, rules
from plan_kb.reading.roles import RoleContext, RoleMention, RoleReading, _read_note


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    conf = rules()["sentence_roles"]
    alt = "|".join(map(re.escape, sorted(conf["by_openers"], key=len, reverse=True)))
    return {
        "by": re.compile(rf"(?:^|(?<=[。;,:\n]))(?:{alt})?由(?=[\u4e00-\u9fff])"),
        "must": re.compile("|".join(map(re.escape, sorted(conf["subject_verbs"], key=len, reverse=True)))),
        "with": re.compile("|".join(map(re.escape, conf["together_words"]))),
    }


def sentence_roles(text: str, offset: int = 0, known: Known | None = None,
                   context: RoleContext | None = None) -> RoleReading:
    """The roles the sentences of ``text`` (an item's text) state; spans are ``offset`` + positions in ``text``."""
    known = known or _default_known()
    pats = _patterns()
    reading = RoleReading()
    taken: list[tuple[int, int]] = []
    for m in pats["by"].finditer(text):
        a = m.end()
        b = _clause_end(text, a, ends="。;\n")
        got = _read_note(text, a, b, "bracket", offset, known, context or RoleContext())
        if got and got[0]:
            reading.mentions += got[0]
            reading.spans.append((a + offset, b + offset))
            reading.how.append("sentence: 由…")
            taken.append((m.start(), b))
    for s in _clause_starts(text):
        if any(a <= s < b for a, b in taken):
            continue
        end = _clause_end(text, s, ends="。;,\n")
        verb = pats["must"].search(text, s, end)
        if verb is None:
            continue
        subjects = _names(text, s, verb.start(), known)
        if not subjects:
            continue
        word = text[verb.start():verb.end()]
        role = rules()["sentence_roles"]["subject_verbs"][word]
        reading.mentions += [RoleMention(role, n.name, n.start + offset, n.end + offset, word,
                                         n.shifted(offset).other) for n in subjects]
        partner = pats["with"].match(text, verb.end())
        if partner:
            reading.mentions += [RoleMention("support", n.name, n.start + offset, n.end + offset, partner.group(0),
                                             n.shifted(offset).other)
                                 for n in _leading_names(text, partner.end(), end, known)]
        reading.spans.append((s + offset, end + offset))
        reading.how.append(f"sentence: X{word}…")
    if reading.spans:
        reading.span = reading.spans[0]
    return reading


def _clause_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` starts (after 。 or ; or a line break), the item's number and title skipped."""
    out = []
    for m in re.finditer(r"(?:^|[。;\n])\s*", text):
        if m.end() < len(text):
            out.append(m.end())
    return out[1:] if out and re.match(r"\d{1,3}\s*[.、]|\(\d{1,3}\)|[(〔【][一二三四五六七八九十]{1,3}[)〕】]",
                                       text[out[0]:]) else out


def _clause_end(text: str, a: int, ends: str) -> int:
    b = a
    while b < len(text) and text[b] not in ends:
        b += 1
    return b


def _names(text: str, a: int, b: int, known: Known):
    """The names of ``text[a:b]`` when the whole span is a list of whole agency names, else []."""
    if b - a < 3:
        return []
    names = read_names(text, a, b, known)
    if not names or not all(_is_whole(n.name, known) for n in names):
        return []
    covered = sum(len(text[n.start:n.end]) for n in names)
    seps = len(re.findall(r"[、和及与,]", text[a:b]))
    return names if covered + seps >= (b - a) - 1 else []


def _leading_names(text: str, a: int, b: int, known: Known):
    """The longest list of whole names that ``text[a:b]`` begins with ("县公安局、县税务局做好数据共享" → two)."""
    for e in range(b, a + 2, -1):
        if text[e - 1] in "、,和及与":
            continue
        names = _names(text, a, e, known)
        if names:
            return names
    return []
