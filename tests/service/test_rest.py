"""The JSON/CSV API over HTTP against a real ``plan-kb serve``: every endpoint, JSON and CSV, pagination, filters,
errors; answers checked against the built graph read with rdflib."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from plan_kb.base.namespaces import sparql_prefixes
from tests.service.helpers import plan_kb_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base(kb_data) -> str:
    with plan_kb_server(kb_data) as url:
        yield url


def q(dataset, sparql: str) -> list:
    return list(dataset.query(sparql_prefixes() + sparql))


def get(base: str, path: str, **params) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=30)


def test_plans(base, dataset):
    r = get(base, "/plans")
    assert r.status_code == 200
    body = r.json()
    keys = sorted(str(k) for (k,) in q(dataset, "SELECT ?k WHERE { ?p a pkb:Plan ; pkb:planKey ?k }"))
    assert body["total"] == len(keys) and sorted(p["plan"] for p in body["items"]) == keys
    water = next(p for p in body["items"] if p["plan"] == "water")
    n_tasks = q(dataset, 'SELECT (COUNT(?t) AS ?n) WHERE { ?t a pkb:Task ; pkb:inPlan [ pkb:planKey "water" ] }')
    assert water["tasks"] == int(n_tasks[0][0])
    r = get(base, "/plans/water")
    assert r.status_code == 200
    assert [t["number"] for t in r.json()["taskList"]] == list(range(1, water["tasks"] + 1))
    r = get(base, "/plans/nope")
    assert r.status_code == 404 and r.json() == {"error": {"status": 404, "message": r.json()["error"]["message"]}}
    assert "water" in r.json()["error"]["message"]


def test_lists_as_csv(base):
    for path in ("/plans", "/tasks", "/agencies", "/deadlines"):
        js = get(base, path, limit=1000).json()
        for r in (get(base, path, format="csv", limit=1000),
                  httpx.get(base + path, params={"limit": 1000}, headers={"Accept": "text/csv"})):
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
            rows = list(csv.DictReader(io.StringIO(r.text)))
            assert len(rows) == len(js["items"]) == int(r.headers["x-total-count"])


def test_tasks_pagination_is_stable(base):
    full = get(base, "/tasks", limit=1000).json()
    assert full["total"] == len(full["items"]) > 20
    pages = []
    for off in range(0, full["total"], 7):
        p = get(base, "/tasks", limit=7, offset=off).json()
        assert p["total"] == full["total"] and p["offset"] == off and p["limit"] == 7
        pages += p["items"]
    assert pages == full["items"]
    # the next links walk the same pages, and the last page has none
    walked, url = [], f"{base}/tasks?limit=7&plan=water"
    while url:
        r = httpx.get(url)
        assert r.status_code == 200
        body = r.json()
        walked += body["items"]
        assert (r.headers.get("link") is None) == (body["next"] is None)
        url = body["next"]
    assert walked == get(base, "/tasks", limit=1000, plan="water").json()["items"]
    assert len(walked) > 7
    assert get(base, "/tasks", limit=0).status_code == 422
    assert get(base, "/tasks", offset=-1).json()["error"]["status"] == 422


def test_tasks_filters(base, dataset):
    water = get(base, "/tasks", plan="water", limit=1000).json()
    assert {t["plan"] for t in water["items"]} == {"water"}
    led = get(base, "/tasks", agency="sx-ecology-environment", role="lead", limit=1000).json()["items"]
    want = q(dataset, "SELECT DISTINCT ?t WHERE { ?t a pkb:Task ; pkb:leadAgency "
                      "<https://w3id.org/plan-kb/id/agency/sx-ecology-environment> }")
    assert {t["item"] for t in led} == {str(r[0]) for r in want} and led
    assert all("山西省生态环境厅" in t["leads"] for t in led)
    # "due by" is a By or During date; a From date is when a duty starts (issue 20: one definition everywhere)
    due = get(base, "/tasks", due_before="2022-12-31", limit=1000).json()["items"]
    want = q(dataset, 'SELECT DISTINCT ?t WHERE { ?t a pkb:Task ; pkb:hasDeadline ?dl . ?dl pkb:date ?d ; '
                      'pkb:deadlineKind ?k VALUES ?k { pkb:By pkb:During } FILTER(?d <= "2022-12-31"^^xsd:date) }')
    assert {t["item"] for t in due} == {str(r[0]) for r in want}
    after = get(base, "/tasks", due_after="2023-01-01", limit=1000).json()["items"]
    want = q(dataset, 'SELECT DISTINCT ?t WHERE { ?t a pkb:Task ; pkb:hasDeadline ?dl . ?dl pkb:date ?d ; '
                      'pkb:deadlineKind ?k VALUES ?k { pkb:By pkb:During } FILTER(?d >= "2023-01-01"^^xsd:date) }')
    assert {t["item"] for t in after} == {str(r[0]) for r in want}
    ind = get(base, "/tasks", indicator="颗粒物", limit=1000).json()["items"]
    want = q(dataset, 'SELECT DISTINCT ?t WHERE { ?t a pkb:Task ; pkb:hasThreshold/pkb:indicator ?i '
                      'FILTER(CONTAINS(STR(?i), "颗粒物")) }')
    assert {t["item"] for t in ind} == {str(r[0]) for r in want}
    assert get(base, "/tasks", role="boss").status_code == 422
    assert get(base, "/tasks", due_before="tomorrow").status_code == 422


def test_tasks_place_rolls_up(base, dataset):
    rows = q(dataset, "SELECT ?parent ?child WHERE { ?t pkb:concernsPlace ?child . ?child pkb:within ?parent }")
    if not rows:
        pytest.skip("no place with a parent in this build yet")
    parent, child = (str(x) for x in rows[0])
    pid = parent.split("/place/", 1)[1]
    got = {t["item"] for t in get(base, "/tasks", place=pid, limit=1000).json()["items"]}
    via_child = {str(r[0]) for r in q(dataset, f"SELECT ?t WHERE {{ ?t a pkb:Task ; pkb:concernsPlace <{child}> }}")}
    assert via_child <= got
    place = get(base, f"/places/{pid}").json()
    assert place["iri"] == parent and child in {c["iri"] for c in place["contains"]}
    assert via_child <= {i["iri"] for i in place["items"]}


def test_task_detail(base, dataset):
    r = get(base, "/tasks/water/1")
    assert r.status_code == 200
    t = r.json()
    text = str(next(iter(q(dataset, 'SELECT ?x WHERE { ?t a pkb:Task ; pkb:number 1 ; pkb:text ?x ; '
                                    'pkb:inPlan [ pkb:planKey "water" ] }')))[0])
    assert t["text"] == text and t["source"]["text"] == text
    assert t["source"]["end"] - t["source"]["start"] == len(text)
    assert {"lead", "support"} <= {a["role"] for a in t["agencies"]}
    lead = next(a for a in t["agencies"] if a["role"] == "lead")
    assert lead["id"] == "sx-ecology-environment" and "省生态环境厅牵头" in text
    n_facts = len(q(dataset, f"SELECT * WHERE {{ <{t['iri']}> ?p ?o }}"))
    assert len(t["facts"]) == n_facts
    assert t["section"] and t["section"][0].startswith("三")
    assert get(base, "/tasks/water/999").status_code == 404
    assert get(base, "/tasks/water/x").status_code == 422


def test_agencies(base, dataset):
    body = get(base, "/agencies", limit=1000).json()
    sthjt = next(a for a in body["items"] if a["id"] == "sx-ecology-environment")
    n = q(dataset, "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i pkb:leadAgency "
                   "<https://w3id.org/plan-kb/id/agency/sx-ecology-environment> }")
    assert sthjt["lead"] == int(n[0][0]) > 0
    a = get(base, "/agencies/sx-ecology-environment").json()
    assert a["label"] == "山西省生态环境厅" and "省生态环境厅" in a["altLabels"]
    assert len(a["tasks"]["lead"]) == sthjt["lead"]
    assert all(d["role"] in ("lead", "support", "responsible", "guiding") for d in a["deadlines"])
    r = get(base, "/agencies/no-such-agency")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404


def test_deadlines(base, dataset):
    body = get(base, "/deadlines", limit=1000).json()
    n = q(dataset, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?i pkb:hasDeadline ?d ; pkb:inPlan ?p }")
    assert body["total"] == int(n[0][0])
    dated = [d["date"] for d in body["items"] if d["date"]]
    assert dated == sorted(dated)
    window = get(base, "/deadlines", after="2022-01-01", before="2022-12-31", limit=1000).json()["items"]
    assert window and all("2022-01-01" <= d["date"] <= "2022-12-31" for d in window)
    # the same rows, in the same order, as the whole list cut by hand (the window is found by bisection)
    assert window == [d for d in body["items"] if d["date"] and "2022-01-01" <= d["date"] <= "2022-12-31"]
    water = get(base, "/deadlines", plan="water", after="2022-06-01", kind="By", limit=1000).json()["items"]
    assert water and water == [d for d in body["items"] if d["plan"] == "water" and d["deadlineKind"] == "By"
                               and d["date"] and d["date"] >= "2022-06-01"]
    by = get(base, "/deadlines", kind="By", limit=1000).json()["items"]
    assert by and {d["deadlineKind"] for d in by} == {"By"}
    pages, url = [], f"{base}/deadlines?limit=7"
    while url:
        got = httpx.get(url, timeout=30).json()
        pages += got["items"]
        url = got["next"]
    assert pages == body["items"]


def test_calendar(base):
    r = httpx.get(f"{base}/calendar.ics?agency={quote('省生态环境厅')}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert r.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in r.text
    r = httpx.get(f"{base}/calendar.ics?agency={quote('没有这个机构')}")
    assert r.status_code in (404, 409) and "error" in r.json()


@pytest.mark.parametrize("fmt,parse", [("nquads", "nquads"), ("trig", "trig"), ("turtle", "turtle"),
                                       ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_export(base, dataset, fmt, parse):
    r = get(base, "/export", format=fmt)
    assert r.status_code == 200
    quads = len(list(dataset.quads((None, None, None, None))))  # the ontology's graph shares a few triples
    if fmt == "jsonld":  # one named graph per document, as the quad formats
        ds = Dataset().parse(data=r.content, format="json-ld")
        assert len(list(ds.quads((None, None, None, None)))) == quads
    elif fmt in ("nquads", "trig"):
        assert len(list(ox.parse(r.content, format={"nquads": ox.RdfFormat.N_QUADS,
                                                    "trig": ox.RdfFormat.TRIG}[fmt]))) == quads
    else:
        g = Graph().parse(data=r.content, format=parse)
        union = {(s, p, o) for s, p, o, _g in dataset.quads((None, None, None, None))}
        assert len(g) == len(union)
    assert get(base, "/export", format="docx").status_code == 400


def test_unknown_path_has_the_error_format(base):
    r = get(base, "/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404
