"""The search finds what staff look for: every case of tests/answers/search_cases.yaml and every ``text`` question of
the gold files must have its items among the first five hits."""

from __future__ import annotations

from pathlib import Path

import pytest

from plan_kb.answers.search.quality import Case, gold_text_cases, load_cases, measure, run_case
from plan_kb.base.resources import ROOT
from plan_kb.build import BuildResult

CASES = load_cases(Path(__file__).parent / "search_cases.yaml")
GOLD = ROOT.parent / "shared" / "gold"
GOLD_CASES = gold_text_cases(GOLD) if GOLD.is_dir() else []


@pytest.mark.parametrize("case", CASES, ids=[c.q for c in CASES])
def test_search_case(built: BuildResult, case: Case) -> None:
    outcome = run_case(built.folder, case)
    assert outcome.passed, f"{case.q!r}: ranks {outcome.ranks} (must be ≤ 5)"


@pytest.mark.skipif(not GOLD.is_dir(), reason="no ../shared/gold beside the checkout")
@pytest.mark.parametrize("case", GOLD_CASES, ids=[c.q for c in GOLD_CASES])
def test_gold_text_question(built: BuildResult, case: Case) -> None:
    outcome = run_case(built.folder, case)
    assert outcome.passed, f"{case.q!r} ({case.source}): ranks {outcome.ranks} (must be ≤ 5)"


def test_there_are_gold_text_questions() -> None:
    if GOLD.is_dir():
        assert GOLD_CASES, "the gold files have no text question: the gold check would test nothing"


def test_quality_figures(built: BuildResult) -> None:
    m = measure(built.folder, CASES + GOLD_CASES)
    assert m["recall_at_5"] == 1.0, m["failed"]
    assert m["mrr"] >= 0.8, m


def test_cases_file_is_well_formed() -> None:
    assert len(CASES) >= 40
    kinds = {c.kind for c in CASES}
    assert {"synonym", "place", "pollutant", "remembered", "paraphrase", "operator"} <= kinds
    for c in CASES:
        assert c.expected and all("#" in e for e in c.expected), c

