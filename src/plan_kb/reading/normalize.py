"""Heal the marks that PDF extraction leaves in a plan's text, keeping a map back to the original offsets.

The rules are the ones of the reading conventions: page breaks inside sentences are joined, LaTeX leaks become
plain text, full-width punctuation becomes half-width, stray spaces between Chinese characters go, and an English
connective slipped into the Chinese is put back. What the reader is unsure of (a character repeated on both
sides of a page break) is reported as a doubt, never silently changed.

The substitutions that a domain expert may extend live in ``extraction/normalization.yaml``.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from plan_kb.base.resources import load_yaml

CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_CJK_CHAR = re.compile(f"[{CJK}]")


@dataclass(frozen=True)
class Doubt:
    """A spot the normaliser did not dare to change."""

    kind: str
    start: int  # offset in the normalised text
    original_start: int
    context: str
    message: str


@dataclass(frozen=True)
class Healing:
    """A change that was made, for the build report."""

    kind: str
    original_start: int
    original: str
    healed: str


@dataclass
class Normalized:
    """Normalised text with, for every character, the offset of the character of the original it came from."""

    text: str
    offsets: list[int]  # original offset where each normalised character starts
    ends: list[int]  # original offset just after the characters each normalised character stands for
    original_length: int
    doubts: list[Doubt] = field(default_factory=list)
    healings: list[Healing] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span ``[start, end)`` of the normalised span ``[start, end)``."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}..{end} is outside the text (length {len(self.text)})")
        if start == end:
            o = self.offsets[start] if start < len(self.offsets) else self.original_length
            return o, o
        return self.offsets[start], self.ends[end - 1]

    def segments(self) -> list[list[int]]:
        """The map as runs ``[normalised start, original start, length]`` where both advance together."""
        runs: list[list[int]] = []
        for i, o in enumerate(self.offsets):
            if runs and runs[-1][1] + runs[-1][2] == o and runs[-1][0] + runs[-1][2] == i:
                runs[-1][2] += 1
            else:
                runs.append([i, o, 1])
        return runs

    def map_json(self) -> str:
        wide = {i: e for i, (o, e) in enumerate(zip(self.offsets, self.ends, strict=True)) if e != o + 1}
        return json.dumps({"original_length": self.original_length, "segments": self.segments(),
                           "wide_characters": wide})


class _Text:
    """A string whose characters remember their original offsets; substitutions keep the map."""

    def __init__(self, chars: str, offsets: list[int]):
        self.chars = chars
        self.offsets = offsets
        self.ends = [o + 1 for o in offsets]

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], Sequence[str | int]],
            on_change: Callable[[re.Match[str], str], None] | None = None) -> None:
        """Replace matches; ``repl`` returns pieces: a str is new text (mapped to the match start), an int copies
        that group with its own offsets."""
        out: list[str] = []
        offs: list[int] = []
        ends: list[int] = []
        pos = 0
        for m in pattern.finditer(self.chars):
            out.append(self.chars[pos:m.start()])
            offs.extend(self.offsets[pos:m.start()])
            ends.extend(self.ends[pos:m.start()])
            new = []
            for piece in repl(m):
                if isinstance(piece, int):
                    a, b = m.span(piece)
                    out.append(self.chars[a:b])
                    offs.extend(self.offsets[a:b])
                    ends.extend(self.ends[a:b])
                    new.append(self.chars[a:b])
                else:
                    out.append(piece)
                    anchor = self.offsets[m.start()] if m.start() < len(self.offsets) else self.offsets[-1]
                    offs.extend([anchor] * len(piece))
                    ends.extend([self.ends[m.end() - 1] if m.end() > m.start() else anchor + 1] * len(piece))
                    new.append(piece)
            if on_change is not None:
                on_change(m, "".join(new))
            pos = m.end()
        out.append(self.chars[pos:])
        offs.extend(self.offsets[pos:])
        ends.extend(self.ends[pos:])
        self.chars = "".join(out)
        self.offsets = offs
        self.ends = ends


@lru_cache(maxsize=1)
def _rules() -> dict:
    rules = dict(load_yaml("normalization.yaml"))
    structure = load_yaml("structure.yaml")
    endings = sorted([*rules["standalone_endings"], *structure["genre_words"]], key=len, reverse=True)
    tail = structure["title_tail"]
    from plan_kb.reading.titles import metadata_line_re

    rules["standalone_line_patterns"] = [f"(?:{'|'.join(map(re.escape, endings))}){tail}$", metadata_line_re(),
                                         *rules["standalone_line_patterns"]]
    # a line of roles naming tasks by ordinal ("第二项、第三项　省教育厅牵头,…": structure.yaml's ``task_refs``)
    refs = [f"^(?:{form})" for form in structure["task_refs"]["forms"]]
    rules["structure_start_patterns"] = [metadata_line_re(), *refs, *rules["structure_start_patterns"]]
    return rules


def _is_standalone_line(para: str, rules: dict) -> bool:
    """A short line without sentence punctuation that stands on its own: a header, title, signature or date."""
    if para.count("《") > para.count("》"):
        return False  # a cited title cut by a page break always runs on
    if any(re.search(p, para) for p in rules["standalone_line_patterns"] + rules.get("whole_line_patterns", [])):
        return True
    # a heading: short, no full stop
    return len(para) <= 40 and "。" not in para and any(re.match(p, para) for p in rules["heading_patterns"])


def _starts_structure(para: str, rules: dict) -> bool:
    return any(re.match(p, para) for p in rules["heading_patterns"] + rules["structure_start_patterns"])


def _ends_sentence(para: str, rules: dict) -> bool:
    return para[-1] in rules["sentence_end"]


def normalize(original: str) -> Normalized:
    """Normalise one document's text. Paragraphs are separated by a single newline in the result."""
    rules = _rules()
    t = _Text(original, list(range(len(original))))
    healings: list[Healing] = []

    def note(kind: str) -> Callable[[re.Match[str], str], None]:
        return lambda m, new: healings.append(Healing(kind, t.offsets[m.start()], m.group(0), new))

    # LaTeX leaks: $…$ delimiters, \text{…}, ^3 / ^{3}, _{2.5}
    t.sub(re.compile(r"\$([^$\n]{1,120}?)\$"), lambda m: [1])
    sup = rules["superscripts"]
    t.sub(re.compile(r"\^\{?([0-9])\}?"), lambda m: [sup.get(m.group(1), m.group(1))])
    t.sub(re.compile(r"\\(?:text|mathrm|rm)\{([^{}]*)\}"), lambda m: [1])
    t.sub(re.compile(r"_\{([^{}]*)\}"), lambda m: [1], note("latex"))
    t.sub(re.compile(r"\\(?:,|;|quad|!)"), lambda m: [])
    # full-width to half-width punctuation, one for one
    table = rules["punctuation"]
    t.sub(re.compile("[" + re.escape("".join(table)) + "]"), lambda m: [table[m.group(0)]])
    pages = "|".join(f"(?:{p})" for p in rules.get("page_number_lines", []))
    if pages:  # a page number on a line of its own ("— 5 —"): the page's foot, not the text
        t.sub(re.compile(rf"(?m)^[ \t\u3000\u00a0]*(?:{pages})[ \t\u3000\u00a0]*(?:\r?\n|$)"), lambda m: [],
              note("page-number"))
    _markdown_rows(t, rules["markdown_table"], note)
    _table_rows(t, rules["table_rows"], healings)
    # an English connective slipped between Chinese words
    for word, zh in rules["slipped_words"].items():
        pat = re.compile(rf"(?<=[{CJK}])\s*\b{re.escape(word)}\b\s*(?=[{CJK}])")
        t.sub(pat, lambda m, zh=zh: [zh], note("slipped-word"))

    # paragraphs: split at blank lines and line wraps, then decide to join or keep
    t.sub(re.compile(r"[ \t\u3000\u00a0]*\r?\n[ \t\u3000\u00a0\r\n]*"), lambda m: ["\n"])
    t.sub(re.compile(r"^\n+|\n+$"), lambda m: [])
    doubts: list[Doubt] = []
    paras = t.chars.split("\n")
    joined_breaks: set[int] = set()  # index in t.chars of newlines to drop
    pos = 0
    for a, b in itertools.pairwise(paras):
        nl = pos + len(a)
        pos = nl + 1
        if not a or not b:
            continue
        if any(re.fullmatch(p, a) for p in rules["label_only_lines"]) and not _starts_structure(b, rules):
            joined_breaks.add(nl)  # "牵头单位:" on a line of its own, its names on the next
            continue
        if _ends_sentence(a, rules) or _starts_structure(b, rules) or _is_standalone_line(a, rules):
            continue
        joined_breaks.add(nl)
    t.sub(re.compile(r"\n"), lambda m: [] if m.start() in joined_breaks else ["\n"])

    # spaces: dropped unless they separate two ASCII letters or digits
    t.sub(re.compile(r"[ \t\u3000\u00a0]+"),
          lambda m: [" "] if _ascii_word_gap(t.chars, m.start(), m.end()) else [])

    normalized = Normalized(t.chars, t.offsets, t.ends, len(original), doubts, healings)
    # doubts: a character repeated across a joined page break
    for nl_original in _joined_original_breaks(original, normalized):
        i = bisect.bisect_left(normalized.offsets, nl_original)
        if 0 < i < len(t.chars):
            before, after = t.chars[i - 1], t.chars[i]
            if before == after and _CJK_CHAR.match(before):
                doubts.append(Doubt("repeated-across-page-break", i, normalized.offsets[i],
                                    t.chars[max(0, i - 8): i + 8],
                                    f"「{before}」 stands on both sides of a page break; one may be a duplicate"))
    return normalized


def _markdown_rows(t: _Text, conf: dict, note: Callable[[str], Callable[[re.Match[str], str], None]]) -> None:
    """A table written with bars at both ends ("| 1 | 推进… | 市卫健委 |", as web pages and converters write it) reads
    like one written with bars between its cells: the outer bars go, and the line of dashes under the header."""
    t.sub(re.compile(conf["separator"], re.M), lambda m: [], note("table-rule"))
    t.sub(re.compile(conf["row"], re.M), lambda m: [1])


def _table_rows(t: _Text, conf: dict, healings: list[Healing]) -> None:
    """The cells of a table row separated by tabs or runs of spaces: the separators become "|" (``table_rows``)."""
    sep, first = re.compile(conf["separator"]), re.compile(conf["first_cell"])
    marked: set[int] = set()
    pos = 0
    for line in t.chars.split("\n"):
        body = line.strip(" \t\u3000\u00a0\r")
        seps = list(sep.finditer(line))
        cells = sep.split(body)
        if len(seps) + 1 >= conf["min_cells"] and (first.match(cells[0]) or _is_header(cells)):
            marked.update(pos + m.start() for m in seps)
            healings.append(Healing("table-row", t.offsets[pos] if pos < len(t.offsets) else pos, line[:40],
                                    sep.sub("|", line)[:40]))
        pos += len(line) + 1
    if marked:
        t.sub(sep, lambda m: ["|"] if m.start() in marked else [0])


def _is_header(cells: list[str]) -> bool:
    from plan_kb.reading.tables import is_header  # the column words are the structure reader's

    return is_header(cells)


def _ascii_word_gap(s: str, a: int, b: int) -> bool:
    return a > 0 and b < len(s) and s[a - 1].isascii() and s[a - 1].isalnum() and s[b].isascii() and s[b].isalnum()


def _joined_original_breaks(original: str, n: Normalized) -> list[int]:
    """Original offsets of line breaks that the normaliser joined (no newline kept in the normalised text)."""
    kept = {n.offsets[i] for i, c in enumerate(n.text) if c == "\n"}
    out = []
    for m in re.finditer(r"\n[\s]*", original):
        if m.start() not in kept and m.start() > 0 and m.end() < len(original):
            out.append(m.end())
    return out


def loose(s: str) -> str:
    """A comparison form used to check that a normalised span and its original span say the same words."""
    rules = _rules()
    s = re.sub(r"\^\{?([0-9])\}?", lambda m: rules["superscripts"].get(m.group(1), m.group(1)), s)
    s = re.sub(r"\\(?:text|mathrm|rm)\{|_\{|[{}$]", "", s)
    for k, v in rules["punctuation"].items():
        s = s.replace(k, v)
    for word, zh in rules["slipped_words"].items():
        s = re.sub(rf"\s*\b{re.escape(word)}\b\s*", zh, s)
    return re.sub(r"\s+", "", s)
