"""Search figures for ``make bench``: index build time, latency in-process (p50, p95), and quality (recall@5, MRR
over tests/search_cases.yaml and the gold ``text`` questions).

``run(ctx)`` takes the bench runner's context (``plan_kb.bench.BenchContext``) and needs only the build folder from
it (``ctx.folder``, or ``ctx.data`` → its current build; without either, ``$PLAN_KB_DATA``'s current build) and
``ctx.quick`` (fewer rounds). Run alone:
``python -m plan_kb.bench.search``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from plan_kb.answers.search.index import build_index
from plan_kb.answers.search.quality import gold_text_cases, load_cases, measure
from plan_kb.answers.search.query import SearchIndex, search
from plan_kb.base.resources import ROOT
from plan_kb.bench import folder_of, row
from plan_kb.store.folders import load_dataset

GOAL_P50_MS = 10.0
ROUNDS = 5


def run(ctx: Any = None) -> list[dict]:
    folder = folder_of(ctx)
    rows: list[dict] = []

    ds = load_dataset(folder)
    with tempfile.TemporaryDirectory(prefix="plan-kb-bench-search-") as tmp:
        stats = build_index(Path(tmp), ds)
        t0 = time.perf_counter()
        SearchIndex(Path(tmp) / "search")  # a cold open: jieba from its cache, the user dictionary, the index
        open_ms = (time.perf_counter() - t0) * 1000
    rows.append(row("search index build", stats["seconds"], "s",
                     note=f"{stats['documents']} documents, {stats['userdict_words']} user-dictionary words"))
    rows.append(row("search index open (cold)", open_ms, "ms"))

    cases = load_cases(ROOT / "tests" / "search_cases.yaml")
    gold = ROOT.parent / "shared" / "gold"
    cases += gold_text_cases(gold) if gold.is_dir() else []
    queries = [c.q for c in cases] + ["", "污染 AND 2023"]
    filtered = [("污染", {"plan": "air", "role": "lead"}), ("", {"agency": "环保厅", "year": "2023"}),
                ("", {"place": "晋中"})]
    search(folder, "预热")  # open once, as a running service has
    times = []
    for _ in range(2 if getattr(ctx, "quick", False) else ROUNDS):
        for q in queries:
            t0 = time.perf_counter()
            search(folder, q)
            times.append((time.perf_counter() - t0) * 1000)
        for q, f in filtered:
            t0 = time.perf_counter()
            search(folder, q, f, sort="deadline")
            times.append((time.perf_counter() - t0) * 1000)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    rows.append(row("search p50 (in-process)", p50, "ms", goal=f"< {GOAL_P50_MS:g}", ok=p50 < GOAL_P50_MS,
                     note=f"{len(times)} searches with facets and snippets"))
    rows.append(row("search p95 (in-process)", p95, "ms"))

    q = measure(folder, cases)
    rows.append(row("search recall@5", q["recall_at_5"], "", goal="1.0", ok=q["recall_at_5"] == 1.0,
                     note=f"{q['passed']}/{q['cases']} cases pass"))
    rows.append(row("search MRR", q["mrr"], ""))
    return rows


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
