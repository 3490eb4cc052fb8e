from __future__ import annotations

import argparse
from pathlib import Path

from rdflib import Dataset, Graph

from plan_kb.graph.validate import validate_graph, violations
from plan_kb.store.folders import current_dir

HELP = "validate the current knowledge base (or an RDF file) against the SHACL shapes"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", type=Path, help="an RDF file to check instead of the current knowledge base")
    p.add_argument("--warnings", action="store_true", help="list warnings too")


def run(args: argparse.Namespace) -> int:
    path = args.file or current_dir() / "kb.nq"
    g = Graph()
    if path.suffix in (".nq", ".trig"):
        ds = Dataset()
        ds.parse(path)
        for q in ds.quads((None, None, None, None)):
            g.add(q[:3])
    else:
        g.parse(path)
    findings = validate_graph(g)
    bad = violations(findings)
    for f in findings:
        if f.severity == "Violation" or args.warnings:
            print(f.line())
    print(f"{len(bad)} violations, {len(findings) - len(bad)} warnings in {path}")
    return 1 if bad else 0
