"""Task tables (任务分工表): a header row names the columns ("序号|工作任务|牵头单位|配合单位|完成时限"), each later row
is one task, and each cell is read by its column: the names of the 牵头单位 column lead, those of 配合单位 support,
those of 责任单位 answer for the task (role words inside a cell still decide). Rows whose cells were separated by tabs
or runs of spaces read the same, as normalisation turns those separators into "|".

Also the standing paragraph that often stands before such a table ("各县(市、区)人民政府…负责本辖区各项任务的组织实施,
下表不再列出"): its actors answer for every task of the plan.

The column words are data in ``extraction/structure.yaml`` (``table_columns``) and, for the role columns, the labels of
``extraction/roles.yaml``. Pure: text in, readings with spans out.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache

from plan_kb.base.resources import load_yaml
from plan_kb.reading.deadlines import Deadline, _with_clause, read_deadlines
from plan_kb.reading.model import Block, Document, Item, Plan, ReadingDoubt
from plan_kb.reading.role_names import read_names
from plan_kb.reading.role_words import Known, _clean, _default_known, _split, _trim, rules
from plan_kb.reading.yearless import yearless_deadlines

_CELLS = re.compile(r"\s*[|｜]\s*")
#: the role a role column gives its names (the labels of roles.yaml: ``none`` is 责任单位, responsible)
COLUMN_ROLES = {"lead": "lead", "support": "support", "responsible": None}


@lru_cache(maxsize=1)
def _column_words() -> dict[str, list[str]]:
    conf = {k: list(v) for k, v in load_yaml("structure.yaml")["table_columns"].items()}
    labels = rules()["labels"]
    conf["lead"], conf["support"], conf["responsible"] = labels["lead"], labels["support"], labels["none"]
    return conf


def column_kind(cell: str) -> str | None:
    """What a header cell names: number, task, lead, support, responsible, deadline, goal; None for anything else.
    The cell whole first ("配合单位"), then the longest column word it ends with ("市级牵头单位")."""
    cell = re.sub(r"\(.*?\)", "", _clean(cell))
    words = _column_words()
    for kind, ws in words.items():
        if cell in ws:
            return kind
    hits = [(len(w), kind) for kind, ws in words.items() for w in ws if cell.endswith(w)]
    return max(hits)[1] if hits else None


def header_columns(line: str) -> tuple[str, ...] | None:
    """The column kinds of a header row: three or more cells, the first a number column, one a task column."""
    if not _CELLS.search(line):
        return None
    cells = _CELLS.split(line.strip())
    if len(cells) < 3:
        return None
    kinds = tuple(column_kind(c) or "other" for c in cells)
    if "task" not in kinds:
        return None
    if kinds[0] != "number":  # "工作任务|牵头单位|配合单位" over rows "1|…": the rows' numbers are a column too
        if not any(k in COLUMN_ROLES or k == "deadline" for k in kinds) or "number" in kinds:
            return None
        kinds = ("number", *kinds)
    return kinds


def is_header(cells: list[str]) -> bool:
    """Whether the cells of a line name the columns of a task table (for normalisation, before any "|")."""
    return len(cells) >= 3 and header_columns("|".join(cells)) is not None


def task_cell(rest: str, columns: tuple[str, ...]) -> str:
    """A row's title: the words of its task cell before the first 。 (``rest`` is the row after its number)."""
    cells = _CELLS.split(rest)
    k = columns.index("task") - 1 if "task" in columns else 0
    cell = cells[k] if 0 <= k < len(cells) else cells[0]
    return cell.split("。")[0]


def column_notes(text: str, start: int, end: int, columns: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The cells of a table row in ``text[start:end]`` that stand in a role column: (start, end, ``cell:<kind>``)."""
    out, a = [], start
    seps = list(_CELLS.finditer(text, start, end))
    bounds = [m.start() for m in seps] + [end]
    for k, b in enumerate(bounds):
        ca, cb = _trim(text, a, b)
        a = seps[k].end() if k < len(seps) else b
        kind = columns[k] if k < len(columns) else "other"
        if kind in COLUMN_ROLES and ca < cb and _clean(text[ca:cb]) not in ("/", "-", "—", "无"):
            out.append((ca, cb, f"cell:{kind}"))
    return out


# --- an annexed table of the body's tasks -------------------------------------------------------------------------

def join_annex_row(plan: Plan, doc: Document, b: Block, m: re.Match[str], columns: tuple[str, ...],
                   similarity: float) -> None:
    """Join a row of an annexed task table to the body's task of its number whose title its task cell names
    (``Item.annex``); a row that names no such task is a doubt of the build report."""
    import difflib

    n, title = int(m.group("n")), task_cell(m.group("rest"), columns)
    key = _clean(re.sub(r"[“”\"'《》]", "", title))

    def alike(item: Item) -> float:
        other = _clean(re.sub(r"[“”\"'《》]", "", item.title))
        return 1.0 if key and (key in other or other in key) else difflib.SequenceMatcher(None, key, other).ratio()

    candidates = [i for i in plan.items if i.kind == "task" and i.number == n]
    best = max(candidates, key=alike, default=None)
    if best is None or alike(best) < similarity:
        doc.doubts.append(ReadingDoubt("annex-row", f"annex row {n} ({title}) names no task {n} of the plan's body",
                                       b.start, b.end, plan.key))
        return
    best.annex.append(Item("row", plan.key, n, title, b.text, b.start, best.heading, columns=columns))


# --- the deadline column -------------------------------------------------------------------------------------------

_BARE_YEAR = re.compile(r"^(\d{4})年(?:度|全年|内)?$")
_BARE_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月份?$")


def row_deadlines(item: Item, period: tuple[int, int] | None = None, region: str | None = None,
                  year: int | None = None) -> list[Deadline]:
    """The deadlines of an item; for a table row, the deadline column's restating a deadline its task cell gives
    ("…每月开展一次监测" with 完成时限 "每月") is one deadline, not two, a bare year standing alone in the column
    ("2024年") is the year the task runs in (During), and a bare month ("2025年6月") is due by its last day. In a
    plan of one ``year``, dates written without it ("6月底前") are of that year (:mod:`plan_kb.reading.yearless`)."""
    found = read_deadlines(item.text, period, region)
    if year is not None:
        extra = yearless_deadlines(item.text, year, found, region)
        if extra:
            found = sorted(found + extra, key=lambda d: d.start)
            found = [_with_clause(item.text, d, found[i + 1:]) if d in extra else d for i, d in enumerate(found)]
    found = [d if d.requirement else _requirement_after(item, d) for d in found]
    cell = _column_cell(item, "deadline") or _deadline_label(item)
    if cell is None:
        return found
    a, b = cell
    outside = {due_key(d) for d in found if not a <= d.start < b}
    kept = [d for d in found if not (a <= d.start < b and due_key(d) in outside)]
    # a date that only the column or label gives is due for the whole task
    kept = [replace(d, requirement=item.title) if a <= d.start < b and not d.requirement and item.title else d
            for d in kept]
    year, month = _BARE_YEAR.match(_clean(item.text[a:b])), _BARE_MONTH.match(_clean(item.text[a:b]))
    if (year or month) and not any(a <= d.start < b for d in found):
        task = _column_cell(item, "task") or (a, b)
        what = item.title or item.text[slice(*task)]
        if year:
            y = int(year.group(1))
            kept.append(Deadline("During", item.text[a:b], a, b, task[0], task[1], what,
                                 start_date=date(y, 1, 1), date=date(y, 12, 31)))
        else:  # "2025年6月" alone in the column: the task is due within that month, by its last day
            y, mo = int(month.group(1)), int(month.group(2))
            last = (date(y + mo // 12, mo % 12 + 1, 1) - date.resolution)
            kept.append(Deadline("By", item.text[a:b], a, b, task[0], task[1], what, date=last))
    return sorted(kept, key=lambda d: d.start)


def _deadline_label(item: Item) -> tuple[int, int] | None:
    """The span of what a deadline label gives, on a line of its own or in a note ("完成时限:2025年12月底前",
    "(牵头单位:…;完成时限:长期坚持)"): read like a table's deadline column (the labels are its column words)."""
    words = "|".join(re.escape(w) for w in sorted(_column_words()["deadline"], key=len, reverse=True))
    m = re.search(rf"(?:^|\n|[(\[【〔;,])\s*(?:{words})\s*:\s*([^\n;)】〕\]]+)", item.text)
    return (m.start(1), m.end(1)) if m else None


def _requirement_after(item: Item, d: Deadline) -> Deadline:
    """A deadline whose clause says nothing but the date ("2025年起,每年组织开展…") is due for what the sentence goes on
    to say after it, else for the task (a deadline always says what is due: DeadlineRequirementShape)."""
    rest = re.split(r"[。;\n]", item.text[d.end:], maxsplit=1)[0].strip(" ,、:")
    return replace(d, requirement=rest or item.title or item.text[:40])


def due_key(d: Deadline) -> tuple:
    """What makes two deadlines the same due date, however written (2025年6月底前 and 2025年6月)."""
    return d.kind, d.date, d.rrule, d.offset


def annex_deadlines(row: Item, period: tuple[int, int] | None = None, region: str | None = None,
                    year: int | None = None) -> list[Deadline]:
    """The deadlines in the deadline cell of an annexed table's row (its task cell only repeats the task's title)."""
    cell = _column_cell(row, "deadline")
    if cell is None:
        return []
    return [d for d in row_deadlines(row, period, region, year) if cell[0] <= d.start < cell[1]]


def _column_cell(item: Item, kind: str) -> tuple[int, int] | None:
    """The span in the item's text of the row's cell in a column of ``kind``."""
    if not item.columns or kind not in item.columns:
        return None
    line = item.text.split("\n", 1)[0]
    seps = list(_CELLS.finditer(line))
    k = item.columns.index(kind)
    if k > len(seps):
        return None
    a = seps[k - 1].end() if k > 0 else 0
    b = seps[k].start() if k < len(seps) else len(line)
    a, b = _trim(item.text, a, b)
    return (a, b) if a < b else None


# --- what a plan says of all its tasks, before them ------------------------------------------------------------------

def plan_role_context(doc: Document, plan: Plan):
    """The role context a plan's tasks start in: a positional rule ("各项任务中列第一位的为牵头单位") stated in the
    notice or anywhere in the plan before its first item (its preamble, a paragraph under a heading) holds for every
    item of the plan."""
    from plan_kb.reading.roles import RoleContext, positional_rule_in

    notice = doc.text[: doc.plans[0].title_start] if doc.plans else ""
    first = min((i.start for i in plan.items), default=plan.end)
    return RoleContext(first_leads=positional_rule_in(notice + "\n" + doc.text[plan.start:first]))


# --- the standing paragraph before a table ------------------------------------------------------------------------

def plan_standing_notes(doc: Document, plan: Plan, known: Known | None = None):
    """Standing notes in a plan's own paragraphs outside its items (its preamble, a paragraph before a task table):
    "X负责本辖区各项任务的组织实施,下表不再列出", "以下各项任务均由X负责落实,不再列出". Their actors answer for every
    task of the plan."""
    from plan_kb.reading.roles import StandingNote, standing_note

    known = known or _default_known()
    r = rules()
    conf = r["standing_paragraph"]
    pattern, closing = re.compile(conf["pattern"]), tuple(conf["closing"])
    inside = [(i.start, i.end) for i in plan.items] + [(row.start, row.end) for i in plan.items for row in i.annex]
    out: list[StandingNote] = []
    pos = plan.title_end or plan.start
    for line in doc.text[pos:plan.end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if any(s <= a < e for s, e in inside):
            continue
        # a paragraph that is one note in brackets: "(…,下同。以下各项任务均需X负责落实,不再列出)"
        if b - a > 2 and r["opens"].get(doc.text[a]) == doc.text[b - 1]:
            a, b = a + 1, b - 1
        parts = _split(doc.text, a, b, r["part_seps"])
        for k, (p, q) in enumerate(parts):
            note = standing_note(doc.text, p, q, 0, known)
            if note:
                out.append(note)
                continue
            closed = k + 1 < len(parts) and _clean(doc.text[slice(*parts[k + 1])]).endswith(closing)
            m = pattern.match(_clean(doc.text[p:q])) if closed else None
            if not m:
                continue
            actors = read_names(doc.text, p, p + _span_of(doc.text, p, q, m.end("actor")), known)
            if actors and all(n.name.endswith(tuple(r["name_suffixes"])) or known(n.name) for n in actors):
                out.append(StandingNote(conf["role"], tuple(actors), m.group("scope"), p, parts[k + 1][1]))
    return out


def _span_of(text: str, p: int, q: int, clean_end: int) -> int:
    """The offset from ``p`` in ``text`` where ``clean_end`` characters of its white-space-free form end."""
    seen = 0
    for i in range(p, q):
        if seen == clean_end:
            return i - p
        if not text[i].isspace():
            seen += 1
    return q - p
