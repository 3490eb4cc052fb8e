"""``plan-kb bench --scale N`` (``make bench SCALE=N``): the base at 1× and at N× the bundled corpus, as distinct
documents (``plan_kb.bench.corpus``), in the same run:

* cold build of 1× and of N× (fresh data folders, each build its own ``plan-kb build`` process), the build of
  the N× base with one more document added (the other N reused as units), and then with one document's file
  given another text (a new version: its unit removed from the store, the new one added); wall time and peak RSS
  of each process;
* p50 over HTTP (one client, loopback) at 1× and at N× of a point look-up (``/tasks/water/1``), a list page
  (``/tasks?limit=20``), ``/search``, ``POST /ask`` and ``/sparql``;
* ``/sparql`` and ``oxigraph serve`` side by side over the same N× data, on the bench's SELECT and on every named
  query's SPARQL (:func:`sparql_pairs`: both servers up, asked in turn).

Goals (issue 19): N× cold build within 1.3× of N times the 1× build (and under 120 s at 50×); one document added in
under 10 s; peak build RSS under 800 MB; N× look-ups, ``/search`` and ``/ask`` within 2× of 1×; ``/sparql`` within
1.5× of ``oxigraph serve``. Not a module of the plain ``make bench`` run (its name starts with ``_``).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from plan_kb.bench import row
from plan_kb.bench.cli import command
from plan_kb.bench.corpus import first_of, make_copies

SPARQL = ("PREFIX pkb: <https://w3id.org/plan-kb/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
          "SELECT ?t ?n ?title WHERE { ?t a pkb:Task ; pkb:number ?n ; dcterms:title ?title ; "
          "pkb:inPlan [ pkb:planKey \"water\" ] } ORDER BY ?n")
ASK = "保障重点河流生态流量由谁牵头?"
PAGE = 100  # rows of a named query's page, as /queries sends it
BUDGET = 4.0  # seconds of requests per query and server (at least 5 requests each)
TARGETS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("point look-up /tasks/water/1", "GET", "/tasks/water/1", {}),
    ("list page /tasks?limit=20", "GET", "/tasks", {"limit": 20}),
    ("/search 生态流量", "GET", "/search", {"q": "生态流量"}),
    ("/ask", "POST", "/ask", {"question": ASK}),
    ("/sparql SELECT", "GET", "/sparql", {"query": SPARQL}),
]


def timed_build(corpus: Path, data: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one ``plan-kb build`` process."""
    env = {**os.environ, "PLAN_KB_DATA": str(data)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([*command(), "build", "--corpus", str(corpus)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode("utf-8", "replace")[-400:] if proc.stderr else ""
        raise RuntimeError(f"plan-kb build --corpus {corpus} failed: {err}")
    proc.returncode = 0
    return seconds, usage.ru_maxrss / 1024


def _p50(base: str, method: str, path: str, params: dict[str, Any], n: int) -> float:
    lat = []
    with httpx.Client(base_url=base, timeout=60) as c:
        for i in range(n + 2):
            t0 = time.perf_counter()
            r = c.post(path, json=params) if method == "POST" else c.get(path, params=params)
            if r.status_code != 200:
                raise RuntimeError(f"{base}{path}: HTTP {r.status_code}: {r.text[:200]}")
            if i >= 2:  # two warm-up requests
                lat.append((time.perf_counter() - t0) * 1000)
    return statistics.median(lat)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _started(cmd: list[str], probe: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start a server process; wait until ``probe`` (a path) answers; the process and its base URL."""
    port = _free_port()
    cmd = [c.replace("{port}", str(port)) for c in cmd]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}")
        try:
            if httpx.get(base + probe, timeout=2).status_code < 500:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{' '.join(cmd)} did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def serve_p50(data: Path, n: int) -> dict[str, float]:
    """p50 (ms) of every target on a ``plan-kb serve`` over the base in ``data``."""
    proc, base = _started([*command(), "serve", "--host", "127.0.0.1", "--port", "{port}"], "/queries",
                          {**os.environ, "PLAN_KB_DATA": str(data)})
    try:
        return {label: _p50(base, m, path, params, n) for label, m, path, params in TARGETS}
    finally:
        _stop(proc)


def sparql_queries() -> dict[str, str]:
    """The queries ``/sparql`` and ``oxigraph serve`` answer side by side: the bench's SELECT and every named query's
    SPARQL with its example parameters, a page of :data:`PAGE` rows of it."""
    from plan_kb.store.queries import _LIMITED, named_queries

    out = {"SELECT": SPARQL}
    for name, q in named_queries().items():
        text = q.sparql(**q.example_params())
        # a page of it, as /queries sends it to the store (a whole list of the N× base passes the row cap)
        out[name] = text if _LIMITED.search(text.rstrip()) else f"{text}\nLIMIT {PAGE}"
    return out


def sparql_pairs(data: Path, nq: Path, where: Path, n: int) -> dict[str, tuple[float, float]]:
    """Query → (p50 ms of plan-kb ``/sparql``, of ``oxigraph serve``) over the same N-Quads (its union default
    graph), both servers up at once and asked in turn, request by request, with the same client and headers, so a
    load that comes and goes on the machine falls on both alike."""
    exe = Path(shutil.which("oxigraph") or Path(command()[0]).parent / "oxigraph")
    if not exe.exists():
        raise RuntimeError("no oxigraph command (pip install oxigraph)")
    subprocess.run([str(exe), "load", "--location", str(where), "--file", str(nq)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ox, ox_base = _started([str(exe), "serve-read-only", "--location", str(where), "--bind", "127.0.0.1:{port}"],
                           "/query?query=ASK%7B%7D")
    try:
        ours, our_base = _started([*command(), "serve", "--host", "127.0.0.1", "--port", "{port}"], "/queries",
                                  {**os.environ, "PLAN_KB_DATA": str(data)})
    except BaseException:
        _stop(ox)
        raise
    out: dict[str, tuple[float, float]] = {}
    try:
        with httpx.Client(base_url=our_base, timeout=60) as a, httpx.Client(base_url=ox_base, timeout=60) as b:
            for name, q in sparql_queries().items():
                lat: tuple[list[float], list[float]] = ([], [])
                t_end = time.perf_counter() + BUDGET
                for i in range(n + 2):
                    if i >= 7 and time.perf_counter() > t_end:
                        break
                    for k, (c, path, params) in enumerate(((a, "/sparql", {"query": q}),
                                                           (b, "/query", {"query": q, "union-default-graph": ""}))):
                        t0 = time.perf_counter()
                        r = c.get(path, params=params)
                        if r.status_code != 200:
                            raise RuntimeError(f"{c.base_url}{path} ({name}): HTTP {r.status_code}: {r.text[:200]}")
                        if i >= 2:  # two warm-up requests
                            lat[k].append((time.perf_counter() - t0) * 1000)
                out[name] = (statistics.median(lat[0]), statistics.median(lat[1]))
    finally:
        _stop(ours)
        _stop(ox)
    return out


def _reuse(data: Path) -> str:
    """What the current build of ``data`` reused (its report's units and store)."""
    import json

    rep = json.loads((data / "current" / "report.json").read_text(encoding="utf-8"))
    return (f"{len(rep['units']['reused'])} documents reused, {len(rep['units']['made'])} read; store: "
            f"{rep.get('reuse', {}).get('store', '?')}")


def run_scale(n: int, say: Any = print, quick: bool = False) -> list[dict]:
    """The figures of the module docstring for an N× base (N ≥ 2)."""
    if n < 2:
        raise ValueError("--scale needs N of at least 2")
    requests = 20 if quick else 50
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="plan-kb-scale-") as tmp:
        t = Path(tmp)
        copies = make_copies(n + 2, t / "all")
        every = sorted(copies.glob("*.txt"))
        one, many = first_of(copies, 1, t / "c1"), first_of(copies, n, t / "cN")
        say("scale: cold build 1×")
        b1, r1 = timed_build(one, t / "d1")
        say(f"scale: cold build {n}×")
        bn, rn = timed_build(many, t / "dN")
        ratio = bn / (n * b1)
        rows += [row("cold build 1×", b1, "s", note=f"peak RSS {r1:.0f} MB"),
                 row(f"cold build {n}×", bn, "s", goal=f"≤ 1.3 × {n} × 1×", ok=ratio <= 1.3,
                     note=f"{ratio:.2f} × ({n} × the 1× build); peak RSS {rn:.0f} MB")]
        say(f"scale: HTTP at 1× and {n}×")
        p1 = serve_p50(t / "d1", requests)
        pn = serve_p50(t / "dN", requests)
        for label, *_ in TARGETS:
            k = pn[label] / p1[label]
            rows.append(row(f"{label} p50 at {n}×", pn[label], "ms", goal="≤ 2 × 1×", ok=k <= 2,
                            note=f"1×: {p1[label]:.2f} ms ({k:.2f}×)"))
        pairs = sparql_pairs(t / "dN", (t / "dN" / "current" / "kb.nq").resolve(), t / "oxserve", requests)
        ratios = {name: ours / ox for name, (ours, ox) in pairs.items()}
        for name, (ours, ox) in pairs.items():
            rows.append(row(f"/sparql vs oxigraph serve, {name}, {n}×", ours, "ms", goal="≤ 1.5 × oxigraph",
                            ok=ratios[name] <= 1.5, note=f"oxigraph serve {ox:.2f} ms ({ratios[name]:.2f}×)"))
        mid = statistics.median(ratios.values())
        rows.append(row(f"/sparql ÷ oxigraph serve, median of {len(ratios)} queries, {n}×", mid, "×",
                        goal="≤ 1.5", ok=mid <= 1.5,
                        note=f"{sum(r <= 1.5 for r in ratios.values())} of {len(ratios)} within 1.5×; highest "
                             f"{max(ratios, key=lambda k: ratios[k])} {max(ratios.values()):.2f}×"))
        shutil.copy(every[n], many)
        say(f"scale: one document added to the {n}× base")
        bi, ri = timed_build(many, t / "dN")
        (many / every[0].name).write_bytes(every[n + 1].read_bytes())
        say(f"scale: one document of the {n + 1}× base changed")
        bc, rc = timed_build(many, t / "dN")
        rows += [row(f"one document added to {n}×", bi, "s", goal="< 10", ok=bi < 10,
                     note=f"{n} documents reused as units; peak RSS {ri:.0f} MB"),
                 row(f"one document of {n + 1}× changed", bc, "s",
                     note=f"{_reuse(t / 'dN')}; peak RSS {rc:.0f} MB"),
                 row("peak build RSS", max(r1, rn, ri, rc), "MB", goal="< 800", ok=max(r1, rn, ri, rc) < 800)]
    return rows
