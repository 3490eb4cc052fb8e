"""SHACL validation of a built graph against ``shapes/``: violations stop a build, warnings are reported.

The shapes run in two engines, each where it is fast:

* SHACL Core (``sh:property``, ``sh:class``, ``sh:datatype`` …) in pySHACL, per document: a document's graph together
  with the graphs of the shared entities it links to (:func:`validate_dataset`), so the cost grows with the number
  of documents, not with its square;
* SPARQL-based constraints (``sh:sparql``) on Oxigraph, as one query per constraint over the whole data graph: the
  constraint's SELECT with ``$this`` left unbound, joined to the shape's targets. pySHACL runs them on rdflib's
  engine once per focus node, which was three quarters of the validation time on the bundled corpus (measured in
  ``make bench``). The constraint's SELECT must bind ``$this`` in a triple pattern (as SHACL's own examples do),
  which makes the two evaluations agree; ``sh:prefixes`` and pre-bound ``$shapesGraph``/``$currentShape`` are not
  supported and say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from plan_kb.base.resources import ONTOLOGY, SHAPES


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str
    shape: str
    message: str

    def line(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message} [{self.shape}]"


@dataclass(frozen=True)
class SparqlConstraint:
    shape: str
    severity: str
    message: str
    query: str  # the whole-graph query: ?this and the constraint's own variables


def shapes_graph(folder: Path = SHAPES) -> Graph:
    g = Graph()
    for f in sorted(folder.glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


@cache
def _ontology() -> Graph:
    g = Graph()
    for f in sorted(ONTOLOGY.glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def ontology_graph() -> Graph:
    return _ontology()


_SCHEMA_TYPES = {RDFS.Class, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                 OWL.Ontology, RDF.Property, SKOS.ConceptScheme}


@cache
def ontology_members() -> tuple:
    """The ontology's own individuals (the agency kinds, the source kinds …: members of the vocabularies it
    defines), with everything it says of them. pySHACL mixes in only an ontology's classes and properties, so a
    ``sh:class pkb:AgencyKind`` check of ``pkb:ProvincialDepartment`` needs these triples with the data; the graphs of
    the shared entities need not state them again."""
    onto = _ontology()
    members = {s for s, t in onto.subject_objects(RDF.type) if t not in _SCHEMA_TYPES
               and not set(onto.objects(s, RDF.type)) & _SCHEMA_TYPES}
    return tuple(t for m in sorted(members) for t in onto.triples((m, None, None)))


def split_shapes(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """The shapes without their SPARQL-based constraints (for pySHACL), and those constraints as whole-graph
    queries (for Oxigraph)."""
    core = Graph()
    for t in shapes:
        if t[1] != SH.sparql:
            core.add(t)
    out = []
    for shape, c in shapes.subject_objects(SH.sparql):
        if shapes.value(c, SH.deactivated) is not None and shapes.value(c, SH.deactivated).toPython() is True:
            continue
        select = shapes.value(c, SH.select)
        if select is None:
            raise ValueError(f"{shape}: a SPARQL constraint without sh:select")
        if shapes.value(c, SH.prefixes) is not None or re.search(r"\$(shapesGraph|currentShape)\b", str(select)):
            raise ValueError(f"{shape}: sh:prefixes, $shapesGraph and $currentShape are not supported; "
                             "write full IRIs")
        targets = _targets(shapes, shape)
        if not targets:
            raise ValueError(f"{shape}: a SPARQL constraint on a shape without a target")
        body = re.sub(r"\$this\b", "?this", str(select))
        query = f"SELECT * WHERE {{ {{ {' UNION '.join(targets)} }} {{ {body} }} }}"
        sev = shapes.value(c, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
        out.append(SparqlConstraint(str(shape), str(sev).rsplit("#", 1)[-1], _message(shapes, c, shape), query))
    return core, out


def _targets(shapes: Graph, shape) -> list[str]:
    """SPARQL groups that bind ?this to each focus node of ``shape``."""
    out = []
    for cls in shapes.objects(shape, SH.targetClass):
        classes = {cls} | set(_ontology().transitive_subjects(RDFS.subClassOf, cls))
        out.append(f"{{ VALUES ?targetClass {{ {' '.join(URIRef(c).n3() for c in sorted(classes))} }} "
                   "?this a ?targetClass }")
    out += [f"{{ ?this {URIRef(p).n3()} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    out += [f"{{ [] {URIRef(p).n3()} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    out += [f"{{ VALUES ?this {{ {n.n3()} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    return out


def _message(shapes: Graph, *nodes) -> str:
    for n in nodes:
        msgs = list(shapes.objects(n, SH.message))
        zh = [m for m in msgs if getattr(m, "language", None) == "zh"]
        if zh or msgs:
            return str((zh or msgs)[0])
    return ""


def run_sparql_constraints(data: Graph, constraints: list[SparqlConstraint]) -> list[Finding]:
    """Every result of the SPARQL-based constraints on ``data``, evaluated by Oxigraph."""
    import pyoxigraph as ox

    from plan_kb.graph.rules import to_ox

    if not constraints:
        return []
    store = ox.Store()  # a Dataset gives quads, a Graph triples: the first three terms either way
    store.extend([ox.Quad(to_ox(t[0]), to_ox(t[1]), to_ox(t[2]), ox.DefaultGraph()) for t in data])
    out = []
    for c in constraints:
        res = store.query(c.query)
        names = [v.value for v in res.variables]
        for sol in res:
            vals = {n: sol[n] for n in names if sol[n] is not None}
            msg = re.sub(r"\{[?$](\w+)\}", lambda m, v=vals: _plain(v.get(m.group(1))), c.message)
            out.append(Finding(c.severity, _plain(vals.get("this")), _plain(vals.get("path")), c.shape, msg))
    return out


def _plain(term) -> str:
    return "" if term is None else str(getattr(term, "value", term))


def _pyshacl(data: Graph, core: Graph) -> list[Finding]:
    from pyshacl import validate as shacl_validate  # imported here: a command that only reads need not load it

    _conforms, report, _text = shacl_validate(data, shacl_graph=core, ont_graph=_ontology(),
                                              inference="none", advanced=True, allow_warnings=True)
    owner = {prop: node for node, prop in core.subject_objects(SH.property)}
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
    return out


def _sorted(findings) -> list[Finding]:
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(set(findings), key=lambda f: (order.get(f.severity, 3), f.focus, f.path, f.shape, f.message))


def validate_graph(data: Graph, shapes: Graph | None = None) -> list[Finding]:
    """Every finding of the shapes on ``data`` (with the ontology for class hierarchy, and its own members)."""
    core, constraints = split_shapes(shapes if shapes is not None else shapes_graph())
    known = _with_members(data)
    return _sorted(_pyshacl(known, core) + run_sparql_constraints(known, constraints))


def _with_members(data: Graph) -> Graph:
    """A copy of ``data`` with the ontology's members in it (in each graph of a dataset, which pySHACL validates
    one graph at a time)."""
    if isinstance(data, Dataset):
        out = Dataset()
        for g in data.graphs():
            if len(g):
                copy = out.graph(g.identifier)
                for t in (*ontology_members(), *g):
                    copy.add(t)
        return out
    out = Graph()
    for t in (*ontology_members(), *data):
        out.add(t)
    return out


def validate_dataset(ds: Dataset, shared: list[URIRef], shapes: Graph | None = None,
                     progress=None) -> list[Finding]:
    """Every finding of the shapes on each document's graph of ``ds`` with the ``shared`` entity graphs it links
    to, and on the shared graphs alone when there is no document; a finding is listed once."""
    core, constraints = split_shapes(shapes if shapes is not None else shapes_graph())
    common = [*ontology_members(), *(t for g in shared for t in ds.graph(g))]
    docs = [g for g in ds.graphs() if g.identifier not in set(shared) and len(g)]
    findings: list[Finding] = []
    for doc in docs or [Graph()]:
        if progress:
            progress(f"validating {doc.identifier}")
        data = Graph()
        for t in common:
            data.add(t)
        for t in doc:
            data.add(t)
        findings += _pyshacl(data, core) + run_sparql_constraints(data, constraints)
    return _sorted(findings)


def violations(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "Violation"]
