"""Read the goals of a plan from its 主要目标 / 工作目标 paragraphs.

A goal is one target: every value of a clause is a goal of its own ("2022年、2023年…分别达到72.3%、76.6%" is two,
one per year), and a clause that states an outcome without a number ("劣Ⅴ类水质断面全部消除", a city leaving the
bottom-10 ranking) is a qualitative goal with no value. A clause that only says when ("2022年底前,") belongs to the
clause after it; a sub-heading ("(一)约束性指标。") and a sentence without a target word only organise the goals.
The year is the one the text gives: the year a 分别 list pairs with the value, else the year that heads a clause of
the sentence (the first of a year list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plan_kb.reading.model import Block
from plan_kb.reading.quantities import Quantity, _mask, load_yaml, read_quantities

_SUBHEADING = re.compile(r"^[(（〔【][一二三四五六七八九十]{1,3}[)）〕】][^,;。，；]{0,16}。")
#: A heading on a line of its own ("(一)空气质量改善目标"): it names the goals that follow, it is not one.
_HEADING_LINE = re.compile(r"^\s*(?:[(（〔【][一二三四五六七八九十]{1,3}[)）〕】]|[一二三四五六七八九十]{1,3}、)"
                           r"[^,;。，；:：]{0,20}$")
_TIME_ONLY = re.compile(r"^(?:力争)?(?:到|自|在|于|截至)?\d{4}年(?:[、和及]\d{4}年)*"
                        r"(?:\d{1,2}月)?(?:底前|底|前|起|内)?$|^其中$")
_YEAR_AT = re.compile(r"^(?:力争)?(?:到|自|在|于|截至)?(\d{4})年")


@dataclass
class GoalReading:
    text: str  # the clause (with the time clause before it, if any)
    start: int  # offsets in the document's normalised text
    end: int
    year: int | None = None
    quantity: Quantity | None = None  # None for a qualitative goal


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of one sentence, split at , and ; outside brackets, quotes and titles."""
    masked = _mask(text)
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(masked):
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
        elif ch in ",;" and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"。|\n", text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip("。\n ")]


def _classes_noun(text: str, end: int) -> bool:
    """The words right after a value go on ("超过5亿元的企业", "70岁及以上老年人"): it sizes a noun, it is no target."""
    return end < len(text) and "\u4e00" <= text[end] <= "\u9fff"


_TITLE_YEAR = re.compile(r"(\d{4})(?=年|[—–\-~～至到]\d{4}年)")


def plan_year(title: str | None) -> int | None:
    """The last year a plan's title names ("…2025年防汛抗旱工作方案", "…(2024—2026年)"): the year of a goal that
    names none."""
    years = [int(y) for y in _TITLE_YEAR.findall(title or "")]
    return max(years) if years else None


def read_goals(blocks: list[Block], default_year: int | None = None) -> list[GoalReading]:
    """Every goal of the paragraphs, in order; offsets are those of the document. A goal whose sentence names no
    year has the year an earlier sentence of its paragraph named ("2024年,…达到100%。右江干流…不高于0.1毫克/升"),
    else ``default_year`` (the plan's last year, :func:`plan_year`)."""
    conf = load_yaml("comparators.yaml")
    words = conf["goal_words"]
    shortest = int(conf.get("goal_min_length", 1))
    goal_label = re.compile(load_yaml("structure.yaml")["goal_label_pattern"])
    out: list[GoalReading] = []
    for block in blocks:
        text = block.text
        if _HEADING_LINE.match(text):
            continue
        sub = _SUBHEADING.match(text) or goal_label.match(text)  # "(一)约束性指标。", "主要目标:" name the goals
        carried = default_year  # the year of the paragraph so far
        for s0, e0 in _sentences(text):
            if sub and s0 < sub.end():
                s0 = sub.end()
                if s0 >= e0:
                    continue
            sentence = text[s0:e0].rstrip("。\n")
            quantities = read_quantities(sentence)
            year: int | None = None
            before = carried
            pending: int | None = None  # start of a time clause waiting for its clause
            for cs, ce in _clauses(sentence):
                clause = sentence[cs:ce].strip()
                lead = _YEAR_AT.match(clause)
                if lead:
                    year = int(lead.group(1))
                if _TIME_ONLY.match(clause):
                    pending = cs if pending is None else pending
                    continue
                start = pending if pending is not None else cs
                pending = None
                span = (block.start + s0 + start, block.start + s0 + ce)
                label = sentence[start:ce].strip()
                mine = [q for q in quantities if cs <= q.number_start < ce]
                if len(mine) > 1:  # "70岁及以上老年人…达到75%": a value that classes the subject scopes the goal
                    mine = [q for q in mine if not _classes_noun(sentence, q.end)] or mine
                if mine:
                    for q in mine:
                        out.append(GoalReading(label, *span, q.year or year or before, q))
                elif any(w in clause for w in words) and len(clause) >= shortest:
                    out.append(GoalReading(label, *span, year or before))  # "达标" alone is a fragment, not a goal
            carried = year or before
    return out
