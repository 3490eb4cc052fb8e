"""Read the structure of a plan document: notice, plans, headings, tasks, measures and goal paragraphs.

Written for the genre (action plans of provinces, cities and districts in any policy field), not for one file. A
plan starts at a title found by its position: a line of its own ending in a genre word (行动计划, 实施方案, 工作要点,
若干措施, 任务分工表 …, with its period or status in brackets of either width) that the genre's preamble or first
heading follows; a title only announced in the notice (《…》…印发给你们) is taken from there, and a plan with no
title at all is still read, its title guessed. Headings by their numerals (一、, (一) of either width, 〔一〕);
tasks are the numbered items (1. 1、 (1) ①), or the (一) items where a plan has none; numbering that restarts per
section keeps its printed numbers and gets section-scoped IRIs. What the reader could not fully read goes into
``Document.doubts``. The words are data in ``extraction/structure.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from plan_kb.errors import DocumentError
from plan_kb.reading.annex_refs import join_ref_line
from plan_kb.reading.model import Block, Document, Heading, Item, Plan, ReadingDoubt
from plan_kb.reading.normalize import normalize
from plan_kb.reading.role_words import rules as role_rules
from plan_kb.reading.sources import corpus_files, read_source
from plan_kb.reading.tables import fill_merged_cells, header_columns, join_annex_row, task_cell
from plan_kb.reading.titles import (  # noqa: F401  (is_plan_title, plan_key, slugify: public names of the reader)
    _L1,
    _L2,
    _notice_title,
    _read_notice,
    _rules,
    _title_at,
    is_plan_title,
    plan_key,
    slugify,
)

NUMERALS = "零一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_numeral(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20."""
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (NUMERALS.index(tens) if tens else 1) * 10 + (NUMERALS.index(ones) if ones else 0)
    return NUMERALS.index(s)


def _paragraphs(text: str) -> list[Block]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Block(line, pos))
        pos += len(line) + 1
    return out


def _section_kind(title: str, default: str = "section") -> str:
    r = _rules()
    goals = r["section_kinds"]["goals"]
    # 目标任务, 工作目标和重点任务 hold tasks; 行动目标 (the goals of the action) is a goals heading
    if any(w in title for w in goals) and any(w in title for w in r["task_section_words"]) \
            and not title.endswith(tuple(goals)):
        return "section"
    for kind in ("goals", "measures", "preamble"):
        if any(w in title for w in r["section_kinds"][kind]):
            return kind
    return default


def read_text(text: str, path: Path | str = "<text>", taken_keys: Iterable[str] = ()) -> Document:
    """Read one document from its original text."""
    path = Path(path)
    if not text.strip():
        raise DocumentError(f"{path}: the file is empty")
    normalized = normalize(text)
    paras = _paragraphs(normalized.text)
    found = [(i, t) for i in range(len(paras)) if (t := _title_at(paras, i))]
    doubts: list[ReadingDoubt] = []
    # (first body paragraph, title, how it was found, where the printed title ends)
    starts: list[tuple[int, Block, str, int]] = [(last + 1, title, how, paras[last].end)
                                                 for i, (title, last, how) in found]
    if not starts:
        body = next((i for i, b in enumerate(paras) if _L1.match(b.text) and len(b.text) <= 40), None)
        numbered = [i for i, b in enumerate(paras) if _task_number(b.text)]
        if body is None and len(numbered) >= 2:  # no title and no heading: a bare list of numbered tasks
            body = numbered[0]
        if body is None:
            words = "、".join(_rules()["genre_words"])
            raise DocumentError(
                f"{path}: no plan found: looked for a title line ending in a genre word ({words}) with its preamble "
                "(为…,制定本方案) or first heading (一、…) after it, for top-level headings 一、 with items, "
                "and for two or more numbered items (1. …)")
        while body > 0 and _rules()["preamble_re"].search(paras[body - 1].text) and "《" not in paras[body - 1].text:
            body -= 1
        announced = _notice_title(paras[:body])
        if announced:
            body = _after_signature(paras, announced, body)
            starts.append((body, announced, "announced in the notice", announced.end))
            doubts.append(ReadingDoubt("title-from-notice", f"no title line before the plan; its title 《"
                                       f"{announced.text}》 is taken from the notice", announced.start, announced.end))
        else:
            guess = re.sub(r"[-_]+", " ", path.stem)
            anchor = paras[body]
            starts.append((body, Block(guess, anchor.start), "guessed", anchor.end))
            doubts.append(ReadingDoubt("title-guessed", f"no title line and none announced in the notice: the "
                                       f"plan is called after its file, {guess!r}", anchor.start, anchor.end))
    first = found[0][0] if found else starts[0][0]
    head = paras[:first]
    trailer_idx = next((i for i, b in enumerate(paras) if b.text.startswith("抄送") and i > starts[-1][0]),
                       len(paras))
    # a signature and print date after the last plan belong to the trailer too
    if trailer_idx == len(paras):
        printed = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发")
        while trailer_idx > starts[-1][0] + 1 and printed.fullmatch(paras[trailer_idx - 1].text):
            trailer_idx -= 1
    tail = paras[trailer_idx:]
    notice = _read_notice(head, tail)
    slug = slugify(notice.number) if notice.number else slugify(path.stem)
    doc = Document(path, slug, text, normalized, notice)
    doc.doubts.extend(doubts)
    taken = list(taken_keys)
    for k, (body, title, how, title_end) in enumerate(starts):
        stop = trailer_idx if k + 1 == len(starts) else found[k + 1][0]
        plan = _read_plan(title, paras[body:stop], taken, doc)
        plan.title_how, plan.title_end = how, title_end
        taken.append(plan.key)
        doc.plans.append(plan)
    return doc


def _after_signature(paras: list[Block], announced: Block, body: int) -> int:
    """Where a plan announced only in its notice begins: after the notice's signature (issuer, date, "(此件公开发布)"),
    so that its own opening paragraphs before the first heading (总体要求, 主要目标) are its preamble."""
    at = next((i for i, b in enumerate(paras[:body]) if b.start <= announced.start < b.end), None)
    if at is None:
        return body
    closing = [re.compile(p) for p in _rules()["notice_closing_lines"]]
    i, signed = at + 1, False
    while i < body and any(c.fullmatch(paras[i].text) for c in closing):
        i, signed = i + 1, True
    return i if signed else body


def _task_number(text: str) -> tuple[str, int, str] | None:
    """(family, number, the rest) of a numbered line: 1. / 1、 / (1) / 1) / ① / 第一条."""
    for family, rx in _rules()["numbers"].items():
        m = rx.match(text)
        if m:
            groups = m.groupdict()
            n = (_CIRCLED.index(groups["c"]) + 1 if groups.get("c") else
                 chinese_numeral(groups["cn"]) if groups.get("cn") else int(groups["n"]))
            return family, n, m.group("rest")
    return None


def _context_kind(l1: Heading | None, l2: Heading | None) -> str:
    if l2 is not None and l2.parent is l1:
        return l2.kind
    return l1.kind if l1 else "section"


def _read_plan(title_block: Block, paras: list[Block], taken: list[str], doc: Document) -> Plan:
    period = re.search(r"(\d{4})[—–-]+(\d{4})", title_block.text)
    plan = Plan(key=plan_key(title_block.text, taken), title=title_block.text, title_start=title_block.start,
                start=title_block.start, end=paras[-1].end if paras else title_block.end,
                period=(int(period.group(1)), int(period.group(2))) if period else None)
    r = _rules()
    numbered_l1 = any(_L1.match(b.text) and len(b.text) <= 40 and "。" not in b.text for b in paras)
    # a plan with no 一、 headings may still have headings without a numeral ("工作目标")
    bare = set() if numbered_l1 else {id(b) for b in paras if _bare_heading(b.text)}
    has_l1 = numbered_l1 or bool(bare)
    # which numbering holds the tasks: the family first used in a task section (a task table's header: its rows);
    # none → the (一) items are tasks
    family, kind1, kind2 = None, "section" if not has_l1 else None, None
    annex_re = re.compile(r["annex_line"])
    listed = _annex_list(paras, annex_re)
    for b in paras:
        if id(b) in listed:
            continue
        m1 = _L1.match(b.text)
        if (m1 and len(b.text) <= 40 and "。" not in b.text) or id(b) in bare:
            kind1, kind2 = _section_kind(m1.group(2) if m1 else b.text), None
            continue
        if annex_re.match(b.text):  # an annex's task table holds the tasks of a plan whose body numbers none
            kind1, kind2 = "section", None
            continue
        if header_columns(b.text) and kind1 != "measures":
            family = "row"
            break
        m2 = _L2.match(b.text)
        if m2 and kind1 not in (None, "measures"):
            kind2 = _section_kind(m2.group(2).split("。")[0], kind1)
            continue
        num = _task_number(b.text)
        if num and (kind2 or kind1) == "section":
            family = num[0]
            break
    paren_tasks = family is None
    # a plan with no headings and no numbered items whose 一、 items carry text: those items are its tasks
    l1_tasks = not has_l1 and family is None and any(_L1.match(b.text) for b in paras)
    l1: Heading | None = None
    l2: Heading | None = None
    current: Heading | None = None
    item_paras: list[Block] = []
    item_meta: tuple[str, int, str, Heading | None, tuple[str, ...] | None] | None = None
    preamble: list[Block] = []
    measure_count = 0
    columns: tuple[str, ...] | None = None  # the columns of the task table being read, from its header row
    row_heading: Heading | None = None  # the heading the table's rows stand under
    in_annex = False  # after a line "附件…": no paragraph runs on into the item before it

    def close_item() -> None:
        nonlocal item_paras, item_meta
        if item_meta is not None:
            kind, number, title, heading, cols = item_meta
            start = item_paras[0].start
            text = "\n".join(p.text for p in item_paras)
            plan.items.append(Item(kind, plan.key, number, title, text, start, heading, columns=cols))
        item_paras, item_meta = [], None

    def start_item(kind: str, number: int, rest: str, heading: Heading | None, b: Block,
                   cols: tuple[str, ...] | None = None) -> None:
        nonlocal item_meta, item_paras
        close_item()
        item_meta = (kind, number, task_cell(rest, cols) if cols else _item_title(rest), heading, cols)
        item_paras = [b]

    for k, b in enumerate(paras):
        t = b.text
        if id(b) in listed:  # "附件:1.…清单" "2.…目标表": the list of annexes, no items
            continue
        if annex_re.match(t):
            close_item()
            in_annex, columns, l1, l2, current = True, None, None, None, None
            continue
        if in_annex and family != "row":  # an annexed table of the body's tasks: its rows join them
            if header_columns(t):
                columns = header_columns(t)
            elif columns and r["row_re"].match(t):
                join_annex_row(plan, doc, b, r["row_re"].match(t), columns, r["annex_title_similarity"])
            else:  # "第二项、第三项　省教育厅牵头,…": a line of roles for the tasks it names
                join_ref_line(plan, doc, b)
            continue
        m1 = _L1.match(t)
        if m1 and l1_tasks:
            start_item("task", chinese_numeral(m1.group(1)), m1.group(2), None, b)
            continue
        if (m1 and len(t) <= 40 and "。" not in t) or id(b) in bare:
            close_item()
            kind = _section_kind(m1.group(2) if m1 else t)
            numeral, words = (m1.group(1), m1.group(2)) if m1 else ("", t)
            key = str(chinese_numeral(numeral)) if m1 else f"h{len(plan.headings) + 1}"
            l1 = Heading(1, numeral, words, t, key, b.start, b.end, None, kind)
            plan.headings.append(l1)
            current, l2, columns = l1, None, None
            continue
        if family == "row" and header_columns(t):
            close_item()
            columns = header_columns(t)
            # a task table under a goals heading ("工作目标 … (二)污染减排目标", then the table) is no part of it
            row_heading = current if _context_kind(l1, l2) in ("section", "measures") else None
            continue
        if l1 is None and has_l1 and not in_annex:
            preamble.append(b)
            continue
        kind = "section" if in_annex and l1 is None else _context_kind(l1, l2)
        m2 = _L2.match(t)
        if m2 and l1 is not None and l1.kind == "measures":
            measure_count += 1
            start_item("measure", measure_count, m2.group(2), l1, b)
            continue
        if m2 and l1 is not None:
            own = m2.group(2).split("。")[0]
            sub_kind = _section_kind(own, l1.kind)
            if paren_tasks and sub_kind == "section":
                start_item("task", chinese_numeral(m2.group(1)), m2.group(2), l1, b)
                continue
            # a heading: short and without a full stop, or of another kind, or a paragraph of sentences right before
            # the first of its numbered tasks ("(一)织密监管网络。坚持…。(本部分任务均由…牵头)", then "1.…")
            nxt = _task_number(paras[k + 1].text) if k + 1 < len(paras) else None
            if ("。" not in t and len(t) <= 60) or sub_kind != l1.kind or (
                    family not in (None, "row") and nxt is not None and nxt[0] == family):
                close_item()
                h = Heading(2, m2.group(1), _strip_section_lead(own), _strip_section_lead(t),
                            f"{l1.key}-{chinese_numeral(m2.group(1))}", b.start, b.end, l1, sub_kind)
                plan.headings.append(h)
                current = l2 = h
                if sub_kind == "goals":
                    plan.goal_blocks.append(b)
                continue
        if m2 and l1 is None and paren_tasks and not in_annex:
            start_item("task", chinese_numeral(m2.group(1)), m2.group(2), None, b)
            continue
        num = _task_number(t)
        if num is None and (not has_l1 or columns) and r["row_re"].match(t):
            num = ("row", int(r["row_re"].match(t).group("n")), r["row_re"].match(t).group("rest"))
            family = family or "row"
        in_table = columns is not None and num is not None and num[0] == "row"
        if num and num[0] == family and (kind in ("section", "measures") or in_table):
            if kind == "measures":
                measure_count += 1
                start_item("measure", measure_count, num[2], current, b)
            else:
                start_item("task", num[1], num[2], row_heading if in_table else current, b,
                           columns if in_table else None)
            continue
        if item_meta is not None and _after_note_line(item_paras, t):
            close_item()  # the plan's closing words after its last item's labelled note line
            continue
        if item_meta is not None and not (kind == "goals" and item_meta[0] != "measure"):
            item_paras.append(b)
        elif kind == "goals" or (kind == "preamble" and r["goal_label_re"].match(t)):
            plan.goal_blocks.append(b)  # "主要目标:到2025年,…" under 总体要求: a paragraph labelled as the goals
        elif l1 is None and not in_annex:
            preamble.append(b)
    close_item()
    fill_merged_cells(plan)
    _scope_restarted_numbers(plan, doc)
    for item in plan.items:
        _check_item_span(item)
    if preamble:
        plan.preamble = Block("\n".join(p.text for p in preamble), preamble[0].start)
    if not plan.goal_blocks:  # no goals heading: goals stated in the preamble's paragraphs
        plan.goal_blocks = [b for b in preamble if r["preamble_goal_re"].search(b.text)]
    return plan


def _note_line(text: str) -> bool:
    r = role_rules()
    return bool(r["label_re"].match(text) or r["other_label_re"].match(text) or r["same_as_re"].match(text))


def _after_note_line(item_paras: list[Block], text: str) -> bool:
    """An item ends with its labelled note lines ("牵头单位:…;配合单位:…", "完成时限:…"): a paragraph after them that is
    neither such a line nor a bracketed note is no part of the item (a plan's closing words, "各地各部门要…")."""
    return (len(item_paras) > 1 and _note_line(item_paras[-1].text) and not _note_line(text)
            and not text.startswith(("(", "【", "〔", "[")))


def _annex_list(paras: list[Block], annex_re: re.Pattern[str]) -> set[int]:
    """The lines that list a document's annexes after "附件:": "附件:1.某某任务清单", then "2.某某目标表" (numbered,
    short, no full stop); their numbers are no tasks."""
    out: set[int] = set()
    entry = re.compile(r"^\d{1,2}\s*[.、]\s*[^。]{2,40}$")
    for k, b in enumerate(paras):
        if annex_re.match(b.text) and ":" in b.text:
            out.add(id(b))
            for c in paras[k + 1:]:
                if not entry.match(c.text):
                    break
                out.add(id(c))
    return out


def _bare_heading(text: str) -> bool:
    """A heading without a numeral: a short line of section words alone ("工作目标", "保障措施")."""
    r = _rules()
    words = [w for ws in r["section_kinds"].values() for w in ws] + r["task_section_words"]
    return (len(text) <= r["bare_heading_max_length"] and re.fullmatch(r"[\u4e00-\u9fff]+", text) is not None
            and any(text.endswith(w) for w in words))


def _item_title(rest: str) -> str:
    """The words before the first 。 (a table row's first cell)."""
    first = rest.split("。")[0]
    cells = re.split(_rules()["table_cell_separators"], first)
    return cells[0] if len(cells) > 1 else first


def _strip_section_lead(title: str) -> str:
    """"(一)强化X(市发改委总牵头)": the overall lead of a section is not part of its title."""
    words = "|".join(map(re.escape, _rules()["section_lead_words"]))
    return re.sub(rf"\([^()]*(?:{words})[^()]*\)$", "", title)


def _scope_restarted_numbers(plan: Plan, doc: Document) -> None:
    """Numbering that restarts per section ("二、 1–4, 三、 1–5") keeps its printed numbers; the IRIs of all the plan's
    tasks are then scoped by their top-level section (or, where it restarts under each (一) heading, by that
    heading), so that they stay unique and stable."""
    numbers = [i.number for i in plan.tasks]
    if len(numbers) == len(set(numbers)):
        return
    for item in plan.tasks:
        top = item.heading
        while top is not None and top.parent is not None:
            top = top.parent
        item.scope = top.key if top else None
    keys = [i.key for i in plan.tasks]
    if len(keys) != len(set(keys)):  # it restarts per (一) heading too: "三、(一) 1–2, (二) 1–2" → 3-1-1 … 3-2-2
        for item in plan.tasks:
            item.scope = item.heading.key if item.heading else None
        keys = [i.key for i in plan.tasks]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    for k in dup:
        first = next(i for i in plan.tasks if i.key == k)
        doc.doubts.append(ReadingDoubt("number-repeated", f"task number {k} repeats within one section",
                                       first.start, first.start + len(first.title), plan.key, k))
    seen: dict[str, int] = {}
    for item in plan.tasks:
        if item.key in dup:
            seen[item.key] = seen.get(item.key, 0) + 1
            if seen[item.key] > 1:
                item.scope = f"{item.scope}-{seen[item.key]}" if item.scope else str(seen[item.key])


def _check_item_span(item: Item) -> None:
    """Items are contiguous runs of paragraphs; their text is exactly the normalised text of their span."""
    if "\n\n" in item.text:
        raise DocumentError(f"item {item.plan_key} {item.key} is not contiguous")


def read_file(path: Path, taken_keys: Iterable[str] = ()) -> Document:
    """A document as published (UTF-8 or GBK text, PDF, .docx, a web page: :mod:`plan_kb.reading.sources`)."""
    source = read_source(path)
    doc = read_text(source.text, path, taken_keys)
    doc.source_form, doc.source_note = source.form, source.note
    return doc


def read_corpus(folder: Path) -> list[Document]:
    """Every document under ``folder`` (``*.txt``, ``*.pdf``, ``*.docx``, ``*.html``; ``*.doc`` and ``*.wps`` are
    refused with the conversion to make), in name order, with plan keys unique across the corpus: where two plans
    would have one key, the earlier published document keeps it (adding a newer document never renames the plans
    of an older one)."""
    files = corpus_files(folder)
    docs: list[Document] = []
    for f in files:
        doc = read_file(f)
        if any(d.slug == doc.slug for d in docs):
            doc.slug = f"{doc.slug}-{slugify(f.stem)}"
        docs.append(doc)
    taken: list[str] = []
    for doc in sorted(docs, key=lambda d: (d.notice.issued or date.max, d.path.name)):
        for plan in doc.plans:
            key = plan_key(plan.title, taken)
            taken.append(key)
            if key != plan.key:
                plan.key = key
                for item in plan.items:
                    item.plan_key = key
    return docs
