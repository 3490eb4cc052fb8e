"""Whether a question is about the plans at all. A question may name an agency, a place or a year the plans use and
still ask for something no action plan sets: an office's address or phone, its heads, holidays, the weather, pay
(省生态环境厅的办公地址在哪里, 2023年春节放几天假, 太原明天天气怎么样). Such a question gets ``unknown``; a question
that asks for tasks, roles, deadlines, values or goals never does.

Two signs, both data in ``extraction/ask.yaml``: a word of ``off_genre`` (what the plans never set) that the tasks do
not write as the question does (重污染天气 is a word of the air plan, 明天天气 is not); or a question whose only
constraints are names and dates, with no word of ``genre_words`` (任务, 牵头, 完成…), asking for nothing the plans
answer, whose other words are mostly written in no task. A count, comparison or time asked of places alone is judged
by its words too (朔州…要穿几件衣服, 太原到晋中坐大巴要多长时间; 长治有几项任务 has 项, a word of the genre).
"""

from __future__ import annotations

import re

from plan_kb.answers.ask.lexicon import Lexicon, grams
from plan_kb.answers.ask.text import CJK, config, fold
from plan_kb.answers.ask.understand import Understanding

#: What a question may ask for and still be judged by its words alone (the others ask for what the plans answer).
_LOOSE_ASKS = {"value", "which", "where", "yes_no", "goal"}
#: What a question whose only constraint is a place may ask for and still be judged by its words (穿几件衣服,
#: 坐大巴要多长时间, 哪个地方的苹果多): a count, a comparison or a time of what no task writes is off the genre.
_PLACE_ASKS = {"count", "compare", "when"}
_CJK = re.compile(f"[{CJK}]")


def off_genre(u: Understanding, lex: Lexicon) -> bool:
    """True when the question asks for something no action plan sets."""
    if u.refs or u.followup:
        return False
    cfg = config()
    for w in (fold(x) for x in cfg.get("off_genre") or ()):
        start = u.text.find(w)
        while start >= 0:
            end = start + len(w)
            in_date = any(a <= start and end <= b for a, b in (d.span for d in u.dates))
            if not u.covered(start, end) and not in_date and not _written_around(u.text, start, end, lex):
                return True
            start = u.text.find(w, end)
    if u.of("plan") or not (u.places or u.agencies or u.dates):
        return False
    strict = set(u.asks) - _LOOSE_ASKS
    if strict and not (strict <= _PLACE_ASKS and u.places and not (u.agencies or u.dates)):
        return False  # asking for tasks, a count, a comparison, a deadline or who is the genre (大同要注意啥)
    # a place is no topic by itself (山西刀削面怎么做); an agency or a year with the genre's words is (住建厅今年干啥),
    # and so is a count, comparison or time of a place (长治有几项任务; not 朔州…要穿几件衣服, 太原到晋中要多长时间)
    if (u.agencies or u.dates or strict) and any(fold(w) in u.text for w in cfg.get("genre_words") or ()):
        return False
    asking = cfg.get("slip_keep") or ""  # a pair with a question's particle (几位, 怎么) says nothing
    units = [g for r in u.runs for g in grams(r) if len(g) > 1 and not any(c in asking for c in g)]
    if not units:
        return False
    known = sum(1 for g in units if g in lex.idf)
    return known < len(units) / 2


def _written_around(q: str, s: int, e: int, lex: Lexicon) -> bool:
    """Whether a task writes the word at ``s:e`` of the question with the character before or after it (重污染天气:
    染天气 is written; 明天天气: neither 天天气 nor 天气怎 is)."""
    spans = []
    if s > 0 and _CJK.match(q[s - 1]):
        spans.append(q[s - 1:e])
    if e < len(q) and _CJK.match(q[e]):
        spans.append(q[s:e + 1])
    return any(lex.says(x) for x in spans)
