"""A document's jurisdiction in the graph: ``pkb:jurisdiction`` on the document and on each of its plans, an
``pkb:AdministrativeRegion`` with its code (``reading.jurisdiction`` reads it from the issuer, the title or the
document number). Every agency and place of the document is read in it."""

from __future__ import annotations

from plan_kb.base.namespaces import PKB
from plan_kb.graph.writer import GraphWriter
from plan_kb.reading.gazetteer import Division
from plan_kb.reading.jurisdiction import Jurisdiction, read_jurisdiction
from plan_kb.reading.model import Plan

_MISSING = object()


def jurisdiction_of(w: GraphWriter) -> Jurisdiction | None:
    """The jurisdiction of the writer's document, read once."""
    got = w.__dict__.get("_jurisdiction", _MISSING)
    if got is _MISSING:
        n = w.doc.notice
        got = read_jurisdiction(n.issuer, n.number, [t for t in (n.title, *(p.title for p in w.doc.plans)) if t])
        w.__dict__["_jurisdiction"] = got
    return got  # type: ignore[return-value]


def home_division(w: GraphWriter) -> Division | None:
    """The division the document's names are read in (its jurisdiction), or None."""
    j = jurisdiction_of(w)
    return j.division if j else None


def write_document(w: GraphWriter) -> None:
    """``pkb:jurisdiction`` of the document; a document whose jurisdiction nothing names goes to the report."""
    from plan_kb.graph.places import division_node

    j = jurisdiction_of(w)
    entry = next((d for d in w.report.documents if d.get("file") == w.doc.path.name), None)
    if j is None:
        w.report.warn("jurisdiction", "no jurisdiction: neither the issuer, the title nor the document number "
                      "names a province, city or county; its agencies are read as written", file=w.doc.path.name)
        return
    w.add(w.doc_iri, PKB.jurisdiction, division_node(w, j.division))
    if entry is not None:
        entry["jurisdiction"] = {"name": j.name, "code": j.division.code, "from": j.source, "words": j.evidence}


def write_plan(w: GraphWriter, plan: Plan) -> None:
    j = jurisdiction_of(w)
    if j is not None:
        from plan_kb.graph.places import division_node

        w.add(w.plan_iri(plan), PKB.jurisdiction, division_node(w, j.division))
