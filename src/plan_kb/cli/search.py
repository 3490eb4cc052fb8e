from __future__ import annotations

import argparse
import json
import re

from plan_kb.answers.search import search
from plan_kb.store.folders import current_dir

HELP = "search tasks, measures and goals in Chinese, with facets (plan, agency, role, place, year, indicator, " \
       "jurisdiction)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", default="", help='words; "a phrase"; AND / OR between words')
    for facet in ("plan", "kind", "agency", "role", "place", "year", "indicator", "jurisdiction"):
        p.add_argument(f"--{facet}", action="append", metavar="VALUE",
                       help=f"only items with this {facet} (id, IRI or label; repeat for several)")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--size", type=int, default=10)
    p.add_argument("--sort", choices=["relevance", "deadline"], default="relevance")
    p.add_argument("--facets", action="store_true", help="also print the facet counts")
    p.add_argument("--json", action="store_true", help="the whole result as JSON (as /search returns it)")


def run(args: argparse.Namespace) -> int:
    filters = {f: getattr(args, f) for f in ("plan", "kind", "agency", "role", "place", "year", "indicator")
               if getattr(args, f)}
    result = search(current_dir(), args.query, filters, page=args.page, sort=args.sort, size=args.size)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return 0
    first = (result.page - 1) * result.size
    print(f"{result.total} items; page {result.page} of {max(result.pages, 1)} ({result.seconds * 1000:.1f} ms)")
    for i, h in enumerate(result.hits, first + 1):
        due = f"  due {h.deadline}" if h.deadline else ""
        print(f"{i:>3}. {h.ref:<20} {h.title}{due}")
        print(f"     {_terminal(h.snippet)}")
    if args.facets:
        for facet, values in result.facets.items():
            if values:
                shown = ", ".join(f"{'*' if v.selected else ''}{v.label} {v.count}" for v in values[:12])
                print(f"{facet}: {shown}")
    return 0


def _terminal(snippet: str) -> str:
    """The HTML snippet for a terminal: matches in [brackets], entities decoded."""
    import html

    return html.unescape(re.sub(r"</?mark>", lambda m: "]" if m.group().startswith("</") else "[", snippet))
