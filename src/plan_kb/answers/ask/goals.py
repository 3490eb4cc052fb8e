"""The goals a plan sets for a place (空气质量计划对太原、临汾的全国排名有什么要求, 计划给临汾定了个啥目标): the goals
of the plans asked (all, when none is named) whose text names the place, each with the goal it is a part of: the
goal before a run that opens with 其中 and goes on place by place (11个设区市…排名前移,其中太原市、临汾市要退出后10位,
阳泉市、运城市要退出后20位)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.lexicon import grams
from plan_kb.answers.ask.reply import Reply
from plan_kb.answers.ask.shapes import Used, mark
from plan_kb.answers.ask.text import fold
from plan_kb.answers.ask.understand import Understanding

if TYPE_CHECKING:
    from plan_kb.answers.ask.answer import Answerer

#: Words a goal begins with when it narrows the goal before it (其中太原市…).
_PART_OF = ("其中", "特别是", "尤其是")


def place_goals_reply(a: Answerer, u: Understanding, prev: State, used: list[Used],
                      asked: bool = True) -> Reply | None:
    """The goals naming one of the question's places (by any of its labels), per plan; None when none does. A
    question that does not say 目标 (``asked`` false: 对太原的全国排名有什么要求) gets them only when the goals say what
    its other words say."""
    if not u.places or u.indicators or u.agencies or u.refs:
        return None
    names = sorted({fold(x) for p in u.places for x in a.labels_of(p) if len(x) > 1}, key=len, reverse=True)
    lines, values, sparql, plans = [], [], "", []
    for key in a.plans_of(u) or sorted(a.lex.plans):
        rows, sparql = a.run("plan-goals", plan=key)
        texts = [fold(r["text"] or "") for r in rows]
        for i, r in enumerate(rows):
            if not r["text"] or not any(n in texts[i] for n in names):
                continue
            said = r["text"]
            head = _head(a, texts, i)
            if head is not None and rows[head]["text"]:
                said = rows[head]["text"] + "," + said
            lines.append(f"· {a.plan_short_name(key)}:{said}")
            plans.append(key)
            if r["value"] is not None:
                values.append({"value": a.number(r["value"]), "unit": r["unit"], "comparator": r["comparator"],
                               "indicator": r["indicator"]})
    if not lines or (not asked and not _says(a, u, "".join(lines))):
        return None
    for kind in ("place", "plan", "topic"):
        mark(used, kind)
    where = "、".join(a.lex.label(p) for p in u.places)
    text = f"计划为{where}定的目标共{len(lines)}条:\n" + "\n".join(dict.fromkeys(lines))
    reply = a.reply("goal", text, u, prev, tasks=[], evidence=[], sparql=sparql)
    reply.values = values
    return reply


def _says(a: Answerer, u: Understanding, text: str) -> bool:
    """Whether ``text`` holds most of the question's words other than its places (排名 in …排名前移)."""
    units = [g for w in u.rest for g in grams(w) if len(g) > 1]
    return bool(units) and sum(1 for g in units if g in fold(text)) >= len(units) / 2


def sets_for(a: Answerer, u: Understanding) -> bool:
    """Whether the question asks for a goal (目标) and a goal of the plans names its place."""
    return "goal" in u.asks and place_goals_reply(a, u, State(), []) is not None


def _head(a: Answerer, texts: list[str], i: int) -> int | None:
    """The goal that goal ``i`` is a part of: going back over goals that begin with a place's name, the one before the
    goal that begins with 其中; None when goal ``i`` stands on its own."""
    j = i
    while j > 0:
        if texts[j].startswith(_PART_OF):
            return j - 1
        if not _opens_with_place(a, texts[j]):
            return None
        j -= 1
    return None


def _opens_with_place(a: Answerer, text: str) -> bool:
    return any(a.lex.entities[iri].kind == "place" for n in range(2, 8) for iri in a.lex.names.get(text[:n], ()))
