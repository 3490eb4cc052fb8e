"""Deadlines: every row of the conventions' deadline table with a sentence of its own, the cases that are not
deadlines, the graph they become, and ``plan-kb due``."""

from __future__ import annotations

import json
from datetime import date

import pytest
from rdflib import Dataset

from plan_kb import cli
from plan_kb.answers.due import BadWindow, due
from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.base.resources import load_yaml
from plan_kb.errors import NotFound
from plan_kb.reading.deadlines import Deadline, read_deadlines
from tests.conftest import SHARED

GOLD = SHARED / "gold" / "water.json"


def one(text: str, period: tuple[int, int] | None = (2022, 2023)) -> Deadline:
    found = read_deadlines(text, period)
    assert len(found) == 1, [(d.kind, d.expression) for d in found]
    d = found[0]
    assert text[d.start:d.end] == d.expression
    assert d.clause_start <= d.start < d.end <= d.clause_end
    return d


def keys(text: str, period: tuple[int, int] | None = (2022, 2023)) -> list[tuple]:
    return [(d.kind, d.date or d.rrule or d.offset) for d in read_deadlines(text, period)]


# --- the table of conventions.md, row by row ------------------------------------------------------------------

@pytest.mark.parametrize("text, day", [
    ("2024年底前完成全部燃气锅炉低氮改造。", date(2024, 12, 31)),
    ("2025年底,城区建成区全面建成监测网络。", date(2025, 12, 31)),
    ("到2025年,城市建成区绿地率达到40%以上。", date(2025, 12, 31)),
])
def test_year_end_is_by_the_last_day_of_the_year(text: str, day: date) -> None:
    d = one(text)
    assert (d.kind, d.date, d.approximate) == ("By", day, False)


@pytest.mark.parametrize("text, day", [
    ("各县2023年3月底前上报整治清单。", date(2023, 3, 31)),
    ("2024年2月底前完成评估。", date(2024, 2, 29)),
    ("2023年11月底前,完成全部移动源排查。", date(2023, 11, 30)),
])
def test_month_end_is_by_the_last_day_of_the_month(text: str, day: date) -> None:
    assert (one(text).kind, one(text).date) == ("By", day)


def test_a_given_day_is_by_that_day() -> None:
    d = one("重点企业2023年6月15日前完成在线监控联网。")
    assert (d.kind, d.date) == ("By", date(2023, 6, 15))


@pytest.mark.parametrize("season", [s["name"] for s in load_yaml("deadlines.yaml")["seasons"]])
def test_a_season_is_by_its_conventional_date_kept_as_data(season: str) -> None:
    entry = next(s for s in load_yaml("deadlines.yaml")["seasons"] if s["name"] == season)
    d = one(f"2024年{season}前完成煤改气工程。")
    month, day = (int(x) for x in entry["date"].split("-"))
    assert (d.kind, d.date, d.approximate) == ("By", date(2024, month, day), bool(entry["approximate"]))


def test_heating_season_is_november_first_and_approximate() -> None:
    d = one("对长期不能稳定达标的燃煤锅炉,2024年采暖季前完成热源替代。")
    assert (d.kind, d.date, d.approximate) == ("By", date(2024, 11, 1), True)
    assert d.requirement == "完成热源替代"


def test_a_season_word_without_a_date_is_no_deadline() -> None:
    assert keys("防止汛期农业面源污染,减少汛期雨水携带污水入河。") == []


@pytest.mark.parametrize("text, day", [
    ("自2024年7月1日起,全省禁止销售不符合标准的车用油品。", date(2024, 7, 1)),
    ("自2024年起,新建项目执行颗粒物特别排放限值。", date(2024, 1, 1)),
])
def test_from_is_the_first_day_it_applies(text: str, day: date) -> None:
    d = one(text)
    assert (d.kind, d.date) == ("From", day)


@pytest.mark.parametrize("text, year", [
    ("2023年,以晋中市为试点开展农村黑臭水体评估。", 2023),
    ("各县2023年要完成入河排污口摸底排查。", 2023),
    ("完善污水管网,2022年县城污水集中收集率达到70%以上。", 2022),
])
def test_a_bare_year_governing_a_clause_is_during_that_year(text: str, year: int) -> None:
    d = one(text)
    assert (d.kind, d.start_date, d.date) == ("During", date(year, 1, 1), date(year, 12, 31))


@pytest.mark.parametrize("text, rule", [
    ("企业每年6月底前报送自行监测报告。", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30"),
    ("每年3月15日前公布上年度排放清单。", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"),
    ("每月调度重点工程进展。", "FREQ=MONTHLY"),
    ("按月报送水质监测数据。", "FREQ=MONTHLY"),
    ("每季度通报考核结果。", "FREQ=MONTHLY;INTERVAL=3"),
    ("每半年开展一次评估。", "FREQ=MONTHLY;INTERVAL=6"),
    ("每年开展一次专项检查。", "FREQ=YEARLY"),
    ("每季度2次调度项目进展。", "FREQ=MONTHLY;INTERVAL=3"),
    ("按年度开展绩效评价。", "FREQ=YEARLY"),
    ("每学期开展一次消防演练。", "FREQ=MONTHLY;INTERVAL=6"),
    ("6—8月每日9—17时,禁止露天喷涂作业。", "FREQ=DAILY;BYMONTH=6,7,8;BYHOUR=9,10,11,12,13,14,15,16"),
    ("每日发布空气质量预报。", "FREQ=DAILY"),
    ("每月初通报上月空气质量排名。", "FREQ=MONTHLY"),
    ("6—8月,组织开展夜间执法巡查。", "FREQ=DAILY;BYMONTH=6,7,8"),
])
def test_recurring_duties_are_rrules(text: str, rule: str) -> None:
    d = one(text)
    assert (d.kind, d.rrule, d.date) == ("Recurring", rule, None)


@pytest.mark.parametrize("text", [
    "景区日接待量控制在每日5千人次以内。",
    "对普惠机构按收托人数给予每人每月300元补贴。",
])
def test_a_cap_or_a_rate_per_period_is_no_recurring_duty(text: str) -> None:
    assert [d for d in read_deadlines(text) if d.kind == "Recurring"] == []


def test_a_reporting_cycle_is_one_recurring_duty_per_cadence() -> None:
    text = "建立重点河流日调度、周会商、月考核的工作机制。"
    found = read_deadlines(text)
    assert [(d.kind, d.expression, d.rrule) for d in found] == [
        ("Recurring", "日调度", "FREQ=DAILY"), ("Recurring", "周会商", "FREQ=WEEKLY"),
        ("Recurring", "月考核", "FREQ=MONTHLY")]
    assert {d.requirement for d in found} == {"建立重点河流日调度、周会商、月考核的工作机制"}


@pytest.mark.parametrize("text, offset, event", [
    ("项目投运后,要在半年内完成环保验收。", "P6M", "项目投运"),
    ("新增重点排污单位应在纳入名录一年内完成隐患排查。", "P1Y", "纳入名录"),
    ("发现问题后,应在三个月内完成整改。", "P3M", "发现问题"),
])
def test_an_offset_after_an_event_is_relative(text: str, offset: str, event: str) -> None:
    d = one(text)
    assert (d.kind, d.offset, d.event, d.date) == ("Relative", offset, event, None)


@pytest.mark.parametrize("text, expression", [
    ("按照生态环境部规定的时间节点,完成化工园区地下水调查评估。", "按照生态环境部规定的时间节点"),
    ("各市按规定时间报送达标方案。", "按规定时间"),
    ("对超标排放的企业限期达标。", "限期达标"),  # 限期整改 is an enforcement order: see test_deadlines_genre.py
    ("不能稳定达标的,依法限期退出。", "依法限期退出"),
])
def test_a_limit_the_authority_sets_is_external(text: str, expression: str) -> None:
    d = one(text)
    assert (d.kind, d.expression, d.date, d.rrule) == ("External", expression, None, None)


@pytest.mark.parametrize("text, day", [
    ("重点排污单位于2024年8月31日以前完成排污许可证变更。", date(2024, 8, 31)),
    ("各县2024年3月底之前上报名单。", date(2024, 3, 31)),
    ("于2025年底以前全面完成燃煤锅炉淘汰。", date(2025, 12, 31)),
])
def test_before_may_be_written_yiqian_or_zhiqian(text: str, day: date) -> None:
    assert (one(text).kind, one(text).date) == ("By", day)


@pytest.mark.parametrize("text, day", [
    ("2024年第三季度前完成在线监控设施验收。", date(2024, 9, 30)),
    ("2024年第二季度完成排查。", date(2024, 6, 30)),
])
def test_a_quarter_may_be_written_with_di(text: str, day: date) -> None:
    assert (one(text).kind, one(text).date) == ("By", day)


def test_a_year_opening_a_season_phrase_is_not_during_that_year() -> None:
    assert keys("燃煤锅炉2024年采暖季结束前完成拆除。") == []


def test_within_a_year_is_by_its_last_day_not_an_offset() -> None:
    d = one("城区燃气管网2024年内完成更新改造。")
    assert (d.kind, d.date, d.offset) == ("By", date(2024, 12, 31), None)


@pytest.mark.parametrize("text, rule", [
    ("6月—8月,组织开展餐饮油烟专项检查。", "FREQ=DAILY;BYMONTH=6,7,8"),
    ("6月至8月每日11时至15时,停止露天喷涂作业。", "FREQ=DAILY;BYMONTH=6,7,8;BYHOUR=11,12,13,14"),
    ("每年12月至次年2月,对散煤复烧开展巡查。", "FREQ=DAILY;BYMONTH=12,1,2"),
    ("每年3—4月开展秸秆焚烧巡查。", "FREQ=DAILY;BYMONTH=3,4"),
    ("每两年开展一次土壤环境质量评估。", "FREQ=YEARLY;INTERVAL=2"),
    ("每3个月调度一次重点项目进展。", "FREQ=MONTHLY;INTERVAL=3"),
    ("各县每月5日前报送上月整治台账。", "FREQ=MONTHLY;BYMONTHDAY=5"),
])
def test_more_ways_to_write_a_recurring_duty(text: str, rule: str) -> None:
    d = one(text)
    assert (d.kind, d.rrule) == ("Recurring", rule)


def test_a_one_off_month_window_of_a_given_year_is_not_recurring() -> None:
    assert "Recurring" not in [k for k, _ in keys("2024年6—8月,开展臭氧污染防治攻坚。")]


def test_a_bare_range_of_years_governing_a_clause_is_during_the_range() -> None:
    for text in ("2024年至2025年,以运城市为试点开展农用地安全利用评估。", "2024—2025年,各市开展排污口整治。"):
        d = one(text)
        assert (d.kind, d.start_date, d.date) == ("During", date(2024, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize("text, expression", [
    ("对排查发现的问题,企业应在规定期限内完成整改。", "在规定期限内"),
    ("各市于生态环境部规定的时限内报送调查报告。", "于生态环境部规定的时限内"),
])
def test_within_a_prescribed_limit_is_external(text: str, expression: str) -> None:
    d = one(text)
    assert (d.kind, d.expression) == ("External", expression)


# --- what is not a deadline -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "定期开展巡查,适时召开联席会议,制定年度工作计划。",
    "逐步淘汰落后产能。",
    "对列入2022年淘汰计划的焦炉不再实施改造。",
    "除属于2021年分类处置清单范围内的项目外,不再审批新建项目。",
    "2022年、2023年地表水优良比例分别达到72.3%、76.6%。",
    "印发《黄河流域水生态环境建设规划(2022—2025年)》。",
    "严查未按规定时间和路线行驶的渣土车辆。",
    "在河道管理范围线之外30—50米建设生态缓冲带。",
    "对未在规定期限内完成整改的企业依法处罚。",
])
def test_not_deadlines(text: str) -> None:
    assert keys(text) == []


def test_a_year_before_the_plan_reports_the_past() -> None:
    text = "2021年已完成隐患排查的,原则上应在2022年底前完成问题整改。"
    assert keys(text) == [("By", date(2022, 12, 31))]


def test_each_occurrence_is_one_deadline() -> None:
    text = "2022年底,完成设区城市改造;2023年底,县城全部改造完成。2023年底前完成验收。"
    assert keys(text) == [("By", date(2022, 12, 31)), ("By", date(2023, 12, 31)), ("By", date(2023, 12, 31))]


def test_two_bare_years_in_one_sentence_are_two() -> None:
    text = "2022年,以长治市为试点推进海绵城市建设,2023年在全省设区市推广实施。"
    found = read_deadlines(text)
    assert [(d.kind, d.date) for d in found] == [("During", date(2022, 12, 31)), ("During", date(2023, 12, 31))]
    assert found[0].requirement == "以长治市为试点推进海绵城市建设"


def test_the_requirement_is_the_clause_without_its_date() -> None:
    d = one("未实施双回路供电的城镇污水处理厂应于2022年底前全部完成改造,实现清零。")
    assert d.requirement == "未实施双回路供电的城镇污水处理厂全部完成改造,实现清零"
    assert "2022年底前" not in d.requirement


# --- the graph --------------------------------------------------------------------------------------------------

def _gold() -> dict:
    if not GOLD.exists():
        pytest.skip(f"no gold file at {GOLD}")
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _gold_key(d: dict) -> tuple:
    return d["kind"].capitalize(), d.get("date") or d.get("rule") or d.get("offset")


def test_water_deadlines_match_the_hand_annotation(dataset: Dataset) -> None:
    rows = dataset.query(sparql_prefixes() + """
        SELECT ?n ?kind ?date ?rule ?offset WHERE {
          ?t a pkb:Task ; pkb:inPlan/pkb:planKey "water" ; pkb:number ?n ; pkb:hasDeadline ?d .
          ?d pkb:deadlineKind ?kind . OPTIONAL { ?d pkb:date ?date } OPTIONAL { ?d pkb:rrule ?rule }
          OPTIONAL { ?d pkb:offset ?offset } }""")
    got: dict[int, list] = {}
    for n, kind, dt, rule, off in rows:
        got.setdefault(int(n), []).append((str(kind).rsplit("#", 1)[-1], str(dt or rule or off) if dt or rule or off
                                           else None))
    for task in _gold()["tasks"]:
        want = sorted(_gold_key(d) for d in task.get("deadlines", []))
        assert sorted(got.get(task["number"], []), key=str) == sorted(want, key=str), f"water#{task['number']}"


def test_every_deadline_node_carries_its_clause_and_provenance(dataset: Dataset) -> None:
    rows = list(dataset.query(sparql_prefixes() + """
        SELECT ?d ?expr ?src ?s ?e ?req WHERE {
          ?i pkb:hasDeadline ?d . ?d pkb:timeExpression ?expr ; pkb:sourceText ?src ; pkb:sourceStart ?s ;
             pkb:sourceEnd ?e ; pkb:requirementText ?req }"""))
    total = len(list(dataset.query(sparql_prefixes() + "SELECT DISTINCT ?d WHERE { ?i pkb:hasDeadline ?d }")))
    assert rows and len({r[0] for r in rows}) == total
    for _d, expr, src, s, e, req in rows:
        assert str(expr) in str(src)
        assert int(e) - int(s) == len(str(src))
        assert str(req)


def test_approximate_dates_come_only_from_conventions(dataset: Dataset) -> None:
    rows = list(dataset.query(sparql_prefixes() + """
        SELECT ?expr ?date WHERE { ?i pkb:hasDeadline ?d . ?d pkb:approximate true ; pkb:timeExpression ?expr ;
                                   pkb:date ?date }"""))
    seasons = {s["name"] for s in load_yaml("deadlines.yaml")["seasons"] if s["approximate"]}
    assert rows
    for expr, _date in rows:
        assert any(s in str(expr) for s in seasons), expr


# --- plan-kb due --------------------------------------------------------------------------------------------------

def _gold_due(by: date, after: date | None = None) -> set[str]:
    out = set()
    for task in _gold()["tasks"]:
        for d in task.get("deadlines", []):
            if d.get("date") and d["kind"] in ("by", "during"):
                day = date.fromisoformat(d["date"])
                if day <= by and (after is None or day > after):
                    out.add(f"water#{task['number']}")
    return out


def test_cli_due_by_end_of_2022_lists_the_water_tasks_due_then(use_kb, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["due", "--by", "2022-12-31", "--plan", "water", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    got = {r["ref"] for r in rows}
    assert got == _gold_due(date(2022, 12, 31))
    question = next(q for q in _gold()["questions"] if q["type"] == "due_by" and "2022年底前" in q["q"])
    assert got == set(question["answer"])
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert all(r["requirement"] and r["title"] and r["agencies"] for r in rows)


def test_due_in_2023_uses_after(dataset: Dataset) -> None:
    rows = due(dataset, by=date(2023, 12, 31), after=date(2022, 12, 31), plan="water")
    assert {r.ref for r in rows} == _gold_due(date(2023, 12, 31), after=date(2022, 12, 31))
    assert all(date(2023, 1, 1) <= r.date <= date(2023, 12, 31) for r in rows)


def test_recurring_duties_are_expanded_only_when_asked(dataset: Dataset) -> None:
    window = dict(by=date(2023, 12, 31), after=date(2022, 12, 31))
    plain = due(dataset, **window)
    assert all(r.kind != "Recurring" for r in plain)
    rows = due(dataset, recurring=True, **window)
    recurring = [r for r in rows if r.kind == "Recurring"]
    assert recurring
    for r in recurring:
        assert r.occurrences and all(date(2023, 1, 1) <= o <= date(2023, 12, 31) for o in r.occurrences)
        assert r.date == r.occurrences[0]
        if r.rrule == "FREQ=DAILY":
            assert len(r.occurrences) == (window["by"] - window["after"]).days
        if r.rrule == "FREQ=MONTHLY":
            assert len(r.occurrences) == 12


def test_from_is_listed_as_in_force_since(dataset: Dataset) -> None:
    rows = [r for r in due(dataset, by=date(2023, 12, 31)) if r.kind == "From"]
    assert rows and all(r.status == "in force since" and r.date <= date(2023, 12, 31) for r in rows)


def test_due_for_an_agency_is_the_items_it_carries_a_role_for(dataset: Dataset) -> None:
    rows = due(dataset, by=date(2023, 12, 31), agency="省住建厅")
    items = {str(i) for (i,) in dataset.query(sparql_prefixes() + """
        SELECT ?i WHERE { ?a skos:prefLabel|skos:altLabel "省住建厅"@zh .
                          ?i pkb:leadAgency|pkb:supportingAgency|pkb:responsibleAgency|pkb:guidingAgency ?a .
                          ?i pkb:hasDeadline/pkb:date ?d . FILTER(?d <= "2023-12-31"^^xsd:date) }""")}
    assert rows and {r.item for r in rows} == items


def test_bad_input_is_a_clear_error(dataset: Dataset, use_kb, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(NotFound):
        due(dataset, by=date(2023, 12, 31), plan="nowhere")
    with pytest.raises(BadWindow):
        due(dataset, by=date(2022, 1, 1), after=date(2023, 1, 1))
    assert cli.main(["due", "--by", "2022-12-31", "--agency", "没有这个单位"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("plan-kb:") and "\n" not in err
