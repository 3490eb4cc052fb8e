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
from decimal import Decimal

from plan_kb.reading.model import Block
from plan_kb.reading.quantities import Quantity, Unit, _mask, load_yaml, read_quantities, unit_forms

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


#: A target table's header of year columns ("指标名称 2024年 2025年 2026年"), and its rows: an indicator with its unit
#: in brackets and one value per year ("中医药产业总产值(亿元) 180 210 250").
_YEAR_COLUMNS = re.compile(r"(?:\d{4}年\s*){2,}")
_ROW = re.compile(r"(?P<name>[\u4e00-\u9fff][^()\d|]*?)\((?P<unit>[^()]{1,8})\)(?P<values>(?:\s*\d+(?:\.\d+)?)+)")


def _table_unit(written: str) -> tuple[Unit, int] | None:
    """The unit of a table row as its bracket writes it (亿元, %, 个), with the multiplier in front of it."""
    mults = {k: int(v) for k, v in load_yaml("units.yaml")["multipliers"].items()}
    by_form = dict(unit_forms())
    if written in by_form:
        return by_form[written], 1
    for m, factor in sorted(mults.items(), key=lambda mf: -len(mf[0])):
        if written.startswith(m) and written[len(m):] in by_form:
            return by_form[written[len(m):]], factor
    return None


def _table_goals(block: Block) -> tuple[list[GoalReading], int] | None:
    """The goals of a target table written in a goals section (表1 分年度主要指标): one goal per row and year column,
    each with the row as its text and the value's own span; rows whose unit no one listed are left. Returns the
    goals and where the table starts in the block, or None when the block holds no table."""
    text = block.text
    header = _YEAR_COLUMNS.search(text)
    if header is None:
        return None
    years = [int(y) for y in re.findall(r"(\d{4})年", header.group(0))]
    out: list[GoalReading] = []
    for row in _ROW.finditer(text, header.end()):
        unit = _table_unit(row.group("unit").strip())
        cells = list(re.finditer(r"\d+(?:\.\d+)?", row.group("values")))
        if unit is None or len(cells) != len(years):
            continue
        name = row.group("name").strip()
        for year, cell in zip(years, cells, strict=True):
            at = row.start("values") + cell.start()
            value = Decimal(cell.group(0)) * unit[1]
            if value == value.to_integral_value():
                value = value.quantize(Decimal(1))
            q = Quantity("=", value, unit[0], row.start(), at + len(cell.group(0)), at,
                         cell.group(0) + row.group("unit"), indicator=name, year=year)
            out.append(GoalReading(text[row.start():row.end()].strip(), block.start + row.start(),
                                   block.start + row.end(), year, q))
    return (out, header.start()) if out else None


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
        table = _table_goals(block)
        if table is not None:
            out.extend(table[0])
            if not text[:table[1]].strip(" 。"):
                continue
            text = text[:table[1]]  # the words before the table ("表1 分年度主要指标" is its caption, no goal)
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
