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
from functools import lru_cache
from pathlib import Path

from pypinyin import lazy_pinyin

from plan_kb.base.resources import load_yaml
from plan_kb.errors import DocumentError
from plan_kb.reading.model import Block, Document, Heading, Item, Notice, Plan, ReadingDoubt
from plan_kb.reading.normalize import normalize
from plan_kb.reading.sources import corpus_files, read_source

NUMERALS = "零一二三四五六七八九十"
_NUM = "[一二三四五六七八九十]{1,3}"
_L1 = re.compile(rf"^({_NUM})、(.+)$")
_L2 = re.compile(rf"^[(〔【]({_NUM})[)〕】]\s*(.+)$")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def chinese_numeral(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20."""
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (NUMERALS.index(tens) if tens else 1) * 10 + (NUMERALS.index(ones) if ones else 0)
    return NUMERALS.index(s)


@lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    """Place names' readings where pypinyin's commonest reading is not theirs (``extraction/readings.yaml``): loaded
    into pypinyin once; returns the one-character abbreviations of document numbers."""
    from pypinyin import load_phrases_dict

    data = load_yaml("readings.yaml")
    load_phrases_dict({name: [[syllable] for syllable in syllables] for name, syllables in data["phrases"].items()})
    return dict(data["abbreviations"])


def slugify(s: str) -> str:
    """An ASCII slug: Chinese by its pinyin initials, digits kept. 晋政办发〔2022〕95号 → jzbf-2022-95; a place name
    by its own reading (长治 → cz, 长政办发 → czbf)."""
    abbreviations = _readings()
    parts: list[str] = []
    for i, chunk in enumerate(re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", s)):
        if re.match(r"[\u4e00-\u9fff]", chunk):
            if chunk == "号":
                continue
            initials = [p[0] for p in lazy_pinyin(chunk) if p]
            if i == 0 and chunk[0] in abbreviations and "〔" in s:  # 长政办发〔…〕: a place's one-character name
                initials[0] = abbreviations[chunk[0]][0]
            parts.append("".join(initials))
        else:
            parts.append(chunk.lower())
    return "-".join(p for p in parts if p) or "doc"


def _paragraphs(text: str) -> list[Block]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Block(line, pos))
        pos += len(line) + 1
    return out


@lru_cache(maxsize=1)
def _rules() -> dict:
    r = dict(load_yaml("structure.yaml"))
    genre = "|".join(re.escape(w) for w in sorted(r["genre_words"], key=len, reverse=True))
    r["title_re"] = re.compile(rf"^(?P<title>.+?(?:{genre}){r['title_tail']})$")
    r["genre_re"] = re.compile(rf"(?:{genre}){r['title_tail']}$")
    r["lead_re"] = re.compile(r["title_lead"])
    r["not_start_re"] = re.compile(r["not_title_start"])
    r["not_chars_re"] = re.compile(r["not_title_chars"])
    r["period_re"] = re.compile(r["period_line"])
    r["preamble_re"] = re.compile(r["preamble_pattern"])
    r["numbers"] = {k: re.compile(v) for k, v in r["task_numbers"].items()}
    r["row_re"] = re.compile(r["table_row"])
    return r


def is_plan_title(text: str) -> bool:
    """A line that reads like a plan title: it ends in a genre word (and its period or status in brackets), is not a
    heading or numbered item, and has no sentence punctuation. Its position decides whether it starts a plan."""
    r = _rules()
    text = re.sub(r"\s+", "", text)
    return (4 <= len(text) <= r["plan_title_max_length"] and not r["not_chars_re"].search(text)
            and not r["not_start_re"].match(text) and r["title_re"].match(text) is not None)


def plan_key(title: str, taken: Iterable[str]) -> str:
    """The plan's short key: from the topic words of ``structure.yaml`` (water, air, …), else a slug of the title;
    a key already taken in this build gets the title's period or a counter."""
    r = _rules()
    key = None
    for topic in r["plan_keys"]:
        if any(word in title for word in topic["words"]):
            key = topic["key"]
            break
    if key is None:
        core = re.sub(r"\(.*?\)|\d{4}[—–-]+\d{4}年?|\d{4}年", "", title)
        key = slugify(core)
    taken = set(taken)
    if key in taken:
        period = re.search(r"(\d{4})[—–-]+(\d{4})", title)
        key = f"{key}-{period.group(1)}-{period.group(2)}" if period else key
        n = 2
        base = key
        while key in taken:
            key, n = f"{base}-{n}", n + 1
    return key


def _section_kind(title: str, default: str = "section") -> str:
    r = _rules()
    if any(w in title for w in r["section_kinds"]["goals"]) and any(w in title for w in r["task_section_words"]):
        return "section"
    for kind in ("goals", "measures", "preamble"):
        if any(w in title for w in r["section_kinds"][kind]):
            return kind
    return default


def _read_notice(head: list[Block], tail: list[Block]) -> Notice:
    notice = Notice(None, None, None, None, None, None)
    for i, b in enumerate(head):
        t = b.text
        m = re.search(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d+号", t)
        if m and notice.number is None:
            notice.number = m.group(0)
        if t.endswith("文件") and notice.issuer is None:
            notice.issuer = t[: -len("文件")]
        m = re.match(r"^[^《》。]*?关于[^。]*?(?:通知|意见|决定|通报|批复|公告)", t)
        if m and notice.title is None:
            notice.title, notice.title_start = m.group(0), b.start
            if notice.issuer is None:
                notice.issuer = t.split("关于")[0] or None
            if i + 1 < len(head) and head[i + 1].text.endswith(":"):
                notice.addressees = [a for a in head[i + 1].text[:-1].split(",") if a]
        if _DATE.fullmatch(t) and notice.issued is None and notice.title is not None:
            notice.issued = date(*map(int, _DATE.fullmatch(t).groups()))
        for cm in re.finditer(r"《([^《》]+)》", t):
            if notice.title is not None:
                notice.cited_titles.append(Block(cm.group(1), b.start + cm.start(1)))
    for b in tail:
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日印发", b.text)
        if m:
            notice.printed = date(*map(int, m.groups()))
    copy = " ".join(b.text for b in tail if b.text.startswith("抄送") or not b.text.endswith("印发"))
    m = re.search(r"抄送:(.*)", copy)
    if m:
        body = re.sub(r"\s+", "", m.group(1))
        body = body.split("山西省人民政府办公厅")[0] if notice.issuer is None else body.split(notice.issuer)[0]
        notice.copy_to = [x for x in re.split(r"[,;、。]", body) if x]
    return notice


def _starts_body(b: Block) -> bool:
    """The genre's preamble or a first heading."""
    r = _rules()
    return bool(r["preamble_re"].search(b.text) or _L1.match(b.text) or _L2.match(b.text))


def _title_at(paras: list[Block], i: int) -> tuple[Block, int, str] | None:
    """The plan title at paragraph ``i`` (after a lead such as 附件2), the index of its last paragraph and how it was
    found, if the line reads like a title and the preamble or a heading follows it."""
    r = _rules()
    b = paras[i]
    lead = r["lead_re"].match(b.text)
    text, start = (b.text[lead.end():], b.start + lead.end()) if lead else (b.text, b.start)
    if not text or not is_plan_title(text):
        return None
    last, how = i, "title line"
    if i + 1 < len(paras) and r["period_re"].match(paras[i + 1].text):
        last, how = i + 1, "title and period line"
    following = paras[last + 1: last + 1 + r["title_lookahead"]]
    if following and _title_like(following[0].text):
        return None
    if not any(_starts_body(f) for f in following):
        return None
    title = text if last == i else re.sub(r"\s+", "", text) + paras[last].text
    return Block(title, start), last, how


def _title_like(text: str) -> bool:
    lead = _rules()["lead_re"].match(text)
    return is_plan_title(text[lead.end():] if lead else text)


def _notice_title(head: list[Block]) -> Block | None:
    """A title the notice announces: 《…》 in a paragraph that says it is issued (one ending in a genre word first),
    else the X of the notice's own title 关于印发X的通知."""
    r = _rules()
    cited = [Block(m.group(1), b.start + m.start(1)) for b in head
             if any(w in b.text for w in r["notice_issue_words"]) for m in re.finditer(r"《([^《》]+)》", b.text)]
    for c in cited:
        if r["genre_re"].search(c.text):
            return c
    if cited:
        return cited[0]
    for b in head:
        m = re.search(r"关于印发《?(.+?)》?的通知", b.text)
        if m:
            return Block(m.group(1), b.start + m.start(1))
    return None


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
        if body is None:
            words = "、".join(_rules()["genre_words"])
            raise DocumentError(
                f"{path}: no plan found: looked for a title line ending in a genre word ({words}) with its preamble "
                "(为…,制定本方案) or first heading (一、…) after it, and for top-level headings 一、 with items")
        while body > 0 and _rules()["preamble_re"].search(paras[body - 1].text) and "《" not in paras[body - 1].text:
            body -= 1
        announced = _notice_title(paras[:body])
        if announced:
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


def _task_number(text: str) -> tuple[str, int, str] | None:
    """(family, number, the rest) of a numbered line: 1. / 1、 / (1) / 1) / ①."""
    for family, rx in _rules()["numbers"].items():
        m = rx.match(text)
        if m:
            n = _CIRCLED.index(m.group("c")) + 1 if family == "circled" else int(m.group("n"))
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
    has_l1 = any(_L1.match(b.text) and len(b.text) <= 40 and "。" not in b.text for b in paras)
    # which numbering holds the tasks: the family first used in a task section; none → the (一) items are tasks
    family, kind1, kind2 = None, "section" if not has_l1 else None, None
    for b in paras:
        m1 = _L1.match(b.text)
        if m1 and len(b.text) <= 40 and "。" not in b.text:
            kind1, kind2 = _section_kind(m1.group(2)), None
            continue
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
    item_meta: tuple[str, int, str, Heading | None] | None = None
    preamble: list[Block] = []
    measure_count = 0

    def close_item() -> None:
        nonlocal item_paras, item_meta
        if item_meta is not None:
            kind, number, title, heading = item_meta
            start = item_paras[0].start
            text = "\n".join(p.text for p in item_paras)
            plan.items.append(Item(kind, plan.key, number, title, text, start, heading))
        item_paras, item_meta = [], None

    def start_item(kind: str, number: int, rest: str, heading: Heading | None, b: Block) -> None:
        nonlocal item_meta, item_paras
        close_item()
        item_meta = (kind, number, _item_title(rest), heading)
        item_paras = [b]

    for b in paras:
        t = b.text
        m1 = _L1.match(t)
        if m1 and l1_tasks:
            start_item("task", chinese_numeral(m1.group(1)), m1.group(2), None, b)
            continue
        if m1 and len(t) <= 40 and "。" not in t:
            close_item()
            kind = _section_kind(m1.group(2))
            l1 = Heading(1, m1.group(1), m1.group(2), t, str(chinese_numeral(m1.group(1))), b.start, b.end, None, kind)
            plan.headings.append(l1)
            current, l2 = l1, None
            continue
        if l1 is None and has_l1:
            preamble.append(b)
            continue
        kind = _context_kind(l1, l2)
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
            if ("。" not in t and len(t) <= 60) or sub_kind != l1.kind:
                close_item()
                h = Heading(2, m2.group(1), _strip_section_lead(own), _strip_section_lead(t),
                            f"{l1.key}-{chinese_numeral(m2.group(1))}", b.start, b.end, l1, sub_kind)
                plan.headings.append(h)
                current = l2 = h
                if sub_kind == "goals":
                    plan.goal_blocks.append(b)
                continue
        if m2 and l1 is None and paren_tasks:
            start_item("task", chinese_numeral(m2.group(1)), m2.group(2), None, b)
            continue
        num = _task_number(t)
        if num is None and not has_l1 and r["row_re"].match(t):
            num = ("row", int(r["row_re"].match(t).group("n")), r["row_re"].match(t).group("rest"))
            family = family or "row"
        if num and num[0] == family and kind in ("section", "measures"):
            if kind == "measures":
                measure_count += 1
                start_item("measure", measure_count, num[2], current, b)
            else:
                start_item("task", num[1], num[2], current, b)
            continue
        if item_meta is not None and not (kind == "goals" and item_meta[0] != "measure"):
            item_paras.append(b)
        elif kind == "goals":
            plan.goal_blocks.append(b)
        elif l1 is None:
            preamble.append(b)
    close_item()
    _scope_restarted_numbers(plan, doc)
    for item in plan.items:
        _check_item_span(item)
    if preamble:
        plan.preamble = Block("\n".join(p.text for p in preamble), preamble[0].start)
    return plan


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
    tasks are then scoped by their top-level section, so that they stay unique and stable."""
    numbers = [i.number for i in plan.tasks]
    if len(numbers) == len(set(numbers)):
        return
    for item in plan.tasks:
        top = item.heading
        while top is not None and top.parent is not None:
            top = top.parent
        item.scope = top.key if top else None
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
