from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "build once, then measure build time, queries (Oxigraph vs rdflib), HTTP latency and memory, search, ask"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--only", nargs="*", metavar="MODULE", help="only these bench modules (e.g. queries http)")
    p.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    p.add_argument("--out", type=Path, help="where to write the JSON (default bench/results/latest.json)")
    p.add_argument("--json", action="store_true", help="print the JSON instead of the table")
    p.add_argument("--strict", action="store_true", help="exit 1 when a goal is not met")
    p.add_argument("--scale", type=int, metavar="N", help="instead: build N distinct copies of the bundled corpus and "
                   "compare 1× and N× (cold build, one document added, peak RSS, HTTP p50, oxigraph serve)")


def run(args: argparse.Namespace) -> int:
    from plan_kb.bench import RESULTS, run_all, table
    from plan_kb.cli.command import progress

    if args.scale:
        from plan_kb.bench import run_scale

        report = run_scale(args.scale, quick=args.quick, out=args.out or RESULTS.with_name(f"scale-{args.scale}.json"),
                           say=progress)
    else:
        report = run_all(args.only, quick=args.quick, out=args.out or RESULTS, say=progress)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else table(report))
    return 1 if args.strict and not report["goals_met"] else 0
