"""An annex that gives the body's tasks their roles line by line, naming the tasks by ordinal, when the body's tasks
carry no notes of their own (a 若干措施 of （一）（二）… items, then "附件 重点任务责任分工"):

    第一项　省教育厅牵头，省发展改革委、省自然资源厅配合，各市州人民政府负责落实。
    第二项、第三项　省教育厅、省发展改革委牵头，省财政厅配合。
    第六项至第八项　省教育厅牵头，省委编办配合。

Also ``第1项``, ``第(一)项``, ``第3条``, ``任务1-3``, ``任务4、5``. Each line is joined to every task it names (至 and -
give a range) as a row of the task (``Item.annex``, columns ``("note",)``: the whole row after its reference is one
role note, read by :func:`plan_kb.reading.item_roles.item_roles`). A task is named by its printed number where the
plan's numbers are unique, else by its place among the plan's tasks. The forms are data in
``extraction/structure.yaml`` (``task_refs``). Pure: a line in, rows joined to the plan's tasks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from plan_kb.base.resources import load_yaml
from plan_kb.reading.model import Block, Document, Item, Plan, ReadingDoubt
from plan_kb.reading.role_words import rules as role_rules

_DIGITS = "零一二三四五六七八九"


def numeral(s: str) -> int:
    """``12`` → 12, ``十二`` → 12, ``二十一`` → 21, ``一百零二`` → 102."""
    if s.isdigit():
        return int(s)
    total, n = 0, 0
    for c in s:
        if c in _DIGITS:
            n = _DIGITS.index(c)
        elif c == "十":
            total += (n or 1) * 10
            n = 0
        elif c == "百":
            total += (n or 1) * 100
            n = 0
    return total + n


@lru_cache(maxsize=1)
def _forms() -> dict[str, re.Pattern[str]]:
    conf = load_yaml("structure.yaml")["task_refs"]

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return {
        "ref": re.compile("|".join(f"(?:{p})" for p in conf["forms"])),
        "number": re.compile(r"(?P<n>[0-9]+|[一二三四五六七八九十百零]+)"),
        "range": re.compile(rf"\s*(?:{alt(conf['range'])})\s*"),
        "joiner": re.compile(rf"\s*(?:{alt(conf['joiners'])})\s*"),
        "gap": re.compile(r"[\s:：、,，]*"),
    }


def task_refs(line: str) -> tuple[list[int], int] | None:
    """The task numbers a line opens with and where the rest of the line starts; None when the line names no task
    or what follows holds no role word."""
    f = _forms()
    pos, numbers, ranged = 0, [], False
    while True:
        m = f["ref"].match(line, pos) or (f["number"].match(line, pos) if ranged else None)
        if m is None:
            break
        n = numeral(next(g for g in m.groups() if g) if m.re is f["ref"] else m.group("n"))
        numbers += list(range(numbers[-1] + 1, n + 1)) if ranged and numbers and n > numbers[-1] else [n]
        pos, ranged = m.end(), False
        sep = f["range"].match(line, pos)
        if sep:
            pos, ranged = sep.end(), True
            continue
        sep = f["joiner"].match(line, pos)
        if sep and f["ref"].match(line, sep.end()):
            pos = sep.end()
            continue
        break
    if not numbers:
        return None
    rest = f["gap"].match(line, pos).end()
    if not role_rules()["role_or_label_re"].search(line, rest):
        return None
    return numbers, rest


def join_ref_line(plan: Plan, doc: Document, b: Block) -> bool:
    """Join an annex line that names tasks by ordinal to those tasks (``Item.annex``); False when the line is no
    such line. A number that names no task is a doubt of the build report."""
    got = task_refs(b.text)
    if got is None:
        return False
    numbers, rest = got
    tasks = [i for i in plan.items if i.kind == "task"]
    by_number = len({t.number for t in tasks}) == len(tasks)
    for n in numbers:
        task = next((t for t in tasks if t.number == n), None) if by_number else (
            tasks[n - 1] if 0 < n <= len(tasks) else None)
        if task is None:
            doc.doubts.append(ReadingDoubt("annex-row", f"annex line names task {n}, which the plan's body has not",
                                           b.start, b.end, plan.key))
            continue
        task.annex.append(Item("row", plan.key, n, b.text[:rest].strip(), b.text[rest:], b.start + rest,
                               task.heading, columns=("note",)))
    return True
