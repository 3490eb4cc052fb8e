"""An audit of the habits issue 14 lists ("What real plans do that the reader does not"), written from the list and
conventions.md before looking at the reader, in plans of fields and places the other tests do not use (a county's
schools, a prefecture's tourism, a province's grain reserves, a city's elderly care). One habit per test; each
sentence or short document is of its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from plan_kb.reading.deadlines import read_deadlines
from plan_kb.reading.goals import read_goals
from plan_kb.reading.model import Block
from plan_kb.reading.normalize import normalize
from plan_kb.reading.places import document_jurisdiction, document_province, read_places
from plan_kb.reading.quantities import read_quantities
from plan_kb.reading.roles import RoleContext, read_roles
from plan_kb.reading.structure import read_text

CNY = "http://qudt.org/vocab/currency/CNY"

TASKS = """为推进县域义务教育优质均衡发展,结合本县实际,制定本方案。

一、重点任务

1.扩充学位供给。新建改扩建中小学校舍。(县教育局牵头,县发展改革局配合)

2.加强教师队伍建设。补充紧缺学科教师。(县人社局牵头,县财政局配合)
"""


def one_plan(text: str):
    doc = read_text(text)
    assert len(doc.plans) == 1, [p.title for p in doc.plans]
    return doc, doc.plans[0]


def roles(text: str, context: RoleContext | None = None) -> list[tuple[str, str]]:
    return [(m.role, m.name) for m in read_roles(normalize(text).text, context=context).mentions]


# --- titles ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("title", [
    "陇南市乡村旅游提质增效行动方案（2024—2026年）",
    "陇南市乡村旅游提质增效行动方案(2024-2026年)",
    "某县学前教育普及普惠工作方案(征求意见稿)",
    "某县学前教育普及普惠工作方案（试行）",
    "关于进一步减轻义务教育阶段学生作业负担的若干措施",
    "某省粮食安全责任制考核实施意见",
    "某市2025年养老服务工作要点",
    "关于推动某县预制菜产业发展的实施方案",
])
def test_a_title_of_the_genre_is_found_by_its_position(title: str) -> None:
    _, plan = one_plan(f"{title}\n\n{TASKS}")
    assert plan.title == normalize(title).text
    assert [t.number for t in plan.tasks] == [1, 2]


def test_the_period_on_a_line_of_its_own_joins_the_title() -> None:
    _, plan = one_plan("陇南市乡村旅游提质增效行动方案\n（2024—2026年）\n\n" + TASKS)
    assert plan.title == "陇南市乡村旅游提质增效行动方案(2024—2026年)" and plan.period == (2024, 2026)


def test_a_title_broken_over_two_lines() -> None:
    _, plan = one_plan("某县推进县域商业体系建设\n三年行动计划\n\n" + TASKS)
    assert plan.title == "某县推进县域商业体系建设三年行动计划"


def test_an_annex_number_before_the_title() -> None:
    for lead in ("附件2\n\n", "附件2:", "附件 3\n"):
        _, plan = one_plan(f"{lead}某县学前教育普及普惠工作方案\n\n{TASKS}")
        assert plan.title == "某县学前教育普及普惠工作方案", lead


def test_a_title_only_announced_in_the_notice() -> None:
    text = ("某县人民政府办公室\n\n各乡镇人民政府,县直各部门:\n\n"
            "《某县学前教育普及普惠工作方案》已经县政府同意,现印发给你们,请认真抓好落实。\n\n" + TASKS)
    doc, plan = one_plan(text)
    assert plan.title == "某县学前教育普及普惠工作方案"
    assert any(d.kind == "title-from-notice" for d in doc.doubts)


def test_a_document_with_no_title_is_read_not_refused() -> None:
    doc, plan = one_plan(TASKS)
    assert [t.number for t in plan.tasks] == [1, 2] and doc.doubts


# --- numbering ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("one, two", [("1．", "2．"), ("1 .", "2 ."), ("（1）", "（2）"), ("①", "②"), ("1、", "2、")])
def test_numbering_forms(one: str, two: str) -> None:
    text = (f"某市养老服务体系建设实施方案\n\n为完善养老服务,制定本方案。\n\n一、主要任务\n\n{one}发展社区嵌入式养老。"
            f"建设街道综合养老服务中心。(市民政局牵头)\n\n{two}培育养老护理队伍。开展技能培训。(市人社局负责)\n")
    _, plan = one_plan(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "发展社区嵌入式养老"), (2, "培育养老护理队伍")]


def test_the_paren_items_are_the_tasks_when_nothing_is_numbered() -> None:
    text = ("某省2025年粮食和物资储备工作要点\n\n为做好全年工作,制定本要点。\n\n一、筑牢粮食安全防线\n\n"
            "(一)严格储备粮管理。开展库存数量质量大清查。(省粮食和储备局负责)\n\n"
            "(二)推进仓储设施建设。新建高标准粮仓。(省发展改革委牵头,省财政厅配合)\n\n二、提升应急保障能力\n\n"
            "(三)完善应急网点。每个县至少布设1个应急供应网点。(省粮食和储备局负责)\n")
    _, plan = one_plan(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "严格储备粮管理"), (2, "推进仓储设施建设"),
                                                         (3, "完善应急网点")]


def test_principles_are_not_tasks_and_restarting_numbers_keep_unique_keys() -> None:
    text = ("某市智慧教育示范区建设方案\n\n为推进教育数字化,制定本方案。\n\n一、基本原则\n\n1.坚持育人为本。\n\n"
            "2.坚持应用驱动。\n\n二、建设任务\n\n1.建设教育专网。(市教育局牵头)\n\n2.建设数据中台。(市大数据局牵头)\n\n"
            "三、应用任务\n\n1.推广智慧课堂。(市教育局负责)\n\n3.开展师生数字素养提升。(市教育局负责)\n")
    _, plan = one_plan(text)
    assert [t.number for t in plan.tasks] == [1, 2, 1, 3]
    assert len({t.key for t in plan.tasks}) == 4


def test_gaps_in_the_numbering_are_kept() -> None:
    _, plan = one_plan("某市养老服务工作方案\n\n为完善养老服务,制定本方案。\n\n一、重点任务\n\n1.甲。(市民政局负责)\n\n"
                       "2.乙。(市民政局负责)\n\n4.丁。(市民政局负责)\n")
    assert [t.number for t in plan.tasks] == [1, 2, 4]


# --- a task table written as rows -----------------------------------------------------------------------------------
TABLE_HEAD = ("某县2025年农村人居环境整治重点任务分工方案\n\n为改善农村人居环境,结合本县实际,制定本方案。\n\n"
              "各乡镇人民政府负责本辖区各项任务的组织实施,下表不再列出。\n\n")


@pytest.mark.parametrize("sep", ["\t", "    ", "\u3000", " \t "])
def test_a_task_table_with_tabs_or_spaces_reads_like_bar_rows(sep: str) -> None:
    rows = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "推进农村厕所革命。完成户厕改造2000户。", "县农业农村局", "县卫生健康局、县财政局", "2025年10月底前"],
            ["2", "治理农村生活污水。行政村生活污水治理率达到40%以上。", "县生态环境局", "县住建局", "2025年底前"]]
    text = TABLE_HEAD + "\n".join(sep.join(r) for r in rows) + "\n"
    _doc, plan = one_plan(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "推进农村厕所革命"), (2, "治理农村生活污水")]
    first = plan.tasks[0]  # the column a name stands in gives its role
    got = [(m.role, m.name) for m in read_roles(first.text, columns=first.columns).mentions]
    assert got == [("lead", "县农业农村局"), ("support", "县卫生健康局"), ("support", "县财政局")]
    assert [d.date for d in read_deadlines(first.text, None)] == [date(2025, 10, 31)]


def test_a_table_whose_columns_are_a_responsible_column() -> None:
    rows = [["序号", "工作任务", "责任单位", "时间节点"],
            ["1", "建设县级物流配送中心。", "县商务局、县交通运输局", "2025年6月底前"]]
    _doc, plan = one_plan(TABLE_HEAD + "\n".join("\t".join(r) for r in rows) + "\n")
    task = plan.tasks[0]
    got = [(m.role, m.name) for m in read_roles(task.text, columns=task.columns).mentions]
    assert got == [("responsible", "县商务局"), ("responsible", "县交通运输局")]


def test_a_standing_paragraph_before_the_table() -> None:
    from plan_kb.reading.tables import plan_standing_notes
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], ["1", "推进农村厕所革命。", "县农业农村局", "2025年底前"]]
    doc, plan = one_plan(TABLE_HEAD + "\n".join("\t".join(r) for r in rows) + "\n")
    notes = plan_standing_notes(doc, plan)
    assert [[a.name for a in n.actors] for n in notes] == [["各乡镇人民政府"]]


# --- role notes ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b", [("（", "）"), ("(", ")"), ("〔", "〕"), ("[", "]"), ("【", "】")])
def test_every_bracket(a: str, b: str) -> None:
    assert roles(f"开展景区服务质量提升行动。{a}州文旅局牵头,州市场监管局参与{b}") == [
        ("lead", "州文旅局"), ("support", "州市场监管局")]


def test_several_notes_in_one_item() -> None:
    text = "建设游客集散中心。【州文旅局牵头】完善旅游交通标识。【州交通运输局负责,州文旅局协同】"
    assert roles(text) == [("lead", "州文旅局"), ("responsible", "州交通运输局"), ("support", "州文旅局")]


def test_labelled_notes_inside_brackets() -> None:
    assert roles("开展储备粮轮换。（牵头单位：省粮食和储备局；配合单位：省财政厅、农发行省分行）") == [
        ("lead", "省粮食和储备局"), ("support", "省财政厅"), ("support", "农发行省分行")]
    assert roles("开展储备粮轮换。〔责任单位：省粮食和储备局、省财政厅〕") == [
        ("responsible", "省粮食和储备局"), ("responsible", "省财政厅")]


def test_labelled_note_on_a_line_of_its_own() -> None:
    assert roles("开展储备粮轮换。\n牵头单位：省粮食和储备局\n配合单位：省财政厅") == [
        ("lead", "省粮食和储备局"), ("support", "省财政厅")]
    assert roles("开展储备粮轮换。\n责任单位：省粮食和储备局牵头，省财政厅按职责分工负责") == [
        ("lead", "省粮食和储备局"), ("responsible", "省财政厅")]


@pytest.mark.parametrize("word, role", [("参与", "support"), ("协同", "support"), ("牵头督导", "lead"),
                                        ("具体负责", "responsible"), ("按职责分工负责", "responsible")])
def test_role_words_of_other_styles(word: str, role: str) -> None:
    assert roles(f"建设智慧养老平台。(市民政局{word})") == [(role, "市民政局")]


def test_a_level_prefix_shared_by_a_list() -> None:
    assert roles("优化审批服务。(县发改委、工信局、行政审批局牵头)") == [
        ("lead", "县发改委"), ("lead", "县工信局"), ("lead", "县行政审批局")]


def test_collectives() -> None:
    assert roles("落实属地责任。(各县（市、区）人民政府负责)") == [("responsible", "各县(市、区)人民政府")]
    assert roles("落实属地责任。(各区政府负责)") == [("responsible", "各区政府")]
    assert roles("落实属地责任。(各县、区人民政府(管委会)负责)") == [
        ("responsible", "各县人民政府"), ("responsible", "各区人民政府(管委会)")]
    assert roles("落实属地责任。(各市、州人民政府负责)") == [
        ("responsible", "各市人民政府"), ("responsible", "各州人民政府")]


def test_a_standing_note_inside_a_mid_item_note() -> None:
    reading = read_roles(normalize(
        "完善养老服务网络。(市民政局牵头;以下各项任务均需各区人民政府负责落实,不再列出)").text)
    assert [(m.role, m.name) for m in reading.mentions] == [("lead", "市民政局")]
    assert [[a.name for a in n.actors] for n in reading.notes] == [["各区人民政府"]]


def test_a_positional_rule_with_xiatong_carries_to_later_items() -> None:
    context = RoleContext()
    first = roles("建设旅游公路。【责任单位：州交通运输局、州文旅局，列第一位者为牵头单位，下同】", context)
    later = roles("打造精品线路。【责任单位：州文旅局、州交通运输局、各县人民政府】", context)
    assert first == [("lead", "州交通运输局"), ("support", "州文旅局")]
    assert later == [("lead", "州文旅局"), ("support", "州交通运输局"), ("support", "各县人民政府")]


def test_a_positional_rule_without_xiatong_stays_in_its_item() -> None:
    context = RoleContext()
    roles("建设旅游公路。(州交通运输局、州文旅局,列第一位者为牵头单位)", context)
    assert roles("打造精品线路。(责任单位:州文旅局、州交通运输局)", context) == [
        ("responsible", "州文旅局"), ("responsible", "州交通运输局")]


def test_a_role_word_beats_the_positional_rule() -> None:
    context = RoleContext(first_leads=True)
    assert roles("打造精品线路。【责任单位：州文旅局、州交通运输局，各县人民政府按职责分工负责】", context) == [
        ("lead", "州文旅局"), ("support", "州交通运输局"), ("responsible", "各县人民政府")]


def test_a_name_with_its_own_province_inside_takes_no_level_prefix() -> None:
    assert roles("加大信贷支持。（省财政厅、人民银行甘肃省分行配合）") == [
        ("support", "省财政厅"), ("support", "人民银行甘肃省分行")]


def test_a_company_suffix_is_not_given_to_a_government_body() -> None:
    assert roles("建设物流信息平台。(省数据局、省交通运输厅、中国铁路兰州局集团有限公司负责)") == [
        ("responsible", "省数据局"), ("responsible", "省交通运输厅"), ("responsible", "中国铁路兰州局集团有限公司")]


# --- values ----------------------------------------------------------------------------------------------
def values(text: str) -> list[tuple[str, Decimal, str]]:
    return [(q.comparator, q.value, q.unit.iri) for q in read_quantities(normalize(text).text)]


def test_units_in_words_and_the_dust_fall_unit() -> None:
    assert values("中心城区细颗粒物年均浓度控制在29微克每立方米以内。")[0][:2] == ("<=", Decimal(29))
    assert values("城区降尘量不高于3吨/平方千米·月。")[0][:2] == ("<=", Decimal(3))


def test_times_allowed_are_limits_not_deadlines() -> None:
    for text in ("不动产抵押登记时限压缩至3周以内。", "企业开办时间不超过2天。"):
        assert values(text), text
        assert read_deadlines(normalize(text).text, (2024, 2025)) == [], text


def test_counts_of_people_and_money() -> None:
    got = values("每年培训养老护理员2000名左右,撬动社会资本100亿元以上。")
    assert [(c, v) for c, v, _ in got] == [("=", Decimal(2000)), (">=", Decimal(10_000_000_000))]
    assert got[1][2] == CNY


def test_a_goal_with_its_year_and_a_heading_that_is_no_goal() -> None:
    text = "(一)养老服务目标\n到2027年,全市养老机构护理型床位占比达到65%以上,基本实现街道综合养老服务中心全覆盖。"
    goals = read_goals([Block(t, 0) for t in normalize(text).text.split("\n")])
    quantified = [g for g in goals if g.quantity is not None]
    assert [(g.quantity.value, g.year) for g in quantified] == [(Decimal(65), 2027)]
    assert not any(g.text == "养老服务目标" for g in goals)


# --- deadlines ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("2024年6月底前完成校舍安全排查。", [("By", date(2024, 6, 30))]),
    ("2025年第一季度出台实施细则。", [("By", date(2025, 3, 31))]),
    ("每年年底前报送工作总结。", [("Recurring", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31")]),
    ("新建小区配套养老设施5年内建成。", [("Relative", "P5Y")]),
    ("巩固整治成效,长期坚持。", []),
    ("2025年10月前完成竣工验收。", [("By", date(2025, 10, 31))]),
    ("持续推进适老化改造。", []),
])
def test_deadline_forms(text: str, want: list) -> None:
    got = [(d.kind, d.date or d.rrule or d.offset) for d in read_deadlines(normalize(text).text, (2024, 2026))]
    assert got == want


# --- places ----------------------------------------------------------------------------------------------
def test_the_own_province_inside_an_agency_or_a_fund_is_no_place() -> None:
    gansu = document_province("甘肃省人民政府办公厅")
    got = read_places("用好甘肃省文化旅游产业发展基金,由甘肃省文旅厅统筹。", gansu).refs()
    assert got == []


def test_districts_without_their_ending_in_a_list() -> None:
    shanghai = document_province("上海市人民政府办公厅")
    own = document_jurisdiction("上海市人民政府办公厅")
    got = [r.label for r in read_places("在青浦、杨浦、徐汇开展试点。", shanghai, own=own).refs()]
    assert got == ["青浦区", "杨浦区", "徐汇区"]


def test_hong_kong_macao_and_the_yangtze() -> None:
    got = [r.label for r in read_places("深化与港澳的文旅合作,打造长江国际黄金旅游带。").refs()]
    assert got == ["香港特别行政区", "澳门特别行政区", "长江"] or got == ["香港", "澳门", "长江"]


def test_labelled_lines_after_an_item_and_paren_numbers_are_never_joined() -> None:
    text = ("某县义务教育攻坚行动方案\n\n为推进均衡发展,制定本方案。\n\n一、重点任务\n\n（1）扩充学位。新建城关小学\n"
            "牵头单位：县教育局\n配合单位：县发展改革局、县住建局\n\n（2）补齐短板。改造学校宿舍\n"
            "〔县教育局牵头，县财政局配合〕\n\n① 加强培训。开展轮训\n")
    _, plan = one_plan(text)
    assert [t.number for t in plan.tasks] == [1, 2]
    first = plan.tasks[0]
    assert [(m.role, m.name) for m in read_roles(first.text).mentions] == [
        ("lead", "县教育局"), ("support", "县发展改革局"), ("support", "县住建局")]


def test_a_task_table_inside_a_numbered_section() -> None:
    text = ("某区2025年优化营商环境重点任务分工方案\n\n为持续优化营商环境,制定本方案。\n\n一、总体要求\n\n"
            "坚持问题导向。\n\n二、重点任务\n\n序号\t工作任务\t责任单位\t完成时限\n"
            "1\t压缩企业开办时间。企业开办时间压缩至1个工作日以内。\t区市场监管局牵头，区税务局配合\t2025年6月底前\n"
            "2\t推行惠企政策免申即享。\t区发展改革委、区财政局\t长期坚持\n\n三、保障措施\n\n(一)加强组织领导。建立工作专班。\n")
    _, plan = one_plan(text)
    assert [(t.number, t.title, t.heading.label if t.heading else None) for t in plan.tasks] == [
        (1, "压缩企业开办时间", "二、重点任务"), (2, "推行惠企政策免申即享", "二、重点任务")]
    first, second = plan.tasks
    assert [(m.role, m.name) for m in read_roles(first.text, columns=first.columns).mentions] == [
        ("lead", "区市场监管局"), ("support", "区税务局")]
    assert [(m.role, m.name) for m in read_roles(second.text, columns=second.columns).mentions] == [
        ("responsible", "区发展改革委"), ("responsible", "区财政局")]
    assert [m.title for m in plan.measures] == ["加强组织领导"]



def test_a_positional_rule_in_a_paragraph_under_the_tasks_heading() -> None:
    from plan_kb.reading.tables import plan_role_context
    text = ("某市文旅消费提振工作方案\n\n为提振文旅消费,制定本方案。\n\n一、重点任务\n\n"
            "以下各项任务中,列第一位的为牵头单位,其他为配合单位。\n\n"
            "1.举办消费季活动。(市文旅局、市商务局)\n\n2.发放文旅消费券。(市商务局、市财政局)\n")
    doc, plan = one_plan(text)
    context = plan_role_context(doc, plan)
    got = [[(m.role, m.name) for m in read_roles(t.text, context=context).mentions] for t in plan.tasks]
    assert got == [[("lead", "市文旅局"), ("support", "市商务局")], [("lead", "市商务局"), ("support", "市财政局")]]
    assert not read_roles(normalize("(市文旅局、市商务局,列第一位的为牵头单位,其他为配合单位)").text).doubts


def test_a_table_header_without_a_number_column() -> None:
    rows = [["工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "建设县级物流配送中心。", "县商务局", "县交通运输局", "2025年6月底前"]]
    _, plan = one_plan(TABLE_HEAD + "\n".join("  ".join(r) for r in rows) + "\n")
    task = plan.tasks[0]
    assert [(m.role, m.name) for m in read_roles(task.text, columns=task.columns).mentions] == [
        ("lead", "县商务局"), ("support", "县交通运输局")]


def test_a_notice_without_its_file_header_names_its_issuer_on_the_first_line() -> None:
    text = ("南宁市青秀区人民政府办公室\n各街道办事处:\n\n"
            "《青秀区促进夜间经济发展若干措施》已经区人民政府同意,现印发给你们。\n\n" + TASKS)
    doc, plan = one_plan(text)
    assert doc.notice.issuer == "南宁市青秀区人民政府办公室" and plan.title == "青秀区促进夜间经济发展若干措施"


def test_a_responsibility_with_xiatong_holds_for_later_tasks() -> None:
    note = "建设种植基地。（州农业农村局牵头，州林业局配合；各县（市）人民政府负责落实，下同）"
    reading = read_roles(normalize(note).text)
    assert [(m.role, m.name) for m in reading.mentions] == [
        ("lead", "州农业农村局"), ("support", "州林业局"), ("responsible", "各县(市)人民政府")]
    assert [[a.name for a in n.actors] for n in reading.notes] == [["各县(市)人民政府"]]
    # a positional rule's 下同 is no responsibility
    ruled = read_roles(normalize("（责任单位：州农业农村局、州林业局，列第一位者为牵头单位，下同）").text,
                       context=RoleContext())
    assert ruled.notes == []


def test_numbering_that_restarts_under_each_paren_heading_keeps_unique_keys() -> None:
    text = ("某州中药材产业发展工作方案\n\n为发展中药材产业,制定本方案。\n\n一、主要任务\n\n(一)建设种植基地\n\n"
            "1.推进基地建设。(州农业农村局牵头)\n\n2.加强种苗繁育。(州农业农村局牵头)\n\n(二)培育龙头企业\n\n"
            "1.壮大加工企业。(州工信局牵头)\n\n2.打造区域品牌。(州市场监管局牵头)\n")
    doc, plan = one_plan(text)
    assert [t.key for t in plan.tasks] == ["task/1-1-1", "task/1-1-2", "task/1-2-1", "task/1-2-2"]
    assert not [d for d in doc.doubts if d.kind == "number-repeated"]


def test_a_label_in_brackets_of_its_own_and_a_label_after_the_items_sentence() -> None:
    assert roles("发放文旅消费券。【责任单位】市商务局、市财政局") == [
        ("responsible", "市商务局"), ("responsible", "市财政局")]
    assert roles("发放文旅消费券。责任单位：市商务局（牵头）、市财政局") == [
        ("lead", "市商务局"), ("responsible", "市财政局")]


def test_dates_without_their_year_in_a_plan_of_one_year() -> None:
    from plan_kb.reading.tables import row_deadlines
    from plan_kb.reading.yearless import plan_year
    text = ("某市2025年养老服务工作要点\n\n为做好全年工作,制定本要点。\n\n一、重点任务\n\n"
            "1.开展摸底。6月底前完成全市老年人能力评估,年底前建成信息平台。(市民政局牵头)\n\n"
            "2.出台细则。3月31日前出台实施细则,每年6月底前报送进展。(市民政局负责)\n")
    _, plan = one_plan(text)
    year = plan_year(plan.title, plan.period)
    assert year == 2025 and plan_year("某市养老服务方案(2024—2026年)", (2024, 2026)) is None
    got = [[(d.kind, d.date or d.rrule) for d in row_deadlines(t, plan.period, None, year)] for t in plan.tasks]
    assert got == [[("By", date(2025, 6, 30)), ("By", date(2025, 12, 31))],
                   [("By", date(2025, 3, 31)), ("Recurring", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30")]]
    assert all(d.requirement for t in plan.tasks for d in row_deadlines(t, plan.period, None, year))


def test_within_the_year_and_a_half_year_without_their_year() -> None:
    from plan_kb.reading.tables import row_deadlines
    from plan_kb.reading.yearless import plan_year
    text = ("某县2026年就业工作要点\n\n为做好就业工作,制定本要点。\n\n一、重点任务\n\n"
            "1.开发公益岗位。年内开发公益性岗位300个,上半年完成岗位摸底。(县人社局负责)\n\n"
            "2.开展技能培训。纳入名录一年内完成培训,全年内培训不超过3期。(县人社局负责)\n")
    _, plan = one_plan(text)
    year = plan_year(plan.title, plan.period)
    got = [[(d.kind, d.date or d.offset) for d in row_deadlines(t, plan.period, None, year)] for t in plan.tasks]
    assert got[0] == [("By", date(2026, 12, 31)), ("By", date(2026, 6, 30))]
    assert ("By", date(2026, 12, 31)) not in got[1]  # 一年内 is a relative period, 全年内 no date


def test_a_bracketed_paragraph_before_the_tasks_with_a_positional_rule_and_a_standing_note() -> None:
    from plan_kb.reading.tables import plan_standing_notes
    doc, plan = one_plan("长沙县2025年养老服务提升行动方案\n\n为提升养老服务水平,制定本方案。\n\n一、重点任务\n\n"
                         "(各项任务责任单位列第一位者为牵头单位,下同。以下各项任务均需各镇人民政府负责落实,不再列出)\n\n"
                         "1.建设社区养老服务中心。2025年底前建成10个。(县民政局、县财政局)\n")
    assert [[a.name for a in n.actors] for n in plan_standing_notes(doc, plan)] == [["各镇人民政府"]]


@pytest.mark.parametrize("heading, kind", [("行动目标", "goals"), ("主要目标", "goals"), ("目标任务", "section"),
                                           ("工作目标和重点任务", "section")])
def test_a_goals_heading_by_its_last_word(heading: str, kind: str) -> None:
    from plan_kb.reading.structure import _section_kind
    assert _section_kind(heading) == kind
