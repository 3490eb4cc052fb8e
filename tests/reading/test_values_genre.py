"""Values in other house styles and policy fields (issue 14, "Values, dates, places"; conventions.md, "Thresholds"):
units written in words, the dust-fall unit in its spellings, times allowed, counts of people and things, money,
ages, and goals with their year. Each habit on a sentence of its own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plan_kb.base.namespaces import PKBUNIT, UNIT
from plan_kb.reading.goals import read_goals
from plan_kb.reading.model import Block
from plan_kb.reading.normalize import normalize
from plan_kb.reading.quantities import read_quantities

CNY = "http://qudt.org/vocab/currency/CNY"


def values(text: str) -> list[tuple[str, Decimal, str]]:
    return [(q.comparator, q.value, q.unit.iri) for q in read_quantities(normalize(text).text)]


# --- units written in words -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("全区细颗粒物年均浓度降至29微克每立方米。", ("=", Decimal(29), str(UNIT["MicroGM-PER-M3"]))),
    ("尾水总磷浓度不高于0.3毫克每升。", ("<=", Decimal("0.3"), str(UNIT["MilliGM-PER-L"]))),
    ("窑炉烟气颗粒物排放浓度不超过10毫克每立方米。", ("<=", Decimal(10), str(UNIT["MilliGM-PER-M3"]))),
    ("出水化学需氧量不高于30毫克/升。", ("<=", Decimal(30), str(UNIT["MilliGM-PER-L"]))),
])
def test_units_in_words_read_as_their_symbols(text: str, want: tuple) -> None:
    assert values(text) == [want]


@pytest.mark.parametrize("written", ["吨/平方千米·月", "吨/(平方公里·月)", "吨/月·平方千米", "吨/平方公里·月",
                                     "吨/（平方千米·月）", "吨/月·平方公里"])
def test_every_spelling_of_the_dust_fall_unit(written: str) -> None:
    text = f"城区月均降尘量不高于3.5{written}。"
    assert values(text) == [("<=", Decimal("3.5"), str(PKBUNIT["TONNE-PER-MO-KiloM2"]))]


# --- a time allowed is a threshold --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("企业投资项目审批时限压缩至3周以内。", ("<=", Decimal(3), str(UNIT["WK"]))),
    ("不动产登记办理时间不超过2天。", ("<=", Decimal(2), str(UNIT["DAY"]))),
    ("工程建设项目全流程审批用时不超过40个工作日。", ("<=", Decimal(40), str(PKBUNIT["WORKING-DAY"]))),
    ("企业开办时间压缩至1个工作日。", ("<=", Decimal(1), str(PKBUNIT["WORKING-DAY"]))),
    ("合作协议期限不少于3年。", (">=", Decimal(3), str(UNIT["YR"]))),
    ("对连续从业满5年的护理员给予补贴。", (">=", Decimal(5), str(UNIT["YR"]))),
    ("整改期限原则上不超过6个月。", ("<=", Decimal(6), str(UNIT["MO"]))),
])
def test_a_time_allowed_is_a_limit(text: str, want: tuple) -> None:
    assert values(text) == [want]


def test_a_period_after_an_event_is_no_threshold() -> None:
    assert values("新引进人才入职5年内可申请租房补贴。") == []
    assert values("企业应在收到整改通知后3个月以内完成整改。") == []


# --- counts of people and things ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("三年内累计培训基层医务人员2000名左右。", ("=", Decimal(2000))),
    ("每年引进高层次创新创业人才不少于300名。", (">=", Decimal(300))),
    ("建设市级重点实验室20家以上。", (">=", Decimal(20))),
    ("每月开展联合检查不少于2次。", (">=", Decimal(2))),
    ("力争落地重大产业项目10项以上。", (">=", Decimal(10))),
    ("每个街道至少配备1名专职网格员。", (">=", Decimal(1))),
    ("每家养老机构至少与1家医疗机构签约。", (">=", Decimal(1))),
    ("研究型病房床位不少于200张。", (">=", Decimal(200))),
])
def test_counts_as_targets_are_numbers(text: str, want: tuple) -> None:
    assert values(text) == [(*want, str(UNIT["NUM"]))]


def test_a_count_that_only_sizes_a_list_is_not_read() -> None:
    assert values("聚焦5个重点产业集群和12名首席专家开展攻关。") == []


def test_a_number_inside_a_name_is_not_a_count() -> None:
    assert values("支持举办数字经济50人会年度论坛。") == []
    assert values("依托长三角百人会开展交流。") == []


# --- money -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("力争产业基金规模超过500亿元。", (">", Decimal(50000000000))),
    ("对认定的企业给予最高50万元奖励。", ("<=", Decimal(500000))),
    ("单个项目补助不超过200万元。", ("<=", Decimal(2000000))),
    ("全年安排专项资金1000万元以上。", (">=", Decimal(10000000))),
    ("每户补贴不超过5000元。", ("<=", Decimal(5000))),
])
def test_money_is_read_in_yuan(text: str, want: tuple) -> None:
    assert values(text) == [(*want, CNY)]


def test_money_without_a_limit_word_is_a_scope() -> None:
    assert values("设立总规模100亿元的产业引导基金。") == [("=", Decimal(10000000000), CNY)]


# --- ages --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("申报人年龄不超过45周岁。", ("<=", Decimal(45))),
    ("为80岁以上老年人提供上门服务。", (">=", Decimal(80))),
])
def test_ages_are_years(text: str, want: tuple) -> None:
    assert values(text) == [(*want, str(UNIT["YR"]))]


def test_a_range_of_ages_or_years_is_a_range() -> None:
    assert [(q.comparator, q.value, q.max_value, q.unit.iri) for q in read_quantities("面向18—35周岁的青年人才。")] == [
        ("range", Decimal(18), Decimal(35), str(UNIT["YR"]))]
    assert [(q.comparator, q.value, q.max_value) for q in read_quantities("服务期一般为3—5年。")] == [
        ("range", Decimal(3), Decimal(5))]
    assert read_quantities("2024—2025年完成全部改造。") == []


# --- goals ---------------------------------------------------------------------------------------------------------
def goals(*paras: str):
    blocks, pos = [], 0
    for p in paras:
        p = normalize(p).text  # the reader sees the normalised text (half-width punctuation)
        blocks.append(Block(p, pos))
        pos += len(p) + 1
    return read_goals(blocks)


def test_goals_take_the_year_that_opens_their_sentence() -> None:
    got = goals("到2027年，全市政务服务事项网上可办率达到98%以上，累计培育数字化人才1500名左右。")
    assert [(g.quantity.value, g.year) for g in got if g.quantity] == [(Decimal(98), 2027), (Decimal(1500), 2027)]


def test_a_year_list_in_its_own_clause_pairs_with_the_values_after_it() -> None:
    got = goals("2025年、2026年，中心城区细颗粒物平均浓度分别控制在24微克/立方米、23微克/立方米以内。")
    assert [(g.quantity.value, g.year) for g in got if g.quantity] == [(Decimal(24), 2025), (Decimal(23), 2026)]


def test_a_goal_heading_and_a_bare_fragment_are_not_goals() -> None:
    got = goals("（一）空气质量改善目标", "2026年，地表水国考断面水质全部达标。", "达标")
    assert [g.text for g in got] == ["2026年,地表水国考断面水质全部达标"]


def test_a_value_that_classes_the_subject_of_a_goal_is_not_a_goal_of_its_own() -> None:
    got = goals("到2026年，70岁及以上老年人健康管理率达到75%以上，培育营业收入超过5亿元的企业8家以上。")
    assert [(g.quantity.value, g.year) for g in got if g.quantity] == [(Decimal(75), 2026), (Decimal(8), 2026)]


def test_an_inline_goal_heading_is_not_a_goal_of_its_own() -> None:
    got = goals("（二）水环境质量目标。到2026年，重点河湖水质优良比例达到90%以上。")
    assert [(g.quantity.value if g.quantity else None, g.year) for g in got] == [(Decimal(90), 2026)]
