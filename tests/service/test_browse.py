"""The ways in: from the home page a person reaches every agency, place, document and task by following links; the
agency, place and document index pages; the chat box works without JavaScript (a plain form GET renders the answer);
no page shows a plan key, an RRULE or an ISO duration in its text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset

from plan_kb.base.namespaces import sparql_prefixes


@pytest.fixture(scope="module")
def client(kb_data: Path) -> Iterator[TestClient]:
    from plan_kb.service.app import create_app
    from plan_kb.service.settings import Settings

    with TestClient(create_app(Settings(data=kb_data, reload_check=0))) as c:
        yield c


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/ui/") and "?" not in href:
            self.links.append(href.split("#")[0])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _read(client: TestClient, url: str) -> _Page:
    r = client.get(url)
    assert r.status_code == 200, url
    p = _Page()
    p.feed(r.text)
    return p


CODES = [re.compile(r"FREQ=|BYMONTH|\bP\d+[YMWD]\b"), re.compile(r"\b(water|air|soil|groundwater)(#| ?任务)\d")]


def test_every_entity_is_reachable_by_clicking_and_no_page_shows_codes(client: TestClient, dataset: Dataset) -> None:
    seen, todo, texts = set(), ["/"], {}
    while todo:
        url = todo.pop()
        if url in seen or len(seen) > 400:
            continue
        seen.add(url)
        page = _read(client, url)
        texts[url] = "".join(page.text)
        todo.extend(u for u in page.links if u not in seen)
    want = {f"/ui/tasks/{p}/{n}" for p, n in dataset.query(sparql_prefixes() + """SELECT ?p ?n WHERE {
        ?t a pkb:Task ; pkb:number ?n ; pkb:inPlan/pkb:planKey ?p }""")}
    want |= {"/ui/agencies/" + str(a).rsplit("/", 1)[-1] for (a,) in dataset.query(sparql_prefixes() + """
        SELECT DISTINCT ?a WHERE {
          [] pkb:leadAgency|pkb:supportingAgency|pkb:responsibleAgency|pkb:guidingAgency ?a }""")}
    want |= {"/ui/places/" + str(p).rsplit("/", 1)[-1] for (p,) in dataset.query(sparql_prefixes() + """
        SELECT DISTINCT ?p WHERE { [] pkb:concernsPlace ?p }""")}
    want |= {"/ui/documents/" + str(d).rsplit("/", 1)[-1] for (d,) in dataset.query(sparql_prefixes() + """
        SELECT ?d WHERE { ?d a pkb:Document }""")}
    assert not want - seen, sorted(want - seen)[:10]
    for url, text in texts.items():
        for code in CODES:
            assert not code.search(text), (url, code.search(text).group(0))


def test_the_index_pages(client: TestClient) -> None:
    agencies = "".join(_read(client, "/ui/agencies").text)
    assert "山西省人民政府" in agencies and "省政府组成部门" in agencies and "山西省生态环境厅" in agencies
    places = "".join(_read(client, "/ui/places").text)
    assert "行政区划" in places and "河流湖库" in places and "汾河" in places
    doc = client.get("/ui/documents/jzbf-2022-95", params={"format": "json"}).json()
    assert doc["number"] == "晋政办发〔2022〕95号" and [p["plan"] for p in doc["plans"]] == \
        ["water", "air", "soil", "groundwater"]
    assert doc["plans"][0]["counts"]["task"] == 20 and doc["report"]["doubts"]
    assert client.get("/ui/documents/no-such-doc").status_code == 404


def test_the_chat_box_without_javascript(client: TestClient) -> None:
    page = client.get("/").text
    assert 'action="/ui/ask" method="get"' in page
    r = client.get("/ui/ask", params={"question": "生态环境厅牵头哪些任务?"})
    assert r.status_code == 200 and "/ui/tasks/" in r.text and "第1项" in r.text
    assert client.get("/ui/ask").status_code == 200
    assert client.get("/ui/ask", params={"question": "x" * 20000}).status_code == 413
