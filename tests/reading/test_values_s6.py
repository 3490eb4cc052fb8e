"""Values of the sixth round (issue 14, "values and goals for the forms above"): counts that a verb of making sets
as targets, occasions an event verb counts, goals stated in a labelled paragraph under 总体要求, and the year of a
goal whose sentence names none. Sentences of our own, in house styles other than the documents the habits were seen
in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plan_kb.base.namespaces import UNIT
from plan_kb.reading.goals import plan_year, read_goals
from plan_kb.reading.model import Block
from plan_kb.reading.normalize import normalize
from plan_kb.reading.quantities import read_quantities
from plan_kb.reading.structure import read_text

NUM = str(UNIT["NUM"])
CNY = "http://qudt.org/vocab/currency/CNY"


def values(text: str) -> list[tuple[str, Decimal, str]]:
    return [(q.comparator, q.value, q.unit.iri) for q in read_quantities(normalize(text).text)]


# --- a count that a verb of making sets is a target ---------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("2025年底前,新建城市社区嵌入式服务设施15个。", [("=", Decimal(15), NUM)]),
    ("各镇街全年新增农贸市场智慧摊位2.5万个。", [("=", Decimal(25000), NUM)]),
    ("培育县级以上农业产业化龙头企业12家,创建省级现代农业产业园2个。",
     [("=", Decimal(12), NUM), ("=", Decimal(2), NUM)]),
    ("新建或改造城市公共厕所45座。", [("=", Decimal(45), NUM)]),
    ("本年度招引亿元以上产业项目8个。", [("=", Decimal(8), NUM)]),
    ("2024年、2025年分别建成智慧停车场3个、5个。", [("=", Decimal(3), NUM), ("=", Decimal(5), NUM)]),
])
def test_a_count_a_verb_of_making_sets_is_a_target(text: str, want: list) -> None:
    assert values(text) == want


@pytest.mark.parametrize("text, want", [
    ("区应急管理局每半年组织1次危化品泄漏处置演练。", [("=", Decimal(1), NUM)]),
    ("每月召开1次联席会议,通报进展情况。", [("=", Decimal(1), NUM)]),
    ("全年举办农民丰收节主题活动3场。", [("=", Decimal(3), NUM)]),
])
def test_occasions_an_event_verb_counts_are_a_target(text: str, want: list) -> None:
    assert values(text) == want


@pytest.mark.parametrize("text", [
    "对全市11个县级城市开展黑臭水体排查。",  # conventions.md: a count that only says how long a list is
    "精准开展9个县级城市、4个县改区的评估工作。",  # an event verb before a count of divisions, not of occasions
    "对新建的12个小区开展竣工验收。",  # the count names what was made
    "督促5家企业限期整改。",  # no verb of making before it
    "新增8个县(市、区)纳入试点范围。",  # it counts divisions
    "2024年9月底前完成12所学校宿舍改造。",  # 完成 is no verb of making (tests/documents/d7's reading)
])
def test_a_count_that_only_sizes_a_list_is_none(text: str) -> None:
    assert values(text) == []


def test_a_limit_word_still_decides_over_a_verb_of_making() -> None:
    assert values("每个乡镇至少建设2个村级寄递物流综合服务站。") == [(">=", Decimal(2), NUM)]
    assert values("新建充电桩不少于300个。") == [(">=", Decimal(300), NUM)]


# --- goals: a labelled paragraph under 总体要求 ----------------------------------------------------------------------
PLAN = """某市推进农村供水保障三年行动方案(2024—2026年)

一、总体要求
以习近平新时代中国特色社会主义思想为指导,坚持城乡统筹、建管并重。
主要目标:到2025年,农村自来水普及率达到92%,新建规模化供水工程6处;到2026年,农村自来水普及率达到95%以上,规模化供水工程覆盖农村人口比例达到70%。

二、重点任务
1.实施规模化供水工程建设。新建规模化供水工程6处。(市水利局牵头)
"""


def test_a_goals_paragraph_labelled_under_the_general_requirements() -> None:
    doc = read_text(PLAN)
    plan = doc.plans[0]
    goals = read_goals(plan.goal_blocks, plan_year(plan.title))
    got = [(g.year, g.quantity.comparator, g.quantity.value, g.quantity.unit.symbol) for g in goals if g.quantity]
    assert got == [(2025, "=", Decimal(92), "%"), (2025, "=", Decimal(6), "个"), (2026, ">=", Decimal(95), "%"),
                   (2026, "=", Decimal(70), "%")]
    assert [i.number for i in plan.items] == [1]  # the labelled paragraph is no task
    first = goals[0]
    assert doc.text[first.start:first.end].startswith("到2025年,农村自来水普及率达到92%")  # its own span


# --- goals: the year of a goal whose sentence names none -----------------------------------------------------------
@pytest.mark.parametrize("title, year", [
    ("某县2025年森林防灭火工作方案", 2025),
    ("某区推进养老服务提质三年行动计划(2024—2026年)", 2026),
    ("某市2025—2026年冬春季旅游市场整治任务清单", 2026),
    ("某市关于加强城市排水管理的实施意见", None),
])
def test_the_plan_year_is_the_last_year_its_title_names(title: str, year: int | None) -> None:
    assert plan_year(title) == year


def test_a_goal_without_a_year_takes_its_paragraphs_year_else_the_plans() -> None:
    text = "2024年,全县城镇污水处理率达到96%。主要河流出境断面氨氮浓度不高于1.0毫克/升。"
    goals = read_goals([Block(text, 0)], default_year=2026)
    assert [(g.year, g.quantity.value) for g in goals] == [(2024, Decimal(96)), (2024, Decimal("1.0"))]
    alone = read_goals([Block("汛期前,山洪灾害危险区预警信息覆盖率达到100%。", 0)], default_year=2025)
    assert [(g.year, g.quantity.value) for g in alone] == [(2025, Decimal(100))]
    assert read_goals([Block("城乡居民健康素养水平达到30%。", 0)])[0].year is None  # no year anywhere: none


# --- hours and minutes allowed; two multipliers together ------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("森林消防队伍接到火警后30分钟内到达现场。", [("<=", Decimal(30), str(UNIT["MIN"]))]),
    ("群众来电诉求24小时内响应,72小时内办结。",
     [("<=", Decimal(24), str(UNIT["HR"])), ("<=", Decimal(72), str(UNIT["HR"]))]),
    ("窗口平均等候时间不超过20分钟。", [("<=", Decimal(20), str(UNIT["MIN"]))]),
    ("保障中小学生每天户外活动时间不少于2小时。", [(">=", Decimal(2), str(UNIT["HR"]))]),
])
def test_hours_and_minutes_allowed_are_limits(text: str, want: list) -> None:
    assert values(text) == want


@pytest.mark.parametrize("text", ["汛期实行24小时值班值守。", "建设城区15分钟健身圈。", "景区实行全天24小时监测。"])
def test_round_the_clock_and_a_walking_circle_are_no_limits(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize("text, want", [
    ("到2027年,全省数字经济核心产业营业收入突破1.2万亿元。", [(">", Decimal("1200000000000"), CNY)]),
    ("设立规模3千万元以上的天使投资基金。", [(">=", Decimal("30000000"), CNY)]),
])
def test_two_multipliers_together(text: str, want: list) -> None:
    assert values(text) == want


# --- more units and forms ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("老旧小区全年加装电梯300部以上。", [(">=", Decimal(300), NUM)]),
    ("各乡镇每年至少组织开展2次防汛演练。", [(">=", Decimal(2), NUM)]),  # two verbs between the limit word and it
    ("到2026年培育年营业收入超过5亿元的骨干企业6家。",
     [(">", Decimal(500000000), CNY), ("=", Decimal(6), NUM)]),  # the 的 belongs to the noun the count ends
    ("寄宿制学校宿舍冬季室内温度不低于18℃。", [(">=", Decimal(18), str(UNIT["DEG_C"]))]),
    ("婴儿死亡率控制在3‰以内。", [("<=", Decimal(3), str(UNIT["PERMILLE"]))]),
    ("盲道与障碍物的距离不小于25厘米。", [(">=", Decimal(25), str(UNIT["CentiM"]))]),
])
def test_more_units_and_forms(text: str, want: list) -> None:
    assert values(text) == want


def test_departments_and_deployment_are_no_counts() -> None:
    assert values("由3部门联合部署,各部门分工负责。") == []


# --- a target table in the goals section: one goal per row and year column ------------------------------------------
TABLE_PLAN = """某县推进文旅产业融合发展实施方案

一、工作目标

到2027年,文旅产业体系基本形成。年度目标见下表:

表1　年度主要目标
指标　　2025年　　2026年　　2027年
接待游客总人次(万人次)　　900　　1000　　1100
旅游综合收入(亿元)　　60　　72　　85
乡村旅游重点村(个)　　3　　5　　8
森林覆盖率(‰‰)　　1　　2　　3

二、重点任务

1.提升景区品质。推动景区提档升级。(县文旅局牵头)
"""


def test_a_target_table_gives_one_goal_per_row_and_year() -> None:
    doc = read_text(TABLE_PLAN)
    plan = doc.plans[0]
    goals = [g for g in read_goals(plan.goal_blocks, plan_year(plan.title)) if g.quantity]
    got = [(g.year, g.quantity.value, g.quantity.unit.iri, g.quantity.indicator) for g in goals]
    assert got == [(2025, Decimal(9000000), NUM, "接待游客总人次"), (2026, Decimal(10000000), NUM, "接待游客总人次"),
                   (2027, Decimal(11000000), NUM, "接待游客总人次"),
                   (2025, Decimal(6000000000), CNY, "旅游综合收入"), (2026, Decimal(7200000000), CNY, "旅游综合收入"),
                   (2027, Decimal(8500000000), CNY, "旅游综合收入"), (2025, Decimal(3), NUM, "乡村旅游重点村"),
                   (2026, Decimal(5), NUM, "乡村旅游重点村"), (2027, Decimal(8), NUM, "乡村旅游重点村")]
    # a unit no one listed (‰‰) leaves its row, not guessed; each goal's text is its row, with its span
    assert all(doc.text[g.start:g.end] == g.text for g in goals)
    assert goals[3].text.startswith("旅游综合收入(亿元)")
