"""Deadlines as fresh plans of the genre write them (issue 14): the second stage of a staged duty, a season window
that bounds a cadence, a span of years that bounds one, the school year and its calendar, and dates without their
year in a plan of one year. Sentences of our own, each habit in more than one form."""

from __future__ import annotations

from datetime import date

from plan_kb.reading.deadlines import read_deadlines
from plan_kb.reading.yearless import plan_year, yearless_deadlines


def kinds(text: str) -> list[tuple]:
    return [(d.kind, d.rrule or d.date) for d in read_deadlines(text, (2024, 2026))]


def test_the_second_stage_of_a_staged_duty_is_due_during_its_year() -> None:
    assert kinds("2025年底前基本完成、2026年全面完成退化草原修复。") == [
        ("By", date(2025, 12, 31)), ("During", date(2026, 12, 31))]
    assert kinds("2024年6月底前完成排查、2025年完成整治。") == [
        ("By", date(2024, 6, 30)), ("During", date(2025, 12, 31))]


def test_a_list_of_bare_years_stays_no_deadline() -> None:
    assert kinds("2022年、2023年优良比例分别达到72.3%、76.6%。") == []


def test_a_season_window_bounds_the_cadence_after_it() -> None:
    assert kinds("灌溉期（4—9月）每周开展一次巡查。") == [("Recurring", "FREQ=WEEKLY;BYMONTH=4,5,6,7,8,9")]
    assert kinds("汛期5—9月每月开展一次隐患排查。") == [("Recurring", "FREQ=MONTHLY;BYMONTH=5,6,7,8,9")]
    assert kinds("5—9月每日10—16时开展巡查。") == [
        ("Recurring", "FREQ=DAILY;BYMONTH=5,6,7,8,9;BYHOUR=10,11,12,13,14,15")]


def test_a_span_of_years_bounds_a_yearly_duty() -> None:
    assert kinds("2024年至2026年每年举办一次招聘会。") == [("Recurring", "FREQ=YEARLY;UNTIL=20261231")]
    assert kinds("2024—2025年每季度开展一次评估。") == [("Recurring", "FREQ=MONTHLY;INTERVAL=3;UNTIL=20251231")]


def test_the_school_year_recurs_yearly() -> None:
    assert kinds("每学年开展一次学生体质健康监测。") == [("Recurring", "FREQ=YEARLY")]


def test_a_school_calendar_date_is_approximate() -> None:
    got = read_deadlines("2025年春季学期开学前完成校舍安全排查。")
    assert [(d.kind, d.date, d.approximate) for d in got] == [("By", date(2025, 3, 1), True)]
    got = read_deadlines("2024年秋季开学前完成改造。")
    assert [(d.kind, d.date, d.approximate) for d in got] == [("By", date(2024, 9, 1), True)]


def test_dates_without_their_year_in_a_plan_of_one_year() -> None:
    year = plan_year("翁牛特旗2025年草原生态保护建设推进计划", None)
    assert year == 2025
    text = "一是3月15日前完成责任书签订；二是9月底前召开一次联席会议；三是12月底前完成年度考核。"
    got = yearless_deadlines(text, year, read_deadlines(text))
    assert [d.date for d in got] == [date(2025, 9, 30), date(2025, 12, 31), date(2025, 3, 15)]


def test_a_season_and_a_school_break_without_their_year() -> None:
    text = "汛期前完成河道清障，春季学期开学前完成排查，寒假期间开展安全培训。"
    got = yearless_deadlines(text, 2025, read_deadlines(text), "浙江省")
    assert [(d.kind, d.date, d.approximate) for d in got] == [
        ("By", date(2025, 4, 15), True), ("By", date(2025, 3, 1), True), ("During", date(2025, 2, 20), True)]
    assert [d.date for d in yearless_deadlines("汛期前完成清障。", 2025, [], "山西省")] == [date(2025, 6, 1)]


def test_a_season_naming_a_check_beside_its_date_is_no_second_deadline() -> None:
    text = "8月底前完成秋季开学前消防安全检查，汛期前完成河道清障。"
    got = yearless_deadlines(text, 2025, read_deadlines(text), "山西省")
    assert [d.date for d in got] == [date(2025, 8, 31), date(2025, 6, 1)]
