"""ASCII identifiers read place names with their own readings (extraction/readings.yaml), and today's are kept."""

from __future__ import annotations

import pytest

from plan_kb.reading.structure import slugify


@pytest.mark.parametrize(("text", "slug"), [
    ("晋政办发〔2022〕95号", "jzbf-2022-95"),  # the bundled corpus: unchanged
    ("长政办发〔2024〕3号", "czbf-2024-3"),  # 长 for 长治, not zhǎng
    ("厦府办〔2023〕1号", "xfb-2023-1"),
    ("长治市", "czs"),
    ("乐山市", "lss"),
    ("潮府办〔2023〕12号", "cfb-2023-12"),
])
def test_place_names_by_their_reading(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_an_ordinary_word_keeps_its_common_reading() -> None:
    assert slugify("增长") == "zz" and slugify("长期") == "cq"
