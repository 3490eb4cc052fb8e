"""Deadlines in the forms of other house styles (issue 14; conventions.md, "Deadlines"), each on a sentence of its
own, and the time expressions that are not deadlines there."""

from __future__ import annotations

from datetime import date

import pytest

from plan_kb.reading.deadlines import read_deadlines


def keys(text: str, period: tuple[int, int] | None = (2024, 2026)) -> list[tuple]:
    return [(d.kind, d.date or d.rrule or d.offset) for d in read_deadlines(text, period)]


@pytest.mark.parametrize("text, want", [
    ("2024年6月30日前完成存量数据归集。", [("By", date(2024, 6, 30))]),
    ("2025年3月底前出台配套细则。", [("By", date(2025, 3, 31))]),
    ("自2025年1月1日起，新建项目全部执行新标准。", [("From", date(2025, 1, 1))]),
    ("自2025年起，每年评选一批示范单位。", [("From", date(2025, 1, 1)), ("Recurring", "FREQ=YEARLY")]),
    ("各区每季度报送工作进展。", [("Recurring", "FREQ=MONTHLY;INTERVAL=3")]),
    ("对重点企业每半年开展一次评估。", [("Recurring", "FREQ=MONTHLY;INTERVAL=6")]),
    ("按规定时限办结群众投诉事项。", [("External", None)]),
    ("按照国家规定的时间节点完成系统迁移。", [("External", None)]),
    ("人才落户后半年内发放安家补贴。", [("Relative", "P6M")]),
    ("新引进人才入职5年内享受租房补贴。", [("Relative", "P5Y")]),
    ("企业在收到整改通知后3个月内完成整改。", [("Relative", "P3M")]),
])
def test_deadline_forms_of_other_house_styles(text: str, want: list) -> None:
    assert keys(text) == want


def test_a_quarter_of_every_year_recurs_at_its_last_day() -> None:
    assert keys("各地每年一季度制定年度实施计划。") == [("Recurring", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31")]


@pytest.mark.parametrize("text", [
    "政务服务事项审批时限压缩至3周以内。",
    "不动产登记办理时间不超过2天。",
    "项目审批用时不超过40个工作日。",
    "企业开办时间压缩至2个工作日内。",
])
def test_a_time_allowed_is_not_a_deadline(text: str) -> None:
    assert keys(text) == []


def test_an_order_to_rectify_within_a_time_limit_is_an_enforcement_measure_not_a_deadline() -> None:
    assert keys("巡查中发现问题限期整改。") == []
    assert keys("对超标排放的企业依法实施限期整改。") == []
    assert keys("对不达标的排污口限期达标。") == [("External", None)]


def test_a_window_named_once_scopes_the_cadences_that_refer_back_to_it() -> None:
    text = ("6—8月为全市臭氧污染防控攻坚期，攻坚期内每日11—17时暂停户外喷涂作业。"
            "攻坚期内每周开展一次专项执法检查。")
    assert keys(text) == [("Recurring", "FREQ=DAILY;BYMONTH=6,7,8;BYHOUR=11,12,13,14,15,16"),
                          ("Recurring", "FREQ=WEEKLY;BYMONTH=6,7,8")]


def test_a_window_on_its_own_stays_a_daily_season() -> None:
    assert keys("每年6—8月，在重点区域开展臭氧污染防控攻坚。") == [("Recurring", "FREQ=DAILY;BYMONTH=6,7,8")]


def test_the_flood_season_starts_when_the_plans_province_says() -> None:
    text = "2025年汛期前完成易涝点整治。"
    assert keys(text) == [("By", date(2025, 6, 1))]  # the default (a northern province)
    zhejiang = read_deadlines(text, (2024, 2026), "浙江省")
    assert [(d.date, d.approximate) for d in zhejiang] == [(date(2025, 4, 15), True)]
    assert [d.date for d in read_deadlines(text, (2024, 2026), "广东省")] == [date(2025, 4, 1)]
