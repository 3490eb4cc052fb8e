"""How a plan is found in a document, and what the covering notice says: the title lines of the genre (by their
position: a line ending in a genre word that the preamble or first heading follows), a title only announced in the
notice, the notice's number, issuer, date and addressees, and the slugs and plan keys derived from them. The words
are data in ``extraction/structure.yaml``; read by :mod:`plan_kb.reading.structure`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from pypinyin import lazy_pinyin

from plan_kb.base.resources import load_yaml
from plan_kb.reading.model import Block, Notice

_NUM = "[一二三四五六七八九十]{1,3}"
_L1 = re.compile(rf"^({_NUM})、(.+)$")
_L2 = re.compile(rf"^[(〔【]({_NUM})[)〕】]\s*(.+)$")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


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
    r["preamble_goal_re"] = re.compile(r["preamble_goal_pattern"])
    r["goal_label_re"] = re.compile(r["goal_label_pattern"])
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


@lru_cache(maxsize=1)
def metadata_label_re() -> str:
    """Every label of a web page's metadata lines (``metadata_labels`` in ``structure.yaml``, the one list), as one
    alternation, each label allowing spaces between its characters (索 引 号)."""
    labels = [w for ws in load_yaml("structure.yaml")["metadata_labels"].values() for w in ws]
    return "|".join(r"\s*".join(map(re.escape, w)) for w in sorted(labels, key=len, reverse=True))


def metadata_line_re() -> str:
    """A line that opens with a metadata label and its colon ("索引号:…", "文 号:…")."""
    return rf"^(?:{metadata_label_re()})\s*:"


def metadata(head: list[Block]) -> dict[str, str]:
    """The label:value pairs of a web page's metadata block (``metadata_labels`` in ``structure.yaml``), by label."""
    rx = re.compile(rf"({metadata_label_re()})\s*:")
    out: dict[str, str] = {}
    for b in head:
        found = list(rx.finditer(b.text))
        if not found or found[0].start() != 0:
            continue
        for m, nxt in zip(found, [*found[1:], None], strict=True):
            out.setdefault(re.sub(r"\s+", "", m.group(1)), b.text[m.end(): nxt.start() if nxt else len(b.text)].strip())
    return out


def _metadata_notice(notice: Notice, head: list[Block]) -> None:
    meta = metadata(head)
    labels = _rules()["metadata_labels"]
    first = {k: next((meta[w] for w in labels[k] if meta.get(w)), None) for k in ("issuer", "number", "issued")}
    notice.issuer = notice.issuer or first["issuer"]
    notice.number = notice.number or first["number"]
    m = re.match(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})", first["issued"] or "")
    if m and notice.issued is None:
        notice.issued = date(*map(int, m.groups()))


def _read_notice(head: list[Block], tail: list[Block]) -> Notice:
    notice = Notice(None, None, None, None, None, None)
    meta = re.compile(metadata_line_re())
    i = -1
    for b in head:
        t = b.text
        m = re.search(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d+号", t)
        if meta.match(t):  # "索引号:…", "文号:…": a web page's lines above the document
            if m and notice.number is None:
                notice.number = m.group(0)
            continue
        i += 1
        if m and notice.number is None:
            notice.number = m.group(0)
        if t.endswith("文件") and notice.issuer is None:
            notice.issuer = t[: -len("文件")]
        elif i == 0 and notice.issuer is None and re.fullmatch(_rules()["issuer_line"], t):
            notice.issuer = t  # a notice published without its 文件 header: "南宁市青秀区人民政府办公室"
        m = re.match(r"^[^《》。]*?关于[^。]*?(?:通知|意见|决定|通报|批复|公告)", t)
        if m and notice.title is None:
            notice.title, notice.title_start = m.group(0), b.start
            if notice.issuer is None:
                notice.issuer = t.split("关于")[0] or None
            k = head.index(b)
            if k + 1 < len(head) and head[k + 1].text.endswith(":"):
                notice.addressees = [a for a in head[k + 1].text[:-1].split(",") if a]
        if _DATE.fullmatch(t) and notice.issued is None and notice.title is not None:
            notice.issued = date(*map(int, _DATE.fullmatch(t).groups()))
        for cm in re.finditer(r"《([^《》]+)》", t):
            if notice.title is not None:
                notice.cited_titles.append(Block(cm.group(1), b.start + cm.start(1)))
    _metadata_notice(notice, head)  # what the notice itself does not say, from the web page's metadata lines
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
