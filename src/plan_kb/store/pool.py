"""Worker processes that answer users' SPARQL queries under a time limit.

An Oxigraph query cannot be cancelled from Python: it releases the GIL and runs to the end. So a user's query runs in
one of a few worker processes, each holding its own read-only copy of the store; when the time limit is hit the
worker is killed and a fresh one takes its place. The copy also means no query can change the data served.

Every exchange with a worker is bounded by the query's deadline: sending the query, waiting for the first byte of
the reply and reading the rest of it (a worker that stalls or dies in the middle of its reply is replaced like one
that overruns). Closing the pool kills its workers, which ends every read still waiting on them at once.

A worker runs each query on a thread with a large stack (:data:`STACK_BYTES`, reserved, not used), so that the
recursion of Oxigraph's parser and optimiser on long chains (``1+1+…``, ``{…} UNION {…} UNION …``) stays far
from the end of the stack within the guard's size limit.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Generator
from pathlib import Path
from typing import IO, Any

from plan_kb.store.results import (
    QueryError,
    QueryInterrupted,
    QueryTimeout,
    ResultTooLarge,
    RowLimitExceeded,
)

log = logging.getLogger("plan_kb.store")
_ERRORS: dict[str, type[Exception]] = {"QueryError": QueryError, "RowLimitExceeded": RowLimitExceeded,
                                       "ResultTooLarge": ResultTooLarge}
_HEAD = struct.Struct("!I")
#: The stack of the thread a worker answers on.
STACK_BYTES = 256 * 1024 * 1024


class _Overrun(Exception):
    """The deadline passed before the worker finished its part of the exchange."""


def _message(obj: Any) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEAD.pack(len(data)) + data


def _send(f: IO[bytes], obj: Any) -> None:
    f.write(_message(obj))
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


def _writing(fd: int, data: bytes) -> Generator[bool, None, None]:
    """Write all of ``data`` to the non-blocking ``fd``, yielding True each time ``fd`` must become writable first."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            yield True


def _reading(fd: int) -> Generator[bool, None, Any]:
    """One message from the non-blocking ``fd`` (its length, then its pickle), unpickled: yields True each time
    ``fd`` must become readable first, False after each chunk read; ``EOFError`` when the other end closes first.

    A short message comes in one read; a worker answers one message at a time, so anything past the message's end
    is a broken exchange (``ValueError``)."""
    buf = bytearray()
    size = None
    while size is None or len(buf) < size:
        try:
            b = os.read(fd, 1 << 16 if size is None else min(size - len(buf), 1 << 20))
        except BlockingIOError:
            yield True
            continue
        if not b:
            raise EOFError("the worker closed its pipe")
        buf += b
        if size is None and len(buf) >= _HEAD.size:
            size = _HEAD.size + _HEAD.unpack_from(buf)[0]
        yield False
    if len(buf) > size:
        raise ValueError("the worker sent more than its reply")
    return pickle.loads(memoryview(buf)[_HEAD.size:])


def _drive(steps: Generator[bool, None, Any], fd: int, deadline: float, writing: bool) -> Any:
    """Run :func:`_reading` or :func:`_writing` on ``fd`` on this thread, waiting with ``select``, until
    ``deadline`` (``time.monotonic()``); :class:`_Overrun` past it."""
    try:
        while True:
            blocked = next(steps)
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Overrun
            if blocked and not any(select.select([] if writing else [fd], [fd] if writing else [], [], left)):
                raise _Overrun
    except StopIteration as end:
        return end.value


async def _adrive(loop: Any, steps: Generator[bool, None, Any], fd: int, deadline: float, writing: bool) -> Any:
    """:func:`_drive` on the event loop: it watches ``fd`` (no thread waits on it), under the same deadline."""
    try:
        while True:
            if not next(steps):
                if time.monotonic() > deadline:
                    raise _Overrun
                continue
            fut = loop.create_future()

            def done(ok: bool, fut: Any = fut) -> None:
                if not fut.done():
                    fut.set_result(ok)

            (loop.add_writer if writing else loop.add_reader)(fd, done, True)
            timer = loop.call_later(max(0.0, deadline - time.monotonic()), done, False)
            try:
                if not await fut:
                    raise _Overrun
            finally:
                (loop.remove_writer if writing else loop.remove_reader)(fd)
                timer.cancel()
    except StopIteration as end:
        return end.value


def main(nq: str) -> None:  # pragma: no cover - runs in the worker process
    """The worker: load the store, then answer (query, row_limit, default_graphs, named_graphs, byte_limit, write)
    until EOF (``write``: None for a :class:`Result`, or a format Oxigraph writes the answer in)."""
    threading.stack_size(STACK_BYTES)
    t = threading.Thread(target=_serve, args=(nq,), name="plan-kb-query")
    t.start()
    t.join()


def _serve(nq: str) -> None:  # pragma: no cover - runs in the worker process
    import pyoxigraph as ox

    from plan_kb.store.results import run_on_oxigraph

    inp, out = sys.stdin.buffer, sys.stdout.buffer
    store = ox.Store()
    store.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
    _send(out, ("ready", len(store)))
    while True:
        try:
            sparql, row_limit, default_graphs, named_graphs, byte_limit, write = _recv(inp)
        except EOFError:
            return
        try:
            _send(out, ("ok", run_on_oxigraph(store, sparql, row_limit, default_graphs, named_graphs, byte_limit,
                                              write)))
        except Exception as exc:
            _send(out, ("error", type(exc).__name__, str(exc)))


def worker_command(nq: Path) -> list[str]:
    """The program of a worker over ``nq``."""
    return [sys.executable, "-m", "plan_kb.store.pool", str(nq)]


class _Worker:
    def __init__(self, command: list[str], start_timeout: float = 60):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
                                     bufsize=0)
        assert self.proc.stdin and self.proc.stdout
        self.stdin, self.stdout = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        os.set_blocking(self.stdin, False)
        os.set_blocking(self.stdout, False)  # read_by waits with select; the event loop with its own watch
        try:
            ready = self.read(time.monotonic() + start_timeout)
        except (_Overrun, EOFError, OSError, pickle.UnpicklingError):
            ready = None
        if not ready or ready[0] != "ready":
            self.kill()
            raise QueryError("a query worker did not start")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def write(self, obj: Any, deadline: float) -> None:
        _drive(_writing(self.stdin, _message(obj)), self.stdin, deadline, writing=True)

    def read(self, deadline: float) -> Any:
        return _drive(_reading(self.stdout), self.stdout, deadline, writing=False)

    async def aexchange(self, loop: Any, obj: Any, deadline: float) -> Any:
        """:meth:`write` then :meth:`read` on the event loop."""
        await _adrive(loop, _writing(self.stdin, _message(obj)), self.stdin, deadline, writing=True)
        return await _adrive(loop, _reading(self.stdout), self.stdout, deadline, writing=False)

    def stop(self) -> None:
        """Kill the process (a read waiting on it ends with EOF); the pipes stay open for their reader to close."""
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)

    def kill(self) -> None:
        self.stop()
        for f in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if f:
                    f.close()


class QueryPool:
    """``workers`` processes; a query waits for an idle one, runs, and is killed with its worker at the deadline.

    ``command`` is the program of a worker (default: :func:`worker_command`); it speaks the protocol of
    :func:`main` on its standard input and output."""

    def __init__(self, nq: Path, workers: int = 2, command: list[str] | None = None):
        self.nq = Path(nq)
        self.command = command or worker_command(self.nq)
        self.size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._add(_Worker(self.command))

    def _add(self, w: _Worker) -> None:
        with self._lock:
            if self._closed:
                w.kill()
                return
            self._all.add(w)
        self._idle.put(w)

    def _start_one(self) -> None:
        try:
            self._add(_Worker(self.command))
        except QueryError:
            if not self._closed:
                log.warning("a query worker over %s did not start; the pool has one worker less", self.nq)

    def _replace(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
            closed = self._closed
        w.kill()
        if not closed:
            threading.Thread(target=self._start_one, daemon=True).start()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._all]

    def run(self, sparql: str, timeout: float, row_limit: int | None = None,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
            byte_limit: int | None = None, write: str | None = None) -> Any:
        """The answer (a :class:`Result`, or with ``write`` a SELECT/ASK answer written in that format) of a query
        run by an idle worker, which is killed and replaced when ``timeout`` seconds pass first."""
        deadline = time.monotonic() + timeout
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for the time limit of {timeout:g} s; "
                               "try again later") from None
        try:
            w.write((sparql, row_limit, default_graphs, named_graphs, byte_limit, write), deadline)
            reply = w.read(deadline)
        except (_Overrun, EOFError, OSError, pickle.UnpicklingError, ValueError) as exc:
            self._replace(w)
            raise self._failure(exc, timeout) from None
        return self._answer(w, reply)

    async def arun(self, sparql: str, timeout: float, row_limit: int | None = None,
                   default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                   byte_limit: int | None = None, write: str | None = None) -> Any:
        """:meth:`run` on the running event loop: the pipes of an idle worker are watched by the loop (no thread
        waits on them), under the same deadline; when no worker is idle, :meth:`run` waits for one on a thread."""
        import asyncio

        loop = asyncio.get_running_loop()
        try:
            w = self._idle.get_nowait()
        except queue.Empty:
            return await loop.run_in_executor(None, lambda: self.run(sparql, timeout, row_limit, default_graphs,
                                                                     named_graphs, byte_limit, write))
        deadline = time.monotonic() + timeout
        try:
            reply = await w.aexchange(loop, (sparql, row_limit, default_graphs, named_graphs, byte_limit, write),
                                      deadline)
        except (_Overrun, EOFError, OSError, pickle.UnpicklingError, ValueError) as exc:
            await loop.run_in_executor(None, self._replace, w)  # killing waits for the process: not on the loop
            raise self._failure(exc, timeout) from None
        except BaseException:  # cancelled in the middle of the exchange: the worker's pipes are in an unknown state
            threading.Thread(target=self._replace, args=(w,), daemon=True).start()
            raise
        return self._answer(w, reply)

    def _failure(self, exc: BaseException, timeout: float) -> Exception:
        if isinstance(exc, _Overrun):
            return QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped; "
                                "make it more selective or add a LIMIT")
        if self._closed:
            return QueryInterrupted("the query was stopped: the service is stopping or serving a newer build; "
                                    "send it again")
        return QueryError("the query worker died while answering; the query was not completed")

    def _answer(self, w: _Worker, reply: Any) -> Any:
        """Give the worker back (or end it, when the pool closed meanwhile); the reply's answer, or its error."""
        if self._closed:
            w.kill()
        else:
            self._idle.put(w)
        if reply[0] == "ok":
            return reply[1]
        raise _ERRORS.get(reply[1], QueryError)(reply[2])

    def close(self) -> None:
        """Kill every worker (a query still waiting on one ends at once with :class:`QueryInterrupted`)."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        idle = set()
        with contextlib.suppress(queue.Empty):
            while True:
                idle.add(self._idle.get_nowait())
        for w in workers:
            # a busy worker's pipes belong to the request reading them: it closes them when its read ends
            w.kill() if w in idle else w.stop()

    def __del__(self) -> None:  # pragma: no cover
        if not getattr(self, "_closed", True):
            self.close()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1])
