"""Answering a question from the graph. The question was read as constraints plus what it asks for
(:mod:`understand`); a follow-up first takes the conversation's constraints it does not restate (:mod:`shapes`).
What it asks for is tried in the order of ``asks`` in ``extraction/ask.yaml``: lists, counts, comparisons, yes/no
and when are shaped from one composed query (:mod:`shapes`, :mod:`compose`), who from the task's roles, how much
from the values (:mod:`values`), which task from the topic. The answer carries the agencies, tasks (with the sentence
of the task's text it rests on), values, the query itself in ``sparql`` and the ``constraints`` with whether each
was used; a part not used is said. What the graph cannot answer gets the tasks the search finds, marked as such, or
intent ``unknown`` when nothing in it belongs to the plans."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import Any

from plan_kb.answers.ask import headings, scope, shapes, stated, tally, values, who
from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.compose import ALL_ROLES, Query, run
from plan_kb.answers.ask.lexicon import Lexicon, Task, grams
from plan_kb.answers.ask.locate import Locator, topic_units
from plan_kb.answers.ask.reply import Reply
from plan_kb.answers.ask.shapes import Used
from plan_kb.answers.ask.text import DateAsk, config, fold, sentences
from plan_kb.answers.ask.understand import Understanding
from plan_kb.store import Store
from plan_kb.store.queries import get as get_query

ROLE_ZH = shapes.ROLE_ZH
ROLE_ORDER = shapes.ROLE_ORDER


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

    def answer(self, u: Understanding, prev: State, today: date | None = None) -> Reply:
        """Read what the question asks for and answer it from the constraints it states (and the conversation's)."""
        today = today or date.today()
        u = shapes.merge(u, prev)
        chosen = self._collectives(u)
        used = self.constraints(u)
        for c in used:
            if c.kind == "agency" and c.linked and c.linked[0].get("iri") in chosen:
                c.note = f"按“{c.linked[0]['label']}”理解(这个计划里用的名称)"
        reply = self.unknown(u) if scope.off_genre(u, self.lex) else self._shape(u, prev, today, used)
        if reply is None:
            reply = self._fallback(u, prev)
        if u.excluded and reply.intent in ("lead", "support"):
            reply = self._set_apart(reply, u, used)
        if reply.intent != "unknown":
            reply.answer = self._say_unused(reply.answer, used, u)
        reply.constraints = [c.out() for c in used]
        return reply

    def _shape(self, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
        asks = list(u.asks)
        who_asked = any(x.startswith("who") for x in asks) or re.search(config()["who_question"], u.text)
        if u.beside and who_asked:  # 配合生态环境厅的是哪几个部门: who supports the task the agency named leads
            asks = ["who_support"]
        elif u.not_roles and not u.roles and (any(x.startswith("who") for x in asks)
                                              or (u.followup and prev.intent in ("lead", "support"))):
            asks = ["who_except"]  # 那不是配合的呢 after who: every role on the task but the negated ones
        # a role switch after a list ("那配合的呢?"): the same agency's tasks in another role
        if prev.intent in ("agency_tasks", "count") and u.followup and u.roles and not u.refs \
                and not any(m.span[0] >= 0 for m in u.of("agency")) and u.agencies:
            asks = ["count" if prev.intent == "count" else "tasks"]
        if any(m.span[0] >= 0 for m in u.of("agency")) and not re.search(config()["who_question"], u.text):
            # 长治有哪些住建厅配合的活: a role word beside a named agency says its role, it asks no one
            asks = [x for x in asks if not x.startswith("who")] or ["tasks"]
        if u.refs:  # a task named by its number is the answer's subject
            missing = self._missing_ref(u, prev, used)
            if missing is not None:
                return missing
            if set(asks) <= {"tasks"}:
                asks = ["which"]  # 地下水第十项呢: that task
        elif "which" in asks and u.places and not (u.agencies or u.dates) \
                and re.search(config().get("which_one") or "$^", u.text):
            asks = ["which"] + [x for x in asks if x not in ("which", "tasks")]  # 汾河流域新建企业…依据是哪一项
        elif "which" in asks and (u.places or u.agencies or u.dates) and "tasks" in asks:
            asks.remove("tasks")
            asks.insert(asks.index("which"), "tasks")
        elif "which" in asks and (u.places or u.agencies or u.dates):
            asks.insert(asks.index("which"), "tasks")
        asks = asks or ["tasks"]
        for ask in asks:
            if ask == "compare":
                r = tally.compare_reply(self, u, prev, today, used)
            elif ask == "count":  # a count of things the text states (几个县级城市), else of tasks
                r = stated.count_reply(self, u, prev) or tally.count_reply(self, u, prev, today, used)
            elif ask == "yes_no":  # 这项是不是已经逾期了: when that task is due; else whether it holds
                r = (shapes.status_reply(self, u, prev, today, used) if _status(u) else None) \
                    or shapes.yes_no_reply(self, u, prev, today, used)
            elif ask == "when":
                r = shapes.when_reply(self, u, prev, today, used) if not u.dates or u.refs else None
            elif ask == "where":
                r = shapes.where_reply(self, u, prev, today, used) if not (u.places or u.agencies) else None
            elif ask == "who_support":
                r = who.support_reply(self, u, prev)
                if r is not None and u.beside:
                    who.mark_beside(self, r, u, used)
            elif ask == "who_except":
                r = who.lead_reply(self, u, prev, everyone=tuple(x for x in ROLE_ORDER if x not in u.not_roles))
            elif ask == "who_all":
                r = who.lead_reply(self, u, prev, everyone=ROLE_ORDER)
            elif ask == "who_charge":
                r = who.lead_reply(self, u, prev, everyone=("lead", "responsible"))
            elif ask == "who" and u.charge:  # 谁负责 / 谁来抓: the lead and who answers for it, the standing note's too
                carry = any(fold(w) in u.text for w in config()["who_words"].get("carry_out") or ())
                r = headings.who_heading_reply(self, u, prev, today, used, charge=True) \
                    or who.lead_reply(self, u, prev, everyone=("responsible",) if carry else ("lead", "responsible"))
            elif ask in ("who", "who_guide"):
                r = headings.who_heading_reply(self, u, prev, today, used) or who.lead_reply(self, u, prev)
            elif ask == "goal":
                r = stated.how_much(self, u, prev, goal=True) or shapes.goals_reply(self, u, prev, today, used)
            elif ask == "value":
                r = stated.how_much(self, u, prev, goal=False)
            elif ask == "which":
                r = self._text(u, prev)
            else:
                r = headings.heading_list_reply(self, u, prev, today, used) \
                    or shapes.list_reply(self, u, prev, today, used)
            if r is None and ask == asks[-1] and "tasks" not in asks and not set(asks) <= {"goal", "value"} \
                    and (u.agencies or u.places or u.dates or u.plan):
                # nothing asked could be shaped, but the question names what the plans have: their tasks, composed
                r = shapes.list_reply(self, u, prev, today, used)
            if r is not None:
                if ask in ("who_support", "who_except", "who", "who_guide", "who_all", "who_charge", "which", "goal",
                           "value") \
                        or r.intent == "threshold":
                    for kind in ("topic", "task", "indicator", "plan", "role", "place"):
                        shapes.mark(used, kind)
                    quotes = "".join(fold(t.get("quote") or "") for t in r.tasks)
                    if r.intent == "threshold" and u.dates and all(str(d.start.year) in quotes for d in u.dates):
                        shapes.mark(used, "date")  # the sentence the value is read in says the year asked
                return r
        return None

    def _missing_ref(self, u: Understanding, prev: State, used: list[Used]) -> Reply | None:
        """A number the plan does not have (大气第23项): said, with how many tasks the plan has."""
        for ref in u.refs:
            key = ref.plan or u.plan or prev.plan
            if key is None or key not in self.lex.plans or self.lex.task(key, ref.number):
                return None
        key = u.refs[0].plan or u.plan or prev.plan
        n = sum(1 for t in self.lex.tasks if t.plan == key)
        for kind in ("plan", "task", "role", "topic"):
            shapes.mark(used, kind)
        return Reply("text", f"{self.plan_name(key)}共有{n}项任务,没有第{u.refs[0].number}项。",
                     sparql=self.tasks_sparql(), state=self._state("text", [], None, u, prev))

    def _set_apart(self, reply: Reply, u: Understanding, used: list[Used]) -> Reply:
        """除了X还有谁: the agencies of the answer but X, said first; the whole answer follows."""
        out = {m.iri for m in u.excluded}
        names = "、".join(self.lex.label(i) for i in dict.fromkeys(m.iri for m in u.excluded))
        rest = [ag for ag in reply.agencies if ag["iri"] not in out]
        for c in used:
            if c.note == "除外":
                c.used = True
        head = (f"除{names}外,还有{'、'.join(ag['label'] for ag in rest)}。" if rest
                else f"除{names}外,没有别的单位。")
        return dataclasses.replace(reply, agencies=rest, answer=head + "\n" + reply.answer)

    def _collectives(self, u: Understanding) -> set[str]:
        """A collective named about plans where it holds no task, read as the one of its group (``collectives`` in
        ask.yaml) that does: 市政府 in the air plan is 各相关市人民政府. The IRIs chosen so."""
        plans = self.plans_of(u)
        if not plans:
            return set()
        chosen = set()
        for k, m in enumerate(u.mentions):
            group = self.lex.collectives.get(m.iri) if m.kind == "agency" else None
            if not group or self._holds(m.iri, plans):
                continue
            other = next((g for g in group if g != m.iri and self._holds(g, plans)), None)
            if other:
                u.mentions[k] = dataclasses.replace(m, iri=other)
                chosen.add(other)
        return chosen

    def _holds(self, agency: str, plans: list[str]) -> bool:
        return bool(run(self.store, Query(agencies=[(agency, ALL_ROLES)], plans=plans))[0])

    def _fallback(self, u: Understanding, prev: State) -> Reply:
        """Nothing the question asks could be composed: the tasks the search finds, marked as such; else unknown."""
        if u.unlinked and not u.mentions:
            return self.unknown(u)
        # a question that neither asks anything the reader knows nor names anything must be about the plans' words
        found = self.locator.find(u, u.plan, min_coverage=0.5 if (u.asks or u.mentions) else 0.8)
        if not found and u.indicators and set(u.asks) & {"goal", "value"}:
            # 优良天数比例目标是多少: an indicator the knowledge base knows, which no plan gives a value
            names = "、".join(dict.fromkeys(self.lex.label(i) for i in u.indicators))
            return self.unknown(u, f"知识库里的计划没有给出“{names}”的数值或目标。")
        if not found:
            return self.unknown(u)
        keep = [f.task for f in found[:5]]
        text = ("没能完全读懂这个问题,以下是按问题里的词搜索到的任务(搜索结果,不是确定的答案):\n"
                + "\n".join(f"· {self._short_ref(t)}{t.title}" for t in keep))
        return Reply("text", text, tasks=[self.cite(t, found[0].units) for t in keep],
                     sparql=get_query("ask-tasks").sparql(), state=self._state("text", keep, None, u, prev))

    def constraints(self, u: Understanding) -> list[Used]:
        out: list[Used] = []
        for typed, taken in u.slips:
            out.append(Used("slip", typed, [{"value": taken}], True, f"按“{taken}”理解"))
        for m in u.mentions:
            if m.kind == "plan":
                key = next((k for k, p in self.lex.plans.items() if p.iri == m.iri), "")
                out.append(Used("plan", m.surface, [{"iri": m.iri, "label": self.plan_short_name(key)}]))
            else:
                own = (m.surface, m.iri) in u.owned  # 我们厅: the body the asker said they are from
                out.append(Used(m.kind, m.surface, [{"iri": m.iri, "label": self.lex.label(m.iri)}],
                                note=f"“{m.surface}”按“{self.lex.label(m.iri)}”理解(提问人所在)" if own else ""))
        if u.plan and not u.of("plan"):
            p = self.lex.plans.get(u.plan)
            if p:
                out.append(Used("plan", "(上文)", [{"iri": p.iri, "label": self.plan_short_name(u.plan)}]))
        for d in u.dates:
            out.append(Used("date", d.text, [{"value": d.describe(), "mode": d.mode, "start": d.start.isoformat(),
                                              "end": d.end.isoformat()}]))
        for r in u.refs:
            out.append(Used("task", u.text[r.span[0]:r.span[1]], [{"value": str(r.number)}]))
        for role in u.roles:
            out.append(Used("role", ROLE_ZH.get(role, role), [{"value": role}]))
        for role in u.not_roles:
            out.append(Used("role", "不" + ROLE_ZH.get(role, role), [{"value": "not " + role}]))
        for m, role in u.not_agencies:
            out.append(Used("agency", m.surface, [{"iri": m.iri, "label": self.lex.label(m.iri)}], True,
                            "不是" + ROLE_ZH.get(role, role)))
        for m in u.excluded:
            out.append(Used("agency", m.surface, [{"iri": m.iri, "label": self.lex.label(m.iri)}], note="除外"))
        if u.topic:
            out.append(Used("topic", "".join(u.topic), [{"value": w} for w in u.topic]))
        for kind, names in u.unlinked.items():
            for n in dict.fromkeys(names):
                out.append(Used(kind, n, [], False, "知识库里没有这个名称"))
        for n in dict.fromkeys(u.own):
            out.append(Used("place", n, [], False, "提问人自己的地方或单位,计划里没有点名"))
        return out

    def _say_unused(self, text: str, used: list[Used], u: Understanding) -> str:
        notes = [c.note for c in used if c.kind == "slip" or (c.kind in ("agency", "place") and "提问人所在" in c.note)]
        kinds = ("agency", "place", "date", "plan", "role")
        lost = [c.text for c in used if not c.used and c.kind in kinds and c.text != "(上文)" and c.linked]
        unknown = [c.text for c in used if not c.used and c.kind in kinds and not c.linked]
        head = ("(" + ";".join(notes) + ")") if notes else ""
        tail = ("\n问题里的“" + "”“".join(dict.fromkeys(lost)) + "”没有用上。") if lost else ""
        if unknown:
            tail += "\n知识库里没有“" + "”“".join(dict.fromkeys(unknown)) + "”,问题的这部分没有用上。"
        return head + text + tail

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
            # the name as the plans write it
            labels = [lab for lab in self.lex.entities[busiest].labels if self.lex.says(fold(lab))]
            labels = labels or sorted(self.lex.entities[busiest].labels)
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
            last = self.lex.task_by_iri.get(prev.tasks[0]) if prev.tasks and u.followup else None
            key = ref.plan or u.plan or prev.plan or (last.plan if last else None)
            if key is None:
                keys = {t.plan for t in self.lex.tasks if t.number == ref.number}
                key = next(iter(keys)) if len(keys) == 1 else None
            t = self.lex.task(key, ref.number) if key else None
            if t:
                return t, []
        if u.followup and prev.tasks and not u.refs:  # 那焦化企业呢 after 水泥: the same task if it says it too
            last = self.lex.task_by_iri.get(prev.tasks[0])
            units = topic_units(u)
            if last is not None and units and all(g in self.lex.folded_of(last)[1] for g in units):
                return last, units
        found = self.locator.find(u, plan or u.plan)
        if found:  # the one that holds most of what the question says; of those, the search index's first
            best = max(found, key=lambda f: f.coverage)
            top = next(f for f in found if f.coverage >= best.coverage - 0.1)
            return top.task, top.units
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
                            "inherited": bool(r["inherited"]), "collective": bool(r["collective"])})
        return by, sparql

    def _task_roles(self, u: Understanding,
                    prev: State) -> tuple[Task, list[str], dict[str, list[dict]], str, str] | None:
        """The task the question is about, the words that found it, its agencies by role, the query, its name."""
        task, units = self._task(u, prev)
        if task is None:
            return None
        by, sparql = self._roles(task)
        return task, units, by, sparql, f"{self.plan_name(task.plan)}第{task.number}项“{task.title}”"

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
        # of those, the ones that write the longest stretch of the question's words as the question does (干熄焦改造:
        # task 4 writes it so, task 5 has 干熄焦 and 改造 apart)
        runs = [r for r in u.runs if len(r) >= 3]
        if len(keep) > 1 and runs:
            held = {f.task.iri: sum(_held(r, "。".join(self.lex.folded_of(f.task))) for r in runs) for f in keep}
            top = max(held.values())
            if top >= 3 and sum(1 for v in held.values() if v == top) < len(keep):
                keep = [f for f in keep if held[f.task.iri] == top]
        # of those, the ones whose title holds all the question says (散煤清零是第几项: the task titled so, not one
        # that mentions it in passing)
        titled = [f for f in keep if all(g in self.lex.folded_of(f.task)[0] for g in f.units)]
        if titled and len(titled) < len(keep) and "which" in u.asks:
            keep = titled
        return self._text_reply([f.task for f in keep], found[0].units, u, prev)

    def _text_reply(self, tasks: list[Task], units: list[str], u: Understanding, prev: State) -> Reply:
        sparql = get_query("ask-tasks").sparql()
        first = tasks[0]
        text = f"是{self.plan_name(first.plan)}第{first.number}项:{first.title}。"
        if len(tasks) > 1:
            text += "另见:" + ";".join(f"{self._short_ref(t)}{t.title}" for t in tasks[1:]) + "。"
        return Reply("text", text, tasks=[self.cite(t, units) for t in tasks], sparql=sparql,
                     state=self._state("text", tasks, None, u, prev))

    # -- helpers ---------------------------------------------------------------------------------------------------

    def plans_of(self, u: Understanding) -> list[str]:
        keys = [k for m in u.of("plan") for k, p in self.lex.plans.items() if p.iri == m.iri]
        if u.plan and u.plan not in keys:
            keys.insert(0, u.plan)
        return list(dict.fromkeys(keys))

    def topic_tasks(self, u: Understanding) -> set[str] | None:
        """The tasks the question's topic finds (None when it has no topic)."""
        narrow = dataclasses.replace(u, topic=self.narrowing(u))
        if not topic_units(narrow):
            return None
        return {f.task.iri for f in self.locator.find(narrow, None)}

    def narrowing(self, u: Understanding) -> list[str]:
        """The topic words that can narrow a list: not names of places, and used by the tasks."""
        known = self.lex.idf
        return [w for w in u.rest if any(g in known for g in grams(w) if len(g) > 1)]

    def find_task(self, u: Understanding, prev: State) -> tuple[Task | None, list[str]]:
        return self._task(u, prev)

    def roles_of(self, task: Task) -> tuple[dict[str, list[dict]], str]:
        return self._roles(task)

    def where(self, task: Task) -> str:
        return f"{self.plan_name(task.plan)}第{task.number}项“{task.title}”"

    @staticmethod
    def number(v: Any) -> int | float | None:
        return values.number(v)

    @staticmethod
    def tasks_sparql() -> str:
        return get_query("ask-tasks").sparql()

    def labels_of(self, iri: str) -> list[str]:
        return self._labels(iri)

    def reply(self, intent: str, text: str, u: Understanding, prev: State, tasks: list[Task], evidence: list[str],
              sparql: str, agencies: list[dict[str, str]] | None = None) -> Reply:
        return Reply(intent, text, agencies or [], [self.cite(t, evidence) for t in tasks], sparql=sparql,
                     state=self._state(intent, tasks, (agencies or [{}])[0].get("iri"), u, prev))

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
        d = date or (u.dates[0] if u.dates else None)
        ind = [m.surface for m in u.of("indicator")]
        return State(intent=intent, tasks=[t.iri for t in tasks], agency=agency or prev.agency,
                     plan=u.plan, places=u.places,
                     date={"mode": d.mode, "start": d.start.isoformat(), "end": d.end.isoformat()} if d else None,
                     roles=roles or list(u.roles), agencies=u.agencies, plans=self.plans_of(u),
                     topic=[w for w in u.topic if not any(w in s or s in w for s in ind)],
                     indicators=u.indicators, asks=list(u.asks))


def _status(u: Understanding) -> bool:
    """Whether the question's date is a status word (已经过期, 快到期) about what its topic names, not a date."""
    cfg = config()["dates"]
    words = {fold(w) for w in (cfg.get("past_words") or []) + (cfg.get("soon_words") or [])}
    return bool(u.dates) and all(d.text in words for d in u.dates) and bool(u.rest) and not u.agencies


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


def _held(run: str, text: str) -> int:
    """The length of the longest stretch of ``run`` that ``text`` writes."""
    for n in range(len(run), 1, -1):
        if any(run[i:i + n] in text for i in range(len(run) - n + 1)):
            return n
    return 0
