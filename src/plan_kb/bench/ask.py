"""Question-endpoint figures for ``make bench``: ``POST /ask`` latency in-process (p50, p95, through the app with
FastAPI's test client), the cold start of ``plan-kb ask`` (a fresh process answering one question), and how many of
the cases of ``tests/answers/ask_cases*.yaml`` and of the gold questions get the expected intent.

``run(ctx)`` needs only the build folder from the bench runner's context (``ctx.folder``, else ``ctx.data``'s
current build, else ``$PLAN_KB_DATA``'s) and ``ctx.quick``. Run alone: ``python -m plan_kb.bench.ask``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from plan_kb.base.resources import ROOT
from plan_kb.bench import folder_of, row

GOAL_P50_MS = 20.0
GOAL_COLD_S = 1.5
ROUNDS = 5
#: The cold-start question: a task named by paraphrase, so the search index is opened and queried.
COLD_QUESTION = "湖库消落带生态屏障归哪个部门牵头?"


def questions() -> list[tuple[str, str]]:
    """(question, expected intent) of the project's cases and of the gold files found beside the checkout."""
    out: list[tuple[str, str]] = []
    cases = [c for name in ("ask_cases.yaml", "ask_cases_voices.yaml", "ask_cases_s3.yaml", "ask_cases_s4.yaml",
                                        "ask_cases_s5.yaml")
             if (ROOT / "tests" / "answers" / name).exists()
             for c in yaml.safe_load((ROOT / "tests" / "answers" / name).read_text(encoding="utf-8"))["cases"]]
    for c in cases:
        if "conversation" not in c:
            out.append((c["q"], c["intent"]))
    gold = ROOT.parent / "shared" / "gold"
    for f in sorted(gold.glob("*.json")) if gold.is_dir() else []:
        for q in json.loads(f.read_text(encoding="utf-8")).get("questions", []):
            out.append((q["q"], q.get("type", "text")))
    return out


def run(ctx: Any = None) -> list[dict]:
    from fastapi.testclient import TestClient

    from plan_kb.service.app import create_app
    from plan_kb.service.settings import Settings

    folder = folder_of(ctx)
    data = folder.parent.parent
    client = TestClient(create_app(Settings(data=data)))
    qs = questions()
    client.post("/ask", json={"question": qs[0][0]})  # the app's first question reads the lexicon
    times, right = [], 0
    rounds = 1 if getattr(ctx, "quick", False) else ROUNDS
    for i in range(rounds):
        for q, intent in qs:
            t0 = time.perf_counter()
            r = client.post("/ask", json={"question": q, "today": "2022-12-01"})
            times.append((time.perf_counter() - t0) * 1000)
            if i == 0 and r.status_code == 200 and r.json()["intent"] == intent:
                right += 1
    p50 = statistics.median(times)
    # a question over the length limit is refused before it is read: cheaper than answering one
    too_long = "汾" * 10_000
    refusals = []
    for _ in range(rounds * 5):
        t0 = time.perf_counter()
        r = client.post("/ask", json={"question": too_long})
        refusals.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 413:
            raise RuntimeError(f"a 10 000-character question got {r.status_code}, not 413")
    refused = statistics.median(refusals) / p50
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
    rows = [
        row("ask p50 (in-process)", p50, "ms", goal=f"< {GOAL_P50_MS:g}", ok=p50 < GOAL_P50_MS,
             note=f"{len(times)} questions through POST /ask"),
        row("ask p95 (in-process)", p95, "ms"),
        row("10 000-character question refused, vs ask p50", refused, "×", goal="< 1", ok=refused < 1,
             note="413 before the question is read"),
        row("ask intents right", right / len(qs), "", note=f"{right}/{len(qs)} cases and gold questions"),
    ]
    colds = []
    env = {**os.environ, "PLAN_KB_DATA": str(data)}
    exe = Path(sys.executable).parent / "plan-kb"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "plan_kb"]
    for _ in range(1 if getattr(ctx, "quick", False) else 3):
        t0 = time.perf_counter()
        p = subprocess.run([*cmd, "ask", "--json", COLD_QUESTION], env=env, capture_output=True,
                           timeout=60)
        colds.append(time.perf_counter() - t0)
        if p.returncode != 0:
            raise RuntimeError(f"plan-kb ask failed: {p.stderr.decode('utf-8', 'replace')[:300]}")
    cold = statistics.median(colds)
    rows.append(row("plan-kb ask cold start", cold, "s", goal=f"< {GOAL_COLD_S:g}", ok=cold < GOAL_COLD_S,
                     note=f"median of {len(colds)} fresh processes"))
    return rows


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
