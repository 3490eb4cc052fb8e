"""The places' vocabulary: what a place mention points to, and the lexicon of every name form the reader looks
for (official division names and their short forms from the gazetteer, the curated waters and zones of
``extraction/places.yaml``, their abbreviations, and the words that are no places). Read by
:mod:`plan_kb.reading.places`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from plan_kb.base.resources import load_yaml
from plan_kb.reading.gazetteer import Division, gazetteer

_COUNT = r"(?:等)?(?:\d+|[一二两三四五六七八九十]+)?个?"

@dataclass(frozen=True)
class PlaceRef:
    """What a mention points to: a division (key = 6-digit code), a curated place (key = its id) or a site."""

    kind: str  # division | water | area | site | named-water (read by its ending) | town
    key: str
    label: str


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str  # the words as written
    ref: PlaceRef
    rule: str  # how it was read: full-name, under-parent, short-in-list, short-with-parent, segment, curated, …


@dataclass(frozen=True)
class UnresolvedPlace:
    start: int
    end: int
    surface: str
    reason: str
    candidates: tuple[str, ...] = ()


@dataclass
class PlaceReading:
    mentions: list[PlaceMention] = field(default_factory=list)
    unresolved: list[UnresolvedPlace] = field(default_factory=list)

    def refs(self) -> list[PlaceRef]:
        """Each place once, in the order first named."""
        seen: dict[PlaceRef, None] = {}
        for m in self.mentions:
            seen.setdefault(m.ref, None)
        return list(seen)


# --- resources ---------------------------------------------------------------------------------------------
@dataclass
class _Form:
    text: str
    kind: str  # name | short | curated | abbr | stop
    divisions: tuple[Division, ...] = ()
    entry: dict[str, Any] | None = None


@dataclass
class _Lexicon:
    by_first2: dict[str, list[_Form]]
    curated: dict[str, dict[str, Any]]
    generic: frozenset[str]
    blocked_after: frozenset[str]
    agency_words: tuple[str, ...]
    list_suffix: re.Pattern[str]
    list_levels: dict[str, str]
    not_site_endings: tuple[str, ...]


def places_data() -> dict[str, Any]:
    return load_yaml("places.yaml")


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = places_data()
    gz = gazetteer()
    forms: dict[str, _Form] = {}
    for name, divs in gz.by_name.items():
        if len(name) >= 2:
            forms[name] = _Form(name, "name", tuple(divs))
    for short, divs in gz.by_short.items():
        if short not in forms:
            forms[short] = _Form(short, "short", tuple(divs))
    curated = {p["id"]: p for p in data["places"]}
    for p in data["places"]:
        for label in [p["label"], *p.get("alt", [])]:
            forms[label] = _Form(label, "curated", entry=p)
    for a in data.get("abbreviations", []):
        forms[a["form"]] = _Form(a["form"], "abbr", entry=curated[a["place"]])
    for word in data.get("not_places", []):
        forms.setdefault(word, _Form(word, "stop"))
        if forms[word].kind in ("short",):
            forms[word] = _Form(word, "stop")
    by_first2: dict[str, list[_Form]] = {}
    for f in forms.values():
        by_first2.setdefault(f.text[:2], []).append(f)
    for lst in by_first2.values():
        lst.sort(key=lambda f: -len(f.text))
    levels = data.get("list_suffixes", {})
    alts = "|".join(re.escape(s) for s in sorted(levels, key=len, reverse=True))
    return _Lexicon(
        by_first2=by_first2, curated=curated,
        generic=frozenset(data.get("generic_division_names", [])),
        blocked_after=frozenset(data.get("blocked_after", [])),
        agency_words=tuple(sorted(data.get("agency_words", []), key=len, reverse=True)),
        list_suffix=re.compile(_COUNT + f"({alts})"),
        list_levels=levels,
        not_site_endings=tuple(data.get("not_site_endings", [])),
    )


def curated_place(key: str) -> dict[str, Any] | None:
    """The entry of ``extraction/places.yaml`` with this id."""
    return _lexicon().curated.get(key)


def curated_places() -> list[dict[str, Any]]:
    return list(_lexicon().curated.values())


def document_province(*texts: str | None) -> Division | None:
    """The province of a document: the first of its issuer, notice title, plan titles that starts with one."""
    gz = gazetteer()
    for t in texts:
        if t:
            p = gz.province_in(t)
            if p:
                return p
    return None


def document_jurisdiction(*texts: str | None) -> Division | None:
    """The most specific division a document's issuer or title starts with: "上海市青浦区人民政府" → 青浦区,
    "汕头市人民政府办公室" → 汕头市, "广东省人民政府办公厅" → 广东省. Its own name is no place its tasks concern."""
    gz = gazetteer()
    return next((d for d in (gz.jurisdiction_in(t.strip()) for t in texts if t) if d is not None), None)


def division_ref(d: Division) -> PlaceRef:
    return PlaceRef("division", d.code, d.name)


def curated_ref(entry: dict[str, Any]) -> PlaceRef:
    return PlaceRef("water" if entry["kind"] == "WaterBody" else "area", entry["id"], entry["label"])
