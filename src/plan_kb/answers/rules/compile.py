"""Every threshold and quantified goal of the graph compiled into a rule stated as data: what is measured (an
indicator concept), what it applies to (the subject as written and a source kind of ``extraction/sources.ttl``),
where (a place and how a record's place must relate to it), from when (the governing deadline mapped by
``extraction/rules.yaml``), the test (comparator, value, unit) and the task or goal it comes from.

How a threshold is read (``rules.yaml`` says it as data): a number that ends its clause is a *limit*; a number
that describes a class of plant marked for retirement or action is a *class* (being in the class breaks it); a
number that only delimits whom a duty concerns is a *scope* and gives no rule. A goal is a *target* of a region.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rdflib import Graph, URIRef

from plan_kb.answers.rules.vocab import LabelMatcher, conventions, source_scheme
from plan_kb.base.namespaces import ID, sparql_prefixes
from plan_kb.reading.gazetteer import gazetteer
from plan_kb.reading.places import read_places
from plan_kb.reading.quantities import label_key

CLAUSE = ",;。:()\n"
SENTENCE = "。;\n"
NEGATE = {"<=": ">", "<": ">=", ">=": "<", ">": "<="}


@dataclass
class Rule:
    iri: str
    kind: str  # threshold | goal
    role: str  # limit | class | target
    plan: str
    plan_title: str
    number: int | None
    item: str
    title: str
    quote: str
    indicator: str  # concept IRI
    indicator_label: str
    subject: str | None
    source_kind: str | None
    place: str  # IRI of a pkb:AdministrativeRegion
    place_label: str
    place_mode: str  # within | whole | each_city | each_county
    comparator: str  # as the plan states it
    test: str  # what a record's value must satisfy: <=, <, >=, >, =, range, outside
    value: Decimal
    max_value: Decimal | None
    unit: str
    from_date: date | None
    year: int | None
    deadline: str | None
    source_start: int
    local_indicator: bool = False
    mentions: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def cite(self) -> str:
        return f"{self.plan}#{self.number}" if self.kind == "threshold" and self.number is not None \
            else f"{self.plan} 目标"

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("extra")
        d["value"] = _num(self.value)
        d["max_value"] = _num(self.max_value) if self.max_value is not None else None
        d["from"] = self.from_date.isoformat() if self.from_date else None
        d["unit"] = self.unit or None  # a zero target holds in any unit
        d["year_mode"] = self.extra.get("year_mode", "exact") if self.year else None
        d["standard"] = self.extra.get("standard")
        d["after_year"] = self.extra.get("after_year")  # a target of a year covers the years after this one
        d["areas"] = self.extra.get("areas")  # place_mode area: in any of these; other: in none of them
        d["place_types"] = self.extra.get("place_types")
        d.pop("from_date")
        return d


def _num(v: Decimal) -> int | float:
    return int(v) if v == v.to_integral_value() else float(v)


_THRESHOLDS = """
SELECT ?item ?kind ?key ?ptitle ?juris ?num ?title ?itext ?ist ?t ?c ?v ?mx ?u ?ind ?subj ?y ?concept ?src ?st ?en
WHERE {
  { ?item pkb:hasThreshold ?t . BIND("threshold" AS ?kind) OPTIONAL { ?item pkb:number ?num } }
  UNION { ?t a pkb:Goal ; pkb:value [] . BIND(?t AS ?item) BIND("goal" AS ?kind) }
  ?item pkb:inPlan ?plan . ?plan pkb:planKey ?key ; dcterms:title ?ptitle . OPTIONAL { ?plan pkb:jurisdiction ?juris }
  ?item pkb:text ?itext ; pkb:sourceStart ?ist . OPTIONAL { ?item dcterms:title ?title }
  ?t pkb:comparator ?c ; pkb:value ?v ; pkb:unit ?u ; pkb:sourceText ?src ; pkb:sourceStart ?st ; pkb:sourceEnd ?en .
  OPTIONAL { ?t pkb:maxValue ?mx } OPTIONAL { ?t pkb:indicator ?ind } OPTIONAL { ?t pkb:subject ?subj }
  OPTIONAL { ?t pkb:year ?y } OPTIONAL { ?t pkb:indicatorConcept ?concept }
}"""

_DEADLINES = """
SELECT ?item ?k ?d ?sd ?st ?en ?src WHERE {
  ?item pkb:hasDeadline ?dl . ?dl pkb:deadlineKind ?k ; pkb:sourceStart ?st ; pkb:sourceEnd ?en .
  OPTIONAL { ?dl pkb:date ?d } OPTIONAL { ?dl pkb:startDate ?sd } OPTIONAL { ?dl pkb:sourceText ?src }
}"""


@dataclass
class Compiled:
    rules: list[Rule]
    local_concepts: dict[str, str]  # IRI → label, for indicators the scheme has no concept of
    skipped: list[dict[str, Any]]  # scope thresholds, with why
    local_kinds: dict[str, str] = field(default_factory=dict)  # IRI → subject, for siblings told apart by subject


def indicator_matcher(g: Graph) -> LabelMatcher:
    """The indicator concepts of ``g``'s scheme by their labels."""
    return LabelMatcher.of_graph(g, URIRef("https://w3id.org/plan-kb/id/indicators"))


def compile_rules(g: Graph, matcher: LabelMatcher | None = None) -> Compiled:
    """The rules of every threshold and valued goal of the union graph ``g`` (``matcher``: the indicator concepts,
    when ``g`` is a view of some documents without them)."""
    pre = sparql_prefixes()
    matcher = matcher or indicator_matcher(g)
    kinds = LabelMatcher.of_graph(source_scheme())
    deadlines: dict[str, list[tuple]] = {}
    for item, k, d, sd, st, en, src in g.query(pre + _DEADLINES):
        deadlines.setdefault(str(item), []).append((str(k).rsplit("#", 1)[-1], _date(d), _date(sd), int(st),
                                                    int(en), str(src or "")))
    out: list[Rule] = []
    local: dict[str, str] = {}
    skipped: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in sorted(g.query(pre + _THRESHOLDS), key=lambda r: (str(r[2]), int(r[19]))):
        (item, kind, key, ptitle, juris, num, title, itext, ist, t, c, v, mx, u, ind, subj, y, concept, src,
         st, en) = row
        if str(t) in seen:
            continue
        seen.add(str(t))
        text, start = str(itext), int(st) - int(ist)
        end = int(en) - int(ist)
        if text[start:end] != str(src):  # the item's text is its span; fall back to finding the quote in it
            pos = text.find(str(src))
            start, end = (pos, pos + len(str(src))) if pos >= 0 else (0, 0)
        vpos = _value_pos(text, start, end, Decimal(str(v)))
        role = "target" if str(kind) == "goal" else _role(text, vpos, end)
        if role == "scope":
            skipped.append({"item": str(item), "quote": str(src), "why": "scope: the number says whom a duty "
                            "concerns, the duty has no value to check"})
            continue
        ind_text = str(ind) if ind else ""
        subject = str(subj) if subj else None
        concept_iri = str(concept) if concept else (matcher.exact(ind_text) or matcher.find(ind_text))
        is_local = False
        if concept_iri is None:
            name = _local_name(subject, ind_text)
            concept_iri = str(ID[f"indicator/local/{_slug(name)}"])
            local[concept_iri] = name
            is_local = True
        comparator = str(c)
        test = _test(role, comparator, text, vpos, concept_iri)
        year = int(y) if y is not None else None
        dls = deadlines.get(str(item), []) if str(kind) == "threshold" else text_deadlines(text, int(ist))
        from_date, deadline, year = _from(role, str(kind), year, dls, int(st), int(en), int(ist), text, str(ptitle))
        places = _places(subject, str(kind), own_region(str(ptitle), str(juris) if juris else None))
        n = int(num) if num is not None else None
        for place, place_label, mode, where in places:  # "杭州、湖州、嘉兴、绍兴、金华5市PM2.5平均浓度…": one rule each
            suffix = "" if len(places) == 1 else "/" + place.rsplit("/", 1)[-1]
            out.append(Rule(
                iri=str(t) + "/rule" + suffix, kind=str(kind), role=role, plan=str(key),
                plan_title=str(ptitle), number=n, item=str(item), title=str(title) if title else "",
                quote=_sentence(text, start, end) if str(kind) == "threshold" else text,
                indicator=concept_iri, indicator_label=ind_text or local.get(concept_iri, ""), subject=subject,
                source_kind=kinds.find(subject) if subject else None, place=place, place_label=place_label,
                place_mode=mode, comparator=comparator, test=test, value=Decimal(str(v)),
                max_value=Decimal(str(mx)) if mx is not None else None, unit=str(u), from_date=from_date,
                year=year if role != "class" else None, deadline=deadline, source_start=int(st),
                local_indicator=is_local, extra=where))
    from plan_kb.answers.rules.goals import goal_rules

    rules = _merge(out)
    area_siblings(rules)
    series(rules)
    kinds_local = _siblings(rules)
    rules = sorted(rules + goal_rules(g, matcher, local), key=rule_order)
    return canonical(Compiled(rules, local, skipped, kinds_local))


def rule_order(r: Rule) -> tuple:
    return (r.plan, r.kind != "goal", r.number or 0, r.source_start, r.iri)


def canonical(c: Compiled) -> Compiled:
    """The same rules in one order whatever order they were compiled in (a base at once, or document by
    document)."""
    return Compiled(sorted(c.rules, key=rule_order), dict(sorted(c.local_concepts.items())),
                    sorted(c.skipped, key=lambda s: (s["item"], s["quote"])), dict(sorted(c.local_kinds.items())))


def _date(lit: Any) -> date | None:
    return date.fromisoformat(str(lit)[:10]) if lit is not None else None


def _slug(text: str) -> str:
    from pypinyin import lazy_pinyin

    parts = ["".join(ch for ch in p.lower() if ch.isascii() and ch.isalnum()) for p in lazy_pinyin(text)]
    return "-".join(p for p in parts if p)[:80] or "x"


def _local_name(subject: str | None, indicator: str) -> str:
    """An indicator with no concept is named by its subject and indicator: 各市每年新增…项目 + 数量."""
    subject = re.sub(r"^(?:原则上|对于|对|要|各市|各县|全省|每年)+", "", subject or "")
    subject = re.sub(r"^(?:各市|各县|全省|每年|原则上)+", "", subject)
    for verb in conventions()["adverbial_verbs"]:  # 建设生态缓冲带 → 生态缓冲带
        subject = subject.removeprefix(verb)
    return (subject + indicator) if subject else indicator


# --- what a number means --------------------------------------------------------------------------------------
def _role(text: str, start: int, end: int) -> str:
    conv = conventions()
    clause = _clause(text, start, end, extra=1)
    a = text.find(clause)
    before = text[max(a, 0):start]
    comparators = [w for ws in _comparator_words().values() for w in ws]
    for w in conv["class_words"]:
        pos = before.rfind(w)
        between = before[pos + len(w):] if pos >= 0 else ""
        # "淘汰4.3米焦炉", "淘汰单机30万千瓦以下、…" — not "列入淘汰计划的4.3米焦炉" nor "淘汰率达到90%"
        if pos >= 0 and "的" not in between and len(between) <= 8 and not any(c in between for c in comparators):
            return "class"
    rest = text[end:]
    for w in sorted(conv["trailing_words"], key=len, reverse=True):
        if rest.startswith(w):
            rest = rest[len(w):]
            break
    if not rest or any(rest.startswith(p) for p in conv["predicate_ends"]):
        return "limit"
    if any(rest.startswith(v) for v in conv["adverbial_verbs"]):  # "管理范围线之外30—50米建设生态缓冲带"
        return "limit"
    after = text[end:a + len(clause)] if a >= 0 else rest
    if any(w in after for w in conv["class_words"]):  # "35蒸吨/小时以下的燃煤锅炉实施动态清零"
        return "class"
    return "scope"


def _comparator_words() -> dict[str, list[str]]:
    from plan_kb.base.resources import load_yaml

    return load_yaml("comparators.yaml")["before"]


def _clause(text: str, start: int, end: int, extra: int = 0) -> str:
    a = start
    while a > 0 and text[a - 1] not in CLAUSE:
        a -= 1
    b = end
    for _ in range(extra + 1):
        while b < len(text) and text[b] not in CLAUSE:
            b += 1
        if b < len(text) and text[b] in SENTENCE:
            break
        b += 1
    return text[a:b]


def _sentence(text: str, start: int, end: int) -> str:
    a = start
    while a > 0 and text[a - 1] not in SENTENCE:
        a -= 1
    b = end
    while b < len(text) and text[b] not in SENTENCE:
        b += 1
    return text[a:b + 1].strip()


def _value_pos(text: str, start: int, end: int, value: Decimal) -> int:
    """Where the number stands in the threshold's span (a goal's span is the whole goal); a value read with a
    multiplier (30万千瓦 → 300000) is found by its written digits."""
    stop = end if end > start else len(text)
    for div in (1, 10000, 100000000, 1000):
        written = format((value / div).normalize(), "f")
        pos = text.find(written, start, stop)
        if pos >= 0:
            return pos
    return start


def _test(role: str, comparator: str, text: str, start: int, concept: str) -> str:
    conv = conventions()
    if role == "class":
        c = conv["class_equal_means"] if comparator == "=" else comparator
        return "outside" if c == "range" else NEGATE[c]
    if comparator != "=":
        return comparator
    before = text[:start]
    a = max((before.rfind(ch) for ch in CLAUSE), default=-1)
    clause = before[a + 1:]
    best: tuple[int, str] | None = None
    for direction, words in conv["equal_direction"].items():
        for w in words:
            pos = clause.rfind(w)
            if pos >= 0 and (best is None or pos + len(w) > best[0]):
                best = (pos + len(w), direction)
    if best:
        return best[1]
    if concept.rsplit("/", 1)[-1] in conv["lower_is_better"]:
        return "<="
    return "="


def text_deadlines(text: str, start: int) -> list[tuple]:
    """The deadlines of a goal's text, as the graph gives a task's: (kind, date, start date, clause start, clause
    end, expression), offsets in the published text (``start`` is the goal's)."""
    from plan_kb.reading.deadlines import read_deadlines

    return [(d.kind, d.date, d.start_date, start + d.clause_start, start + d.clause_end, d.expression)
            for d in read_deadlines(text)]


def _from(role: str, kind: str, year: int | None, deadlines: list[tuple], st: int, en: int, item_start: int,
          text: str, plan_title: str) -> tuple[date | None, str | None, int | None]:
    """The first day the rule applies, the deadline text it comes from, and the year it is the target of (None for
    a rule that applies from its first day on): a year is read by the kind of its deadline (``year_reading``)."""
    conv = conventions()
    mapping = conv["deadline_from"]
    local_st, local_en = st - item_start, en - item_start
    clause = _clause(text, local_st, local_en)
    a = text.find(clause)
    governing = [d for d in deadlines if d[3] <= st and en <= d[4]]
    governing = governing or [d for d in deadlines if a >= 0 and a <= d[3] - item_start < a + len(clause)]
    if year is not None and role != "class":
        kinds = [d[0] for d in governing if d[1] is not None and d[1].year == year] or [d[0] for d in governing]
        reading = next((conv["year_reading"][k] for k in kinds if k in conv["year_reading"]),
                       conv["year_reading"]["none"])
        if reading == "target":
            return date(year, 1, 1), f"{year}年", year
    dated = []
    for k, d, sd, _s, _e, src in governing:
        how = mapping.get(k)
        if how == "next_day" and d:
            dated.append((d + timedelta(days=1), src))
        elif how == "same_day" and (d or sd):
            dated.append((d or sd, src))
        elif how == "after_end" and d:
            dated.append((d + timedelta(days=1), src))
    if dated:
        return (*max(dated), None)
    if kind == "goal":
        m = re.search(r"(\d{4})\s*[—–-]\s*(\d{4})年", plan_title)
        if m:
            return date(int(m.group(2)), 1, 1), f"{m.group(2)}年 (the plan's last year)", None
    return None, None, None


@lru_cache(maxsize=4096)
def own_region(plan_title: str, jurisdiction: str | None) -> str | None:
    """The region a plan is of: the most specific division its title names (晋中市 for a 晋中市…行动方案 issued in
    Shanxi), else its jurisdiction (the province of its issuer)."""
    gz = gazetteer()
    divs = [d for m in read_places(plan_title).mentions if m.ref.kind == "division" and (d := gz.get(m.ref.key))]
    if divs:
        return str(ID[f"place/{max(divs, key=lambda d: d.level).code}"])
    return jurisdiction


def _places(subject: str | None, kind: str, jurisdiction: str | None) -> list[tuple[str, str, str, dict]]:
    """Where a rule applies: (place IRI, name, mode, extra), one per division the subject names, or the areas it
    names (``area``: the places in any of them, ``extra`` lists them), else the jurisdiction."""
    from plan_kb.answers.rules.areas import areas_named

    named = areas_named(subject or "") if kind == "threshold" else []
    if named:
        return [(named[0].iri, "、".join(a.label for a in named), "area",
                 {"areas": [a.iri for a in named], "place_types": place_types(subject or "")})]
    return [(*p, {}) for p in _places_of(subject, kind, jurisdiction)]


def place_types(subject: str) -> list[str]:
    """The kinds of division a subject names (县城城区 → 县, 县级市: not a city's districts), ``rules.yaml``."""
    key = label_key(subject)
    return next((types for word, types in conventions()["place_types"].items() if label_key(word) in key), [])


@lru_cache(maxsize=8192)
def _places_of(subject: str | None, kind: str, jurisdiction: str | None) -> tuple[tuple[str, str, str], ...]:
    """(place IRI, name, mode), one per division the subject names, else the jurisdiction."""
    gz = gazetteer()
    juris_div = gz.get(jurisdiction.rsplit("/", 1)[-1]) if jurisdiction else None
    juris_iri = jurisdiction or ""
    juris_label = juris_div.name if juris_div else ""
    modes = conventions()["place_modes"]
    key = label_key(subject or "")
    for mode in ("whole", "each_city", "each_county"):
        if any(label_key(w) in key for w in modes[mode]):
            return ((juris_iri, juris_label, mode),)
    if subject:
        refs = {m.ref.key: m.ref for m in read_places(subject, juris_div).mentions if m.ref.kind == "division"}
        out = []
        for code, ref in refs.items():
            div = gz.get(code)
            out.append((str(ID[f"place/{code}"]), div.name if div else ref.label, "whole"))
        if out:
            return tuple(out)
    return ((juris_iri, juris_label, "whole" if kind == "goal" else "within"),)


def _merge(rules: list[Rule]) -> list[Rule]:
    """One rule per task and test: a size class the same task names three times ("加速淘汰4.3米焦炉 … 2023年底前
    全面关停退出4.3米焦炉") is one rule, in force from the latest date the task gives it."""
    out: dict[tuple, Rule] = {}
    for r in rules:
        k = (r.item, r.indicator, r.source_kind, r.subject if r.source_kind is None else None, r.place,
             r.place_mode, r.test, r.value, r.max_value, r.unit, r.year, r.role)
        if k not in out:
            out[k] = r
            continue
        kept = out[k]
        kept.mentions += 1
        if r.from_date and (kept.from_date is None or r.from_date > kept.from_date):
            kept.from_date, kept.deadline, kept.quote = r.from_date, r.deadline, r.quote
    return list(out.values())


def _siblings(rules: list[Rule]) -> dict[str, str]:
    """Limits of one task on one indicator that differ only by a subject the source vocabulary does not know
    ("沿黄及汾河流域县城城区…70%以上,其他县(市)城区…50%以上") are told apart by that subject: each gets a source kind
    of its own, named by the subject, that a record's subject is linked to by likeness."""
    groups: dict[tuple, list[Rule]] = {}
    for r in rules:
        if r.kind == "threshold" and r.source_kind is None and r.subject:
            groups.setdefault((r.item, r.indicator, r.unit, r.place, r.place_mode, r.year, r.role), []).append(r)
    out: dict[str, str] = {}
    for group in groups.values():
        if len({r.subject for r in group}) > 1:
            for r in group:
                r.source_kind = str(ID[f"source/local/{_slug(r.subject or '')}"])
                out[r.source_kind] = r.subject or ""
    return out


def area_siblings(rules: list[Rule]) -> None:
    """A limit of the same task and indicator as limits of named areas, whose subject is "其他…" ("其他县(市)城区…50%
    以上" beside "沿黄及汾河流域县城城区…70%以上"), applies to the places of the region in none of those areas."""
    words = conventions()["other_words"]
    groups: dict[tuple, list[Rule]] = {}
    for r in rules:
        if r.kind == "threshold":
            groups.setdefault((r.item, r.indicator, r.unit, r.year, r.role), []).append(r)
    for group in groups.values():
        named = [iri for r in group if r.place_mode == "area" for iri in r.extra["areas"]]
        if not named:
            continue
        for r in group:
            if r.place_mode == "within" and any((r.subject or "").startswith(w) for w in words):
                r.place_mode = "other"
                r.extra = {"areas": list(dict.fromkeys(named)), "place_types": place_types(r.subject or "")}


def series(rules: list[Rule]) -> None:
    """Targets of a year on one indicator, place and subject form a series (72.3% in 2022, 76.6% in 2023): each
    target covers the years after the one before it (``extra["after_year"]``), the first every earlier year too, so
    that a figure of an earlier year is not yet in force rather than not covered."""
    groups: dict[tuple, list[Rule]] = {}
    for r in rules:
        if r.year is not None and r.extra.get("year_mode", "exact") == "exact":
            key = (r.indicator, r.place, r.place_mode, r.source_kind, r.subject if r.kind == "threshold" else None,
                   r.unit)
            groups.setdefault(key, []).append(r)
    for group in groups.values():
        years = sorted({r.year for r in group if r.year is not None})
        for r in group:
            earlier = [y for y in years if r.year is not None and y < r.year]
            if earlier:
                r.extra["after_year"] = earlier[-1]
