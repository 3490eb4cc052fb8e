"""Where validation and the rules run, measured in the same run: ``extraction/rules/*.rq`` as an rdflib SPARQL
update against Oxigraph (``graph.rules``, the copy into and out of Oxigraph included), and the shapes' SPARQL-based
constraints in pySHACL (rdflib's engine, once per focus node) against one whole-graph query each on Oxigraph
(``graph.validate``). Both on the bundled corpus's document graph; the answers must be the same."""

from __future__ import annotations

import json
import time
from typing import Any

from rdflib import Graph

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.bench import row


def _doc_graph_without_rules() -> tuple[Graph, Graph]:
    from plan_kb.base.resources import CORPUS
    from plan_kb.graph import dataset as gd
    from plan_kb.graph import rules
    from plan_kb.graph.writer import is_entity_graph
    from plan_kb.reading.structure import read_corpus

    saved = rules.apply_rules
    rules.apply_rules = lambda _w: None
    try:
        ds, _ = gd.build_dataset(read_corpus(CORPUS))
    finally:
        rules.apply_rules = saved
    doc, shared = Graph(), Graph()
    for s, p, o, g in ds.quads((None, None, None, None)):
        (shared if is_entity_graph(str(g)) else doc).add((s, p, o))
    return doc, shared


def run(ctx: Any = None) -> list[dict]:
    from pyshacl import validate as shacl_validate

    from plan_kb.graph.rules import rule_files, run_rules
    from plan_kb.graph.validate import _ontology, run_sparql_constraints, shapes_graph, split_shapes

    doc, shared = _doc_graph_without_rules()
    a, b = Graph(), Graph()
    for t in doc:
        a.add(t)
        b.add(t)
    t0 = time.perf_counter()
    for p in rule_files():
        a.update(sparql_prefixes() + p.read_text(encoding="utf-8"))
    t_rdflib = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_rules(b)
    t_ox = time.perf_counter() - t0
    same = set(a) == set(b)
    data = b + shared
    shapes = shapes_graph()
    core, constraints = split_shapes(shapes)

    def pyshacl_seconds(sh: Graph) -> float:
        t = time.perf_counter()
        shacl_validate(data, shacl_graph=sh, ont_graph=_ontology(), inference="none", advanced=True)
        return time.perf_counter() - t

    t_full, t_core = pyshacl_seconds(shapes), pyshacl_seconds(core)
    t_pyshacl = max(t_full - t_core, 0.0)
    t0 = time.perf_counter()
    found = run_sparql_constraints(data, constraints)
    t_oxc = time.perf_counter() - t0
    return [
        row("rules, rdflib SPARQL update", t_rdflib, "s", note=f"{len(rule_files())} rule files, one document"),
        row("rules, Oxigraph (with the copy in and out)", t_ox, "s", goal="same triples", ok=same,
            note=f"{t_rdflib / t_ox:.1f}× faster"),
        row("SHACL Core, pySHACL, one document", t_core, "s"),
        row("SPARQL constraints, pySHACL (rdflib)", t_pyshacl, "s",
            note=f"{len(constraints)} constraints: pySHACL with them {t_full:.2f} s, without {t_core:.2f} s"),
        row("SPARQL constraints, Oxigraph", t_oxc, "s", note=f"{t_pyshacl / max(t_oxc, 1e-6):.0f}× faster; "
            f"{len(found)} results"),
    ]


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
