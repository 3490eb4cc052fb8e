"""Worker processes that answer users' SPARQL queries under a time limit.

An Oxigraph query cannot be cancelled from Python: it releases the GIL and runs to the end. So a user's query runs in
one of a few worker processes, each holding its own read-only copy of the store; when the time limit is hit the
worker is killed and a fresh one takes its place. The copy also means no query can change the data served.
"""

from __future__ import annotations

import contextlib
import pickle
import queue
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from plan_kb.store.results import QueryError, QueryTimeout, Result, RowLimitExceeded

_ERRORS: dict[str, type[Exception]] = {"QueryError": QueryError, "RowLimitExceeded": RowLimitExceeded}
_HEAD = struct.Struct("!I")


def _send(f: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    f.write(_HEAD.pack(len(data)) + data)
    f.flush()


def _recv(f: IO[bytes]) -> Any:
    head = f.read(_HEAD.size)
    if len(head) < _HEAD.size:
        raise EOFError("the worker closed its pipe")
    (n,) = _HEAD.unpack(head)
    data = f.read(n)
    if len(data) < n:
        raise EOFError("the worker closed its pipe")
    return pickle.loads(data)


def main(nq: str) -> None:  # pragma: no cover - runs in the worker process
    """The worker: load the store, then answer (query, row_limit, default_graphs, named_graphs) until EOF."""
    import pyoxigraph as ox

    from plan_kb.store.results import run_on_oxigraph

    inp, out = sys.stdin.buffer, sys.stdout.buffer
    store = ox.Store()
    store.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
    _send(out, ("ready", len(store)))
    while True:
        try:
            sparql, row_limit, default_graphs, named_graphs = _recv(inp)
        except EOFError:
            return
        try:
            _send(out, ("ok", run_on_oxigraph(store, sparql, row_limit, default_graphs, named_graphs)))
        except Exception as exc:
            _send(out, ("error", type(exc).__name__, str(exc)))


class _Worker:
    def __init__(self, nq: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "plan_kb.store.pool", str(nq)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        assert self.proc.stdin and self.proc.stdout
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        if not self.ready(60) or _recv(self.stdout)[0] != "ready":
            self.kill()
            raise QueryError("a query worker did not start")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def ready(self, timeout: float) -> bool:
        r, _w, _x = select.select([self.stdout], [], [], timeout)
        return bool(r)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        for f in (self.stdin, self.stdout):
            with contextlib.suppress(OSError):
                f.close()


class QueryPool:
    """``workers`` processes; a query waits for an idle one, runs, and is killed with its worker at the deadline."""

    def __init__(self, nq: Path, workers: int = 2):
        self.nq = Path(nq)
        self.size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._add(_Worker(self.nq))

    def _add(self, w: _Worker) -> None:
        with self._lock:
            if self._closed:
                w.kill()
                return
            self._all.add(w)
        self._idle.put(w)

    def _replace(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()
        threading.Thread(target=lambda: self._add(_Worker(self.nq)), daemon=True).start()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._all]

    def run(self, sparql: str, timeout: float, row_limit: int | None = None,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        t0 = time.monotonic()
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for the time limit of {timeout:g} s; "
                               "try again later") from None
        try:
            _send(w.stdin, (sparql, row_limit, default_graphs, named_graphs))
            left = max(0.0, timeout - (time.monotonic() - t0))
            if not w.ready(left):
                self._replace(w)
                w = None
                raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped; "
                                   "make it more selective or add a LIMIT")
            reply: Any = _recv(w.stdout)
        except (EOFError, OSError, BrokenPipeError):
            if w is not None:
                self._replace(w)
                w = None
            raise QueryError("the query worker died while answering; the query was not completed") from None
        finally:
            if w is not None:
                self._idle.put(w)
        if reply[0] == "ok":
            return reply[1]
        raise _ERRORS.get(reply[1], QueryError)(reply[2])

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for w in workers:
            w.kill()

    def __del__(self) -> None:  # pragma: no cover
        if not getattr(self, "_closed", True):
            self.close()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1])
