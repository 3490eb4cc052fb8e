"""The words of role notes, from ``extraction/roles.yaml`` with their regular expressions compiled, and the small
helpers the role readers share (splitting outside brackets, trimming). Read by :mod:`plan_kb.reading.roles`,
:mod:`plan_kb.reading.role_names` and :mod:`plan_kb.reading.tables`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from plan_kb.base.resources import load_yaml

Known = Callable[[str], bool]


# --- the word lists --------------------------------------------------------------------------------------------

def _longest_first(words: list[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in _longest_first(words))


class _AnyOf:
    """Several patterns with the same named groups, matched in order (Python's re has no repeated group names)."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        self.patterns = patterns

    def match(self, text: str) -> re.Match[str] | None:
        return next((m for p in self.patterns if (m := p.match(text))), None)


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
        "role_object": re.compile(rf"^(?P<names>.+?)(?P<word>(?P<role>{_alt(y['role_object_words'])}))"
                                  rf"(?P<what>[\u4e00-\u9fff“”\"]{{2,24}})$", re.S),
        "note": _AnyOf([re.compile(x, re.S) for x in y["standing_note"]["patterns"]]),
        "part_seps": set(y["part_separators"]),
        "name_seps": set(y["name_separators"]),
        "conj": _longest_first(y["conjunctions"]),
        "list_end": re.compile(rf"(?:{_alt(y['list_ends'])}|等(?:{_alt(y.get('list_end_tail_words') or [])})+)$"),
        "opener": re.compile(rf"^(?:{_alt(y['openers'])})"),
        "suffixes": _longest_first(y["name_suffixes"]),
        "shared_suffixes": _longest_first(y["shared_suffixes"]),
        "shared_prefixes": _longest_first(y["shared_prefixes"]),
        "own_level": tuple(y["own_level_prefixes"]),
        "party_prefixes": tuple(y.get("party_prefixes", [])),
        "prefix_levels": dict(y.get("prefix_levels", {})),
        "party_body_endings": tuple(y.get("party_body_endings", [])),
        "distributive": tuple(y.get("distributive_prefixes") or ()),
        "sub_levels": tuple(y.get("sub_levels") or ()),
        "fillers": set(y["filler_parts"]),
        "opens": {a: b for a, b in y["brackets"]},
        "closes": {b: a for a, b in y["brackets"]},
        # "责任单位:", also a label in brackets of its own before its names: "【责任单位】市商务局、市财政局"
        "label_re": re.compile(rf"[【\[〔(]?(?P<label>{_alt([w for ws in y['labels'].values() for w in ws])})"
                               rf"(?:\s*:|[】\]〕)])"),
        "label_only": re.compile(rf"(?:{_alt([w for ws in y['labels'].values() for w in ws])})"),
        "role_or_label_re": re.compile(_alt(list(word_role) + [w for ws in y["labels"].values() for w in ws])),
        "label_role": {w: (None if role == "none" else role) for role, ws in y["labels"].items() for w in ws},
        "positional": re.compile(y["positional_rule"]),
        "positional_scope": tuple(y["positional_scope_words"]),
        "section_lead": re.compile(_alt(y["section_lead_words"])),
        "cell_sep": re.compile(y["table_cell_separator"]),
        "not_level": tuple(y["not_level_words"]),
        "level_chars": tuple(y["level_chars"]),
        "government_levels": tuple(y["level_chars"]) + tuple(y.get("distributive_prefixes") or ()),
        "no_prefix_endings": tuple(y["no_prefix_endings"]),
        "convening": y["convening"],
        "collective_marks": tuple(y["collective_marks"]),
        "convening_re": re.compile(_alt(y["convening"]["words"])),
        "other_name_starts": tuple(y["other_names"]["starts"]),
        "other_name_not_endings": tuple(y["other_names"]["not_endings"]),
        "other_label_re": re.compile(rf"^(?:{_alt(y['other_labels'] + y['person_labels'])})\s*:"),
        "person_label_re": re.compile(rf"(?:^|(?<=[\n;,(【\[〔]))\s*(?P<label>{_alt(y['person_labels'])})\s*:"),
        "same_as_re": re.compile(y["same_as"]["pattern"]),
    }


def _default_known() -> Known:
    from plan_kb.reading.agencies import registry

    return registry().knows


def _split(text: str, start: int, end: int, seps: set[str]) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` between separators outside brackets, trimmed of white space, none empty."""
    r = rules()
    out, depth, s = [], 0, start
    for i in range(start, end):
        c = text[i]
        if c in r["opens"] or c == "（":
            depth += 1
        elif c in r["closes"] or c == "）":
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
