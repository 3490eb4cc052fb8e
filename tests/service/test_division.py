"""The 分工表 of a plan and of an agency, as the page, JSON, CSV and an Excel workbook that opens with openpyxl with
one row per task and the roles as the graph has them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
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


def _graph_roles(dataset: Dataset, plan: str) -> dict[int, dict[str, set[str]]]:
    out: dict[int, dict[str, set[str]]] = {}
    for n, prop, label in dataset.query(sparql_prefixes() + f"""SELECT ?n ?prop ?label WHERE {{
        ?t a pkb:Task ; pkb:inPlan/pkb:planKey "{plan}" ; pkb:number ?n ; ?prop ?a . ?a skos:prefLabel ?label .
        VALUES ?prop {{ pkb:leadAgency pkb:supportingAgency pkb:responsibleAgency }} }}"""):
        out.setdefault(int(n), {}).setdefault(str(prop).rsplit("#", 1)[-1], set()).add(str(label))
    return out


def test_the_water_plan_division_downloads_as_xlsx(client: TestClient, dataset: Dataset) -> None:
    from openpyxl import load_workbook

    r = client.get("/division", params={"plan": "water", "format": "xlsx"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("序号", "计划", "任务") and "牵头单位" in header and "完成时限" in header
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    numbers = [int(dataset.query(sparql_prefixes() + """SELECT (COUNT(?t) AS ?n) WHERE {
        ?t a pkb:Task ; pkb:inPlan/pkb:planKey "water" }""").bindings[0]["n"])]
    assert len(body) == numbers[0] == 20
    roles = _graph_roles(dataset, "water")
    col = {h: i for i, h in enumerate(header)}
    for i, row in enumerate(body, start=1):
        assert row[col["序号"]] == f"水环境质量再提升第{i}项"
        for prop, head in [("leadAgency", "牵头单位"), ("supportingAgency", "配合单位"),
                           ("responsibleAgency", "责任单位")]:
            got = set(filter(None, (row[col[head]] or "").split("、")))
            assert got == roles.get(i, {}).get(prop, set()), (i, head)
    assert body[0][col["完成时限"]] is None or "FREQ=" not in str(body[0][col["完成时限"]])
    assert all(ws.cell(row=2, column=c).alignment.wrap_text for c in range(1, len(header) + 1))


def test_an_agency_division_as_csv_and_json(client: TestClient) -> None:
    agencies = client.get("/agencies", params={"limit": 500}).json()["items"]
    water = next(a for a in agencies if a["label"] == "山西省水利厅")
    aid = water["id"]
    js = client.get("/division", params={"agency": aid}).json()
    assert js["heading"].startswith("山西省水利厅") and js["items"]
    assert all("山西省水利厅" in (i["lead"] + i["support"] + i["responsible"] + i["guide"]) for i in js["items"])
    text = client.get("/division", params={"agency": aid, "format": "csv"}).text
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "序号" and len(table) == len(js["items"]) + 1


def test_the_page_and_its_errors(client: TestClient) -> None:
    page = client.get("/ui/division", params={"plan": "air"}).text
    assert "空气质量再提升第5项" in page and "/division?plan=air&amp;format=xlsx" in page
    assert "FREQ=" not in page and "P6M" not in page
    assert client.get("/ui/division").status_code == 200
    r = client.get("/division")
    assert r.status_code == 400 and "plan=water" in r.json()["error"]["message"]
    assert client.get("/division", params={"plan": "nosuchplan"}).status_code == 404
