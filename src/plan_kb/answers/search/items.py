"""The items the search index holds, per document, read again only for the documents that changed.

An item's whoosh fields depend on its document's graph (the item, its roles, places, deadlines, limits) and on the
registries' graphs (the labels of the agencies, places and indicators it names, the places they lie within); nothing
else. So the index builder keeps, with each build, every document's items (stored fields and the words they bring to
the user dictionary) under the unit key of the document (``items.json``), with a hash of the registries' graphs.
The next build reuses a document's items while its unit key and that hash are unchanged, and reads only the other
documents, by a query whose default graph is their graphs and the registries'. Any doubt (a build with no unit keys,
an item that names no document, the registries changed about what a kept item names, a view that is not a store)
reads them all.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan_kb.answers.search.documents import Corpus, Entry, read_corpus_entries
from plan_kb.answers.search.userdict import entry_words
from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.graph.writer import ENTITY_GRAPHS
from plan_kb.store.view import StoreView

ITEMS = "items.json"
REGISTRIES = [str(g) for g in ENTITY_GRAPHS.values()]
_DOCS = "SELECT ?g ?d WHERE { GRAPH ?g { ?d a pkb:Document } }"
_REGISTRY = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { %s } }"


def entry_meta(e: Entry) -> dict:
    """What a hit shows and what the facets count, stored with the document."""
    return {
        "iri": e.iri, "kind": e.kind, "plan": e.plan, "plan_title": e.plan_title, "number": e.number,
        "title": e.title, "text": e.text, "document": e.document, "start": e.start, "end": e.end,
        "roles": {r: sorted(a) for r, a in sorted(e.roles.items())}, "places": sorted(e.places),
        "dates": sorted(e.dates), "years": sorted(e.years), "indicators": sorted(e.indicators),
        "jurisdictions": sorted(e.jurisdictions),
    }


def item(e: Entry, corpus: Corpus) -> dict[str, Any]:
    """What is kept of an item: its stored metadata, the names of what it concerns (the ``facts`` field) and the
    fingerprint of its whoosh fields (``print``: the index holds it again only when that changes)."""
    facts = "\n".join([*(lbl for a in sorted(e.agencies) for lbl in corpus.all_labels(a)),
                       *(lbl for p in sorted(e.places) for lbl in corpus.all_labels(p)), *sorted(e.indicators)])
    it = {"meta": entry_meta(e), "facts": facts}
    it["print"] = fingerprint(fields(it))
    return it


def fingerprint(fields: dict[str, Any]) -> str:
    """A hash of what a whoosh document holds."""
    return hashlib.sha1(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def fields(it: dict[str, Any]) -> dict[str, Any]:
    """The whoosh fields of a kept item."""
    m = it["meta"]
    return {"iri": m["iri"], "title": m["title"], "text": m["text"], "facts": it["facts"],
            "grams": f"{m['title']}\n{m['text']}", "meta": m}


def order(m: dict) -> tuple:
    """The items' order in a build from nothing (``documents._order``), from their metadata."""
    return (m.get("document") or "", m["start"] if m.get("start") is not None else 10**9,
            ("goal", "task", "measure").index(m["kind"]) if m.get("kind") in ("goal", "task", "measure") else 3,
            m.get("number") or 0, m["iri"])


@dataclass
class Items:
    items: list[dict[str, Any]]  # every item, in order
    words: set[str]  # what the items bring to the user dictionary
    labels: Corpus  # its ``labels`` are the registries' (what facet labels and ``facts`` are made of)
    cache: dict[str, Any] = field(default_factory=dict)  # what ``items.json`` keeps
    read: int = 0  # documents read (the others were reused)


def registry_state(view: Any) -> dict[str, str] | None:
    """Each subject of the registries' graphs → a hash of what they say about it (None: not a store's view)."""
    if not isinstance(view, StoreView):
        return None
    res = view.store.query(sparql_prefixes() + _REGISTRY % " ".join(f"<{g}>" for g in REGISTRIES))
    rows: dict[str, list[str]] = defaultdict(list)
    for row in res.rows:
        rows[row[1].n3()].append(" ".join(t.n3() for t in row))
    return {s: hashlib.sha1("\n".join(sorted(r)).encode("utf-8")).hexdigest() for s, r in rows.items()}


def _still(before: dict[str, str], now: dict[str, str], docs: dict[str, Any]) -> bool:
    """Whether the registries say what they said about everything the kept items name: no subject that changed,
    went or came is one an item names (an agency, or a place or jurisdiction with the places above it, which an
    item's places hold) or an indicator. (A removed document's cited work going from the works' registry leaves
    the other documents' items as they were.)"""
    touched = {s for s, h in before.items() if now.get(s) != h} | {s for s in now if s not in before}
    if any(s.startswith(f"<{ENTITY_GRAPHS['indicators']}") or "/indicator/" in s for s in touched):
        return False
    named = {f"<{x}>" for d in docs.values() for it in d["items"] for x in _named(it["meta"])}
    return not (touched & named)


def _named(m: dict) -> set[str]:
    return {a for agencies in m["roles"].values() for a in agencies} | set(m["places"]) | set(m["jurisdictions"])


def load_cache(folder: Path | None) -> dict[str, Any]:
    try:
        return json.loads((folder / ITEMS).read_text(encoding="utf-8")) if folder else {}
    except (OSError, ValueError):
        return {}


def read_items(view: Any, units: dict[str, str] | None, previous: dict[str, Any], tagger: Any) -> Items:
    """Every item of the base; ``units`` (document graph IRI → unit key) lets the items of ``previous`` (an
    ``items.json``) be reused for the documents whose key and registries are unchanged."""
    shared = registry_state(view) if units is not None else None
    docs = previous.get("documents", {})
    if not (shared is not None and isinstance(previous.get("registries"), dict)
            and _still(previous["registries"], shared, docs)):
        docs = {}
    reuse = {g: docs[g] for g, key in (units or {}).items() if g in docs and docs[g]["key"] == key}
    todo = [g for g in (units or {}) if g not in reuse]
    corpus = read_corpus_entries(StoreView(view.store, todo + REGISTRIES) if reuse else view)
    graph_of = {str(d): str(g) for g, d in (StoreView(view.store, todo + REGISTRIES) if reuse else view).query(_DOCS)}
    by_graph: dict[str, list[Entry]] = defaultdict(list)
    for e in corpus.entries:
        by_graph[graph_of.get(e.document, "")].append(e)
    cacheable = shared is not None and "" not in by_graph and set(by_graph) <= set(units or {})
    made = {g: {"key": (units or {}).get(g), "items": [item(e, corpus) for e in es],
                "words": sorted(entry_words(es, tagger))} for g, es in by_graph.items()}
    every = {**reuse, **made}
    items = sorted((it for d in every.values() for it in d["items"]), key=lambda it: order(it["meta"]))
    words = {w for d in every.values() for w in d["words"]}
    cache = {"registries": shared, "documents": every} if cacheable else {}
    return Items(items, words, corpus, cache, read=len(made))
