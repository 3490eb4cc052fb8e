"""Answers of how much: the thresholds of tasks and the goals of plans a question is about, scored by its indicator
(any label of its SKOS concept), its topic words, its year and its place; the value said with its unit in Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.lexicon import grams
from plan_kb.answers.ask.locate import topic_units
from plan_kb.answers.ask.reply import Reply
from plan_kb.answers.ask.text import config, fold, sentences
from plan_kb.answers.ask.understand import Understanding

if TYPE_CHECKING:
    from plan_kb.answers.ask.answer import Answerer

UNIT_ZH = {"PERCENT": "%", "MilliGM-PER-M3": "毫克/立方米", "MicroGM-PER-M3": "微克/立方米",
           "MilliGM-PER-L": "毫克/升",
           "M": "米", "KiloM": "公里", "M3": "立方米", "TONNE": "吨", "M2": "平方米", "TONNE-PER-DAY": "吨/日",
           "KiloW": "千瓦", "TONNE-PER-HR": "蒸吨/小时", "TONNE-PER-YR": "吨/年",
           "TONNE-PER-MO-KiloM2": "吨/月·平方公里", "NUM": "个"}
CMP_ZH = {"<=": "不高于", "<": "低于", ">=": "不低于", ">": "高于", "=": "", "range": ""}


def values_reply(a: Answerer, u: Understanding, prev: State, goal: bool) -> Reply | None:
    """How much: the thresholds and goals the question is about (its indicator, topic, year and place)."""
    plan = u.plan
    rows, sparql = a.run("ask-values", plan=plan)
    if not rows:
        return None
    # an indicator the question names counts once, by its SKOS concept (any of its labels), not by its letters
    concepts = u.indicators
    named = {g for m in u.of("indicator") for g in grams(fold(m.surface))}
    # a place the question names is scored as a place below, not as words a value's sentence must hold
    named |= {g for m in u.of("place") for g in grams(fold(m.surface))}
    # 主要目标 / 工作目标 name the plan's goals as a whole, not what they measure
    heading = {g for w in config().get("goal_heading_words") or () for g in grams(fold(w))} if goal else set()
    units = [g for g in topic_units(u) if g not in named and g not in heading]
    if not units and not concepts:
        return None
    found = {f.task.iri: f.coverage for f in a.locator.find(u, plan)}
    idf, max_idf = a.lex.idf, a.lex.max_idf
    weights = {g: idf.get(g, max_idf * 0.6) for g in units}
    total = sum(weights.values()) + max_idf * len(concepts)
    years = {d.start.year for d in u.dates if d.start.year == d.end.year}
    place_labels = [[fold(x) for x in a.labels_of(p)] for p in u.places]
    scored = []
    for r in rows:
        blob = fold(" ".join(x for x in (r["indicator"], r["subject"], _context(a, r)) if x))
        head = fold(" ".join(x for x in (r["indicator"], r["subject"]) if x))
        hit = sum(w for g, w in weights.items() if g in blob)
        for c in concepts:
            # a value measured on its own concept is judged by it, not by the other pollutants of its sentence
            within = fold(r["indicator"] or "") if r["concept"] else blob
            if r["concept"] == c or any(fold(lab) in within for lab in a.labels_of(c)):
                hit += max_idf
        cov = hit / total
        score = cov + 0.3 * sum(w for g, w in weights.items() if g in head) / total
        if r["year"] is not None and years:
            if int(r["year"]) not in years:
                continue
            score += 0.3
        for labels in place_labels:
            subj = fold(r["subject"] or "")
            if any(lab in subj for lab in labels):
                score += 0.5
            elif any(lab in blob for lab in labels):
                score += 0.2
        if r["item"] in found:
            score += 0.5 * found[r["item"]]
        if (r["kind"] == "goal") == goal:
            score += 0.1
        scored.append((score, cov, r))
    said = any(fold(w) in u.text for w in config().get("goal_words") or ()) or (u.followup and prev.intent == "goal")
    if goal and said:  # PM2.5目标多少 → 二氧化硫呢: a goal again
        # 二氧化硫目标多少: the plan's goal, not the limits of the tasks on the same indicator, when a goal fits
        goals = [x for x in scored if x[2]["kind"] == "goal" and x[1] >= 0.5]
        scored = goals or scored
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    best, best_cov, _ = scored[0]
    if best_cov < 0.5:
        return None
    chosen = [r for s, c, r in scored if s >= best - 1e-9]
    intent = "goal" if chosen[0]["kind"] == "goal" or (goal and "目标" in u.text) else "threshold"
    values, tasks, parts = [], [], []
    for r in chosen:  # the same value set by several documents (or plans) is said and listed once
        said = say_value(r)
        if said not in parts:
            parts.append(said)
        if r["value"] is not None:
            item: dict[str, Any] = {"value": number(r["value"]), "unit": r["unit"], "comparator": r["comparator"],
                                    "indicator": r["indicator"]}
            if r["comparator"] == "range" and r["maxValue"] is not None:
                item["maxValue"] = number(r["maxValue"])
            if item not in values:
                values.append(item)
        if r["kind"] == "threshold":
            t = a.lex.task_by_iri.get(r["item"])
            if t and all(x["iri"] != t.iri for x in tasks):
                tasks.append(a.cite(t, [fold(r["quote"] or "")]))
    src = chosen[0]
    where = (f"({a.plan_name(src['plan'])}第{src['number']}项)" if src["kind"] == "threshold"
             else f"({a.plan_name(src['plan'])}主要目标)")
    text = ";".join(parts) + "。" + where + (f"原文:“{src['quote']}”" if src["quote"] else "")
    task_objs = [a.lex.task_by_iri[t["iri"]] for t in tasks]
    return Reply(intent, text, tasks=tasks, values=values, sparql=sparql,
                 state=a._state(intent, task_objs, None, u, prev))

def _context(a: Answerer, r: dict[str, Any]) -> str:
    """The sentence a value was read in: the sentence of its task's text that holds the value's source text."""
    src = r["quote"] or ""
    t = a.lex.task_by_iri.get(r["item"]) if r["kind"] == "threshold" else None
    if t is None or not src:
        return src
    for s, e in sentences(t.text):
        if src in t.text[s:e]:
            return t.text[s:e]
    return src

def say_value(r: dict[str, Any]) -> str:
    if r["value"] is None:  # a target stated in words
        return f"目标是{r['quote']}" if r["quote"] else "目标没有给出数值"
    unit = UNIT_ZH.get((r["unit"] or "").rsplit("/", 1)[-1], "")
    v = number(r["value"])
    what = r["indicator"] or "数值"
    subj = f"{r['subject']}的" if r["subject"] and r["subject"] not in what else ""
    year = f"{r['year']}年" if r["year"] is not None else ""
    if r["comparator"] == "range" and r["maxValue"] is not None:
        return f"{year}{subj}{what}为{v}—{number(r['maxValue'])}{unit}"
    return f"{year}{subj}{what}{CMP_ZH.get(r['comparator'] or '', '')}{v}{unit}".replace("为", "为", 1)


def number(v: Any) -> int | float | None:
    if v is None:
        return None
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() else float(d)
