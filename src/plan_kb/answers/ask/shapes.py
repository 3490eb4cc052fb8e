"""Answers shaped by what a question asks for, on the tasks one composed query finds (:mod:`compose`): a list of
tasks, a count, a comparison, yes or no, and when a task is due. Also the follow-up merge (a new question keeps the
conversation's constraints and replaces those it restates) and the ``constraints`` list of the answer."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.compose import ALL_ROLES, Query, run
from plan_kb.answers.ask.lexicon import Task
from plan_kb.answers.ask.reply import Reply
from plan_kb.answers.ask.text import DateAsk, config, fold, zh_date
from plan_kb.answers.ask.understand import Mention, TaskRef, Understanding

if TYPE_CHECKING:
    from plan_kb.answers.ask.answer import Answerer

ROLE_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "督促指导"}
ROLE_ORDER = ("lead", "support", "responsible", "guide")


@dataclass
class Used:
    """What the reader found in a question and what it did with it (the answer's ``constraints``)."""

    kind: str  # agency | plan | place | indicator | date | topic | task | role | slip
    text: str  # as found in the question (or "(上文)" when kept from the conversation)
    linked: list[dict[str, str]] = field(default_factory=list)  # what it was linked to: iri and label, or value
    used: bool = False
    note: str = ""

    def out(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "text": self.text, "linked": self.linked, "used": self.used}
        if self.note:
            d["note"] = self.note
        return d


# --- follow-ups ----------------------------------------------------------------------------------------------------

def merge(u: Understanding, prev: State) -> Understanding:
    """A follow-up keeps the last question's constraints that it does not restate (土壤呢: the plan is replaced,
    the place kept; 那氮氧化物呢: the indicator replaced, what it is measured on kept)."""
    if prev.intent is None:
        return u
    if not (u.followup or u.bare) and not (u.mentions or u.dates or u.refs or u.topic or u.excluded) \
            and set(u.asks) & {"count", "compare", "when", "tasks", "yes_no"}:
        u.followup = True  # 一共几项 / 啥时候到期, naming nothing: about what the conversation established
    if not (u.followup or u.bare):
        return u
    kept = Mention  # spans (-1, -1) mark what the conversation gave
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
    if not u.roles and not u.not_roles and prev.roles and not _asks_who(u):  # 那它不是牵头的呢: a role of its own
        u.roles = list(prev.roles)
    named = [m.surface for m in u.mentions if m.kind in ("indicator", "place", "plan")]
    own = [w for w in u.topic if not any(w in s or s in w for s in named)]
    if not own and not u.refs and not (set(u.asks) & {"tasks", "count", "compare"}):
        u.topic = list(prev.topic) + [w for w in u.topic if w not in prev.topic]
    if not _own_asks(u) and "任务" in u.text and not set(prev.asks) & {"count", "compare"}:
        u.asks = u.asks or ["tasks"]  # 运城的水环境任务 after a goal: its tasks (after a count: 土壤任务呢, a count)
    elif not _own_asks(u):
        u.asks = list(prev.asks) + [a for a in u.asks if a not in prev.asks]
        if u.refs and set(prev.asks) <= {"tasks", "count", "compare", "which"}:
            u.asks = ["which"]  # 那第13项呢 after a list: that task
    return u


def _pronoun(u: Understanding) -> bool:
    return any(p in u.text for p in config()["followup"]["pronouns"])


def _asks_who(u: Understanding) -> bool:
    return any(a.startswith("who") for a in u.asks)


def _own_asks(u: Understanding) -> bool:
    """Whether the question says what it asks for itself (not only 呢)."""
    return any(a not in ("tasks", "which") for a in u.asks) or bool(u.asks and not u.bare)


# --- the composed task set -----------------------------------------------------------------------------------------

def roles_asked(u: Understanding) -> frozenset[str]:
    roles = set(u.roles) - {"any"}
    if not roles:
        return ALL_ROLES - set(u.not_roles) or ALL_ROLES  # 不是牵头的: every other role
    if "responsible" in roles and config().get("responsible_includes_lead") and "lead" not in u.not_roles:
        roles.add("lead")
    return frozenset(roles - set(u.not_roles)) or frozenset(roles)


def roles_of(role: str) -> frozenset[str]:
    """The roles one role word asks about (负责 includes the lead where ask.yaml says so)."""
    if role == "responsible" and config().get("responsible_includes_lead"):
        return frozenset({"responsible", "lead"})
    return frozenset({role})


@dataclass
class TaskSet:
    tasks: list[Task]
    rows: dict[str, list[dict]]  # task IRI -> its rows
    sparql: str
    query: Query


def task_set(a: Answerer, u: Understanding, plans: list[str] | None = None,
             tasks: list[str] | None = None, no_place: bool = False) -> TaskSet:
    roles = roles_asked(u)
    # an agency a support word is held beside (住建厅配合生态环境厅的): it leads the task
    q = Query(agencies=[(iri, frozenset({"lead"}) if iri in u.beside else roles) for iri in u.agencies],
              plans=plans if plans is not None else a.plans_of(u),
              places=u.places, date=u.dates[0] if u.dates else None, tasks=tasks,
              named_places=u.named,
              not_agencies=[(m.iri, roles_of(role)) for m, role in u.not_agencies]
              # 没牵头、只是配合的: the agency named holds the role asked and not the one negated
              + ([(iri, frozenset(u.not_roles)) for iri in u.agencies] if u.roles and u.not_roles else []),
              no_place=no_place)
    if len(q.agencies) > 1 and any(fold(w) in u.text for w in config().get("or_words") or ()):
        # 公安厅或者交通厅负责的: either agency, the tasks of each
        rows, sparql = [], ""
        for one in q.agencies:
            got, text = run(a.store, dataclasses.replace(q, agencies=[one]))
            rows += got
            sparql = sparql or text
    else:
        rows, sparql = run(a.store, q)
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["item"], []).append(r)
    found = sorted((a.lex.task_by_iri[i] for i in by if i in a.lex.task_by_iri), key=lambda t: (t.start, t.number))
    return TaskSet(found, by, sparql, q)


def line(a: Answerer, t: Task, rows: list[dict], today: date) -> str:
    """One line of a list: plan's short name, number, title, and the role or date that made it match."""
    bits = []
    rs = sorted({r["role0"] for r in rows if r.get("role0")}, key=ROLE_ORDER.index)
    if rs:
        inh = all(r.get("inherited0") for r in rows if r.get("role0") == "responsible")
        bits.append("、".join(ROLE_ZH[x] for x in rs) + ("(统一说明)" if inh and rs == ["responsible"] else ""))
    dates = sorted({as_date(r["date"]) for r in rows if r.get("date")})
    if dates:
        d = dates[-1]
        kind = next(r["kind"] for r in rows if as_date(r.get("date")) == d)
        bits.append(say_date(kind, d, None, today))
    extra = f"({';'.join(bits)})" if bits else ""
    return f"· {a.plan_short_name(t.plan)}第{t.number}项 {t.title}{extra}"


def as_date(v: Any) -> date | None:
    if v is None or isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def say_date(kind: str, d: Any, start: Any, today: date) -> str:
    d, start = as_date(d), as_date(start)
    if d is None:
        return ""
    past = "(已过)" if d < today and kind in ("By", "During") else ""
    if kind == "From":
        return f"自{zh_date(d)}起"
    if kind == "During":
        return f"{(start or d).year}年内{past}"
    return f"{zh_date(d)}前{past}"


def list_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    if not (u.agencies or u.places or u.dates or a.plans_of(u) or u.not_agencies):
        return None
    ts = task_set(a, u)
    tasks, note = ts.tasks, ""
    if not tasks and u.agencies and u.roles == ["responsible"]:
        # 商务厅在水计划里负责啥: 负责 in everyday speech is any duty; with none as lead or responsible, the others
        wide = dataclasses.replace(u, roles=[])
        ts2 = task_set(a, wide)
        if ts2.tasks:
            names = "、".join(a.lex.label(i) for i in u.agencies)
            note = f"({names}在其中没有牵头或负责的任务,以下是它参与的任务)"
            u, ts, tasks = wide, ts2, ts2.tasks
    about = a.topic_tasks(u)
    said = u  # whose constraints the answer's first sentence names
    if about is not None:
        hit = [t for t in tasks if t.iri in about]
        if hit:
            tasks = hit
            mark(used, "topic")
        elif u.places and not (u.agencies or u.dates):
            # 太原市区的扬尘怎么管: the topic's tasks name no place, so they apply to it as to the whole province
            wide = dataclasses.replace(u, mentions=[m for m in u.mentions if m.kind != "place"])
            ts3 = task_set(a, wide, tasks=sorted(about), no_place=True)
            if ts3.tasks:
                names = "、".join(a.lex.label(p) for p in u.places)
                note += f"(没有任务点名{names};以下任务没有限定地方,在全省适用)"
                ts, tasks, said = ts3, ts3.tasks, wide
                mark(used, "topic")
            else:
                note += "(问题里的“" + "".join(a.narrowing(u)) + "”没有用上:按它找到的任务不在其中)"
        else:
            note += "(问题里的“" + "".join(a.narrowing(u)) + "”没有用上:按它找到的任务不在其中)"
    for k in ("agency", "plan", "place", "date", "role"):
        mark(used, k)
    intent = ("due_by" if u.dates else "agency_tasks" if u.agencies or u.not_agencies
              else "region" if u.places else "text")
    head = subject(a, said)
    if tasks:
        text = f"{head}共{len(tasks)}项{note}:\n" + "\n".join(line(a, t, ts.rows[t.iri], today) for t in tasks)
    else:
        text = f"没有找到{head}。{note}"
        if u.agencies and roles_asked(u) != ALL_ROLES:
            text += other_roles(a, u)
    evidence = [fold(x) for i in u.agencies + u.places for x in a.labels_of(i)]
    return a.reply(intent, text, u, prev, tasks=tasks, evidence=evidence, sparql=ts.sparql,
                   agencies=[{"iri": i, "label": a.lex.label(i)} for i in u.agencies])


def other_roles(a: Answerer, u: Understanding) -> str:
    """What the agency does instead, when it has no task in the role asked (said, not cited)."""
    wide = Understanding(u.question, u.text, mentions=u.mentions, plan=u.plan, dates=u.dates)
    ts = task_set(a, wide)
    other: dict[str, set[str]] = {}
    for iri, rows in ts.rows.items():
        for r in rows:
            if r.get("role0"):
                other.setdefault(r["role0"], set()).add(iri)
    if not other:
        return ""
    return "但它" + "、".join(f"{ROLE_ZH[r]}{len(other[r])}项任务" for r in ROLE_ORDER if r in other) + "。"


def subject(a: Answerer, u: Understanding) -> str:
    """'省住建厅在水环境质量再提升中2022年12月31日前牵头的任务' — the constraints in words."""
    held = [i for i in u.agencies if i in u.beside]  # 住建厅配合生态环境厅的: the one held beside leads
    who = "和".join(a.lex.label(i) for i in u.agencies if i not in held)
    roles = roles_asked(u)
    how = ("、".join(ROLE_ZH[r] for r in ROLE_ORDER if r in roles) if roles != ALL_ROLES else "参与")
    plans = a.plans_of(u)
    where = "、".join(a.plan_short_name(p) for p in plans) if plans else ""
    places = "、".join(a.lex.label(p) for p in u.places)
    when = u.dates[0].describe() if u.dates else ""
    s = ""
    if where:
        s += f"{where}中"
    if places:
        s += f"涉及{places}的"
    if when:
        mode = u.dates[0].mode
        s += (f"{zh_date(u.dates[0].end)}及以前到期(已过)的" if u.dates[0].past
              else f"{when}到期的" if mode == "by" else f"{when}有时间节点的" if mode == "nodes"
              else f"{when}执行的" if mode == "from"
              else f"{when}要完成的" if mode == "due" else f"{when}有时间节点的")
    if who:
        s += f"{who}{'一起' if len(u.agencies) - len(held) > 1 else ''}{how}"
        s += "".join(f"、{a.lex.label(i)}牵头" for i in held) + "的"
    for m, role in u.not_agencies:
        s += f"不是{a.lex.label(m.iri)}{ROLE_ZH.get(role, role)}的"
    return (s or "知识库中的") + "任务"


def mark(used: list[Used], kind: str) -> None:
    for c in used:
        if c.kind == kind and c.linked:
            c.used = True


def yes_no_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    if not u.agencies:  # 太原有没有地下水任务: whether the composed set has any task
        return yes_no_set(a, u, prev, today, used) if u.places or u.dates else None
    task, units = a.find_task(u, prev)
    if task is None:
        return yes_no_set(a, u, prev, today, used)
    for kind in ("agency", "topic", "task", "role", "place", "plan"):
        mark(used, kind)
    by, sparql = a.roles_of(task)
    asked = roles_asked(u)
    where = a.where(task)
    parts, ok = [], True
    for iri in u.agencies:
        has = [r for r in ROLE_ORDER if any(x["iri"] == iri for x in by.get(r, []))]
        name = a.lex.label(iri)
        hit = [r for r in has if r in asked]
        if hit:
            inh = all(x["inherited"] for r in hit for x in by[r] if x["iri"] == iri)
            parts.append(f"{name}{'、'.join(ROLE_ZH[r] for r in hit)}" + ("(由计划中的统一说明确定)" if inh else ""))
        else:
            ok = False
            role = ("是" + "、".join(ROLE_ZH[r] for r in has) + "单位") if has else "没有职责"
            parts.append(f"{name}在这项任务中{role}")
    lead = [x["label"] for x in by.get("lead", [])]
    text = ("是。" if ok else "不是。") + f"{where}:" + ";".join(parts) + "。"
    if not ok and lead:
        text += f"牵头单位是{'、'.join(lead)}。"
    agencies = [{"iri": i, "label": a.lex.label(i)} for i in u.agencies]
    return a.reply("yes_no", text, u, prev, tasks=[task], evidence=[fold(x) for i in u.agencies
                                                                        for x in a.labels_of(i)] + units,
                   sparql=sparql, agencies=agencies)


def yes_no_set(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    """有没有 without a task (水利厅在地下水里有没有牵头的任务): whether the composed set has any task."""
    if not (a.plans_of(u) or u.places or u.dates or u.agencies) or topic_left(a, u):
        return None
    ts = task_set(a, u)
    for k in ("agency", "plan", "place", "date", "role"):
        mark(used, k)
    head = subject(a, u)
    if ts.tasks:
        text = f"是,有。{head}共{len(ts.tasks)}项:\n" + "\n".join(line(a, t, ts.rows[t.iri], today) for t in ts.tasks)
    else:
        text = f"不是,没有{head}。" + (other_roles(a, u) if roles_asked(u) != ALL_ROLES else "")
    return a.reply("yes_no", text, u, prev, tasks=ts.tasks, evidence=[], sparql=ts.sparql,
                   agencies=[{"iri": i, "label": a.lex.label(i)} for i in u.agencies])


def topic_left(a: Answerer, u: Understanding) -> bool:
    """Whether the question says what it is about beyond its constraints (words the tasks use)."""
    return a.topic_tasks(u) is not None


def when_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    if (u.pointer or u.followup) and not u.refs and 1 < len(prev.tasks) <= 8 and not a.narrowing(u):
        return _when_each(a, u, prev, today, used)  # 时间上有啥要求 after the tasks of a heading: each of them
    task, units = a.find_task(u, prev)
    if task is None:
        return None
    for kind in ("topic", "task", "plan", "place", "indicator"):
        mark(used, kind)
    rows, sparql = a.run("ask-task-deadlines", task=task.iri)
    if not u.refs and units:  # of the tasks the topic finds about as well, the one whose due clause says it
        found = a.locator.find(u, a.plans_of(u)[0] if a.plans_of(u) else None)
        best = max((f.coverage for f in found), default=0)

        def due_cover(rs: list[dict], us: list[str]) -> int:
            due = fold(" ".join(r["requirement"] or "" for r in rs))
            return sum(1 for g in us if g in due)

        top = due_cover(rows, units)
        for f in found[:3]:
            if f.task.iri == task.iri or f.coverage < best * 0.85:
                continue
            rs, sp = a.run("ask-task-deadlines", task=f.task.iri)
            if due_cover(rs, f.units) > top:
                task, units, rows, sparql, top = f.task, f.units, rs, sp, due_cover(rs, f.units)
    where = a.where(task)
    if not rows:
        return a.reply("when", f"{where}没有写明完成时间。", u, prev, tasks=[task], evidence=units, sparql=sparql)
    said = []
    for r in rows:
        k = r["kind"]
        if k in ("By", "From", "During"):
            when = say_date(k, r["date"], r["startDate"], today)
        elif k == "Recurring":
            when = _every(r["rrule"] or "")
        elif k == "Relative":
            when = f"{r['event'] or ''}后{r['offset'] or ''}内"
        else:
            when = "按上级规定的时间节点"
        req = (r["requirement"] or "").strip()
        said.append(f"{when}:{req}" if req else when)
    text = f"{where}的时间节点共{len(said)}个:\n" + "\n".join("· " + s for s in dict.fromkeys(said))
    ev = [fold(r["requirement"] or "") for r in rows] + units
    return a.reply("when", text, u, prev, tasks=[task], evidence=ev, sparql=sparql)


def _when_each(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    """The deadlines of each task of the last answer."""
    parts, tasks, ev = [], [], []
    for iri in prev.tasks:
        t = a.lex.task_by_iri.get(iri)
        if t is None:
            continue
        r = when_reply(a, dataclasses.replace(u, pointer=False, refs=[TaskRef(t.plan, t.number, (-1, -1))]), prev,
                       today, used)
        if r is not None:
            parts.append(r.answer)
            tasks.append(t)
            ev += [x["quote"] for x in r.tasks]
    if not tasks:
        return None
    return a.reply("when", "\n".join(parts), u, prev, tasks=tasks, evidence=[fold(x) for x in ev],
                   sparql=a.run("ask-task-deadlines", task=tasks[0].iri)[1])


def status_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    """是不是已经逾期了 / 快到期了吗 on one task: whether a dated deadline of it has passed (or falls due in the window
    asked), then when it is due, past deadlines marked."""
    plain = dataclasses.replace(u, dates=[])
    r = when_reply(a, plain, prev, today, used)
    if r is None or not r.tasks:
        return None
    rows, _sparql = a.run("ask-task-deadlines", task=r.tasks[0]["iri"])
    d = u.dates[0]
    dated = [as_date(x["date"]) for x in rows if x["kind"] in ("By", "During") and x.get("date")]
    if d.past:
        hit = [x for x in dated if x is not None and x < today]
        head = ("是,已过期。" if hit and len(hit) == len(dated) else f"{len(hit)}个时间节点已过期,其余未到期。" if hit
                else "没有过期。" if dated else "没有写明完成日期。")
    else:
        hit = [x for x in dated if x is not None and d.start <= x <= d.end]
        head = (f"是,{zh_date(min(hit))}前到期。" if hit else "近期没有到期的时间节点。" if dated
                else "没有写明完成日期。")
    mark(used, "date")
    r.answer = head + r.answer
    return r


def goals_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    """A plan's goals as a whole (净土的目标是啥): every goal of the plan, with its value where stated."""
    plans = a.plans_of(u)
    if len(plans) != 1 or u.indicators:
        return None
    rows, sparql = a.run("plan-goals", plan=plans[0])
    if not rows:
        return None
    mark(used, "plan")
    values, lines = [], []
    for r in rows:
        if r["text"]:
            lines.append("· " + r["text"])
        if r["value"] is not None:
            values.append({"value": a.number(r["value"]), "unit": r["unit"], "comparator": r["comparator"],
                           "indicator": r["indicator"]})
    text = f"{a.plan_name(plans[0])}的主要目标共{len(lines)}条:\n" + "\n".join(dict.fromkeys(lines))
    reply = a.reply("goal", text, u, prev, tasks=[], evidence=[], sparql=sparql)
    reply.values = values
    return reply


def _every(rrule: str) -> str:
    """FREQ=MONTHLY;INTERVAL=3 → 每季度 (what a person reads; the RRULE is in the graph)."""
    f = dict(x.split("=", 1) for x in rrule.split(";") if "=" in x)
    freq, n = f.get("FREQ", ""), f.get("INTERVAL", "1")
    if freq == "MONTHLY" and n == "3":
        return "每季度"
    return {"YEARLY": "每年", "MONTHLY": "每月", "WEEKLY": "每周", "DAILY": "每日"}.get(freq, "定期")


def where_reply(a: Answerer, u: Understanding, prev: State, today: date, used: list[Used]) -> Reply | None:
    """涉及哪些县: the places a task concerns, by the place each lies within."""
    task, units = a.find_task(u, prev)
    if task is None:
        return None
    for kind in ("topic", "task", "plan"):
        mark(used, kind)
    rows, sparql = a.run("ask-task-places", task=task.iri)
    where = a.where(task)
    if not rows:
        return a.reply("region", f"{where}没有写明具体地方。", u, prev, tasks=[task], evidence=units, sparql=sparql)
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r["parentLabel"] or "", []).append(r["label"] or "")
    parts = [(f"{p}:" if p else "") + "、".join(dict.fromkeys(x for x in names if x)) for p, names in groups.items()]
    n = len({r["place"] for r in rows})
    text = f"{where}涉及{n}个地方:\n" + "\n".join("· " + p for p in parts)
    return a.reply("region", text, u, prev, tasks=[task], evidence=[fold(r["label"] or "") for r in rows] + units,
                   sparql=sparql)
