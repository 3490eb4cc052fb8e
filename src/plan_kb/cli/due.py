"""``plan-kb due --by 2023-12-31 [--after DATE] [--agency X] [--plan K] [--recurring]``: what is due in a window,
ordered by date, with task number, title, the clause that is due and the agencies."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date

from plan_kb.answers.due import DueItem, due
from plan_kb.reading.dates import typed_date
from plan_kb.store.folders import load_dataset

HELP = "what is due by a date (By and During deadlines, From as in force since, recurring duties on request)"

_ROLES_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "督促指导"}



def _date(s: str) -> date:
    try:
        return typed_date(s)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None



def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", type=_date, required=True,
                   help="last day of the window, inclusive (2023-06-30, 2023年6月30日, 2023年底 …)")
    p.add_argument("--after", type=_date, help="the window starts after this day (2023-06-30, 2023年6月30日 …)")
    p.add_argument("--agency", help="only items of this agency (any of its names: 省住建厅, 生态环境厅 …)")
    p.add_argument("--plan", help="only this plan (its key: water, air, soil, groundwater …)")
    p.add_argument("--recurring", action="store_true", help="also list recurring duties falling in the window")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def _agencies(e: DueItem) -> str:
    parts: dict[str, list[str]] = {}
    for role, label in e.agencies:
        parts.setdefault(role, []).append(label)
    return "; ".join(f"{_ROLES_ZH[r]} {'、'.join(v)}" for r, v in parts.items())


def line(e: DueItem) -> str:
    when = f"{e.date}"
    if e.kind == "During" and e.start:
        when = f"{e.start}…{e.date}"
    elif e.kind == "From":
        when = f"since {e.date}"
    elif e.kind == "Recurring":
        when = f"{e.date} ×{len(e.occurrences)}"
    approx = " (approximate)" if e.approximate else ""
    head = f"{when}{approx}  {e.ref}  {e.title}  [{e.expression}"
    head += f" · {e.rrule}]" if e.rrule else "]"
    out = f"{head}\n    {e.requirement}"
    agencies = _agencies(e)
    if agencies:
        out += f"\n    {agencies}"
    return out


def run(args: argparse.Namespace) -> int:
    rows = due(load_dataset(), by=args.by, after=args.after, agency=args.agency, plan=args.plan,
               recurring=args.recurring)
    if args.json:
        print(json.dumps([asdict(r) | {"ref": r.ref} for r in rows], ensure_ascii=False, indent=1, default=str))
        return 0
    if not rows:
        print("nothing is due in that window")
        return 0
    for r in rows:
        print(line(r))
    return 0
