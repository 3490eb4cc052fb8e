"""Who answers for a task: who leads it (谁牵头: the lead, else the units its own note makes responsible), who
is responsible or in charge (谁负责, 归谁管: the lead and the responsible units, the standing note's collective
too), everyone involved (都有谁) and who supports it (谁配合)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plan_kb.answers.ask.chat import State
from plan_kb.answers.ask.lexicon import Task
from plan_kb.answers.ask.reply import Reply
from plan_kb.answers.ask.shapes import ROLE_ORDER, ROLE_ZH
from plan_kb.answers.ask.text import fold
from plan_kb.answers.ask.understand import Understanding

if TYPE_CHECKING:
    from plan_kb.answers.ask.answer import Answerer


def lead_reply(a: Answerer, u: Understanding, prev: State, everyone: tuple[str, ...] = ()) -> Reply | None:
    """Who leads (or, without a lead, answers for) the task; ``everyone``: the roles of a question about all in
    charge (归谁管: lead and responsible, the standing note's too) or all involved (都有谁: every role)."""
    found = a._task_roles(u, prev)
    if found is None:
        return None
    task, units, by, sparql, where = found
    leads = by.get("lead", [])
    if everyone:
        return _everyone(a, u, prev, task, by, sparql, where, everyone)
    note = ""
    if "guide" in u.roles and "lead" not in u.roles:  # 谁督促指导: the guiding agencies
        guides = by.get("guide", [])
        text = (f"{where}由{'、'.join(ag['label'] for ag in guides)}督促指导。" if guides
                else f"{where}没有写明督促指导单位。")
        evidence = [fold(x) for ag in guides for x in a._labels(ag["iri"])] + ["督促指导"]
        return Reply("lead", text, [{"iri": ag["iri"], "label": ag["label"]} for ag in guides],
                     [a.cite(task, evidence)], sparql=sparql,
                     state=a._state("lead", [task], guides[0]["iri"] if guides else None, u, prev))
    if leads:
        names = [ag["label"] for ag in leads]
        text = f"{where}由{'、'.join(names)}牵头。"
        chosen = leads
        inherited = [ag["label"] for ag in by.get("responsible", []) if ag["inherited"]]
        if inherited and "lead" not in u.roles:  # 谁负责 / 归谁管: the standing note's answerer too
            text += f"按计划中的统一说明,{'、'.join(inherited)}负责落实。"
    else:
        # no lead: the units the task's own note makes responsible, without the collective the plan's standing
        # note names (各相关市人民政府负责落实 in the note's own task), else who guides it, else that collective
        own = [ag for ag in by.get("responsible", []) if not ag["inherited"]]
        own = [ag for ag in own if not ag["collective"]] or own
        guides = by.get("guide", []) if not own else []
        if guides:
            text = f"{where}没有写明牵头或负责单位;由{'、'.join(ag['label'] for ag in guides)}督促指导。"
            inherited = [ag["label"] for ag in by.get("responsible", []) if ag["inherited"]]
            if inherited:
                text += f"按计划中的统一说明,{'、'.join(inherited)}负责落实。"
            evidence = [fold(x) for ag in guides for x in a._labels(ag["iri"])] + ["督促指导"]
            return Reply("lead", text, [{"iri": ag["iri"], "label": ag["label"]} for ag in guides],
                         [a.cite(task, evidence)], sparql=sparql,
                         state=a._state("lead", [task], guides[0]["iri"], u, prev))
        chosen = own or by.get("responsible", [])
        if not chosen:
            return Reply("lead", f"{where}没有写明牵头或负责单位。", tasks=[a.cite(task, units)],
                         sparql=sparql, state=a._state("lead", [task], None, u, prev))
        names = [ag["label"] for ag in chosen]
        how = "(由计划中的统一说明确定)" if not own else ""
        text = f"{where}没有写明牵头单位;负责单位是{'、'.join(names)}{how}。"
        inherited = [ag["label"] for ag in by.get("responsible", []) if ag["inherited"] or (ag["collective"]
                     and ag not in chosen)]
        if own and inherited:
            text += f"按计划中的统一说明,{'、'.join(inherited)}负责落实。"
        if by.get("guide"):
            text += f"督促指导单位是{'、'.join(ag['label'] for ag in by['guide'])}。"
        note = "负责"
    agencies = [{"iri": ag["iri"], "label": ag["label"]} for ag in chosen]
    evidence = [fold(x) for ag in chosen for x in a._labels(ag["iri"])] + [note or "牵头"]
    return Reply("lead", text, agencies, [a.cite(task, evidence)], sparql=sparql,
                 state=a._state("lead", [task], chosen[0]["iri"], u, prev))


def _everyone(a: Answerer, u: Understanding, prev: State, task: Task, by: dict[str, list[dict]], sparql: str,
              where: str, roles: tuple[str, ...]) -> Reply:
    chosen: dict[str, dict] = {}
    parts = []
    if roles == ("responsible",) and not by.get("responsible"):
        roles = ("lead", "responsible")  # 谁负责落实 on a task no one is responsible for: who leads it
    if "responsible" in roles and not by.get("lead") and all(ag["inherited"] for ag in by.get("responsible", [])):
        roles = (*roles, "guide")  # no lead and no unit of its own: who guides it is who is in charge
    for role in ROLE_ORDER:
        if role not in roles or not by.get(role):
            continue
        for ag in by[role]:
            chosen.setdefault(ag["iri"], ag)
        own = [ag["label"] for ag in by[role] if not ag["inherited"]]
        inh = [ag["label"] for ag in by[role] if ag["inherited"]]
        if own:
            parts.append(f"{'、'.join(own)}{ROLE_ZH[role]}")
        if inh:
            parts.append(f"按计划中的统一说明,{'、'.join(inh)}{ROLE_ZH[role]}落实")
    text = f"{where}:" + (";".join(parts) if parts else "没有写明责任单位") + "。"
    agencies = [{"iri": ag["iri"], "label": ag["label"]} for ag in chosen.values()]
    evidence = [fold(x) for ag in chosen.values() for x in a._labels(ag["iri"])]
    return Reply("lead", text, agencies, [a.cite(task, evidence)], sparql=sparql,
                 state=a._state("lead", [task], agencies[0]["iri"] if agencies else None, u, prev))


def support_reply(a: Answerer, u: Understanding, prev: State) -> Reply | None:
    found = a._task_roles(u, prev)
    if found is None:
        return None
    task, _units, by, sparql, where = found
    sup = by.get("support", [])
    names = "、".join(ag["label"] for ag in sup)
    text = f"{where}的配合单位是{names}。" if sup else f"{where}没有写明配合单位。"
    evidence = [fold(x) for ag in sup for x in a._labels(ag["iri"])] + ["配合"]
    agencies = [{"iri": ag["iri"], "label": ag["label"]} for ag in sup]
    return Reply("support", text, agencies, [a.cite(task, evidence)], sparql=sparql,
                 state=a._state("support", [task], sup[0]["iri"] if sup else None, u, prev))


def mark_beside(a: Answerer, reply: Reply, u: Understanding, used: list[Any]) -> None:
    """配合生态环境厅的: the agency a support word is held beside is used when it leads the task answered, and said."""
    if not reply.tasks:
        return
    by, _sparql = a.roles_of(a.lex.task_by_iri[reply.tasks[0]["iri"]])
    leads = {ag["iri"] for ag in by.get("lead", [])}
    for c in used:
        if c.kind == "agency" and c.linked and c.linked[0].get("iri") in u.beside and c.linked[0]["iri"] in leads:
            c.used, c.note = True, "牵头单位"
