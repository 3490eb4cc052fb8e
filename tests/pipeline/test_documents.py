"""The test documents of other house styles (tests/documents/*.txt, written by people who never saw the reader, each
with its expected reading in *.json): each is built alone and its tasks, titles and roles are compared with the
expected reading. Tasks are matched by their top-level section and printed number, so a plan whose numbering
restarts per section (二、1 ≠ 三、1) is compared task by task; score.py, keyed by number only, cannot."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import Dataset

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.build import build
from plan_kb.store.folders import load_dataset

DOCS = Path(__file__).parents[1] / "documents"
FLOORS = json.loads((Path(__file__).parents[1] / "score_floor.json").read_text(encoding="utf-8"))
GOLDS = sorted(p for p in DOCS.glob("*.json") if p.with_suffix(".txt").exists())
ROLES = {"lead": "leadAgency", "support": "supportingAgency", "responsible": "responsibleAgency",
         "guide": "guidingAgency"}


def norm(s: str) -> str:
    return re.sub(r"[\s“”\"']", "", unicodedata.normalize("NFKC", s))


def section_number(label: str | None) -> str:
    """The numeral of a top-level section ("" for a task under no section, as the rows of a task table)."""
    return re.sub(r"、.*$", "", norm(label)) if label else ""


@pytest.fixture(scope="module", params=[p.stem for p in GOLDS])
def reading(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Dataset, dict]:
    gold = json.loads((DOCS / f"{request.param}.json").read_text(encoding="utf-8"))
    gold["_document"] = request.param
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / f"{request.param}.txt").write_bytes((DOCS / f"{request.param}.txt").read_bytes())
    result = build(corpus, tmp_path_factory.mktemp("data"))
    return gold, load_dataset(result.folder), result.report


def tasks(ds: Dataset) -> dict[tuple[str, int], str]:
    """(top-level section numeral, number) → task IRI."""
    rows = ds.query(sparql_prefixes() + """SELECT ?t ?n ?l WHERE { ?t a pkb:Task ; pkb:number ?n .
        OPTIONAL { ?t dcterms:isPartOf+ ?s . ?s pkb:headingLevel 1 ; rdfs:label ?l } }""")
    return {(section_number(str(lab) if lab else None), int(n)): str(t) for t, n, lab in rows}


def labels(ds: Dataset, task: str, prop: str) -> list[set[str]]:
    rows = ds.query(sparql_prefixes() + f"""SELECT ?a ?l WHERE {{ <{task}> pkb:{prop} ?a .
        ?a skos:prefLabel|skos:altLabel ?l }}""")
    out: dict[str, set[str]] = {}
    for a, lab in rows:
        out.setdefault(str(a), set()).add(norm(str(lab)))
    return list(out.values())


def test_every_task_is_read_with_its_title(reading) -> None:
    gold, ds, _ = reading
    got = tasks(ds)
    want = {(section_number(t["section"]), t["number"]) for t in gold["tasks"]}
    assert set(got) == want
    for t in gold["tasks"]:
        iri = got[(section_number(t["section"]), t["number"])]
        [(title,)] = list(ds.query(sparql_prefixes() + f"SELECT ?x WHERE {{ <{iri}> dcterms:title ?x }}"))
        assert norm(str(title)) == norm(t["title"]), (t["section"], t["number"])


def test_task_iris_are_unique_and_numbers_as_printed(reading) -> None:
    gold, ds, _ = reading
    rows = list(ds.query(sparql_prefixes() + "SELECT ?t ?n WHERE { ?t a pkb:Task ; pkb:number ?n }"))
    assert len({str(t) for t, _ in rows}) == len(gold["tasks"])
    assert sorted(int(n) for _, n in rows) == sorted(t["number"] for t in gold["tasks"])


@pytest.mark.parametrize("role", list(ROLES))
def test_roles_as_the_expected_reading(reading, role: str) -> None:
    gold, ds, _ = reading
    got = tasks(ds)
    wrong = []
    for t in gold["tasks"]:
        names = list(t.get(role, []))
        if role == "responsible":
            names += [n for n in t.get("inherited_responsible", []) if n not in names]
        agencies = labels(ds, got[(section_number(t["section"]), t["number"])], ROLES[role])
        left = list(agencies)
        for name in names:
            hit = next((a for a in left if norm(name) in a), None)
            if hit is None:
                wrong.append(f"{t['section']} {t['number']}: {role} {name} missing")
            else:
                left.remove(hit)
        wrong += [f"{t['section']} {t['number']}: {role} extra {sorted(a)[0]}" for a in left]
    # a document added from an earlier blind set may keep a miss its gold chose and the reader does not follow; each is
    # listed, with why, under "role_misses" in score_floor.json: no other miss may appear, and a listed one that is
    # read right must be taken off the list (the list only shrinks)
    known = [w for w in FLOORS["documents"].get(gold["_document"], {}).get("role_misses", []) if f": {role} " in w]
    assert [w for w in wrong if w not in known] == []
    assert [w for w in known if w not in wrong] == [], "read right now: take these off role_misses"


def test_a_task_without_a_role_note_is_a_doubt_in_the_build_report(reading) -> None:
    gold, ds, report = reading
    got = tasks(ds)
    flagged = {d["item"] for d in report["doubts"] if d["kind"] == "roles" and "has no role note" in d["message"]}
    for t in gold["tasks"]:
        key = "task/" + got[(section_number(t["section"]), t["number"])].rsplit("/task/", 1)[1]
        assert (key in flagged) == (not any(t.get(r) for r in ROLES)), key
