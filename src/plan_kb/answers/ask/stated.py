"""Answers of how much, or of which kind, that the graph holds no number for: read from the sentence of the task that
states them, and said as the text says them.

- A count of things (完成37个化工园区…调查评估, 10个关键环节): a question that counts a thing (有多少个化工园区,
  几个县级城市) gets the number the text writes before it, as a value in 个 (unit:NUM), with the sentence. A count of
  tasks (牵头的有几个) is no such question: no text writes "N个牵头的".
- A value in words (“千吨万人”及以上规模, 行业特别排放限值, 国六排放标准): a question that asks for a kind or a size
  with 什么 / 多大 / 哪种 gets the words that stand where its question word stands, between the question's own words
  as the sentence writes them, and the sentence; no number is invented (``values`` stays empty: conventions.md reads
  thresholds only from numbers with a unit).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from plan_kb.answers.ask import values
from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.lexicon import Task, grams
from plan_kb.answers.ask.reply import Reply
from plan_kb.answers.ask.text import CJK, config, fold, sentences
from plan_kb.answers.ask.understand import Understanding, zh_number

if TYPE_CHECKING:
    from plan_kb.answers.ask.answer import Answerer

NUM = "http://qudt.org/vocab/unit/NUM"
_COUNT_AFTER = re.compile(rf"(?:多少|几)个([{CJK}]{{2,}})")
_COUNT_BEFORE = re.compile(rf"([{CJK}]{{2,}}?)(?:一共|总共|共)?(?:有|是|为)?(?:多少|几)个(?:呀|啊|呢)?[?]?$")
_NUMBER = re.compile(r"([0-9]+|[一二两三四五六七八九十]{1,3})个")
_WORDS_WH = re.compile(r"什么|啥|多大|哪种|哪类|哪一类|何种|哪个级别|哪一级")
_CUT = ",;。:!?;"


def _norm(s: str) -> str:
    """NFKC without spaces: the quotation marks kept, for the answer shows the words as the text writes them."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _not_counted(noun: str) -> bool:
    """Nouns that count tasks or agencies, which the composed query counts (几项任务, 几个部门)."""
    return noun.startswith(tuple(fold(w) for w in config().get("count_task_words") or ()))


def how_much(a: Answerer, u: Understanding, prev: State, goal: bool) -> Reply | None:
    """How much: a count the text states (几个县级城市), else the value the graph has (:mod:`values`), else the words
    the text states (什么排放限值) — these also where the graph's value is of another task than the one the question
    is about (a limit in numbers of a neighbouring task, when the task meant states its limit in words)."""
    r = count_reply(a, u, prev)
    if r is not None:
        return r
    r = values.values_reply(a, u, prev, goal=goal)
    w = words_reply(a, u, prev) if _WORDS_WH.search(u.text) else None
    if w is None:
        return r
    said, cov, head = w
    if r is None:
        return said
    theirs = {t["iri"] for t in r.tasks}
    if said.tasks[0]["iri"] in theirs:  # the same task: the words when they name what was asked (什么|排放标准)
        return said if head else r
    found = {f.task.iri: f.coverage for f in a.locator.find(u, u.plan, min_coverage=0.4)}
    best = max((found.get(t, 0.0) for t in theirs), default=0.0) if theirs else 1.0
    return said if cov > best + 0.1 else r


def count_reply(a: Answerer, u: Understanding, prev: State) -> Reply | None:
    """有多少个X / 几个X: the number the text writes before X, in the sentence that holds most of the question."""
    q = u.text.rstrip("?!。")
    after = _COUNT_AFTER.search(q)
    before = _COUNT_BEFORE.search(q)
    if after is None and before is None:
        return None

    def fit(tail: str) -> int:  # how many characters of the counted noun ``tail`` (the text after N个) begins with
        if after is not None:
            noun = after.group(1)
            return next((k for k in range(len(noun), 1, -1) if tail.startswith(noun[:k])), 0)
        lead = q[:before.end(1)]
        return next((k for k in range(min(len(lead), 12), 1, -1) if tail.startswith(lead[-k:])), 0)

    units = _units(u)
    best: tuple[float, Task, str, int, str] | None = None
    for task in _tasks(a, u):
        for s, e in sentences(task.text):
            sent = fold(task.text[s:e])
            for m in _NUMBER.finditer(sent):
                n = zh_number(m.group(1))
                k = fit(sent[m.end():])
                if n is None or k < 2 or _not_counted(sent[m.end():]):
                    continue
                score = k + 4 * _cover(units, sent)
                if best is None or score > best[0]:
                    best = (score, task, task.text[s:e].strip(), n, sent[m.end():m.end() + k])
    if best is None or _cover(units, fold(best[2])) < 0.4:
        return None
    _s, task, sentence, n, noun = best
    where = a.where(task)
    text = f"{n}个{noun}。({where})原文:“{_clean(sentence)}”"
    values = [{"value": n, "unit": NUM, "comparator": "=", "indicator": noun}]
    reply = a.reply("threshold", text, u, prev, tasks=[task], evidence=[fold(sentence)], sparql=a.tasks_sparql())
    reply.values = values
    return reply


def words_reply(a: Answerer, u: Understanding, prev: State) -> tuple[Reply, float, bool] | None:
    """什么排放限值 / 多大规模: the words of the task's sentence that stand where the question word stands, how much
    of the question the task holds, and whether the words end in what the question asks for (什么|排放限值 →
    …特别排放限值): for choosing between this and a value the graph has."""
    q = _norm(u.text).rstrip("?!。")
    wh = _WORDS_WH.search(q)
    if wh is None:
        return None
    left, right = q[:wh.start()], q[wh.end():].lstrip("的")
    found = a.locator.find(u, u.plan, min_coverage=0.4)
    if not found:
        return None
    units = _units(u)
    best: tuple[float, Any, str, str, bool] | None = None
    for f in found[:5]:
        for s, e in sentences(f.task.text):
            raw = f.task.text[s:e].strip()
            if raw.startswith(("(", "（")):
                continue  # the role note says who, not how much
            phrase, head = _gap(_norm(raw), left, right)
            if not phrase:
                continue
            score = f.coverage + _cover(units, fold(raw))
            if best is None or score > best[0]:
                best = (score, f, raw, phrase, head)
    if best is None:
        return None
    _s, f, raw, phrase, head = best
    text = f"按原文,{phrase}。({a.where(f.task)})原文:“{_clean(raw)}”"
    reply = a.reply("threshold", text, u, prev, tasks=[f.task], evidence=[fold(raw)], sparql=a.tasks_sparql())
    return reply, f.coverage, head


def _gap(sent: str, left: str, right: str) -> tuple[str, bool]:
    """The words of ``sent`` in the place of the question word: after the longest end of ``left`` the sentence writes
    (else from the start of the clause), up to the first part of ``right`` it writes (kept when it is the word right
    after the question word: 什么|排放限值 → …特别排放限值)."""
    pos, piece, head = -1, "", False
    for j in range(max(len(right) - 1, 0)):
        for n in range(len(right) - j, 1 if j == 0 else 2, -1):
            k = sent.find(right[j:j + n])
            if k >= 0:
                pos, piece, head = k, right[j:j + n], j == 0
                break
        if pos >= 0:
            break
    if pos < 0:
        if right:
            return "", False
        pos = len(sent)  # the question word ends the question: to the end of the sentence's clause
    start = max(sent.rfind(c, 0, pos) for c in _CUT) + 1
    clause = sent[start:pos]
    anchored = pos < len(sent)
    for n in range(min(len(left), len(clause)), 1, -1):
        k = clause.rfind(left[-n:])
        if k >= 0:
            clause, anchored = clause[k + n:], True
            break
    phrase = (clause + (piece if head else "")).strip("。,;、")
    if not anchored or not re.search(f"[{CJK}]", clause) or len(phrase) > 120:
        return "", False
    return phrase, head and not re.search(r"[0-9]", phrase)  # a number there is a value the graph reads


def _units(u: Understanding) -> list[str]:
    return [g for w in u.topic for g in grams(w) if len(g) >= 2]


def _cover(units: list[str], text: str) -> float:
    return sum(1 for g in units if g in text) / len(units) if units else 0.0


def _tasks(a: Answerer, u: Understanding) -> list[Task]:
    plans = a.plans_of(u)
    return [t for t in a.lex.tasks if not plans or t.plan in plans]


def _clean(sentence: str) -> str:
    return re.sub(r"^\d+[.、]", "", re.sub(r"\s+", "", sentence))
