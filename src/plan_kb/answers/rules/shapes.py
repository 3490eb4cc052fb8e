"""The compiled rules as SHACL: one family of node shapes per rule, generated into each build as ``rules.ttl``
(served at ``/rules.ttl``) next to ``rules.json`` (served at ``/rules``). Any SHACL engine runs them over a records
graph (``records.records_graph``); the shapes use SHACL Core only.

For a rule ``R`` (its IRI is that of the threshold's task or goal + ``/rule/<offset>``):

* ``R#applies`` — the record is about the rule's indicator (``chk:indicator``), source kind (``chk:sourceKind``),
  place (``chk:within`` / ``chk:place`` / ``chk:placeLevel``) and, for a target of a year, that year (``chk:year``);
* ``R#in-force`` — the record's ``chk:date`` is on or after the rule's first day;
* ``R#comparable`` — the record has a value in the rule's unit (``chk:in-<UNIT>``, converted from its own);
* ``R#value`` — that value passes the test (``sh:maxInclusive`` …);
* ``R`` itself (targets the records about its indicator, ``chk:RecordAbout/<concept>``; ``sh:Violation``;
  ``sh:message`` quoting the task): a record it
  applies to, in force and comparable, must pass the test — a result is a record that **breaks** the rule;
* ``R#not-in-force`` (``sh:Info``), ``R#not-comparable`` (``sh:Warning``), ``R#covers`` (``sh:Info``): a result of
  each is a record the rule applies to that is not yet under it, that cannot be compared, or that it covers.

Each shape states what its results mean with ``chk:signal`` ("breaks", "not_in_force", "not_comparable",
"applies") and ``chk:rule``, so a third party reads verdicts from any engine's report the way ``plan-kb check`` does.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, XSD

from plan_kb.answers.rules.compile import NEGATE, Compiled, Rule
from plan_kb.answers.rules.vocab import CHK as CHK_IRI
from plan_kb.answers.rules.vocab import about_class, source_scheme, unit_table
from plan_kb.base.namespaces import PKB, PREFIXES

CHK = Namespace(CHK_IRI)
INDICATORS = URIRef("https://w3id.org/plan-kb/id/indicators")
LOCAL_SCHEME = URIRef("https://w3id.org/plan-kb/id/indicators/local")
LOCAL_SOURCES = URIRef("https://w3id.org/plan-kb/id/sources/local")
BOUNDS = {"<=": [(SH.maxInclusive, 0)], "<": [(SH.maxExclusive, 0)], ">=": [(SH.minInclusive, 0)],
          ">": [(SH.minExclusive, 0)], "=": [(SH.minInclusive, 0), (SH.maxInclusive, 0)],
          "range": [(SH.minInclusive, 0), (SH.maxInclusive, 1)]}
SYMBOL = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "=": "=", "range": "∈", "outside": "∉"}


def value_path(unit: str) -> URIRef:
    """The records graph's property for a value in ``unit``: ``chk:in-MilliGM-PER-M3`` (``chk:value``, the
    number as written, for a zero target, which holds in any unit)."""
    if not unit:
        return CHK.value
    return CHK["in-" + unit.rstrip("/").rsplit("/", 1)[-1]]


def _dec(v: Decimal) -> Literal:
    return Literal(format(v.normalize(), "f"), datatype=XSD.decimal)


def describe(rule: Rule) -> str:
    """One line: air#5 焦化企业焦炉烟气 氮氧化物 ≤ 50 mg/m³."""
    sym = unit_table().get(rule.unit)
    unit = sym.symbol if sym else (rule.unit.rsplit("/", 1)[-1] if rule.unit else "(任何单位)")
    value = f"{rule.value}–{rule.max_value}" if rule.max_value is not None else f"{rule.value}"
    what = " ".join(x for x in (rule.subject if rule.kind == "threshold" else rule.place_label,
                                rule.indicator_label) if x)
    if rule.kind == "threshold" and rule.place_mode == "whole" and rule.place_label and \
            rule.place_label not in (rule.subject or ""):
        what += f" [{rule.place_label}]"  # one of the places the subject lists
    if rule.year:
        unit = f"{unit} ({rule.year}年{'起' if rule.extra.get('year_mode') == 'onward' else ''})".strip()
    if rule.role == "class":  # the class the plan names, not the test: 燃煤锅炉 锅炉容量 ≤ 35 t/h 淘汰/整治类
        cls = next((c for c, n in NEGATE.items() if n == rule.test), "range")
        return f"{rule.cite()} {what} {SYMBOL.get(cls, cls)} {value} {unit} (属此类即不符合)"
    return f"{rule.cite()} {what} {SYMBOL.get(rule.test, rule.test)} {value} {unit}"


def message(rule: Rule) -> str:
    head = f"{rule.cite()} {rule.title}".strip() if rule.kind == "threshold" else rule.cite()
    when = f"; in force from {rule.from_date.isoformat()}" if rule.from_date and rule.year is None else ""
    year = f"; target of {rule.year}" if rule.year else ""
    return f"breaks {describe(rule)}{when}{year} — {head}: 「{rule.quote}」"


def _prop(g: Graph, shape: URIRef | BNode, path: URIRef, **constraints: Any) -> None:
    p = BNode()
    g.add((shape, SH.property, p))
    g.add((p, SH.path, path))
    for k, v in constraints.items():
        g.add((p, SH[k], v))


def _list(g: Graph, items: list[Any]) -> BNode:
    """An RDF list of ``items`` (as rdflib's ``Collection`` writes it), made with ``g.add`` alone."""
    head = node = BNode()
    for i, item in enumerate(items):
        if i:
            nxt = BNode()
            g.add((node, RDF.rest, nxt))
            node = nxt
        g.add((node, RDF.first, item))
    if items:
        g.add((node, RDF.rest, RDF.nil))
    return head


def _not(g: Graph, shape: URIRef) -> BNode:
    n = BNode()
    g.add((n, SH["not"], shape))
    return n


def rule_shapes(g: Any, rule: Rule) -> None:
    """The shapes of ``rule``, added to ``g`` (an rdflib graph, or anything with its ``add``)."""
    r = URIRef(rule.iri)
    applies, in_force, comparable, value = (URIRef(rule.iri + s) for s in
                                            ("#applies", "#in-force", "#comparable", "#value"))
    # what the rule is, as data on its main shape
    g.add((r, RDF.type, CHK.Rule))
    g.add((r, CHK.role, Literal(rule.role)))
    g.add((r, CHK.test, Literal(rule.test)))
    g.add((r, PKB.comparator, Literal(rule.comparator)))
    g.add((r, PKB.value, _dec(rule.value)))
    if rule.max_value is not None:
        g.add((r, PKB.maxValue, _dec(rule.max_value)))
    if rule.unit:
        g.add((r, PKB.unit, URIRef(rule.unit)))
    g.add((r, CHK.indicator, URIRef(rule.indicator)))
    if rule.indicator_label:
        g.add((r, PKB.indicator, Literal(rule.indicator_label, lang="zh")))
    if rule.subject:
        g.add((r, PKB.subject, Literal(rule.subject, lang="zh")))
    if rule.source_kind:
        g.add((r, CHK.sourceKind, URIRef(rule.source_kind)))
    if rule.place:  # a plan with no jurisdiction gives a rule no place (not an empty IRI)
        g.add((r, CHK.place, URIRef(rule.place)))
    g.add((r, CHK.placeMode, Literal(rule.place_mode)))
    if rule.from_date:
        g.add((r, CHK["from"], Literal(rule.from_date)))
    if rule.year:
        g.add((r, PKB.year, Literal(rule.year)))
    g.add((r, CHK.item, URIRef(rule.item)))
    g.add((r, CHK.plan, Literal(rule.plan)))
    if rule.number is not None:
        g.add((r, PKB.number, Literal(rule.number)))
    if rule.title:
        g.add((r, DCTERMS.title, Literal(rule.title, lang="zh")))
    g.add((r, CHK.quote, Literal(rule.quote, lang="zh")))
    g.add((r, PKB.sourceStart, Literal(rule.source_start)))  # where the threshold (or goal) stands in the text
    g.add((r, RDFS.label, Literal(describe(rule), lang="zh")))

    # the parts
    g.add((applies, RDF.type, SH.NodeShape))
    _prop(g, applies, CHK.indicator, hasValue=URIRef(rule.indicator))
    if rule.source_kind:
        _prop(g, applies, CHK.sourceKind, hasValue=URIRef(rule.source_kind))
    if rule.place_mode in ("area", "other"):  # in any of the areas the subject names / in none of them
        in_areas = [BNode() for _a in rule.extra["areas"]]
        for node, area in zip(in_areas, rule.extra["areas"], strict=True):
            _prop(g, node, CHK.within, hasValue=URIRef(area))
        either = BNode()
        g.add((either, SH["or"], _list(g, in_areas)))
        if rule.place_mode == "area":
            g.add((applies, SH["and"], _list(g, [either])))
        else:
            _prop(g, applies, CHK.within, hasValue=URIRef(rule.place))
            g.add((applies, SH["not"], either))
        if rule.extra.get("place_types"):
            _prop(g, applies, CHK.placeType, minCount=Literal(1),
                  **{"in": _list(g, [Literal(t) for t in rule.extra["place_types"]])})
    elif rule.place:
        place = URIRef(rule.place)
        _prop(g, applies, CHK.place if rule.place_mode == "whole" else CHK.within, hasValue=place)
        if rule.place_mode in ("each_city", "each_county"):
            _prop(g, applies, CHK.placeLevel, hasValue=Literal(rule.place_mode.split("_")[1]))
    if rule.year and rule.extra.get("year_mode", "exact") == "exact":
        # a target of a year: the records of that year and of the years after the series' target before it; a
        # record of an earlier year is not yet in force (the in-force shape below)
        years: dict[str, Any] = {"maxInclusive": Literal(rule.year)}
        if rule.extra.get("after_year"):
            years["minExclusive"] = Literal(rule.extra["after_year"])
        _prop(g, applies, CHK.year, **years)
    g.add((comparable, RDF.type, SH.NodeShape))
    _prop(g, comparable, value_path(rule.unit), minCount=Literal(1))
    g.add((value, RDF.type, SH.NodeShape))
    vp = value_path(rule.unit)
    if rule.test == "outside":
        below, above = BNode(), BNode()
        _prop(g, below, vp, maxExclusive=_dec(rule.value))
        _prop(g, above, vp, minExclusive=_dec(rule.max_value or rule.value))
        g.add((value, SH["or"], _list(g, [below, above])))
    else:
        bounds = [rule.value, rule.max_value if rule.max_value is not None else rule.value]
        _prop(g, value, vp, **{k.split("#")[-1]: _dec(bounds[i]) for k, i in BOUNDS[rule.test]})
    parts: list[Any] = [_not(g, applies)]
    timed = rule.from_date is not None  # an "onward" zero target of a year is a limit from its first day
    if timed:
        g.add((in_force, RDF.type, SH.NodeShape))
        _prop(g, in_force, CHK.date, minInclusive=Literal(rule.from_date))
        parts.append(_not(g, in_force))
    parts += [_not(g, comparable), value]

    def targeted(shape: URIRef, severity: URIRef, signal: str, msg: str) -> None:
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, URIRef(about_class(rule.indicator))))
        g.add((shape, SH.severity, severity))
        g.add((shape, SH.message, Literal(msg, lang="zh")))
        g.add((shape, CHK.signal, Literal(signal)))
        g.add((shape, CHK.rule, r))

    targeted(r, SH.Violation, "breaks", message(rule))
    g.add((r, SH["or"], _list(g, parts)))
    cover = URIRef(rule.iri + "#covers")
    targeted(cover, SH.Info, "applies", f"applies: {describe(rule)}")
    g.add((cover, SH["not"], applies))
    if timed:
        nif = URIRef(rule.iri + "#not-in-force")
        targeted(nif, SH.Info, "not_in_force",
                 f"not yet in force (from {rule.from_date.isoformat()}): {describe(rule)}")  # type: ignore[union-attr]
        g.add((nif, SH["or"], _list(g, [_not(g, applies), in_force])))
    nc = URIRef(rule.iri + "#not-comparable")
    targeted(nc, SH.Warning, "not_comparable", f"not comparable (no value in {rule.unit}): {describe(rule)}")
    g.add((nc, SH["or"], _list(g, [_not(g, applies), comparable])))


def bound_graph() -> Graph:
    """An empty graph with the prefixes ``rules.ttl`` is written with."""
    g = Graph()
    for k, ns in PREFIXES.items():
        g.bind(k, ns)
    g.bind("chk", CHK)
    g.bind("sh", SH)
    g.bind("ind", Namespace("https://w3id.org/plan-kb/id/indicator/"))
    g.bind("src", Namespace("https://w3id.org/plan-kb/id/source/"))
    return g


def rules_graph(compiled: Compiled, kb: Graph, shapes: bool = True) -> Graph:
    """The shapes of every rule (unless not ``shapes``), with the vocabularies a records graph is linked to
    (indicators, source kinds)."""
    g = bound_graph()
    for c in set(kb.subjects(SKOS.inScheme, INDICATORS)) | {INDICATORS}:
        for t in kb.triples((c, None, None)):
            g.add(t)
    g += source_scheme()
    for iri, label in compiled.local_concepts.items():
        c = URIRef(iri)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, LOCAL_SCHEME))
        g.add((c, SKOS.prefLabel, Literal(label, lang="zh")))
    for iri, label in compiled.local_kinds.items():
        c = URIRef(iri)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, LOCAL_SOURCES))
        g.add((c, SKOS.prefLabel, Literal(label, lang="zh")))
    if compiled.local_kinds:
        g.add((LOCAL_SOURCES, RDF.type, SKOS.ConceptScheme))
        g.add((LOCAL_SOURCES, SKOS.prefLabel, Literal("规则中的适用对象", lang="zh")))
    if compiled.local_concepts:
        g.add((LOCAL_SCHEME, RDF.type, SKOS.ConceptScheme))
        g.add((LOCAL_SCHEME, SKOS.prefLabel, Literal("规则中的指标 (no concept in indicators.ttl)", lang="zh")))
    for rule in compiled.rules if shapes else ():
        rule_shapes(g, rule)
    return g


def write_rules(folder: Path, kb: Graph, previous: Path | None = None,
                units: dict[str, str] | None = None) -> Compiled:
    """Compile the rules of the union graph ``kb`` into ``folder/rules.ttl`` and ``folder/rules.json``; with
    ``previous`` (the build folder served now) and ``units`` (document graph IRI → unit key), the rules of the
    documents whose unit is unchanged are not compiled again, nor their shapes and entries written again
    (``incremental``, ``publish``)."""
    from plan_kb.answers.rules.incremental import compile_by_document, save
    from plan_kb.answers.rules.publish import publish

    compiled = compile_by_document(kb, units, previous)
    publish(folder, compiled, rules_graph(compiled, kb, shapes=False))
    save(folder, compiled)
    return compiled
