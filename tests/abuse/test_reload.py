"""A server across reloads: one store, one pool of query workers and one search index per build in use; the
workers of an old build stop as soon as its last request ends (ten reloads once left 12 workers and 854 MB)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import httpx
import pytest

from tests.abuse.test_http import _children
from tests.service.helpers import plan_kb_server

pytestmark = pytest.mark.slow


def _swap(data: Path, name: str) -> None:
    tmp = data / ".current-test"
    tmp.symlink_to(Path("builds") / name)
    os.replace(tmp, data / "current")


def test_old_workers_stop_when_a_newer_build_is_served(tmp_path: Path, built) -> None:
    data = tmp_path / "data"
    names = [f"{built.folder.name}-copy{i}" for i in range(4)]
    for n in names:
        shutil.copytree(built.folder, data / "builds" / n, symlinks=True)
    _swap(data, names[0])
    with plan_kb_server(data, PLAN_KB_RELOAD_CHECK="0.1", PLAN_KB_QUERY_WORKERS="2") as base:
        pid = int(next(p for p in os.listdir("/proc") if p.isdigit() and _is_server(p, base)))
        seen: set[int] = set()
        for n in [*names[1:], names[0], names[1]]:
            r = httpx.post(f"{base}/sparql", data={"query": "ASK { ?s ?p ?o }"}, timeout=30)
            assert r.status_code == 200
            assert httpx.get(f"{base}/search", params={"q": "汾河"}, timeout=30).status_code == 200
            workers = _children(pid)
            assert len(workers) == 2, workers
            assert not workers & seen, "a worker of an older build is still running"
            seen |= workers
            _swap(data, n)
            time.sleep(0.3)
            assert httpx.get(f"{base}/plans", timeout=30).status_code == 200  # this request reloads
        deadline = time.monotonic() + 10
        while len(_children(pid)) and time.monotonic() < deadline:  # the old build's workers, stopped
            time.sleep(0.1)
        assert _children(pid) == set()


def _is_server(pid: str, base: str) -> bool:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"serve" in cmd and base.rsplit(":", 1)[1].encode() in cmd
