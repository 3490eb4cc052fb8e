"""Places as a user names them, and the items that concern them with roll-up.

``resolve_place("晋中")`` finds the entity (a division from the gazetteer, a river, lake or zone from
``extraction/places.yaml``, or a work site the knowledge base read); ``tasks_concerning(dataset, place)`` lists the
tasks and measures that name it, and with ``rollup`` also those that name a division within it (a county or
district of a city) or a river or zone that the data says touches it — each hit says how it was found.
The service and the question answering call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.errors import Ambiguous, NotFound, PlanKBError
from plan_kb.reading.gazetteer import Division, gazetteer
from plan_kb.reading.places import PlaceRef, curated_places, curated_ref, division_ref

if TYPE_CHECKING:
    from rdflib import Dataset

#: How an item was found, best first.
VIA = ("direct", "within", "touches")


@dataclass(frozen=True)
class Place:
    iri: str
    label: str
    kind: str  # AdministrativeRegion | WaterBody | Area
    code: str | None = None
    parents: tuple[str, ...] = ()  # labels, nearest first

    @property
    def display(self) -> str:
        where = "".join(reversed(self.parents))
        return f"{self.label} ({self.code}, {where}{self.label})" if self.code else self.label


@dataclass
class ConcernHit:
    iri: str
    plan: str
    kind: str  # Task | Measure
    number: int | None
    title: str
    via: str  # direct | within | touches
    through: list[str] = field(default_factory=list)  # the places the item names that led here

    def as_dict(self) -> dict:
        return {"iri": self.iri, "plan": self.plan, "kind": self.kind, "number": self.number, "title": self.title,
                "via": self.via, "through": self.through}


def _division_place(d: Division) -> Place:
    return Place(str(place_iri(division_ref(d))), d.name, "AdministrativeRegion", d.code,
                 tuple(a.name for a in gazetteer().ancestors(d)))


def _in_dataset(dataset: Dataset | None, iri: str) -> bool:
    return dataset is not None and (URIRef(iri), None, None) in dataset


def resolve_place(name: str, dataset: Dataset | None = None) -> Place:
    """The place a user means by ``name`` ("晋中", "晋中市", "140700", "汾河", "山西综改示范区").

    Raises NotFound for an unknown name and Ambiguous (with candidates) when it fits several divisions that
    neither the knowledge base nor the level can tell apart."""
    key = "".join(name.split())
    if not key:
        raise PlanKBError("give a place name, e.g. 晋中 or 汾河")
    for entry in curated_places():
        if key in (entry["label"], *entry.get("alt", [])):
            ref = curated_ref(entry)
            return Place(str(place_iri(ref)), entry["label"], "WaterBody" if ref.kind == "water" else "Area")
    gz = gazetteer()
    if key.isdigit():
        d = gz.get(key)
        if d is None:
            raise NotFound(f"no division with code {key}")
        return _division_place(d)
    cands = gz.lookup(key)
    if len(cands) > 1 and dataset is not None:
        known = [d for d in cands if _in_dataset(dataset, str(place_iri(division_ref(d))))]
        home = _jurisdictions(dataset)
        local = [d for d in cands if gz.province_of(d).code in home]
        cands = known or local or cands
    if len(cands) > 1:
        top = min(d.level for d in cands)
        cands = [d for d in cands if d.level == top]
    if len(cands) == 1:
        return _division_place(cands[0])
    if cands:
        raise Ambiguous(f"{name} names {len(cands)} divisions; give the full name or the code",
                        [f"{''.join(reversed([a.name for a in gz.ancestors(d)]))}{d.name} {d.code}" for d in cands])
    if dataset is not None:  # a work site the knowledge base read ("吕梁市区新城段")
        iri = place_iri(PlaceRef("site", key, key))
        if _in_dataset(dataset, str(iri)):
            return Place(str(iri), key, "Area")
    raise NotFound(f"no place named {name}")


def _jurisdictions(dataset: Dataset) -> set[str]:
    """Codes of the provinces the knowledge base's plans belong to (their short names win ties)."""
    q = sparql_prefixes() + "SELECT DISTINCT ?c WHERE { ?plan pkb:jurisdiction/pkb:adminCode ?c }"
    return {str(c) for (c,) in dataset.query(q)}


_QUERY = """
SELECT DISTINCT ?item ?key ?cls ?num ?title ?p ?plabel ?via WHERE {
  { ?item pkb:concernsPlace ?place . BIND(?place AS ?p) BIND("direct" AS ?via) }
  UNION { ?item pkb:concernsPlace ?p . ?p pkb:within+ ?place . BIND("within" AS ?via) }
  UNION { ?item pkb:concernsPlace ?p . ?p pkb:touches ?t . ?t pkb:within* ?place . BIND("touches" AS ?via) }
  ?item a ?cls ; pkb:inPlan/pkb:planKey ?key .
  FILTER(?cls IN (pkb:Task, pkb:Measure))
  OPTIONAL { ?item pkb:number ?num }
  OPTIONAL { ?item dcterms:title ?title }
  OPTIONAL { ?p skos:prefLabel ?plabel }
}
ORDER BY ?key ?num ?item ?via ?p
"""


def tasks_concerning(dataset: Dataset, place: Place | str, rollup: bool = True,
                     touches: bool = True) -> list[ConcernHit]:
    """Tasks and measures concerning ``place``, in plan order. With ``rollup``, also those naming a division
    within it (``via="within"``) and, with ``touches``, a river or zone the data places in it (``via="touches"``)."""
    if isinstance(place, str):
        place = resolve_place(place, dataset)
    allowed = {"direct"} | ({"within"} | ({"touches"} if touches else set()) if rollup else set())
    rows = dataset.query(sparql_prefixes() + _QUERY.replace("?place", URIRef(place.iri).n3()))
    hits: dict[str, ConcernHit] = {}
    for item, key, cls, num, title, _p, plabel, via in rows:
        via = str(via)
        if via not in allowed:
            continue
        h = hits.get(str(item))
        if h is None:
            h = hits[str(item)] = ConcernHit(str(item), str(key), str(cls).rsplit("#", 1)[-1],
                                             int(num) if num is not None else None, str(title or ""), via)
        elif VIA.index(via) < VIA.index(h.via):
            h.via, h.through = via, []
        if via == h.via and via != "direct" and plabel is not None and str(plabel) not in h.through:
            h.through.append(str(plabel))
    return sorted(hits.values(), key=lambda h: (h.plan, h.kind != "Task", h.number or 0, h.title))


def place_iri(ref: PlaceRef) -> URIRef:
    """The IRI the graph gives a place (``graph.places.place_iri``; imported when first needed, since it brings
    the pinyin tables a look-up of a division never uses)."""
    if ref.kind not in ("site", "named-water", "town"):
        from plan_kb.graph.writer import GraphWriter

        return GraphWriter.entity_iri("place", ref.key)
    from plan_kb.graph.places import place_iri as graph_place_iri

    return graph_place_iri(ref)
