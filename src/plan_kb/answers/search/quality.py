"""How well the search finds what people look for: recall@5 and mean reciprocal rank over a file of cases
(``tests/search_cases.yaml``: query → items that must be among the first five hits) and the ``text`` questions of
the gold files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plan_kb.answers.search.query import SearchIndex, search

TOP = 5


@dataclass
class Case:
    q: str
    expected: list[str]
    kind: str = ""
    source: str = ""


@dataclass
class Outcome:
    case: Case
    ranks: dict[str, int | None]  # expected ref → its rank from 1 (None when not in the first 20)

    @property
    def passed(self) -> bool:
        return all(r is not None and r <= TOP for r in self.ranks.values())


def load_cases(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Case(str(c["q"]), [str(x) for x in c["top5"]], str(c.get("kind", "")), path.name) for c in data]


def gold_text_cases(gold_dir: Path) -> list[Case]:
    """Every question of type ``text`` in the gold files, with the tasks it must find."""
    out = []
    for f in sorted(gold_dir.glob("*.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        for q in gold.get("questions", []):
            if q.get("type") == "text" and q.get("tasks"):
                out.append(Case(q["q"], list(q["tasks"]), "gold", f.name))
    return out


def run_case(index: SearchIndex | Path, case: Case, depth: int = 20) -> Outcome:
    refs = [h.ref for h in search(index, case.q, size=depth).hits]
    return Outcome(case, {e: (refs.index(e) + 1 if e in refs else None) for e in case.expected})


def measure(index: SearchIndex | Path, cases: list[Case]) -> dict[str, Any]:
    """recall@5 over every expected item, MRR over the cases (the reciprocal rank of each case's first expected
    item to appear), and the cases that failed."""
    outcomes = [run_case(index, c) for c in cases]
    wanted = [r for o in outcomes for r in o.ranks.values()]
    found = sum(1 for r in wanted if r is not None and r <= TOP)
    rr = [1 / min((r for r in o.ranks.values() if r is not None), default=float("inf")) for o in outcomes]
    return {
        "cases": len(cases),
        "passed": sum(o.passed for o in outcomes),
        "recall_at_5": round(found / len(wanted), 4) if wanted else None,
        "mrr": round(sum(rr) / len(rr), 4) if rr else None,
        "failed": [{"q": o.case.q, "ranks": o.ranks} for o in outcomes if not o.passed],
    }
