"""Finding the task a question is about by what it says ("湖库消落带生态屏障那项"): the question's topic words are
scored against every task's title and text (character bigrams inside each word, weighted by how rare they are among
the tasks), and a task is taken only when it covers most of what the question says — otherwise nothing is found and
the question is not answered by a guess."""

from __future__ import annotations

from dataclasses import dataclass

from plan_kb.ask.lexicon import Lexicon, Task, grams
from plan_kb.ask.understand import Understanding

#: Share of the question's topic (by weight) a task must cover to be taken as the one meant.
MIN_COVERAGE = 0.55
#: Weight of a topic bigram the tasks never use (it says the question is about something else).
UNSEEN_WEIGHT = 0.6
#: Extra weight of a bigram found in the task's title.
TITLE_BONUS = 0.5


@dataclass
class Found:
    task: Task
    score: float
    coverage: float
    units: list[str]  # the topic bigrams the task holds


def topic_units(u: Understanding) -> list[str]:
    """Bigrams inside each topic word (a two-character word is its own unit; single characters carry no topic)."""
    out: list[str] = []
    for w in u.topic:
        for g in grams(w):
            if len(g) >= 2 and g not in out:
                out.append(g)
    return out


def find_tasks(lex: Lexicon, u: Understanding, plan: str | None = None, extra: list[str] | None = None) -> list[Found]:
    """Tasks ranked by how much of the question's topic they hold, best first; only those above MIN_COVERAGE."""
    units = topic_units(u) + [g for g in (extra or []) if g not in topic_units(u)]
    if not units:
        return []
    idf, max_idf = lex.idf, lex.max_idf
    weights = {g: idf.get(g, max_idf * UNSEEN_WEIGHT) for g in units}
    total = sum(weights.values())
    found: list[Found] = []
    for task, (title, text) in zip(lex.tasks, lex.folded, strict=True):
        if plan and task.plan != plan:
            continue
        got, score = [], 0.0
        for g in units:
            if g in text or g in title:
                got.append(g)
                score += weights[g] * (1 + (TITLE_BONUS if g in title else 0))
        if not got:
            continue
        cov = sum(weights[g] for g in got) / total
        if cov >= MIN_COVERAGE:
            found.append(Found(task, score, cov, got))
    found.sort(key=lambda f: (-f.coverage, -f.score, f.task.plan, f.task.number))
    return found
