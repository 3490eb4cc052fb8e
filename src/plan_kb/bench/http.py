"""The service over HTTP on loopback: concurrent clients against a real ``plan-kb serve`` (uvicorn, its own
process), bounded in requests and time; p50, p95 and requests per second for the named queries, the REST lists and
/sparql; and the server's peak resident memory (VmHWM of the server and of its query workers)."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from plan_kb.store.queries import named_queries

GOAL_P50_MS = 5.0
GOAL_RSS_MB = 300.0
CLIENTS = 2
SPARQL = ("PREFIX pkb: <https://w3id.org/plan-kb/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
          "SELECT ?t ?n ?title WHERE { ?t a pkb:Task ; pkb:number ?n ; dcterms:title ?title ; "
          "pkb:inPlan [ pkb:planKey \"water\" ] } ORDER BY ?n")


def _targets() -> list[tuple[str, str, dict[str, str]]]:
    out = [(f"/queries/{n}", f"/queries/{n}", q.example_params()) for n, q in named_queries().items()]
    out += [("/plans", "/plans", {}), ("/tasks?agency&role", "/tasks",
                                       {"agency": "sx-ecology-environment", "role": "lead"}),
            ("/tasks/water/1", "/tasks/water/1", {}), ("/agencies", "/agencies", {}),
            ("/deadlines", "/deadlines", {}), ("/sparql SELECT", "/sparql", {"query": SPARQL})]
    return out


def _load(base: str, path: str, params: dict[str, str], total: int, seconds: float) -> tuple[list[float], float]:
    lat: list[float] = []
    lock = threading.Lock()
    left = [total]
    t_end = time.perf_counter() + seconds

    def client() -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            while True:
                with lock:
                    if left[0] <= 0 or time.perf_counter() > t_end:
                        return
                    left[0] -= 1
                t0 = time.perf_counter()
                r = c.get(path, params=params)
                dt = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {r.status_code}: {r.text[:200]}")
                with lock:
                    lat.append(dt)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, time.perf_counter() - t0


def _hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(p.name))
    return out


def run(ctx: Any) -> list[dict]:
    base = ctx.server()
    total, seconds = (100, 2.0) if ctx.quick else (400, 5.0)
    rows: list[dict] = []
    all_lat: list[float] = []
    for label, path, params in _targets():
        with httpx.Client(base_url=base) as c:  # warm the route
            c.get(path, params=params)
        lat, took = _load(base, path, params, total, seconds)
        all_lat += lat
        p50 = statistics.median(lat)
        p95 = statistics.quantiles(lat, n=20)[-1] if len(lat) >= 20 else max(lat)
        rows.append({"name": f"HTTP {label} p50", "value": round(p50, 2), "unit": "ms",
                     "goal": f"< {GOAL_P50_MS:g}", "ok": p50 < GOAL_P50_MS,
                     "p95": round(p95, 2), "rps": round(len(lat) / took, 1), "requests": len(lat),
                     "note": f"p95 {p95:.2f} ms, {len(lat) / took:.0f} req/s, {CLIENTS} clients"})
    p50 = statistics.median(all_lat)
    p95 = statistics.quantiles(all_lat, n=20)[-1]
    rows.append({"name": "HTTP all requests p50", "value": round(p50, 2), "unit": "ms", "goal": f"< {GOAL_P50_MS:g}",
                 "ok": p50 < GOAL_P50_MS, "note": f"{len(all_lat)} requests"})
    rows.append({"name": "HTTP all requests p95", "value": round(p95, 2), "unit": "ms"})
    pid = ctx.server_pid
    server = _hwm_mb(pid)
    workers = sum(_hwm_mb(c) for c in _children(pid))
    rows.append({"name": "server peak RSS", "value": round(server, 1), "unit": "MB", "goal": f"< {GOAL_RSS_MB:g}",
                 "ok": server < GOAL_RSS_MB, "note": "uvicorn process, VmHWM"})
    rows.append({"name": "server + /sparql workers peak RSS", "value": round(server + workers, 1), "unit": "MB",
                 "goal": f"< {GOAL_RSS_MB:g}", "ok": server + workers < GOAL_RSS_MB,
                 "note": f"{len(_children(pid))} query worker processes"})
    return rows
