"""Build the whole knowledge base graph from a corpus: structure first, then each family of facts, then rules."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Dataset

from plan_kb.base.namespaces import PREFIXES
from plan_kb.graph import citations, deadlines, jurisdiction, places, quantities, roles, rules
from plan_kb.graph import structure as structure_graph
from plan_kb.graph.writer import BuildReport, GraphWriter
from plan_kb.reading.model import Document

#: The families of facts, in the order they are written. Each reads the item text and writes through the writer.
FAMILIES = [roles, deadlines, places, quantities, citations]


def build_dataset(docs: list[Document], progress: Callable[[str], None] | None = None) -> tuple[Dataset, BuildReport]:
    ds = Dataset()
    for k, v in PREFIXES.items():
        ds.bind(k, v)
    report = BuildReport()
    for doc in docs:
        if progress:
            progress(f"reading {doc.path.name}")
        w = GraphWriter(ds, doc, report)
        structure_graph.write_document(w)
        report.documents.append({
            "file": doc.path.name, "slug": doc.slug, "number": doc.notice.number,
            "plans": {p.key: {"title": p.title, "tasks": len(p.tasks), "measures": len(p.measures)} for p in doc.plans},
        })
        jurisdiction.write_document(w)
        for d in doc.normalized.doubts:
            report.doubts.append({"file": doc.path.name, "kind": d.kind, "offset": d.start,
                                  "original_offset": d.original_start, "context": d.context, "message": d.message})
        for rd in doc.doubts:
            original = doc.normalized.to_original(rd.start, rd.end)[0]
            report.doubts.append({"file": doc.path.name, "kind": rd.kind, "plan": rd.plan, "item": rd.item,
                                  "offset": rd.start, "original_offset": original,
                                  "context": doc.text[rd.start:rd.end], "message": rd.message})
        for h in doc.normalized.healings:
            report.healings.append({"file": doc.path.name, "kind": h.kind, "original_offset": h.original_start,
                                    "original": h.original, "healed": h.healed})
        for plan in doc.plans:
            structure_graph.write_plan(w, plan)
            jurisdiction.write_plan(w, plan)
            for family in FAMILIES:
                family.write_plan(w, plan)
                for item in plan.items:
                    family.write_item(w, plan, item)
        rules.apply_rules(w)
    return ds, report
