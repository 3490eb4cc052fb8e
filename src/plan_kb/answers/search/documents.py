"""What the search index knows about each task, measure and goal, read from the graph through the public names.

Everything here is a SPARQL query over the union of the build's named graphs, so facets fill in as the families of
facts (roles, deadlines, places, thresholds, goals) land in the graph, without changes to the index.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Dataset, Literal, URIRef
from rdflib.query import Result

from plan_kb.base.namespaces import sparql_prefixes

ROLES = {"leadAgency": "lead", "supportingAgency": "support", "responsibleAgency": "responsible",
         "guidingAgency": "guide"}
KINDS = {"Task": "task", "Measure": "measure", "Goal": "goal"}

_P = sparql_prefixes()

Q_ITEMS = _P + """
SELECT ?s ?cls ?key ?ptitle ?num ?title ?text ?src ?ss ?se ?doc WHERE {
  VALUES ?cls { pkb:Task pkb:Measure pkb:Goal }
  ?s a ?cls ; pkb:inPlan ?p . ?p pkb:planKey ?key .
  OPTIONAL { ?p dcterms:title ?ptitle }
  OPTIONAL { ?s pkb:number ?num }
  OPTIONAL { ?s dcterms:title ?title }
  OPTIONAL { ?s pkb:text ?text }
  OPTIONAL { ?s pkb:sourceText ?src }
  OPTIONAL { ?s pkb:sourceStart ?ss ; pkb:sourceEnd ?se }
  OPTIONAL { ?s prov:wasDerivedFrom ?doc }
}"""

Q_ROLES = _P + """
SELECT ?s ?prop ?a WHERE {
  VALUES ?prop { pkb:leadAgency pkb:supportingAgency pkb:responsibleAgency pkb:guidingAgency }
  ?s ?prop ?a .
}"""

Q_LABELS = _P + """
SELECT ?x ?kind ?l WHERE {
  VALUES (?p ?kind) { (skos:prefLabel "pref") (skos:altLabel "alt") (rdfs:label "label") }
  ?x ?p ?l .
}"""

Q_PLACES = _P + "SELECT ?s ?p WHERE { ?s pkb:concernsPlace ?p }"
Q_JURISDICTIONS = _P + "SELECT ?s ?j WHERE { ?s pkb:inPlan ?p . ?p pkb:jurisdiction ?j }"
Q_WITHIN = _P + "SELECT ?c ?p WHERE { ?c pkb:within ?p }"

Q_DEADLINES = _P + """
SELECT ?s ?date ?start WHERE {
  ?s pkb:hasDeadline ?d .
  OPTIONAL { ?d pkb:date ?date }
  OPTIONAL { ?d pkb:startDate ?start }
}"""

Q_INDICATORS = _P + """
SELECT ?s ?i WHERE {
  { ?s pkb:hasThreshold ?t . ?t pkb:indicator ?i } UNION { ?s a pkb:Goal ; pkb:indicator ?i }
}"""

Q_SYNONYM_LABELS = _P + """
SELECT ?x ?l WHERE { ?x skos:prefLabel|skos:altLabel ?l }"""


@dataclass
class Entry:
    """One searchable item."""

    iri: str
    kind: str
    plan: str
    plan_title: str = ""
    number: int | None = None
    title: str = ""
    text: str = ""
    document: str = ""
    start: int | None = None
    end: int | None = None
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    places: set[str] = field(default_factory=set)  # places named, with all their parents
    dates: set[str] = field(default_factory=set)  # ISO due dates of its deadlines (pkb:date)
    starts: set[str] = field(default_factory=set)  # ISO start dates of its During / From deadlines
    indicators: set[str] = field(default_factory=set)
    jurisdictions: set[str] = field(default_factory=set)  # its plan's jurisdiction, with the divisions above it

    @property
    def years(self) -> set[str]:
        return {d[:4] for d in self.dates | self.starts}

    @property
    def agencies(self) -> set[str]:
        return set().union(*self.roles.values()) if self.roles else set()


@dataclass
class Corpus:
    entries: list[Entry]
    labels: dict[str, dict[str, list[str]]]  # IRI → {"pref": […], "alt": […], "label": […]}

    def label(self, iri: str) -> str:
        ls = self.labels.get(iri, {})
        for k in ("pref", "label", "alt"):
            if ls.get(k):
                return sorted(ls[k], key=lambda s: (-len(s), s))[0] if k == "alt" else sorted(ls[k])[0]
        return iri.rsplit("/", 1)[-1]

    def all_labels(self, iri: str) -> list[str]:
        ls = self.labels.get(iri, {})
        return sorted({x for v in ls.values() for x in v})


def union_view(dataset: Dataset) -> Dataset:
    """The build's dataset seen as one graph (the union of its document graphs), without changing it."""
    if getattr(dataset, "default_union", False):
        return dataset
    return Dataset(store=dataset.store, default_union=True)


def _rows(g: Dataset, q: str) -> Result:
    return g.query(q)


def read_corpus_entries(dataset: Dataset) -> Corpus:
    g = union_view(dataset)
    entries: dict[str, Entry] = {}
    for r in sorted(_rows(g, Q_ITEMS), key=lambda r: tuple(str(x) for x in r)):
        s = str(r.s)
        e = entries.get(s)
        if e is None:
            e = entries[s] = Entry(iri=s, kind=KINDS[str(r.cls).rsplit("#", 1)[-1]], plan=str(r.key))
        e.plan_title = e.plan_title or _s(r.ptitle)
        if e.number is None and r.num is not None:
            e.number = int(r.num.toPython())
        e.title = e.title or _s(r.title)
        e.text = e.text or _s(r.text)
        if not e.text and r.src is not None:
            e.text = _s(r.src)
        if e.start is None and r.ss is not None:
            e.start, e.end = int(r.ss.toPython()), int(r.se.toPython())
        e.document = e.document or _s(r.doc)
    for e in entries.values():
        if not e.title:
            e.title = _first_sentence(e.text)
    labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in _rows(g, Q_LABELS):
        if isinstance(r.l, Literal) and str(r.l).strip():
            labels[str(r.x)][str(r.kind)].append(str(r.l).strip())
    for r in _rows(g, Q_ROLES):
        if str(r.s) in entries:
            entries[str(r.s)].roles[ROLES[str(r.prop).rsplit("#", 1)[-1]]].add(str(r.a))
    parents: dict[str, set[str]] = defaultdict(set)
    for r in _rows(g, Q_WITHIN):
        parents[str(r.c)].add(str(r.p))
    for r in _rows(g, Q_PLACES):
        if str(r.s) in entries:
            entries[str(r.s)].places |= _with_ancestors(str(r.p), parents)
    for r in _rows(g, Q_JURISDICTIONS):
        if str(r.s) in entries:
            entries[str(r.s)].jurisdictions |= _with_ancestors(str(r.j), parents)
    for r in _rows(g, Q_DEADLINES):
        if str(r.s) in entries:
            for d, into in ((r.date, entries[str(r.s)].dates), (r.start, entries[str(r.s)].starts)):
                if d is not None and re.match(r"\d{4}-\d\d-\d\d", str(d)):
                    into.add(str(d)[:10])
    for r in _rows(g, Q_INDICATORS):
        if str(r.s) in entries:
            i = r.i
            names = [str(i)] if isinstance(i, Literal) else labels.get(str(i), {}).get("pref", [])
            entries[str(r.s)].indicators |= {n.strip() for n in names if n.strip()}
    _number_goals(entries.values())
    ordered = sorted(entries.values(), key=_order)
    return Corpus(ordered, {k: dict(v) for k, v in labels.items()})


def synonym_groups_from_graph(dataset: Dataset) -> list[list[str]]:
    """Every entity's preferred and alternative labels are one group of synonyms (生态环境厅 ↔ 山西省生态环境厅)."""
    g = union_view(dataset)
    groups: dict[URIRef, set[str]] = defaultdict(set)
    for r in _rows(g, Q_SYNONYM_LABELS):
        if isinstance(r.l, Literal) and str(r.l).strip():
            groups[r.x].add(str(r.l).strip())
    return [sorted(v) for _k, v in sorted(groups.items()) if len(v) > 1]


def _with_ancestors(place: str, parents: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [place]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            todo.extend(parents.get(p, ()))
    return seen


def _number_goals(entries: Any) -> None:
    """Goals without a number are numbered in text order within their plan."""
    by_plan: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.kind == "goal" and e.number is None:
            by_plan[e.plan].append(e)
    for goals in by_plan.values():
        for n, e in enumerate(sorted(goals, key=lambda e: (e.start or 0, e.iri)), 1):
            e.number = n


def _order(e: Entry) -> tuple:
    return (e.document, e.start if e.start is not None else 10**9, ("goal", "task", "measure").index(e.kind),
            e.number or 0, e.iri)


def _first_sentence(text: str) -> str:
    head = text.split("。", 1)[0].strip()
    return head if len(head) <= 60 else head[:60] + "…"


def _s(x: Any) -> str:
    return "" if x is None else str(x)
