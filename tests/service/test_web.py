"""The staff pages without a browser: each page renders with its content, answers JSON too, escapes what users type,
and says 404 in a page of its own for unknown tasks, agencies and places."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from fastapi.testclient import TestClient

from plan_kb.service.app import create_app
from plan_kb.service.settings import Settings

DOC_NUMBER = "晋政办发〔2022〕95号"


@pytest.fixture(scope="module")
def client(kb_data: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data=kb_data))) as c:
        yield c


def html(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url, headers={"Accept": "text/html"})
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return r.text


PAGES = ["/", "/?q=焦化", "/ui/tasks/air/3", "/ui/agencies/sx-ecology-environment", "/ui/places/140900",
         "/ui/deadlines", "/ui/sparql"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_footer_chat_and_keyboard_aids(client: TestClient, url: str) -> None:
    body = html(client, url)
    assert '<html lang="zh-CN">' in body
    assert DOC_NUMBER in body and "著作权法" in body  # source document from the graph, licence note
    assert '<a class="skip" href="#main">' in body and 'id="main"' in body
    assert 'id="ask-form"' in body and '<label for="ask-input">' in body
    assert 'name="viewport"' in body
    assert "http://" not in re.sub(r'(href|content)="[^"]*"', "", body).split("<main")[0]  # no external assets
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', body)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_json(client: TestClient, url: str) -> None:
    sep = "&" if "?" in url else "?"
    a = client.get(url + sep + "format=json")
    b = client.get(url, headers={"Accept": "application/json"})
    assert a.status_code == b.status_code == 200
    assert a.headers["content-type"].startswith("application/json")
    strip = {"seconds"}  # the search's own timing
    assert {k: v for k, v in a.json().items() if k not in strip} == {k: v for k, v in b.json().items()
                                                                      if k not in strip}


def test_search_page_hits_highlight_and_facets_in_the_url(client: TestClient) -> None:
    data = client.get("/", params={"q": "焦化", "format": "json"}).json()
    assert data["total"] >= 3
    assert all("<mark>" in h["snippet"] for h in data["hits"])
    body = html(client, "/?q=焦化")
    assert "<mark>焦化</mark>" in body
    assert re.search(r'href="/ui/tasks/air/\d+"', body)
    names = [f["name"] for f in data["facetList"]]
    for facet in ("plan", "agency", "role", "place", "year"):
        assert facet in names
    # follow the first agency facet link: the view narrows and the link is a bookmarkable URL
    agency = next(f for f in data["facetList"] if f["name"] == "agency")["values"][-1]
    query = parse_qs(urlparse(agency["href"]).query)
    assert query["q"] == ["焦化"] and len(query["agency"]) == 1
    narrowed = client.get(agency["href"] + "&format=json").json()
    assert narrowed["total"] == agency["count"] < data["total"]
    chosen = next(f for f in narrowed["facetList"] if f["name"] == "agency")
    assert [v["label"] for v in chosen["values"] if v["selected"]] == [agency["label"]]
    page = html(client, agency["href"])
    assert 'class="selected" aria-current="true"' in page
    assert f'type="hidden" name="agency" value="{query["agency"][0]}"' in page  # a new query keeps the filter


def test_search_sorts_by_deadline(client: TestClient) -> None:
    data = client.get("/", params={"q": "治理", "sort": "deadline", "format": "json"}).json()
    dated = [h["deadline"] for h in data["hits"] if h["deadline"]]
    assert len(dated) >= 2 and dated == sorted(dated)
    assert 'aria-current="true">期限</a>' in html(client, "/?q=治理&sort=deadline")


def test_user_input_is_escaped(client: TestClient) -> None:
    evil = '<script>alert("x")</script>'
    for url in ("/", "/ui/sparql"):
        r = client.get(url, params={"q" if url == "/" else "query": evil}, headers={"Accept": "text/html"})
        assert "<script>alert" not in r.text
        assert "&lt;script&gt;alert" in r.text
    r = client.get("/ui/sparql", params={"query": "</textarea><b>x</b>"}, headers={"Accept": "text/html"})
    assert "</textarea><b>" not in r.text and r.status_code == 400


def test_bad_search_says_so(client: TestClient) -> None:
    body = html(client, '/?q="焦化', status=400)
    assert 'class="error"' in body
    r = client.get("/", params={"q": '"焦化', "format": "json"})
    assert r.status_code == 400 and "error" in r.json()


def test_task_page_marks_facts_in_the_text(client: TestClient) -> None:
    data = client.get("/ui/tasks/air/3", params={"format": "json"}).json()
    segs = data["segments"]
    assert "".join(s["text"] for s in segs) == data["text"]
    start = data["source"]["start"]
    marks = [s for s in segs if s["mark"]]
    kinds = {s["mark"]["kind"] for s in marks}
    assert {"agency", "date", "place", "threshold"} <= kinds
    for s in marks:
        m = s["mark"]
        assert data["text"][m["start"] - start:m["end"] - start] == s["text"]
        assert m["href"]
    agencies = {s["text"]: s["mark"]["href"] for s in marks if s["mark"]["kind"] == "agency"}
    assert agencies["省工信厅"] == "/ui/agencies/sx-industry-it"
    body = html(client, "/ui/tasks/air/3")
    assert 'class="m m-agency m-responsible" href="/ui/agencies/sx-industry-it"' in body
    assert 'href="/ui/places/140900"' in body
    assert '<table class="facts">' in body and "<td>期限</td>" in body
    assert f"第 {start}–{data['source']['end']} 字符" in body
    crumbs = [b["label"] for b in data["breadcrumbs"]]
    assert crumbs[0] == "山西省空气质量再提升2022—2023年行动计划" and crumbs[-1] == "任务3" and len(crumbs) >= 3
    # the links to the same task in other forms work
    assert client.get(data["links"]["json"]).json()["iri"] == data["iri"]
    ttl = client.get(data["links"]["turtle"])
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    assert "加快淘汰重点行业落后产能" in ttl.text
    assert data["iri"] in html(client, data["links"]["sparql"])


def test_task_page_lead_agency(client: TestClient) -> None:
    data = client.get("/ui/tasks/water/1", params={"format": "json"}).json()
    leads = [s for s in data["segments"] if s["mark"] and s["mark"]["role"] == "lead"]
    assert leads and leads[0]["mark"]["href"] == "/ui/agencies/sx-ecology-environment"


def test_agency_page_matrix_deadlines_and_calendar(client: TestClient) -> None:
    data = client.get("/ui/agencies/sx-ecology-environment", params={"format": "json", "today": "2022-12-01"}).json()
    assert data["label"] == "山西省生态环境厅" and "省生态环境厅" in data["altLabels"]
    plans = [r["plan"] for r in data["matrix"]]
    assert set(plans) == {"water", "air", "soil", "groundwater"}
    lead_water = [i["number"] for r in data["matrix"] if r["plan"] == "water" for i in r["cells"]["lead"]]
    assert 1 in lead_water
    up = [d["date"] for d in data["upcoming"]]
    assert up and up == sorted(up) and all(d >= "2022-12-01" for d in up)
    assert all(d["date"] < "2022-12-01" for d in data["past"])
    body = html(client, "/ui/agencies/sx-ecology-environment?today=2022-12-01")
    assert body.index("即将到期") < body.index("职责矩阵") < body.index("已过期限")
    assert '<table class="matrix">' in body
    cal = client.get(data["calendar"])
    assert cal.status_code == 200 and cal.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in cal.text


def test_deadlines_page_by_month_with_overdue_apart(client: TestClient) -> None:
    data = client.get("/ui/deadlines", params={"format": "json", "today": "2023-01-01"}).json()
    assert data["overdue"] and all(d["date"] < "2023-01-01" for d in data["overdue"])
    months = [m["month"] for m in data["months"]]
    assert months == sorted(months)
    for m in data["months"]:
        assert all(d["date"].startswith(m["month"]) for d in m["items"])
    body = html(client, "/ui/deadlines?today=2023-01-01")
    assert "已逾期" in body and 'id="m-2023-12"' in body
    everything = data["total"]
    narrowed = client.get("/ui/deadlines", params={"format": "json", "agency": "sx-ecology-environment",
                                                   "plan": "air"}).json()
    assert 0 < narrowed["total"] < everything
    rows = narrowed["overdue"] + [d for m in narrowed["months"] for d in m["items"]] + narrowed["undated"]
    assert rows and all(d["plan"] == "air" for d in rows)
    today = date.today().isoformat()
    default = client.get("/ui/deadlines", params={"format": "json"}).json()
    assert default["today"] == today


def test_sparql_page_runs_examples_and_offers_downloads(client: TestClient) -> None:
    data = client.get("/ui/sparql", params={"format": "json"}).json()
    assert len(data["examples"]) >= 5 and data["query"] == data["examples"][0]["query"]
    q = "SELECT ?task ?title WHERE { ?task a pkb:Task ; dcterms:title ?title } ORDER BY ?task LIMIT 3"
    q = "PREFIX pkb: <https://w3id.org/plan-kb/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n" + q
    ran = client.get("/ui/sparql", params={"query": q, "format": "json"}).json()
    assert ran["variables"] == ["task", "title"] and ran["total"] == 3
    assert ran["rows"][0][0]["href"].startswith("/ui/tasks/")
    body = html(client, "/ui/sparql?" + urlencode({"query": q}))
    assert '<table class="results-table">' in body
    csv = client.get(ran["downloads"]["csv"])
    assert csv.status_code == 200 and csv.text.startswith("task,title")
    assert len(client.get(ran["downloads"]["json"]).json()["results"]["bindings"]) == 3


def test_unknown_things_get_a_404_page(client: TestClient) -> None:
    for url in ("/ui/tasks/air/999", "/ui/tasks/nosuchplan/1", "/ui/agencies/no-such-agency",
                "/ui/places/no-such-place", "/ui/tasks/air/abc"):
        body = html(client, url, status=404)
        assert "未找到" in body and DOC_NUMBER in body
    r = client.get("/ui/agencies/no-such-agency", params={"format": "json"})
    assert r.status_code == 404 and r.json()["error"]["status"] == 404


def test_static_files(client: TestClient) -> None:
    assert client.get("/ui/static/app.css").headers["content-type"].startswith("text/css")
    assert "fetch(\"/ask\"" in client.get("/ui/static/app.js").text
    assert client.get("/ui/static/../app.py").status_code == 404
    assert client.get("/ui/static/nothing.js").status_code == 404
