"""A running server serves the newest successful build, and keeps serving the old one when a rebuild fails."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.reading.test_structure import CITY_PLAN
from tests.service.helpers import plan_kb_server

pytestmark = pytest.mark.slow


def _plans(base: str) -> set[str]:
    r = httpx.get(base + "/plans", headers={"Accept": "application/json"}, timeout=10)
    r.raise_for_status()
    body = r.json()
    items = body["items"] if isinstance(body, dict) else body
    return {p["plan"] for p in items}


def _build(data: Path, corpus: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plan_kb", "build", "--corpus", str(corpus)],
                          env={"PLAN_KB_DATA": str(data), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=300)


def _wait_for(base: str, want: set[str], seconds: float = 20) -> set[str]:
    deadline = time.monotonic() + seconds
    got: set[str] = set()
    while time.monotonic() < deadline:
        got = _plans(base)
        if got == want:
            return got
        time.sleep(0.2)
    return got


def test_server_picks_up_a_rebuild_and_survives_a_failed_one(tmp_path: Path) -> None:
    data, city, bad = tmp_path / "data", tmp_path / "city", tmp_path / "bad"
    city.mkdir()
    bad.mkdir()
    (city / "city.txt").write_text(CITY_PLAN, encoding="utf-8")
    (bad / "notes.txt").write_text("会议纪要。\n\n没有计划。", encoding="utf-8")
    assert _build(data, city).returncode == 0
    with plan_kb_server(data, PLAN_KB_RELOAD_CHECK="0.1") as base:
        assert _plans(base) == {"air"}
        r = _build(data, bad)
        assert r.returncode == 2
        time.sleep(0.5)
        assert _plans(base) == {"air"}, "a failed rebuild changes nothing that is served"
        from plan_kb.base.resources import CORPUS

        assert _build(data, CORPUS).returncode == 0
        assert _wait_for(base, {"water", "air", "soil", "groundwater"}) == {"water", "air", "soil", "groundwater"}
        hits = httpx.get(base + "/search", params={"q": "涑水河"}, timeout=10).json()
        assert hits["total"] >= 1
