"""The rules of a build compiled per document and kept (``rules.cache.pickle``) under the document's unit key, so
that the next build compiles only the documents that changed.

A document's rules depend on its own graph, the indicator scheme (``id:graph/indicators``: the concepts a
threshold's words are matched to) and the places registry (``id:graph/places``: which places are regions); the
gazetteer, ``extraction/rules.yaml`` and the code are in the unit key or in the cache's version. The cache is used
while the indicator graph is the same and no place the registry had changed (places it gains are new documents'
own); each changed document is compiled alone, on a view whose default graph is its graph and the registries'.
The union of the documents' rules, in the whole compile's order, is what ``compile_rules`` gives on the base.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import defaultdict
from pathlib import Path
from typing import Any

from plan_kb.answers.rules.compile import Compiled, canonical, compile_rules, indicator_matcher
from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.graph.writer import ENTITY_GRAPHS
from plan_kb.store.view import StoreView

CACHE = "rules.cache.pickle"
REGISTRIES = [str(g) for g in ENTITY_GRAPHS.values()]
_CODE = ("compile.py", "goals.py", "vocab.py", "incremental.py")
_ROWS = "SELECT ?s ?p ?o WHERE { GRAPH <%s> { ?s ?p ?o } }"


def _version() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in _CODE:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _state(view: StoreView) -> dict[str, Any]:
    """The indicator graph's hash and each place's hash, of the registries as they are now."""
    def rows(graph: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for row in view.store.query(sparql_prefixes() + _ROWS % graph).rows:
            out[row[0].n3()].append(" ".join(t.n3() for t in row))
        return out

    ind = rows(str(ENTITY_GRAPHS["indicators"]))
    places = rows(str(ENTITY_GRAPHS["places"]))
    digest = lambda lines: hashlib.sha1("\n".join(sorted(lines)).encode("utf-8")).hexdigest()  # noqa: E731
    return {"version": _version(), "indicators": digest([x for v in ind.values() for x in v]),
            "places": {s: digest(v) for s, v in places.items()}}


def _usable(before: dict[str, Any], now: dict[str, Any]) -> bool:
    return (before.get("version") == now["version"] and before.get("indicators") == now["indicators"]
            and all(now["places"].get(s) == h for s, h in before.get("places", {}).items()))


def compile_by_document(view: Any, units: dict[str, str] | None, previous: Path | None) -> Compiled:
    """The rules of the base seen through ``view``, compiled per document (``units``: document graph IRI → unit
    key), reusing ``previous``'s cache where it holds; anything else compiles the whole base at once."""
    if units is None or not isinstance(view, StoreView):
        return compile_rules(view)
    now = _state(view)
    try:
        with (previous / CACHE).open("rb") as f:  # type: ignore[operator]
            old = pickle.load(f)  # the build folder's own file, written below
    except (OSError, TypeError, pickle.UnpicklingError, EOFError, AttributeError):
        old = {}
    docs: dict[str, Any] = old.get("documents", {}) if _usable(old.get("state", {}), now) else {}
    matcher = indicator_matcher(StoreView(view.store, REGISTRIES))
    per: dict[str, Compiled] = {}
    records: dict[str, dict[str, Any]] = {}
    for graph, key in units.items():
        got = docs.get(graph)
        if got is not None and got["key"] == key:
            per[graph] = got["compiled"]
            records[graph] = got  # with what it published (``publish``), reused too
        else:
            per[graph] = compile_rules(StoreView(view.store, [graph, *REGISTRIES]), matcher)
            records[graph] = {"key": key, "compiled": per[graph]}
    out = Compiled([], {}, [], {})
    for c in per.values():
        out.rules += c.rules
        out.local_concepts.update(c.local_concepts)
        out.skipped += c.skipped
        out.local_kinds.update(c.local_kinds)
    out = canonical(out)
    out.extra_cache = {"state": now, "documents": records}  # type: ignore[attr-defined]
    return out


def save(folder: Path, compiled: Compiled) -> None:
    cache = getattr(compiled, "extra_cache", None)
    if cache is not None:
        with (folder / CACHE).open("wb") as f:
            pickle.dump(cache, f)
