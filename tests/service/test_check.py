"""Rules as code over real HTTP (``plan-kb serve``): /rules, /rules.ttl, POST /check in JSON and CSV, its errors,
and the page /ui/check; and the ``plan-kb check`` command with its exit statuses."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

import httpx
import pytest
from rdflib import Graph

from plan_kb import cli
from plan_kb.base.resources import ROOT
from tests.service.helpers import plan_kb_server

pytestmark = pytest.mark.slow
EXAMPLE = ROOT / "api" / "examples" / "check-records.csv"


@pytest.fixture(scope="module")
def base(kb_data) -> str:
    with plan_kb_server(kb_data) as url:
        yield url


def test_rules_as_json_csv_and_shacl(base: str) -> None:
    body = httpx.get(base + "/rules", timeout=30).json()
    assert body["total"] == len(body["rules"]) > 20 and body["shapes"] == "/rules.ttl"
    rows = list(csv.DictReader(io.StringIO(httpx.get(base + "/rules", params={"format": "csv"}, timeout=30).text)))
    assert len(rows) == body["total"] and {"iri", "plan", "number", "test", "from"} <= set(rows[0])
    r = httpx.get(base + "/rules.ttl", timeout=30)
    assert r.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=r.text, format="turtle")) > 1000


def test_post_check_json_and_csv(base: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    r = httpx.post(base + "/check", content=text.encode(), headers={"content-type": "text/csv"}, timeout=60)
    assert r.status_code == 200
    got = {x["id"]: x for x in r.json()}
    v = got["coke-nox-2024"]["verdicts"][0]
    assert v["status"] == "breaks" and v["task"]["plan"] == "air" and v["task"]["number"] == 5
    assert set(v) >= {"status", "task", "comparator", "value", "unit", "from"}
    assert got["unknown"]["covered"] is False
    r = httpx.post(base + "/check", params={"format": "csv"}, content=text.encode(),
                   headers={"content-type": "text/csv"}, timeout=60)
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert r.headers["content-type"].startswith("text/csv") and {"id", "status", "plan", "number"} <= set(rows[0])
    js = [{"id": "j", "subject": "焦炉烟气", "place": "介休市", "indicator": "NOx", "value": 60000, "unit": "μg/m³",
           "date": "2024-03-15"}]
    r = httpx.post(base + "/check", json=js, timeout=60)
    assert r.json()[0]["verdicts"][0]["status"] == "breaks"


@pytest.mark.parametrize("body,ctype", [(b"id,value\n1,2\n", "text/csv"), (b"[1,2]", "application/json"),
                                        (b"\xff\xfe", "text/csv"), (b"", "text/csv")])
def test_post_check_errors_are_json(base: str, body: bytes, ctype: str) -> None:
    r = httpx.post(base + "/check", content=body, headers={"content-type": ctype}, timeout=30)
    assert r.status_code == 422 and set(r.json()["error"]) >= {"status", "message"}


def test_check_page(base: str) -> None:
    r = httpx.get(base + "/ui/check", timeout=30)
    assert r.status_code == 200 and 'name="records"' in r.text and 'type="file"' in r.text
    r = httpx.post(base + "/ui/check", content=urlencode({"records": EXAMPLE.read_text(encoding="utf-8")}),
                   headers={"content-type": "application/x-www-form-urlencoded"}, timeout=60)
    assert r.status_code == 200 and 'href="/ui/tasks/air/5"' in r.text and "data:text/csv" in r.text
    assert "不符合" in r.text


def test_cli_check(use_kb, capsys: pytest.CaptureFixture, tmp_path) -> None:
    assert cli.main(["check", "--json", str(EXAMPLE)]) == 1  # something breaks
    out = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in out} >= {"coke-nox-2024", "unknown"}
    ok = tmp_path / "ok.csv"
    ok.write_text("id,subject,place,indicator,value,unit,date\na,焦炉烟气,介休市,NOx,40,mg/m3,2024-03-15\n",
                  encoding="utf-8")
    assert cli.main(["check", str(ok)]) == 0
    assert "meets" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("id,subject\n1,2\n", encoding="utf-8")
    assert cli.main(["check", str(bad)]) == 2
    assert cli.main(["check", str(tmp_path / "missing.csv")]) == 2
