"""Look up every limit and target on an indicator: ``limits(dataset, "氮氧化物")`` and ``limits(dataset, "NOx")``
give the same rows, because names resolve through the SKOS indicator scheme (``extraction/indicators.ttl``) that
the build publishes with the graph. A concept also finds the limits on its narrower concepts (重金属 → 镉, 铅 …).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import Dataset, URIRef

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.errors import Ambiguous, NotFound
from plan_kb.reading.quantities import label_key, unit_forms


@dataclass(frozen=True)
class Indicator:
    iri: str
    label: str
    labels: tuple[str, ...]


@dataclass
class Limit:
    kind: str  # threshold | goal
    plan: str
    number: int | None  # task number, measure ordinal; None for a goal
    item: str  # IRI of the task, measure or goal
    item_title: str
    comparator: str
    value: Decimal
    max_value: Decimal | None
    unit: str
    unit_symbol: str
    indicator: str | None
    subject: str | None
    year: int | None
    concept: str
    quote: str
    start: int  # offset of the quote in its document's normalised text

    def value_text(self) -> str:
        v = f"{self.value}" if self.max_value is None else f"{self.value}–{self.max_value}"
        comp = "" if self.comparator in ("=", "range") else self.comparator + " "
        return f"{comp}{v} {self.unit_symbol}".strip()


_LABELS = sparql_prefixes() + """
SELECT ?c ?pref ?l WHERE {
  ?c a skos:Concept ; skos:prefLabel ?pref . FILTER(LANG(?pref) = "zh")
  { ?c skos:prefLabel ?l } UNION { ?c skos:altLabel ?l }
}"""

_NARROWER = sparql_prefixes() + """
SELECT DISTINCT ?n WHERE { { ?c (skos:narrower|^skos:broader)+ ?n } }"""

_ROWS = sparql_prefixes() + """
SELECT DISTINCT ?kind ?key ?num ?item ?title ?c ?v ?mx ?u ?ind ?subj ?y ?concept ?quote ?start WHERE {
  {
    ?item pkb:hasThreshold ?t .
    ?item pkb:inPlan/pkb:planKey ?key . OPTIONAL { ?item pkb:number ?num } OPTIONAL { ?item dcterms:title ?title }
    BIND("threshold" AS ?kind)
  } UNION {
    ?t a pkb:Goal ; pkb:value [] ; pkb:inPlan/pkb:planKey ?key .
    BIND(?t AS ?item) OPTIONAL { ?t dcterms:title ?title } BIND("goal" AS ?kind)
  }
  %s
  ?t pkb:comparator ?c ; pkb:value ?v ; pkb:unit ?u ; pkb:sourceText ?quote ; pkb:sourceStart ?start .
  OPTIONAL { ?t pkb:maxValue ?mx } OPTIONAL { ?t pkb:indicator ?ind } OPTIONAL { ?t pkb:subject ?subj }
  OPTIONAL { ?t pkb:year ?y }
}"""
#: Limits on a named indicator concept (and its narrower ones).
_BY_CONCEPT = "VALUES ?concept { %s } ?t pkb:indicatorConcept ?concept ."
#: Limits whose indicator or subject, as read, holds a word (for what no concept names: 清洁运输, 审批时限 …).
_BY_WORDS = ('{ ?t pkb:indicator ?said } UNION { ?t pkb:subject ?said } FILTER(CONTAINS(LCASE(STR(?said)), "%s")) '
             "OPTIONAL { ?t pkb:indicatorConcept ?concept }")


def indicators(dataset: Dataset) -> list[Indicator]:
    """Every indicator concept the knowledge base knows, with all its labels."""
    found: dict[str, tuple[str, set[str]]] = {}
    for c, pref, lab in dataset.query(_LABELS):
        entry = found.setdefault(str(c), (str(pref), set()))
        entry[1].add(str(lab))
    return sorted((Indicator(iri, pref, tuple(sorted(labs))) for iri, (pref, labs) in found.items()),
                  key=lambda i: i.label)


def find_indicator(dataset: Dataset, name: str) -> Indicator:
    """The indicator named ``name`` (any label, any width or case); a part of a name must fit one indicator only."""
    key = label_key(name)
    if not key:
        raise NotFound("give the name of an indicator, e.g. 氮氧化物 or NOx")
    known = indicators(dataset)
    exact = [i for i in known if any(label_key(lab) == key for lab in i.labels)]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [i for i in known if any(key in label_key(lab) for lab in i.labels)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise Ambiguous(f"'{name}' fits {len(partial)} indicators; say which",
                        [f"{i.label} ({'、'.join(i.labels)})" for i in partial])
    raise NotFound(f"no indicator named '{name}' (plan-kb limits --list shows the known ones)")


def limits(dataset: Dataset, indicator: str) -> list[Limit]:
    """Every threshold and quantified goal on the indicator (and its narrower indicators), plan and task order."""
    try:
        ind = find_indicator(dataset, indicator)
    except NotFound:  # no concept: any limit whose indicator or subject, as the plan words it, says it
        key = label_key(indicator)
        match = _BY_WORDS % key.replace("\\", "").replace('"', "")
        if not key or not any(True for _ in dataset.query(_ROWS % match)):
            raise
    else:
        concepts = {ind.iri} | {str(n) for (n,) in dataset.query(_NARROWER, initBindings={"c": URIRef(ind.iri)})}
        match = _BY_CONCEPT % " ".join(f"<{c}>" for c in sorted(concepts))
    symbols = {u.iri: u.symbol for _f, u in unit_forms()}
    out, seen = [], set()
    for row in dataset.query(_ROWS % match):
        kind, key, num, item, title, c, v, mx, u, ind_text, subj, y, concept, quote, start = row
        ident = (str(item), str(quote), str(v), str(u), str(concept))
        if ident in seen:
            continue
        seen.add(ident)
        out.append(Limit(str(kind), str(key), int(num) if num is not None else None, str(item),
                         str(title) if title else "", str(c), Decimal(str(v)),
                         Decimal(str(mx)) if mx is not None else None, str(u), symbols.get(str(u), str(u)),
                         str(ind_text) if ind_text else None, str(subj) if subj else None,
                         int(y) if y is not None else None, str(concept) if concept else "", str(quote),
                         int(start)))
    out.sort(key=lambda lim: (lim.plan, lim.kind != "goal", lim.number or 0, lim.start))
    return out
