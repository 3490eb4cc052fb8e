"""Habits of published plans (session 4's survey of real 实施方案 / 工作要点 / 任务分解 texts of provinces, cities and
counties, issue 14) that the reader did not yet handle. Each habit on a sentence of its own, in fields and places the
dev documents do not use (a county's rural roads, a city's foreign trade, a district's schools, a province's
courts); none is copied from a published text."""

from __future__ import annotations

from decimal import Decimal

from plan_kb.reading.normalize import normalize
from plan_kb.reading.places import document_jurisdiction, document_province, read_places
from plan_kb.reading.quantities import read_quantities
from plan_kb.reading.roles import read_roles
from plan_kb.reading.structure import read_text


def roles(text: str) -> list[tuple[str, str]]:
    return [(m.role, m.name) for m in read_roles(normalize(text).text).mentions]


def doubts(text: str) -> list[str]:
    return [d[0] for d in read_roles(normalize(text).text).doubts]


def places(text: str, issuer: str | None = None) -> list[str]:
    own = document_jurisdiction(issuer) if issuer else None
    province = document_province(issuer) if issuer else None
    return [r.label for r in read_places(text, province, own=own).refs()]


def values(text: str) -> list[tuple[str, Decimal, str]]:
    return [(q.comparator, q.value, q.unit.symbol) for q in read_quantities(normalize(text).text)]


# --- roles ---------------------------------------------------------------------------------------------------------
def test_hui_tong_makes_the_first_named_lead_and_the_others_support() -> None:
    # "X会同Y负责": X convenes Y; X leads and Y supports, whatever the verb (a choice where conventions.md is silent)
    assert roles("(县交通运输局会同县公安局、县应急管理局负责)") == [
        ("lead", "县交通运输局"), ("support", "县公安局"), ("support", "县应急管理局")]
    assert roles("(区教育局会同区卫生健康委落实,各街道配合)") == [
        ("lead", "区教育局"), ("support", "区卫生健康委"), ("support", "各街道")]


def test_a_deadline_label_inside_a_role_note_is_no_doubt() -> None:
    note = "(牵头单位:市商务局;责任单位:各县(市、区)人民政府;完成时限:2025年9月底前)"
    assert roles(note) == [("lead", "市商务局"), ("responsible", "各县(市、区)人民政府")]
    assert doubts(note) == []
    assert doubts("(责任单位:县交通运输局,完成时间:长期坚持)") == []


def test_vertical_units_that_name_their_own_place_take_no_shared_level() -> None:
    # a customs house or a bank branch is not a body of the county: the list's 县 is not theirs
    assert roles("(县商务局牵头,县税务局、黄埔海关、人民银行佛冈县支行配合)") == [
        ("lead", "县商务局"), ("support", "县税务局"), ("support", "黄埔海关"), ("support", "人民银行佛冈县支行")]
    assert roles("(市金融办牵头,农业银行某某分行、市财政局配合)")[1] == ("support", "农业银行某某分行")


def test_party_bodies_and_mass_organisations_keep_their_own_names() -> None:
    assert roles("(县委宣传部牵头,团县委、县妇联、县科协、县总工会配合)") == [
        ("lead", "县委宣传部"), ("support", "团县委"), ("support", "县妇联"), ("support", "县科协"),
        ("support", "县总工会")]


# --- structure -----------------------------------------------------------------------------------------------------
def test_a_labelled_line_ending_in_a_whole_name_ends_its_item() -> None:
    # the closing paragraph after the last task's labelled line is not part of that line
    text = ("某省法院系统提升审判质效若干措施\n\n为提升审判质效,制定以下措施。\n\n一、提速\n\n"
            "(一)压缩审理周期。推进繁简分流。\n牵头单位:省高级人民法院;配合单位:省司法厅、省律师协会\n\n"
            "各级法院要抓好落实,省高级人民法院要会同有关部门加强督导。本措施自印发之日起施行。\n")
    doc = read_text(text)
    task = doc.plans[0].tasks[-1]
    assert "各级法院要抓好落实" not in task.text
    got = [(m.role, m.name) for m in read_roles(task.text).mentions]
    assert got == [("lead", "省高级人民法院"), ("support", "省司法厅"), ("support", "省律师协会")]


def test_a_labelled_line_cut_inside_a_name_still_runs_on() -> None:
    n = normalize("牵头单位:县发展和改革局;配合单位:县财政局、县自然\n资源局\n")
    assert "县自然资源局" in n.text


# --- values --------------------------------------------------------------------------------------------------------
def test_a_time_allowed_with_yi_nei_after_the_days() -> None:
    assert values("一审民事案件平均审理周期压缩至60天以内。") == [("<=", Decimal("60"), "天")]
    # a date's 日 before 以前 stays no duration
    assert values("每月5日以前报送进展。") == []


def test_tu_po_is_more_than() -> None:
    assert values("到2026年,全市外贸经营主体突破3000家。") == [(">", Decimal("3000"), "个")]


# --- places --------------------------------------------------------------------------------------------------------
def test_a_province_inside_a_company_or_after_a_verb_is_no_lake_or_river() -> None:
    assert places("国网湖南省电力有限公司负责配套电网改造。") == []
    assert places("由国网江西省电力有限公司实施。发挥湖南省中小企业发展基金作用。") == []


def test_a_lake_after_huan_and_before_shui_yu() -> None:
    assert places("建立环骆马湖、石臼湖水域联合执法机制。") == ["骆马湖", "石臼湖"]


def test_one_river_one_policy_is_no_river_and_district_towns_no_town() -> None:
    assert places("对重点河段实行“一河一策”,各区镇落实属地责任。") == []


# --- goals ---------------------------------------------------------------------------------------------------------
def test_a_goal_in_the_opening_sentence_with_li_zheng_dao_and_tu_po() -> None:
    from plan_kb.reading.goals import read_goals
    from plan_kb.reading.model import Block

    text = "为加快外贸提质增效,力争到2026年,全市外贸经营主体突破3000家,进出口规模稳居全省前列,制定以下措施。"
    got = [(g.year, g.quantity.value if g.quantity else None) for g in read_goals([Block(normalize(text).text, 0)])]
    assert got == [(2026, Decimal("3000")), (2026, None)]


def test_the_preamble_of_a_plan_announced_only_in_its_notice_is_the_plans() -> None:
    # after the notice's signature (issuer, date, publication mark) the plan's own words begin: its goals count
    text = ("某县农村公路管理养护中心\n\n各乡镇人民政府,县直有关单位:\n\n"
            "《某县2026年农村公路养护工作要点》已经县人民政府同意,现印发给你们,请认真贯彻落实。\n\n"
            "某县农村公路管理养护中心\n2026年3月2日\n\n(此件公开发布)\n\n"
            "2026年全县农村公路养护工作的主要目标是:优良中等路率达到85%以上。\n\n"
            "一、重点任务\n\n(一)开展路况检测。完成县乡道路况自动化检测。(县交通运输局负责)\n\n"
            "(二)整治危桥。完成危桥改造5座。(县交通运输局牵头,县财政局配合)\n")
    plan = read_text(text).plans[0]
    assert plan.title == "某县2026年农村公路养护工作要点"
    assert [b.text[:6] for b in plan.goal_blocks] == ["2026年全"]
    assert [t.number for t in plan.tasks] == [1, 2]


def test_the_two_ends_of_a_route_written_short() -> None:
    got = places("加快建设韶关至南雄城际快速通道和京港澳高速扩容工程。", "广东省人民政府办公厅")
    assert got == ["韶关市", "南雄市"]


def test_a_maritime_office_is_a_whole_name() -> None:
    assert roles("责任单位:市交通运输局、市水利局、韶关海事处") == [
        ("responsible", "市交通运输局"), ("responsible", "市水利局"), ("responsible", "韶关海事处")]


def test_a_page_number_line_of_a_pdf_is_dropped_and_the_sentence_runs_on() -> None:
    n = normalize("2.改造老旧泵站。2026年汛期前完成城区3座泵站改造,同步\n— 7 —\n"
                  "建设智能监测系统。\n-8-\n(县水利局负责)\n")
    assert n.text == "2.改造老旧泵站。2026年汛期前完成城区3座泵站改造,同步建设智能监测系统。\n(县水利局负责)"
    assert [h.kind for h in n.healings] == ["page-number", "page-number"]
    assert normalize("第3页 共12页\n").text == ""


def test_a_collective_inside_a_list_takes_no_level_prefix() -> None:
    assert roles("(县林业局牵头,县水利局、沿河各乡镇人民政府配合)") == [
        ("lead", "县林业局"), ("support", "县水利局"), ("support", "沿河各乡镇人民政府")]


def test_a_deadline_label_restating_the_text_is_one_deadline_and_alone_is_due_for_the_task() -> None:
    from plan_kb.reading.model import Item
    from plan_kb.reading.tables import row_deadlines

    text = normalize("3.建设村级服务站。2026年9月底前建成服务站20个。\n牵头单位:县商务局\n完成时限:2026年9月底前").text
    got = row_deadlines(Item("task", "p", 3, "建设村级服务站", text, 0, None))
    assert [(d.kind, str(d.date)) for d in got] == [("By", "2026-09-30")]
    text = normalize("4.推进数字乡村。建设县级平台。\n牵头单位:县数据局\n完成时限:2027年6月底前").text
    [d] = row_deadlines(Item("task", "p", 4, "推进数字乡村", text, 0, None))
    assert (str(d.date), d.requirement) == ("2027-06-30", "推进数字乡村")


def test_web_page_metadata_and_joint_issuers_before_the_notice() -> None:
    text = ("索引号:11430000-0-02-2026-0008    发布机构:某县人民政府办公室\n"
            "文号:某办发〔2026〕3号    生成日期:2026-04-02\n\n"
            "中共某县委办公室    某县人民政府办公室\n关于印发《某县中小学校园安全提升行动方案》的通知\n\n"
            "各乡镇党委和人民政府,县直各单位:\n\n《某县中小学校园安全提升行动方案》已经县委、县人民政府同意,现印发给你们。\n\n"
            "中共某县委办公室    某县人民政府办公室\n2026年4月1日\n\n(此件公开发布)\n\n"
            "某县中小学校园安全提升行动方案\n\n为提升校园安全水平,制定本方案。\n\n一、重点任务\n\n"
            "1.完善技防设施。实现一键报警全覆盖。(县教育局牵头,县公安局配合)\n")
    doc = read_text(text)
    assert doc.notice.number == "某办发〔2026〕3号"
    assert doc.notice.title == "关于印发《某县中小学校园安全提升行动方案》的通知"
    assert doc.notice.issuer == "中共某县委办公室某县人民政府办公室"
    assert doc.plans[0].title == "某县中小学校园安全提升行动方案"


def test_a_development_zones_list_shares_guan_wei_hui() -> None:
    assert roles("(市商务局牵头,宜宾临港经开区、三江新区管委会配合)") == [
        ("lead", "市商务局"), ("support", "宜宾临港经开区管委会"), ("support", "三江新区管委会")]


def test_values_written_in_words() -> None:
    assert values("新建农村公路不少于三百公里。") == [(">=", Decimal("300"), "km")]
    assert values("县道优良路率达到百分之八十以上。") == [(">=", Decimal("80"), "%")]
    assert values("建设滨江绿道二十五公里。") == [("=", Decimal("25"), "km")]


def test_working_days_within_are_a_time_allowed() -> None:
    # an office's processing time for each case is a limit, as 不超过5个工作日 is;
    # 3个月以内 after an event is a deadline
    assert values("收到举报后2个工作日内完成核查。") == [("<=", Decimal("2"), "工作日")]
    assert values("整改通知后3个月以内完成整改。") == []


def test_riverside_words_ditches_and_zones_are_no_water_bodies_but_jiang_an_he_is_one() -> None:
    assert places("建设滨江步道和滨湖公园,清理房前屋后沟塘,推进临港新区建设。") == []
    assert places("推进金马河、江安河、杨柳河水质提升。") == ["金马河", "江安河", "杨柳河"]


def test_a_river_then_its_stretch_named_after_a_county() -> None:
    got = places("推进渠江达川段水质提升。")
    assert "渠江" in got and not any(p.startswith("江") for p in got), got


def test_a_county_of_two_characters_inside_a_word_is_not_named() -> None:
    assert places("建设一批医养结合示范县(市),打造规范县级平台。") == []
    assert places("支持沛县、单县开展试点。") == ["沛县", "单县"]
