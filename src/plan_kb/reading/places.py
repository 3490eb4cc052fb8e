"""Read the places a piece of plan text names: administrative divisions, water bodies and named zones.

A pure reader: text in, mentions out (offsets relative to the text, or to ``base``). The rules are those of
``conventions.md`` "Places":

- an official division name is a place ("太谷区", "运城市"); a name that is also a common noun (城区, 郊区) only right
  after its parent ("阳泉市城区"), and a two-character name (吉县, 古县) only where it is not part of a longer word;
- a suffix-less name is a place in a list of such names ("大同、朔州、忻州3市", "灵丘、繁峙等县"), the list's suffix
  completing the name (怀仁、原平2市 → 怀仁市, 原平市) or, failing that, saying the level; alone, only when its
  parent is named in the same sentence ("忻州市完成宁武…") or when it names the stretch of a river ("汾河太原段");
- a county named right after its city is looked up under that city, and the city carries over a 、 list
  ("太原市尖草坪区、阳曲县、清徐县");
- rivers, lakes, reservoirs and zones come from ``extraction/places.yaml``; a basin ("汾河流域") names its river too,
  and a river list that drops 流域 ("汾河、桑干河流域") names each river's basin;
  沿黄 / 沿汾 name 黄河 / 汾河; a named work site ending in 段 that starts with a place is a zone of its own;
- not places: generic words (全省, 各市, 设区市, 县城), the document's own province (every item concerns it), a
  division that starts an agency name ("山西省生态环境厅"), the closing role parenthetical, and divisions inside a
  document title in 《》 (a title's river or basin still says what the task is about);
- a name several divisions share is read in the document's jurisdiction, then the divisions above it (鼓楼区 in a
  南京 plan is 南京市鼓楼区); still ambiguous, it is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plan_kb.reading import named as by_form
from plan_kb.reading.gazetteer import COUNTY, PREFECTURE, Division, Gazetteer, gazetteer
from plan_kb.reading.place_lexicon import (  # noqa: F401  (re-exported: the places reader's public names)
    PlaceMention,
    PlaceReading,
    PlaceRef,
    UnresolvedPlace,
    _Form,
    _Lexicon,
    _lexicon,
    curated_place,
    curated_places,
    curated_ref,
    division_ref,
    document_jurisdiction,
    document_province,
    places_data,
)

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLE = re.compile(r"《[^《》]*》")
_PAREN = re.compile(r"[(〔\[【]([^()〔〕\[\]【】]*)[)〕\]】]")  # a role note in any of its brackets
_SENTENCE_END = "。;!?\n"
_LIST_JOINERS = ("、", "和", "及", "与")
_ROUTE_JOINERS = ("至", "到")  # the two ends of a road or a line: a list of two
_LEFT_OK = set("和及与在对于至由向将")
_TYPE_CHARS = "市县区旗盟州"  # the type word a list suffix gives back to each name



# --- reading -----------------------------------------------------------------------------------------------
@dataclass
class _Token:
    start: int
    end: int
    form: _Form
    in_title: bool
    accepted: Division | None = None
    rule: str = ""


def _tokens(text: str, lex: _Lexicon) -> list[_Token]:
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)]
    masked = _role_notes(text)
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n - 1:
        if any(a <= i < b for a, b in masked):
            i = next(b for a, b in masked if a <= i < b)
            continue
        hit = next((f for f in lex.by_first2.get(text[i:i + 2], ()) if text.startswith(f.text, i)), None)
        if hit is None:
            i += 1
            continue
        out.append(_Token(i, i + len(hit.text), hit, any(a <= i < b for a, b in titles)))
        i += len(hit.text)
    return out


def _role_notes(text: str) -> list[tuple[int, int]]:
    """The role notes of ``text``: a bracket group with a role word or a role label (roles.yaml) — names inside
    a note are agencies, not places the task concerns."""
    from plan_kb.reading.role_words import rules

    words = rules()["role_or_label_re"]
    return [(m.start(), m.end()) for m in _PAREN.finditer(text) if words.search(m.group(1))]


def _sentence(text: str, pos: int) -> tuple[int, int]:
    a = max(text.rfind(c, 0, pos) for c in _SENTENCE_END) + 1
    ends = [e for e in (text.find(c, pos) for c in _SENTENCE_END) if e >= 0]
    return a, min(ends) if ends else len(text)


def _listed(text: str, a: _Token, b: _Token) -> bool:
    """Two division names joined as a list ("攸县、茶陵县") or as a route's two ends ("株洲至醴陵城际快速通道")."""
    return text[a.end:b.start] in _LIST_JOINERS + _ROUTE_JOINERS


def _under(gz: Gazetteer, d: Division, parent: Division) -> bool:
    return parent in gz.ancestors(d)


def read_places(text: str, province: Division | None = None, base: int = 0,
                own: Division | None = None) -> PlaceReading:
    """Every place ``text`` names. ``province`` is the document's province, ``own`` its jurisdiction (a city or
    district): names inside it win ties, then those above it; it and they are no places; ``base`` shifts offsets."""
    lex, gz = _lexicon(), gazetteer()
    if province is None and own is not None:
        province = gz.province_of(own)
    toks = _tokens(text, lex)
    reading = PlaceReading()
    notes = _role_notes(text)
    nick = _own_nicknames(text, province)
    waters = [w for w in _named_waters(text, toks, gz) if not any(a <= w.start < b for a, b in notes)
              and not any(a < w.end and w.start < b for a, b in nick)]
    toks = [t for t in toks if not any(a < t.end and t.start < b for a, b in nick)]
    toks = [t for t in toks if t.form.kind in ("curated", "abbr")
            or not any(w.start < t.end and t.start < w.end for w in waters)]
    joint = [j for j in by_form.joint_names(text) if not any(a <= j[0] < b for a, b in notes)]
    toks = [t for t in toks if not any(a < t.end and t.start < b for a, b, _, _ in joint)]
    div_toks = [t for t in toks if t.form.kind in ("name", "short")]

    top = own if own is not None else province
    home = [] if top is None else [top, *gz.ancestors(top)]  # the jurisdiction, then the divisions above it

    def in_province(cands: list[Division]) -> list[Division]:  # nearest first: the jurisdiction, its city, province
        tiers = ([d for d in cands if d == top or _under(gz, d, top)] for top in home)
        return next((t for t in tiers if t), []) if home else cands

    # lists of division tokens joined by 、和及与
    groups: list[list[_Token]] = []
    for t in div_toks:
        if groups and _listed(text, groups[-1][-1], t):
            groups[-1].append(t)
        else:
            groups.append([t])
    group_of = {id(t): g for g in groups for t in g}

    parent: Division | None = None  # the city a county list hangs under
    prev: _Token | None = None
    for t in toks:
        f = t.form
        if f.kind == "curated" and by_form.in_org_or_event_name(text, t.end):
            continue  # "长江航运集团": a company's name, not the river
        if f.kind in ("curated", "abbr"):
            assert f.entry is not None
            ref = curated_ref(f.entry)
            reading.mentions.append(PlaceMention(base + t.start, base + t.end, text[t.start:t.end], ref,
                                                 "abbreviation" if f.kind == "abbr" else "curated"))
            river = f.entry.get("river")
            if river and river in lex.curated:
                reading.mentions.append(PlaceMention(base + t.start, base + t.end, text[t.start:t.end],
                                                     curated_ref(lex.curated[river]), "basin-river"))
            t.rule = "curated"
            prev = t
            continue
        if f.kind == "stop":
            prev = t
            continue
        # a division name or short form
        if prev is None or text[prev.end:t.start] not in ("", *_LIST_JOINERS):
            parent = None
        if prev is not None and prev.end == t.start and prev.accepted is not None and prev.accepted.level < COUNTY:
            parent = prev.accepted
        _decide(text, t, lex, gz, home, parent, prev, group_of[id(t)], in_province, reading, base)
        if t.accepted is not None and t.accepted.level < COUNTY and not (prev is not None and prev.end == t.start):
            parent = None
        prev = t

    # a short name whose parent the same sentence names ("忻州市完成宁武地下水污染修复")
    for t in div_toks:
        if t.accepted is None and t.form.kind == "short" and not t.in_title and not _agency_follows(text, t, lex):
            a, b = _sentence(text, t.start)
            named = [u.accepted for u in div_toks if u.accepted is not None and a <= u.start < b]
            cands = [d for d in in_province(list(t.form.divisions)) if any(_under(gz, d, p) for p in named)]
            if len(cands) == 1:
                _accept(t, cands[0], "short-with-parent", text, base, reading)
    _sites(text, toks, lex, base, reading)
    _basins_of_listed_rivers(text, toks, lex, base, reading)
    for w in waters:
        reading.mentions.append(PlaceMention(base + w.start, base + w.end, w.name,
                                             PlaceRef("named-water", w.type, w.name), "water-by-ending"))
    for a, b, form, names in joint:
        for name in names:
            divs = gz.by_name.get(name, [])
            if len(divs) == 1:
                reading.mentions.append(PlaceMention(base + a, base + b, form, division_ref(divs[0]), "joint-name"))
    _towns(text, toks, waters, base, reading, notes)
    mine = {d.code for d in home}  # the document's own, and above it: every item concerns it
    reading.mentions = [m for m in reading.mentions if not (m.ref.kind == "division" and m.ref.key in mine)]
    reading.mentions.sort(key=lambda m: (m.start, m.end))
    _unresolved_waters(text, lex, base, reading)
    return reading


def _own_nicknames(text: str, province: Division | None) -> list[tuple[int, int]]:
    """Where the text calls its own province by its literary name (龙江 in a 黑龙江 plan: "讲好龙江冰雪故事";
    ``province_nicknames`` in places.yaml): every item concerns it, and no river or county hides there."""
    if province is None:
        return []
    forms = [f for f, code in places_data().get("province_nicknames", {}).items() if str(code) == province.code]
    spans: list[tuple[int, int]] = []
    for f in forms:
        for m in re.finditer(re.escape(f), text):
            after = text[m.end()] if m.end() < len(text) else ""
            if after not in _TYPE_CHARS and after not in "省":
                spans.append((m.start(), m.end()))
    return spans


def _named_waters(text: str, toks: list[_Token], gz: Gazetteer) -> list[by_form.Named]:
    edges = {t.end for t in toks if t.form.kind in ("name", "short")}
    curated = [(t.start, t.end) for t in toks if t.form.kind in ("curated", "abbr")]
    def is_region(n: str) -> bool:  # a province or prefecture (湖北, 江苏, 湖州), not a county's short form (江达)
        return any(d.level <= 2 for d in gz.by_name.get(n, []) + gz.by_short.get(n, []))

    found = by_form.waters(text, edges, lambda n: n in gz.by_name or n in gz.by_short, is_region)
    return [w for w in found if not any(a < w.end and w.start < b for a, b in curated)]


def _towns(text: str, toks: list[_Token], waters: list[by_form.Named], base: int, reading: PlaceReading,
           notes: list[tuple[int, int]]) -> None:
    """Towns and streets, under the county named right before them or before their list ("潮安区古巷镇、凤塘镇")."""
    accepted = [t for t in toks if t.accepted is not None or t.rule == "own-province"]
    taken = [(t.start, t.end) for t in accepted] + [(w.start, w.end) for w in waters]
    parent: Division | None = None
    parents: dict[str, Division | None] = {}  # a town named again later in the text is the same town
    last_end = -1
    for tn in by_form.towns(text, {t.end for t in accepted}, taken):
        if any(a <= tn.start < b for a, b in notes):
            continue  # a town in the role note acts; the task does not concern it
        before = next((t for t in accepted if t.end == tn.start and t.accepted is not None), None)
        if before is not None:
            parent = before.accepted
        elif text[last_end:tn.start] not in _LIST_JOINERS or last_end < 0:
            parent = None
        last_end = tn.end
        known = parents.setdefault(tn.name, parent)
        parent = parent or known
        key = f"{parent.code if parent else ''}:{tn.name}"
        reading.mentions.append(PlaceMention(base + tn.start, base + tn.end, tn.name,
                                             PlaceRef("town", key, tn.name), "town-by-ending"))


def _plain_edge(text: str, pos: int) -> bool:
    """A word may start at ``pos``: the text's start, a mark, a joiner or a preposition before it."""
    return pos == 0 or not _CJK.match(text[pos - 1]) or text[pos - 1] in _LEFT_OK or text[pos - 1] in "、"


def _whole(group: list[_Token], text: str) -> bool:
    """A suffix-less list whose last name does not start a town's name: in "中北镇、张家窝镇" 北镇 and 张家 are
    parts of the towns' names, not a list of counties ("加密长春、延吉至…航线" is one)."""
    return re.match(r"[\u4e00-\u9fff]?(?:镇|乡|街道|村|苏木|嘎查)", text[group[-1].end:]) is None


def _agency_follows(text: str, t: _Token, lex: _Lexicon) -> bool:
    return text.startswith(lex.agency_words, t.end)


def _word_boundary(text: str, t: _Token, prev: _Token | None) -> bool:
    """A two-character name (古县, 吉县) stands alone on one side: not "考古县城", "振兴县域"."""
    before = text[t.start - 1] if t.start else ""
    after = text[t.end] if t.end < len(text) else ""
    if not before or not _CJK.match(before) or before in _LEFT_OK:
        return True
    if by_form.is_word(before + text[t.start]):
        return False  # "示范县": 示范 is a word, 范县 is not named
    if prev is not None and prev.end == t.start and prev.rule != "":
        return True
    return not after or not _CJK.match(after) or after in "、和及与等"


def _accept(t: _Token, d: Division, rule: str, text: str, base: int, reading: PlaceReading) -> None:
    t.accepted, t.rule = d, rule
    reading.mentions.append(PlaceMention(base + t.start, base + t.end, text[t.start:t.end], division_ref(d), rule))


def _decide(text: str, t: _Token, lex: _Lexicon, gz: Gazetteer, home: list[Division],
            parent: Division | None, prev: _Token | None, group: list[_Token], in_province: Any,
            reading: PlaceReading, base: int) -> None:
    f = t.form
    if t.in_title or _agency_follows(text, t, lex):
        return
    if t.end < len(text) and text[t.end] in lex.blocked_after:
        return
    if by_form.in_fund_name(text, t.end):
        return  # "广东省绿色发展基金": the fund's issuer, not a place the task concerns
    cands = list(f.divisions)
    if parent is not None:
        under = [d for d in cands if _under(gz, d, parent)]
        if under:
            cands = under
        elif f.kind == "name" and f.text in lex.generic:
            return
    elif f.text in lex.generic:
        return
    if f.kind == "name":
        if len(f.text) == 2 and not _word_boundary(text, t, prev):
            return
        local = in_province(cands)
        if any(d in home for d in local):
            t.rule = "own-province"  # the document's jurisdiction or above: every item concerns it
            return
        pick = local or cands
        edge = _plain_edge(text, t.start) or by_form.plain_left(text, t.start)
        if not local and home and parent is None and not edge:
            return  # "县市监局要会同县财政局": a county of another province only where a word may start
        if len(pick) == 1:
            _accept(t, pick[0], "under-parent" if parent else "full-name", text, base, reading)
        else:
            reading.unresolved.append(UnresolvedPlace(base + t.start, base + t.end, f.text,
                                                      "ambiguous", tuple(f"{d.name} {d.code}" for d in pick)))
        return
    # a suffix-less form
    level = _list_level(text, group, lex) if len(group) >= 2 or lex.list_suffix.match(text, group[-1].end) else None
    if level is not None and any(d.level == level for d in cands):
        cands = [d for d in cands if d.level == level]  # "长春、吉林两市": 吉林市, not the province
    local = in_province(cands)
    if any(d in home for d in local):
        t.rule = "own-province"
        return
    if parent is not None and len(cands) == 1 and _under(gz, cands[0], parent):
        _accept(t, cands[0], "under-parent", text, base, reading)
        return
    if len(group) >= 2 or lex.list_suffix.match(text, group[-1].end):
        if not _whole(group, text):
            return  # "中北镇、张家窝镇": 北镇 and 张家 are parts of words, not a list of names
        if not local and len(cands) == 1 and len(group) >= 2:
            local = cands  # a neighbour across the border ("青浦、吴江、嘉善"): the one division of that name
        pick = _completed(text, t, group, lex, local) or [d for d in local if level is None or d.level == level]
        if len(pick) != 1 and level is None:
            pick = [d for d in pick if d.level == PREFECTURE] or pick
        if len(pick) == 1 and all(u.form.kind in ("name", "short") for u in group):
            _accept(t, pick[0], "short-in-list", text, base, reading)
        return
    # the stretch of a river: 汾河太原段
    if prev is not None and prev.end == t.start and prev.rule == "curated" and text.startswith("段", t.end):
        pick = [d for d in local if d.level == PREFECTURE] or local
        if len(pick) == 1:
            _accept(t, pick[0], "segment", text, base, reading)


def _completed(text: str, t: _Token, group: list[_Token], lex: _Lexicon, local: list[Division]) -> list[Division]:
    """The divisions the list's own suffix completes the name to: "怀仁、原平2市" → 怀仁市, 原平市 (county-level
    cities, although 市 after a list usually means prefectures); "等县(市、区)" tries 县, 市 and 区."""
    m = lex.list_suffix.match(text, group[-1].end)
    if not m:
        return []
    names = {t.form.text + c for c in m.group(1) if c in _TYPE_CHARS}
    aliases = gazetteer().aliases  # 玉树州 is 玉树藏族自治州
    return [d for d in local if d.name in names or any(aliases.get(n) == d for n in names)]


def _list_level(text: str, group: list[_Token], lex: _Lexicon) -> int | None:
    m = lex.list_suffix.match(text, group[-1].end)
    if not m:
        return None
    return {"prefecture": PREFECTURE, "county": COUNTY}.get(lex.list_levels.get(m.group(1), ""))


def _sites(text: str, toks: list[_Token], lex: _Lexicon, base: int, reading: PlaceReading) -> None:
    """A named work site: a run of words from a place to the next 段 ("吕梁市区新城段", "兴县蔚汾河城区段")."""
    covered = -1
    site = re.compile(r"[\u4e00-\u9fff]{1,10}?段")
    for t in toks:
        if t.start < covered or t.in_title or not (t.accepted is not None or t.rule == "curated"):
            continue
        m = site.match(text, t.end)
        if not m:
            continue
        span = text[t.start:m.end()]
        if span.endswith(lex.not_site_endings):
            continue
        covered = m.end()
        reading.mentions.append(PlaceMention(base + t.start, base + m.end(), span,
                                             PlaceRef("site", span, span), "site"))


def _basins_of_listed_rivers(text: str, toks: list[_Token], lex: _Lexicon, base: int,
                             reading: PlaceReading) -> None:
    """A list of rivers that drops the word 流域 is completed: "汾河、桑干河流域" and "汾河、沁河等流域" name each
    river's basin (where places.yaml knows it), as "汾河流域" would."""
    basin_of = {e["river"]: e for e in lex.curated.values() if e.get("river")}
    chain: list[_Token] = []
    for t in toks:
        entry = t.form.entry if t.form.kind == "curated" else None
        if entry is None or t.in_title:
            chain = []
            continue
        if chain and text[chain[-1].end:t.start] not in _LIST_JOINERS:
            chain = []
        if entry.get("type") == "river":
            chain.append(t)
            if not text.startswith(("流域", "等流域"), t.end):
                continue
        elif not (entry.get("river") and chain):
            chain = []
            continue
        for r in chain:
            basin = basin_of.get(r.form.entry["id"]) if r.form.entry else None
            if basin is not None:
                reading.mentions.append(PlaceMention(base + r.start, base + r.end, text[r.start:r.end],
                                                     curated_ref(basin), "basin-in-list"))
        chain = []


def _unresolved_waters(text: str, lex: _Lexicon, base: int, reading: PlaceReading) -> None:
    """Names that look like a river basin, lake or reservoir but are not in places.yaml: for a person to add."""
    known = {lab for p in lex.curated.values() for lab in [p["label"], *p.get("alt", [])]}
    known |= {m.surface for m in reading.mentions if m.ref.kind == "named-water"}
    for m in re.finditer(r"([\u4e00-\u9fff]{2,3}(?:河流域|水库))", text):
        name = m.group(1)
        for k in range(len(name) - 3, -1, -1):
            cand = name[k:]
            if cand in known:
                break
        else:
            if not any(w in name for w in ("等", "和", "及", "重点", "主要", "各", "全", "入", "七", "九")):
                reading.unresolved.append(UnresolvedPlace(base + m.start(), base + m.end(), name, "unknown water"))
