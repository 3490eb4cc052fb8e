"""``plan-kb agency 生态环境厅``: an agency's full name and, per plan, the tasks it leads, supports, answers for and
guides, with their deadlines. Any label or short form works; ``--in 潮州市`` reads the name as that jurisdiction's
documents do; a name that fits bodies of several jurisdictions lists the candidates (exit 2)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from plan_kb.reading.agencies import ROLE_NAMES_ZH, find_agency, parents, responsibilities, written_names
from plan_kb.store.view import open_view

HELP = "what an agency must do: the tasks it leads, supports, answers for and guides, per plan"

_ROLE_HEADINGS = {"lead": "牵头 (lead)", "support": "配合 (support)", "responsible": "负责 (responsible)",
                  "guide": "督促指导 (guide)"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="any name of the agency: 省生态环境厅, 生态环境厅, 山西省生态环境厅, 省住建厅 …")
    p.add_argument("--in", dest="within", metavar="PLACE",
                   help="the jurisdiction the name belongs to: 潮州市, 潮州, 山西省, 上海市徐汇区 …")
    p.add_argument("--role", choices=sorted(ROLE_NAMES_ZH), help="only this role")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def run(args: argparse.Namespace) -> int:
    ds = open_view()
    agency = find_agency(args.name, ds, within=args.within)
    result = responsibilities(ds, agency)
    plans = result.plans
    if args.role:
        for p in plans:
            p.duties = p.by_role(args.role)
        plans = [p for p in plans if p.duties]
    if args.json:
        print(json.dumps({"agency": {"iri": str(agency.iri), "id": agency.id, "name": agency.name,
                                     "labels": list(agency.labels), "registered": agency.registered,
                                     "jurisdiction": agency.jurisdiction},
                          "plans": [asdict(p) for p in plans]}, ensure_ascii=False, indent=1))
        return 0
    head = agency.name
    shown = written_names(ds, agency) or list(agency.labels)
    if shown:
        head += f"  ({'、'.join(shown[:4])})"
    print(head)
    above = parents(ds, agency)
    if above:
        print("  属于: " + " › ".join(above))
    if not agency.registered:
        print("  (not in the agency registry: named by a document as written)")
    if not plans:
        print("  no task or measure names this agency")
        return 0
    for p in plans:
        print(f"\n{p.title} [{p.key}]")
        for role in _ROLE_HEADINGS:
            duties = p.by_role(role)
            if not duties:
                continue
            print(f"  {_ROLE_HEADINGS[role]}: {len(duties)}")
            for d in duties:
                num = f"{d.number}." if d.kind == "task" else f"保障措施({d.number})"
                extra = "  [standing note]" if d.inherited else ""
                due = f"  — {'; '.join(d.deadlines)}" if d.deadlines else ""
                print(f"    {num} {d.title}{due}{extra}")
    return 0
