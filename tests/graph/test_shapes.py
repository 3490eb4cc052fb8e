"""Each shape has a passing and a failing case in shapes/tests/; the shapes themselves pass pySHACL's meta-shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from plan_kb.base.resources import SHAPES
from plan_kb.graph.validate import shapes_graph, validate_graph

SHAPES_NS = "https://w3id.org/plan-kb/shapes#"
CASES = sorted(SHAPES.glob("tests/*.ttl"))


def _shape_names() -> set[str]:
    g = shapes_graph()
    return {str(s)[len(SHAPES_NS):] for s in g.subjects(RDF.type, SH.NodeShape) if str(s).startswith(SHAPES_NS)}


def _results_from(shape: str, data_file: Path) -> list[str]:
    data = Graph().parse(data_file, format="turtle")
    return [f.message for f in validate_graph(data) if f.shape == SHAPES_NS + shape]


@pytest.mark.parametrize("case", [c for c in CASES if c.name.endswith(".pass.ttl")], ids=lambda p: p.name)
def test_passing_case_has_no_result_from_its_shape(case: Path) -> None:
    shape = case.name.removesuffix(".pass.ttl")
    assert _results_from(shape, case) == []


@pytest.mark.parametrize("case", [c for c in CASES if c.name.endswith(".fail.ttl")], ids=lambda p: p.name)
def test_failing_case_is_caught_by_its_shape(case: Path) -> None:
    shape = case.name.removesuffix(".fail.ttl")
    messages = _results_from(shape, case)
    assert messages, f"{shape} let {case.name} through"
    assert all(m for m in messages), "every result carries a message"


def test_every_shape_has_both_cases() -> None:
    names = {c.name.split(".")[0] for c in CASES}
    missing = sorted(_shape_names() - names)
    assert not missing, f"shapes without test cases: {missing}"
    for n in _shape_names():
        assert (SHAPES / "tests" / f"{n}.pass.ttl").exists(), n
        assert (SHAPES / "tests" / f"{n}.fail.ttl").exists(), n


def test_shapes_carry_names_and_chinese_messages() -> None:
    g = shapes_graph()
    for s in g.subjects(RDF.type, SH.NodeShape):
        if not str(s).startswith(SHAPES_NS):
            continue
        assert g.value(s, SH.name) is not None, f"{s} has no sh:name"
        messages = list(g.objects(s, SH.message)) + [m for p in g.objects(s, SH.property)
                                                     for m in g.objects(p, SH.message)]
        assert any(getattr(m, "language", None) == "zh" for m in messages), f"{s} has no Chinese sh:message"


def test_shapes_pass_the_shacl_meta_shapes() -> None:
    conforms, _, text = validate(shapes_graph(), meta_shacl=True, advanced=True)
    assert conforms, text
