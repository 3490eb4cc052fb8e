"""Cutting a question into words: jieba with the build's word list (``ask/words.txt``, see
:mod:`plan_kb.answers.ask.words`), else jieba's dictionary with the project's user dictionary (made from the graph's
labels at build time, in the build's ``search/`` folder); loaded once per process.

jieba itself is imported here and not through ``plan_kb.answers.search``, so the question command starts without the
index builder's imports (rdflib, whoosh, the build pipeline).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_cache: dict[str, Any] = {}

#: Where the search index keeps the jieba user dictionary and prefix cache inside a build folder.
SEARCH_DIR = "search"
USERDICT = "userdict.txt"
JIEBA_CACHE = "jieba.cache"
#: The prefix cache of the build's word list, beside it. Named by jieba after the list's absolute path, the cache
#: written while building (in ``<id>.partial``) would not be found once the folder has its name, and the first
#: question would write a new one into the knowledge base (and fail with a traceback where it is read-only).
WORDS_CACHE = "words.cache"


def word_list_tokenizer(words: Path) -> Any:
    """A jieba ``Tokenizer`` over a build's word list, its prefix cache beside the list (made by the build). Where
    that cache is missing or stale and the folder cannot be written, the cache goes to the temporary folder."""
    import jieba

    tk = jieba.Tokenizer(dictionary=str(words))
    cache = words.parent / WORDS_CACHE
    fresh = cache.is_file() and cache.stat().st_mtime > words.stat().st_mtime
    if fresh or os.access(words.parent, os.W_OK):
        tk.tmp_dir = str(words.parent)
        tk.cache_file = WORDS_CACHE
    tk.initialize()
    return tk


def tokenizer(folder: Path | None) -> Any:
    """A jieba ``Tokenizer`` with the build's user dictionary when there is one (made once per folder)."""
    key = str(folder or "")
    with _lock:
        tk = _cache.get(key)
        if tk is not None:
            return tk
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        small = folder / "ask" / "words.txt" if folder else None
        if small is not None and small.exists():
            # the build's own word list: the words the knowledge base uses, loaded in milliseconds
            tk = word_list_tokenizer(small)
            _cache[key] = tk
            return tk
        tk = jieba.Tokenizer()
        search = folder / SEARCH_DIR if folder else None
        if search is not None and search.is_dir():
            tk.tmp_dir = str(search)
            tk.cache_file = str(search / JIEBA_CACHE)
        tk.initialize()
        if search is not None and (search / USERDICT).exists():
            tk.load_userdict(str(search / USERDICT))
        _cache[key] = tk
        return tk


def forget(folder: Path) -> None:
    """Drop the tokenizer made for a build folder."""
    with _lock:
        _cache.pop(str(folder), None)


def words(tk: Any, text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` of every word of ``text``."""
    return [(w, s, e) for w, s, e in tk.tokenize(text, mode="default", HMM=True)]


def common_words(folder: Path | None) -> frozenset[str]:
    """The two-character words common in the language (the build's ``ask/common.txt``; empty without one)."""
    key = "common:" + str(folder or "")
    with _lock:
        got = _cache.get(key)
        if got is None:
            path = folder / "ask" / "common.txt" if folder else None
            got = frozenset(path.read_text(encoding="utf-8").split()) if path and path.is_file() else frozenset()
            _cache[key] = got
        return got
