"""Places read by their form: towns and streets, and water bodies that neither the gazetteer nor the curated list holds
(issue 14: plans of every province name their own "古巷镇", "韩江", "汤溪水库", "杭州湾").

A name is its ending (镇, 街道, 乡; 江, 河, 湖, 水库, 湾, 港 …) with one to three characters before it, read where its
left edge is plain: the start of a clause, a list mark, a division just named ("潮安区古巷镇"), or a lead word such as
巩固 or 推进 ("巩固韩江干流"). Common nouns that end alike (入河排污口, 河湖长制, 城镇, 重点镇) are refused by the
word lists of ``extraction/places.yaml`` (``named_places``). A pure reader: text in, spans out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from plan_kb.base.resources import load_yaml

_CJK = re.compile(r"[\u4e00-\u9fff]")
_EDGE = set(",.;:!?、()（）“”《》[]【】〔〕—-·/ \n\t，。；：")
_JOINERS = ("、", "和", "及", "与")


@dataclass(frozen=True)
class Named:
    start: int
    end: int
    name: str
    kind: str  # water | town
    type: str  # river, lake, reservoir, bay, harbour, canal | 镇, 街道, 乡


@lru_cache(maxsize=1)
def _conf() -> dict[str, Any]:
    return load_yaml("places.yaml")["named_places"]


def _sorted(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _plain_left(text: str, pos: int, edges: set[int]) -> bool:
    """Nothing before ``pos`` joins the name: a clause start, a list mark, a division's end or a lead word."""
    if pos == 0 or pos in edges or text[pos - 1] in _EDGE:
        return True
    return text[:pos].endswith(_sorted(_conf()["lead_words"]))


def plain_left(text: str, pos: int) -> bool:
    """A name may start at ``pos``: a clause start, a mark or a lead word before it (``named_places.lead_words``)."""
    return _plain_left(text, pos, set())


def _stem_ok(stem: str, refused: tuple[str, ...], tags: bool = True) -> bool:
    """Words of a name: no punctuation, no list words, no lead word at its start ("加强榕江" is 榕江), and not a
    word of speech that cannot start a name ("防范傍河": 防范 is a verb, by jieba's dictionary)."""
    return (all(_CJK.match(c) for c in stem) and not stem.startswith(refused)
            and not stem.startswith(_sorted(_conf()["lead_words"]))
            and not (tags and len(stem) >= 3 and _tag(stem[:2]).startswith(tuple(_conf()["stem_refused_tags"])))
            and not any(j in stem for j in ("的", "等", "、", "和", "及", "与")))


def _foreign(stem: str) -> bool:
    """A stem of four is read as one name only where its first half is no common word ("有效发挥湖" is 有效 + 发挥 +
    湖, "一是推进镇", "万科松花湖"): a transliterated name (桑根达来, 哈毕日嘎) starts with no word of the dictionary,
    or with a place's (雅鲁 ns), and holds no lead word."""
    leads = [w for w in _conf()["lead_words"] if len(w) >= 2]
    return _tag(stem[:2]) in ("?", "ns") and "是" not in stem and not any(w in stem for w in leads)


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """Two-character words of jieba's dictionary with their part of speech, read from the package's dict.txt (the
    global tokenizer is never initialised: it would write its cache to the system temp dir)."""
    from importlib.resources import files

    out: dict[str, str] = {}
    with (files("jieba") / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) == 2:
                out[parts[0]] = parts[2]
    return out


def _tag(word: str) -> str:
    return _tags().get(word) or "?"


def is_word(word: str) -> bool:
    """A two-character word of the dictionary ("示范", "规范")."""
    return word in _tags()


def _generic(text: str, end: int) -> bool:
    return text[:end].endswith(_sorted(_conf()["generic_endings"]))


def waters(text: str, edges: set[int], is_division: Any, is_region: Any = None) -> list[Named]:
    """Water bodies by their ending. ``edges``: offsets where a division name ends; ``is_division(name)``: whether a
    name is a division's name or short form (湛江, 吴江: a division, unless its list is one of water bodies);
    ``is_region(name)``: whether it is a province's or prefecture's (an ending that starts one is none: 国网湖北省…)."""
    conf = _conf()
    endings = conf["water_endings"]
    alts = "|".join(re.escape(e) for e in _sorted(list(endings)))
    not_before = set(conf["water_not_before"])
    refused = _sorted(conf["water_not_stems"])
    not_ending = tuple(conf.get("water_stem_not_ending", []))
    alone = set(conf.get("water_not_stems_alone", []))
    lists = town_lists(text)
    found: list[Named] = []
    for m in re.finditer(alts, text):
        if any(t.start <= m.start() < t.end for t in lists):
            continue
        s, e = m.span()
        after = text[e] if e < len(text) else ""
        own = conf.get("water_not_before_by_ending", {}).get(m.group(0), [])
        if text.startswith(tuple(own), e) or (after in not_before and \
                not text.startswith(tuple(conf.get("water_words_after", ["流域"])), e)):
            continue
        if any((is_region or is_division)(text[s:e + k]) for k in (1, 2) if e + k <= len(text)):
            continue  # 国网湖北省…, 发挥湖南省…: the ending starts a division's name
        if any(f.start <= s < f.end for f in found) or _generic(text, e):
            continue
        for k in (3, 2, 1, 4):  # 雅鲁藏布江: a transliterated name of four, where no shorter stem starts plainly
            if s - k < 0:
                continue
            stem = text[s - k:s]
            if k == 4 and (not _plain_left(text, s - k, edges) or not _foreign(stem)):
                continue
            if stem in alone:
                continue  # "江河"
            before = next((f for f in found if f.start < s and s - k < f.end), None)
            if before is not None and (before.start, before.end) != (s - k, s):
                continue  # "汨罗江平江段": a stem never reaches into part of the water body just read…
            if before is not None:
                found.remove(before)  # …but one that is all of it names a longer one: 梅溪 + 河 → 梅溪河
            if _stem_ok(stem, refused) and not stem.endswith(not_ending) and _plain_left(text, s - k, edges):
                if any(is_division(text[s - k:e + j]) for j in (1, 2, 3) if e + j <= len(text)):
                    break  # "石河子市": the water's name starts a division's name
                if in_org_or_event_name(text, e):
                    break  # "松花江冰雪嘉年华", "芜湖港华燃气有限公司": a name that only borrows the water's
                found.append(Named(s - k, e, stem + m.group(0), "water", endings[m.group(0)]))
                break
    by_ending = conf.get("water_not_before_by_ending", {})
    found = _listed(text, found, [(t.start, t.end) for t in lists], _sorted(list(endings)), "water",
                    lambda at, e: text[at] in not_before or text.startswith(tuple(by_ending.get(e, [])), at),
                    _sorted(conf["generic_endings"]))
    return _drop_divisions(text, found, is_division)


def _drop_divisions(text: str, found: list[Named], is_division: Any) -> list[Named]:
    """A name that is also a division (湛江, 吴江, 椒江) is water only in a list with water bodies that are not."""
    def joined(a: Named, b: Named) -> bool:
        return re.sub(r"^(?:流域|干流|水系|干线)", "", text[a.end:b.start]) in _JOINERS

    out = []
    for i, f in enumerate(found):
        if not is_division(f.name) or text.startswith(("流域", "干流", "水系"), f.end):
            out.append(f)
            continue
        near = [g for g in found[max(0, i - 1):i + 2] if g is not f and not is_division(g.name)
                and (joined(g, f) or joined(f, g))]
        if near:
            out.append(f)
    return out


def towns(text: str, edges: set[int], taken: list[tuple[int, int]]) -> list[Named]:
    """Towns, streets and townships by their ending ("古巷镇", "龙华街道"). A 镇 takes its two characters before after
    any word ("完成庵埠镇改造"); a longer name, a 街道 or a 乡 needs a plain left edge."""
    conf = _conf()
    endings = conf["town_endings"]
    alts = "|".join(re.escape(e) for e in _sorted(list(endings)))
    not_before = set(conf["town_not_before"])
    refused = _sorted(conf["town_not_stems"])
    long_stems = set(conf.get("town_long_stems", []))
    ending_words = _sorted(list(endings))
    found: list[Named] = town_lists(text) + regiments(text)
    taken = taken + [(t.start, t.end) for t in found]
    for m in re.finditer(alts, text):
        s, e = m.span()
        if e < len(text) and text[e] in not_before:
            continue
        if any(a < e and s < b for a, b in taken) or _generic(text, e):
            continue
        pick = None
        for k in ((5, 4, 3, 2) if m.group(0) in long_stems else (3, 2, 4)):  # 桑根达来镇: a name of four
            if s - k < 0:
                continue
            stem = text[s - k:s]
            if k == 4 and m.group(0) not in long_stems and not _foreign(stem):
                continue
            if any(a < s and s - k < b for a, b in taken) or stem.endswith(ending_words):
                continue  # the stem would reach into a division just named, or end a town ("赶水镇乡")
            if _stem_ok(stem, refused, m.group(0) not in long_stems) and _plain_left(text, s - k, edges):
                pick = k  # a transliterated name (那日图苏木) has no parts of speech
                break
        if pick is None and endings[m.group(0)] and s >= 2 and _stem_ok(text[s - 2:s], refused) and \
                not text[s - 2:s].endswith(ending_words) and not any(a < s and s - 2 < b for a, b in taken):
            pick = 2
        if pick is not None:
            found.append(Named(s - pick, e, text[s - pick:e], "town", m.group(0)))
            edges = edges | {e}
    return _listed(text, found, taken, ending_words, "town", lambda at, _e: text[at] in not_before,
                   _sorted(conf["generic_endings"]))


def _listed(text: str, found: list[Named], taken: list[tuple[int, int]], endings: tuple[str, ...], kind: str,
            not_before: Any, generic: tuple[str, ...]) -> list[Named]:
    """A name listed with names already read of the same kind ("在营盘镇、小岭镇、杏坪镇", "烧车淀、藻杂淀") is one
    whatever its first word (小, 下) or the verb before it: the list says what it is. Its stem is the two or three
    characters between the list marks, its ending the found name's; ``kind`` the kind of names listed (town, water),
    ``not_before(at, ending)`` whether the words at ``at``, after the ending, make it another word. A town may be
    listed with towns of another ending (城关镇、下坝乡)."""
    joiners = "、和及与"
    alts = "|".join(re.escape(e) for e in endings)
    after = re.compile(rf"([\u4e00-\u9fff]{{2,3}}?)({alts})")
    changed = True
    while changed:
        changed = False
        spans = [(f.start, f.end) for f in found] + taken
        for f in list(found):
            ending = next((x for x in endings if f.name.endswith(x)), None)
            if f.kind != kind or ending is None:
                continue
            cands = []
            if f.end < len(text) and text[f.end] in joiners:
                m = after.match(text, f.end + 1)
                if m and (kind == "town" or m.group(2) == ending):
                    cands.append((m.start(), m.end()))
            same = [x for x in endings if kind == "town" or x == ending]
            before = next((x for x in same if text.startswith(x, f.start - 1 - len(x))), None)
            if f.start >= 3 and text[f.start - 1] in joiners and before is not None:
                for k in (3, 2):
                    s = f.start - 1 - len(before) - k
                    if s >= 0 and (k == 2 or plain_left(text, s)):
                        cands.append((s, f.start - 1))
                        break
            for s, e in cands:
                own = next(x for x in endings if text[s:e].endswith(x))
                stem = text[s:e].removesuffix(own)
                if any(a < e and s < b for a, b in spans) or text[:e].endswith(generic) or \
                        not all(_CJK.match(c) for c in stem) or any(j in stem for j in joiners + "的等") or \
                        (e < len(text) and not_before(e, ending)):
                    continue
                found.append(Named(s, e, text[s:e], f.kind, own if kind == "town" else f.type))
                changed = True
            if changed:
                break
    return sorted(found, key=lambda t: t.start)


def regiments(text: str) -> list[Named]:
    """The regiments of the 新疆生产建设兵团, town-level units named by their number ("一二一团", "一五〇团",
    "121团"; ``regiment_pattern`` in ``extraction/places.yaml``)."""
    pattern = _conf().get("regiment_pattern")
    if not pattern:
        return []
    return [Named(m.start(1), m.end(1), m.group(1), "town", "团") for m in re.finditer(pattern, text)]


def in_org_or_event_name(text: str, end: int) -> bool:
    """The name ending at ``end`` starts the name of a company, a fund or an event ("松花江冰雪嘉年华",
    "中国龙江森林工业集团有限公司"): the words up to the name's ending join no list and hold no preposition."""
    conf = _conf()
    endings = _sorted(list(conf["fund_endings"]) + list(conf.get("org_endings", [])) +
                      list(conf.get("event_endings", [])))
    gap = "[^" + re.escape("".join(conf.get("name_gap_refused", []))) + r"\W\d]"
    m = re.match(gap + "{0,12}?(?:" + "|".join(map(re.escape, endings)) + ")", text[end:])
    return m is not None


def town_lists(text: str) -> list[Named]:
    """A list of towns that drops the ending and gives it once after a count: "朱家角、金泽、练塘3镇" → 朱家角镇,
    金泽镇, 练塘镇 (as "大同、朔州、忻州3市" names three cities)."""
    endings = "|".join(re.escape(e) for e in _sorted(list(_conf()["town_endings"])))
    lead = _sorted(_conf()["lead_words"])
    out: list[Named] = []
    names = r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})"
    pattern = names + rf"(?:等)?(?:\d+|[一二两三四五六七八九十]+)个?({endings})"
    for m in re.finditer(pattern, text):
        pos = m.start(1)
        for part in m.group(1).split("、"):
            name, start = part, pos
            for w in lead:
                if name.startswith(w) and len(name) - len(w) >= 2:
                    name, start = name[len(w):], pos + len(w)
                    break
            out.append(Named(start, start + len(name), name + m.group(2), "town", m.group(2)))
            pos += len(part) + 1
    return out


def joint_names(text: str) -> list[tuple[int, int, str, list[str]]]:
    """Joint short names of several divisions ("港澳" → 香港特别行政区, 澳门特别行政区), longest first."""
    table: dict[str, list[str]] = _conf()["joint_names"]
    before = _sorted(_conf().get("joint_not_after", []))
    out: list[tuple[int, int, str, list[str]]] = []
    for form in _sorted(list(table)):
        for m in re.finditer(re.escape(form), text):
            if text[:m.start()].endswith(before):
                continue
            if not any(a < m.end() and m.start() < b for a, b, _, _ in out):
                out.append((m.start(), m.end(), form, table[form]))
    return sorted(out)


def in_fund_name(text: str, end: int) -> bool:
    """The division ending at ``end`` starts the name of a fund or budget line ("广东省绿色发展基金")."""
    refused = re.escape("".join(_conf().get("name_gap_refused", [])))
    m = re.match(rf"[^{refused}\W\d]" + "{0,12}?(?:" + "|".join(map(re.escape, _sorted(_conf()["fund_endings"])))
                 + ")", text[end:])
    return m is not None
