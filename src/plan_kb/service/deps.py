"""The loaded knowledge base, held in one object and given to routes through a typed dependency::

    from plan_kb.service.deps import KBDep

    @router.get("/thing")
    def thing(kb: KBDep) -> dict: ...
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from plan_kb.service.settings import Settings
from plan_kb.store import Result, Store


@dataclass
class KnowledgeBase:
    """The store queries run on, the build folder it came from (None for a remote store) and the settings."""

    store: Store
    folder: Path | None
    settings: Settings
    _dataset: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """Rows of one of the service's own SELECT queries, as plain values (prefixes are added)."""
        from plan_kb.base.namespaces import sparql_prefixes

        return self.store.query(sparql_prefixes() + sparql).records()

    def query(self, sparql: str) -> Result:
        from plan_kb.base.namespaces import sparql_prefixes

        return self.store.query(sparql_prefixes() + sparql)

    def dataset(self) -> Any:
        """An rdflib Dataset of the build (loaded on first use; only for code that needs rdflib itself)."""
        with self._lock:
            if self._dataset is None:
                if self.folder is None:
                    from plan_kb.errors import PlanKBError

                    raise PlanKBError("no rdflib dataset: the service reads a remote store")
                from plan_kb.store.folders import load_dataset

                self._dataset = load_dataset(self.folder)
            return self._dataset

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


class Reloader:
    """Serves the newest successful build: when ``current`` points at another build folder, the next request loads
    it and later requests use it. A failed rebuild never moves ``current``, so the served knowledge base stays as it
    was. The old store is closed a while later, once requests that hold it have finished."""

    def __init__(self, every: float, grace: float = 30.0):
        self.every = every
        self.grace = grace
        self._checked = 0.0
        self._lock = threading.Lock()

    def maybe_reload(self, app: Any) -> None:
        kb: KnowledgeBase = app.state.kb
        now = time.monotonic()
        if kb.folder is None or not self.every or now - self._checked < self.every:
            return
        with self._lock:
            if now - self._checked < self.every:
                return
            self._checked = now
            link = kb.folder.parent.parent / "current"
            try:
                target = link.resolve(strict=True)
            except OSError:
                return
            if target == kb.folder or not (target / "kb.nq").exists():
                return
            fresh = load_kb(kb.settings)
            app.state.kb = fresh
            timer = threading.Timer(self.grace, kb.store.close)
            timer.daemon = True
            timer.start()


def load_kb(settings: Settings) -> KnowledgeBase:
    from plan_kb.store import EmbeddedStore, RemoteStore
    from plan_kb.store.folders import current_dir

    if settings.store:
        store: Any = RemoteStore(settings.store, gsp_url=settings.store_gsp, timeout=settings.query_timeout + 5)
        return KnowledgeBase(store, None, settings)
    folder = current_dir(settings.data.expanduser().resolve() if settings.data else None)
    return KnowledgeBase(EmbeddedStore(folder, workers=settings.query_workers), folder, settings)


def get_kb(request: Request) -> KnowledgeBase:
    reloader: Reloader | None = getattr(request.app.state, "reloader", None)
    if reloader is not None:
        reloader.maybe_reload(request.app)
    return request.app.state.kb


KBDep = Annotated[KnowledgeBase, Depends(get_kb)]
