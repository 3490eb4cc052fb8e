"""Chinese word segmentation for the search index: jieba, with a user dictionary made at build time, as whoosh
analyzers.

The index and the queries must cut text the same way, so both get their :class:`Segmenter` from the same search
folder: jieba's default dictionary (its prefix cache is kept in that folder, never in the system temp dir) plus the
folder's ``userdict.txt``. Two analyzers are made from it:

- ``words``: jieba's words (HMM on, so unknown names such as 涑水河 stay whole), and for a long word also every
  shorter dictionary word inside it at the same position (省生态环境厅 → 生态环境厅, 生态环境, 生态, 环境), so a
  query for part of a name finds the whole name;
- ``grams``: overlapping character bigrams of Chinese runs and whole ASCII words, with positions, so a phrase query
  is an exact substring match whatever jieba does with it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import jieba
from whoosh.analysis import Analyzer, LowercaseFilter, Token, Tokenizer

USERDICT = "userdict.txt"
CACHE = "jieba.cache"

logging.getLogger("jieba").setLevel(logging.WARNING)

_WORDY = re.compile(r"[^\W_]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9][A-Za-z0-9.+#%-]*")


class Segmenter:
    """A jieba tokenizer of its own (not jieba's global one), loaded once per search folder."""

    def __init__(self, folder: Path, keep_jieba: bool = False):
        folder.mkdir(parents=True, exist_ok=True)
        tk = jieba.Tokenizer()
        tk.tmp_dir = str(folder)
        tk.cache_file = str(folder / CACHE)
        tk.initialize()
        if keep_jieba:  # for the build's question word list (``jieba_words``)
            _jieba_words["freq"] = dict(tk.FREQ)
        userdict = folder / USERDICT
        if userdict.exists():
            tk.load_userdict(str(userdict))
        self.folder = folder
        self.tk = tk
        self._subwords = lru_cache(maxsize=20000)(self._find_subwords)

    def add_userdict(self, path: Path) -> None:
        """Load a user dictionary into this segmenter (the build makes one segmenter and teaches it its words)."""
        self.tk.load_userdict(str(path))
        self._subwords.cache_clear()

    def words(self, text: str) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` for every word that has a letter, digit or Chinese character."""
        return [(w, s, e) for w, s, e in self.tk.tokenize(text, mode="default", HMM=True) if _WORDY.search(w)]

    def is_word(self, w: str) -> bool:
        return bool(self.tk.FREQ.get(w))

    def subwords(self, word: str) -> tuple[tuple[str, int], ...]:
        """Dictionary words of two or more characters inside a longer word, with their offset in it."""
        return self._subwords(word) if len(word) > 2 and _CJK.search(word) else ()

    def _find_subwords(self, word: str) -> tuple[tuple[str, int], ...]:
        out = []
        n = len(word)
        for i in range(n - 1):
            for j in range(i + 2, n + 1):
                if j - i < n and self.tk.FREQ.get(word[i:j]):
                    out.append((word[i:j], i))
        return tuple(out)


_lock = threading.Lock()
_segmenters: dict[Path, Segmenter] = {}
_jieba_words: dict[str, dict[str, int]] = {}


def jieba_words() -> dict[str, int] | None:
    """jieba's own dictionary (word → frequency, no user words) as a segmenter of this process loaded it, if one
    did: a build needs it twice and loading it takes most of a second."""
    return _jieba_words.get("freq")


def segmenter(folder: Path) -> Segmenter:
    """The segmenter of a search folder, made once per process."""
    key = folder.resolve()
    with _lock:
        seg = _segmenters.get(key)
        if seg is None:
            seg = _segmenters[key] = Segmenter(key)
            while len(_segmenters) > 4:
                _segmenters.pop(next(iter(_segmenters)))
        return seg


def forget(folder: Path) -> None:
    """Drop the segmenter of a search folder."""
    with _lock:
        _segmenters.pop(folder.resolve(), None)


class JiebaTokenizer(Tokenizer):
    """jieba words as whoosh tokens. Pickled into the index without its segmenter; the index is always opened
    with a schema that carries the segmenter of its own folder."""

    def __init__(self, seg: Segmenter | None = None):
        self.seg = seg

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.seg = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JiebaTokenizer)

    __hash__ = Tokenizer.__hash__

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        if self.seg is None:
            raise RuntimeError("the search analyzer has no segmenter; open the index with plan_kb.answers.search")
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _token(t, value, start_pos, start_char, start_char + len(value), positions, chars, keeporiginal)
            return
        pos = start_pos
        for w, s, e in self.seg.words(value):
            yield _token(t, w, pos, start_char + s, start_char + e, positions, chars, keeporiginal)
            for sub, off in self.seg.subwords(w):
                yield _token(t, sub, pos, start_char + s + off, start_char + s + off + len(sub), positions, chars,
                             keeporiginal)
            pos += 1


class BigramTokenizer(Tokenizer):
    """Overlapping bigrams of Chinese runs (a lone character stands for itself) and whole ASCII words."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BigramTokenizer)

    __hash__ = Tokenizer.__hash__

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for w, s in bigrams(value):
            yield _token(t, w, pos, start_char + s, start_char + s + len(w), positions, chars, keeporiginal)
            pos += 1


def bigrams(text: str) -> list[tuple[str, int]]:
    """``(gram, offset)``: 涑水河 → 涑水, 水河; NOx → nox (lowercased later)."""
    out: list[tuple[str, int]] = []
    for m in _RUN.finditer(text):
        run, s = m.group(), m.start()
        if _CJK.match(run):
            if len(run) == 1:
                out.append((run, s))
            else:
                out.extend((run[i:i + 2], s + i) for i in range(len(run) - 1))
        else:
            out.append((run, s))
    return out


def _token(t: Token, text: str, pos: int, start: int, end: int, positions: bool, chars: bool,
           keeporiginal: bool) -> Token:
    t.text = text
    t.boost = 1.0
    t.stopped = False
    if keeporiginal:
        t.original = text
    if positions:
        t.pos = pos
    if chars:
        t.startchar, t.endchar = start, end
    return t


def word_analyzer(seg: Segmenter | None) -> Analyzer:
    return JiebaTokenizer(seg) | LowercaseFilter()


def gram_analyzer() -> Analyzer:
    return BigramTokenizer() | LowercaseFilter()
