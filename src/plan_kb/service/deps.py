"""The loaded knowledge base, held in one object and given to routes through a typed dependency::

    from plan_kb.service.deps import KBDep

    @router.get("/thing")
    def thing(kb: KBDep) -> dict: ...
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from plan_kb.errors import PlanKBError
from plan_kb.service.settings import Settings
from plan_kb.store import Result, Store

log = logging.getLogger("plan_kb.service")


@dataclass
class KnowledgeBase:
    """The store queries run on, the build folder it came from (None for a remote store) and the settings."""

    store: Store
    folder: Path | None
    settings: Settings
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    asker: Any = field(default=None, repr=False)  # the question reader of this build (made on first /ask)
    _users: int = field(default=0, repr=False)
    _retired: bool = field(default=False, repr=False)
    _closed: bool = field(default=False, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: str, make: Any) -> Any:
        """What ``make()`` gives, made once per build (a build never changes): the lists' order, for one."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = make()
        with self._lock:
            return self._memo.setdefault(key, value)

    def enter(self) -> bool:
        """Count a request that uses this knowledge base; False once it is closed (use the current one)."""
        with self._lock:
            if self._closed:
                return False
            self._users += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            last = self._retired and self._users <= 0 and not self._closed
        if last:  # stopping workers waits on them: not on the event loop a request ends on
            threading.Thread(target=self.close, name="plan-kb-close", daemon=True).start()

    def retire(self) -> None:
        """A newer build is served: close this one now if no request uses it, else when its last request ends."""
        with self._lock:
            self._retired = True
            idle = self._users <= 0 and not self._closed
        if idle:
            self.close()

    def close(self) -> None:
        """Stop the query workers and let go of what was loaded for this build (its search index and word lists)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self.store.close()
        if self.folder is not None:
            from plan_kb.answers.ask.segment import forget as forget_words
            from plan_kb.answers.search.query import forget as forget_index

            forget_index(self.folder)
            forget_words(self.folder)
        self.asker = None
        self._memo.clear()
        threading.Thread(target=reclaim, name="plan-kb-reclaim", daemon=True).start()

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """Rows of one of the service's own SELECT queries, as plain values (prefixes are added)."""
        from plan_kb.base.namespaces import sparql_prefixes

        return self.store.query(sparql_prefixes() + sparql).records()

    def query(self, sparql: str) -> Result:
        from plan_kb.base.namespaces import sparql_prefixes

        return self.store.query(sparql_prefixes() + sparql)

    def cached(self, key: Any, make: Any) -> Any:
        """``make()`` computed once for this knowledge base (a build never changes; a new build is a new object)."""
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            value = make()
            with self._lock:
                cache.setdefault(key, value)
        return cache[key]

    def text(self, slug: str) -> str | None:
        """The normalised text of a document of the build, if the build folder is at hand."""
        if self.folder is None:
            return None
        p = self.folder / "texts" / f"{slug}.txt"
        return p.read_text(encoding="utf-8") if p.exists() else None


def reclaim() -> None:
    """Free what a closed build held: its objects are in reference cycles (the search index, jieba's tables) that only
    the cycle collector frees, and glibc keeps freed memory unless asked to give it back."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to ask
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class Reloader:
    """Serves the newest successful build: when ``current`` points at another build folder, the next request loads
    it and later requests use it. A failed rebuild never moves ``current``, so the served knowledge base stays as it
    was. The old knowledge base is closed (its query workers stopped, its search index let go) as soon as the last
    request that holds it ends: one store and one search index per build in use."""

    def __init__(self, every: float):
        self.every = every
        self._checked = 0.0
        self._lock = threading.Lock()

    def due(self, app: Any) -> bool:
        """Whether it is time to look at ``current`` again."""
        return bool(self.every) and app.state.kb.folder is not None and time.monotonic() - self._checked >= self.every

    def maybe_reload(self, app: Any) -> None:
        kb: KnowledgeBase = app.state.kb
        now = time.monotonic()
        if not self.due(app):
            return
        with self._lock:
            if now - self._checked < self.every:
                return
            self._checked = now
            kb = app.state.kb
            assert kb.folder is not None
            link = kb.folder.parent.parent / "current"
            try:
                target = link.resolve(strict=True)
            except OSError:
                return
            if target == kb.folder or not (target / "kb.nq").exists():
                return
            try:
                fresh = load_kb(kb.settings)
            except (OSError, PlanKBError) as exc:  # a build removed under us: keep serving this one
                log.warning("could not load the build %s (%s); still serving %s", target, exc, kb.folder)
                return
            app.state.kb = fresh
        kb.retire()


def load_kb(settings: Settings) -> KnowledgeBase:
    from plan_kb.store import EmbeddedStore, RemoteStore
    from plan_kb.store.folders import current_dir

    if settings.store:
        store: Any = RemoteStore(settings.store, gsp_url=settings.store_gsp, timeout=settings.query_timeout + 5)
        return KnowledgeBase(store, None, settings)
    folder = current_dir(settings.data.expanduser().resolve() if settings.data else None)
    return KnowledgeBase(EmbeddedStore(folder, workers=settings.query_workers), folder, settings)


async def hold_kb(app: Any) -> KnowledgeBase:
    """The knowledge base a request of ``app`` uses, held (not closed by a reload) until the request gives it back
    with :meth:`KnowledgeBase.leave`. Runs on the event loop (no thread for it); only a reload, when one is due, goes
    to a thread."""
    reloader: Reloader | None = getattr(app.state, "reloader", None)
    if reloader is not None and reloader.due(app):
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(reloader.maybe_reload, app)
    while True:
        kb: KnowledgeBase = app.state.kb
        if kb.enter():
            return kb
        if kb is app.state.kb:  # the served one is closed: the server is stopping
            from plan_kb.store import QueryInterrupted

            raise QueryInterrupted("the service is stopping; send the request again in a moment")


async def get_kb(request: Request) -> AsyncIterator[KnowledgeBase]:
    """The knowledge base a request uses (:func:`hold_kb`), given back when the request ends."""
    kb = await hold_kb(request.app)
    try:
        yield kb
    finally:
        kb.leave()


def close_all(app: Any) -> None:
    """Close the served knowledge base (its query workers end at once, and so do the requests waiting on them)."""
    app.state.kb.close()


KBDep = Annotated[KnowledgeBase, Depends(get_kb)]
