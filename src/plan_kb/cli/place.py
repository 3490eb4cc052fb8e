"""``plan-kb place 晋中``: the tasks and measures concerning a place, including those found through its counties,
districts, rivers and zones (marked)."""

from __future__ import annotations

import argparse
import json

from plan_kb.answers.places import resolve_place, tasks_concerning
from plan_kb.store.view import open_view

HELP = "tasks concerning a place (a city includes its counties and districts, and rivers the data puts there)"

_MARK = {"direct": "", "within": "via county/district", "touches": "via river/zone"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="a division (晋中, 晋中市, 140700), a river, lake or zone (汾河, 山西综改示范区)")
    p.add_argument("--direct", action="store_true", help="only items that name the place itself (no roll-up)")
    p.add_argument("--no-touches", action="store_true", help="roll up counties and districts, not rivers or zones")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    ds = open_view()
    place = resolve_place(args.name, ds)
    hits = tasks_concerning(ds, place, rollup=not args.direct, touches=not args.no_touches)
    if args.json:
        print(json.dumps({"place": {"iri": place.iri, "label": place.label, "kind": place.kind, "code": place.code,
                                    "parents": list(place.parents)},
                          "items": [h.as_dict() for h in hits]}, ensure_ascii=False, indent=2))
        return 0
    print(f"{place.display}: {len(hits)} item(s)")
    for h in hits:
        ref = f"{h.plan}#{h.number}" if h.kind == "Task" else f"{h.plan}/{h.title}"
        mark = f"  [{_MARK[h.via]}: {'、'.join(h.through)}]" if h.via != "direct" else ""
        print(f"  {ref:<14} {h.title}{mark}")
    return 0
