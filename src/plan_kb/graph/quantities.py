"""Thresholds of tasks and measures, and the goals of a plan, as quantities (contract: "Thresholds and goals").

``?item pkb:hasThreshold ?t`` with comparator, value (maxValue), QUDT unit, indicator, subject, year, the SKOS
concept of the indicator and provenance; a ``pkb:Goal`` carries the same value properties itself. The indicator
scheme (``extraction/indicators.ttl``) is published in its own named graph so that look-ups can resolve synonyms.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from plan_kb.base.namespaces import PKB
from plan_kb.graph.places import home_province, own_division, place_node
from plan_kb.graph.writer import ENTITY_GRAPHS, GraphWriter
from plan_kb.reading.goals import GoalReading, plan_year, read_goals
from plan_kb.reading.model import Item, Plan
from plan_kb.reading.places import read_places
from plan_kb.reading.quantities import Quantity, find_concepts, indicator_scheme, read_quantities, with_offset

VOCABULARY_GRAPH = ENTITY_GRAPHS["indicators"]


def write_item(w: GraphWriter, plan: Plan, item: Item) -> None:
    """One ``pkb:Threshold`` per value the item sets."""
    parent = w.item_iri(item)
    for n, q in enumerate(read_quantities(item.text), start=1):
        q = with_offset(q, item.start)
        node = w.typed(w.child_iri(parent, "threshold", n), PKB.Threshold)
        w.add(parent, PKB.hasThreshold, node)
        write_values(w, node, q)
        w.provenance(node, q.start, q.end)


def write_plan(w: GraphWriter, plan: Plan) -> None:
    """The goals of 主要目标 / 工作目标, and the indicator scheme they and the thresholds refer to."""
    publish_scheme(w)
    plan_node = w.plan_iri(plan)
    for n, goal in enumerate(read_goals(plan.goal_blocks, plan_year(plan.title)), start=1):
        node = w.typed(w.child_iri(plan_node, "goal", n), PKB.Goal)
        w.add(node, PKB.inPlan, plan_node)
        w.add(node, DCTERMS.title, w.zh(goal.text))
        w.add(node, PKB.text, w.zh(goal.text))
        if goal.year is not None:
            w.add(node, PKB.year, Literal(goal.year, datatype=XSD.integer))
        if goal.quantity:
            write_values(w, node, goal.quantity, year=False)
        else:
            found = find_concepts(goal.text)
            if found:
                w.add(node, PKB.indicatorConcept, URIRef(found[-1][2]))
        write_goal_places(w, plan, node, goal)
        w.provenance(node, goal.start, goal.end)


def write_goal_places(w: GraphWriter, plan: Plan, node: URIRef, goal: GoalReading) -> None:
    """The places a goal names ("运城市、吕梁市、临汾市…退出后10名"), read as the places family reads items."""
    province = home_province(w, plan)
    reading = read_places(goal.text, province, base=goal.start, own=own_division(w, plan))
    for n, m in enumerate(reading.mentions, start=1):
        place = place_node(w, m.ref, province)
        w.add(node, PKB.concernsPlace, place)
        mention = w.typed(w.child_iri(node, "place-mention", n), PKB.PlaceMention)
        w.add(node, PKB.hasPlaceMention, mention)
        w.add(mention, PKB.mentionOf, place)
        w.add(mention, PKB.readingRule, Literal(m.rule))
        w.provenance(mention, m.start, m.end)


def write_values(w: GraphWriter, node: URIRef, q: Quantity, year: bool = True) -> None:
    w.add(node, PKB.comparator, Literal(q.comparator))  # a plain literal: xsd:string in RDF 1.1
    w.add(node, PKB.value, decimal(q.value))
    if q.max_value is not None:
        w.add(node, PKB.maxValue, decimal(q.max_value))
    w.add(node, PKB.unit, URIRef(q.unit.iri))
    if q.indicator:
        w.add(node, PKB.indicator, w.zh(q.indicator))
    if q.subject:
        w.add(node, PKB.subject, w.zh(q.subject))
    if year and q.year is not None:
        w.add(node, PKB.year, Literal(q.year, datatype=XSD.integer))
    if q.concept:
        w.add(node, PKB.indicatorConcept, URIRef(q.concept))
    w.add(node, PKB.valueText, w.zh(q.written))


def decimal(d: Decimal) -> Literal:
    return Literal(d, datatype=XSD.decimal)


def publish_scheme(w: GraphWriter) -> None:
    """Copy the indicator scheme into its named graph (once per build: the triples are a set)."""
    g = w.shared("indicators")
    if (None, RDF.type, SKOS.ConceptScheme) in g:
        return
    for t in indicator_scheme():
        g.add(t)
