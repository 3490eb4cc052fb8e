"""Records to check, read from CSV or JSON, and linked into an RDF records graph that the rule shapes run over.

Columns (public, README "Checking data against the plans"): ``id``, ``subject``, ``place``, ``indicator``,
``value``, ``unit``, ``date``. Linking is preprocessing only, never a verdict: the indicator becomes its concept and
every broader one (``chk:indicator``), the subject its source kind with the kinds above and below it
(``chk:sourceKind``), the place its division (``chk:place``) with every division it lies in (``chk:within``), its
level (``chk:placeLevel``: province, city, county) and type (``chk:placeType``: 县, 县级市, 市辖区 …), and the areas
of ``extraction/areas.yaml`` it lies in (``chk:within`` too: 河曲县 → 沿黄); the record is typed
``chk:RecordAbout/<concept>`` for each indicator concept (what the rule shapes target), the date an ``xsd:date`` (a
year alone: its first day, with ``chk:year``), and the value is stated in every unit of its quantity kind
(``chk:in-<UNIT>``, QUDT factors).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from plan_kb.answers.rules.areas import areas_of
from plan_kb.answers.rules.vocab import (
    CHK,
    LabelMatcher,
    about_class,
    broader_closure,
    convert,
    narrower_closure,
    read_unit,
    unit_table,
)
from plan_kb.base.namespaces import ID
from plan_kb.errors import PlanKBError
from plan_kb.reading.gazetteer import COUNTY, PREFECTURE, PROVINCE, Division, gazetteer

COLUMNS = ("id", "subject", "place", "indicator", "value", "unit", "date")
REQUIRED = ("id", "indicator", "value", "date")
LEVELS = {PROVINCE: "province", PREFECTURE: "city", COUNTY: "county"}
MAX_RECORDS = 5000
_INDICATORS = URIRef("https://w3id.org/plan-kb/id/indicators")


class BadRecords(PlanKBError):
    """Records that cannot be read: the message names the record and the column."""

    status = 422


@dataclass
class Record:
    id: str
    subject: str
    place: str
    indicator: str
    value: Decimal
    unit: str
    date_text: str
    day: date
    year: int
    annual: bool
    notes: list[str] = field(default_factory=list)
    links: dict[str, Any] = field(default_factory=dict)

    def as_input(self) -> dict[str, Any]:
        return {"id": self.id, "subject": self.subject, "place": self.place, "indicator": self.indicator,
                "value": format(self.value, "f"), "unit": self.unit, "date": self.date_text}


def parse(text: str, fmt: str | None = None) -> list[Record]:
    """Records from CSV (a header row with the columns) or JSON (a list of objects, or {"records": [...]})."""
    text = text.lstrip("\ufeff")
    fmt = fmt or ("json" if text.lstrip()[:1] in "[{" else "csv")
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadRecords(f"not JSON: {exc.msg} at line {exc.lineno}") from None
        rows = data.get("records") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BadRecords('JSON records are a list of objects (or {"records": [...]})')
    else:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise BadRecords(f"the CSV header lacks {', '.join(missing)} (columns: {', '.join(COLUMNS)})")
        rows = [{(k or "").strip(): v for k, v in r.items()} for r in reader]
    if not rows:
        raise BadRecords("no records")
    if len(rows) > MAX_RECORDS:
        raise BadRecords(f"{len(rows)} records; at most {MAX_RECORDS} in one check")
    out, ids = [], set()
    for n, row in enumerate(rows, start=1):
        rec = _record(row, n)
        if rec.id in ids:
            raise BadRecords(f"record {n}: id {rec.id!r} is used twice")
        ids.add(rec.id)
        out.append(rec)
    return out


def _record(row: dict[str, Any], n: int) -> Record:
    def cell(k: str) -> str:
        v = row.get(k)
        return "" if v is None else str(v).strip()

    rid = cell("id") or str(n)
    for k in REQUIRED:
        if not cell(k):
            raise BadRecords(f"record {rid}: no {k}")
    value, unit = _read_value(cell("value"), cell("unit"), rid)
    day, year, annual = _read_date(cell("date"), rid)
    return Record(rid, cell("subject"), cell("place"), cell("indicator"), value, unit, cell("date"), day,
                  year, annual)


_DATE = re.compile(r"^(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?$")
_NUMBER = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+)\s*(.*)$")


def _read_value(text: str, unit: str, rid: str) -> tuple[Decimal, str]:
    """The number of the value cell; a unit written in the same cell ("60 mg/m3") is taken when none is given."""
    m = _NUMBER.match(text)
    try:
        if not m:
            raise InvalidOperation
        value = Decimal(m.group(1).replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise BadRecords(f"record {rid}: value {text!r} is not a number") from None
    return value, unit or m.group(2).strip()


def _read_date(text: str, rid: str) -> tuple[date, int, bool]:
    """An ISO date, a year (an annual figure: its first day), or a month (its first day); 2024/3/15, 2024年3月15日."""
    m = _DATE.match(text.strip())
    try:
        if not m:
            raise ValueError
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if mo is None:
            return date(y, 1, 1), y, True
        day = date(y, int(mo), int(d) if d else 1)
    except ValueError:
        raise BadRecords(f"record {rid}: date {text!r} is neither an ISO date (2024-03-15) nor a year (2023)") \
            from None
    return day, y, False


# --- linking -------------------------------------------------------------------------------------------------
class Linker:
    """Links records to the vocabularies of a rules graph (its indicator and source-kind schemes) and the
    gazetteer; ``provinces`` are the rules' jurisdictions, which win ties between places of the same name."""

    def __init__(self, rules: Graph):
        self.g = rules
        self.indicators = LabelMatcher.of_graph(rules, _INDICATORS)
        self.kinds = LabelMatcher.of_graph(rules, URIRef("https://w3id.org/plan-kb/id/sources"))
        self.local_kinds = LabelMatcher.of_graph(rules, URIRef("https://w3id.org/plan-kb/id/sources/local"))
        self.local = [(str(c), str(lab)) for c, lab in rules.subject_objects(SKOS.prefLabel)
                      if (c, SKOS.inScheme, URIRef("https://w3id.org/plan-kb/id/indicators/local")) in rules]
        gz = gazetteer()
        codes = {str(o).rsplit("/", 1)[-1] for o in rules.objects(None, URIRef(CHK + "place"))}
        self.provinces = [d for d in (gz.get(c) for c in codes) if d is not None and d.level == PROVINCE]

    def indicator(self, text: str) -> str | None:
        hit = self.indicators.find(text)
        bare = re.sub(r"[(（][^()（）]*[)）]", "", text)  # "国考断面水质优良(Ⅲ类及以上)比例": the gloss left out
        if hit is None and bare != text and bare:
            hit = self.indicators.find(bare)
            text = bare
        if hit:
            return hit
        from plan_kb.answers.rules.vocab import conventions
        from plan_kb.reading.quantities import label_key

        key = label_key(text)
        hit = self.indicators.similar(text)
        if hit:
            return hit
        for end in sorted(conventions()["generic_endings"], key=len, reverse=True):
            if key.endswith(end) and len(key) > len(end) + 3:
                key = key[: -len(end)]
                break
        for iri, label in self.local:
            if len(key) >= 4 and key in label_key(label):
                return iri
        import difflib

        best = max(((difflib.SequenceMatcher(None, key, label_key(label)).ratio(), iri) for iri, label in self.local),
                   default=(0.0, None))
        return best[1] if best[0] >= 0.7 else None

    def place(self, text: str) -> Division | None:
        gz = gazetteer()
        name = text.strip()
        if not name:
            return None
        if name in ("全省", "本省") and len(self.provinces) == 1:
            return self.provinces[0]
        found = gz.lookup(name)
        if not found and name.endswith(("市", "县", "区", "省")):
            found = gz.lookup(name[:-1])
        if len(found) > 1 and self.provinces:
            inside = [d for d in found if gz.province_of(d) in self.provinces]
            found = inside or found
        if len(found) > 1:  # 长治: the city rather than a county of the same short name
            found = sorted(found, key=lambda d: d.level)
        if found:
            return found[0]
        # a longer text ("山西省太原市小店区", "介休市某焦化厂"): the most specific division it names
        from plan_kb.reading.places import read_places

        divs = [gz.get(m.ref.key) for m in read_places(name, self.provinces[0] if self.provinces else None).mentions
                if m.ref.kind == "division"]
        divs = [d for d in divs if d is not None]
        return max(divs, key=lambda d: d.level) if divs else None

    def link(self, rec: Record) -> None:
        ind = self.indicator(rec.indicator)
        if ind is None and rec.subject:  # a generic name (宽度, 项目数) made specific by the subject
            ind = self.indicator(rec.subject + rec.indicator)
        rec.links["indicator"] = ind
        if ind is None:
            rec.notes.append(f"indicator {rec.indicator!r} is not one the rules know")
        kind = (self.kinds.find(rec.subject) or self.kinds.similar(rec.subject)
                or self.local_kinds.find(rec.subject) or self.local_kinds.similar(rec.subject, 0.3)) \
            if rec.subject else None
        rec.links["source_kind"] = kind
        place = self.place(rec.place) if rec.place else None
        if not rec.place and rec.subject and (place := self.place(rec.subject)) is not None:
            rec.notes.append(f"no place: the subject's {place.name}")  # 全省, 太原市, 介休市某焦化厂
        if rec.place and place is None:
            rec.notes.append(f"place {rec.place!r} is not in the gazetteer")
        rec.links["place"] = place
        unit = read_unit(rec.unit) if rec.unit else None
        if rec.unit and unit is None:
            rec.notes.append(f"unit {rec.unit!r} is not one plan-kb knows")
        rec.links["unit"] = unit[0] if unit else None
        rec.links["unit_value"] = rec.value * unit[1] if unit else None


def records_graph(records: list[Record], rules: Graph) -> Graph:
    """The records as ``chk:Record`` nodes linked as the module doc says."""
    linker = Linker(rules)
    g = Graph()
    g.bind("chk", CHK)
    gz = gazetteer()
    for rec in records:
        linker.link(rec)
        node = record_iri(rec.id)
        g.add((node, RDF.type, URIRef(CHK + "Record")))
        g.add((node, URIRef(CHK + "id"), Literal(rec.id)))
        g.add((node, URIRef(CHK + "date"), Literal(rec.day)))
        g.add((node, URIRef(CHK + "year"), Literal(rec.year)))
        if rec.links["indicator"]:
            for c in broader_closure(rules, rec.links["indicator"]):
                g.add((node, URIRef(CHK + "indicator"), URIRef(c)))
                g.add((node, RDF.type, URIRef(about_class(c))))
        if rec.links["source_kind"]:
            kinds = set(broader_closure(rules, rec.links["source_kind"]))
            kinds |= set(narrower_closure(rules, rec.links["source_kind"]))
            for c in sorted(kinds):
                g.add((node, URIRef(CHK + "sourceKind"), URIRef(c)))
        div = rec.links["place"]
        if div is None and not rec.place and len(linker.provinces) == 1:
            # no place given: somewhere in the plans' region, so the limits that bind every source there apply; a
            # target of a place (chk:place) or of each city (chk:placeLevel) does not
            g.add((node, URIRef(CHK + "within"), ID[f"place/{linker.provinces[0].code}"]))
            rec.notes.append(f"no place: taken to be somewhere in {linker.provinces[0].name}")
        if div is not None:
            g.add((node, URIRef(CHK + "place"), ID[f"place/{div.code}"]))
            g.add((node, URIRef(CHK + "placeLevel"), Literal(LEVELS.get(div.level, "county"))))
            g.add((node, URIRef(CHK + "placeType"), Literal(div.type)))
            for d in [div, *gz.ancestors(div)]:
                g.add((node, URIRef(CHK + "within"), ID[f"place/{d.code}"]))
            for area in areas_of(div):  # 河曲县 → 沿黄 (extraction/areas.yaml)
                g.add((node, URIRef(CHK + "within"), URIRef(area.iri)))
        g.add((node, URIRef(CHK + "value"), Literal(format(rec.value, "f"), datatype=XSD.decimal)))
        unit, value = rec.links["unit"], rec.links["unit_value"]
        if unit:
            for other in sorted(set(unit_table()) | {unit}):
                v = convert(value, unit, other)
                if v is not None:
                    g.add((node, URIRef(CHK + "in-" + other.rstrip("/").rsplit("/", 1)[-1]),
                           Literal(format(v, "f"), datatype=XSD.decimal)))
    return g


def record_iri(rid: str) -> URIRef:
    from urllib.parse import quote

    return URIRef("urn:plan-kb:record:" + quote(rid, safe=""))
