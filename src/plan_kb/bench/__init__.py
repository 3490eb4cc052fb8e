"""``plan-kb bench``: build once, then run every benchmark module of this package in the same run.

A module ``plan_kb/bench/<name>.py`` exposes ``run(ctx) -> list[dict]``; each row is
``{"name": …, "value": …, "unit": …}`` with optional ``goal`` (text), ``ok`` (bool) and ``note``. ``ctx`` is a
:class:`BenchContext`: ``ctx.data`` (the data folder), ``ctx.folder`` (its current build), ``ctx.build_seconds``,
``ctx.quick`` (fewer rounds) and ``ctx.server()`` (a ``plan-kb serve`` on a free loopback port, started once and
shared; its PID is ``ctx.server_pid``).
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan_kb.base.resources import CORPUS, ROOT
from plan_kb.build import build

RESULTS = ROOT / "bench" / "results" / "latest.json"


def row(name: str, value: float, unit: str, **extra: Any) -> dict:
    """One figure of the table: value rounded, with optional ``goal``, ``ok`` and ``note``."""
    return {"name": name, "value": round(value, 3) if isinstance(value, float) else value, "unit": unit, **extra}


def folder_of(ctx: BenchContext | None) -> Path:
    """The build a module measures: the run's own, or the current one when a module is run on its own."""
    if ctx is not None:
        return Path(ctx.folder).resolve()
    from plan_kb.store.folders import current_dir

    return current_dir()


@dataclass
class BenchContext:
    data: Path
    folder: Path
    build_seconds: float
    quick: bool = False
    say: Callable[[str], None] = print
    _server: subprocess.Popen | None = field(default=None, repr=False)
    _url: str | None = None

    @property
    def server_pid(self) -> int | None:
        return self._server.pid if self._server else None

    def server(self) -> str:
        """The base URL of a ``plan-kb serve`` over this build (started on first call)."""
        if self._url:
            return self._url
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "PLAN_KB_DATA": str(self.data)}
        exe = Path(sys.executable).parent / "plan-kb"
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "plan_kb"]
        self._server = subprocess.Popen([*cmd, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/queries", timeout=1).status_code == 200:
                    self._url = url
                    return url
            except httpx.HTTPError:
                time.sleep(0.1)
            if self._server.poll() is not None:
                break
        raise RuntimeError("the benchmark server did not start")

    def close(self) -> None:
        if self._server:
            self._server.terminate()
            try:
                self._server.wait(10)
            except subprocess.TimeoutExpired:
                self._server.kill()
            self._server = None
            self._url = None


def modules() -> list[str]:
    """The benchmark modules: those of this package with a ``run`` (``corpus`` only makes corpora)."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [n for n in names if hasattr(importlib.import_module(f"{__name__}.{n}"), "run")]


def run_all(only: list[str] | None = None, quick: bool = False, out: Path | None = RESULTS,
            say: Callable[[str], None] = print) -> dict[str, Any]:
    """Build once (timed, into a fresh folder: a cold build), run the modules, return and write the results."""
    with tempfile.TemporaryDirectory(prefix="plan-kb-bench-") as tmp:
        data = Path(tmp)
        say("building the knowledge base (cold)")
        t0 = time.perf_counter()
        result = build(CORPUS, data)
        build_seconds = time.perf_counter() - t0
        ctx = BenchContext(data, result.folder, build_seconds, quick, say)
        report: dict[str, Any] = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
            "rows": [{"module": "build", "name": "cold build", "value": round(build_seconds, 3), "unit": "s",
                      "note": "read, write the graph, validate with SHACL, write the build folder"}],
        }
        try:
            for name in modules():
                if only and name not in only:
                    continue
                say(f"running bench module {name}")
                mod = importlib.import_module(f"{__name__}.{name}")
                try:
                    rows = mod.run(ctx)
                except Exception as exc:  # one module failing must not hide the others' figures
                    rows = [{"name": f"{name} failed", "value": None, "unit": "", "ok": False,
                             "note": f"{type(exc).__name__}: {exc}"}]
                report["rows"] += [{"module": name, **r} for r in rows]
        finally:
            ctx.close()
    goals = [r for r in report["rows"] if "ok" in r]
    report["goals_met"] = all(r["ok"] for r in goals)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report


def run_scale(n: int, quick: bool = False, out: Path | None = None,
              say: Callable[[str], None] = print) -> dict[str, Any]:
    """``plan-kb bench --scale N``: the figures of ``bench._scale`` for an N× base, written like ``run_all``'s."""
    from plan_kb.bench._scale import run_scale as scale_rows

    report: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "scale": n,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
                    "load_before": os.getloadavg()},
        "rows": [{"module": "scale", **r} for r in scale_rows(n, say=say, quick=quick)],
    }
    report["machine"]["load_after"] = os.getloadavg()
    report["goals_met"] = all(r["ok"] for r in report["rows"] if "ok" in r)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report


def table(report: dict[str, Any]) -> str:
    lines = [f"{'module':<8} {'figure':<46} {'value':>12} {'unit':<6} {'goal':<10} ok",
             "-" * 92]
    for r in report["rows"]:
        v = r.get("value")
        vs = "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
        ok = "" if "ok" not in r else ("yes" if r["ok"] else "NO")
        lines.append(f"{r.get('module', ''):<8} {r['name'][:46]:<46} {vs:>12} {r.get('unit', ''):<6} "
                     f"{str(r.get('goal', ''))[:10]:<10} {ok}")
    lines.append(f"goals met: {'yes' if report['goals_met'] else 'NO'}")
    return "\n".join(lines)
