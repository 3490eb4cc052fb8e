"""Status as of a date: ``?as_of=`` on the agency and deadlines pages gives 已逾期 / 即将到期 (30 days) / 未到期
counted from the graph's deadlines (a From date is a start, not a deadline), and says when a plan's period ended."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset

from plan_kb.base.namespaces import sparql_prefixes

AS_OF = date(2023, 3, 1)


@pytest.fixture(scope="module")
def client(kb_data: Path) -> Iterator[TestClient]:
    from plan_kb.service.app import create_app
    from plan_kb.service.settings import Settings

    with TestClient(create_app(Settings(data=kb_data, reload_check=0))) as c:
        yield c


def expected(dataset: Dataset, agency: str | None = None) -> dict[str, int]:
    scope = f"VALUES ?r {{ pkb:leadAgency pkb:supportingAgency pkb:responsibleAgency pkb:guidingAgency }} " \
            f"?item ?r <{agency}> ." if agency else ""
    rows = {(str(d), str(k).rsplit("#", 1)[-1], str(dt), str(item)) for d, k, dt, item in dataset.query(
        sparql_prefixes() + f"""SELECT ?d ?k ?date ?item WHERE {{ ?item pkb:hasDeadline ?d . {scope}
        ?d pkb:deadlineKind ?k ; pkb:date ?date }}""")}
    counts = {"overdue": 0, "soon": 0, "open": 0}
    for _d, kind, when, _item in rows:
        day = date.fromisoformat(when)
        if kind == "From":
            continue
        counts["overdue" if day < AS_OF else "soon" if day <= AS_OF + timedelta(days=30) else "open"] += 1
    return counts


def test_deadlines_page_counts(client: TestClient, dataset: Dataset) -> None:
    data = client.get("/ui/deadlines", params={"as_of": "2023-03-01", "format": "json"}).json()
    want = expected(dataset)
    assert {k: data["counts"][k] for k in want} == want and want["overdue"] > 10
    assert len(data["overdue"]) == want["overdue"]
    assert data["asOf"] == "2023-03-01"
    html = client.get("/ui/deadlines", params={"as_of": "2023年3月1日"}).text
    assert f"已逾期 {want['overdue']}" in html and f"即将到期(30天内) {want['soon']}" in html
    assert "实施期至2023年12月31日" in html
    later = client.get("/ui/deadlines", params={"as_of": "2026-12-01"}).text
    assert "的实施期已于2023年12月31日结束" in later


def test_agency_page_counts(client: TestClient, dataset: Dataset) -> None:
    agencies = client.get("/agencies", params={"limit": 500}).json()["items"]
    water = next(a for a in agencies if a["label"] == "山西省水利厅")
    data = client.get(f"/ui/agencies/{water['id']}", params={"as_of": "2023-03-01", "format": "json"}).json()
    want = expected(dataset, water["agency"])
    assert {k: data["counts"][k] for k in want} == want
    html = client.get(f"/ui/agencies/{water['id']}", params={"as_of": "2023-03-01"}).text
    assert f"已逾期 {want['overdue']}" in html and "FREQ=" not in html


def test_a_bad_as_of_is_a_clear_400(client: TestClient) -> None:
    r = client.get("/ui/deadlines", params={"as_of": "下周", "format": "json"})
    assert r.status_code == 400 and "as_of" in r.json()["error"]["message"]


def test_one_definition_of_due_by(client: TestClient) -> None:
    """/tasks?due_before, the due-by named query and the deadlines list agree: By and During dates count, From not."""
    tasks = client.get("/tasks", params={"due_before": "2023-06-30", "limit": 500}).json()["items"]
    named = client.get("/queries/due-by", params={"date": "2023-06-30", "limit": 5000}).json()
    rows = named["items"] if isinstance(named, dict) and "items" in named else named
    due = {(r["plan"], r["number"]) for r in rows if r["kind"] == "task"}
    assert {(t["plan"], t["number"]) for t in tasks} == due and len(due) >= 15
