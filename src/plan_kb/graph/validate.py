"""SHACL validation of a built graph against ``shapes/``: violations stop a build, warnings are reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SH

from plan_kb.base.resources import ONTOLOGY, SHAPES


@dataclass
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    shape: str
    message: str

    def line(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message} [{self.shape}]"


def shapes_graph(folder: Path = SHAPES) -> Graph:
    g = Graph()
    for f in sorted(folder.glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def ontology_graph() -> Graph:
    g = Graph()
    for f in sorted(ONTOLOGY.glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def validate_graph(data: Graph, shapes: Graph | None = None) -> list[Finding]:
    """Every finding of the shapes on ``data`` (with the ontology for class hierarchy)."""
    from pyshacl import validate as shacl_validate  # imported here: a command that only reads need not load it

    shapes = shapes if shapes is not None else shapes_graph()
    _conforms, report, _text = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology_graph(),
                                              inference="none", advanced=True, allow_warnings=True)
    owner = {prop: node for node, prop in shapes.subject_objects(SH.property)}
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        source = report.value(r, SH.sourceShape)
        sev = report.value(r, SH.resultSeverity)
        out.append(Finding(
            severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
            focus=str(report.value(r, SH.focusNode)),
            path=str(report.value(r, SH.resultPath) or ""),
            shape=str(owner.get(source, source) or ""),
            message=str(report.value(r, SH.resultMessage) or ""),
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(out, key=lambda f: (order.get(f.severity, 3), f.focus, f.path))


def violations(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "Violation"]
