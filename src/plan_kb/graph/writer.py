"""The one place that mints IRIs and writes provenance, so that every family of facts is written alike.

A document's facts go into its own named graph (``id:graph/<slug>``). The entities documents share are described
once, in the graph of the registry they come from (:data:`ENTITY_GRAPHS`): agencies (with their kinds), places,
cited works, the indicator scheme. A document's graph only links to them, so a base of many documents states every
shared fact once and the union default graph never returns a row per document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from plan_kb.base.namespaces import ID, PKB, PREFIXES
from plan_kb.reading.model import Document, Item, Plan

#: The graphs of shared entities, one per registry. Every other named graph is one document's.
ENTITY_GRAPHS: dict[str, URIRef] = {
    "agencies": ID["graph/agencies"],      # extraction/agencies.yaml, names a document gives, issuers, agency kinds
    "places": ID["graph/places"],          # the gazetteer, extraction/places.yaml, named work sites
    "works": ID["graph/works"],            # documents cited in 《》
    "indicators": ID["graph/indicators"],  # extraction/indicators.ttl (SKOS)
}


def is_entity_graph(iri: str) -> bool:
    return iri in {str(g) for g in ENTITY_GRAPHS.values()}


@dataclass
class BuildReport:
    """What a build wants a person to look at: doubts, unregistered names, warnings. Written as report.json."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    doubts: list[dict[str, Any]] = field(default_factory=list)
    healings: list[dict[str, Any]] = field(default_factory=list)
    unregistered_agencies: list[dict[str, Any]] = field(default_factory=list)
    unresolved_places: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def warn(self, kind: str, message: str, **where: Any) -> None:
        self.warnings.append({"kind": kind, "message": message, **where})

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


class GraphWriter:
    """Writes one document into its own named graph of ``dataset``."""

    def __init__(self, dataset: Dataset, doc: Document, report: BuildReport):
        self.dataset = dataset
        self.doc = doc
        self.report = report
        self.doc_iri = ID[f"doc/{doc.slug}"]
        self.graph_iri = ID[f"graph/{doc.slug}"]
        self.g: Graph = dataset.graph(self.graph_iri)
        self.state: dict[str, Any] = {}  # what a family carries from one item of the document to the next
        for k, v in PREFIXES.items():
            self.g.bind(k, v)

    # IRIs ---------------------------------------------------------------------------------------------------
    def plan_iri(self, plan: Plan) -> URIRef:
        return ID[f"{self.doc.slug}/{plan.key}"]

    def item_iri(self, item: Item) -> URIRef:
        return ID[f"{self.doc.slug}/{item.plan_key}/{item.key}"]

    def child_iri(self, parent: URIRef, kind: str, n: int | str) -> URIRef:
        """A node that belongs to an item: ``…/water/task/5/deadline/1``."""
        return URIRef(f"{parent}/{kind}/{n}")

    @staticmethod
    def entity_iri(kind: str, slug: str) -> URIRef:
        """A node shared by documents: ``id:agency/…``, ``id:place/…``."""
        return ID[f"{kind}/{slug}"]

    # triples ------------------------------------------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.g.add((s, p, o))

    def zh(self, text: str) -> Literal:
        return Literal(text, lang="zh")

    def provenance(self, node: URIRef, start: int, end: int) -> None:
        """``pkb:sourceText`` is exactly the normalised text between the offsets."""
        if not 0 <= start < end <= len(self.doc.text):
            raise ValueError(f"bad span {start}..{end} for {node}")
        self.g.add((node, PKB.sourceText, Literal(self.doc.text[start:end], lang="zh")))
        self.g.add((node, PKB.sourceStart, Literal(start, datatype=XSD.integer)))
        self.g.add((node, PKB.sourceEnd, Literal(end, datatype=XSD.integer)))
        self.g.add((node, PROV.wasDerivedFrom, self.doc_iri))

    def typed(self, node: URIRef, cls: URIRef) -> URIRef:
        self.g.add((node, RDF.type, cls))
        return node

    # shared entities ----------------------------------------------------------------------------------------
    def shared(self, registry: str) -> Graph:
        """The graph where the entities of ``registry`` (a key of :data:`ENTITY_GRAPHS`) are described."""
        return self.dataset.graph(ENTITY_GRAPHS[registry])

    def describe(self, registry: str, s: URIRef, p: URIRef, o: Any) -> None:
        """A fact about a shared entity: stated once for the whole base, whichever document names it."""
        self.shared(registry).add((s, p, o))

    def described(self, registry: str, node: URIRef, cls: URIRef) -> bool:
        return (node, RDF.type, cls) in self.shared(registry)
