"""Start real servers for the service tests: ``plan-kb serve`` (uvicorn) and ``oxigraph serve``, on free loopback
ports, stopped when the test module ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def plan_kb_server(data: Path, **env: str) -> Iterator[str]:
    """``plan-kb serve`` on a free port over the knowledge base in ``data``; yields the base URL."""
    port = free_port()
    e = {**os.environ, "PLAN_KB_DATA": str(data), **env}
    proc = subprocess.Popen([str(BIN / "plan-kb"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/queries", proc)
        yield base
    finally:
        _stop(proc)


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A real ``oxigraph serve`` (read-write) on a free port with its data in ``location``; yields the root URL."""
    port = free_port()
    proc = subprocess.Popen([str(BIN / "oxigraph"), "serve", "--location", str(location), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/query?query=ASK%7B%7D", proc)
        yield base
    finally:
        _stop(proc)
