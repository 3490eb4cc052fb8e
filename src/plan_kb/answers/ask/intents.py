"""What a question asks for: one of the contract's intents, decided from the question's patterns (data in
``extraction/ask.yaml``) and from what the question names (an agency, a place, a date, a task)."""

from __future__ import annotations

import re
from functools import lru_cache

from plan_kb.answers.ask.text import config
from plan_kb.answers.ask.understand import Understanding

INTENTS = ("lead", "support", "agency_tasks", "due_by", "threshold", "region", "goal", "text", "unknown")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    return {name: [re.compile(p) for p in spec["patterns"]] for name, spec in config()["intents"].items()}


def matches(intent: str, text: str) -> bool:
    return any(p.search(text) for p in _patterns().get(intent, ()))


def candidates(u: Understanding, last: str | None = None) -> list[str]:
    """The intents the question's words fit, most specific first (the answerer takes the first it can answer).
    ``last`` is the intent of the conversation's last question: after "住建厅牵头哪些?", "那配合的呢?" asks for the
    agency's tasks again, in another role."""
    q = u.text
    out: list[str] = []
    if last == "agency_tasks" and u.followup and u.roles and not u.refs and not u.agencies:
        out.append("agency_tasks")
    if matches("support", q):
        out.append("support")
    if matches("lead", q) and "support" not in out:
        out.append("lead")
    who_first = bool(out)
    if (u.agencies or u.unlinked.get("agency") or u.followup) and matches("agency_tasks", q):
        out.insert(0, "agency_tasks") if u.agencies and not who_first else out.append("agency_tasks")
    if matches("goal", q) and "目标" in q:
        out.append("goal")
    if matches("threshold", q):
        out.append("threshold")
    if matches("goal", q) and "goal" not in out:
        out.append("goal")
    if u.dates and matches("due_by", q):
        out.append("due_by")
    if (u.places or u.unlinked.get("place")) and matches("region", q):
        out.append("region")
    if matches("text", q) or u.refs:
        out.append("text")
    return list(dict.fromkeys(out))
