"""Facets of a search: the values a filter names (by key, label or any name of the entity), the counts of each
value among the hits, and their labels for people."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plan_kb.errors import PlanKBError

if TYPE_CHECKING:
    from plan_kb.answers.search.query import SearchIndex

FACETS = ("plan", "kind", "agency", "role", "place", "year", "indicator", "jurisdiction")
ROLE_LABELS = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "督促指导"}
KIND_LABELS = {"task": "任务", "measure": "保障措施", "goal": "目标"}


class SearchQueryError(PlanKBError):
    """A query or filter the search cannot run: unbalanced quotes, nothing to search for, too long, bad page."""

    status = 400


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip().lower()



@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


def resolve_filters(ix: SearchIndex, filters: dict[str, Any]) -> dict[str, set[str]]:
    """Facet → the set of facet values it selects; a value may be an id, an IRI or a label."""
    out: dict[str, set[str]] = {}
    for facet, raw in filters.items():
        if facet not in FACETS:
            raise SearchQueryError(f"unknown filter {facet!r}; use: {', '.join(FACETS)}")
        values = [raw] if isinstance(raw, str | int) else list(raw or [])
        for v in (str(x).strip() for x in values):
            if v:
                out.setdefault(facet, set()).update(_resolve(ix, facet, v))
    return out


def _resolve(ix: SearchIndex, facet: str, v: str) -> set[str]:
    if facet == "role":
        for key, zh in ROLE_LABELS.items():
            if v in (key, zh):
                return {key}
        raise SearchQueryError(f"unknown role {v!r}; use one of: {', '.join(ROLE_LABELS)}")
    if facet == "kind":
        for key, zh in KIND_LABELS.items():
            if v in (key, zh):
                return {key}
        raise SearchQueryError(f"unknown kind {v!r}; use one of: {', '.join(KIND_LABELS)}")
    if facet == "year":
        if not re.fullmatch(r"\d{4}", v):
            raise SearchQueryError(f"a deadline year is four digits, like 2022, not {v!r}")
        return {v}
    known = {x for m in ix.meta.values() for x in _values(m, facet, {})}
    if v in known:
        return {v}
    if facet == "plan":
        keys = {k.split(":", 1)[1] for k in ix.by_label.get(_fold(v), ()) if k.startswith("plan:")}
    elif facet == "indicator":
        names = {_fold(v)} | ix.alternatives(v)
        keys = {k for k in known if _fold(k) in names}
    else:
        tails = {k for k in known if k.endswith("/" + v)}
        names = {_fold(v)} | ix.alternatives(v)
        keys = tails | {k for n in names for k in ix.by_label.get(n, ()) if k in known}
    if not keys:
        raise SearchQueryError(f"no {facet} {v!r} in the index")
    return keys


def _values(meta: dict, facet: str, selected: dict[str, set[str]]) -> set[str]:
    roles: dict[str, list[str]] = meta["roles"]
    if facet == "agency":
        wanted = selected.get("role") or roles.keys()
        return {a for r in wanted for a in roles.get(r, ())}
    if facet == "role":
        agencies = selected.get("agency")
        return {r for r, ids in roles.items() if ids and (not agencies or agencies & set(ids))}
    if facet == "year":
        return set(meta["years"])
    if facet == "place":
        return set(meta["places"])
    if facet == "indicator":
        return set(meta["indicators"])
    if facet == "jurisdiction":  # the plan's jurisdiction and those above it: 山西省 selects 晋中市's plans too
        return set(meta.get("jurisdictions", ()))
    return {str(meta[facet])}


def facet_list(ix: SearchIndex, counts: dict[str, dict[str, int]],
               selected: dict[str, set[str]]) -> dict[str, list[FacetValue]]:
    """Each facet's values with their counts (over the items that pass every other filter, so a chosen value's
    siblings still show how many items they would give), a chosen value even when none has it; most first (years
    and plans in their own order), then by label and value."""
    out = {}
    for facet in FACETS:
        counted = dict(counts.get(facet, {}))
        chosen = selected.get(facet, set())
        for v in chosen:
            counted.setdefault(v, 0)
        vals = [FacetValue(v, _facet_label(ix, facet, v), c, v in chosen) for v, c in counted.items()]
        vals.sort(key=lambda f: (-f.count, f.label, f.value) if facet not in ("year", "plan") else
                  (f.value if facet == "year" else "", -f.count, f.label, f.value))
        out[facet] = vals
    return out


def _facet_label(ix: SearchIndex, facet: str, v: str) -> str:
    if facet == "role":
        return ROLE_LABELS.get(v, v)
    if facet == "kind":
        return KIND_LABELS.get(v, v)
    if facet == "plan":
        return ix.label(f"plan:{v}")
    if facet in ("agency", "place", "jurisdiction"):
        return ix.label(v)
    return v


# --- hits and snippets --------------------------------------------------------------------------------------------
