"""Tests of stage 4, the look-ups: questions (YAML cases and features), search (YAML cases and features), calendars.
The question reader is opened once per module on the session's knowledge base."""

from __future__ import annotations

import pytest

from plan_kb.answers.ask import Asker
from plan_kb.build import BuildResult


@pytest.fixture(scope="module")
def asker(built: BuildResult) -> Asker:
    return Asker.open(built.folder)
