"""Finding the task a question is about by what it says ("湖库消落带生态屏障那项").

The question's topic words (jieba words, see :mod:`understand`) are looked up in the build's search index (whoosh,
jieba words, BM25 with synonyms: :mod:`plan_kb.answers.search`), which ranks the candidates. The index ranks softly —
any shared word makes a hit — so each candidate is then checked against its text in the graph: it is taken only when
its title and text hold most of what the question says (character bigrams inside each topic word, weighted by how
rare they are among the tasks); a word of the question that the task writes in other words of one synonym group of
``extraction/search-synonyms.yaml`` (浇地: 农田灌溉, 排到河里: 入河, 装载机: 非道路移动机械) counts as written.
A question whose topic no task covers finds nothing and is not answered by a guess.

The search package is imported only when a question needs a look-up, and with words already cut, so the index's own
jieba dictionary is not loaded (``plan-kb ask`` starts in a fraction of a second). A knowledge base without a build
folder at hand (a remote store) has no index: there every task is a candidate and ranked by the same coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from plan_kb.answers.ask.lexicon import Lexicon, Task, grams
from plan_kb.answers.ask.text import fold
from plan_kb.answers.ask.understand import Understanding
from plan_kb.base.resources import load_yaml

#: Share of the question's topic (by weight) a task must cover to be taken as the one meant.
MIN_COVERAGE = 0.55
#: Weight of a topic bigram the tasks never use (it says the question is about something else).
UNSEEN_WEIGHT = 0.6
#: Extra weight of a bigram found in the task's title.
TITLE_BONUS = 0.5
#: How many of the search index's best hits are checked against the graph.
CANDIDATES = 20


@dataclass
class Found:
    task: Task
    score: float  # the search index's score (the graph's bigram score without an index)
    coverage: float
    units: list[str]  # the topic bigrams the task holds


@lru_cache(maxsize=1)
def synonyms() -> dict[str, frozenset[str]]:
    """Each term of ``extraction/search-synonyms.yaml`` (folded) and the other terms of its groups."""
    out: dict[str, frozenset[str]] = {}
    for group in (load_yaml("search-synonyms.yaml") or {}).get("synonyms") or []:
        terms = {fold(str(t)) for t in group.get("terms") or () if str(t).strip()}
        for t in terms:
            out[t] = out.get(t, frozenset()) | (terms - {t})
    return out


def said_otherwise(u: Understanding) -> list[tuple[str, frozenset[str]]]:
    """The synonym terms the question writes (排到河里, 浇地), longest first, none inside another, with their others."""
    hits = sorted(((t, o) for t, o in synonyms().items() if len(t) > 1 and t in u.text), key=lambda h: -len(h[0]))
    return [(t, o) for k, (t, o) in enumerate(hits) if not any(t in longer for longer, _o in hits[:k])]


def topic_units(u: Understanding) -> list[str]:
    """Bigrams inside each topic word (a two-character word is its own unit; single characters carry no topic)."""
    out: list[str] = []
    for w in u.topic:
        for g in grams(w):
            if len(g) >= 2 and g not in out:
                out.append(g)
    return out


class Locator:
    """Finds tasks by what a question says, through the search index of ``folder`` when it has one."""

    def __init__(self, lex: Lexicon, folder: Path | None):
        self.lex = lex
        self.folder = folder
        self._has_index = folder is not None and (folder / "search" / "index").is_dir()
        self._memo: dict[tuple, list[Found]] = {}  # one question looks a topic up more than once

    def find(self, u: Understanding, plan: str | None = None, min_coverage: float = MIN_COVERAGE) -> list[Found]:
        """Tasks the question is about, best first; only those whose text covers at least ``min_coverage`` of its
        topic."""
        units = topic_units(u)
        if not units:
            return []
        key = (tuple(u.topic), plan, min_coverage)
        if key in self._memo:
            return list(self._memo[key])
        if len(self._memo) > 512:
            self._memo.clear()
        self._memo[key] = found = self._find(u, plan, min_coverage, units)
        return list(found)

    def _find(self, u: Understanding, plan: str | None, min_coverage: float, units: list[str]) -> list[Found]:
        weights = {g: self.lex.idf.get(g, self.lex.max_idf * UNSEEN_WEIGHT) for g in units}
        total = sum(weights.values())
        found: list[Found] = []
        candidates, ranked = self._candidates(u, plan, weights)
        other = said_otherwise(u)
        for task, score in candidates:
            title, text = self.lex.folded_of(task)
            got = [g for g in units if g in text or g in title]
            for term, others in other:  # 浇地 where the task writes 农田灌溉: the term's units are written
                if any(o in text or o in title for o in others):
                    got += [g for g in units if g in term and g not in got]
            cov = sum(weights[g] for g in got) / total
            if got and cov >= min_coverage:
                found.append(Found(task, score, cov, got))
        if not ranked:
            found.sort(key=lambda f: (-f.coverage, -f.score, f.task.plan, f.task.number))
        return found

    def _candidates(self, u: Understanding, plan: str | None,
                    weights: dict[str, float]) -> tuple[list[tuple[Task, float]], bool]:
        """(task, score) candidates, and whether the search index ranked them."""
        if self._has_index:
            hits = self._search(u.topic, plan)
            if hits:  # an index that finds nothing (a heading's words, 秋冬季攻坚) leaves it to the graph
                return [(self.lex.task_by_iri[i], s) for i, s in hits if i in self.lex.task_by_iri], True
        out = []
        for task in self.lex.tasks:
            if plan and task.plan != plan:
                continue
            title, text = self.lex.folded_of(task)
            out.append((task, sum(w * (1 + (TITLE_BONUS if g in title else 0))
                                  for g, w in weights.items() if g in text or g in title)))
        return out, False

    def _search(self, words: list[str], plan: str | None) -> list[tuple[str, float]] | None:
        """(task IRI, score) of the index's best hits, best first; None when the index cannot be read."""
        from plan_kb.answers.search.query import SearchQueryError, search
        from plan_kb.errors import PlanKBError

        filters: dict[str, Any] = {"kind": "task"}
        if plan:
            filters["plan"] = plan
        try:
            result = search(self.folder, words=words, filters=filters, size=CANDIDATES)
        except SearchQueryError:  # only words the index ignores (question words): nothing to look for
            return []
        except PlanKBError:  # an index that does not know the plan, or none at all: judge by the graph alone
            return None
        return [(h.iri, h.score) for h in result.hits]
