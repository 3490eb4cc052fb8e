"""Cold starts of the look-up commands: a fresh ``plan-kb`` process answering one question from the build's own
Oxigraph store (opened read-only), never by parsing ``kb.nq``. Goal (issues 19 and 22): under 0.5 s for the
look-ups that need no segmenter (``stats``, ``agency``, ``due``, ``place``, ``limits``)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from plan_kb.bench import folder_of, row

GOAL_S = 0.5
COMMANDS: list[list[str]] = [["stats"], ["agency", "水利厅"], ["due", "--by", "2022-12-31"], ["place", "晋中"],
                             ["limits", "氮氧化物"]]


def command() -> list[str]:
    exe = Path(sys.executable).parent / "plan-kb"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "plan_kb"]


def cold_seconds(args: list[str], data: Path, rounds: int = 3) -> float:
    """Median wall time of ``rounds`` fresh processes running ``plan-kb ARGS`` on the base in ``data``."""
    env = {**os.environ, "PLAN_KB_DATA": str(data)}
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        p = subprocess.run([*command(), *args], env=env, capture_output=True, timeout=120)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            raise RuntimeError(f"plan-kb {' '.join(args)} failed: {p.stderr.decode('utf-8', 'replace')[:300]}")
    return statistics.median(times)


def run(ctx: Any = None) -> list[dict]:
    folder = folder_of(ctx)
    data = folder.parent.parent
    rounds = 1 if getattr(ctx, "quick", False) else 3
    rows = []
    for args in COMMANDS:
        s = cold_seconds(args, data, rounds)
        rows.append(row(f"plan-kb {' '.join(args)} cold", s, "s", goal=f"< {GOAL_S:g}", ok=s < GOAL_S,
                        note=f"median of {rounds} fresh processes, answered by the build's Oxigraph store"))
    return rows


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
