"""The query pool against workers that misbehave: one that stalls in the middle of its reply, one that dies in the
middle of it, and one that never reads its query. Each request must end by its deadline, and the pool must replace
the worker (issue 22). The misbehaving workers are small programs speaking the pool's protocol."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

import pytest

from plan_kb.store.pool import QueryPool
from plan_kb.store.results import QueryError, QueryTimeout

# A worker that says it is ready, then answers its first query with the start of a reply and then (per argv[1])
# stalls, dies, or never reads; later workers (the replacements) answer properly.
_FAKE = textwrap.dedent('''
    import os, pickle, struct, sys, time
    from plan_kb.store.results import Result
    mode, flag = sys.argv[1], sys.argv[2]
    first = not os.path.exists(flag)
    open(flag, "a").close()
    out, inp = sys.stdout.buffer, sys.stdin.buffer
    def send(obj):
        data = pickle.dumps(obj)
        out.write(struct.pack("!I", len(data)) + data); out.flush()
    def recv():
        (n,) = struct.unpack("!I", inp.read(4)); return pickle.loads(inp.read(n))
    send(("ready", 1))
    if first and mode == "deaf":
        time.sleep(600)
    while True:
        recv()
        if first:
            data = pickle.dumps(("ok", Result("ask", boolean=True)))
            out.write(struct.pack("!I", len(data)) + data[:5]); out.flush()
            if mode == "die":
                os._exit(1)
            time.sleep(600)
        send(("ok", Result("ask", boolean=True)))
''')


def _pool(tmp_path: Path, mode: str) -> QueryPool:
    script = tmp_path / "fake_worker.py"
    script.write_text(_FAKE, encoding="utf-8")
    return QueryPool(tmp_path / "kb.nq", workers=1,
                     command=[sys.executable, str(script), mode, str(tmp_path / "started")])


@pytest.mark.parametrize("mode", ["stall", "deaf"])
def test_a_worker_that_stalls_is_stopped_at_the_time_limit(tmp_path: Path, mode: str) -> None:
    pool = _pool(tmp_path, mode)
    try:
        (first,) = pool.pids()
        t0 = time.monotonic()
        # a query over the pipe's buffer, so that a worker that never reads blocks the sending too
        with pytest.raises(QueryTimeout, match="time limit of 1 s"):
            pool.run("ASK {}" + " " * 200_000, timeout=1.0)
        assert time.monotonic() - t0 < 3
        res = pool.run("ASK {}", timeout=20)  # waits for the replacement
        assert res.boolean is True
        assert first not in pool.pids() and len(pool.pids()) == 1
    finally:
        pool.close()


def test_a_worker_that_dies_mid_reply_is_replaced(tmp_path: Path) -> None:
    pool = _pool(tmp_path, "die")
    try:
        (first,) = pool.pids()
        with pytest.raises(QueryError, match="died while answering"):
            pool.run("ASK {}", timeout=10)
        assert pool.run("ASK {}", timeout=20).boolean is True
        assert first not in pool.pids()
    finally:
        pool.close()


def test_closing_the_pool_ends_a_request_waiting_on_a_stalled_worker(tmp_path: Path) -> None:
    import threading

    from plan_kb.store.results import QueryInterrupted

    pool = _pool(tmp_path, "stall")
    got: list[BaseException] = []

    def run() -> None:
        try:
            pool.run("ASK {}", timeout=300)
        except BaseException as exc:
            got.append(exc)

    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.5)
    t0 = time.monotonic()
    pool.close()
    t.join(10)
    assert not t.is_alive() and time.monotonic() - t0 < 5
    assert len(got) == 1 and isinstance(got[0], QueryInterrupted)
