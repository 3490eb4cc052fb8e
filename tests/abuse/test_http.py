"""Requests a user can send that once broke the service, against a real ``plan-kb serve`` on loopback: each must get
a 4xx in the one error format (or the right answer), and leave the server as it was."""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import os
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.service.helpers import plan_kb_server

pytestmark = pytest.mark.slow

PKB = "PREFIX pkb: <https://w3id.org/plan-kb/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
RESULT_BYTES = 200_000


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        out |= {int(x) for x in (task / "children").read_text().split()}
    return out


def raw_get(base: str, target: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """A GET by ``http.client`` (httpx refuses URLs over 64 KB): status, media type, body."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", target, headers=headers or {})
        r = conn.getresponse()
        return r.status, (r.getheader("content-type") or "").split(";")[0], r.read()
    finally:
        conn.close()


def error_of(r: httpx.Response, status: int) -> str:
    """The message of a response in the one error format with ``status``."""
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), r.headers["content-type"]
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    return body["error"]["message"]


@pytest.fixture(scope="module")
def base(kb_data) -> str:
    with plan_kb_server(kb_data, PLAN_KB_QUERY_TIMEOUT="1.5", PLAN_KB_RESULT_BYTES=str(RESULT_BYTES),
                        PLAN_KB_QUERY_WORKERS="1") as url:
        yield url


def _sparql(base: str, query: str, **params: str) -> httpx.Response:
    return httpx.post(f"{base}/sparql", params=params, content=query.encode("utf-8", "surrogatepass"),
                      headers={"Content-Type": "application/sparql-query"}, timeout=30)


def test_calendar_after_concurrent_first_calls(kb_data) -> None:
    """rdflib's SPARQL parser is not thread-safe: two first calls at once broke /calendar.ics until a restart."""
    with plan_kb_server(kb_data) as fresh, ThreadPoolExecutor(8) as pool:
        first = list(pool.map(lambda _i: httpx.get(f"{fresh}/calendar.ics", timeout=60), range(8)))
        then = [httpx.get(f"{fresh}/calendar.ics", params=p, timeout=60)
                for p in ({}, {"plan": "water"}, {"agency": "省水利厅"})]
    assert [r.status_code for r in first + then] == [200] * 11
    assert all(r.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in r.text for r in first + then)
    assert len({r.text.count("BEGIN:V") for r in first}) == 1


def test_a_long_query_is_refused_before_it_is_read(base) -> None:
    """The probe whose check once took 38.8 s: 64,000 times 'a.' after a query."""
    q = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 " + "a." * 32000
    assert "at most 50000" in error_of(_sparql(base, q), 413)
    status, ctype, body = raw_get(base, "/sparql?" + urlencode({"query": q}))  # a GET of about 70 KB
    assert (status, ctype) == (413, "application/json") and json.loads(body)["error"]["status"] == 413


def test_a_long_url_gets_the_one_error_format(base) -> None:
    """uvicorn answered a GET over its limits in plain text, before the app saw it."""
    for target, headers in ((f"/sparql?query=ASK%7B%7D&x={'a' * 120_000}", {}),
                            (f"/sparql?query=ASK%7B%7D&x={'a' * 300_000}", {}),
                            ("/plans", {"X-Filler": "b" * 300_000})):
        status, ctype, body = raw_get(base, target, headers)
        assert status in (400, 431) and ctype == "application/json"
        err = json.loads(body)["error"]
        assert err["status"] == status and "POST" in err["message"]
    status, _ctype, _body = raw_get(base, f"/sparql?query=ASK%7B%7D&x={'a' * 50_000}")
    assert status == 200
    assert httpx.get(f"{base}/plans", timeout=10).status_code == 200
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:  # not HTTP at all
        s.sendall(b"GARBAGE / SPDY/9\r\n\r\n")
        reply = b"".join(iter(lambda: s.recv(65536), b""))
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head.lower()
    assert json.loads(body)["error"]["status"] == 400


def test_a_large_body_is_refused(base) -> None:
    r = httpx.post(f"{base}/ask", content=b'{"question": "' + b"a" * 1_100_000 + b'"}',
                   headers={"Content-Type": "application/json"}, timeout=30)
    error_of(r, 413)


def test_deep_nesting_is_refused_and_no_worker_dies(base) -> None:
    """5,000 nested groups or parentheses crashed the query worker (Oxigraph recurses on nesting)."""
    server_pid = _server_pid(base)
    before = _children(server_pid)
    for q in ("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
              "SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) WHERE {}"):
        assert "at most 100" in error_of(_sparql(base, q), 400)
    # long chains within the size limit are answered (the worker's stack is deep enough for them)
    chain = "SELECT (" + "+".join(["1"] * 9000) + " AS ?x) WHERE {}"
    r = _sparql(base, chain, format="json")
    assert r.status_code in (200, 503), r.text[:200]
    nested = "SELECT * WHERE " + "{" * 100 + " ?s ?p ?o " + "}" * 100 + " LIMIT 1"
    assert _sparql(base, nested).status_code == 200
    after = _children(server_pid)
    assert r.status_code == 503 or after == before, "no worker crashed"


def _server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in cmd and port.encode() in cmd:
            return int(pid)
    raise AssertionError("no server process")


def test_the_result_bytes_are_capped(base) -> None:
    """A 590-byte query doubling a title 16 times with CONCAT over 40 rows returned 103 MB."""
    binds = " ".join(f"BIND(CONCAT(?t{i}, ?t{i}) AS ?t{i + 1})" for i in range(16))
    q = PKB + ("SELECT ?t16 WHERE { ?task a pkb:Task ; dcterms:title ?t0 . " + binds + " } LIMIT 40")
    assert len(q) < 1000
    for fmt in ("json", "csv", "xml", "tsv"):
        assert f"more than {RESULT_BYTES} bytes" in error_of(_sparql(base, q, format=fmt), 413)
    r = _sparql(base, PKB + "SELECT ?t WHERE { ?task a pkb:Task ; dcterms:title ?t } LIMIT 40", format="json")
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 40


def test_a_byte_order_mark_before_a_query(base) -> None:
    r = _sparql(base, "\ufeffASK { ?s ?p ?o }", format="json")
    assert r.status_code == 200 and r.json()["boolean"] is True
    r = httpx.get(f"{base}/sparql", params={"query": "\ufeffSELECT * WHERE { ?s ?p ?o } LIMIT 1"}, timeout=10)
    assert r.status_code == 200


def test_csv_cells_are_not_formulas(base) -> None:
    q = 'SELECT ?a ?b ?c ?d ?e ?n WHERE { VALUES (?a ?b ?c ?d ?e ?n) { ("=1+1" "+cmd" "-2+3" "@SUM(A1)" "\\tx" -5) } }'
    r = _sparql(base, q, format="csv")
    assert list(csv.reader(io.StringIO(r.text)))[1] == ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "-5"]
    r = _sparql(base, q, format="tsv")
    cells = r.text.split("\n")[1].split("\t")
    assert cells[0] == '"\'=1+1"' and cells[3] == '"\'@SUM(A1)"' and cells[5].startswith('"-5"^^')
    assert _sparql(base, q, format="json").json()["results"]["bindings"][0]["a"]["value"] == "=1+1"


def test_check_csv_echoes_no_formula(base) -> None:
    """POST /check echoes the records' ids: an id a spreadsheet would run goes out inert."""
    records = "id,subject,place,indicator,value,unit,date\n=HYPERLINK(1),焦炉烟气,介休市,NOx,60,mg/m3,2024-03-15\n"
    r = httpx.post(f"{base}/check", params={"format": "csv"}, content=records.encode(),
                   headers={"Content-Type": "text/csv"}, timeout=60)
    assert r.status_code == 200, r.text[:300]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[1][0] == "'=HYPERLINK(1)" and not any(c.startswith("=") for row in rows for c in row)
    r = httpx.get(f"{base}/rules", params={"format": "csv"}, timeout=60)
    assert r.status_code == 200 and not any(c.startswith(("=", "@")) for row in csv.reader(io.StringIO(r.text))
                                            for c in row)


def test_ask_with_a_lone_surrogate_or_a_year_out_of_range(base) -> None:
    """Both gave 500, and the keep-alive connection was reset after it."""
    with httpx.Client(base_url=base, timeout=60) as c:
        r = c.post("/ask", content=b'{"question": "\\ud800"}', headers={"Content-Type": "application/json"})
        assert "surrogate" in error_of(r, 422)
        assert r.headers.get("connection") != "close"
        r = c.post("/ask", json={"question": "明年到期的任务有哪些?", "today": "9999-06-01"})
        assert "10000" in error_of(r, 422)
        r = c.post("/ask", json={"question": "去年到期的任务有哪些?", "today": "0001-03-01"})
        error_of(r, 422)
        r = c.post("/ask", json={"question": "汾河流域横向生态补偿谁牵头?"})
        assert r.status_code == 200 and r.json()["agencies"]


def test_ui_sparql_past_the_time_limit_is_503(base) -> None:
    r = httpx.get(f"{base}/ui/sparql", params={"query": SLOW}, headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 503 and "time limit" in r.text
    r = httpx.get(f"{base}/ui/sparql", params={"query": SLOW}, headers={"Accept": "application/json"}, timeout=30)
    assert "time limit" in error_of(r, 503)


def test_a_stalled_worker_gives_503_at_the_time_limit(base) -> None:
    """The only worker stops (SIGSTOP) with a query on it: the request ends at the time limit, the worker is
    replaced, and the next query is answered."""
    pid = _server_pid(base)
    assert _sparql(base, "ASK {}").status_code == 200
    (worker,) = _children(pid)
    os.kill(worker, signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        r = _sparql(base, "ASK { ?s ?p ?o }")
        waited = time.monotonic() - t0
    finally:
        with contextlib.suppress(ProcessLookupError):  # killed and replaced by then
            os.kill(worker, signal.SIGCONT)
    assert "time limit of 1.5 s" in error_of(r, 503)
    assert waited < 10
    deadline = time.monotonic() + 30
    while _sparql(base, "ASK { ?s ?p ?o }").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _sparql(base, "ASK { ?s ?p ?o }", format="json").json()["boolean"] is True
    assert worker not in _children(pid)


def test_sigterm_stops_a_server_with_a_stalled_worker(kb_data) -> None:
    """A request waiting on a stalled worker must not keep the server from stopping."""
    import subprocess
    import sys

    from tests.service.helpers import _wait, free_port

    port = free_port()
    env = {**os.environ, "PLAN_KB_DATA": str(kb_data), "PLAN_KB_QUERY_TIMEOUT": "120", "PLAN_KB_QUERY_WORKERS": "1"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "plan-kb"), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + "/queries", proc)
        assert _sparql(url, "ASK {}").status_code == 200
        (worker,) = _children(proc.pid)
        os.kill(worker, signal.SIGSTOP)
        got: list[httpx.Response | Exception] = []

        def ask() -> None:
            try:
                got.append(_sparql(url, "ASK { ?s ?p ?o }"))
            except httpx.HTTPError as exc:
                got.append(exc)

        t = threading.Thread(target=ask)
        t.start()
        time.sleep(1.0)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
        stopped = time.monotonic() - t0
        t.join(15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert stopped < 6, f"the server took {stopped:.1f} s to stop"
    assert got and (isinstance(got[0], Exception) or got[0].status_code == 503)


_HTML = {"Accept": "text/html"}
ODD = [
    ("GET", "/ui/deadlines", {"params": {"today": "9999-12-31"}, "headers": _HTML}),
    ("GET", "/ui/deadlines", {"params": {"today": "0001-01-01"}, "headers": _HTML}),
    ("GET", "/ui/deadlines", {"params": {"today": "garbage"}, "headers": _HTML}),
    ("GET", "/deadlines", {"params": {"before": "9999-12-31", "after": "0001-01-01"}}),
    ("GET", "/search", {"params": {"q": "a" * 5000}}),
    ("GET", "/search", {"params": {"q": "汾河", "page": str(10**12)}}),
    ("GET", "/search", {"params": {"q": "(" * 30 + "汾河"}}),
    ("GET", "/", {"params": {"q": "汾河", "page": str(10**30)}, "headers": _HTML}),
    ("GET", "/tasks", {"params": {"limit": str(10**12), "offset": str(10**12)}}),
    ("GET", "/ui/tasks/water/99999999999999999999", {"headers": _HTML}),
    ("GET", "/tasks/water/99999999999999999999", {}),
    ("GET", "/ui/agencies/%00", {"headers": _HTML}),
    ("GET", "/ui/places/%2e%2e", {"headers": _HTML}),
    ("GET", "/calendar.ics", {"params": {"agency": "省"}}),
    ("GET", "/queries/due-by", {"params": {"date": "0000-01-01"}}),
    ("POST", "/ask", {"json": {"question": "2023年13月底前"}}),
    ("POST", "/ask", {"content": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}),
    ("GET", "/ui/sparql", {"params": {"query": "SELECT * WHERE " + "{" * 500 + "}" * 500}, "headers": _HTML}),
]


@pytest.mark.parametrize(("method", "path", "kw"), ODD)
def test_odd_parameters_get_an_answer_or_a_4xx(base, method: str, path: str, kw: dict) -> None:
    r = httpx.request(method, f"{base}{path}", timeout=60, **kw)
    assert r.status_code < 500, (r.status_code, r.text[:300])
    if r.status_code >= 400 and not r.headers["content-type"].startswith("text/html"):
        error_of(r, r.status_code)
