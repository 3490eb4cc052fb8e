"""Facts of the family 'deadlines': every time expression of a task or measure as a ``pkb:Deadline`` node.

The reading is done by :mod:`plan_kb.reading.deadlines`; this module only writes what it read, with the clause
that is due as ``pkb:requirementText`` and the clause's span as provenance. Goals carry no deadlines of their own
(a goal's year is its ``pkb:year``).
"""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF, XSD

from plan_kb.base.namespaces import PKB
from plan_kb.graph.places import home_province
from plan_kb.graph.writer import GraphWriter
from plan_kb.reading.deadlines import Deadline
from plan_kb.reading.model import Item, Plan
from plan_kb.reading.tables import annex_deadlines, due_key, row_deadlines
from plan_kb.reading.yearless import plan_year


def write_item(w: GraphWriter, plan: Plan, item: Item) -> None:
    """One ``pkb:hasDeadline`` node per time expression of the item, numbered in the order of the text."""
    item_iri = w.item_iri(item)
    province = home_province(w, plan)
    region = province.name if province is not None else None
    year = plan_year(plan.title, plan.period)
    found = [(d, item.start) for d in row_deadlines(item, plan.period, region, year)]
    for row in item.annex:  # an annexed table's deadline cell: a date the body does not already give
        have = {due_key(d) for d, _ in found}
        found += [(d, row.start) for d in annex_deadlines(row, plan.period, region, year) if due_key(d) not in have]
    for n, (d, offset) in enumerate(found, start=1):
        node = w.child_iri(item_iri, "deadline", n)
        w.add(item_iri, PKB.hasDeadline, node)
        write_deadline(w, node, d, offset)


def write_deadline(w: GraphWriter, node, d: Deadline, offset: int) -> None:
    """The node's kind, date fields and clause; ``offset`` turns the reader's offsets into document offsets."""
    g = w.g
    g.add((node, RDF.type, PKB.Deadline))
    g.add((node, PKB.deadlineKind, PKB[d.kind]))
    g.add((node, PKB.timeExpression, w.zh(d.expression)))
    if d.date:
        g.add((node, PKB.date, Literal(d.date.isoformat(), datatype=XSD.date)))
    if d.start_date:
        g.add((node, PKB.startDate, Literal(d.start_date.isoformat(), datatype=XSD.date)))
    if d.rrule:
        g.add((node, PKB.rrule, Literal(d.rrule, datatype=XSD.string)))
    if d.offset:
        g.add((node, PKB.offset, Literal(d.offset, datatype=XSD.duration)))
    if d.event:
        g.add((node, PKB.afterEvent, w.zh(d.event)))
    if d.approximate:
        g.add((node, PKB.approximate, Literal(True)))
    if d.requirement:
        g.add((node, PKB.requirementText, w.zh(d.requirement)))
    w.provenance(node, offset + d.clause_start, offset + d.clause_end)


def write_plan(w: GraphWriter, plan: Plan) -> None:
    """Nothing at plan level: the goals' years are quantities, not deadlines (conventions.md, "Deadlines")."""
