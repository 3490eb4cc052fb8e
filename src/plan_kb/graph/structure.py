"""The document, its notice, plans, headings, tasks and measures, with their provenance."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from plan_kb.base.namespaces import ELI, PKB
from plan_kb.graph.writer import GraphWriter
from plan_kb.reading.model import Heading, Plan


def write_document(w: GraphWriter) -> None:
    doc, g, d = w.doc, w.g, w.doc_iri
    n = doc.notice
    w.typed(d, PKB.Document)
    w.typed(d, PROV.Entity)
    g.add((d, PKB.sourceFile, Literal(doc.path.name)))
    g.add((d, PKB.characterCount, Literal(len(doc.text), datatype=XSD.integer)))
    if n.number:
        g.add((d, PKB.documentNumber, Literal(n.number)))
        g.add((d, DCTERMS.identifier, Literal(n.number)))
    if n.title:
        g.add((d, DCTERMS.title, w.zh(n.title)))
    if n.issuer:
        g.add((d, DCTERMS.publisher, _issuer(w, n.issuer)))
    if n.issued:
        g.add((d, DCTERMS.issued, Literal(n.issued)))
    if n.printed:
        g.add((d, PKB.printed, Literal(n.printed)))
    for a in n.addressees:
        g.add((d, PKB.addressee, w.zh(a)))
    for c in n.copy_to:
        g.add((d, PKB.copyTo, w.zh(c)))


def _issuer(w: GraphWriter, name: str) -> URIRef:
    """The agency the issuer is in the document's jurisdiction where a standard or named body fits; else a node of
    its own (an issuer carries no role, so it is not reported as an unregistered agency)."""
    from plan_kb.graph.jurisdiction import jurisdiction_of
    from plan_kb.graph.roles import agency_node
    from plan_kb.reading.agencies import resolve
    from plan_kb.reading.structure import slugify

    j = jurisdiction_of(w)
    if resolve(name, j.division if j else None).registered:
        return agency_node(w, name)
    node = w.entity_iri("agency", "issuer-" + slugify(name))
    w.describe("agencies", node, RDF.type, PKB.Agency)
    w.describe("agencies", node, SKOS.prefLabel, w.zh(name))
    return node


def write_plan(w: GraphWriter, plan: Plan) -> None:
    g = w.g
    p = w.typed(w.plan_iri(plan), PKB.Plan)
    w.typed(p, ELI.LegalResource)
    g.add((p, DCTERMS.title, w.zh(plan.title)))
    g.add((p, PKB.planKey, Literal(plan.key)))
    g.add((p, DCTERMS.isPartOf, w.doc_iri))
    g.add((w.doc_iri, DCTERMS.hasPart, p))
    w.provenance(p, plan.title_start, plan.title_end or plan.title_start + len(plan.title))
    if plan.period:
        g.add((p, PKB.periodStart, Literal(plan.period[0], datatype=XSD.gYear)))
        g.add((p, PKB.periodEnd, Literal(plan.period[1], datatype=XSD.gYear)))
    if plan.preamble:
        g.add((p, PKB.preamble, w.zh(plan.preamble.text)))
    for h in plan.headings:
        write_heading(w, plan, h)
    for item in plan.items:
        node = w.typed(w.item_iri(item), PKB.Task if item.kind == "task" else PKB.Measure)
        w.typed(node, ELI.LegalResourceSubdivision)
        g.add((node, PKB.inPlan, p))
        g.add((node, PKB.number, Literal(item.number, datatype=XSD.integer)))
        g.add((node, DCTERMS.title, w.zh(item.title)))
        g.add((node, PKB.text, w.zh(item.text)))
        parent = heading_iri(w, plan, item.heading) if item.heading else p
        g.add((node, DCTERMS.isPartOf, parent))
        w.provenance(node, item.start, item.end)


def heading_iri(w: GraphWriter, plan: Plan, h: Heading):
    return w.child_iri(w.plan_iri(plan), "section", h.key)


def write_heading(w: GraphWriter, plan: Plan, h: Heading) -> None:
    node = w.typed(heading_iri(w, plan, h), PKB.Section)
    w.g.add((node, DCTERMS.title, w.zh(h.title)))
    w.g.add((node, RDFS.label, w.zh(h.label)))
    w.g.add((node, PKB.headingLevel, Literal(h.level, datatype=XSD.integer)))
    w.g.add((node, PKB.sectionKind, Literal(h.kind)))
    w.g.add((node, PKB.inPlan, w.plan_iri(plan)))
    parent = heading_iri(w, plan, h.parent) if h.parent else w.plan_iri(plan)
    w.g.add((node, DCTERMS.isPartOf, parent))
    w.provenance(node, h.start, h.end)
