"""Slips of a pinyin input method, corrected against the knowledge base's own words: 牵投 → 牵头, 配和 → 配合,
雨污分留 → 雨污分流, 清灵 → 清零, 海棉 → 海绵.

A pair of characters of the question that no task, heading or name of the graph uses (and that the question
vocabulary of ``extraction/ask.yaml`` does not use either) is compared, by toneless pinyin, with the pairs the graph
does use; when exactly one character differs and the pinyin is the same, the graph's pair is taken. The reader says
what it took (按“牵头”理解), so a wrong guess is seen. pypinyin is imported only when a question has such a pair.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from plan_kb.answers.ask.text import CJK, config, fold

_RUN = re.compile(f"[{CJK}]+")
#: A graph pair must occur this often to replace a question's pair (one stray pair of a long text is no evidence).
MIN_COUNT = 1


class Vocabulary:
    """Character pairs of the graph's texts and names, by their first and by their second character."""

    def __init__(self, texts: list[str]):
        counts: Counter[str] = Counter()
        triples: set[str] = set()
        for text in texts:
            for run in _RUN.findall(text):
                for i in range(len(run) - 1):
                    counts[run[i:i + 2]] += 1
                triples.update(run[i:i + 3] for i in range(len(run) - 2))
        self.counts = counts
        self.triples = frozenset(triples)
        self.by_first: dict[str, list[str]] = defaultdict(list)
        self.by_second: dict[str, list[str]] = defaultdict(list)
        for pair, n in counts.items():
            if n >= MIN_COUNT:
                self.by_first[pair[0]].append(pair)
                self.by_second[pair[1]].append(pair)


@lru_cache(maxsize=8192)
def _readings(c: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    return tuple(dict.fromkeys(pinyin(c, style=Style.NORMAL, heteronym=True)[0]))


@lru_cache(maxsize=8192)
def _word_reading(pair: str) -> tuple[str, ...]:
    """The toneless pinyin of a pair as a word (补给 is bu ji, where 给 alone is usually gei)."""
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(pair))


@lru_cache(maxsize=1)
def question_pairs() -> frozenset[str]:
    """Pairs of the question vocabulary (ask.yaml): question words are never slips."""
    out: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, str):
            for run in _RUN.findall(fold(x)):
                out.update(run[i:i + 2] for i in range(len(run) - 1))
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(k)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(config())
    return frozenset(out)


def correct(q: str, vocab: Vocabulary, words: Any, keep: list[tuple[int, int]] | None = None,
            common: frozenset[str] = frozenset()) -> tuple[str, list[tuple[str, str]]]:
    """The question with its slips corrected, and the (typed, taken) pairs. ``words``: the words of the knowledge
    base (a pair is corrected only into one of them); ``keep``: spans not to touch (names already linked);
    ``common``: words common in the language, never slips (地址 is not a slip of 地质)."""
    known, qpairs = vocab.counts, question_pairs()
    keep_chars = set(config().get("slip_keep") or "")
    chars = list(q)
    orig = q
    fixes: list[tuple[str, str]] = []
    fixed: set[int] = set()
    for m in _RUN.finditer(q):
        s0, run = m.start(), m.group()
        for i in range(len(run) - 1):
            pos = s0 + i
            pair = "".join(chars[pos:pos + 2])
            if pair in known or pair in qpairs or any(a <= pos < b or a <= pos + 1 < b for a, b in keep or ()):
                continue
            # a pair across two words is no slip: 水|计划 — a neighbour pair that is a word shows the boundary;
            # there only three characters the graph writes that are a word make a correction (住建|听 → 住建厅)
            left, right = orig[pos - 1:pos + 1] if pos > s0 else "", orig[pos + 1:pos + 3]
            in_left, in_right = len(left) == 2 and left in words, len(right) == 2 and right in words

            def ok(c: str, p: int = pos, il: bool = in_left, ir: bool = in_right, typed: str = pair) -> bool:
                if (il and c[0] != typed[0]) or (ir and c[1] != typed[1]):
                    return False  # the character changed is part of a neighbouring word (土壤|计划)
                if il or ir:  # across a word's edge only a word of the list (住建|听 → 住建厅; not 和|土壤 → 合土壤)
                    three = _in_text(chars, p, c, vocab)
                    return bool(three) and three in words
                return c in words or bool(_in_text(chars, p, c, vocab))

            best = _candidate(pair, vocab, ok)
            if best is not None and pair in common and best not in qpairs and not _both_sides(chars, pos, best, vocab):
                continue  # a common word (地址) is meant, unless it is a slip of a question's word (附则 → 负责), or
                # the graph writes the word taken with the characters on both sides (污水处里设施: 水处理, 处理设)
            # the graph's pair must be a word (管理|水平 gives 理水, no word), or stand with its neighbour in the
            # graph's own text (干息焦 → 干熄焦: 熄焦 is no word of the list, 干熄焦 is written in the plans), and the
            # character replaced no particle of the question (谁管 is not 水管)
            if best is None or (any(a != b and a in keep_chars for a, b in zip(pair, best, strict=True))
                                and not _both_sides(chars, pos, best, vocab)):
                continue
            if any(a != b and pos + k in fixed for k, (a, b) in enumerate(zip(pair, best, strict=True))):
                continue  # a character a correction just took is not changed back (晋成 → 晋城, not then 城的 → 成的)
            typed, taken = pair, best
            if best not in words:  # shown as the three characters the graph writes: 按“干熄焦”理解
                three = _in_text(chars, pos, best, vocab)
                at = pos - 1 if three.endswith(best) and three[:1] == "".join(chars[pos - 1:pos]) else pos
                typed, taken = "".join(chars[at:at + 3]), three
            chars[pos:pos + 2] = list(best)
            fixed.update((pos, pos + 1))
            form = _form_at(chars, pos, best)  # 使不是 → 是不是: shown as the question's word it makes
            if form is not None:
                typed, taken = orig[form[0]:form[0] + len(form[1])], form[1]
            fixes.append((typed, taken))
    return "".join(chars), fixes


def _form_at(chars: list[str], pos: int, best: str) -> tuple[int, str] | None:
    """The word of ``question_forms`` (ask.yaml) that the pair ``best`` at ``pos`` is part of: (start, word)."""
    forms = sorted((fold(w) for w in config().get("question_forms") or ()), key=len, reverse=True)
    for f in forms:
        for k in range(len(f) - 1):
            start = pos - k
            if start >= 0 and f[k:k + 2] == best and "".join(chars[start:start + len(f)]) == f:
                return start, f
    return None


def _both_sides(chars: list[str], pos: int, best: str, vocab: Vocabulary) -> bool:
    """Whether the graph writes ``best`` at ``pos`` with the character before it and with the one after it."""
    before = "".join(chars[pos - 1:pos]) + best if pos > 0 else ""
    after = best + "".join(chars[pos + 2:pos + 3])
    return len(before) == 3 and len(after) == 3 and before in vocab.triples and after in vocab.triples


def _in_text(chars: list[str], pos: int, best: str, vocab: Vocabulary) -> str:
    """The three characters the graph writes that ``best`` put at ``pos`` makes with the character before or after
    it ("" when none)."""
    before = "".join(chars[pos - 1:pos]) + best if pos > 0 else ""
    after = best + "".join(chars[pos + 2:pos + 3])
    return next((x for x in (before, after) if len(x) == 3 and x in vocab.triples), "")


def _candidate(pair: str, vocab: Vocabulary, ok: Callable[[str], bool]) -> str | None:
    """The one word of the graph that differs from ``pair`` in one character of the same toneless pinyin (``ok``:
    whether a pair of the graph may stand there)."""
    found: Counter[str] = Counter()
    for i, cands in ((1, vocab.by_first.get(pair[0], ())), (0, vocab.by_second.get(pair[1], ()))):
        for cand in cands:
            # the usual reading of both characters (限 xian is no slip of 省, whose rare reading is xing), or the
            # graph's character as its word reads it (补级 → 补给: 给 reads ji in 补给)
            if cand[i] != pair[i] and ok(cand) and (_readings(cand[i])[:1] == _readings(pair[i])[:1]
                                                    or _word_reading(cand)[i:i + 1] == _readings(pair[i])[:1]):
                found[cand] = vocab.counts[cand]
    if not found:
        return None
    ranked = found.most_common(2)
    best, n = ranked[0]
    return best if len(ranked) == 1 or ranked[1][1] < n else None
