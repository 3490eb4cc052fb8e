"""Places: the gazetteer, each reading rule of conventions.md "Places" (with the false hits it must avoid), the graph
it writes, and the roll-up from a city to the tasks naming its counties."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from plan_kb.answers.places import resolve_place, tasks_concerning
from plan_kb.base.namespaces import PKB
from plan_kb.base.resources import CORPUS
from plan_kb.errors import Ambiguous, NotFound
from plan_kb.graph.dataset import build_dataset
from plan_kb.reading.gazetteer import COUNTY, PREFECTURE, gazetteer, short_form
from plan_kb.reading.places import document_province, read_places
from plan_kb.reading.structure import read_corpus

SHANXI = document_province("山西省人民政府办公厅")


def labels(text: str, province=SHANXI) -> list[str]:
    return [r.label for r in read_places(text, province).refs()]


def codes(text: str, province=SHANXI) -> list[str]:
    return [r.key for r in read_places(text, province).refs() if r.kind == "division"]


# --- gazetteer ---------------------------------------------------------------------------------------------------
def test_gazetteer_covers_china_to_county_level_with_the_2018_2019_shanxi_changes() -> None:
    gz = gazetteer()
    assert len([d for d in gz.by_code.values() if d.level == 1]) == 34
    assert len([d for d in gz.by_code.values() if d.level == COUNTY]) > 2800
    for name in ("太谷区", "云冈区", "云州区", "潞州区", "上党区", "屯留区", "潞城区", "怀仁市"):
        (d,) = gz.by_name[name]
        assert gz.province_of(d).name == "山西省", name
    for old in ("太谷县", "南郊区", "长治县", "怀仁县"):
        assert old not in gz.by_name, old
    (taigu,) = gz.by_name["太谷区"]
    assert [a.name for a in gz.ancestors(taigu)] == ["晋中市", "山西省"]
    assert taigu.code == "140703"


def test_short_forms() -> None:
    assert short_form("宁武县") == "宁武"
    assert short_form("晋中市") == "晋中"
    assert short_form("城区") is None and short_form("古县") is None
    assert short_form("大厂回族自治县") == "大厂"
    assert short_form("广西壮族自治区") == "广西"


def test_document_province_comes_from_the_issuer() -> None:
    assert SHANXI is not None and SHANXI.code == "140000"
    assert document_province("河北省人民政府办公厅").name == "河北省"
    assert document_province(None, "关于印发某市计划的通知") is None


# --- reading rules -----------------------------------------------------------------------------------------------
def test_full_names_of_divisions() -> None:
    assert labels("2022年,以长治市为试点推进海绵城市建设") == ["长治市"]
    assert labels("2022年底前完成霍州市、吉县、岢岚县、临县等县(市)城镇生活污水处理厂扩容") == [
        "霍州市", "吉县", "岢岚县", "临县"]


def test_suffixless_list_with_count_is_completed() -> None:
    assert labels("大同、朔州、忻州3市要按照国家北方地区冬季清洁取暖项目要求") == ["大同市", "朔州市", "忻州市"]
    assert [gazetteer().get(c).level for c in codes("晋城、临汾2市率先启动")] == [PREFECTURE, PREFECTURE]


def test_suffixless_list_of_counties_is_completed() -> None:
    assert labels("灵丘、繁峙等县(市、区)要开展成因排查分析工作") == ["灵丘县", "繁峙县"]
    assert labels("完成河曲、保德、永和等县城镇生活污水处理厂保(提)温工程建设") == ["河曲县", "保德县", "永和县"]


def test_list_suffix_completes_county_level_cities_too() -> None:
    # 市 after a list usually means prefectures, but the suffix completes the name: 介休市 and 孝义市 are county-level
    assert labels("介休、孝义2市要加快推进城区燃气管网改造") == ["介休市", "孝义市"]
    assert [gazetteer().get(c).level for c in codes("支持侯马、永济等市开展试点")] == [COUNTY, COUNTY]
    assert labels("长治、晋城等市完成整治") == ["长治市", "晋城市"]


def test_a_river_list_that_drops_basin_is_completed() -> None:
    assert labels("推进汾河、桑干河流域生态修复") == ["汾河", "汾河流域", "桑干河流域", "桑干河"]
    assert labels("统筹黄河、汾河等流域水生态保护") == ["黄河", "黄河流域", "汾河", "汾河流域"]
    assert labels("沿黄及汾河流域县城完成改造") == ["黄河", "汾河流域", "汾河"]  # 沿黄 is the river, not its basin
    assert labels("汾河、桑干河干流沿线") == ["汾河", "桑干河"]


def test_suffixless_list_without_suffix() -> None:
    assert labels("以大同、忻州、运城等矿产资源开发活动集中区域为重点") == ["大同市", "忻州市", "运城市"]


def test_a_single_short_name_needs_its_parent_in_the_sentence() -> None:
    r = read_places("2023年底前忻州市完成宁武地下水污染修复国家试点项目", SHANXI)
    assert [m.ref.label for m in r.mentions] == ["忻州市", "宁武县"]
    assert r.mentions[1].surface == "宁武" and r.mentions[1].rule == "short-with-parent"
    assert labels("完成宁武地下水污染修复国家试点项目") == []


def test_counties_under_their_city_and_the_city_carries_over_the_list() -> None:
    text = "聚焦中部城市群太原市尖草坪区、阳曲县、清徐县,晋中市榆次区、太谷区、祁县"
    got = read_places(text, SHANXI)
    divs = [m for m in got.mentions if m.ref.kind == "division"]
    assert [m.ref.label for m in divs] == [
        "太原市", "尖草坪区", "阳曲县", "清徐县", "晋中市", "榆次区", "太谷区", "祁县"]
    assert {m.rule for m in divs[1:4]} == {"under-parent"}
    assert "山西中部城市群" in [r.label for r in got.refs()]


def test_generic_division_name_only_right_after_its_parent() -> None:
    assert codes("阳泉市城区要完成") == ["140300", "140302"]
    assert codes("晋城市城区要完成") == ["140500", "140502"]
    assert labels("2022年底,完成设区城市城区雨污合流制排水管网改造工作") == []
    assert labels("其他县(市)城区改造完成剩余量的50%以上") == []
    assert labels("推进新区建设,全省各市、设区市和县城要开展") == []


def test_two_character_name_inside_a_longer_word_is_not_a_place() -> None:
    assert labels("加强考古县城遗址保护") == []
    assert labels("相应县级部门") == []
    assert labels("完成古县、吉县污水处理厂建设") == ["古县", "吉县"]
    assert labels("推动振兴县域经济") == []


def test_along_the_yellow_and_fen_rivers() -> None:
    assert labels("全面消除全省沿黄、沿汾8个县级城市和太谷区建成区黑臭水体") == ["黄河", "汾河", "太谷区"]


def test_a_basin_names_its_river() -> None:
    assert labels("汾河流域新建工业企业生产废水不得排入城镇生活污水处理厂") == ["汾河流域", "汾河"]


def test_river_stretch_names_the_city_and_a_site() -> None:
    got = read_places("全力推动汾河太原段九河生态复流", SHANXI)
    assert [r.label for r in got.refs()] == ["汾河", "汾河太原段", "太原市", "九河"]
    assert [m.rule for m in got.mentions if m.ref.label == "太原市"] == ["segment"]


def test_named_work_sites() -> None:
    got = labels("吕梁市区新城段、兴县蔚汾河城区段等地区应于2023年底完成改造")
    assert got == ["吕梁市", "吕梁市区新城段", "兴县", "兴县蔚汾河城区段", "蔚汾河"]
    assert labels("在重点时段加强管控") == []


def test_lakes_reservoirs_and_zones() -> None:
    assert labels("针对汾河水库、张峰水库、晋阳湖、伍姓湖等重要湖库") == ["汾河水库", "张峰水库", "晋阳湖", "伍姓湖"]
    assert labels("打造太忻一体化经济区杨兴河、山西综改示范区潇河生态廊道") == [
        "太忻一体化经济区", "杨兴河", "山西转型综合改革示范区", "潇河"]
    zone = labels("太原及周边“1+30”大气污染联防联控重点区域不再审批新建焦化")
    assert zone == ["太原及周边“1+30”大气污染联防联控重点区域"]


def test_agency_names_role_parenthetical_and_own_province_are_not_places() -> None:
    assert labels("山西省生态环境厅组织开展排查") == []
    assert labels("太原市生态环境局组织开展排查") == []
    assert labels("开展排查。(省生态环境厅、太原市人民政府牵头,运城市配合)") == []
    assert labels("加快推进山西省工业涂装工序大气污染物排放标准制定") == []
    assert labels("中国铁路太原局、北京局、郑州局集团有限公司") == []


def test_document_titles_give_rivers_not_divisions() -> None:
    assert labels("制定出台《桑干河流域上下游横向生态补偿实施方案》") == ["桑干河流域", "桑干河"]
    assert labels("严格执行《太原市大气污染防治条例》") == []


def test_short_names_prefer_the_document_province() -> None:
    assert codes("大同、朔州2市") == ["140200", "140600"]
    heilongjiang = document_province("黑龙江省人民政府办公厅")
    got = read_places("大同、让胡路等区", heilongjiang).refs()
    assert [gazetteer().province_of(gazetteer().get(r.key)).name for r in got] == ["黑龙江省", "黑龙江省"]


def test_offsets_point_at_the_words() -> None:
    text = "推动运城市涑水河—伍姓湖河湖贯通"
    for m in read_places(text, SHANXI, base=100).mentions:
        assert text[m.start - 100:m.end - 100] == m.surface


# --- graph and roll-up -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graph() -> Dataset:
    """The bundled corpus written to a graph (no SHACL here: tests/test_build.py covers the build)."""
    ds, _report = build_dataset(read_corpus(CORPUS))
    ds.default_union = True
    return ds


def _task(ds: Dataset, plan: str, n: int) -> URIRef:
    (iri,) = [s for s in ds.subjects(PKB.number, Literal(n)) if str(s).endswith(f"/{plan}/task/{n}")]
    return iri


def test_graph_has_codes_hierarchy_and_mentions(graph: Dataset) -> None:
    task = _task(graph, "water", 18)
    places = set(graph.objects(task, PKB.concernsPlace))
    taigu = URIRef("https://w3id.org/plan-kb/id/place/140703")
    assert taigu in places
    assert str(graph.value(taigu, PKB.adminCode)) == "140703"
    jinzhong = graph.value(taigu, PKB.within)
    assert str(graph.value(jinzhong, SKOS.prefLabel)) == "晋中市"
    assert str(graph.value(graph.value(jinzhong, PKB.within), SKOS.prefLabel)) == "山西省"
    mentions = list(graph.objects(task, PKB.hasPlaceMention))
    assert mentions and all(graph.value(m, PKB.sourceText) is not None for m in mentions)
    assert not any(str(graph.value(p, SKOS.prefLabel)) == "山西省" for p in places)


def test_graph_keeps_the_form_the_text_uses(graph: Dataset) -> None:
    ningwu = URIRef("https://w3id.org/plan-kb/id/place/140925")
    assert Literal("宁武", lang="zh") in set(graph.objects(ningwu, SKOS.altLabel))


def test_rollup_finds_a_task_naming_only_a_district(graph: Dataset) -> None:
    hits = {(h.plan, h.number): h for h in tasks_concerning(graph, "晋中") if h.kind == "Task"}
    h = hits[("water", 18)]
    assert h.via == "within" and h.through == ["太谷区"]
    assert hits[("air", 22)].via == "direct"
    direct = {(h.plan, h.number) for h in tasks_concerning(graph, "晋中", rollup=False)}
    assert ("water", 18) not in direct and ("air", 22) in direct


def test_rollup_through_rivers_is_marked(graph: Dataset) -> None:
    hits = {(h.plan, h.number): h for h in tasks_concerning(graph, "太原市") if h.kind == "Task"}
    assert hits[("water", 12)].via == "touches" and "晋阳湖" in hits[("water", 12)].through
    without = {(h.plan, h.number) for h in tasks_concerning(graph, "太原市", touches=False)}
    assert ("water", 12) not in without


def test_water_body_query() -> None:
    assert resolve_place("涑水河").kind == "WaterBody"


def test_resolve_place_errors(graph: Dataset) -> None:
    with pytest.raises(Ambiguous) as e:
        resolve_place("城区", graph)
    assert len(e.value.candidates) == 2  # the two Shanxi 城区, the plans' province
    with pytest.raises(NotFound):
        resolve_place("不存在的地方", graph)
    assert resolve_place("大同", graph).code == "140200"
    assert resolve_place("140703").label == "太谷区"


def test_cli_place(use_kb, capsys: pytest.CaptureFixture[str]) -> None:
    from plan_kb.cli import main

    assert main(["place", "晋中"]) == 0
    out = capsys.readouterr().out
    assert "water#18" in out and "太谷区" in out


def test_unknown_and_ambiguous_names_are_reported_not_guessed() -> None:
    r = read_places("推进滦河流域综合治理,支持朝阳区开展试点", SHANXI)
    assert [ref.label for ref in r.refs()] == ["滦河"]  # a river read by its ending; its basin is not curated
    reasons = {u.reason: u for u in r.unresolved}
    assert reasons["unknown water"].surface.endswith("滦河流域")
    assert reasons["ambiguous"].surface == "朝阳区" and len(reasons["ambiguous"].candidates) > 1
