"""The vocabularies a rule and a record are read with: the source kinds (``extraction/sources.ttl``), the rule
conventions (``extraction/rules.yaml``), the unit factors (``extraction/unit-factors.yaml``, from QUDT) and the
names a label matcher resolves. Everything here is data loaded once; nothing reads a knowledge base."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from plan_kb.base.resources import EXTRACTION, load_yaml
from plan_kb.reading.quantities import expand_iri, label_key, unit_forms

CHK = "https://w3id.org/plan-kb/check#"
SOURCES_SCHEME = URIRef("https://w3id.org/plan-kb/id/sources")


@cache
def conventions() -> dict[str, Any]:
    """``extraction/rules.yaml``."""
    return load_yaml("rules.yaml")


@cache
def source_scheme() -> Graph:
    """The SKOS scheme of source and facility kinds."""
    return Graph().parse(EXTRACTION / "sources.ttl", format="turtle")


class LabelMatcher:
    """Names of SKOS concepts: a text is read as the concept whose label it equals or, failing that, whose longest
    label it contains (after NFKC, without spaces, case-folded)."""

    def __init__(self, labels: list[tuple[str, str]]):
        self.labels = sorted({(label_key(lab), iri) for lab, iri in labels if label_key(lab)},
                             key=lambda x: -len(x[0]))

    @classmethod
    def of_graph(cls, g: Graph, scheme: URIRef | None = None) -> LabelMatcher:
        out = []
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for c, lab in g.subject_objects(p):
                if scheme is None or (c, SKOS.inScheme, scheme) in g:
                    out.append((str(lab), str(c)))
        return cls(out)

    def exact(self, text: str) -> str | None:
        key = label_key(text)
        found = {iri for lab, iri in self.labels if lab == key}
        return found.pop() if len(found) == 1 else None

    def find(self, text: str) -> str | None:
        """The concept named by ``text``: an exact label, else the longest label inside it."""
        hit = self.exact(text)
        if hit:
            return hit
        key = label_key(text)
        for lab, iri in self.labels:
            if len(lab) >= 2 and lab in key:
                return iri
        return None

    def similar(self, text: str, cutoff: float = 0.7) -> str | None:
        """The concept of the label most like ``text`` (difflib ratio at least ``cutoff``), for names written
        another way ("地表水国考断面优良比例" for 地表水国考断面达到或优于Ⅲ类比例); None when nothing is that close."""
        import difflib

        key = label_key(text)
        if len(key) < 4:
            return None
        best = max(((difflib.SequenceMatcher(None, key, lab).ratio(), iri) for lab, iri in self.labels
                    if len(lab) >= 4), default=(0.0, None))
        return best[1] if best[0] >= cutoff else None


def _closure(g: Graph, iri: str, up: bool) -> list[str]:
    """The concept and every concept above it (``up``) or below it, by skos:broader and skos:narrower alike."""
    out, todo = [], [URIRef(iri)]
    while todo:
        c = todo.pop()
        if str(c) in out:
            continue
        out.append(str(c))
        above, below = g.objects(c, SKOS.broader), g.subjects(SKOS.narrower, c)
        if not up:
            above, below = g.subjects(SKOS.broader, c), g.objects(c, SKOS.narrower)
        todo.extend(n for n in (*above, *below) if isinstance(n, URIRef))
    return out


def broader_closure(g: Graph, iri: str) -> list[str]:
    """The concept and every concept above it."""
    return _closure(g, iri, up=True)


def narrower_closure(g: Graph, iri: str) -> list[str]:
    """The concept and every concept below it."""
    return _closure(g, iri, up=False)


# --- units -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitInfo:
    iri: str
    kind: str  # QUDT quantity kind (local name)
    factor: Decimal  # to the SI unit of the kind
    symbol: str


@cache
def unit_table() -> dict[str, UnitInfo]:
    """Every unit the rules and records may use, by IRI."""
    symbols: dict[str, str] = {}
    for entry in load_yaml("units.yaml")["units"]:
        symbols.setdefault(expand_iri(entry["iri"]), entry["symbol"])
    out = {}
    for curie, entry in load_yaml("unit-factors.yaml")["units"].items():
        iri = expand_iri(curie)
        out[iri] = UnitInfo(iri, entry["kind"], Decimal(entry["factor"]), symbols.get(iri, iri.rsplit("/", 1)[-1]))
    return out


@cache
def _written_units() -> list[tuple[str, str]]:
    """(written form, IRI), longest first: the plans' units table, then the extra spellings of monitoring data."""
    pairs = [(label_key(f), u.iri) for f, u in unit_forms()]
    for curie, forms in load_yaml("unit-factors.yaml")["forms"].items():
        pairs.extend((label_key(f), expand_iri(curie)) for f in forms)
    seen: dict[str, str] = {}
    for f, iri in pairs:
        seen.setdefault(f, iri)
    return sorted(seen.items(), key=lambda x: -len(x[0]))


def read_unit(text: str) -> tuple[str, Decimal] | None:
    """A unit as people write it (mg/m3, 毫克/立方米, μg/m³, 万吨, %) → (IRI, multiplier of the written number);
    None for a unit nobody listed."""
    key = label_key(text).replace("µ", "μ").replace("³", "3").replace("²", "2")
    for written, same in load_yaml("unit-factors.yaml").get("rewrite", {}).items():  # mg/Nm^3 → mg/m3
        key = key.replace(label_key(written), label_key(same))
    if not key:
        return None
    forms = {label_key(f).replace("³", "3").replace("²", "2"): iri for f, iri in _written_units()}
    if key in forms:
        return forms[key], Decimal(1)
    mult = load_yaml("units.yaml").get("multipliers", {})
    for word, m in mult.items():
        if key.startswith(word) and key[len(word):] in forms:
            return forms[key[len(word):]], Decimal(m)
    return None


def convert(value: Decimal, from_iri: str, to_iri: str) -> Decimal | None:
    """``value`` in ``from_iri`` expressed in ``to_iri``; None when the two measure different quantity kinds."""
    table = unit_table()
    a, b = table.get(from_iri), table.get(to_iri)
    if from_iri == to_iri:
        return value
    if a is None or b is None or a.kind != b.kind:
        return None
    return (value * a.factor / b.factor).normalize()


def about_class(concept: str) -> str:
    """The class of records about an indicator concept (and its narrower ones), which a rule's shapes target:
    ``chk:RecordAbout/nitrogen-oxides``. Targeting by it keeps every shape to the records it may concern."""
    return CHK + "RecordAbout/" + concept.split("/indicator/", 1)[-1]


def unit_slug(iri: str) -> str:
    """The local name of a unit IRI, as used in the records graph's value properties (``chk:in-MilliGM-PER-M3``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]
