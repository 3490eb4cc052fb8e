"""Dates as people type them where a date is asked for (CLI options, as_of, query parameters)."""

from __future__ import annotations

from datetime import date

import pytest

from plan_kb.reading.dates import typed_date


@pytest.mark.parametrize(("text", "end", "day"), [
    ("2023-06-30", True, date(2023, 6, 30)),
    ("2023/6/30", True, date(2023, 6, 30)),
    ("2023.6.30", True, date(2023, 6, 30)),
    ("20230630", True, date(2023, 6, 30)),
    ("2023年6月30日", True, date(2023, 6, 30)),
    ("２０２３年６月３０日", True, date(2023, 6, 30)),
    ("2023年6月30号前", True, date(2023, 6, 30)),
    ("二〇二三年六月三十日", True, date(2023, 6, 30)),
    ("二〇二二年十二月一日", False, date(2022, 12, 1)),
    ("23年6月30日", True, date(2023, 6, 30)),
    ("2023年6月", True, date(2023, 6, 30)),
    ("2023年6月", False, date(2023, 6, 1)),
    ("2023年2月底", False, date(2023, 2, 28)),
    ("2024年2月末", True, date(2024, 2, 29)),
    ("2023年底", False, date(2023, 12, 31)),
    ("2023年", True, date(2023, 12, 31)),
    ("2023年", False, date(2023, 1, 1)),
    ("2023-06", True, date(2023, 6, 30)),
    (" 2023 年 6 月 30 日 ", True, date(2023, 6, 30)),
])
def test_a_typed_day(text: str, end: bool, day: date) -> None:
    assert typed_date(text, end=end) == day


@pytest.mark.parametrize("text", ["", "明天", "2023年13月", "2023-02-30", "6月30日", "2023年6月31日", "30/06/2023"])
def test_not_a_day_says_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a date \(2023-06-30, 2023年6月30日"):
        typed_date(text)


def test_the_due_command_takes_a_chinese_date(use_kb, capsys: pytest.CaptureFixture[str]) -> None:
    from plan_kb import cli

    assert cli.main(["due", "--by", "2023-06-30", "--json"]) == 0
    iso = capsys.readouterr().out
    assert cli.main(["due", "--by", "2023年6月30日", "--json"]) == 0
    assert capsys.readouterr().out == iso and iso.count('"plan"') > 3
    assert cli.main(["due", "--by", "2023年6月底", "--json"]) == 0
    assert capsys.readouterr().out == iso
    with pytest.raises(SystemExit):
        cli.main(["due", "--by", "明年"])
    assert "is not a date (2023-06-30, 2023年6月30日" in capsys.readouterr().err
