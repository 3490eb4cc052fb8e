"""A base of many documents (issue 22): the bundled corpus three times over as distinct documents (copies with other
document numbers and periods, made here) in one base. No REST list, named query, look-up or answer repeats a row,
and what it says about the first copy is what a base built from that document alone says."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml

from plan_kb.bench.corpus import make_copies
from plan_kb.build import BuildResult, build
from plan_kb.store import EmbeddedStore
from plan_kb.store.checks import run_checks
from plan_kb.store.queries import get, named_queries
from tests.service.helpers import plan_kb_server

pytestmark = pytest.mark.slow

COPIES = 3
FIRST = "https://w3id.org/plan-kb/id/graph/jzbf-2022-95"
ASK_CASES = Path(__file__).parents[1] / "answers" / "ask_cases.yaml"
LISTS = ["/plans", "/tasks", "/agencies", "/deadlines", "/tasks?plan=water", "/tasks?agency=sx-ecology-environment",
         "/tasks?place=140700", "/tasks?due_before=2022-12-31", "/tasks?indicator=颗粒物", "/tasks?role=lead"]


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    corpus = make_copies(COPIES, tmp_path_factory.mktemp("corpus"))
    return build(corpus, tmp_path_factory.mktemp("many"))


@pytest.fixture(scope="module")
def servers(many: BuildResult, kb_data: Path):
    with plan_kb_server(many.folder.parent.parent) as big, plan_kb_server(kb_data) as one:
        yield big, one


def _get(base: str, path: str, **params) -> dict:
    r = httpx.get(base + path, params={"limit": 100000, **params}, timeout=60)
    assert r.status_code == 200, (path, r.text[:300])
    return r.json()


def _repeats(rows: list) -> list:
    seen, out = set(), []
    for r in rows:
        key = json.dumps(r, sort_keys=True, ensure_ascii=False)
        if key in seen:
            out.append(r)
        seen.add(key)
    return out


def _example(name: str, plan: str | None = "water") -> dict:
    """A query's example parameters; with ``plan``, an optional plan parameter pinned to the first copy's plan."""
    q = get(name)
    params = q.example_params()
    if plan and any(p.name == "plan" for p in q.params):
        params["plan"] = plan
    return params


def _scoped_to_first_copy(name: str) -> bool:
    return any(p.name in ("plan", "task") for p in get(name).params)


def test_the_copies_are_distinct_documents(many: BuildResult) -> None:
    docs = many.report["documents"]
    assert len(docs) == COPIES
    assert len({d["slug"] for d in docs}) == COPIES
    keys = [k for d in docs for k in d["plans"]]
    assert len(keys) == len(set(keys)) == 4 * COPIES
    assert set(docs[0]["plans"]) == {"water", "air", "soil", "groundwater"}


def test_shared_entities_are_described_once(many: BuildResult) -> None:
    store = EmbeddedStore(many.folder, workers=1, read_only=True)
    assert run_checks(store) == []
    graphs = store.graphs()
    assert {g.rsplit("/", 1)[-1] for g in graphs} >= {"agencies", "places", "works", "indicators"}
    # a label of an agency is one triple in the whole base, however many documents name the agency
    n = store.query("""SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g {
        <https://w3id.org/plan-kb/id/agency/sx-ecology-environment> <http://www.w3.org/2004/02/skos/core#prefLabel>
        ?l } }""").records()[0]["n"]
    assert n == 1
    store.close()


def test_one_document_only_is_its_graph(many: BuildResult, built: BuildResult) -> None:
    """The README's 'one document only' query: the first copy's graph holds what the base of it alone holds."""
    q = f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{FIRST}> {{ ?s ?p ?o }} }}"""
    big = EmbeddedStore(many.folder, workers=1, read_only=True)
    one = EmbeddedStore(built.folder, workers=1, read_only=True)
    assert big.query(q).records() == one.query(q).records()
    tasks = f"""SELECT ?task ?label WHERE {{ GRAPH <{FIRST}> {{ ?task pkb:leadAgency ?a }} ?a skos:prefLabel ?label }}
               ORDER BY ?task ?label"""
    prefixes = ("PREFIX pkb: <https://w3id.org/plan-kb/ontology#> "
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
    assert big.query(prefixes + tasks).records() == one.query(prefixes + tasks).records()
    big.close()
    one.close()


@pytest.mark.parametrize("path", LISTS)
def test_no_list_repeats_a_row(servers, path: str) -> None:
    big, _one = servers
    items = _get(big, path)["items"]
    assert items, path
    assert _repeats(items) == [], path


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_no_named_query_repeats_a_row(servers, name: str) -> None:
    big, one = servers
    everything = _get(big, f"/queries/{name}", **_example(name, plan=None))["items"]
    assert _repeats(everything) == [], name
    if _scoped_to_first_copy(name):
        params = _example(name)
        assert _get(big, f"/queries/{name}", **params) == _get(one, f"/queries/{name}", **params), name


def test_look_ups_of_the_first_copy_equal_its_own_base(servers) -> None:
    big, one = servers
    for key in ("water", "air", "soil", "groundwater"):
        plan = _get(big, f"/plans/{key}")
        assert plan == _get(one, f"/plans/{key}"), key
        assert _get(big, "/tasks", plan=key) == _get(one, "/tasks", plan=key), key
        for t in plan["taskList"]:
            path = f"/tasks/{key}/{t['number']}"
            detail = _get(big, path)
            assert detail == _get(one, path), path
            for field in ("agencies", "deadlines", "places", "thresholds", "citations", "facts", "section"):
                assert _repeats(detail[field]) == [], (path, field)
    agency = _get(big, "/agencies/sx-ecology-environment")
    assert _repeats(agency["deadlines"]) == []
    for rows in agency["tasks"].values():
        assert _repeats(rows) == []
    place = _get(big, "/places/140700")
    assert all(_repeats(v) == [] for v in place.values() if isinstance(v, list))


def test_no_answer_repeats_a_row(servers) -> None:
    big, _one = servers
    cases = yaml.safe_load(ASK_CASES.read_text(encoding="utf-8"))["cases"]
    questions = [t["q"] for c in cases for t in c.get("conversation") or [c]]
    assert len(questions) > 50
    for q in questions:
        r = httpx.post(big + "/ask", json={"question": q}, timeout=60)
        assert r.status_code == 200, (q, r.text[:300])
        body = r.json()
        for field in ("agencies", "tasks", "values"):
            assert _repeats(body[field]) == [], (q, field)


def test_search_hits_are_not_repeated(servers) -> None:
    big, _one = servers
    for words in ("生态流量", "活性炭", "颗粒物", "地下水"):
        hits = _get(big, "/search", q=words)
        rows = hits.get("hits") or hits.get("items") or []
        assert rows, words
        assert _repeats(rows) == [], words
