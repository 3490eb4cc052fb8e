"""Read the structure of a plan document: notice, plans, headings, tasks, measures and goal paragraphs.

Written for the genre (provincial and city action plans), not for one file: plan titles are recognised by their
ending (行动计划, 实施方案, …), headings by their numerals with either bracket width or 〔〕, sections by what
their titles say (``extraction/structure.yaml``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from pypinyin import lazy_pinyin

from plan_kb.base.resources import load_yaml
from plan_kb.errors import DocumentError
from plan_kb.reading.model import Block, Document, Heading, Item, Notice, Plan
from plan_kb.reading.normalize import normalize

NUMERALS = "零一二三四五六七八九十"
_NUM = "[一二三四五六七八九十]{1,3}"
_L1 = re.compile(rf"^({_NUM})、(.+)$")
_L2 = re.compile(rf"^[(〔【]({_NUM})[)〕】]\s*(.+)$")
_TASK = re.compile(r"^(\d{1,3})[.、]\s*(.+)$")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def chinese_numeral(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20."""
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (NUMERALS.index(tens) if tens else 1) * 10 + (NUMERALS.index(ones) if ones else 0)
    return NUMERALS.index(s)


def slugify(s: str) -> str:
    """An ASCII slug: Chinese by its pinyin initials, digits kept. 晋政办发〔2022〕95号 → jzbf-2022-95."""
    parts: list[str] = []
    for chunk in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", s):
        if re.match(r"[\u4e00-\u9fff]", chunk):
            if chunk == "号":
                continue
            parts.append("".join(p[0] for p in lazy_pinyin(chunk) if p))
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


def _rules() -> dict:
    return load_yaml("structure.yaml")


def is_plan_title(text: str) -> bool:
    r = _rules()
    return (len(text) <= r["plan_title_max_length"] and not re.search(r"[《》。,;:]", text)
            and "关于" not in text and re.search(r["plan_title_pattern"], text) is not None)


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
        core = re.sub(r"\d{4}[—–-]+\d{4}年?|\d{4}年", "", title)
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


def _section_kind(title: str) -> str:
    r = _rules()
    for kind in ("goals", "measures", "preamble"):
        if any(w in title for w in r["section_kinds"][kind]):
            return kind
    return "section"


def _read_notice(head: list[Block], tail: list[Block]) -> Notice:
    notice = Notice(None, None, None, None, None, None)
    for i, b in enumerate(head):
        t = b.text
        m = re.search(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d+号", t)
        if m and notice.number is None:
            notice.number = m.group(0)
        if t.endswith("文件") and notice.issuer is None:
            notice.issuer = t[: -len("文件")]
        if "关于" in t and re.search(r"(通知|意见|决定|通报|批复)$", t) and notice.title is None:
            notice.title, notice.title_start = t, b.start
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


def read_text(text: str, path: Path | str = "<text>", taken_keys: Iterable[str] = ()) -> Document:
    """Read one document from its original text."""
    path = Path(path)
    if not text.strip():
        raise DocumentError(f"{path}: the file is empty")
    normalized = normalize(text)
    paras = _paragraphs(normalized.text)
    title_idx = [i for i, b in enumerate(paras) if is_plan_title(b.text)]
    if not title_idx:
        raise DocumentError(f"{path}: no plan found (no title line ending in 行动计划, 实施方案, 工作方案 …)")
    head = paras[: title_idx[0]]
    trailer_idx = next((i for i, b in enumerate(paras) if b.text.startswith("抄送")), len(paras))
    # a signature and print date after the last plan belong to the trailer too
    if trailer_idx == len(paras):
        printed = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发")
        while trailer_idx > title_idx[-1] + 1 and printed.fullmatch(paras[trailer_idx - 1].text):
            trailer_idx -= 1
    tail = paras[trailer_idx:]
    notice = _read_notice(head, tail)
    slug = slugify(notice.number) if notice.number else slugify(path.stem)
    doc = Document(path, slug, text, normalized, notice)
    taken = list(taken_keys)
    bounds = [*title_idx, trailer_idx]
    for a, b in itertools.pairwise(bounds):
        plan = _read_plan(paras[a:b], taken)
        taken.append(plan.key)
        doc.plans.append(plan)
    return doc


def _read_plan(paras: list[Block], taken: list[str]) -> Plan:
    title_block = paras[0]
    period = re.search(r"(\d{4})[—–-]+(\d{4})", title_block.text)
    plan = Plan(key=plan_key(title_block.text, taken), title=title_block.text, title_start=title_block.start,
                start=title_block.start, end=paras[-1].end,
                period=(int(period.group(1)), int(period.group(2))) if period else None)
    l1: Heading | None = None
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

    for b in paras[1:]:
        t = b.text
        m1 = _L1.match(t)
        if m1 and len(t) <= 40 and "。" not in t:
            close_item()
            kind = _section_kind(m1.group(2))
            l1 = Heading(1, m1.group(1), m1.group(2), t, str(chinese_numeral(m1.group(1))), b.start, b.end, None, kind)
            plan.headings.append(l1)
            current = l1
            continue
        if l1 is None:
            preamble.append(b)
            continue
        m2 = _L2.match(t)
        if m2 and l1.kind == "measures":
            close_item()
            measure_count += 1
            title = m2.group(2).split("。")[0]
            item_meta = ("measure", measure_count, title, l1)
            item_paras = [b]
            continue
        if m2 and l1.kind == "goals":
            close_item()
            plan.goal_blocks.append(b)
            continue
        if m2 and "。" not in t and len(t) <= 60:
            close_item()
            h = Heading(2, m2.group(1), m2.group(2), t, f"{l1.key}-{chinese_numeral(m2.group(1))}",
                        b.start, b.end, l1, l1.kind)
            plan.headings.append(h)
            current = h
            continue
        mt = _TASK.match(t)
        if mt and l1.kind in ("section", "measures"):
            close_item()
            if l1.kind == "measures":
                measure_count += 1
                item_meta = ("measure", measure_count, mt.group(2).split("。")[0], current)
            else:
                item_meta = ("task", int(mt.group(1)), mt.group(2).split("。")[0], current)
            item_paras = [b]
            continue
        if item_meta is not None:
            item_paras.append(b)
        elif l1.kind == "goals":
            plan.goal_blocks.append(b)
    close_item()
    # paragraphs joined: an item's text runs over its paragraphs, newline between them
    for item in plan.items:
        _check_item_span(item)
    if preamble:
        plan.preamble = Block("\n".join(p.text for p in preamble), preamble[0].start)
    return plan


def _check_item_span(item: Item) -> None:
    """Items are contiguous runs of paragraphs; their text is exactly the normalised text of their span."""
    if "\n\n" in item.text:
        raise DocumentError(f"item {item.plan_key} {item.key} is not contiguous")


def read_file(path: Path, taken_keys: Iterable[str] = ()) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded); save it as UTF-8") from exc
    return read_text(text, path, taken_keys)


def read_corpus(folder: Path) -> list[Document]:
    """Every ``*.txt`` under ``folder``, in name order, with plan keys unique across the corpus: where two plans
    would have one key, the earlier published document keeps it (adding a newer document never renames the plans
    of an older one)."""
    if not folder.exists():
        raise DocumentError(f"{folder}: no such corpus folder")
    if not folder.is_dir():
        raise DocumentError(f"{folder}: not a folder")
    files = sorted(folder.rglob("*.txt"))
    if not files:
        raise DocumentError(f"{folder}: no *.txt documents in this folder")
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
