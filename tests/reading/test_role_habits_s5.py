"""Role habits of the genre met in session 5 (issue 14), each on sentences of their own, in fields, places and voices
the documents that showed them do not use: an agency's other name in brackets (一个机构两块牌子), labelled lines with
督办单位 / 落实单位 and a person's post, a line that copies another task's roles, and an annex that gives the body's
tasks their roles by ordinal."""

from __future__ import annotations

import pytest

from plan_kb.reading.annex_refs import numeral, task_refs
from plan_kb.reading.item_roles import item_roles
from plan_kb.reading.normalize import normalize
from plan_kb.reading.role_names import other_name
from plan_kb.reading.role_words import _default_known
from plan_kb.reading.roles import find_notes, read_roles
from plan_kb.reading.structure import read_text
from plan_kb.reading.tables import plan_role_context


def mentions(text: str) -> list[tuple[str, str, str | None]]:
    t = normalize(text).text
    return [(m.role, m.name, m.other[0] if m.other else None) for m in read_roles(t).mentions]


def plan_roles(text: str) -> dict[int, list[tuple[str, str]]]:
    doc = read_text(text)
    plan = doc.plans[0]
    context = plan_role_context(doc, plan)
    return {i.number: [(m.role, m.name) for m in item_roles(doc.text, i, context).mentions]
            for i in plan.items if i.kind == "task"}


# --- an agency's other name in brackets -----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # full-width brackets in a bracketed note
    ("加强草原防火巡查。（市林业局（市草原局）牵头，市应急局配合）",
     [("lead", "市林业局", "市草原局"), ("support", "市应急局", None)]),
    # half-width, the alias in the middle of a list
    ("建成地震监测台网。(区住建委、区应急局(区地震局)、区水务局按职责分工负责)",
     [("responsible", "区住建委", None), ("responsible", "区应急局", "区地震局"), ("responsible", "区水务局", None)]),
    # a labelled line whose list ends with the alias
    ("开展出版物市场检查。\n责任单位：县文化和旅游局、县委宣传部（县新闻出版局）",
     [("responsible", "县文化和旅游局", None), ("responsible", "县委宣传部", "县新闻出版局")]),
])
def test_a_bracketed_agency_name_right_after_a_name_is_its_other_name(text, expected) -> None:
    assert mentions(text) == expected


def test_the_other_name_keeps_its_span_and_the_name_its_written_form() -> None:
    t = normalize("推进口岸通关便利化。(州商务局(州口岸办)牵头,州税务局配合)").text
    m = read_roles(t).mentions[0]
    assert t[m.start:m.end] == "州商务局(州口岸办)"
    name, a, b = m.other
    assert t[a:b] == name == "州口岸办"


def test_an_other_name_at_the_end_of_a_paragraph_is_no_bare_note() -> None:
    t = normalize("完善养老服务设施。\n牵头单位:区民政局(区老龄办)").text
    assert [form for *_, form in find_notes(t)] == ["line"]
    assert mentions(t) == [("lead", "区民政局", "区老龄办")]


def test_a_role_note_right_after_a_name_is_still_a_note() -> None:
    # a role word alone: that name's own role
    assert mentions("(市交通运输局(牵头)、市公安局交警支队按职责分工负责)") == [
        ("lead", "市交通运输局", None), ("responsible", "市公安局交警支队", None)]
    # another agency with its role word, inside a labelled line: a note of its own
    assert mentions("整治占道经营。\n责任单位:市城管局(市市场监管局配合)、各区政府") == [
        ("responsible", "市城管局", None), ("responsible", "各区政府", None), ("support", "市市场监管局", None)]
    # a bare list after a sentence that ends in a word like a unit's (文化站): a note, not an other name
    t = normalize("建设乡镇综合文化站(县文旅局)").text
    assert [form for *_, form in find_notes(t)] == ["bare"]


@pytest.mark.parametrize("inside, alias", [
    ("市中医药管理局", True), ("区地震局", True), ("县新闻出版局", True),
    ("管委会", False),  # 区人民政府(管委会): part of its own name
    ("主管部门", False),  # a generic word, no body
    ("牵头", False), ("市发改委配合", False), ("牵头单位", False),
    ("市财政局、市税务局", False),  # a list is a note
])
def test_what_an_other_name_is(inside: str, alias: bool) -> None:
    assert other_name(inside, _default_known()) is alias


# --- labelled lines -----------------------------------------------------------------------------------------------

def test_supervising_and_carrying_out_labels_and_a_persons_post() -> None:
    text = ("3.整治农村饮用水源地。排查水源保护区内违法建筑。\n责任领导:区政府分管副区长\n主办单位:区水务局\n"
            "协办单位:区生态环境分局、区农业农村局\n落实单位:各街道(镇)\n督办单位:区委督查室")
    t = normalize(text).text
    reading = read_roles(t)
    assert [(m.role, m.name) for m in reading.mentions] == [
        ("lead", "区水务局"), ("support", "区生态环境分局"), ("support", "区农业农村局"),
        ("responsible", "各街道(镇)"), ("guide", "区委督查室")]
    assert not any("副区长" in m.name for m in reading.mentions)  # a person is no agency
    assert any("责任领导" in d[0] and "person" in d[0] for d in reading.doubts)


def test_a_persons_post_inside_a_note_is_no_agency_either() -> None:
    t = normalize("优化营商环境。(责任单位:招商服务中心牵头,经发局配合;督办领导:分管副主任)").text
    reading = read_roles(t)
    assert [(m.role, m.name) for m in reading.mentions] == [("lead", "招商服务中心"), ("support", "经发局")]
    assert any("督办领导" in d[0] for d in reading.doubts)


PLAN_WITH_COPIES = """某旗2025年草原保护工作方案

为加强草原生态保护，制定本方案。

一、重点任务

1.落实草畜平衡制度。核定载畜量，签订责任书。
主办单位：旗林业和草原局
协办单位：旗农牧局、旗财政局
落实单位：各苏木镇人民政府

2.开展禁牧巡查。每季度巡查一次。
主办单位、协办单位同第1项。
落实单位：旗草原监督管理所

3.推进退化草原修复。完成修复面积5万亩。
责任领导：旗委常委、副旗长
主办单位：旗发展和改革委员会
协办单位、落实单位均同第1项
"""


def test_a_line_copies_the_roles_of_another_task_for_the_labels_it_names() -> None:
    got = plan_roles(PLAN_WITH_COPIES)
    assert got[2] == [("responsible", "旗草原监督管理所"), ("lead", "旗林业和草原局"), ("support", "旗农牧局"),
                      ("support", "旗财政局")]
    assert got[3] == [("lead", "旗发展和改革委员会"), ("support", "旗农牧局"), ("support", "旗财政局"),
                      ("responsible", "各苏木镇人民政府")]


def test_a_copy_of_a_task_not_read_before_is_a_doubt() -> None:
    doc = read_text(PLAN_WITH_COPIES.replace("主办单位、协办单位同第1项。", "主办单位、协办单位同第9项。"))
    plan = doc.plans[0]
    context = plan_role_context(doc, plan)
    readings = [item_roles(doc.text, i, context) for i in plan.items]
    assert any("task 9" in d[0] for d in readings[1].doubts)


# --- an annex of roles by ordinal ---------------------------------------------------------------------------------

@pytest.mark.parametrize("line, numbers", [
    ("第一项　市卫健委牵头，市医保局配合。", [1]),
    ("第二项、第三项：市教育局牵头，各县区政府负责落实。", [2, 3]),
    ("第四项至第七项 市住建局牵头", [4, 5, 6, 7]),
    ("第12项 区商务委负责", [12]),
    ("第（三）项　县水利局牵头，县财政局配合", [3]),
    ("任务1-3　市交通运输局牵头", [1, 2, 3]),
    ("任务4、任务6 市公安局负责", [4, 6]),
    ("第二十一项 省统计局牵头", [21]),
])
def test_annex_lines_name_tasks_by_ordinal(line: str, numbers: list[int]) -> None:
    got = task_refs(normalize(line).text)
    assert got is not None and got[0] == numbers


def test_a_line_that_names_a_task_but_no_role_is_no_roles_line() -> None:
    assert task_refs("第一项工作是摸清底数。") is None
    assert numeral("十") == 10 and numeral("三十五") == 35 and numeral("一百零二") == 102


ANNEX_PLAN = """某市关于促进托育服务发展的若干措施

为扩大普惠托育服务供给，提出以下措施。

一、扩大服务供给

（一）建设综合托育中心。每个县区至少建成1个。

（二）发展社区托育点。新增托位2000个。

二、强化要素保障

（三）落实用地保障。优先安排托育设施用地。

（四）加强人才培养。开展托育从业人员培训。

附件

重点任务分工

第一项　市卫生健康委牵头，市发展改革委、市住房城乡建设局配合，各县区人民政府负责落实。
第二项　市卫生健康委、市民政局牵头，各县区人民政府负责落实。
第三项至第四项　市自然资源局牵头，市人力资源社会保障局配合。
"""


def test_an_annex_gives_the_body_tasks_their_roles_by_ordinal() -> None:
    got = plan_roles(ANNEX_PLAN)
    assert got[1] == [("lead", "市卫生健康委"), ("support", "市发展改革委"), ("support", "市住房城乡建设局"),
                      ("responsible", "各县区人民政府")]
    assert got[2] == [("lead", "市卫生健康委"), ("lead", "市民政局"), ("responsible", "各县区人民政府")]
    assert got[3] == got[4] == [("lead", "市自然资源局"), ("support", "市人力资源社会保障局")]


def test_roles_in_an_annex_line_keep_their_spans() -> None:
    doc = read_text(ANNEX_PLAN)
    plan = doc.plans[0]
    context = plan_role_context(doc, plan)
    task = next(i for i in plan.items if i.number == 3)
    for m in item_roles(doc.text, task, context).mentions:
        assert doc.text[m.start:m.end] == m.name
        assert m.start > doc.text.index("附件")


def test_a_shared_government_suffix_after_prefectures_of_a_province() -> None:
    assert mentions("(海西州、玉树州人民政府负责落实)") == [
        ("responsible", "海西州人民政府", None), ("responsible", "玉树州人民政府", None)]
