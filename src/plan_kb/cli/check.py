"""``plan-kb check FILE``: check records (CSV or JSON: id, subject, place, indicator, value, unit, date) against the
plans' limits and goals. Prints a table (``--json``: the public JSON, ``--csv``: one row per verdict) and exits 1
when a record breaks a rule, 2 on a file it cannot read. ``plan-kb check --rules`` lists the compiled rules."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from plan_kb.answers.rules import RuleSet, any_breaks, as_csv, check, parse
from plan_kb.answers.rules.records import BadRecords
from plan_kb.store.folders import current_dir

HELP = "check records (CSV or JSON) against the plans' limits and goals; exit 1 if any breaks a rule"
MARK = {"meets": "meets", "breaks": "BREAKS", "not_in_force": "not in force", "not_comparable": "not comparable"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", help="records: CSV with a header row, or JSON; '-' reads standard input")
    p.add_argument("--json", action="store_true", help="print the result as JSON (the public format)")
    p.add_argument("--csv", action="store_true", help="print one CSV row per verdict")
    p.add_argument("--rules", action="store_true", help="list the compiled rules instead")


def run(args: argparse.Namespace) -> int:
    rules = RuleSet.load(current_dir())
    if args.rules:
        for r in rules.rules.values():
            when = f"  from {r['from']}" if r["from"] and not r["year"] else ""
            print(f"{r['text']}{when}  [{r['role']}]")
        return 0
    if not args.file:
        raise BadRecords("give a file of records: plan-kb check records.csv (or --rules)")
    text = _read(args.file)
    fmt = "json" if args.file.endswith(".json") else ("csv" if args.file.endswith(".csv") else None)
    results = check(parse(text, fmt), rules)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    elif args.csv:
        sys.stdout.write(as_csv(results))
    else:
        _table(results)
    return 1 if any_breaks(results) else 0


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    p = Path(name)
    if not p.is_file():
        raise BadRecords(f"no such file: {name}")
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadRecords(f"{name} is not UTF-8 text") from None


def _table(results: list[dict]) -> None:
    counts: dict[str, int] = {}
    for r in results:
        rec = r["record"]
        head = f"{r['id']}  {rec['subject'] or '—'} {rec['place'] or ''} {rec['indicator']} {rec['value']} " \
               f"{rec['unit']} ({rec['date']})"
        print(head)
        if not r["verdicts"]:
            counts["not covered"] = counts.get("not covered", 0) + 1
            print("    not covered: no rule of the plans applies")
            for note in r.get("notes", []):
                print(f"      {note}")
            for n in r.get("nearest", [])[:3]:
                print(f"      nearest: {n['text']}")
        for v in r["verdicts"]:
            counts[v["status"]] = counts.get(v["status"], 0) + 1
            src = v.get("task") or v.get("goal") or {}
            when = f" (from {v['from']})" if v["status"] == "not_in_force" else ""
            title = f" {src['title']}" if src.get("title") else ""
            print(f"    {MARK[v['status']]:<15}{v['text']}{when}{title}")
    print("; ".join(f"{k}: {n}" for k, n in sorted(counts.items())) or "no records")
