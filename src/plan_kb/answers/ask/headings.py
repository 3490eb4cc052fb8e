"""Questions about a heading rather than one task (秋冬季攻坚那块谁牵头, 夏季臭氧攻坚有哪些任务): the question's
topic is found only in the title of the heading several tasks stand under, so the answer covers every task under it."""

from __future__ import annotations

import bisect
import itertools
from datetime import date
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



class _Texts:
    """Folded texts joined into one string, so that which of them hold a word is found by one search of the string
    (in C), not a test of each text in Python: the headings' and tasks' texts of the whole base are read at every
    question about a part of a plan."""

    def __init__(self, texts: list[str]):
        self.joined = "\0".join(texts)
        self.starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))

    def covers(self, weights: dict[str, float], total: float) -> dict[int, float]:
        """Text index → the share of ``weights`` (word → weight, of ``total``) its words found in it carry; only
        texts holding one of them."""
        got: dict[int, float] = {}
        for g, x in weights.items():
            seen: set[int] = set()
            at = self.joined.find(g) if g and "\0" not in g else -1
            while at >= 0:
                i = bisect.bisect_right(self.starts, at) - 1
                seen.add(i)
                at = self.joined.find(g, self.starts[i + 1] if i + 1 < len(self.starts) else len(self.joined))
            for i in seen:
                got[i] = got.get(i, 0.0) + x
        return {i: v / total for i, v in got.items()}


def _scope(a: Answerer, plan: str | None) -> tuple[dict[str, list[Task]], _Texts, _Texts]:
    """The headings (plan + heading → its tasks) of one plan or of all, their folded titles, and the folded title and
    text of every task in scope: worked out once per lexicon (a build)."""
    kept = a.lex.__dict__.setdefault("_heading_scopes", {})
    if plan not in kept:
        heads: dict[str, list[Task]] = {}
        for t in a.lex.tasks:
            if t.headings and (plan is None or t.plan == plan):
                lines = t.headings.split("\n")
                for j in range(len(lines)):  # its heading and every heading above it (四、攻坚行动 over (一)…)
                    heads.setdefault(t.plan + "\n" + "\n".join(lines[j:]), []).append(t)
        kept[plan] = (heads, _Texts([fold(k.split("\n")[1]) for k in heads]),
                      _Texts([fold(t.title) + fold(t.text) for t in a.lex.tasks if plan is None or t.plan == plan]))
    return kept[plan]


def heading_tasks(a: Answerer, u: Understanding, prev: State | None = None) -> tuple[str, list[Task]] | None:
    """The heading the question is about and the tasks under it: the tasks its topic finds best are two or more,
    all under one heading, and every topic pair they hold is in that heading's title."""
    if u.refs:
        return None
    plan = a.plans_of(u)[0] if a.plans_of(u) else None
    # a follow-up after an answer about a part of a plan (那个散煤清零的呢 after 攻坚战有几项) is about a part too
    by_title = _by_title(a, u, plan, part=bool(u.followup and prev is not None and prev.heading))
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


def _by_title(a: Answerer, u: Understanding, plan: str | None,
              part: bool = False) -> tuple[str, list[Task]] | None:
    """The one heading whose title holds the question's topic (夏季臭氧攻坚: 持续开展夏季臭氧污染治理攻坚行动) better
    than any task's own title and text does."""
    units = topic_units(u)
    if not units:
        return None
    w = {g: a.lex.idf.get(g, a.lex.max_idf) for g in units}
    total = sum(w.values())

    heads, head_texts, task_texts = _scope(a, plan)
    if not heads:
        return None
    by_head = head_texts.covers(w, total)
    scored = sorted(((by_head.get(i, 0.0), -len(k.split("\n")[1]), k) for i, k in enumerate(heads)), reverse=True)
    # of headings that hold the topic alike, the one whose title is shortest: 攻坚行动 over 夏季臭氧污染治理攻坚行动
    if not scored or scored[0][0] < 0.8 or (len(scored) > 1 and scored[1][:2] >= scored[0][:2]):
        return None
    scored = [(x, k) for x, _n, k in scored]
    best = max(task_texts.covers(w, total).values(), default=0.0)
    # a word that names a part of a plan (那部分, 板块) lets the heading win a tie with a task's own words
    part = part or any(fold(x) in u.text for x in config().get("heading_words") or ())
    key = scored[0][1]
    if best > scored[0][0] + 1e-9 or (best >= scored[0][0] - 1e-9 and not part
                                      and not _kind_of(a, units, heads[key], plan)):
        return None
    return key.split("\n")[1], sorted(heads[key], key=lambda t: t.number)


def _kind_of(a: Answerer, units: list[str], under: list[Task], plan: str | None) -> bool:
    """Whether the heading names a kind of task: the tasks whose own titles say the topic (开展…专项行动) are two or
    more and all stand under it (四、专项行动), so 几个专项行动 counts them, not a task that names one in passing."""
    titled = [t for t in a.lex.tasks if (plan is None or t.plan == plan) and all(g in fold(t.title) for g in units)]
    return len(titled) >= 2 and all(t in under for t in titled)


def who_heading_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used],
                      charge: bool = False) -> Reply | None:
    """谁牵头 about a heading: who leads (or answers for) each task under it; ``charge`` (谁负责): the standing
    note's collective too."""
    if u.roles == ["support"]:
        return None
    head = heading_tasks(a, u, prev)
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
    return about(a.reply("lead", text, u, prev, tasks=under, evidence=[], sparql=sparqls[0] if sparqls else "",
                         agencies=[{"iri": i, "label": lab} for i, lab in agencies.items()]), title)


def heading_list_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    """有哪些任务 about a heading (柴油货车攻坚战都有哪些任务): every task under it."""
    if u.agencies or u.places or u.dates:
        return None
    head = heading_tasks(a, u, prev)
    if head is None:
        return None
    title, under = head
    for kind in ("topic", "plan"):
        mark(used, kind)
    text = f"“{title}”下共{len(under)}项任务:\n" + "\n".join(
        f"· {a.plan_short_name(t.plan)}第{t.number}项 {t.title}" for t in under)
    return about(a.reply("text", text, u, prev, tasks=under, evidence=[fold(title)], sparql=a.tasks_sparql()), title)


def about(reply: Reply, title: str) -> Reply:
    """The reply, its conversation state marked as being about the part of a plan titled ``title``."""
    if reply.state is not None:
        reply.state.heading = title
    return reply
