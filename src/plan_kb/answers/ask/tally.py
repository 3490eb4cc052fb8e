"""Answers of how many: a count of the tasks the constraints compose (林草局总共参与了几项), and a comparison of
those counts over the one kind of constraint the question names two or more of — plans (大气和土壤哪个计划任务多),
agencies (生态环境厅和住建厅在碧水里谁牵头的多) or places (太原和大同哪个任务多) — the other constraints held."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from plan_kb.answers.ask import headings
from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.reply import Reply
from plan_kb.answers.ask.shapes import ALL_ROLES, Used, line, mark, other_roles, roles_asked, subject, task_set
from plan_kb.answers.ask.text import config, fold
from plan_kb.answers.ask.understand import Understanding

if TYPE_CHECKING:
    from plan_kb.answers.ask.answer import Answerer


def _agencies(a: Answerer, u: Understanding) -> list[dict[str, str]]:
    return [{"iri": i, "label": a.lex.label(i)} for i in u.agencies]


def count_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    ts = task_set(a, u)
    for k in ("agency", "plan", "place", "date", "role"):
        mark(used, k)
    tasks, where = ts.tasks, ""
    head = None if (u.agencies or u.places or u.dates) else headings.heading_tasks(a, u, prev)
    if head is not None:  # 攻坚行动部分一共几条: the tasks under the heading the question names
        keep = {t.iri for t in head[1]}
        tasks, where = [t for t in tasks if t.iri in keep], f"“{head[0]}”下"
        mark(used, "topic")
    else:  # 住建厅牵头的黑臭水体任务有几个: the tasks its topic finds, when it has one the tasks use
        about = a.topic_tasks(u)
        hit = [t for t in tasks if about is not None and t.iri in about]
        if hit:
            tasks = hit
            mark(used, "topic")
    ts = dataclasses.replace(ts, tasks=tasks)
    n = len(ts.tasks)
    text = f"{where}{subject(a, u)}共{n}项。"
    if not n and u.agencies and roles_asked(u) != ALL_ROLES:
        text += other_roles(a, u)
    if ts.tasks and n <= 30:
        text += "\n" + "\n".join(line(a, t, ts.rows[t.iri], today) for t in ts.tasks)
    r = a.reply("count", text, u, prev, tasks=ts.tasks, evidence=[], sparql=ts.sparql, agencies=_agencies(a, u))
    return headings.about(r, head[0]) if head is not None else r


def compare_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    """The task counts of each plan, agency or place the question names (two or more of one kind), the rest of its
    constraints the same for each."""
    plans = a.plans_of(u)
    groups: list[tuple[str, Understanding, list[str] | None]] = []  # (name, constraints, plans)
    if len(plans) >= 2:
        groups = [(a.plan_short_name(p), u, [p]) for p in plans]
        held = dataclasses.replace(u, mentions=[m for m in u.mentions if m.kind != "plan"], plan=None)
    else:
        for kind in ("agency", "place"):
            named = list(dict.fromkeys(m.iri for m in u.of(kind)))
            if len(named) >= 2:
                groups = [(a.lex.label(i), dataclasses.replace(
                    u, mentions=[m for m in u.mentions if m.kind != kind or m.iri == i]), None) for i in named]
                held = dataclasses.replace(u, mentions=[m for m in u.mentions if m.kind != kind])
                break
    if not groups and not plans and any(fold(w) in u.text for w in config().get("all_plans_words") or ()):
        # 四个计划哪个任务最多: every plan of the knowledge base (吕梁和晋中比,这四个计划里哪个市多: the places are
        # compared, the plans together are their scope)
        groups = [(a.plan_short_name(p), u, [p]) for p in sorted(a.lex.plans)]
        held = dataclasses.replace(u, mentions=[m for m in u.mentions if m.kind != "plan"], plan=None)
    if len(groups) < 2:
        return None
    counts, tasks, sparql = [], [], ""
    for name, g, ps in groups:
        ts = task_set(a, g, plans=ps)
        counts.append((name, len(ts.tasks)))
        tasks += [t for t in ts.tasks if t not in tasks]
        sparql = sparql or ts.sparql
    for k in ("plan", "agency", "place", "date", "role"):
        mark(used, k)
    ranked = sorted(counts, key=lambda c: -c[1])
    (top, n_top), (low, n_low) = ranked[0], ranked[-1]
    if n_top == n_low:
        verdict = "一样多"
    elif len(counts) > 2:
        verdict = f"{top}最多"
    else:
        verdict = f"{top}多,比{low}多{n_top - n_low}项"
    parts = "、".join(f"{name}{n}项" for name, n in counts)
    what = subject(a, held)
    return a.reply("compare", f"{verdict}:{parts}({what})。", u, prev, tasks=tasks, evidence=[], sparql=sparql,
                   agencies=_agencies(a, u))
