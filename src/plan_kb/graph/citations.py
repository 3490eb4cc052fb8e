"""Documents cited in 《》 (contract: ``pkb:cites`` to a node with ``dcterms:title``).

Tasks, measures and plans (their preamble and goal paragraphs) cite; the cited work is one node per title, shared
by every document that cites it and described once, in the works' graph (``id:graph/works``). Each mention is
also kept as a ``pkb:Citation`` with its provenance, so that the words a citation rests on can be shown.
"""

from __future__ import annotations

import hashlib

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from plan_kb.base.namespaces import ELI, PKB
from plan_kb.graph.writer import GraphWriter
from plan_kb.reading.citations import read_citations
from plan_kb.reading.model import Item, Plan
from plan_kb.reading.structure import slugify


def work_iri(w: GraphWriter, title: str) -> URIRef:
    """One node per title: a readable slug, and a short hash so that titles with the same initials differ."""
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    return w.entity_iri("work", f"{slugify(title)[:60]}-{digest}")


def _cite(w: GraphWriter, citing: URIRef, text: str, offset: int, n0: int = 0) -> int:
    n = n0
    for c in read_citations(text):
        n += 1
        work = work_iri(w, c.title)
        w.describe("works", work, RDF.type, PKB.CitedDocument)
        w.describe("works", work, RDF.type, ELI.LegalResource)
        w.describe("works", work, DCTERMS.title, w.zh(c.title))
        w.describe("works", work, RDFS.label, w.zh(c.title))
        w.add(citing, PKB.cites, work)
        mention = w.typed(w.child_iri(citing, "citation", n), PKB.Citation)
        w.add(citing, PKB.citation, mention)
        w.add(mention, PKB.citedWork, work)
        w.provenance(mention, offset + c.start, offset + c.end)
    return n


def write_item(w: GraphWriter, plan: Plan, item: Item) -> None:
    _cite(w, w.item_iri(item), item.text, item.start)


def write_plan(w: GraphWriter, plan: Plan) -> None:
    node = w.plan_iri(plan)
    n = 0
    pre = plan.preamble
    # a goal paragraph of the preamble (a plan without a goals heading) is cited once, as part of the preamble
    blocks = ([pre] if pre else []) + [b for b in plan.goal_blocks if not (pre and pre.start <= b.start < pre.end)]
    for b in blocks:
        n = _cite(w, node, b.text, b.start, n)
