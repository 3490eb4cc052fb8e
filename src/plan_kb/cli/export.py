"""``plan-kb export --format …``: the whole knowledge base on standard output, written by the same code as the
service's ``/export``, so both give the same terms (every literal with its lexical form as built)."""

from __future__ import annotations

import argparse
import sys

from plan_kb.store import EXPORT_FORMATS, export_file
from plan_kb.store.folders import current_dir

HELP = "write the whole knowledge base to standard output"
DESCRIPTIONS = {
    "turtle": "Turtle, all graphs merged",
    "ntriples": "N-Triples, all graphs merged",
    "nquads": "N-Quads, one named graph per document and one for the ontology",
    "trig": "TriG, the named graphs as in nquads",
    "jsonld": "compact JSON-LD with the project's @context (as /context.jsonld), the named graphs as in nquads",
    "rdfxml": "RDF/XML, all graphs merged",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=list(EXPORT_FORMATS), default="turtle",
                   help="; ".join(f"{k}: {v}" for k, v in DESCRIPTIONS.items()) + " (default: turtle)")
    p.add_argument("--graph", help="only this named graph (its IRI)")
    p.add_argument("--no-ontology", action="store_true", help="leave out the ontology's named graph")


def run(args: argparse.Namespace) -> int:
    folder = current_dir()
    body = export_file(folder / "kb.nq", args.format, graph=args.graph, ontology=not args.no_ontology)
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()
    return 0
