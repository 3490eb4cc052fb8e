"""Rules-as-code figures for ``make bench``: how many rules a build compiles, and how long pySHACL takes to check a
batch of records (the example file repeated) with the shapes as published — each targeting the records about its
indicator (``chk:RecordAbout/<concept>``) — against the same shapes targeting every record, in the same run.
Run alone: ``python -m plan_kb.bench.check``."""

from __future__ import annotations

import time
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from plan_kb.answers.rules import RuleSet, check, parse
from plan_kb.answers.rules.check import run_shacl
from plan_kb.answers.rules.records import records_graph
from plan_kb.answers.rules.vocab import CHK
from plan_kb.base.resources import ROOT
from plan_kb.bench import folder_of, row


def _batch(n: int) -> str:
    lines = (ROOT / "api" / "examples" / "check-records.csv").read_text(encoding="utf-8").splitlines()
    head, body = lines[0], [ln for ln in lines[1:] if ln.strip()]
    out = [head]
    for k in range(n):
        rid, rest = body[k % len(body)].split(",", 1)
        out.append(f"{rid}-{k},{rest}")
    return "\n".join(out) + "\n"


def run(ctx: Any = None) -> list[dict]:
    rules = RuleSet.load(folder_of(ctx))
    n = 60 if getattr(ctx, "quick", False) else 200
    records = parse(_batch(n))
    t0 = time.perf_counter()
    results = check(records, rules)
    targeted = time.perf_counter() - t0
    untargeted_shapes = Graph()
    for s, p, o in rules.graph:
        untargeted_shapes.add((s, p, URIRef(CHK + "Record") if p == SH.targetClass else o))
    data = records_graph(parse(_batch(n)), rules.graph)
    t0 = time.perf_counter()
    run_shacl(data, untargeted_shapes)
    every = time.perf_counter() - t0
    verdicts = sum(len(r["verdicts"]) for r in results)
    return [
        row("rules compiled", len(rules.rules), "rules"),
        row(f"check {n} records (pySHACL, shapes as published)", targeted, "s", note=f"{verdicts} verdicts"),
        row(f"check {n} records, shapes targeting every record", every, "s"),
        row("targeting by indicator, speed-up", every / targeted if targeted else 0.0, "×", goal="≥ 5×",
            ok=every / targeted >= 5 if targeted else False),
    ]


if __name__ == "__main__":
    for r in run():
        print(r)
