"""Follow-ups: a question of a conversation keeps the last question's constraints that it does not restate and
replaces those it does (土壤呢: the plan replaced, the place kept; 那氮氧化物呢: the indicator replaced;
换成土壤计划,晋城有没有: the same list of another plan). A question naming nothing asks about what the conversation
established (一共几项, 啥时候到期), and so does one whose words the last task all holds (全部整治完最晚是哪天) or that
says the asker's own city in a conversation about a city (我们市那个试点)."""

from __future__ import annotations

import re
from datetime import date

from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.lexicon import Lexicon, grams
from plan_kb.answers.ask.text import DateAsk, config
from plan_kb.answers.ask.understand import Mention, Understanding


def merge(u: Understanding, prev: State, lex: Lexicon | None = None) -> Understanding:
    """A follow-up keeps the last question's constraints that it does not restate (土壤呢: the plan is replaced,
    the place kept; 那氮氧化物呢: the indicator replaced, what it is measured on kept)."""
    if prev.intent is None:
        return u
    if not (u.followup or u.bare) and not (u.mentions or u.dates or u.refs or u.topic or u.excluded) \
            and set(u.asks) & {"count", "compare", "when", "tasks", "yes_no"}:
        u.followup = True  # 一共几项 / 啥时候到期, naming nothing: about what the conversation established
    if not (u.followup or u.bare) and _about_last(u, prev, lex):
        u.followup = True  # 全部整治完最晚是哪天 after 黑臭水体排查整治谁牵头: the last task says all it says
    own = [w for w in u.own if w[-1:] in _PLACE_ENDS] if prev.places and not u.places else []
    if own:
        u.followup = True  # 我们市那个试点 in a conversation about 太原: the city of the conversation
    if not (u.followup or u.bare):
        return u
    kept = Mention  # spans (-1, -1) mark what the conversation gave
    if own:
        u.own = [w for w in u.own if w not in own]
        u.mentions += [kept(p, "place", own[0], (-1, -1)) for p in prev.places]
    if u.pointer and prev.tasks and not (u.mentions or u.refs or u.dates):
        # 这项有几个时间节点 / 这条谁来配合: about the last answer's task(s), none of the last question's constraints
        u.asks = u.asks or list(prev.asks)
        return u
    if not u.agencies:
        agencies = prev.agencies or ([prev.agency] if prev.agency and _pronoun(u) else [])
        u.mentions += [kept(a, "agency", "(上文)", (-1, -1)) for a in agencies]
    if not u.of("plan") and prev.plans:
        u.plan = prev.plans[0]
    if not u.places:
        u.mentions += [kept(p, "place", "(上文)", (-1, -1)) for p in prev.places]
    if not u.indicators:
        u.mentions += [kept(i, "indicator", "(上文)", (-1, -1)) for i in prev.indicators]
    if not u.dates and prev.date:
        d = prev.date
        u.dates = [DateAsk(d["mode"], date.fromisoformat(d["start"]), date.fromisoformat(d["end"]), "(上文)",
                           (-1, -1))]
    if not u.roles and not u.not_roles and prev.roles and not _asks_who(u) \
            and not (prev.intent in ("lead", "support") and _own_asks(u) and not set(u.asks) & _LISTS):
        # 那它不是牵头的呢: a role of its own; the role a who-question asked for is no constraint of 什么时候完成
        u.roles = list(prev.roles)
    named = [m.surface for m in u.mentions if m.kind in ("indicator", "place", "plan")]
    own = [w for w in u.topic if not any(w in s or s in w for s in named)]
    if not own and not u.refs and not (set(u.asks) & {"tasks", "count", "compare"}):
        u.topic = list(prev.topic) + [w for w in u.topic if w not in prev.topic]
    if u.asks == ["yes_no"] and _bare_exists(u) and prev.intent not in ("yes_no", None) \
            and set(prev.asks) & _LISTS:
        u.asks = list(prev.asks)  # 换成土壤计划,晋城有没有 after 晋城的地下水任务: the same list, another plan
    if not _own_asks(u) and "任务" in u.text and not set(prev.asks) & {"count", "compare"}:
        u.asks = u.asks or ["tasks"]  # 运城的水环境任务 after a goal: its tasks (after a count: 土壤任务呢, a count)
    elif not _own_asks(u):
        u.asks = list(prev.asks) + [a for a in u.asks if a not in prev.asks]
        if u.refs and set(prev.asks) <= {"tasks", "count", "compare", "which"}:
            u.asks = ["which"]  # 那第13项呢 after a list: that task
    return u


_LISTS = {"tasks", "count", "compare"}
#: Endings of the asker's own words that name a place (我们市, 俺们县), not a body (我们厅).
_PLACE_ENDS = ("市", "县", "区", "乡", "镇", "村")


def _about_last(u: Understanding, prev: State, lex: Lexicon | None) -> bool:
    """Whether a question naming nothing asks a fact of the conversation's last task (when, who, how much) in words
    that task's title and text all hold."""
    if lex is None or not prev.tasks or u.mentions or u.refs or u.dates or u.excluded or set(u.asks) & _LISTS:
        return False
    last = lex.task_by_iri.get(prev.tasks[0])
    units = [g for w in u.topic for g in grams(w) if len(g) >= 2]
    if last is None or not units:
        return False
    title, text = lex.folded_of(last)
    return all(g in text or g in title for g in units)


def _bare_exists(u: Understanding) -> bool:
    """Whether the question's yes or no is only whether there are any (…,晋城有没有?), its topic no words of its own."""
    return re.search(config().get("bare_exists") or "$^", u.text) is not None and not u.rest


def _pronoun(u: Understanding) -> bool:
    return any(p in u.text for p in config()["followup"]["pronouns"])


def _asks_who(u: Understanding) -> bool:
    return any(a.startswith("who") for a in u.asks)


def _own_asks(u: Understanding) -> bool:
    """Whether the question says what it asks for itself (not only 呢)."""
    return any(a not in ("tasks", "which") for a in u.asks) or bool(u.asks and not u.bare)
