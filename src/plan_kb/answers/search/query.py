"""Searching the index: the query language, facets with counts, highlighted snippets, sorting and pages.

The query language is what people type: words (Chinese is cut by the index's own jieba), ``"a phrase"`` or
“a phrase” for an exact run of characters, and ``AND`` / ``OR`` between words when typed. Words without an
operator are ranked softly: an item matching more of them ranks higher, but need not match all, so a paraphrase
("湖库消落带生态屏障那项") still finds its task. Each word also matches its synonyms (from
``extraction/search-synonyms.yaml`` and the labels of the graph's entities).
"""

from __future__ import annotations

import html
import json
import math
import re
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.matching import CoordMatcher, UnionMatcher
from whoosh.query import And, DisjunctionMax, Or, Phrase, Query, Term

from plan_kb.answers.search.analyzer import Segmenter, bigrams, segmenter
from plan_kb.answers.search.facets import (
    FACETS,
    FacetValue,
    SearchQueryError,
    _fold,
    facet_list,
    resolve_filters,
)
from plan_kb.answers.search.schema import CONFIG, INDEX_DIR, SEARCH_DIR, WORD_FIELDS, make_schema
from plan_kb.errors import NotBuilt

__all__ = ["FACETS", "SORTS", "FacetValue", "Hit", "SearchIndex", "SearchQueryError", "SearchResult", "open_index",
           "search"]

MAX_QUERY = 200
MAX_PAGE_SIZE = 100
SNIPPET = 120
SORTS = ("relevance", "deadline")
SYNONYM_WEIGHT = 0.8
PHRASE_WEIGHT = 2.0
GRAM_WEIGHT = 0.6


class _Or(Or):
    """Or with whoosh's plain union matcher: on an index of this size it is several times faster than the array
    matcher whoosh picks for queries with many terms.

    With ``scale`` (the coordination bonus of documents that match more of the query's words), the number of words
    the bonus divides by is the number of the query's terms the whole index holds, fixed for the search. Whoosh
    counts the terms of each segment, and again whenever a sub-matcher runs out, so the same document would score
    differently in an index updated in place (several segments) than in one built whole."""

    matcher_type = Or.DEFAULT_MATCHER

    def _matcher(self, subs: list[Query], searcher: Any, context: Any) -> Any:
        if not self.scale:
            return super()._matcher(subs, searcher, context)
        reader = searcher.reader()
        m = self._tree_matcher(subs, UnionMatcher, searcher, context, lambda q: q.estimate_size(reader))
        if not any(m.term_matchers()):
            return m
        top = searcher.get_parent().reader()
        return _Coord(m, self.scale, sum(1 for ft in set(self.iter_all_terms()) if ft in top))


class _Coord(CoordMatcher):
    """whoosh's coordination bonus with a term count given once (see :class:`_Or`)."""

    def __init__(self, child: Any, scale: float, termcount: int):
        super().__init__(child, scale=scale)
        self._termcount = termcount

    def _replacement(self, newchild: Any) -> Any:
        return self.__class__(newchild, self._scale, self._termcount)


@dataclass
class Hit:
    iri: str
    kind: str
    plan: str
    plan_title: str
    number: int | None
    title: str
    snippet: str  # HTML: matches in <mark>, everything else escaped
    score: float
    document: str
    start: int | None  # where the item stands in its document's normalised text
    end: int | None
    deadline: str | None  # its earliest deadline date
    roles: dict[str, list[str]] = field(default_factory=dict)  # role → agency labels

    @property
    def ref(self) -> str:
        """``water#12`` for a task, ``water#measure/2`` and ``water#goal/1`` for the others."""
        return f"{self.plan}#{self.number}" if self.kind == "task" else f"{self.plan}#{self.kind}/{self.number}"


@dataclass
class SearchResult:
    query: str
    filters: dict[str, list[str]]
    sort: str
    page: int
    size: int
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    seconds: float

    @property
    def pages(self) -> int:
        return (self.total + self.size - 1) // self.size

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["pages"] = self.pages
        for h, hd in zip(self.hits, d["hits"], strict=True):
            hd["ref"] = h.ref
        return d


# --- the query language -----------------------------------------------------------------------------------------

@dataclass
class Unit:
    kind: str  # word | phrase
    text: str


def lex(q: str) -> list[Unit | str]:
    """Words, phrases and the operators ``AND`` / ``OR``; raises on an unbalanced quotation mark."""
    out: list[Unit | str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            w = "".join(buf)
            out.append(w if w in ("AND", "OR") else Unit("word", w))
            buf.clear()

    i = 0
    while i < len(q):
        c = q[i]
        if c in "\"“":
            close = "\"" if c == "\"" else "”"
            j = q.find(close, i + 1)
            if j < 0:
                raise SearchQueryError(f"unbalanced quotation mark at character {i + 1}: close the phrase with {close}")
            flush()
            out.append(Unit("phrase", q[i + 1:j]))
            i = j + 1
        elif c == "”":
            raise SearchQueryError(f"unbalanced quotation mark at character {i + 1}: ” without “")
        elif c.isspace():
            flush()
            i += 1
        else:
            buf.append(c)
            i += 1
    flush()
    return out


def structure(tokens: list[Unit | str]) -> list[list[list[Unit]]]:
    """OR-groups of AND-parts of soft runs of units; raises on an operator without words on both sides."""
    groups: list[list[list[Unit]]] = [[[]]]
    prev: Unit | str | None = None
    for t in tokens:
        if isinstance(t, str):
            if prev is None or isinstance(prev, str):
                raise SearchQueryError(f"{t} needs words on both sides")
            if t == "OR":
                groups.append([[]])
            else:
                groups[-1].append([])
        else:
            groups[-1][-1].append(t)
        prev = t
    if isinstance(prev, str):
        raise SearchQueryError(f"{prev} needs words on both sides")
    return groups


# --- the index, opened once ---------------------------------------------------------------------------------------

class SearchIndex:
    """An opened search folder: segmenter, whoosh index, stored metadata, synonyms and facet labels."""

    def __init__(self, folder: Path):
        self.folder = folder
        # jieba's whole dictionary takes most of a second to load: it is loaded when a query string is first cut,
        # not for a search with words the caller has cut already (see ``search(words=…)``)
        self.ix = windex.open_dir(str(folder / INDEX_DIR), schema=make_schema(_LazySegmenter(folder)))
        self.searcher = self.ix.searcher()
        self.reader = self.searcher.reader()
        self.lock = threading.Lock()
        self._arrays: Any = None
        self._facets: Any = None
        # by document number; an index updated in place has gaps where documents were deleted, and its newer
        # documents come last, so ties are broken by ``rank``: the items' own order (document, place in it, kind)
        self.meta: dict[int, dict] = {n: f["meta"] for n, f in self.reader.iter_docs()}
        self.rank: dict[int, int] = {n: i for i, n in enumerate(sorted(self.meta, key=lambda n: _order(self.meta[n])))}
        cfg = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
        self.stopwords = {w.lower() for w in cfg["stopwords"]}
        self.labels: dict[str, list[str]] = cfg["labels"]
        self.synonyms: dict[str, set[str]] = {}
        for group in cfg["synonyms"]:
            members = {_fold(t) for t in group}
            for t in members:
                self.synonyms.setdefault(t, set()).update(members - {t})
        self.by_label: dict[str, set[str]] = {}
        for key, names in self.labels.items():
            for n in names:
                self.by_label.setdefault(_fold(n), set()).add(key)

    def arrays(self) -> Any:
        """The index's documents as arrays, for scoring (:class:`~plan_kb.answers.search.scores.Arrays`; made on
        first use, under ``lock``)."""
        if self._arrays is None:
            from plan_kb.answers.search.scores import Arrays

            self._arrays = Arrays(self.reader, self.searcher, self.meta, self.rank)
        return self._arrays

    def facet_pairs(self) -> Any:
        """The facets' (document, value) pairs (:class:`~plan_kb.answers.search.counts.Facets`; made on first use,
        under ``lock``)."""
        if self._facets is None:
            from plan_kb.answers.search.counts import Facets

            self._facets = Facets(self.meta, self.arrays().size)
        return self._facets

    @property
    def seg(self) -> Segmenter:
        return segmenter(self.folder)

    def close(self) -> None:
        with self.lock:
            self.searcher.close()
            self.ix.close()

    def label(self, key: str) -> str:
        names = self.labels.get(key)
        return names[0] if names else key.rsplit("/", 1)[-1]

    def indexed(self, token: str) -> bool:
        """Whether a word occurs as a token of some document."""
        return any((f, token) in self.reader for f in WORD_FIELDS)

    def specificity(self, token: str) -> float:
        """How much a word says about an item, from 1 (in one item) down to about 0.15 (in every item): each field
        of BM25 judges rarity within itself, so a common word in the short titles would outweigh a rare word of
        the text; this weighs every word by its rarity among whole items."""
        n = max(self.reader.doc_count(), 2)
        df = max(1, *(self.reader.doc_frequency(f, token) for f in ("text", "facts")))
        return math.log(1 + n / df) / math.log(1 + n)

    def alternatives(self, word: str) -> set[str]:
        return self.synonyms.get(_fold(word), set())


def _order(m: dict) -> tuple:
    """The order the index builder adds items in (``documents._order``), from what a document stores."""
    return (m.get("document") or "", m["start"] if m.get("start") is not None else 10**9,
            ("goal", "task", "measure").index(m["kind"]) if m.get("kind") in ("goal", "task", "measure") else 3,
            m.get("number") or 0, m["iri"])


class _LazySegmenter:
    """The folder's segmenter, made on first use (the index's analyzers need it only when they cut text)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def words(self, text: str) -> list[tuple[str, int, int]]:
        return segmenter(self.folder).words(text)

    def subwords(self, word: str) -> tuple[tuple[str, int], ...]:
        return segmenter(self.folder).subwords(word)


_open_lock = threading.Lock()
_indexes: dict[tuple[Path, float], SearchIndex] = {}


def open_index(path: Path | str) -> SearchIndex:
    """The search index of a build folder (or of its ``search/`` folder), opened once per process."""
    p = Path(path)
    folder = p / SEARCH_DIR if (p / SEARCH_DIR / INDEX_DIR).is_dir() else p
    if not (folder / INDEX_DIR).is_dir() or not (folder / CONFIG).exists():
        raise NotBuilt(f"no search index in {p}; run 'plan-kb build' first")
    key = (folder.resolve(), (folder / CONFIG).stat().st_mtime)
    with _open_lock:
        ix = _indexes.get(key)
        if ix is None:
            ix = _indexes[key] = SearchIndex(key[0])
            while len(_indexes) > 4:
                _indexes.pop(next(iter(_indexes))).close()
        return ix


def forget(path: Path | str) -> None:
    """Close the index of a build folder and drop its segmenter (the server does so when it stops serving it)."""
    from plan_kb.answers.search.analyzer import forget as forget_segmenter

    p = Path(path).resolve()
    with _open_lock:
        for key in [k for k in _indexes if k[0] == p / SEARCH_DIR or k[0] == p]:
            _indexes.pop(key).close()
    forget_segmenter(p / SEARCH_DIR)
    forget_segmenter(p)


# --- searching ----------------------------------------------------------------------------------------------------

def search(folder_or_index: Path | str | SearchIndex, q: str = "", filters: dict[str, Any] | None = None,
           page: int = 1, sort: str = "relevance", size: int = 10, words: list[str] | None = None) -> SearchResult:
    """Search the index: ``q`` in the query language above, ``filters`` facet → value or list of values (ids,
    IRIs or labels), ``page`` from 1, ``sort`` ``relevance`` or ``deadline`` (earliest first, undated last).

    ``words`` instead of ``q``: words a caller has already cut with jieba (the question reader, with the build's
    word list), ranked softly as the words of a query string are; the index's own segmenter is not loaded."""
    t0 = time.perf_counter()
    ix = folder_or_index if isinstance(folder_or_index, SearchIndex) else open_index(folder_or_index)
    q = unicodedata.normalize("NFKC", q or "").strip()
    if len(q) > MAX_QUERY:
        raise SearchQueryError(f"the query is too long ({len(q)} characters; at most {MAX_QUERY})")
    if sort not in SORTS:
        raise SearchQueryError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    if not isinstance(page, int) or page < 1:
        raise SearchQueryError(f"page must be a whole number from 1, not {page!r}")
    if not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE:
        raise SearchQueryError(f"page size must be from 1 to {MAX_PAGE_SIZE}, not {size!r}")
    selected = resolve_filters(ix, filters or {})
    if words:
        query, marks = compile_words(ix, words)
        q = q or " ".join(words)
    else:
        query, marks = compile_query(ix, q) if q else (None, [])
    import numpy as np

    from plan_kb.answers.search.counts import facet_counts
    from plan_kb.answers.search.scores import evaluate

    with ix.lock:
        a, f = ix.arrays(), ix.facet_pairs()
        if query is None:
            hit, score = a.live.copy(), np.zeros(a.size, dtype=np.float64)
        else:
            scored = evaluate(a, query)
            hit, score = scored.hit & a.live, scored.score
        matching = hit & f.passing(selected) if selected else hit
        counts = facet_counts(f, hit, selected)
    facets = facet_list(ix, counts, selected)
    found = np.flatnonzero(matching)
    keys = (a.rank[found], -score[found]) + ((a.due[found],) if sort == "deadline" else ())
    first = (page - 1) * size
    page_docs = found[np.lexsort(keys)[first:first + size]]
    hits = [_hit(ix, int(n), float(score[n]), marks) for n in page_docs]
    return SearchResult(q, {k: sorted(v) for k, v in selected.items()}, sort, page, size, len(found), hits,
                        facets, time.perf_counter() - t0)


def compile_query(ix: SearchIndex, q: str) -> tuple[Query, list[str]]:
    """The whoosh query of a query string, and the strings to mark in snippets."""
    marks: list[str] = []
    groups = []
    for group in structure(lex(q)):
        parts = [p for p in (_soft(ix, run, marks) for run in group) if p is not None]
        if len(parts) < len(group):
            raise SearchQueryError("each side of AND needs a word to search for")
        groups.append(parts[0] if len(parts) == 1 else And(parts))
    if not groups:
        raise SearchQueryError("the query has no words to search for")
    return (groups[0] if len(groups) == 1 else _Or(groups)), marks


def compile_words(ix: SearchIndex, words: list[str]) -> tuple[Query, list[str]]:
    """The soft query of words already cut (stop words dropped), as ``compile_query`` makes for a run of words."""
    marks: list[str] = []
    kept = [w for w in dict.fromkeys(_fold(w) for w in words) if w and w not in ix.stopwords]
    if not kept:
        raise SearchQueryError("the query has no words to search for (only question words such as 哪些, 什么)")
    subs = [_word(ix, w, marks, alone=len(kept) == 1, cut=_whole) for w in kept]
    return (subs[0] if len(subs) == 1 else _Or(subs, scale=0.9)), marks


def _whole(w: str) -> list[str]:
    return [w]


def _soft(ix: SearchIndex, run: list[Unit], marks: list[str]) -> Query | None:
    subs: list[Query] = []
    for u in run:
        if u.kind == "phrase":
            grams = [g.lower() for g, _ in bigrams(u.text)]
            if not grams:
                raise SearchQueryError(f"the phrase “{u.text}” has no words to search for")
            subs.append(Phrase("grams", grams, boost=PHRASE_WEIGHT) if len(grams) > 1
                        else Term("grams", grams[0], boost=PHRASE_WEIGHT))
            marks.append(u.text.strip())
            continue
        words = [w for w, _s, _e in ix.seg.words(u.text)]
        kept = [w for w in words if w.lower() not in ix.stopwords]
        for w in kept:
            subs.append(_word(ix, w, marks, alone=len(kept) == 1))
    if not subs:
        if run and all(u.kind == "word" for u in run) and not any(ix.seg.words(u.text) for u in run):
            raise SearchQueryError("the query has no words to search for (only punctuation)")
        if run:
            raise SearchQueryError("the query has no words to search for (only question words such as 哪些, 什么)")
        return None
    return subs[0] if len(subs) == 1 else _Or(subs, scale=0.9)


def _word(ix: SearchIndex, w: str, marks: list[str], alone: bool, cut: Any = None) -> Query:
    """A word matches itself or any synonym; the best of these counts (plus a little of the others), so a name with
    many spellings does not outweigh the other words of the query. ``cut`` splits a word into index tokens (the
    index's segmenter unless given)."""
    others = sorted(ix.alternatives(w))
    # a longer name that holds a shorter one (省生态环境厅 ⊃ 生态环境厅) matches nothing more: the index gives every
    # long word its dictionary sub-words too
    short = [b for b in [w, *others] if ix.indexed(b.lower())]
    alts = [(w, 1.0)] + [(a, SYNONYM_WEIGHT) for a in others
                         if not any(b != a and len(b) < len(a) and b.lower() in a.lower() for b in short)]
    per_alt: list[Query] = []
    for a, weight in alts:
        subs: list[Query] = []
        toks = [t.lower() for t in cut(a)] if cut else [t.lower() for t, _s, _e in ix.seg.words(a)]
        if len(toks) == 1 and ix.indexed(toks[0]):
            spec = ix.specificity(toks[0])
            subs.extend(Term(f, toks[0], boost=fw * weight * spec) for f, fw in WORD_FIELDS.items())
        else:  # not a word of the index: look for it as a run of characters
            grams = [g.lower() for g, _ in bigrams(a)]
            if len(grams) > 1:
                subs.append(Phrase("grams", grams, boost=GRAM_WEIGHT * weight))
            elif grams and len(grams[0]) > 1:
                subs.append(Term("grams", grams[0], boost=GRAM_WEIGHT * weight))
        if len(a) > 1 or alone:
            marks.append(a)
        if subs:
            per_alt.append(_Or(subs))
    return per_alt[0] if len(per_alt) == 1 else DisjunctionMax(per_alt, tiebreak=0.1)


# --- filters and facets -------------------------------------------------------------------------------------------

def _hit(ix: SearchIndex, n: int, score: float, marks: list[str]) -> Hit:
    m = ix.meta[n]
    return Hit(
        iri=m["iri"], kind=m["kind"], plan=m["plan"], plan_title=m["plan_title"], number=m["number"],
        title=m["title"], snippet=snippet(m["text"] or m["title"], marks), score=round(score, 4),
        document=m["document"], start=m["start"], end=m["end"], deadline=min(m["dates"], default=None),
        roles={r: [ix.label(a) for a in ids] for r, ids in m["roles"].items()},
    )


def snippet(text: str, marks: list[str], width: int = SNIPPET) -> str:
    """A window of ``text`` around the densest run of matches, HTML-escaped, with each match in ``<mark>``."""
    text = re.sub(r"\s*\n\s*", " ", text)
    terms = sorted({m for m in marks if m.strip()}, key=lambda s: (-len(s), s))
    found = list(re.finditer("|".join(re.escape(t) for t in terms), text, re.IGNORECASE)) if terms else []
    start = 0
    if found and len(text) > width:
        best = -1
        for f in found:
            s = max(0, f.start() - 20)
            k = len({x.group().lower() for x in found if s <= x.start() and x.end() <= s + width})
            if k > best:
                best, start = k, s
        start = max(0, min(start, len(text) - width))
    end = min(len(text), start + width)
    out, pos = [], start
    for f in found:
        if f.start() < start or f.end() > end:
            continue
        out.append(html.escape(text[pos:f.start()]))
        out.append(f"<mark>{html.escape(f.group())}</mark>")
        pos = f.end()
    out.append(html.escape(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
