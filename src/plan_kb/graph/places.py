"""Facts of the family 'places' (not yet read: this module is filled by its issue)."""

from __future__ import annotations

from plan_kb.graph.writer import GraphWriter
from plan_kb.model import Item, Plan


def write_item(w: GraphWriter, plan: Plan, item: Item) -> None:
    """Add this family's facts about one task or measure."""


def write_plan(w: GraphWriter, plan: Plan) -> None:
    """Add this family's facts about the plan as a whole (goals, standing notes)."""
