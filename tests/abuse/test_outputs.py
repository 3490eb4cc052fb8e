"""What the service and the commands write: CSV cells a spreadsheet would run, and the question command writing
into a knowledge base it only reads."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plan_kb.base.cells import inert
from plan_kb.service.formats import table_csv


@pytest.mark.parametrize(("cell", "out"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("-5", "-5"), ("+3.5e2", "+3.5e2"),
    ("省水利厅", "省水利厅"), ("a=b", "a=b"), ("", ""),
])
def test_cells_that_start_a_formula_are_prefixed(cell: str, out: str) -> None:
    assert inert(cell) == out


def test_rest_csv_has_no_formula_cells() -> None:
    body = table_csv(["=title", "n"], [["=cmd|' /C calc'!A0", 3], ["@x", -2], [None, "-1"]]).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [["'=title", "n"], ["'=cmd|' /C calc'!A0", "3"], ["'@x", "-2"], ["", "-1"]]


@pytest.mark.slow
def test_asking_does_not_write_into_the_knowledge_base(tmp_path: Path, built) -> None:
    """jieba named its cache after the word list's absolute path: the cache the build wrote (in ``<id>.partial``) was
    not found, and the first question wrote a new one (a traceback where the knowledge base is read-only)."""
    data = tmp_path / "data"
    shutil.copytree(built.folder, data / "builds" / built.folder.name, symlinks=True)
    (data / "current").symlink_to(Path("builds") / built.folder.name)

    def files() -> dict[str, float]:
        return {str(p.relative_to(data)): p.stat().st_mtime for p in data.rglob("*") if p.is_file()}

    before = files()
    r = subprocess.run([sys.executable, "-m", "plan_kb", "ask", "汾河流域横向生态补偿谁牵头?"], capture_output=True,
                       text=True, env={**os.environ, "PLAN_KB_DATA": str(data)}, timeout=300)
    assert r.returncode == 0 and "牵头" in r.stdout and "Traceback" not in r.stderr, r.stderr[-1000:]
    assert files() == before


def test_the_h11_protocol_answers_bad_http_in_the_one_format() -> None:
    """Where httptools is not installed, ``plan-kb serve`` runs h11: what it cannot read is answered in JSON too."""
    import json
    import socket
    import threading
    import time

    import uvicorn

    from plan_kb.service.errors import H11JSONErrors
    from tests.service.helpers import free_port

    async def app(scope, receive, send):  # an app that answers everything it is given
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, http=H11JSONErrors, log_level="critical",
                                           h11_max_incomplete_event_size=1024, lifespan="off"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    try:
        while not server.started:
            time.sleep(0.05)
        for req, status in ((b"GARBAGE\r\n\r\n", 400), (b"GET /" + b"a" * 5000, 431)):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(req)
                reply = b"".join(iter(lambda s=s: s.recv(65536), b""))
            head, _, body = reply.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 %d" % status) and b"application/json" in head
            assert json.loads(body)["error"]["status"] == status
    finally:
        server.should_exit = True
        t.join(10)
