"""The next plan goes in with one command and no code change: a city plan of the same genre, in another house style
(full-width numbering, 市…局 agencies read in the city's own jurisdiction, its own years), read end to end from its
text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.store.folders import current_dir, load_dataset

DOC = Path(__file__).parents[1] / "documents" / "jinzhong-water-2024.txt"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Dataset]:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / DOC.name).write_text(DOC.read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    r = subprocess.run([sys.executable, "-m", "plan_kb", "build", "--corpus", str(corpus)], capture_output=True,
                       text=True, env={**os.environ, "PLAN_KB_DATA": str(data)}, timeout=300)
    assert r.returncode == 0, r.stderr
    return data, load_dataset(current_dir(data))


def rows(ds: Dataset, body: str) -> list[tuple]:
    return [tuple(x.toPython() if x is not None else None for x in row) for row in ds.query(sparql_prefixes() + body)]


def test_structure_and_identifiers(kb) -> None:
    _, ds = kb
    assert rows(ds, "SELECT ?k ?t WHERE { ?p pkb:planKey ?k ; dcterms:title ?t }") == [
        ("water", "晋中市水污染防治2024—2025年实施方案")]
    assert rows(ds, "SELECT ?n WHERE { ?d pkb:documentNumber ?n }") == [("市政办发〔2024〕12号",)]
    tasks = rows(ds, "SELECT ?i ?n ?t WHERE { ?i a pkb:Task ; pkb:number ?n ; dcterms:title ?t } ORDER BY ?n")
    assert [(n, t) for _, n, t in tasks] == [(1, "推进工业园区污水处理"), (2, "实施潇河生态修复")]
    assert str(tasks[0][0]).endswith("/szbf-2024-12/water/task/1")


def test_roles_with_the_citys_own_agencies(kb) -> None:
    data, ds = kb
    got = rows(ds, """SELECT ?n ?role ?l ?code WHERE { ?t pkb:number ?n ; ?p ?a . ?a skos:prefLabel ?l ;
        pkb:jurisdiction/pkb:adminCode ?code
        VALUES (?p ?role) { (pkb:leadAgency "lead") (pkb:supportingAgency "support")
                            (pkb:responsibleAgency "responsible") } } ORDER BY ?n ?role ?l""")
    assert got == [(1, "lead", "晋中市生态环境局", "140700"),
                   (1, "responsible", "晋中市各县(区、市)人民政府", "140700"),
                   (1, "support", "晋中市工业和信息化局", "140700"), (1, "support", "晋中市水务局", "140700"),
                   (2, "lead", "晋中市水务局", "140700")]
    written = rows(ds, "SELECT ?l WHERE { ?a skos:altLabel ?l ; pkb:jurisdiction/pkb:adminCode '140700' }")
    assert {("市生态环境局",), ("市水务局",), ("市工业和信息化局",)} <= set(written)
    report = json.loads((current_dir(data) / "report.json").read_text(encoding="utf-8"))
    assert report["unregistered_agencies"] == []
    (doc,) = report["documents"]
    assert doc["jurisdiction"] == {"name": "晋中市", "code": "140700", "from": "issuer",
                                   "words": "晋中市人民政府办公室"}


def test_deadlines(kb) -> None:
    _, ds = kb
    got = rows(ds, """SELECT ?n ?k ?d ?r WHERE { ?t pkb:number ?n ; pkb:hasDeadline ?x . ?x pkb:deadlineKind ?k .
        OPTIONAL { ?x pkb:date ?d } OPTIONAL { ?x pkb:rrule ?r } } ORDER BY ?n ?k""")
    pkb = "https://w3id.org/plan-kb/ontology#"
    assert [(n, k.removeprefix(pkb), d, r) for n, k, d, r in got] == [
        (1, "By", date(2024, 12, 31), None), (2, "By", date(2025, 6, 30), None),
        (2, "Recurring", None, "FREQ=MONTHLY;INTERVAL=3")]


def test_places_from_the_gazetteer_and_the_water_list(kb) -> None:
    _, ds = kb
    got = rows(ds, """SELECT ?n ?l ?code WHERE { ?t pkb:number ?n ; pkb:concernsPlace ?p . ?p skos:prefLabel ?l
        OPTIONAL { ?p pkb:adminCode ?code } } ORDER BY ?n ?l""")
    assert (1, "榆次区", "140702") in got and (1, "太谷区", "140703") in got
    assert any(n == 2 and label == "潇河" for n, label, _ in got)


def test_thresholds_and_goals(kb) -> None:
    _, ds = kb
    got = rows(ds, """SELECT ?n ?c ?v ?mx ?u WHERE { ?t pkb:number ?n ; pkb:hasThreshold ?h .
        ?h pkb:comparator ?c ; pkb:value ?v ; pkb:unit ?u OPTIONAL { ?h pkb:maxValue ?mx } } ORDER BY ?n""")
    assert [(n, c, float(v), float(mx) if mx is not None else None, str(u).rsplit("/", 1)[-1])
            for n, c, v, mx, u in got] == [(1, "<=", 30.0, None, "MilliGM-PER-L"), (2, "range", 30.0, 50.0, "M")]
    goals = rows(ds, "SELECT ?y ?v WHERE { ?g a pkb:Goal ; pkb:value ?v ; pkb:year ?y } ORDER BY ?y")
    assert [(y, float(v)) for y, v in goals] == [(2024, 70.0), (2025, 75.0)]


def test_its_limits_and_goals_are_rules_of_the_city(kb) -> None:
    from plan_kb.answers.rules import RuleSet, check, parse

    data, _ds = kb
    rules = RuleSet.load(current_dir(data))
    goals = [r for r in rules.rules.values() if r["kind"] == "goal"]
    assert goals and {r["place_label"] for r in goals} == {"晋中市"}  # 全市 in a 晋中市 plan is the city
    res = check(parse("id,subject,place,indicator,value,unit,date\n"
                      "a,全市,晋中市,地表水国考断面达到或优于Ⅲ类比例,69,%,2024\n"), rules)
    assert [(v["status"], v["value"]) for v in res[0]["verdicts"]] == [("breaks", 70)]
