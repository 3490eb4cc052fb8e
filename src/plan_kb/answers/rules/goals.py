"""Goals with no number of their own that still set a checkable target (``extraction/rules.yaml``): a zero target
("劣Ⅴ类水质断面全部消除", "全面消除…建成区黑臭水体", for each place named, from its year on). A goal that only
points elsewhere ("达到国家年度目标", "全部达到…二级标准") states no value and gives no rule."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from rdflib import Graph, URIRef

from plan_kb.answers.rules.compile import Rule
from plan_kb.answers.rules.vocab import LabelMatcher, conventions
from plan_kb.base.namespaces import ID, sparql_prefixes
from plan_kb.reading.gazetteer import gazetteer
from plan_kb.reading.places import read_places

_GOALS = """
SELECT ?g ?key ?ptitle ?juris ?text ?y ?concept ?st (GROUP_CONCAT(STR(?p); separator=" ") AS ?places) WHERE {
  ?g a pkb:Goal ; pkb:text ?text ; pkb:sourceStart ?st ; pkb:inPlan ?plan .
  FILTER NOT EXISTS { ?g pkb:value [] }
  ?plan pkb:planKey ?key ; dcterms:title ?ptitle . OPTIONAL { ?plan pkb:jurisdiction ?juris }
  OPTIONAL { ?g pkb:year ?y } OPTIONAL { ?g pkb:indicatorConcept ?concept }
  OPTIONAL { ?g pkb:concernsPlace ?p . ?p a pkb:AdministrativeRegion }
} GROUP BY ?g ?key ?ptitle ?juris ?text ?y ?concept ?st"""


def goal_rules(g: Graph, matcher: LabelMatcher, local: dict[str, str]) -> list[Rule]:
    """The rules of the goals that have no value; ``local`` gains the indicators named only by the goal."""
    from plan_kb.answers.rules.compile import _from, _slug, own_region, text_deadlines

    conv = conventions()
    out: list[Rule] = []
    for gl, key, ptitle, juris, text, y, concept, st, places in g.query(sparql_prefixes() + _GOALS):
        text = str(text)
        juris = own_region(str(ptitle), str(juris) if juris else None)
        codes = [p.rsplit("/", 1)[-1] for p in str(places or "").split()]
        regions = [(str(ID[f"place/{c}"]), d.name) for c in codes if (d := gazetteer().get(c)) is not None]
        whole = [(str(juris), gazetteer().get(str(juris).rsplit("/", 1)[-1]).name  # type: ignore[union-attr]
                  if gazetteer().get(str(juris).rsplit("/", 1)[-1]) else "")] if juris else []
        where = regions or whole
        year = int(y) if y is not None else None
        base = dict(kind="goal", role="target", plan=str(key), plan_title=str(ptitle), number=None, item=str(gl),
                    title="", quote=text, subject=None, source_kind=None, place_mode="whole", max_value=None,
                    deadline=None, source_start=int(st))
        zero = next((w for w in conv["zero_words"] if w in text), None)
        if zero:
            iri = str(concept) if concept else matcher.find(text)
            label = ""
            if iri is None:
                label = _zero_object(text, zero)
                if not label:
                    continue
                iri = str(ID[f"indicator/local/{_slug(label)}"])
                local[iri] = label
            from_date = date(year, 1, 1) if year else None
            if year is not None:  # "2022年底前,全面消除…": gone from the day after the deadline on (year_reading)
                pos = int(st) + text.find(zero)
                from_date, _dl, year = _from("target", "goal", year, text_deadlines(text, int(st)), pos,
                                             pos + len(zero), int(st), text, str(ptitle))
                from_date = from_date or (date(year, 1, 1) if year else None)
            for place, name in where:
                out.append(Rule(iri=f"{gl}/rule/{place.rsplit('/', 1)[-1]}", indicator=iri,
                                indicator_label=label or _label(g, iri), place=place, place_label=name,
                                comparator="=", test="<=", value=Decimal(0), unit="",
                                from_date=from_date, year=year, local_indicator=not concept,
                                extra={"year_mode": "onward"} if year else {}, **base))  # type: ignore[arg-type]
            continue
    return out


def _label(g: Graph, iri: str) -> str:
    from rdflib.namespace import SKOS

    labels = list(g.objects(URIRef(iri), SKOS.prefLabel))
    zh = [lab for lab in labels if getattr(lab, "language", None) == "zh"]
    return str((zh or labels)[0]) if labels else ""


def _zero_object(text: str, zero: str) -> str:
    """What is to be gone: the words after the zero word ("全面消除…建成区黑臭水体" → 建成区黑臭水体, places and
    lists left out), else the words before it ("劣Ⅴ类水质断面全部消除")."""
    head, tail = text.split(zero, 1)
    after = _last_noun(re.split(r"[,;。]", tail)[0])
    return after if len(after) >= 2 else _last_noun(re.split(r"[,;。]", head)[-1])


def _last_noun(part: str) -> str:
    part = re.sub(r"\([^)]*\)", "", part)
    part = re.sub(r"^\d{4}年(?:底前|底|前)?", "", part)
    part = re.sub(r"\d+个[\u4e00-\u9fff]{0,3}(?:城市|区|县|市)", " ", part)  # 8个县改区, 11个县级城市
    for surface in sorted({part[m.start:m.end] for m in read_places(part).mentions}, key=len, reverse=True):
        part = part.replace(surface, " ")
    words = [w for w in re.split(r"[、和及\s]", part) if w]
    return words[-1] if words else ""
