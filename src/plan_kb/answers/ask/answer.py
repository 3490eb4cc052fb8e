"""Answering a question from the graph: each intent runs a named query (``api/queries/ask-*.rq``) and the answer
carries the agencies, tasks (with the sentence of the task's text that the answer rests on) and values that query
returned, with the query itself in ``sparql``. What the graph cannot answer gets intent ``unknown`` and says so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.intents import candidates
from plan_kb.answers.ask.lexicon import Lexicon, Task, grams
from plan_kb.answers.ask.locate import Locator, topic_units
from plan_kb.answers.ask.text import DateAsk, config, fold, sentences
from plan_kb.answers.ask.understand import Understanding
from plan_kb.store import Store
from plan_kb.store.queries import get as get_query

ROLE_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "督促指导"}
ROLE_ORDER = ("lead", "support", "responsible", "guide")
UNIT_ZH = {"PERCENT": "%", "MilliGM-PER-M3": "毫克/立方米", "MicroGM-PER-M3": "微克/立方米",
           "MilliGM-PER-L": "毫克/升",
           "M": "米", "KiloM": "公里", "M3": "立方米", "TONNE": "吨", "M2": "平方米", "TONNE-PER-DAY": "吨/日",
           "KiloW": "千瓦", "TONNE-PER-HR": "蒸吨/小时", "TONNE-PER-YR": "吨/年",
           "TONNE-PER-MO-KiloM2": "吨/月·平方公里", "NUM": "个"}
CMP_ZH = {"<=": "不高于", "<": "低于", ">=": "不低于", ">": "高于", "=": "", "range": ""}


@dataclass
class Reply:
    intent: str
    answer: str
    agencies: list[dict[str, str]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    sparql: str = ""
    state: State | None = None  # what this answer establishes for a follow-up


class Answerer:
    """Answers understood questions on one store with its lexicon."""

    def __init__(self, store: Store, lex: Lexicon, folder: Path | None = None):
        self.store = store
        self.lex = lex
        self.locator = Locator(lex, folder)  # finds tasks by paraphrase, through the build's search index

    # -- plumbing --------------------------------------------------------------------------------------------------

    def run(self, name: str, **params: Any) -> tuple[list[dict[str, Any]], str]:
        sparql = get_query(name).sparql(**params)
        return self.store.query(sparql).records(), sparql

    def cite(self, task: Task, evidence: list[str]) -> dict[str, Any]:
        return {"iri": task.iri, "plan": task.plan, "number": task.number, "title": task.title,
                "quote": quote(task.text, evidence)}

    def plan_name(self, key: str | None) -> str:
        if not key:
            return "各计划"
        p = self.lex.plans.get(key)
        return f"《{p.title}》" if p else key

    # -- the intents -----------------------------------------------------------------------------------------------

    def answer(self, u: Understanding, prev: State) -> Reply:
        for intent in candidates(u, prev.intent):
            reply = getattr(self, f"_{intent}")(u, prev)
            if reply is not None:
                return reply
        return self.unknown(u)

    def unknown(self, u: Understanding, why: str = "") -> Reply:
        missing = [n for names in u.unlinked.values() for n in names]
        if not why:
            why = (f"知识库里没有“{'、'.join(dict.fromkeys(missing))}”。" if missing
                   else "这个问题超出了知识库的范围,知识库里没有可以回答它的内容。")
        return Reply("unknown", why + "可以这样问:" + " ".join(self.examples()))

    def examples(self) -> list[str]:
        """Questions this knowledge base can answer, made from its own plans, tasks and agencies."""
        out = []
        tasks = sorted(self.lex.tasks, key=lambda t: (t.start, t.number))
        if tasks:
            out.append(f"{tasks[0].title}谁牵头?")
        plans = sorted(self.lex.plans.values(), key=lambda p: p.title)
        busiest = self._busiest_agency()
        if busiest and plans:
            labels = self.lex.entities[busiest].labels
            short = min(labels, key=lambda lab: (not lab.startswith("省"), len(lab), lab))
            out.append(f"{short}在{plans[0].title}里负责哪些任务?")
        if plans:
            out.append(f"{plans[0].title}里今年年底前要完成的有哪些?")
        return out

    def _busiest_agency(self) -> str | None:
        """The agency whose names the tasks' texts use most (for an example question)."""
        if not hasattr(self, "_busiest"):
            counts = {}
            for e in self.lex.entities.values():
                if e.kind == "agency":
                    labels = [fold(lab) for lab in e.labels if len(lab) >= 3]
                    counts[e.iri] = sum(1 for _t, text in self.lex.folded if any(lab in text for lab in labels))
            self._busiest = max(counts, key=lambda i: (counts[i], i)) if counts else None
        return self._busiest

    def _task(self, u: Understanding, prev: State, plan: str | None = None) -> tuple[Task | None, list[str]]:
        """The one task the question means: by number, by what it says, or the conversation's last task."""
        for ref in u.refs:
            key = ref.plan or u.plan or prev.plan
            if key is None:
                keys = {t.plan for t in self.lex.tasks if t.number == ref.number}
                key = next(iter(keys)) if len(keys) == 1 else None
            t = self.lex.task(key, ref.number) if key else None
            if t:
                return t, []
        found = self.locator.find(u, plan or u.plan)
        if found:
            return found[0].task, found[0].units
        if prev.tasks and (u.followup or not topic_units(u)):
            t = self.lex.task_by_iri.get(prev.tasks[0])
            if t:
                return t, []
        return None, []

    def _roles(self, task: Task) -> tuple[dict[str, list[dict]], str]:
        rows, sparql = self.run("ask-task-roles", task=task.iri)
        by: dict[str, list[dict]] = {}
        for r in rows:
            lst = by.setdefault(r["role"], [])
            if all(a["iri"] != r["agency"] for a in lst):
                lst.append({"iri": r["agency"], "label": self.lex.label(r["agency"]) or r["label"],
                            "inherited": bool(r["inherited"])})
        return by, sparql

    def _task_roles(self, u: Understanding,
                    prev: State) -> tuple[Task, list[str], dict[str, list[dict]], str, str] | None:
        """The task the question is about, the words that found it, its agencies by role, the query, its name."""
        task, units = self._task(u, prev)
        if task is None:
            return None
        by, sparql = self._roles(task)
        return task, units, by, sparql, f"{self.plan_name(task.plan)}第{task.number}项“{task.title}”"

    def _lead(self, u: Understanding, prev: State) -> Reply | None:
        found = self._task_roles(u, prev)
        if found is None:
            return None
        task, units, by, sparql, where = found
        leads = by.get("lead", [])
        note = ""
        if "guide" in u.roles and "lead" not in u.roles:  # 谁督促指导: the guiding agencies
            guides = by.get("guide", [])
            text = (f"{where}由{'、'.join(a['label'] for a in guides)}督促指导。" if guides
                    else f"{where}没有写明督促指导单位。")
            evidence = [fold(x) for a in guides for x in self._labels(a["iri"])] + ["督促指导"]
            return Reply("lead", text, [{"iri": a["iri"], "label": a["label"]} for a in guides],
                         [self.cite(task, evidence)], sparql=sparql,
                         state=self._state("lead", [task], guides[0]["iri"] if guides else None, u, prev))
        if leads:
            names = [a["label"] for a in leads]
            text = f"{where}由{'、'.join(names)}牵头。"
            chosen = leads
        else:
            own = [a for a in by.get("responsible", []) if not a["inherited"]]
            chosen = own or by.get("responsible", [])
            if not chosen:
                return Reply("lead", f"{where}没有写明牵头或负责单位。", tasks=[self.cite(task, units)],
                             sparql=sparql, state=self._state("lead", [task], None, u, prev))
            names = [a["label"] for a in chosen]
            how = "(由计划中的统一说明确定)" if not own else ""
            text = f"{where}没有写明牵头单位;负责单位是{'、'.join(names)}{how}。"
            if by.get("guide"):
                text += f"督促指导单位是{'、'.join(a['label'] for a in by['guide'])}。"
            note = "负责"
        agencies = [{"iri": a["iri"], "label": a["label"]} for a in chosen]
        evidence = [fold(x) for a in chosen for x in self._labels(a["iri"])] + [note or "牵头"]
        return Reply("lead", text, agencies, [self.cite(task, evidence)], sparql=sparql,
                     state=self._state("lead", [task], chosen[0]["iri"], u, prev))

    def _support(self, u: Understanding, prev: State) -> Reply | None:
        found = self._task_roles(u, prev)
        if found is None:
            return None
        task, _units, by, sparql, where = found
        sup = by.get("support", [])
        names = "、".join(a["label"] for a in sup)
        text = f"{where}的配合单位是{names}。" if sup else f"{where}没有写明配合单位。"
        evidence = [fold(x) for a in sup for x in self._labels(a["iri"])] + ["配合"]
        agencies = [{"iri": a["iri"], "label": a["label"]} for a in sup]
        return Reply("support", text, agencies, [self.cite(task, evidence)], sparql=sparql,
                     state=self._state("support", [task], sup[0]["iri"] if sup else None, u, prev))

    def _agency_tasks(self, u: Understanding, prev: State) -> Reply | None:
        agency = u.agencies[0] if u.agencies else (prev.agency if u.followup else None)
        if agency is None:
            return None
        roles = self._asked_roles(u)
        plan = u.plan or (prev.plan if u.followup and not u.agencies else None)
        rows, sparql = self.run("ask-agency-tasks", agency=agency, plan=plan)
        hits: dict[str, set[str]] = {}
        for r in rows:
            if r["role"] in roles:
                hits.setdefault(r["item"], set()).add(r["role"])
        tasks = sorted((self.lex.task_by_iri[i] for i in hits if i in self.lex.task_by_iri),
                       key=lambda t: (t.start, t.number))
        name = self.lex.label(agency)
        how = ("、".join(ROLE_ZH[r] for r in ROLE_ORDER if r in roles) if len(roles) < 4
               else "参与(牵头、配合、负责或督促指导)")
        where = self.plan_name(plan) if plan else "各计划"
        if tasks:
            lst = ";".join(f"{self._short_ref(t)}{t.title}" for t in tasks)
            text = f"{name}在{where}中{how}的任务共{len(tasks)}项:{lst}。"
        else:
            text = f"{where}中没有{name}{how}的任务。"
            other: dict[str, set[str]] = {}
            for r in rows:
                if r["role"] not in roles and r["item"] in self.lex.task_by_iri:
                    other.setdefault(r["role"], set()).add(r["item"])
            if other:  # say what it does instead, without citing it as the answer
                counts = [f"{ROLE_ZH[r]}{len(other[r])}项任务" for r in ROLE_ORDER if r in other]
                text += f"但它{'、'.join(counts)}。"
        evidence = [fold(x) for x in self._labels(agency)]
        return Reply("agency_tasks", text, [{"iri": agency, "label": name}],
                     [self.cite(t, evidence) for t in tasks], sparql=sparql,
                     state=self._state("agency_tasks", tasks, agency, u, prev, roles=sorted(roles)))

    def _asked_roles(self, u: Understanding) -> set[str]:
        roles = set(u.roles)
        if not roles:
            return set(ROLE_ORDER)
        if "responsible" in roles and config().get("responsible_includes_lead"):
            roles.add("lead")
        return roles

    def _due_by(self, u: Understanding, prev: State) -> Reply | None:
        if not u.dates:
            return None
        d = u.dates[0]
        plan = u.plan or (prev.plan if u.followup else None)
        rows, sparql = self.run("ask-due", mode=d.mode, start=d.start.isoformat(), end=d.end.isoformat(), plan=plan)
        reqs: dict[str, list[str]] = {}
        for r in rows:
            reqs.setdefault(r["item"], []).append(r["requirement"] or "")
        tasks = sorted((self.lex.task_by_iri[i] for i in reqs if i in self.lex.task_by_iri),
                       key=lambda t: (t.start, t.number))
        if u.topic and tasks:  # "2022年底前要完成的污水处理任务": keep those about the topic when any are
            about = {f.task.iri for f in self.locator.find(u, plan)}
            if about & {t.iri for t in tasks}:
                tasks = [t for t in tasks if t.iri in about]
        when = d.describe()
        where = self.plan_name(plan)
        if tasks:
            lst = ";".join(f"{self._short_ref(t)}{t.title}" for t in tasks)
            text = f"{where}中{when}有时间节点的任务共{len(tasks)}项:{lst}。"
        else:
            text = f"{where}中没有{when}到期的任务。"
        return Reply("due_by", text, tasks=[self.cite(t, [fold(x) for x in reqs[t.iri]]) for t in tasks],
                     sparql=sparql, state=self._state("due_by", tasks, None, u, prev, date=d))

    def _region(self, u: Understanding, prev: State) -> Reply | None:
        places = u.places
        if not places:
            return None
        plan = u.plan or (prev.plan if u.followup else None)
        sets, queries = [], []
        for p in places:
            rows, sparql = self.run("ask-place-tasks", place=p, plan=plan)
            sets.append({r["item"] for r in rows})
            queries.append(sparql)
        hit = set.intersection(*sets) if len(sets) > 1 else sets[0]
        if not hit:
            hit = set.union(*sets)
        tasks = sorted((self.lex.task_by_iri[i] for i in hit if i in self.lex.task_by_iri),
                       key=lambda t: (t.start, t.number))
        names = "、".join(self.lex.label(p) for p in places)
        if tasks:
            lst = ";".join(f"{self._short_ref(t)}{t.title}" for t in tasks)
            text = f"涉及{names}的任务共{len(tasks)}项:{lst}。"
        else:
            text = f"{self.plan_name(plan) if plan else '知识库'}中没有涉及{names}的任务。"
        evidence = [fold(x) for p in places for x in self._labels(p)]
        return Reply("region", text, tasks=[self.cite(t, evidence) for t in tasks], sparql="\n".join(queries),
                     state=self._state("region", tasks, None, u, prev))

    def _text(self, u: Understanding, prev: State) -> Reply | None:
        for ref in u.refs:
            t, _ = self._task(u, prev)
            if t is not None:
                return self._text_reply([t], [], u, prev)
            del ref
        found = self.locator.find(u, u.plan)
        if not found:
            return None
        best = max(f.coverage for f in found)
        keep = [f for f in found if f.coverage >= best * 0.85][:5]  # in the search index's order
        return self._text_reply([f.task for f in keep], found[0].units, u, prev)

    def _text_reply(self, tasks: list[Task], units: list[str], u: Understanding, prev: State) -> Reply:
        sparql = get_query("ask-tasks").sparql()
        first = tasks[0]
        text = f"是{self.plan_name(first.plan)}第{first.number}项:{first.title}。"
        if len(tasks) > 1:
            text += "另见:" + ";".join(f"{self._short_ref(t)}{t.title}" for t in tasks[1:]) + "。"
        return Reply("text", text, tasks=[self.cite(t, units) for t in tasks], sparql=sparql,
                     state=self._state("text", tasks, None, u, prev))

    def _threshold(self, u: Understanding, prev: State) -> Reply | None:
        return self._values(u, prev, goal=False)

    def _goal(self, u: Understanding, prev: State) -> Reply | None:
        return self._values(u, prev, goal=True)

    def _values(self, u: Understanding, prev: State, goal: bool) -> Reply | None:
        plan = u.plan
        rows, sparql = self.run("ask-values", plan=plan)
        if not rows:
            return None
        # an indicator the question names counts once, by its SKOS concept (any of its labels), not by its letters
        concepts = u.indicators
        named = {g for m in u.of("indicator") for g in grams(fold(m.surface))}
        units = [g for g in topic_units(u) if g not in named]
        if not units and not concepts:
            return None
        found = {f.task.iri: f.coverage for f in self.locator.find(u, plan)}
        idf, max_idf = self.lex.idf, self.lex.max_idf
        weights = {g: idf.get(g, max_idf * 0.6) for g in units}
        total = sum(weights.values()) + max_idf * len(concepts)
        years = {d.start.year for d in u.dates if d.start.year == d.end.year}
        place_labels = [[fold(x) for x in self._labels(p)] for p in u.places]
        scored = []
        for r in rows:
            blob = fold(" ".join(x for x in (r["indicator"], r["subject"], self._context(r)) if x))
            head = fold(" ".join(x for x in (r["indicator"], r["subject"]) if x))
            hit = sum(w for g, w in weights.items() if g in blob)
            for c in concepts:
                # a value measured on its own concept is judged by it, not by the other pollutants of its sentence
                within = fold(r["indicator"] or "") if r["concept"] else blob
                if r["concept"] == c or any(fold(lab) in within for lab in self._labels(c)):
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
            said = self._say_value(r)
            if said not in parts:
                parts.append(said)
            if r["value"] is not None:
                item: dict[str, Any] = {"value": _num(r["value"]), "unit": r["unit"], "comparator": r["comparator"],
                                        "indicator": r["indicator"]}
                if r["comparator"] == "range" and r["maxValue"] is not None:
                    item["maxValue"] = _num(r["maxValue"])
                if item not in values:
                    values.append(item)
            if r["kind"] == "threshold":
                t = self.lex.task_by_iri.get(r["item"])
                if t and all(x["iri"] != t.iri for x in tasks):
                    tasks.append(self.cite(t, [fold(r["quote"] or "")]))
        src = chosen[0]
        where = (f"({self.plan_name(src['plan'])}第{src['number']}项)" if src["kind"] == "threshold"
                 else f"({self.plan_name(src['plan'])}主要目标)")
        text = ";".join(parts) + "。" + where + (f"原文:“{src['quote']}”" if src["quote"] else "")
        task_objs = [self.lex.task_by_iri[t["iri"]] for t in tasks]
        return Reply(intent, text, tasks=tasks, values=values, sparql=sparql,
                     state=self._state(intent, task_objs, None, u, prev))

    def _context(self, r: dict[str, Any]) -> str:
        """The sentence a value was read in: the sentence of its task's text that holds the value's source text."""
        src = r["quote"] or ""
        t = self.lex.task_by_iri.get(r["item"]) if r["kind"] == "threshold" else None
        if t is None or not src:
            return src
        for s, e in sentences(t.text):
            if src in t.text[s:e]:
                return t.text[s:e]
        return src

    def _say_value(self, r: dict[str, Any]) -> str:
        if r["value"] is None:  # a target stated in words
            return f"目标是{r['quote']}" if r["quote"] else "目标没有给出数值"
        unit = UNIT_ZH.get((r["unit"] or "").rsplit("/", 1)[-1], "")
        v = _num(r["value"])
        what = r["indicator"] or "数值"
        subj = f"{r['subject']}的" if r["subject"] and r["subject"] not in what else ""
        year = f"{r['year']}年" if r["year"] is not None else ""
        if r["comparator"] == "range" and r["maxValue"] is not None:
            return f"{year}{subj}{what}为{v}—{_num(r['maxValue'])}{unit}"
        return f"{year}{subj}{what}{CMP_ZH.get(r['comparator'] or '', '')}{v}{unit}".replace("为", "为", 1)

    # -- helpers ---------------------------------------------------------------------------------------------------

    def _labels(self, iri: str) -> list[str]:
        e = self.lex.entities.get(iri)
        return sorted(e.labels, key=len, reverse=True) if e else []

    def _short_ref(self, t: Task) -> str:
        return f"{self.plan_short_name(t.plan)}第{t.number}项 "

    def plan_short_name(self, key: str) -> str:
        """The title without region, period and genre: 山西省水环境质量再提升2022—2023年行动计划 → 水环境质量再提升."""
        p = self.lex.plans.get(key)
        if not p:
            return key
        short = re.sub(r"^.{2,8}?(省|自治区|市)(?=.{4,})", "", p.title)
        short = re.sub(r"\d{4}\s*[—–-]+\s*\d{4}\s*年?|\d{4}年", "", short)
        return re.sub(r"(行动计划|实施方案|工作方案|行动方案)$", "", short) or key

    def _state(self, intent: str, tasks: list[Task], agency: str | None, u: Understanding, prev: State,
               date: DateAsk | None = None, roles: list[str] | None = None) -> State:
        return State(intent=intent, tasks=[t.iri for t in tasks], agency=agency or prev.agency,
                     plan=u.plan or (prev.plan if u.followup else None), places=u.places or prev.places,
                     date={"mode": date.mode, "start": date.start.isoformat(), "end": date.end.isoformat()}
                     if date else prev.date, roles=roles or [])


def _num(v: Any) -> int | float | None:
    if v is None:
        return None
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() else float(d)


def quote(text: str, evidence: list[str]) -> str:
    """The sentence of ``text`` that holds most of ``evidence`` (folded strings), else the first sentence."""
    spans = sentences(text)
    if not spans:
        return text
    ev = [e for e in evidence if e]
    best, best_score = spans[0], 0.0
    for s, e in spans:
        sent = fold(text[s:e])
        score = sum(len(x) for x in ev if x in sent)
        if score > best_score:
            best, best_score = (s, e), score
    return re.sub(r"^\d+\.", "", text[best[0]:best[1]].strip())


def today_default() -> date:
    return date.today()
