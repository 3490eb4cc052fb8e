"""Scoring a search over whole arrays: every document's score at once, so that a search costs what its page costs
and not what its hits cost (whoosh's collector scores one matching document at a time, in Python, through the tree
of matchers: tens of microseconds a hit, and a query of a common word hits most of a large base).

The score is whoosh's own (BM25F, per field, with the index's document frequencies and field lengths), combined as
its matchers combine it: a union adds what matches, an intersection adds and needs every part, the coordination
bonus of :class:`~plan_kb.answers.search.query._Or` (``scale``) is whoosh's "SQR" with the query's term count over
the whole index, and a disjunction takes the best of its parts (whoosh's ``DisjunctionMax`` scores as that when its
parts are on one document; it also takes no tie-break). A word's postings — the documents it is in and the score of
each before the query's boost — are read from the index once per opened index and then kept (at most
:data:`KEPT_TERMS` words); a phrase is matched by whoosh (it needs the words' positions) and kept the same way.

``Arrays`` holds what is worked out once per opened index: the live documents (an index updated in place has gaps
where documents were deleted), each one's rank (the items' own order, which breaks ties), its earliest deadline as a
sortable key, and the lengths of its fields.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.query import And, DisjunctionMax, Or, Phrase, Query, Term

#: postings kept per opened index
KEPT_TERMS = 4096


class Arrays:
    """Per opened index: ``size`` (document numbers run below it), ``live``, ``rank``, ``due`` (the earliest deadline's
    place among all of them; undated last) and the postings read so far."""

    def __init__(self, reader: Any, searcher: Any, meta: dict[int, dict], rank: dict[int, int]):
        self.reader = reader
        self.searcher = searcher
        self.size = max(reader.doc_count_all(), max(meta, default=-1) + 1)
        self.live = np.zeros(self.size, dtype=bool)
        self.docs = np.fromiter(sorted(meta), dtype=np.int64, count=len(meta))
        self.live[self.docs] = True
        self.rank = np.full(self.size, len(meta), dtype=np.int64)
        for n, r in rank.items():
            self.rank[n] = r
        firsts = {n: min(m["dates"], default="9999") for n, m in meta.items()}
        order = {d: i for i, d in enumerate(sorted(set(firsts.values())))}
        self.due = np.full(self.size, len(order), dtype=np.int64)
        for n, d in firsts.items():
            self.due[n] = order[d]
        self._lengths: dict[str, np.ndarray] = {}
        self._postings: dict[tuple[str, str], tuple[np.ndarray, np.ndarray] | None] = {}
        self._phrases: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}

    def lengths(self, field: str) -> np.ndarray:
        got = self._lengths.get(field)
        if got is None:
            dfl = self.reader.doc_field_length
            got = np.fromiter((dfl(int(n), field, 1) if self.live[n] else 1 for n in range(self.size)),
                              dtype=np.float64, count=self.size)
            self._lengths[field] = got
        return got

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The live documents holding ``text`` in ``field`` and each one's BM25F score (whoosh's formula and
        statistics; no boost), or None for a word the index does not hold."""
        key = (field, text)
        if key in self._postings:
            got = self._postings.pop(key)
            self._postings[key] = got  # most recently used last
            return got
        got = self._read(field, text)
        self._postings[key] = got
        while len(self._postings) > KEPT_TERMS:
            self._postings.pop(next(iter(self._postings)))
        return got

    def _read(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        if (field, text) not in self.reader:
            return None
        w = self.searcher.weighting
        scorer = w.scorer(self.searcher, field, text)
        m = self.reader.postings(field, text)
        ids: list[int] = []
        tfs: list[float] = []
        while m.is_active():
            ids.append(m.id())
            tfs.append(m.weight())
            m.next()
        docs = np.array(ids, dtype=np.int64)
        keep = self.live[docs] if len(docs) else np.zeros(0, dtype=bool)
        docs = docs[keep]
        tf = np.array(tfs, dtype=np.float64)[keep]
        if hasattr(scorer, "idf") and hasattr(scorer, "avgfl"):  # BM25F, as whoosh.scoring.bm25 writes it
            fl = self.lengths(field)[docs]
            b, k1 = scorer.B, scorer.K1
            score = scorer.idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / scorer.avgfl)))
        else:  # another weighting: whoosh's scorer, one posting at a time
            score = np.array([_one(scorer, self.reader, field, text, int(d)) for d in docs], dtype=np.float64)
        return docs, score

    def phrase(self, q: Phrase) -> tuple[np.ndarray, np.ndarray, int]:
        """Documents matching a phrase, their scores (boost included) and how many term matchers match in each."""
        key = repr(q)
        got = self._phrases.get(key)
        if got is None:
            found = {r.docnum: r.score for r in self.searcher.search(q, limit=None, terms=False)}
            docs = np.fromiter(found, dtype=np.int64, count=len(found))
            docs = docs[self.live[docs]] if len(docs) else docs
            terms = sum(1 for ft in q.iter_all_terms() if ft in self.reader)
            got = (docs, np.array([found[int(d)] for d in docs], dtype=np.float64), terms)
            self._phrases[key] = got
            while len(self._phrases) > KEPT_TERMS:
                self._phrases.pop(next(iter(self._phrases)))
        return got


def _one(scorer: Any, reader: Any, field: str, text: str, doc: int) -> float:
    m = reader.postings(field, text)
    m.skip_to(doc)
    return float(scorer.score(m))


class Scored:
    """A query's answer over every document: ``hit`` (matches), ``score`` and ``terms`` (term matchers matching)."""

    __slots__ = ("hit", "score", "terms")

    def __init__(self, size: int):
        self.hit = np.zeros(size, dtype=bool)
        self.score = np.zeros(size, dtype=np.float64)
        self.terms = np.zeros(size, dtype=np.int64)


def evaluate(a: Arrays, q: Query) -> Scored:
    """Every document's match, score and matching-term count for the query ``q`` (the queries
    :mod:`plan_kb.answers.search.query` compiles: terms, phrases, unions with or without coordination, intersections
    and disjunctions)."""
    out = Scored(a.size)
    if isinstance(q, Term):
        got = a.postings(q.fieldname, q.text)
        if got is not None:
            docs, score = got
            out.hit[docs] = True
            out.score[docs] = score * q.boost if q.boost != 1.0 else score
            out.terms[docs] = 1
        return out
    if isinstance(q, Phrase):
        docs, score, terms = a.phrase(q)
        out.hit[docs] = True
        out.score[docs] = score
        out.terms[docs] = terms
        return out
    parts = [evaluate(a, s) for s in q.subqueries]
    if isinstance(q, And):
        out.hit[:] = True
        for p in parts:
            out.hit &= p.hit
    else:
        for p in parts:
            out.hit |= p.hit
    for p in parts:
        out.terms += p.terms
    if isinstance(q, DisjunctionMax):
        for p in parts:
            np.maximum(out.score, p.score, out=out.score)
    elif isinstance(q, And | Or):
        for p in parts:
            out.score += p.score
    else:
        raise TypeError(f"no array scoring for {type(q).__name__}")
    scale = getattr(q, "scale", None)
    if isinstance(q, Or) and scale:
        count = sum(1 for ft in set(q.iter_all_terms()) if ft in a.reader)
        if count:
            if count == scale:
                out.score[:] = 0.0
            else:
                out.score = (out.score + ((out.terms - 1) / (count - scale) ** 2)) * ((count - 1) / count)
    out.score[~out.hit] = 0.0
    if q.boost != 1.0:
        out.score *= q.boost
    return out
