"""The search index: one whoosh document per task, measure and goal, built from the graph into ``<build>/search/``.

``plan_kb.build`` calls it, so it is written inside the new build folder before that folder is
swapped in: a rebuild replaces graph and index together, atomically. The folder holds everything a query needs —
the jieba cache and user dictionary, the synonym groups, the facet labels — and nothing is read from the graph at
query time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jieba.posseg
from rdflib import Dataset
from whoosh import index as windex

from plan_kb.answers.search.analyzer import USERDICT, Segmenter
from plan_kb.answers.search.documents import Corpus, Entry, read_corpus_entries, synonym_groups_from_graph
from plan_kb.answers.search.schema import CONFIG, INDEX_DIR, SEARCH_DIR, WORD_FIELDS, make_schema
from plan_kb.answers.search.userdict import indicator_vocabulary, search_config, vocabulary, write_userdict

__all__ = ["CONFIG", "INDEX_DIR", "SEARCH_DIR", "WORD_FIELDS", "build_index", "entry_meta", "make_schema"]


def entry_meta(e: Entry) -> dict:
    """What a hit shows and what the facets count, stored with the document."""
    return {
        "iri": e.iri, "kind": e.kind, "plan": e.plan, "plan_title": e.plan_title, "number": e.number,
        "title": e.title, "text": e.text, "document": e.document, "start": e.start, "end": e.end,
        "roles": {r: sorted(a) for r, a in sorted(e.roles.items())}, "places": sorted(e.places),
        "dates": sorted(e.dates), "years": sorted(e.years), "indicators": sorted(e.indicators),
        "jurisdictions": sorted(e.jurisdictions),
    }


def build_index(folder: Path, dataset: Dataset) -> dict:
    """Write ``folder/search/`` from the build's dataset; returns what it did (counts and seconds)."""
    t0 = time.perf_counter()
    out = folder / SEARCH_DIR
    out.mkdir(parents=True, exist_ok=True)
    corpus = read_corpus_entries(dataset)
    yaml_groups, stopwords = search_config()
    groups = yaml_groups + indicator_vocabulary() + synonym_groups_from_graph(dataset)
    seg = Segmenter(out)  # no user dictionary yet: the key terms are found with jieba's own words
    words = vocabulary(corpus, dataset, groups, jieba.posseg.POSTokenizer(seg.tk))
    write_userdict(out / USERDICT, words)
    seg.add_userdict(out / USERDICT)  # now as a query will see it: jieba's words and the user dictionary
    config = {"synonyms": groups, "stopwords": stopwords, "labels": _facet_labels(corpus), "built": time.time()}
    (out / CONFIG).write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    ixdir = out / INDEX_DIR
    ixdir.mkdir()
    ix = windex.create_in(str(ixdir), make_schema(seg))
    writer = ix.writer()
    for e in corpus.entries:
        writer.add_document(
            iri=e.iri, title=e.title, text=e.text,
            facts="\n".join([*(lbl for a in sorted(e.agencies) for lbl in corpus.all_labels(a)),
                             *(lbl for p in sorted(e.places) for lbl in corpus.all_labels(p)),
                             *sorted(e.indicators)]),
            grams=f"{e.title}\n{e.text}",
            meta=entry_meta(e),
        )
    writer.commit()
    ix.close()
    stats = {"documents": len(corpus.entries), "userdict_words": len(words), "synonym_groups": len(groups),
             "seconds": round(time.perf_counter() - t0, 3)}
    (out / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
    return stats


def _facet_labels(corpus: Corpus) -> dict[str, dict[str, list[str]]]:
    """Display label and every other name of each agency, place and plan that a facet can show."""
    ids: set[str] = set()
    for e in corpus.entries:
        ids |= e.agencies | e.places | e.jurisdictions
    labels = {i: [corpus.label(i), *[x for x in corpus.all_labels(i) if x != corpus.label(i)]] for i in sorted(ids)}
    for e in corpus.entries:
        labels.setdefault(f"plan:{e.plan}", [e.plan_title or e.plan])
    return labels
