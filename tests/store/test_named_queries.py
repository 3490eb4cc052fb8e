"""Every named query runs, on Oxigraph and on rdflib's own engine, with the same answer; each is an API operation;
parameters are typed and checked."""

from __future__ import annotations

import httpx
import pytest

from plan_kb.store import EmbeddedStore, queries
from plan_kb.store.queries import BadParameter, get, named_queries, records, run_named
from tests.service.helpers import plan_kb_server

ALL = sorted(named_queries())


@pytest.fixture(scope="module")
def store(built):
    s = EmbeddedStore(built.folder)
    yield s
    s.close()


def _norm(v) -> str:
    s = str(v)
    try:
        f = float(s)
        return repr(int(f)) if f == int(f) else repr(f)
    except ValueError:
        return s


def test_every_query_is_documented():
    assert len(ALL) >= 8
    for name in ALL:
        q = get(name)
        assert q.summary, name
        for p in q.params:
            assert p.description and (p.optional or p.example), (name, p)


@pytest.mark.parametrize("name", ALL)
def test_query_runs_and_matches_rdflib(store, dataset, name):
    q = get(name)
    sparql = q.sparql(**q.example_params())
    ox_res = store.query(sparql)
    assert ox_res.kind == "select"
    rl = dataset.query(sparql)
    ox_rows = sorted(tuple(_norm(t.value) if t is not None else "" for t in row) for row in ox_res.rows)
    rl_rows = sorted(tuple(_norm(row[v]) if row[v] is not None else "" for v in ox_res.variables)
                     for row in rl)
    if name == "cited-documents":  # GROUP_CONCAT order is not defined; compare the groups' members
        ox_rows = [(*r[:3], " ".join(sorted(r[3].split()))) for r in ox_rows]
        rl_rows = [(*r[:3], " ".join(sorted(r[3].split()))) for r in rl_rows]
    assert ox_rows == rl_rows


def test_who_leads_a_task(store, dataset):
    rows = records(store, "task-leads", plan="water", number=1)
    text = str(next(iter(dataset.query(
        'PREFIX pkb: <https://w3id.org/plan-kb/ontology#> SELECT ?x WHERE { ?t a pkb:Task ; pkb:number 1 ; '
        'pkb:text ?x ; pkb:inPlan [ pkb:planKey "water" ] }')))[0])
    assert "省生态环境厅牵头" in text
    assert [r["label"] for r in rows] == ["山西省生态环境厅"]


def test_agency_tasks_by_role(store):
    every = records(store, "agency-tasks", agency="sx-ecology-environment")
    lead = records(store, "agency-tasks", agency="sx-ecology-environment", role="lead")
    assert lead and {r["role"] for r in lead} == {"lead"}
    assert [r for r in every if r["role"] == "lead"] == lead
    assert len(every) > len(lead)


def test_due_by(store):
    early = records(store, "due-by", date="2022-06-30")
    late = records(store, "due-by", date="2023-12-31")
    assert all(r["date"] <= "2022-06-30" for r in early)
    assert len(late) > len(early)
    assert [r["date"] for r in late] == sorted(r["date"] for r in late)


def test_goals_and_limits_shape(store):
    for r in records(store, "indicator-limits", indicator="颗粒物"):
        assert "颗粒物" in r["indicator"]
        assert r["comparator"] in (None, "<=", "<", ">=", ">", "=", "range")
    for r in records(store, "plan-goals", plan="water"):
        assert r["goal"].startswith("https://w3id.org/plan-kb/id/")


@pytest.mark.parametrize("params,needle", [
    ({"plan": "water"}, "needs the parameter number"),
    ({"plan": "water", "number": "one"}, "must be an integer"),
    ({"plan": "Water Plan", "number": 1}, "plan key"),
    ({"plan": "water", "number": 1, "colour": "red"}, "no parameter colour"),
])
def test_bad_parameters(store, params, needle):
    with pytest.raises(BadParameter, match=needle):
        run_named(store, "task-leads", **params)


def test_parameter_values_cannot_inject():
    p = queries.Param("indicator", "string", "")
    assert queries.to_term(p, 'x" } ; DROP ALL #') == '"x\\" } ; DROP ALL #"'
    with pytest.raises(BadParameter):
        queries.entity_iri("agency", "a> <b")
    with pytest.raises(BadParameter):
        queries.to_term(queries.Param("d", "date", ""), "2022-13-01")


@pytest.mark.slow
def test_each_query_is_an_http_operation(kb_data, store):
    with plan_kb_server(kb_data) as base:
        listing = httpx.get(f"{base}/queries").json()
        assert sorted(q["name"] for q in listing) == ALL
        for name in ALL:
            q = get(name)
            r = httpx.get(f"{base}/queries/{name}", params={**q.example_params(), "limit": 100000})
            assert r.status_code == 200, (name, r.text)
            body = r.json()
            assert body["items"] == records(store, name, **q.example_params())
            csv = httpx.get(f"{base}/queries/{name}", params={**q.example_params(), "format": "csv"})
            assert csv.text.splitlines()[0] == ",".join(body["variables"])
        r = httpx.get(f"{base}/queries/task-leads", params={"plan": "water", "number": "x"})
        assert r.status_code == 422 and r.json()["error"]["status"] == 422
        r = httpx.get(f"{base}/queries/due-by", params={"date": "2022-02-30"})
        assert r.status_code == 422


def test_every_named_query_has_a_chinese_title_for_the_sparql_page() -> None:
    from plan_kb.store.queries import named_queries

    missing = [n for n, q in named_queries().items() if not any("\u4e00" <= c <= "\u9fff" for c in q.title_zh)]
    assert not missing, f"add a '#+ title_zh:' line to {missing}"
