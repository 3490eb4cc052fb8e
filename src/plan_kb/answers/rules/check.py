"""Check records against the compiled rules: pySHACL runs the build's ``rules.ttl`` over the records graph, and the
verdicts are read off its report (``chk:signal`` of each result's source shape) — no second checker.

Per record and rule the rule applies to: ``not_comparable`` (no value in the rule's unit: another quantity kind or
an unknown unit), else ``not_in_force`` (dated before the rule's first day), else ``breaks`` (a violation of the
rule's shape), else ``meets``. A record no rule applies to is ``covered: false``, with the nearest rules by
indicator.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from plan_kb.answers.rules.records import Record, records_graph
from plan_kb.answers.rules.vocab import CHK, broader_closure, narrower_closure
from plan_kb.base.cells import cell
from plan_kb.errors import NotBuilt
from plan_kb.reading.quantities import label_key

ORDER = ("not_comparable", "not_in_force", "breaks")


@dataclass
class RuleSet:
    """The rules of one build: the shapes graph and the rules as JSON, by IRI."""

    graph: Graph
    rules: dict[str, dict[str, Any]]
    folder: Path | None = None

    @classmethod
    def load(cls, folder: Path) -> RuleSet:
        return _load(folder, (folder / "rules.ttl").stat().st_mtime_ns if (folder / "rules.ttl").exists() else 0)


@cache
def _load(folder: Path, _stamp: int) -> RuleSet:
    ttl, js = folder / "rules.ttl", folder / "rules.json"
    if not ttl.exists() or not js.exists():
        raise NotBuilt(f"no rules in {folder}: rebuild the knowledge base (plan-kb build)")
    g = Graph().parse(ttl, format="turtle")
    rules = {r["iri"]: r for r in json.loads(js.read_text(encoding="utf-8"))["rules"]}
    return RuleSet(g, rules, folder)


def run_shacl(data: Graph, shapes: Graph) -> Graph:
    """pySHACL over ``data`` with ``shapes``, SHACL Core only; the report graph."""
    _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                        allow_infos=True, allow_warnings=True)
    return report


def signals(report: Graph, shapes: Graph) -> dict[tuple[str, str], set[str]]:
    """(record IRI, rule IRI) → the signals of the report's results about them."""
    out: dict[tuple[str, str], set[str]] = {}
    for res in report.subjects(SH.sourceShape, None):
        shape = report.value(res, SH.sourceShape)
        focus = report.value(res, SH.focusNode)
        signal = shapes.value(shape, URIRef(CHK + "signal"))
        rule = shapes.value(shape, URIRef(CHK + "rule"))
        if signal is None or rule is None or focus is None:
            continue
        out.setdefault((str(focus), str(rule)), set()).add(str(signal))
    return out


def verdicts_of(sig: dict[tuple[str, str], set[str]]) -> dict[str, dict[str, str]]:
    """record IRI → rule IRI → status, from the signals."""
    out: dict[str, dict[str, str]] = {}
    for (rec, rule), s in sig.items():
        if "applies" not in s:
            continue
        status = next((o for o in ORDER if o in s), "meets")
        out.setdefault(rec, {})[rule] = status
    return out


def check(records: list[Record], rules: RuleSet) -> list[dict[str, Any]]:
    """The result of every record, in input order (the JSON of ``plan-kb check --json`` and ``POST /check``)."""
    from plan_kb.answers.rules.records import record_iri

    data = records_graph(records, rules.graph)
    verdicts = verdicts_of(signals(run_shacl(data, rules.graph), rules.graph))
    out = []
    for rec in records:
        found = verdicts.get(str(record_iri(rec.id)), {})
        vs = [_verdict(rules.rules[iri], status, rec) for iri, status in found.items() if iri in rules.rules]
        vs.sort(key=lambda v: (v.get("task", v.get("goal", {})).get("plan", ""),
                               v.get("task", {}).get("number") or 0, v["rule"]))
        entry: dict[str, Any] = {"id": rec.id, "verdicts": vs, "covered": bool(vs)}
        if not vs:
            entry["nearest"] = nearest(rec, rules)
        if rec.notes:
            entry["notes"] = rec.notes
        entry["record"] = rec.as_input()
        out.append(entry)
    return out


def _verdict(rule: dict[str, Any], status: str, rec: Record) -> dict[str, Any]:
    v: dict[str, Any] = {"status": status}
    if rule["kind"] == "goal":
        v["goal"] = {"plan": rule["plan"], "text": rule["quote"], "iri": rule["item"]}
    else:
        v["task"] = {"plan": rule["plan"], "number": rule["number"], "title": rule["title"], "quote": rule["quote"],
                     "iri": rule["item"]}
    v.update({"comparator": rule["comparator"], "value": rule["value"], "unit": rule["unit"], "from": rule["from"],
              "test": rule["test"], "max_value": rule["max_value"], "year": rule["year"], "role": rule["role"],
              "indicator": rule["indicator_label"], "subject": rule["subject"], "place": rule["place_label"],
              "rule": rule["iri"], "text": rule["text"]})
    if status == "breaks":
        v["message"] = rule["message"]
    return v


def nearest(rec: Record, rules: RuleSet, n: int = 3) -> list[dict[str, Any]]:
    """Rules on the record's indicator (its concept, broader or narrower), else on the most similar names."""
    ind = rec.links.get("indicator")
    picked: list[dict[str, Any]] = []
    if ind:
        family = set(broader_closure(rules.graph, ind)) | set(narrower_closure(rules.graph, ind))
        picked = [r for r in rules.rules.values() if r["indicator"] in family]
    if not picked:
        key = label_key(rec.indicator)
        scored = sorted(rules.rules.values(), key=lambda r: -difflib.SequenceMatcher(
            None, key, label_key(r["indicator_label"] or "")).ratio())
        picked = scored[:n]
    return [{"rule": r["iri"], "text": r["text"], "plan": r["plan"], "number": r["number"],
             "subject": r["subject"], "place": r["place_label"]} for r in picked[: max(n, 6)]]


# --- output --------------------------------------------------------------------------------------------------
CSV_COLUMNS = ("id", "covered", "status", "plan", "number", "title", "comparator", "value", "unit", "from", "rule",
               "quote")


def as_csv(results: list[dict[str, Any]]) -> str:
    """One row per verdict (a record with none: one row with covered false); no cell starts a formula."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in results:
        if not r["verdicts"]:
            w.writerow([cell(r["id"]), "false", "", "", "", "", "", "", "", "", "", ""])
        for v in r["verdicts"]:
            src = v.get("task") or v.get("goal") or {}
            w.writerow([cell(x) for x in (r["id"], "true", v["status"], src.get("plan", ""), src.get("number") or "",
                                          src.get("title", ""), v["comparator"], v["value"], v["unit"],
                                          v["from"] or "", v["rule"], src.get("quote") or src.get("text", ""))])
    return buf.getvalue()


def any_breaks(results: list[dict[str, Any]]) -> bool:
    return any(v["status"] == "breaks" for r in results for v in r["verdicts"])
