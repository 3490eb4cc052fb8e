"""Building, validating and swapping the knowledge base; provenance of every item; the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from plan_kb.base.namespaces import PKB, sparql_prefixes
from plan_kb.base.resources import CORPUS
from plan_kb.build import build
from plan_kb.errors import ValidationFailed
from plan_kb.reading.normalize import loose
from plan_kb.store.folders import current_dir, load_dataset


def test_every_item_traces_to_its_words(built, dataset) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (built.folder / "texts").glob("*.txt")}
    original = (CORPUS / "shanxi-2022-four-plans.txt").read_text(encoding="utf-8")
    from plan_kb.reading.normalize import normalize

    n = normalize(original)
    rows = list(dataset.query(sparql_prefixes() + """
        SELECT ?s ?t ?a ?b WHERE { ?s pkb:sourceText ?t ; pkb:sourceStart ?a ; pkb:sourceEnd ?b }"""))
    assert len(rows) > 100
    for s, t, a, b in rows:
        a, b = int(a), int(b)
        assert texts["jzbf-2022-95"][a:b] == str(t), s
        oa, ob = n.to_original(a, b)
        assert loose(original[oa:ob]) == loose(str(t)), s


def test_items_goals_have_provenance(dataset) -> None:
    missing = list(dataset.query(sparql_prefixes() + """
        SELECT ?s WHERE { VALUES ?c { pkb:Task pkb:Measure pkb:Goal } ?s a ?c
                          FILTER NOT EXISTS { ?s pkb:sourceText ?t } }"""))
    assert missing == []


def test_one_named_graph_per_document_and_stable_iris(dataset) -> None:
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert "https://w3id.org/plan-kb/id/graph/jzbf-2022-95" in graphs
    task = URIRef("https://w3id.org/plan-kb/id/jzbf-2022-95/water/task/5")
    assert (task, RDF.type, PKB.Task) in dataset
    assert (task, PKB.number, Literal(5, datatype=XSD.integer)) in dataset


def _doc_graph(ds):
    return ds.graph(URIRef("https://w3id.org/plan-kb/id/graph/jzbf-2022-95"))


def _break_a_task(ds) -> None:
    g = _doc_graph(ds)
    task = URIRef("https://w3id.org/plan-kb/id/jzbf-2022-95/water/task/1")
    g.remove((task, PKB.inPlan, None))


def _break_a_date(ds) -> None:
    g = _doc_graph(ds)
    task = URIRef("https://w3id.org/plan-kb/id/jzbf-2022-95/water/task/4")
    d = URIRef(str(task) + "/deadline/broken")
    g.add((task, PKB.hasDeadline, d))
    g.add((d, PKB.deadlineKind, PKB.By))
    g.add((d, PKB.date, Literal("2022年底前")))
    g.add((d, PKB.sourceText, Literal("2022年底前", lang="zh")))
    g.add((d, PKB.sourceStart, Literal(1, datatype=XSD.integer)))
    g.add((d, PKB.sourceEnd, Literal(7, datatype=XSD.integer)))


@pytest.mark.parametrize(("breaker", "path"), [(_break_a_task, "inPlan"), (_break_a_date, "date")])
def test_a_broken_graph_is_not_published(tmp_path: Path, breaker, path: str) -> None:
    first = build(CORPUS, tmp_path)
    before = (first.folder / "kb.nq").read_bytes()
    with pytest.raises(ValidationFailed) as err:
        build(CORPUS, tmp_path, mutate=breaker)
    report = str(err.value)
    assert "Violation" in report and path in report and "jzbf-2022-95/water/task/" in report
    assert current_dir(tmp_path) == first.folder
    assert (current_dir(tmp_path) / "kb.nq").read_bytes() == before
    assert not list((tmp_path / "builds").glob("*.partial"))


def _cli(*args: str, data: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PLAN_KB_DATA=str(data))
    return subprocess.run([sys.executable, "-m", "plan_kb", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


def test_cli_build_fails_cleanly_and_keeps_the_old_kb(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ok = _cli("build", data=data)
    assert ok.returncode == 0, ok.stderr
    assert "water 20 tasks/5 measures" in ok.stdout
    before = current_dir(data)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "notes.txt").write_text("会议纪要。\n\n没有计划。", encoding="utf-8")
    r = _cli("build", "--corpus", str(bad), data=data)
    assert r.returncode == 2
    assert r.stderr.startswith("plan-kb: ") and "no plan found" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert current_dir(data) == before
    r = _cli("build", "--corpus", str(tmp_path / "nowhere"), data=data)
    assert r.returncode == 2 and "no such corpus folder" in r.stderr


def test_cli_before_any_build_says_what_to_do(tmp_path: Path) -> None:
    r = _cli("export", data=tmp_path / "empty")
    assert r.returncode == 2 and "run 'plan-kb build' first" in r.stderr


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "jsonld"])
def test_cli_export_formats_parse_back(kb_data: Path, fmt: str) -> None:
    from rdflib import Dataset, Graph

    r = _cli("export", "--format", fmt, data=kb_data)
    assert r.returncode == 0, r.stderr
    parser = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "jsonld": "json-ld"}[fmt]
    g = Dataset() if fmt in ("nquads", "jsonld") else Graph()
    g.parse(data=r.stdout, format=parser)
    assert len(g) or sum(len(x) for x in g.graphs()) > 1000
    if fmt == "turtle":
        assert "@prefix pkb: <https://w3id.org/plan-kb/ontology#>" in r.stdout and "ns1:" not in r.stdout


def test_cli_stats(kb_data: Path) -> None:
    r = _cli("stats", data=kb_data)
    assert r.returncode == 0
    lines = {tuple(line.split()[:2]): line.split()[-1] for line in r.stdout.splitlines()[1:]}
    assert lines[("water", "Task")] == "20" and lines[("groundwater", "Measure")] == "3"


def test_two_knowledge_bases_side_by_side(tmp_path: Path, kb_data: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    from tests.reading.test_structure import CITY_PLAN

    (corpus / "city.txt").write_text(CITY_PLAN, encoding="utf-8")
    other = tmp_path / "other"
    r = _cli("build", "--corpus", str(corpus), data=other)
    assert r.returncode == 0, r.stderr
    keys = {str(k) for (k,) in load_dataset(current_dir(other)).query(
        sparql_prefixes() + "SELECT ?k WHERE { ?p pkb:planKey ?k }")}
    assert keys == {"air"}
    assert len(load_dataset(current_dir(kb_data)).query(
        sparql_prefixes() + "SELECT ?p WHERE { ?p a pkb:Plan }")) == 4
