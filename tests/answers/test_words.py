"""Plain Chinese for what people read: dates, every kind of deadline, recurring rules, durations, plan names."""

from __future__ import annotations

import pytest

from plan_kb.answers.words import deadline_words, duration_words, plan_short_name, rrule_words, zh_date


def test_dates() -> None:
    assert zh_date("2023-06-30") == "2023年6月30日"
    assert zh_date(None) == ""


@pytest.mark.parametrize(("rule", "words"), [
    ("FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=31", "每年5月31日前"),
    ("FREQ=MONTHLY", "每月"),
    ("FREQ=MONTHLY;INTERVAL=3", "每季度"),
    ("FREQ=MONTHLY;INTERVAL=6", "每半年"),
    ("FREQ=YEARLY;INTERVAL=2", "每两年"),
    ("FREQ=DAILY;BYMONTH=5,6,7,8,9;BYHOUR=10,11,12,13,14,15", "5—9月每日10—16时"),
    ("FREQ=DAILY;BYMONTH=5,6,7,8,9", "5—9月每日"),
    ("FREQ=WEEKLY", "每周"),
    ("FREQ=MONTHLY;BYMONTHDAY=10", "每月10日前"),
])
def test_recurring_rules(rule: str, words: str) -> None:
    assert rrule_words(rule) == words


@pytest.mark.parametrize(("row", "words"), [
    ({"deadlineKind": "By", "date": "2023-06-30"}, "2023年6月30日前"),
    ({"kind": "https://w3id.org/plan-kb/ontology#From", "date": "2023-01-01"}, "自2023年1月1日起"),
    ({"deadlineKind": "During", "date": "2022-12-31", "startDate": "2022-01-01"}, "2022年内"),
    ({"deadlineKind": "During", "date": "2025-12-31", "startDate": "2023-01-01"}, "2023—2025年"),
    ({"deadlineKind": "Relative", "offset": "P6M", "afterEvent": "纳入名录"}, "纳入名录后6个月内"),
    ({"deadlineKind": "By", "date": "2022-11-01", "approximate": True, "source": "2022年采暖季前完成热源替代"},
     "2022年采暖季前"),
    ({"deadlineKind": "External", "source": "按规定时间节点"}, "按规定时间节点"),
])
def test_deadlines(row: dict, words: str) -> None:
    assert deadline_words(row) == words


def test_durations_and_plan_names() -> None:
    assert duration_words("P1Y") == "1年内" and duration_words("P2W") == "2周内"
    assert plan_short_name("山西省水环境质量再提升2022—2023年行动计划") == "水环境质量再提升"
    assert plan_short_name("潮州市2023年大气和水污染防治工作方案") == "大气和水污染防治"
    assert plan_short_name("长治市大气污染防治攻坚行动方案（2024—2025年）") == "大气污染防治"
