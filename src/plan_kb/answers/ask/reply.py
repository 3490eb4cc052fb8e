"""What an answer is made of before it becomes the contract's JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plan_kb.answers.ask.chat import State


@dataclass
class Reply:
    intent: str
    answer: str
    agencies: list[dict[str, str]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    sparql: str = ""
    state: State | None = None  # what this answer establishes for a follow-up
    constraints: list[dict[str, Any]] = field(default_factory=list)
