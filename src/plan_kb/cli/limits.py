"""``plan-kb limits 氮氧化物``: every limit and target the plans set on an indicator, with what it applies to, the
value, the unit and the task. Any name of the indicator works (NOx, 氮氧化物, SO₂ …)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from plan_kb.answers.limits import Indicator, find_indicator, indicators, limits
from plan_kb.errors import NotFound
from plan_kb.store.folders import load_dataset

HELP = "every limit and target on an indicator (any of its names: 氮氧化物 = NOx)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("indicator", nargs="?",
                   help="a pollutant or indicator: 氮氧化物, NOx, PM2.5, 生化需氧量, 再生水利用率 …")
    p.add_argument("--list", action="store_true", help="list the indicators the knowledge base knows")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace) -> int:
    ds = load_dataset()
    if args.list:
        for i in indicators(ds):
            print(f"{i.label}  ({'、'.join(lab for lab in i.labels if lab != i.label)})")
        return 0
    if not args.indicator:
        raise NotFound("give the name of an indicator, e.g. plan-kb limits 氮氧化物 (or --list)")
    try:
        ind: Indicator | None = find_indicator(ds, args.indicator)
    except NotFound:
        ind = None  # no indicator concept by that name: limits() looks for it in the words the plans use
    rows = limits(ds, args.indicator)
    if args.json:
        print(json.dumps({"indicator": {"iri": ind.iri, "label": ind.label, "labels": list(ind.labels)} if ind
                          else {"iri": None, "label": args.indicator, "labels": []},
                          "limits": [asdict(r) | {"value": float(r.value),
                                                  "max_value": float(r.max_value) if r.max_value else None}
                                     for r in rows]}, ensure_ascii=False, indent=1))
        return 0
    if ind:
        print(f"{ind.label}  ({'、'.join(lab for lab in ind.labels if lab != ind.label)})")
    else:
        print(f"“{args.indicator}”(文中指标或对象的用语)")
    if not rows:
        print("  no limit or target on this indicator")
        return 0
    for r in rows:
        where = f"{r.plan}#{r.number}" if r.kind == "threshold" and r.number is not None else f"{r.plan} 目标"
        year = f"  ({r.year}年)" if r.year else ""
        print(f"  {where:<16}{r.subject or '—'}  {r.indicator or (ind.label if ind else '')}  {r.value_text()}{year}")
        if r.item_title and r.kind == "threshold":
            print(f"  {'':<16}↳ {r.item_title}")
    return 0
