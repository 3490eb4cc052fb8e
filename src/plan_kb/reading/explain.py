"""What the reader found where in one document, for a person who adds a document and wants to see why something
was missed (``plan-kb build --explain FILE``): the notice, each plan's title and how it was found, its headings
with their kinds, its items, and each role note with how it was split into (role, name) pairs — the roles read by
:func:`plan_kb.reading.item_roles.item_roles`, the one reading the build writes (a task's own notes and annexed
rows, else its section's note, else its sentences).

Pure: a document in, lines of text out; nothing is built.
"""

from __future__ import annotations

from collections.abc import Iterator

from plan_kb.reading.item_roles import item_roles
from plan_kb.reading.model import Document, Item, Plan
from plan_kb.reading.roles import RoleContext
from plan_kb.reading.tables import plan_role_context, plan_standing_notes

_ROLE_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "督促指导"}


def _short(text: str, n: int = 40) -> str:
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= n else text[: n - 1] + "…"


def explain(doc: Document) -> str:
    """A human-readable account of the reading of ``doc``."""
    return "\n".join(_lines(doc)) + "\n"


def _lines(doc: Document) -> Iterator[str]:
    n = doc.notice
    yield f"{doc.path.name}: document {doc.slug} ({len(doc.text)} characters normalised)"
    yield f"  notice: number {n.number or '—'}; title {n.title or '—'}; issuer {n.issuer or '—'}"
    for c in n.cited_titles:
        yield f"    cites 《{c.text}》 @{c.start}"
    for h in doc.normalized.doubts:
        yield f"  doubt @{h.start}: {h.message} ({h.context})"
    for d in doc.doubts:
        yield f"  doubt [{d.kind}] @{d.start}: {d.message}"
    for plan in doc.plans:
        yield from _plan(doc, plan)


def _plan(doc: Document, plan: Plan) -> Iterator[str]:
    yield ""
    yield f"plan {plan.key}: {plan.title}"
    yield f"  title: {plan.title_how}, @{plan.title_start}–{plan.title_end}" + (
        f"; period {plan.period[0]}–{plan.period[1]}" if plan.period else "")
    if plan.preamble:
        yield f"  preamble @{plan.preamble.start}: {_short(plan.preamble.text, 60)}"
    context = plan_role_context(doc, plan)
    if context.first_leads:
        yield "  a positional rule before the tasks: the first name of each note leads"
    for note in plan_standing_notes(doc, plan):
        actors = "、".join(x.name for x in note.actors)
        yield (f"  standing paragraph @{note.start}: {actors} {_ROLE_ZH[note.role]} for every task ({note.scope}): "
               f"{_short(doc.text[note.start:note.end], 50)}")
    for b in plan.goal_blocks:
        yield f"  goal paragraph @{b.start}: {_short(b.text, 60)}"
    by_heading: dict[int, list[Item]] = {}
    loose: list[Item] = []
    for item in plan.items:
        (by_heading.setdefault(id(item.heading), []) if item.heading else loose).append(item)
    for item in loose:
        yield from _item(doc, plan, item, context, "  ")
    for h in plan.headings:
        indent = "  " * h.level
        yield f"{indent}{h.label if h.level == 1 else h.label[:60]}  [{h.kind}] @{h.start}"
        for item in by_heading.get(id(h), []):
            yield from _item(doc, plan, item, context, indent + "  ")
    tasks, measures = len(plan.tasks), len(plan.measures)
    yield f"  = {tasks} tasks ({', '.join(str(t.number) for t in plan.tasks)}), {measures} measures"


def _item(doc: Document, plan: Plan, item: Item, context: RoleContext, indent: str) -> Iterator[str]:
    label = "task" if item.kind == "task" else "measure"
    paras = item.text.count("\n") + 1
    yield (f"{indent}{label} {item.number} ({item.key}) @{item.start}–{item.end}, {paras} paragraph"
           f"{'s' if paras > 1 else ''}: {item.title}")
    if item.columns:
        yield f"{indent}  a table row; its columns by the header: {'|'.join(item.columns)}"
    reading = item_roles(doc.text, item, context)  # the one reading the build writes
    for row in item.annex:
        yield (f"{indent}  annex row {row.number} @{row.start}–{row.end} gives its roles and deadlines: "
               f"{_short(row.text, 60)}")
    if reading.source == "section note":
        yield f"{indent}  no role note of its own: the roles of its section's note"
    elif reading.source == "sentences" and reading.spans:
        yield f"{indent}  no role note: the roles its sentences state"
    if not reading.spans and item.kind == "task":
        yield f"{indent}  no role note"
    for k, ((a, b), how) in enumerate(zip(reading.spans, reading.how, strict=True), start=1):
        yield f"{indent}  note {k} ({how}) @{a}–{b}: {_short(doc.text[a:b], 70)}"
        for m in reading.mentions:
            if a <= m.start < b:
                written = doc.text[m.start:m.end]
                shown = m.name if written == m.name else f"{m.name} (written {written})"
                if m.other:
                    shown += f", other name {m.other[0]} @{m.other[1]}"
                yield f"{indent}    {m.role:<11} {shown}  ← {m.word}"
        for note in reading.notes:
            if a <= note.start < b:
                actors = "、".join(x.name for x in note.actors)
                yield f"{indent}    standing note: {actors} {_ROLE_ZH[note.role]} for later tasks ({note.scope})"
    for message, a, _b in reading.doubts:
        yield f"{indent}  doubt @{a}: {message}"
