"""The jurisdiction of a document: the government whose plan it is, read from the notice's issuer
(``潮州市人民政府办公室`` → 潮州市 445100), else the title's place name (``关于加快徐汇区…`` → 上海市徐汇区), else a
provincial document number's prefix (``晋政办发`` → 山西省); and the governments a name's level prefix means in it
(``省`` → its province, ``市`` → its city, ``区`` → itself when it is a district).

    >>> read_jurisdiction("潮州市人民政府办公室", "潮府办〔2023〕12号", []).division.code
    '445100'

Pure: names in, divisions of the gazetteer (``reading.gazetteer``) out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from plan_kb.base.resources import load_yaml
from plan_kb.reading.gazetteer import COUNTY, PREFECTURE, PROVINCE, Division, gazetteer

_LONGEST = 12  # no division name is longer than this
_TITLE_OPENERS = re.compile(r"^(?:关于(?:印发|加快推进|加快|进一步|推进|促进|加强|深入)?)")


@dataclass(frozen=True)
class Jurisdiction:
    """A document's jurisdiction, how it was read, and what did not agree with it."""

    division: Division
    source: str  # issuer | title | number
    evidence: str  # the words it was read from

    @property
    def name(self) -> str:
        return full_name(self.division)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """One-character province abbreviations of document numbers (晋 → 140000)."""
    return {k: str(v) for k, v in load_yaml("jurisdictions.yaml")["province_abbreviations"].items()}


def full_name(div: Division) -> str:
    """The name a government's bodies carry: 山西省, 潮州市, 南京市高淳区 (a county-level unit under a city or a
    municipality carries the city's name), 济源市 (under its province directly)."""
    if div.level == COUNTY and div.parent:
        parent = gazetteer().get(div.parent)
        if parent is not None and (parent.level == PREFECTURE or parent.name.endswith("市")):
            return parent.name + div.name
    return div.name


def chain(div: Division | None) -> list[Division]:
    """The division and the ones above it, nearest first."""
    return [] if div is None else [div, *gazetteer().ancestors(div)]


def under(div: Division, top: Division) -> bool:
    """``div`` is ``top`` or lies inside it."""
    return div == top or top in gazetteer().ancestors(div)


def prefix_target(prefix: str, home: Division | None) -> Division | None:
    """The government a level prefix means in a document of ``home``: 省 its province, 市 its city (or itself when
    it is a county-level city), 州 its autonomous prefecture, 区 / 县 itself when it is a district / county."""
    if home is None:
        return None
    levels = chain(home)
    if prefix in ("省", "自治区"):
        top = levels[-1]
        return top if top.name.endswith(("省", "自治区")) else None
    if prefix == "市":
        for d in levels:
            if d.name.endswith("市") and (d.level in (PREFECTURE, PROVINCE) or d == home):
                return d
        return None
    if prefix == "州":
        return next((d for d in levels if d.level == PREFECTURE and d.name.endswith("州")), None)
    if prefix in ("区", "县"):
        return home if home.level == COUNTY and home.name.endswith(prefix) else None
    return None


def leading_division(text: str, home: Division | None = None) -> tuple[Division, int] | None:
    """The division a name begins with, and how many characters it takes: ``上海市青浦区人民政府`` → 青浦区
    (310118), 6. A name several divisions share is taken only where one of them lies in ``home``'s province; a
    county named right after its city is looked up under that city."""
    gz = gazetteer()
    found: Division | None = None
    pos = 0
    while True:
        hit = None
        for n in range(min(_LONGEST, len(text) - pos), 1, -1):
            cands = gz.by_name.get(text[pos:pos + n], [])
            if found is not None:
                cands = [d for d in cands if d.parent == found.code]
            elif len(cands) > 1:
                cands = _prefer_home(cands, home)
            if len(cands) == 1:
                hit = (cands[0], n)
                break
        if hit is None:
            break
        found, pos = hit[0], pos + hit[1]
    return (found, pos) if found is not None else None


def _prefer_home(cands: list[Division], home: Division | None) -> list[Division]:
    if home is None:
        return cands
    for top in chain(home):  # nearest first: inside the city, then inside the province
        inside = [d for d in cands if under(d, top)]
        if inside:
            return inside
    return cands


def _division_in_title(title: str) -> tuple[Division, str] | None:
    """The first division a title names in full (``关于加快徐汇区生物医药…`` → 徐汇区), if only one division has
    that name."""
    text = _TITLE_OPENERS.sub("", title)
    for i in range(len(text) - 1):
        got = leading_division(text[i:])
        if got is not None and got[1] >= 3:
            return got[0], text[i:i + got[1]]
    return None


def read_jurisdiction(issuer: str | None, number: str | None, titles: list[str]) -> Jurisdiction | None:
    """The document's jurisdiction from its issuer, else its titles, else a provincial document number; None when
    none of them names one."""
    result: Jurisdiction | None = None
    if issuer:
        got = leading_division(issuer)
        if got is not None:
            result = Jurisdiction(got[0], "issuer", issuer)
    # a division a title names, in any title, before the city of a development zone a title names
    for find in (_division_in_title, _zone_city):
        if result is not None:
            break
        got_t = next((g for t in titles if t and (g := find(t)) is not None), None)
        if got_t is not None:
            result = Jurisdiction(got_t[0], "title", got_t[1])
    if result is None and _number_province(number) is not None:
        # only as a last resort: cities number their documents alike (宁政办发 is 南京's, 宁 is also 宁夏's)
        result = Jurisdiction(_number_province(number), "number", number or "")  # type: ignore[arg-type]
    return result


def _zone_city(title: str) -> tuple[Division, str] | None:
    """``银川经济技术开发区…`` → 银川市: a prefecture-level city's short name right before a zone word
    (``zone_words`` in ``extraction/jurisdictions.yaml``) at the start of a title."""
    text = _TITLE_OPENERS.sub("", title)
    words = tuple(load_yaml("jurisdictions.yaml").get("zone_words", []))
    for k in (4, 3, 2):
        cands = [d for d in gazetteer().by_short.get(text[:k], []) if d.level == PREFECTURE]
        if len(cands) == 1 and text[k:].startswith(words):
            return cands[0], text[:k]
    return None


def _number_province(number: str | None) -> Division | None:
    """``晋政办发〔2022〕95号`` → 山西省: a one-character province abbreviation before 政 / 办 (a provincial
    government's document); a city's numbers (潮府办, 宁政办发) are not read, their abbreviations collide."""
    if not number:
        return None
    m = re.match(r"^([\u4e00-\u9fff])(?:政办?发|办发|政办函|政函)", number)
    if not m:
        return None
    code = _abbreviations().get(m.group(1))
    return gazetteer().get(code) if code else None


_SHORT_NAME = re.compile(r"([\u4e00-\u9fff]{2,20}?(市|县|区|旗|州|省))[(（]以下简称[“\"]?"
                         r"([\u4e00-\u9fff]{2,4})[”\"]?[)）]")


def level_aliases(text: str) -> dict[str, str]:
    """The short names a document gives its own government, with the level they stand for: "第八师石河子市(以下简称
    "师市")" → {"师市": "市"}, so that "师市水利局" is the city's 水利局. Only a short name ending in the level of the
    name it shortens; ``prefix_levels`` of ``extraction/roles.yaml`` holds the genre's own (师市)."""
    from plan_kb.reading.role_words import rules

    out = dict(rules()["prefix_levels"])
    for m in _SHORT_NAME.finditer(text):
        if m.group(3).endswith(m.group(2)) and m.group(3) != m.group(2):
            out[m.group(3)] = m.group(2)
    return out


def as_level(name: str, aliases: dict[str, str]) -> str | None:
    """``name`` with a short name of the government at its start read as its level ("师市水利局" → "市水利局")."""
    for short in sorted(aliases, key=len, reverse=True):
        if name.startswith(short) and len(name) > len(short) + 1:
            return aliases[short] + name[len(short):]
    return None
