"""The search index: one whoosh document per task, measure and goal, built from the graph into ``<build>/search/``.

``plan_kb.build`` calls it, so it is written inside the new build folder before that folder is
swapped in: a rebuild replaces graph and index together, atomically. The folder holds everything a query needs —
the jieba cache and user dictionary, the synonym groups, the facet labels — and nothing is read from the graph at
query time.

Incremental: given the previous build's folder, the new index starts as a copy of the previous one (the served
index is never written) and only the documents that differ are deleted and added again. What a whoosh document
holds is fingerprinted (``entries.json``: IRI → hash of its fields); a document is indexed again when its
fingerprint changed, or when it contains a word the user dictionary gained or lost (jieba would cut it another
way). Anything else that differs — the index format, the analyzers' code, a missing file — builds it whole.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

from rdflib import Dataset
from whoosh import index as windex

from plan_kb.answers.search.analyzer import CACHE, USERDICT, Segmenter
from plan_kb.answers.search.documents import synonym_groups_from_graph
from plan_kb.answers.search.items import ITEMS, Items, entry_meta, fields, fingerprint, load_cache, read_items
from plan_kb.answers.search.schema import CONFIG, INDEX_DIR, SEARCH_DIR, WORD_FIELDS, make_schema
from plan_kb.answers.search.userdict import (
    entity_labels,
    indicator_vocabulary,
    merge_vocabulary,
    search_config,
    write_userdict,
)

__all__ = ["CONFIG", "INDEX_DIR", "SEARCH_DIR", "WORD_FIELDS", "build_index", "entry_meta", "make_schema"]


#: Bumped when what a whoosh document holds, or how it is cut, changes without the analyzers' code changing.
INDEX_FORMAT = 1
ENTRIES = "entries.json"
#: Segments an index updated in place may have before they are merged.
MAX_SEGMENTS = 8
_CODE = ("analyzer.py", "schema.py", "index.py", "items.py", "documents.py", "userdict.py")


def _code_version() -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(f"index-format {INDEX_FORMAT}".encode())
    for name in _CODE:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


class _Tagger:
    """jieba's part-of-speech tagger on the build's tokenizer, made when first used (only the items of a document
    read again need it), with the tags of jieba's dictionary that ``jieba.posseg`` loaded for its own tagger when
    the dictionary is the same (reading them again takes most of a second)."""

    def __init__(self, tk: Any):
        self.tk = tk
        self._tagger: Any = None

    def cut(self, text: str) -> Any:
        if self._tagger is None:
            import jieba.posseg as pseg

            tagger = pseg.POSTokenizer.__new__(pseg.POSTokenizer)
            tagger.tokenizer = self.tk
            if self.tk.dictionary == pseg.dt.tokenizer.dictionary and not pseg.dt.tokenizer.user_word_tag_tab:
                tagger.word_tag_tab = dict(pseg.dt.word_tag_tab)
            else:
                tagger.load_word_tag(self.tk.get_dict_file())
            self._tagger = tagger
        return self._tagger.cut(text)


def _previous(previous: Path | None) -> tuple[Path, dict[str, str], set[str]] | None:
    """The previous build's search folder, fingerprints and user dictionary words, when its index can be updated."""
    if previous is None:
        return None
    old = previous / SEARCH_DIR
    try:
        stats = json.loads((old / "stats.json").read_text(encoding="utf-8"))
        prints = json.loads((old / ENTRIES).read_text(encoding="utf-8"))
        words = set((old / USERDICT).read_text(encoding="utf-8").split())
    except (OSError, ValueError):
        return None
    if stats.get("code") != _code_version() or not (old / INDEX_DIR).is_dir():
        return None
    return old, prints, words


def build_index(folder: Path, dataset: Dataset, previous: Path | None = None,
                units: dict[str, str] | None = None) -> dict:
    """Write ``folder/search/`` from the build's dataset; returns what it did (counts and seconds). With
    ``previous`` (the build folder served now), its index is copied and updated with what changed; with ``units``
    (document graph IRI → unit key) the items of the documents whose unit is unchanged are not read again
    (``items``)."""
    t0 = time.perf_counter()
    out = folder / SEARCH_DIR
    out.mkdir(parents=True, exist_ok=True)
    old = _previous(previous)
    if old and (old[0] / CACHE).exists():
        shutil.copyfile(old[0] / CACHE, out / CACHE)  # jieba's prefix dictionary: the same for every build
    yaml_groups, stopwords = search_config()
    groups = yaml_groups + indicator_vocabulary() + synonym_groups_from_graph(dataset)
    seg = Segmenter(out, keep_jieba=True)  # no user dictionary yet: the key terms are found with jieba's own words
    got = read_items(dataset, units, load_cache(old[0]) if old else {}, _Tagger(seg.tk))
    words = merge_vocabulary(entity_labels(dataset), groups, [got.words])
    write_userdict(out / USERDICT, words)
    seg.add_userdict(out / USERDICT)  # now as a query will see it: jieba's words and the user dictionary
    config = {"synonyms": groups, "stopwords": stopwords, "labels": _facet_labels(got), "built": time.time()}
    (out / CONFIG).write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    prints = {it["meta"]["iri"]: it.get("print") or fingerprint(fields(it)) for it in got.items}
    ixdir = out / INDEX_DIR
    schema = make_schema(seg)
    if old:
        shutil.copytree(old[0] / INDEX_DIR, ixdir)
        ix = windex.open_dir(str(ixdir), schema=schema)
        moved = set(words) ^ old[2]  # words jieba now cuts differently
        todo = [fields(it) for it in got.items if old[1].get(it["meta"]["iri"]) != prints[it["meta"]["iri"]]
                or (moved and any(w in it["meta"]["title"] or w in it["meta"]["text"] or w in it["facts"]
                                  for w in moved))]
        gone = [i for i in old[1] if i not in prints]
    else:
        ixdir.mkdir()
        ix = windex.create_in(str(ixdir), schema)
        todo, gone = [fields(it) for it in got.items], []
    writer = ix.writer()
    for iri in [*gone, *(d["iri"] for d in todo if old and d["iri"] in old[1])]:
        writer.delete_by_term("iri", iri)
    for d in todo:
        writer.add_document(**d)
    # an update adds a segment; whoosh would merge the small ones into the big one on every commit, rewriting most
    # of the index: the segments are merged only once there are many of them (or deleted documents in them)
    segments = len(ix._segments()) if old else 0
    writer.commit(merge=not old or segments >= MAX_SEGMENTS)
    ix.close()
    (out / ENTRIES).write_text(json.dumps(prints), encoding="utf-8")
    (out / ITEMS).write_text(json.dumps(got.cache, ensure_ascii=False), encoding="utf-8")
    stats = {"documents": len(prints), "indexed": len(todo), "removed": len(gone),
             "reused": len(prints) - len(todo), "read": got.read, "userdict_words": len(words),
             "synonym_groups": len(groups), "code": _code_version(), "seconds": round(time.perf_counter() - t0, 3)}
    (out / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
    return stats


def _facet_labels(got: Items) -> dict[str, dict[str, list[str]]]:
    """Display label and every other name of each agency, place and plan that a facet can show."""
    corpus = got.labels
    ids: set[str] = set()
    for it in got.items:
        m = it["meta"]
        ids |= {a for agencies in m["roles"].values() for a in agencies} | set(m["places"]) | set(m["jurisdictions"])
    labels = {i: [corpus.label(i), *[x for x in corpus.all_labels(i) if x != corpus.label(i)]] for i in sorted(ids)}
    for it in got.items:
        m = it["meta"]
        labels.setdefault(f"plan:{m['plan']}", [m["plan_title"] or m["plan"]])
    return labels
