"""Who acts on one item, read the one way the build writes it and ``plan-kb build --explain`` shows it: the item's
own role notes, then the role cells of its annexed table rows (a row names the roles of the body's task of its
number), else — for a task with no role of its own — the note closing its section heading's paragraph
(:mod:`plan_kb.reading.section_notes`), else the roles its sentences state (:mod:`plan_kb.reading.sentence_roles`).
Pure: a document's text, a plan and an item in, a :class:`~plan_kb.reading.roles.RoleReading` out, whose
``source`` says which of these gave it.
"""

from __future__ import annotations

from plan_kb.reading.model import Item
from plan_kb.reading.roles import RoleContext, RoleMention, RoleReading, read_roles, same_as_lines
from plan_kb.reading.section_notes import section_note
from plan_kb.reading.sentence_roles import sentence_roles


def item_roles(text: str, item: Item, context: RoleContext) -> RoleReading:
    """The roles of ``item`` (a task or measure of a plan whose ``context`` is carried from item to item, in order);
    ``text`` is the document's normalised text."""
    reading = read_roles(item.text, offset=item.start, context=context, columns=item.columns)
    reading.source = "notes"
    for row in item.annex:  # an annexed table's row of this task: its role cells are the task's roles too
        if row.columns == ("note",):  # "第二项、第三项　X牵头,Y配合": the row after its reference is one note
            more = read_roles("(" + row.text + ")", offset=row.start - 1, context=context)
        else:
            more = read_roles(row.text, offset=row.start, context=context, columns=row.columns)
        have = {(m.role, m.name) for m in reading.mentions}
        reading.mentions.extend(m for m in more.mentions if (m.role, m.name) not in have)
        reading.notes.extend(more.notes)
        reading.doubts.extend(more.doubts)
        reading.spans.extend(more.spans)
        reading.how.extend(f"annex row {row.number}: {how}" for how in more.how)
    _copy_same_as(item, reading, context)
    if item.kind == "task":
        context.readings[item.number] = reading = _fallback(text, item, reading, context)
    return reading


def _fallback(text: str, item: Item, reading: RoleReading, context: RoleContext) -> RoleReading:
    """A task with no role of its own: its section's note, if any, else the roles its sentences state."""
    if reading.mentions:
        return reading
    covering = section_note(text, item.heading, context)
    if covering is not None:
        covering.source = "section note"
        return covering
    if reading.spans:
        return reading
    said = sentence_roles(item.text, offset=item.start, context=context)
    said.source = "sentences"
    return said


def _copy_same_as(item: Item, reading: RoleReading, context: RoleContext) -> None:
    """"主办单位、协办单位同第6项。": the roles of task 6 for those labels, with the span of the line that says so."""
    for roles, n, a, b in same_as_lines(item.text):
        source = context.readings.get(n)
        if source is None:
            reading.doubts.append((f"the roles of task {n} are copied, but no earlier task {n} was read",
                                   item.start + a, item.start + b))
            continue
        have = {(m.role, m.name) for m in reading.mentions}
        reading.mentions.extend(
            RoleMention(m.role, m.name, item.start + a, item.start + b, f"同第{n}项")
            for m in source.mentions if m.role in roles and (m.role, m.name) not in have)
        reading.spans.append((item.start + a, item.start + b))
        reading.how.append(f"copies task {n}'s {', '.join(roles)}")
