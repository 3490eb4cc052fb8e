"""Areas defined by geography (``extraction/areas.yaml``): which divisions lie along the Yellow River or in the Fen
River's basin. A rule whose subject names an area ("沿黄及汾河流域县城城区") applies to the places in it; its
"其他…" sibling to the places of the region in none of them. Places roll up: a division is in an area when it or a
division above it is a member, and an area is in its broader one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from plan_kb.base.namespaces import ID
from plan_kb.base.resources import load_yaml
from plan_kb.reading.gazetteer import Division, gazetteer
from plan_kb.reading.quantities import label_key


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    names: tuple[str, ...]
    broader: str | None
    members: frozenset[str]  # division codes

    @property
    def iri(self) -> str:
        return str(ID[f"area/{self.key}"])


@cache
def areas() -> dict[str, Area]:
    """The areas of ``extraction/areas.yaml`` by key; a member the gazetteer does not know is an error."""
    gz = gazetteer()
    out = {}
    for key, entry in load_yaml("areas.yaml")["areas"].items():
        codes = set()
        for name, cited in entry["members"].items():
            found = gz.lookup(name)
            if len(found) != 1:
                raise ValueError(f"areas.yaml: {key}: member {name!r} names {len(found)} divisions")
            unknown = [c for c in cited if c not in entry["sources"]]
            if not cited or unknown:
                raise ValueError(f"areas.yaml: {key}: member {name!r} cites no source or an unknown one {unknown}")
            codes.add(found[0].code)
        out[key] = Area(key, entry["label"], tuple(entry["names"]), entry.get("broader"), frozenset(codes))
    return out


def areas_of(div: Division) -> list[Area]:
    """The areas a division lies in (as a member, under a member, or in a broader area of one)."""
    codes = {div.code, *(d.code for d in gazetteer().ancestors(div))}
    table = areas()
    found = [a for a in table.values() if a.members & codes]
    todo = list(found)
    while todo:
        a = todo.pop()
        up = table.get(a.broader) if a.broader else None
        if up is not None and up not in found:
            found.append(up)
            todo.append(up)
    return found


def areas_named(text: str) -> list[Area]:
    """The areas a subject names, in the order of the text ("沿黄及汾河流域县城城区" → 沿黄, 汾河流域); a name inside a
    longer one counts once (汾河流域 is not also 汾河沿岸)."""
    key = label_key(text)
    hits: list[tuple[int, int, Area]] = []
    for area in areas().values():
        for name in area.names:
            n = label_key(name)
            pos = key.find(n)
            if n and pos >= 0:
                hits.append((pos, pos + len(n), area))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[Area] = []
    end = -1
    for s, e, area in hits:
        if s >= end and area not in out:
            out.append(area)
            end = e
    return out
