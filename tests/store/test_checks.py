"""The whole-base quality checks of ``shapes/*-violation.rq``: each has a passing and a failing case in
``shapes/tests/`` (TriG, since they are about graphs), and a build whose graph breaks one is not published."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from plan_kb.base.resources import CORPUS, SHAPES
from plan_kb.build import build
from plan_kb.errors import ValidationFailed
from plan_kb.store.checks import check_files, run_checks

CHECKS = check_files()


def _store(case: Path) -> ox.Store:
    s = ox.Store()
    s.load(path=str(case), format=ox.RdfFormat.TRIG)
    return s


def test_there_are_checks() -> None:
    assert {f.name for f in CHECKS} >= {"entity-in-many-documents-violation.rq",
                                        "shared-entity-in-document-violation.rq"}


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_each_check_passes_and_fails_its_cases(check: Path) -> None:
    name = check.name.removesuffix("-violation.rq")
    good, bad = SHAPES / "tests" / f"{name}.pass.trig", SHAPES / "tests" / f"{name}.fail.trig"
    assert good.exists() and bad.exists(), f"{check.name} needs {good.name} and {bad.name}"
    assert run_checks(_store(good), [check]) == []
    found = run_checks(_store(bad), [check])
    assert found and all(v.check == name for v in found)
    assert "id/" in found[0].line()


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_each_check_on_what_a_graph_adds_finds_what_the_whole_check_finds(check: Path) -> None:
    """After a change to a base that passed, a build checks only the entities the new statements are about: for
    each graph of the failing case whose absence makes it pass, the check on the subjects of that graph's quads
    finds every row the whole check finds; on nothing new it finds nothing."""
    bad = _store(SHAPES / "tests" / f"{check.name.removesuffix('-violation.rq')}.fail.trig")
    whole = run_checks(bad, [check])
    tried = 0
    for g in bad.named_graphs():
        base = ox.Store()
        base.extend(q for q in bad if q.graph_name != g)
        if run_checks(base, [check]):
            continue
        subjects = {q.subject for q in bad.quads_for_pattern(None, None, None, g)}
        assert run_checks(bad, [check], entities=subjects) == whole, g
        tried += 1
    assert tried
    assert run_checks(bad, [check], entities=set()) == []


def _describe_an_agency_in_the_document(ds) -> None:
    doc = ds.graph(URIRef("https://w3id.org/plan-kb/id/graph/jzbf-2022-95"))
    doc.add((URIRef("https://w3id.org/plan-kb/id/agency/sx-ecology-environment"), SKOS.altLabel,
             Literal("环保厅", lang="zh")))


@pytest.mark.slow
def test_a_build_that_breaks_a_check_is_not_published(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="shared-entity-in-document"):
        build(CORPUS, tmp_path, mutate=_describe_an_agency_in_the_document)
    assert not (tmp_path / "current").exists()
    assert not [p for p in (tmp_path / "builds").iterdir()]
