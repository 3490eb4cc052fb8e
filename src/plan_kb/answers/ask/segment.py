"""Cutting a question into words: jieba with the build's word list (``ask/words.txt``, see
:mod:`plan_kb.answers.ask.words`), else jieba's dictionary with the project's user dictionary (made from the graph's
labels at build time, in the build's ``search/`` folder); loaded once per process.

jieba itself is imported here and not through ``plan_kb.answers.search``, so the question command starts without the
index builder's imports (rdflib, whoosh, the build pipeline).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_cache: dict[str, Any] = {}

#: Where the search index keeps the jieba user dictionary and prefix cache inside a build folder.
SEARCH_DIR = "search"
USERDICT = "userdict.txt"
JIEBA_CACHE = "jieba.cache"


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
            tk = jieba.Tokenizer(dictionary=str(small))
            tk.tmp_dir = str(small.parent)
            tk.initialize()
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


def words(tk: Any, text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` of every word of ``text``."""
    return [(w, s, e) for w, s, e in tk.tokenize(text, mode="default", HMM=True)]
