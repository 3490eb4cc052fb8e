"""Each named query in-process on Oxigraph (the serving store) and on rdflib's own SPARQL engine, in the same run,
with the same query text over the same build: medians and their ratio (goal: Oxigraph at least 20× faster)."""

from __future__ import annotations

import statistics
import time
from typing import Any

from plan_kb.store import EmbeddedStore
from plan_kb.store.folders import load_dataset
from plan_kb.store.queries import named_queries

GOAL_RATIO = 20.0


def _median_ms(fn: Any, rounds: int, budget_s: float) -> float:
    fn()  # warm
    times = []
    t_end = time.perf_counter() + budget_s
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        if time.perf_counter() > t_end and len(times) >= 3:
            break
    return statistics.median(times)


def run(ctx: Any) -> list[dict]:
    store = EmbeddedStore(ctx.folder)
    ds = load_dataset(ctx.folder)
    rows = []
    ox_rounds, rl_rounds = (20, 3) if ctx.quick else (200, 15)
    try:
        for name, q in named_queries().items():
            sparql = q.sparql(**q.example_params())
            n = len(store.query(sparql).rows)
            ox_ms = _median_ms(lambda s=sparql: store.query(s), ox_rounds, 2.0)
            rl_ms = _median_ms(lambda s=sparql: list(ds.query(s)), rl_rounds, 10.0)
            ratio = rl_ms / ox_ms if ox_ms else float("inf")
            rows.append({"name": f"query {name}: Oxigraph", "value": round(ox_ms, 3), "unit": "ms",
                         "note": f"{n} rows"})
            rows.append({"name": f"query {name}: rdflib", "value": round(rl_ms, 3), "unit": "ms"})
            rows.append({"name": f"query {name}: rdflib/Oxigraph", "value": round(ratio, 1), "unit": "×",
                         "goal": f">= {GOAL_RATIO:g}", "ok": ratio >= GOAL_RATIO})
    finally:
        store.close()
    return rows
