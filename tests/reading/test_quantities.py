"""Thresholds, goals and the indicator look-up: the reading rules of conventions.md "Thresholds", and the graph they
give for the bundled corpus."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Dataset, URIRef
from rdflib.namespace import SKOS

from plan_kb.answers.limits import limits
from plan_kb.base.namespaces import PKB, UNIT
from plan_kb.base.resources import load_yaml
from plan_kb.cli import main as cli
from plan_kb.errors import Ambiguous, NotFound
from plan_kb.reading.goals import read_goals
from plan_kb.reading.model import Block
from plan_kb.reading.normalize import normalize
from plan_kb.reading.quantities import concept_for, read_quantities

MG_M3 = str(UNIT["MilliGM-PER-M3"])


def one(text: str):
    found = read_quantities(text)
    assert len(found) == 1, [(q.comparator, q.value, q.written) for q in found]
    return found[0]


# --- comparators (the table of conventions.md, written out, not read from the YAML) -------------------------------
@pytest.mark.parametrize("text, comparator", [
    ("颗粒物排放浓度不高于10mg/m³。", "<="),
    ("颗粒物排放浓度不超过10mg/m³。", "<="),
    ("颗粒物排放浓度控制在10mg/m³以内。", "<="),
    ("淘汰颗粒物排放浓度10mg/m³以下的设施。", "<="),
    ("进水生化需氧量浓度低于100毫克/升的城市。", "<"),
    ("进水生化需氧量浓度小于100毫克/升的城市。", "<"),
    ("人口少于千人的村庄。", "<"),
    ("安全利用率不低于90%。", ">="),
    ("每年新增项目不少于2个。", ">="),
    ("运行率达80%以上。", ">="),
    ("平均降尘量高于7吨/月·平方公里的市县。", ">"),
    ("已超过设计处理能力80%的。", ">"),
    ("再生水利用率达到20%。", "="),
    ("PM2.5平均浓度降到35微克/立方米。", "="),
    ("PM2.5平均浓度力争降到35微克/立方米。", "="),
    ("二氧化硫平均浓度力争降到10微克/立方米以内。", "<="),
    ("再生水利用率平均达到24.8%以上。", ">="),
])
def test_each_comparator_word(text: str, comparator: str) -> None:
    assert one(text).comparator == comparator


def test_every_word_of_the_comparator_table_reads_as_its_comparator() -> None:
    table = load_yaml("comparators.yaml")
    for comp, words in table["before"].items():
        for word in words:
            assert one(f"烟气排放浓度{word}10mg/m³。").comparator == comp, word
    for comp, words in table["after"].items():
        for word in words:
            assert one(f"烟气排放浓度10mg/m³{word}。").comparator == comp, word


# --- lists, ranges, multipliers, LaTeX -----------------------------------------------------------------------------
def test_fenbie_distributes_four_indicators_over_four_values_in_order() -> None:
    text = "焦化企业焦炉烟气颗粒物、二氧化硫、氮氧化物、非甲烷总烃排放浓度分别不高于5mg/m³、15mg/m³、50mg/m³、60mg/m³;"
    found = read_quantities(text)
    assert [(q.indicator, q.value, q.comparator, q.unit.iri) for q in found] == [
        ("颗粒物", 5, "<=", MG_M3), ("二氧化硫", 15, "<=", MG_M3), ("氮氧化物", 50, "<=", MG_M3),
        ("非甲烷总烃", 60, "<=", MG_M3)]
    assert {q.subject for q in found} == {"焦化企业焦炉烟气"}
    assert found[2].concept == concept_for("NOx")


def test_fenbie_with_the_unit_written_once() -> None:
    found = read_quantities("烟气颗粒物、二氧化硫、氮氧化物排放浓度分别不高于5、5、35mg/m³。")
    assert [(q.indicator, q.value, q.unit.iri) for q in found] == [
        ("颗粒物", 5, MG_M3), ("二氧化硫", 5, MG_M3), ("氮氧化物", 35, MG_M3)]


def test_range() -> None:
    q = one("在重点河流两岸管理范围线之外30—50米建设生态缓冲带。")
    assert (q.comparator, q.value, q.max_value, q.unit.iri) == ("range", 30, 50, str(UNIT.M))


@pytest.mark.parametrize("text, value, unit", [
    ("加快推进年货运量150万吨以上工矿企业铁路专用线建设。", 1500000, "TONNE-PER-YR"),
    ("新增储备产能200万吨。", 2000000, "TONNE"),
    ("淘汰10万千瓦以下燃煤机组。", 100000, "KiloW"),
    ("农村万人集聚地区可实施连片治理。", 10000, "NUM"),
    ("服务人口1.5万人以上的水源地。", 15000, "NUM"),
    ("日处理能力1000吨以上的污水处理厂。", 1000, "TONNE-PER-DAY"),
])
def test_wan_multiplier(text: str, value: int, unit: str) -> None:
    q = one(text)
    assert q.value == value and q.unit.iri == str(UNIT[unit])
    assert str(q.value) == str(value)  # written out, not 1.5E+6


def test_latex_value_after_normalisation() -> None:
    text = normalize(r"钢铁企业烧结机机头烟气颗粒物排放浓度不高于 $5\text{mg}/\text{m}^3$ 。").text
    q = one(text)
    assert (q.comparator, q.value, q.unit.iri, q.indicator) == ("<=", 5, MG_M3, "颗粒物排放浓度")
    assert q.concept == concept_for("颗粒物")


@pytest.mark.parametrize("text", [
    "精准开展11个县级城市、8个县改区建成区黑臭水体排查整治。",
    "完成37个化工园区地下水环境状况调查评估。",
    "针对储罐、装卸等10个关键环节持续开展排查整治。",
    "晋政办发〔2022〕95号。2022年底前完成。自2023年1月1日起执行。5—9月每日10—16时。",
    "1.保障重点河流生态流量。",
    "PM2.5平均浓度持续下降,PM10浓度稳定。",
    "执行《铅、锌工业污染物排放标准》(GB 25466-2010)。",
    "严格落实建筑施工扬尘“六个百分之百”,强化“千吨万人”水源地保护。",
])
def test_counts_dates_and_numbers_that_set_no_limit_are_not_thresholds(text: str) -> None:
    assert read_quantities(text) == []


def test_a_count_with_a_comparator_is_a_target() -> None:
    q = one("原则上各市每年新增纳入中央储备库的土壤污染防治项目不少于2个。")
    assert (q.comparator, q.value, q.unit.iri) == (">=", 2, str(UNIT.NUM))


def test_about_a_value_is_a_target_not_a_cap() -> None:
    q = one("到2025年,城市重污染天数比例控制在1.5%左右。")
    assert (q.comparator, q.value, q.year) == ("=", Decimal("1.5"), 2025)


def test_hedge_words_are_not_the_subject() -> None:
    assert one("原则上每个县新建的集中供热热源不少于1座。").subject == "每个县新建的集中供热热源"


def test_year_that_governs_the_clause() -> None:
    found = read_quantities("鼓励再生水用于河湖生态补水,2022年全省设区城市再生水利用率平均达到24.8%以上,"
                            "太原市再生水利用率力争达到20%。")
    assert [(q.value, q.year, q.subject) for q in found] == [(Decimal("24.8"), 2022, "全省设区城市"),
                                                            (20, 2022, "太原市")]


# --- goals ---------------------------------------------------------------------------------------------------------
def test_two_goals_from_one_fenbie_sentence_and_a_qualitative_one() -> None:
    text = "2022年、2023年地表水国考断面达到或优于Ⅲ类比例分别达到72.3%、76.6%,劣Ⅴ类水质断面全部消除。"
    goals = read_goals([Block(text, 100)])
    assert [(g.year, g.quantity.value if g.quantity else None) for g in goals] == [
        (2022, Decimal("72.3")), (2023, Decimal("76.6")), (2022, None)]
    assert goals[2].text == "劣Ⅴ类水质断面全部消除"
    assert text[goals[2].start - 100:goals[2].end - 100] == goals[2].text


def test_subheadings_and_time_clauses_are_not_goals_of_their_own() -> None:
    text = "(一)约束性指标。2022年底前,全面消除建成区黑臭水体。各设区市年度目标另行分解。"
    goals = read_goals([Block(text, 0)])
    assert [(g.text, g.year, g.quantity) for g in goals] == [("2022年底前,全面消除建成区黑臭水体", 2022, None)]


# --- the built graph -----------------------------------------------------------------------------------------------
def _render(value: Decimal, unit: str, units: dict[str, list[str]]) -> set[str]:
    """Every way the text may write ``value`` in ``unit``: digits with or without 万/千/亿, or a Chinese power."""
    cfg = load_yaml("units.yaml")
    mults = {"": 1} | {k: int(v) for k, v in cfg["multipliers"].items()}
    forms = list(units.get(unit, []))
    for rate in cfg["rate_context"]:  # "年货运量150万吨" is written in 吨 and read as 吨/年
        if unit == str(UNIT[rate["unit"].split(":", 1)[1]]):
            forms += units.get(str(UNIT[rate["applies_to"].split(":", 1)[1]]), [])
    out = set()
    for word, m in mults.items():
        n = value / m
        if n == n.to_integral_value() or m == 1:
            digits = f"{n.normalize():f}" if n != n.to_integral_value() else str(int(n))
            out |= {f"{digits}{word}{f}" for f in forms}
    powers = {v: k for k, v in cfg["chinese_powers"].items()}
    if int(value) in powers:
        out |= {f"{powers[int(value)]}{f}" for f in forms}
    return out


def test_every_value_in_the_graph_reads_back_to_the_number_in_its_source(dataset: Dataset) -> None:
    from plan_kb.reading.quantities import expand_iri

    units: dict[str, list[str]] = {}
    for entry in load_yaml("units.yaml")["units"]:
        units.setdefault(expand_iri(entry["iri"]), []).extend(entry["forms"])
    nodes = set(dataset.subjects(PKB.value, None))
    assert len(nodes) >= 40
    for node in nodes:
        value = Decimal(str(dataset.value(node, PKB.value)))
        unit = str(dataset.value(node, PKB.unit))
        source = str(dataset.value(node, PKB.sourceText))
        mx = dataset.value(node, PKB.maxValue)
        if mx is not None:
            top = _render(Decimal(str(mx)), unit, units)
            low = {f"{value.normalize():f}"}
            assert any(f"{lo}{mark}{t}" in source for lo in low for t in top for mark in "—–-~～至到"), source
        else:
            assert any(r in source for r in _render(value, unit, units)), (value, unit, source)


def test_water_thresholds_in_the_graph(dataset: Dataset) -> None:
    rows = dataset.query("""PREFIX pkb: <https://w3id.org/plan-kb/ontology#>
        SELECT ?n ?c ?v ?u WHERE { ?t a pkb:Task ; pkb:number ?n ; pkb:inPlan/pkb:planKey "water" ;
                                   pkb:hasThreshold ?h . ?h pkb:comparator ?c ; pkb:value ?v ; pkb:unit ?u }""")
    got = sorted((int(n), str(c), float(v), str(u).rsplit("/", 1)[-1]) for n, c, v, u in rows)
    assert (3, ">=", 24.8, "PERCENT") in got and (5, "<", 100.0, "MilliGM-PER-L") in got
    assert (13, "range", 30.0, "M") in got
    assert not any(n == 18 for n, *_ in got), "11个县级城市 / 8个县改区 are list lengths"


def test_goals_in_the_graph(dataset: Dataset) -> None:
    rows = list(dataset.query("""PREFIX pkb: <https://w3id.org/plan-kb/ontology#>
        SELECT ?g ?v ?y WHERE { ?g a pkb:Goal ; pkb:inPlan/pkb:planKey "water" .
                                OPTIONAL { ?g pkb:value ?v } OPTIONAL { ?g pkb:year ?y } }"""))
    assert len(rows) == 7
    assert sorted((float(v), int(y)) for _g, v, y in rows if v is not None) == [(72.3, 2022), (76.6, 2023)]
    assert sum(1 for _g, v, _y in rows if v is None) == 5


def test_indicator_scheme_is_published_with_the_graph(dataset: Dataset) -> None:
    nox = URIRef(concept_for("氮氧化物"))
    assert (nox, SKOS.altLabel, None) in dataset
    assert all((c, None, None) in dataset for c in dataset.objects(None, PKB.indicatorConcept))


# --- look-up -------------------------------------------------------------------------------------------------------
def test_limits_resolve_synonyms(dataset: Dataset) -> None:
    by_name = limits(dataset, "氮氧化物")
    assert by_name == limits(dataset, "NOx") == limits(dataset, "NOₓ")
    assert sorted((r.subject, float(r.value)) for r in by_name) == [("焦化企业焦炉烟气", 50.0),
                                                                     ("钢铁企业烧结机机头烟气", 35.0)]
    assert all(r.plan == "air" and r.number == 5 and r.unit == MG_M3 for r in by_name)


def test_limits_errors(dataset: Dataset) -> None:
    with pytest.raises(NotFound):
        limits(dataset, "不存在的指标")
    with pytest.raises(Ambiguous):
        limits(dataset, "颗粒")


def test_limits_command(use_kb, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["limits", "NOx"]) == 0
    out = capsys.readouterr().out
    assert "氮氧化物" in out and "35 mg/m³" in out and "air#5" in out
    assert cli(["limits", "没有这个"]) == 2
    assert "no indicator named" in capsys.readouterr().err


def test_qualitative_goals_name_their_places(dataset: Dataset) -> None:
    rows = dataset.query("""PREFIX pkb: <https://w3id.org/plan-kb/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?l WHERE { ?g a pkb:Goal ; pkb:inPlan/pkb:planKey "water" ; pkb:text ?t ; pkb:concernsPlace ?p .
                          ?p skos:prefLabel ?l . FILTER(CONTAINS(STR(?t), "后10名")) }""")
    assert sorted(str(lab) for (lab,) in rows) == sorted(["运城市", "吕梁市", "临汾市"])


def test_size_of_an_installation_names_what_it_measures() -> None:
    found = read_quantities("逐步淘汰1200立方米以下高炉、100吨以下转炉,2023年底前全面关停退出4.3米焦炉。")
    assert [(q.comparator, q.value, q.indicator, q.subject) for q in found] == [
        ("<=", 1200, "高炉有效容积", "高炉"), ("<=", 100, "转炉公称容量", "转炉"),
        ("=", Decimal("4.3"), "炭化室高度", "焦炉")]
    assert found[2].year == 2023 and found[2].concept == concept_for("炭化室高度")
