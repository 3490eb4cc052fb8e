"""Questions about a heading rather than one task (秋冬季攻坚那块谁牵头, 夏季臭氧攻坚有哪些任务): the question's
topic is found only in the title of the heading several tasks stand under, so the answer covers every task under it."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.lexicon import Task
from plan_kb.answers.ask.locate import topic_units
from plan_kb.answers.ask.reply import Reply
from plan_kb.answers.ask.shapes import Used, mark
from plan_kb.answers.ask.text import config, fold
from plan_kb.answers.ask.understand import Understanding

if TYPE_CHECKING:
    from plan_kb.answers.ask.answer import Answerer

#: the tasks' titles, texts and headings folded once, not at every question (they are read for every task of the base)
_folded = lru_cache(maxsize=1 << 16)(fold)


def heading_tasks(a: Answerer, u: Understanding) -> tuple[str, list[Task]] | None:
    """The heading the question is about and the tasks under it: the tasks its topic finds best are two or more,
    all under one heading, and every topic pair they hold is in that heading's title."""
    if u.refs:
        return None
    plan = a.plans_of(u)[0] if a.plans_of(u) else None
    by_title = _by_title(a, u, plan)
    if by_title is not None:
        return by_title
    found = a.locator.find(u, plan)
    if len(found) < 2 or found[1].coverage < found[0].coverage - 1e-9:
        return None
    heads = {f.task.headings for f in found if f.coverage >= found[0].coverage - 1e-9}
    if len(heads) != 1:
        return None
    title = next(iter(heads)).split("\n")[0]
    if not title or not all(g in fold(title) for g in found[0].units):
        return None
    under = [t for t in a.lex.tasks if t.plan == found[0].task.plan and t.headings == found[0].task.headings]
    return title, sorted(under, key=lambda t: t.number)


def _by_title(a: Answerer, u: Understanding, plan: str | None) -> tuple[str, list[Task]] | None:
    """The one heading whose title holds the question's topic (夏季臭氧攻坚: 持续开展夏季臭氧污染治理攻坚行动) better
    than any task's own title and text does."""
    units = topic_units(u)
    if not units:
        return None
    w = {g: a.lex.idf.get(g, a.lex.max_idf) for g in units}
    total = sum(w.values())

    def cover(text: str) -> float:
        return sum(x for g, x in w.items() if g in text) / total

    heads: dict[str, list[Task]] = {}
    for t in a.lex.tasks:
        if t.headings and (plan is None or t.plan == plan):
            heads.setdefault(t.plan + "\n" + t.headings, []).append(t)
    scored = sorted(((cover(_folded(k.split("\n")[1])), k) for k in heads), reverse=True)
    if not scored or scored[0][0] < 0.8 or (len(scored) > 1 and scored[1][0] >= scored[0][0] - 1e-9):
        return None
    best = max(cover(_folded(t.title) + _folded(t.text)) for t in a.lex.tasks if plan is None or t.plan == plan)
    # a word that names a part of a plan (那部分, 板块) lets the heading win a tie with a task's own words
    part = any(fold(x) in u.text for x in config().get("heading_words") or ())
    if best > scored[0][0] + 1e-9 or (best >= scored[0][0] - 1e-9 and not part):
        return None
    key = scored[0][1]
    return key.split("\n")[1], sorted(heads[key], key=lambda t: t.number)


def who_heading_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used],
                      charge: bool = False) -> Reply | None:
    """谁牵头 about a heading: who leads (or answers for) each task under it; ``charge`` (谁负责): the standing
    note's collective too."""
    if u.roles == ["support"]:
        return None
    head = heading_tasks(a, u)
    if head is None:
        return None
    title, under = head
    lines, agencies, sparqls = [], {}, []
    for t in under:
        by, sparql = a.roles_of(t)
        sparqls.append(sparql)
        own = [x for x in by.get("responsible", []) if not x["inherited"]]
        who = by.get("lead") or [x for x in own if not x["collective"]] or own
        role = "牵头" if by.get("lead") else "负责"
        if charge:
            who = who + [x for x in by.get("responsible", []) if (x["inherited"] or x["collective"]) and x not in who]
        for x in who:
            agencies.setdefault(x["iri"], x["label"])
        names = "、".join(x["label"] for x in who)
        lines.append(f"· {a.plan_short_name(t.plan)}第{t.number}项 {t.title}({names}{role})")
    for kind in ("topic", "plan", "role"):
        mark(used, kind)
    text = f"“{title}”下共{len(under)}项任务,各项的牵头或负责单位:\n" + "\n".join(lines)
    return a.reply("lead", text, u, prev, tasks=under, evidence=[], sparql=sparqls[0] if sparqls else "",
                   agencies=[{"iri": i, "label": lab} for i, lab in agencies.items()])


def heading_list_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    """有哪些任务 about a heading (柴油货车攻坚战都有哪些任务): every task under it."""
    if u.agencies or u.places or u.dates:
        return None
    head = heading_tasks(a, u)
    if head is None:
        return None
    title, under = head
    for kind in ("topic", "plan"):
        mark(used, kind)
    text = f"“{title}”下共{len(under)}项任务:\n" + "\n".join(
        f"· {a.plan_short_name(t.plan)}第{t.number}项 {t.title}" for t in under)
    return a.reply("text", text, u, prev, tasks=under, evidence=[fold(title)], sparql=a.tasks_sparql())
