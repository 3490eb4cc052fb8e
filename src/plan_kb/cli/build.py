from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plan_kb.build import build
from plan_kb.cli.command import progress
from plan_kb.store.folders import data_dir

HELP = "build the knowledge base from every *.txt of a corpus folder (default: the bundled corpus)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, help="folder of *.txt plan documents")
    p.add_argument("--force", action="store_true",
                   help="make the build current even when it loses most of the current knowledge base's tasks")
    p.add_argument("--keep", type=int, metavar="N",
                   help="build folders to keep (default: $PLAN_KB_KEEP_BUILDS or 3); older ones are removed")
    p.add_argument("--push", metavar="URL", help="then upload the graphs to this SPARQL store (see 'plan-kb push')")
    p.add_argument("--explain", metavar="FILE", type=Path,
                   help="build nothing: show what the reader finds in one document (title, headings, items, each "
                        "role note and how it was split)")


def run(args: argparse.Namespace) -> int:
    if args.explain:
        from plan_kb.reading.explain import explain
        from plan_kb.reading.structure import read_file

        sys.stdout.write(explain(read_file(args.explain)))
        return 0
    from plan_kb.service.settings import Settings

    keep = args.keep if args.keep is not None else Settings().keep_builds
    result = build(args.corpus, data_dir(), progress, force=args.force, keep=max(1, keep))
    rep = result.report
    for d in rep["documents"]:
        plans = ", ".join(f"{k} {v['tasks']} tasks/{v['measures']} measures" for k, v in d["plans"].items())
        print(f"{d['file']}: {d['number'] or d['slug']}: {plans}")
    units = rep.get("units", {})
    if units:
        reused, made = len(units["reused"]), len(units["made"])
        print(f"documents: {reused} reused unchanged, {made} read" +
              (f" ({', '.join(units['made'][:5])}{' …' if made > 5 else ''})" if made else ""))
    if rep.get("reuse"):
        print(f"store: {rep['reuse']['store']}; search: {rep['reuse']['search']}")
    warnings = [f for f in result.findings if f.severity != "Violation"]
    print(f"built {result.folder} in {result.seconds:.1f} s; SHACL warnings: {len(warnings)}; "
          f"doubts: {len(rep['doubts'])}; unregistered agencies: {len(rep['unregistered_agencies'])}")
    for d in rep["doubts"]:
        print(f"  doubt: {d['file']} @{d['offset']}: {d['message']} ({d['context']})", file=sys.stderr)
    if args.push:
        from plan_kb.cli import push

        return push.run(argparse.Namespace(url=args.push, gsp=None))
    return 0
