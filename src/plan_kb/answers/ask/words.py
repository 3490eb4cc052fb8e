"""The question reader's word list, made at build time: the words of jieba's dictionary that the knowledge base's
texts and the question vocabulary (``extraction/ask.yaml``) use, with jieba's own frequencies, plus the search
index's user dictionary (the graph's labels). Loading these few thousand words takes milliseconds where jieba's
whole dictionary takes most of a second, so ``plan-kb ask`` starts fast; words outside the plans are cut by jieba's
HMM as usual, and they match nothing in the graph either way.

``plan_kb.build`` writes ``<build>/ask/words.txt``, and ``<build>/ask/common.txt``: the two-character words common in
the language, which the slip corrector leaves alone (:mod:`plan_kb.answers.ask.slips`).
"""

from __future__ import annotations

import re
from pathlib import Path

from plan_kb.answers.ask.text import CJK
from plan_kb.base.resources import EXTRACTION

ASK_DIR = "ask"
WORDS = "words.txt"
FOUND = "found.json"
#: Two-character words of jieba's dictionary common in the language (frequency at least COMMON_FREQ): a pair of a
#: question that is one of them is a word the person meant (地址, 电话), never a slip of the input method.
COMMON = "common.txt"
COMMON_FREQ = 100
MAX_WORD = 8
_RUN = re.compile(f"[{CJK}]+")


def write_words(folder: Path, previous: Path | None = None) -> Path:
    """Write ``<folder>/ask/words.txt`` from the build's texts, its search user dictionary and ask.yaml. The words
    found in each text are kept by the text's hash (``ask/found.json``); with ``previous`` (the build served now)
    a text it had already read is not read again."""
    import hashlib
    import json

    search = folder / "search"
    texts = [p.read_text(encoding="utf-8") for p in sorted((folder / "texts").glob("*.txt"))]
    texts.append((EXTRACTION / "ask.yaml").read_text(encoding="utf-8"))
    try:
        known = json.loads((previous / ASK_DIR / FOUND).read_text(encoding="utf-8")) if previous else {}
    except (OSError, ValueError):
        known = {}
    found: dict[str, dict[str, int]] = {}
    freq = None
    runs: dict[str, dict[str, int]] = {}  # the words of each run of Chinese text read in this build
    for text in texts:
        h = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if h in known:
            found[h] = known[h]
            continue
        if freq is None:
            freq = _jieba_freq(search)
        found[h] = _found(text, freq, runs)
    words: dict[str, int] = {}
    for part in found.values():
        words.update(part)
    user = search / "userdict.txt"
    lines = [f"{w} {f}" for w, f in sorted(words.items())]
    if user.exists():
        for line in user.read_text(encoding="utf-8").splitlines():
            bits = line.split()
            if bits and bits[0] not in words:
                lines.append(" ".join(bits[:2]) if len(bits) > 1 else f"{bits[0]} 10")
    out = folder / ASK_DIR
    out.mkdir(exist_ok=True)
    (out / WORDS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / FOUND).write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    old = previous / ASK_DIR / COMMON if previous else None
    if old is not None and old.is_file():
        (out / COMMON).write_bytes(old.read_bytes())
    else:
        freq = freq if freq is not None else _jieba_freq(search)
        common = sorted(w for w, f in freq.items() if len(w) == 2 and f >= COMMON_FREQ and _RUN.fullmatch(w))
        (out / COMMON).write_text("\n".join(common) + "\n", encoding="utf-8")
    from plan_kb.answers.ask.segment import word_list_tokenizer

    word_list_tokenizer(out / WORDS)  # its prefix cache, so the first question is fast too
    return out / WORDS


def _jieba_freq(search: Path) -> dict[str, int]:
    import jieba

    from plan_kb.answers.search.analyzer import jieba_words

    known = jieba_words()
    if known is not None:
        return known

    tk = jieba.Tokenizer()
    if search.is_dir():
        tk.tmp_dir = str(search)
        tk.cache_file = str(search / "jieba.cache")
    tk.initialize()
    return tk.FREQ


def _found(text: str, freq: dict[str, int], runs: dict[str, dict[str, int]] | None = None) -> dict[str, int]:
    """The words of jieba's dictionary in a text, with their frequencies; ``runs`` keeps those of each run of
    Chinese characters, which plans of one genre repeat from document to document."""
    runs = {} if runs is None else runs
    words: dict[str, int] = {}
    for run in _RUN.findall(text):
        got = runs.get(run)
        if got is None:
            got = runs[run] = {}
            n = len(run)
            for i in range(n):
                for j in range(i + 1, min(n, i + MAX_WORD) + 1):
                    f = freq.get(run[i:j])
                    if f:
                        got[run[i:j]] = f
        words.update(got)
    return words
