"""The one place that mints IRIs and writes provenance, so that every family of facts is written alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from plan_kb.base.namespaces import ID, PKB, PREFIXES
from plan_kb.reading.model import Document, Item, Plan


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
