"""Search: the analyzer, highlighting, each facet, sorting and pages, malformed queries and the /search route."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plan_kb.answers.search import SearchQueryError, open_index, search
from plan_kb.answers.search.query import FACETS, snippet
from plan_kb.build import BuildResult


@pytest.fixture(scope="module")
def ix(built: BuildResult):
    return open_index(built.folder)


def refs(result) -> list[str]:
    return [h.ref for h in result.hits]


# --- the index and its analyzer -----------------------------------------------------------------------------------

def test_index_lives_in_the_build_folder(built: BuildResult, ix) -> None:
    assert (built.folder / "search" / "index").is_dir()
    assert ix.folder == (built.folder / "search").resolve()
    # jieba's prefix cache is in the build folder, not the system temp dir
    assert Path(ix.seg.tk.cache_file).parent == ix.folder
    assert Path(ix.seg.tk.cache_file).exists()


def test_jieba_global_tokenizer_is_never_initialised(built: BuildResult) -> None:
    """jieba's global tokenizer would write its cache to the system temp dir; search uses only its own."""
    import jieba

    search(built.folder, "活性炭")
    assert not jieba.dt.initialized


@pytest.mark.parametrize("word", ["生态环境厅", "涑水河", "非甲烷总烃", "住建厅", "老窑水", "海绵城市"])
def test_names_are_single_tokens(ix, word: str) -> None:
    assert [w for w, _s, _e in ix.seg.words(word)] == [word]


def test_one_document_per_task_measure_and_goal(ix, dataset) -> None:
    from plan_kb.base.namespaces import sparql_prefixes

    n = int(next(iter(dataset.query(sparql_prefixes() + """
        SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?c { pkb:Task pkb:Measure pkb:Goal } ?s a ?c }""")))[0])
    assert len(ix.meta) == n
    assert {m["kind"] for m in ix.meta.values()} >= {"task", "measure"}


def test_part_of_a_name_finds_the_whole_name(built: BuildResult) -> None:
    # the text writes 省生态环境厅; a query for 生态环境厅 matches it through the sub-words of the index
    r = search(built.folder, "生态环境厅 降尘")
    assert "air#14" in refs(r)[:3]


# --- highlighting -------------------------------------------------------------------------------------------------

def test_snippet_escapes_everything_but_the_marks() -> None:
    s = snippet("a<b & \"c\" 活性炭 <script>alert(1)</script>", ["活性炭", "<script>"])
    assert "<mark>活性炭</mark>" in s
    assert "<mark>&lt;script&gt;</mark>" in s
    assert "a&lt;b &amp; &quot;c&quot;" in s
    assert re.sub(r"</?mark>", "", s).count("<") == 0


def test_snippet_of_a_long_text_is_a_window_around_the_matches() -> None:
    text = "甲" * 300 + "活性炭" + "乙" * 300
    s = snippet(text, ["活性炭"])
    assert s.startswith("…") and s.endswith("…") and "<mark>活性炭</mark>" in s
    assert len(html.unescape(re.sub(r"</?mark>", "", s))) <= 125


def test_hit_snippets_are_the_text_with_marks(built: BuildResult) -> None:
    r = search(built.folder, "活性炭")
    hit = r.hits[0]
    assert hit.ref == "air#15"
    assert "<mark>活性炭</mark>" in hit.snippet
    plain = html.unescape(re.sub(r"</?mark>", "", hit.snippet)).strip("…")
    meta = next(m for m in open_index(built.folder).meta.values() if m["iri"] == hit.iri)
    assert plain in re.sub(r"\s*\n\s*", " ", meta["text"])


def test_synonyms_are_marked_as_the_text_writes_them(built: BuildResult) -> None:
    r = search(built.folder, "NOx")
    assert r.hits and "<mark>氮氧化物</mark>" in r.hits[0].snippet


def test_hit_cites_where_it_stands(built: BuildResult) -> None:
    hit = search(built.folder, "老窑水").hits[0]
    assert hit.iri.startswith("https://w3id.org/plan-kb/id/") and hit.plan == "groundwater" and hit.number == 13
    text = (built.folder / "texts" / f"{hit.document.rsplit('/', 1)[-1]}.txt").read_text(encoding="utf-8")
    assert "老窑水" in text[hit.start:hit.end]


# --- facets -------------------------------------------------------------------------------------------------------

def test_every_facet_is_counted(built: BuildResult) -> None:
    r = search(built.folder, "")
    assert set(r.facets) == set(FACETS)
    for facet in ("plan", "kind", "agency", "role", "place", "year", "indicator"):
        assert r.facets[facet], f"facet {facet} is empty"


@pytest.mark.parametrize("facet", FACETS)
def test_a_facet_count_is_the_number_of_items_its_filter_gives(built: BuildResult, facet: str) -> None:
    base = search(built.folder, "污染")
    for fv in base.facets[facet][:4]:
        narrowed = search(built.folder, "污染", {facet: fv.value})
        assert narrowed.total == fv.count, (facet, fv)
        assert narrowed.facets[facet] and any(v.selected and v.value == fv.value for v in narrowed.facets[facet])


def test_plan_filter(built: BuildResult) -> None:
    r = search(built.folder, "污染", {"plan": "water"}, size=100)
    assert r.total and {h.plan for h in r.hits} == {"water"}
    assert search(built.folder, "污染", {"plan": "山西省水环境质量再提升2022—2023年行动计划"}).total == r.total


def test_agency_filter_takes_a_colloquial_name(built: BuildResult) -> None:
    by_old_name = search(built.folder, "", {"agency": "环保厅"}, size=100)
    assert by_old_name.total > 20
    assert all(any("生态环境厅" in a for names in h.roles.values() for a in names) for h in by_old_name.hits)


def test_role_and_agency_together_mean_that_agency_in_that_role(built: BuildResult) -> None:
    r = search(built.folder, "", {"agency": "住建厅", "role": "lead", "plan": "water"}, size=100)
    assert {"water#5", "water#18"} <= set(refs(r))
    assert all(any("住房和城乡建设厅" in a or "住建厅" in a for a in h.roles["lead"]) for h in r.hits)
    support = search(built.folder, "", {"agency": "住建厅", "role": "配合"}, size=100)
    assert support.total and "water#3" not in refs(support)  # 住建厅 leads water#3 and does not support it
    assert all(any("住房和城乡建设厅" in a or "住建厅" in a for a in h.roles["support"]) for h in support.hits)


def test_place_filter_includes_the_places_within(built: BuildResult) -> None:
    r = search(built.folder, "", {"place": "晋中"}, size=100)
    assert "water#18" in refs(r)  # names 太谷区, a district of 晋中市


def test_year_filter(built: BuildResult) -> None:
    r = search(built.folder, "", {"year": "2023", "plan": "water"}, size=100)
    assert {"water#18", "water#19"} <= set(refs(r))
    assert "water#1" not in refs(r)


def test_indicator_filter(built: BuildResult) -> None:
    r = search(built.folder, "", {"indicator": "NOx"}, size=100)
    assert "air#5" in refs(r)


def test_kind_filter(built: BuildResult) -> None:
    r = search(built.folder, "组织领导", {"kind": "measure"}, size=100)
    assert r.total and {h.kind for h in r.hits} == {"measure"}


# --- sorting and pages --------------------------------------------------------------------------------------------

def test_sort_by_deadline(built: BuildResult) -> None:
    r = search(built.folder, "", {"plan": "water"}, sort="deadline", size=100)
    dates = [h.deadline or "9999" for h in r.hits]
    assert dates == sorted(dates) and r.hits[0].deadline and r.hits[-1].deadline is None


def test_pages(built: BuildResult) -> None:
    one = search(built.folder, "污染", page=1, size=5)
    two = search(built.folder, "污染", page=2, size=5)
    assert one.total == two.total > 10 and one.pages == (one.total + 4) // 5
    assert not set(refs(one)) & set(refs(two))
    assert search(built.folder, "污染", page=one.pages + 1, size=5).hits == []


def test_and_or_and_phrases(built: BuildResult, ix) -> None:
    both = set(refs(search(built.folder, "黑臭水体 AND 太谷区", size=100)))
    assert "water#18" in both
    assert both <= set(refs(search(built.folder, "黑臭水体", size=100)))
    assert both <= set(refs(search(built.folder, "太谷区", size=100)))
    assert search(built.folder, "活性炭 AND 老窑水").total == 0
    assert search(built.folder, "活性炭 OR 老窑水").total == 3
    for phrase in ("雨污合流制", "海绵城市", "PM2.5平均浓度"):
        found = {h.iri for h in search(built.folder, f'"{phrase}"', size=100).hits}
        assert found == {m["iri"] for m in ix.meta.values()
                         if phrase.lower() in (m["title"] + m["text"]).lower()}, phrase
    assert search(built.folder, "“合流制雨污”").total == 0


# --- malformed queries --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ['"海绵城市', "“海绵城市", "海绵城市”", '活性炭 "老窑', "。。。!!!", "?", "()、,;",
                               "x" * 10000, "活" * 10000, "AND", "活性炭 AND", "OR 老窑水", "活性炭 AND OR 老窑水",
                               "哪些任务", '""'])
def test_malformed_queries_get_a_clear_error(built: BuildResult, q: str) -> None:
    with pytest.raises(SearchQueryError) as exc:
        search(built.folder, q)
    assert str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize(("filters", "kw"), [
    ({"colour": "red"}, {}), ({"agency": "没有这个厅"}, {}), ({"year": "二〇二二"}, {}), ({"role": "boss"}, {}),
    ({}, {"page": 0}), ({}, {"size": 0}), ({}, {"size": 1000}), ({}, {"sort": "alphabet"}),
])
def test_bad_filters_and_pages_get_a_clear_error(built: BuildResult, filters: dict, kw: dict) -> None:
    with pytest.raises(SearchQueryError):
        search(built.folder, "污染", filters, **kw)


# --- the route ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(kb_data: Path):
    from plan_kb.service.app import create_app
    from plan_kb.service.settings import Settings

    with TestClient(create_app(Settings(data=kb_data, query_workers=1))) as c:
        yield c


def test_route_answers_with_hits_and_facets(client: TestClient) -> None:
    r = client.get("/search", params={"q": "环保厅 活性炭", "plan": "air", "size": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["hits"][0]["ref"] == "air#15" and "<mark>" in body["hits"][0]["snippet"]
    assert body["filters"] == {"plan": ["air"]} and set(body["facets"]) == set(FACETS)
    assert len(body["hits"]) == 3 and body["pages"] == (body["total"] + 2) // 3


def test_route_takes_several_values_of_a_facet(client: TestClient) -> None:
    r = client.get("/search", params=[("plan", "water"), ("plan", "soil"), ("sort", "deadline"), ("size", "100")])
    assert r.status_code == 200 and {h["plan"] for h in r.json()["hits"]} == {"water", "soil"}


@pytest.mark.parametrize("q", ['"海绵城市', "。。。", "x" * 10000, "AND"])
def test_route_refuses_malformed_queries_with_400(client: TestClient, q: str) -> None:
    r = client.get("/search", params={"q": q})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"]


@pytest.mark.parametrize(("params", "status"), [
    ({"q": "污染", "page": 0}, 422), ({"q": "污染", "size": 101}, 422), ({"q": "污染", "sort": "x"}, 422),
    ({"q": "污染", "agency": "没有这个厅"}, 400), ({"q": "污染", "year": "abc"}, 400),
])
def test_route_refuses_bad_parameters(client: TestClient, params: dict, status: int) -> None:
    r = client.get("/search", params=params)
    assert r.status_code == status, r.text
    assert "error" in r.json()


# --- the command --------------------------------------------------------------------------------------------------

def test_command_prints_hits_with_marked_matches(use_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from plan_kb.cli import main

    assert main(["search", "环保厅 活性炭", "--plan", "air", "--size", "3", "--facets"]) == 0
    out = capsys.readouterr().out
    assert "air#15" in out and "[活性炭]" in out and "<mark>" not in out
    assert "role:" in out and "year:" in out


def test_command_refuses_a_malformed_query_in_one_line(use_kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from plan_kb.cli import main

    assert main(["search", '"海绵城市']) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("plan-kb: unbalanced quotation mark") and "\n" not in err


def test_command_json_is_what_the_route_returns(use_kb: Path, capsys: pytest.CaptureFixture[str],
                                                client: TestClient) -> None:
    import json

    from plan_kb.cli import main

    assert main(["search", "老窑水", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    route = client.get("/search", params={"q": "老窑水"}).json()
    assert [h["iri"] for h in body["hits"]] == [h["iri"] for h in route["hits"]]
    assert body["facets"] == route["facets"]
