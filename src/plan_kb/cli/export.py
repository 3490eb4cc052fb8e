from __future__ import annotations

import argparse
import sys

from plan_kb.store.folders import current_dir

HELP = "write the whole knowledge base to standard output"
FORMATS = {"turtle": "trig", "trig": "trig", "ntriples": "nt", "nquads": "nquads", "jsonld": "json-ld"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["turtle", "ntriples", "nquads", "jsonld", "trig"], default="turtle",
                   help="turtle (as TriG, one named graph per document), ntriples (all graphs merged), nquads, jsonld")


def run(args: argparse.Namespace) -> int:
    folder = current_dir()
    out = sys.stdout.buffer
    if args.format == "nquads":
        out.write((folder / "kb.nq").read_bytes())
        return 0
    from plan_kb.store.folders import load_dataset

    ds = load_dataset(folder)
    if args.format == "ntriples":
        from rdflib import Graph

        g = Graph()
        for q in ds.quads((None, None, None, None)):
            g.add(q[:3])
        out.write(g.serialize(format="nt", encoding="utf-8"))
    elif args.format == "turtle":
        from rdflib import Graph

        from plan_kb.base.namespaces import PREFIXES

        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, replace=True)
        for q in ds.quads((None, None, None, None)):
            g.add(q[:3])
        out.write(g.serialize(format="turtle", encoding="utf-8"))
    else:
        from plan_kb.base.namespaces import PREFIXES

        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, replace=True)
        out.write(ds.serialize(format=FORMATS[args.format], encoding="utf-8"))
    return 0
