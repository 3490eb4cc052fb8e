"""``limits`` finds a limit by any word of what was read, where no indicator concept names it."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from plan_kb.answers.limits import limits
from plan_kb.errors import NotFound


def test_a_limit_by_the_words_of_its_subject(dataset: Dataset) -> None:
    rows = limits(dataset, "生态缓冲带")
    assert [(r.plan, r.number, r.comparator, float(r.value), float(r.max_value)) for r in rows] == \
        [("water", 13, "range", 30.0, 50.0)]
    assert rows[0].concept == "" and "生态缓冲带" in (rows[0].subject or "")


def test_a_concept_still_wins_and_nothing_is_not_found(dataset: Dataset) -> None:
    assert all(r.concept for r in limits(dataset, "NOx"))
    with pytest.raises(NotFound, match="no indicator named"):
        limits(dataset, "不存在的东西")


def test_the_command(use_kb, capsys: pytest.CaptureFixture[str]) -> None:
    from plan_kb import cli

    assert cli.main(["limits", "生态缓冲带"]) == 0
    out = capsys.readouterr().out
    assert "water#13" in out and "30–50 m" in out
