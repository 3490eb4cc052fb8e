"""Reading the structure of the genre: notice, plans, headings, tasks, measures, goal paragraphs."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from plan_kb.base.resources import CORPUS
from plan_kb.errors import DocumentError
from plan_kb.reading.normalize import loose
from plan_kb.reading.structure import chinese_numeral, read_corpus, read_file, read_text, slugify

CORPUS_SHA256 = "066b44786593eef2c7df663178ff73865c5a42a6143de2ab76b7e74f07750b43"

CITY_PLAN = """某市人民政府办公室文件

某政办发〔2024〕7号

某市人民政府办公室关于印发某市蓝天保卫战2024—2025年实施方案的通知

各县(区)人民政府，市直各部门：

现将《某市蓝天保卫战2024—2025年实施方案》印发给你们，请认真贯彻执行。

某市人民政府办公室

2024年3月1日

某市蓝天保卫战 2024—2025 年实施方案

为持续改善空气质量，制定本方案。

一、工作目标

到2025年，全市PM2.5平均浓度降到 38 微克/立方米。

二、主要任务

〔一〕调整产业结构

1．淘汰落后产能。2024年底前淘汰 30 万千瓦以下燃煤机组，完成

钢铁企业超低排放改造。

（市发展改革委牵头，市工业和信息化局配合）

2．整治散乱污企业。开展排查整治。（市生态环境局负责）

〔二〕治理扬尘

3．强化工地管理。落实“六个百分之百”。

（市住房和城乡建设局牵头）

三、保障措施

〔一〕加强组织领导

成立领导小组，统筹推进。

〔二〕严格考核问责

对工作不力的县(区)约谈。
"""


def test_bundled_corpus_is_the_published_text_unchanged() -> None:
    data = (CORPUS / "shanxi-2022-four-plans.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == CORPUS_SHA256


@pytest.fixture(scope="module")
def shanxi():
    return read_file(CORPUS / "shanxi-2022-four-plans.txt")


def test_notice(shanxi) -> None:
    n = shanxi.notice
    assert n.number == "晋政办发〔2022〕95号"
    assert n.issuer == "山西省人民政府办公厅"
    assert n.issued == date(2022, 11, 20)
    assert n.printed == date(2022, 12, 1)
    assert n.addressees == ["各市、县人民政府", "省人民政府各委、办、厅、局"]
    assert "省检察院" in n.copy_to and "各民主党派山西省委" in n.copy_to
    assert shanxi.slug == "jzbf-2022-95"


@pytest.mark.parametrize(("key", "tasks", "measures"), [
    ("water", 20, 5), ("air", 22, 5), ("soil", 16, 5), ("groundwater", 17, 3)])
def test_counts_per_plan(shanxi, key: str, tasks: int, measures: int) -> None:
    plan = next(p for p in shanxi.plans if p.key == key)
    assert len(plan.tasks) == tasks
    assert len(plan.measures) == measures
    assert [t.number for t in plan.tasks] == list(range(1, tasks + 1))
    assert plan.period == (2022, 2023)
    assert plan.goal_blocks, "the goal paragraphs are read"


def test_titles_are_the_words_before_the_first_full_stop(shanxi) -> None:
    water = shanxi.plans[0]
    assert water.title == "山西省水环境质量再提升2022—2023年行动计划"
    assert water.tasks[0].title == "保障重点河流生态流量"
    assert water.tasks[12].title == "强化河(湖)岸生态缓冲带保护与修复"
    assert [m.title for m in water.measures][:2] == ["加强组织领导", "强化资金保障"]
    assert water.tasks[0].heading.label == "(一)强化水资源管控"
    assert water.tasks[0].heading.parent.label == "三、重点任务"


def test_item_cut_by_a_page_break_is_healed(shanxi) -> None:
    task3 = shanxi.plans[0].tasks[2]
    assert "2022年全省设区城市污水处理再生水利用率平均达到24.8%以上" in task3.text
    assert task3.text.endswith("(省住建厅牵头,省生态环境厅、省发展改革委、省水利厅配合)")


def test_item_text_is_its_span_and_leads_back_to_the_original(shanxi) -> None:
    for plan in shanxi.plans:
        for item in plan.items:
            assert shanxi.text[item.start:item.end] == item.text
            a, b = shanxi.normalized.to_original(item.start, item.end)
            assert loose(shanxi.original[a:b]) == loose(item.text), item.key


def test_a_city_plan_in_another_house_style() -> None:
    doc = read_text(CITY_PLAN, "city.txt")
    assert doc.notice.number == "某政办发〔2024〕7号"
    assert doc.notice.issued == date(2024, 3, 1)
    assert doc.slug == "mzbf-2024-7"
    [plan] = doc.plans
    assert plan.title == "某市蓝天保卫战2024—2025年实施方案"
    assert plan.key == "air"
    assert [(t.number, t.title) for t in plan.tasks] == [
        (1, "淘汰落后产能"), (2, "整治散乱污企业"), (3, "强化工地管理")]
    assert plan.tasks[0].text.endswith("完成钢铁企业超低排放改造。\n(市发展改革委牵头,市工业和信息化局配合)")
    assert plan.tasks[2].heading.title == "治理扬尘"
    assert [m.title for m in plan.measures] == ["加强组织领导", "严格考核问责"]
    assert plan.goal_blocks[0].text.startswith("到2025年")


def test_plan_keys_stay_unique_across_documents() -> None:
    a = read_text(CITY_PLAN, "a.txt")
    b = read_text(CITY_PLAN, "b.txt", taken_keys=[p.key for p in a.plans])
    assert b.plans[0].key == "air-2024-2025"


def test_numerals_and_slugs() -> None:
    assert [chinese_numeral(s) for s in ("一", "十", "十二", "二十", "二十三")] == [1, 10, 12, 20, 23]
    assert slugify("晋政办发〔2022〕95号") == "jzbf-2022-95"


def test_errors_a_user_can_cause(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such corpus folder"):
        read_corpus(tmp_path / "missing")
    with pytest.raises(DocumentError, match=r"no documents in this folder \(looked for \*\.txt, \*\.pdf"):
        read_corpus(tmp_path)
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(DocumentError, match="empty"):
        read_corpus(tmp_path)
    (tmp_path / "empty.txt").write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(DocumentError, match="neither UTF-8 nor GBK/GB18030"):
        read_corpus(tmp_path)
    (tmp_path / "empty.txt").unlink()
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DocumentError, match=r"save it as \.docx.*soffice --headless --convert-to docx old\.doc"):
        read_corpus(tmp_path)
    (tmp_path / "old.doc").unlink()
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "empty.txt").write_text("这是一份会议纪要。\n\n没有任何计划。")
    with pytest.raises(DocumentError, match="no plan found"):
        read_corpus(tmp_path)
