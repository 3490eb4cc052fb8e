"""Role notes in the other house styles of conventions.md ("Roles", "Other house styles"), one habit per test, each on
a sentence of its own. Written from the conventions, before the reader."""

from __future__ import annotations

from plan_kb.reading.roles import RoleContext, positional_rule_in, read_roles


def roles(text: str, context: RoleContext | None = None) -> list[tuple[str, str]]:
    return [(m.role, m.name) for m in read_roles(text, context=context).mentions]


# --- brackets ---------------------------------------------------------------------------------------------------

def test_every_bracket_form_closes_an_item() -> None:
    for a, b in ("()", "〔〕", "[]", "【】"):
        assert roles(f"开展排查整治。{a}市生态环境局牵头,市水务局配合{b}") == [
            ("lead", "市生态环境局"), ("support", "市水务局")], a


def test_a_note_in_a_paragraph_of_its_own() -> None:
    assert roles("开展排查整治。\n【市水务局牵头,市财政局配合】") == [("lead", "市水务局"), ("support", "市财政局")]


def test_several_notes_each_covering_what_comes_before_it() -> None:
    text = ("推进码头岸电建设。(区发展改革委牵头,区民政局参与)支持港澳机构来区办医。[区商务委负责,区市场监管局配合]")
    assert roles(text) == [("lead", "区发展改革委"), ("support", "区民政局"), ("responsible", "区商务委"),
                           ("support", "区市场监管局")]
    reading = read_roles(text)
    assert [text[a:b] for a, b in reading.spans] == ["区发展改革委牵头,区民政局参与", "区商务委负责,区市场监管局配合"]


def test_a_bracket_that_names_no_agency_is_not_a_note() -> None:
    assert roles("禁止使用非道路移动机械(应急抢险作业除外)。") == []
    assert roles("控制新增产能(不含光伏压延玻璃),确需建设的实施减量置换。") == []
    assert roles("安装车载诊断系统(OBD)。") == []


# --- role words -------------------------------------------------------------------------------------------------

def test_participate_and_cooperate_are_support() -> None:
    assert roles("开展联合执法。(市公安局牵头,市交通运输局协同,南京海事局参与)") == [
        ("lead", "市公安局"), ("support", "市交通运输局"), ("support", "南京海事局")]


def test_lead_and_supervise_is_lead() -> None:
    assert roles("治理挥发性有机物。〔市生态环境局牵头督导,市工业和信息化局配合〕") == [
        ("lead", "市生态环境局"), ("support", "市工业和信息化局")]


def test_responsible_forms_of_other_styles() -> None:
    assert roles("监测水源。〔市卫健委具体负责〕") == [("responsible", "市卫健委")]
    assert roles("建设载体。(区规划资源局按职责分工负责,华泾镇结合实际落实)") == [
        ("responsible", "区规划资源局"), ("responsible", "华泾镇")]


# --- labelled notes ---------------------------------------------------------------------------------------------

def test_lead_and_support_labels_inside_brackets() -> None:
    assert roles("建设政务云。(牵头单位:省大数据中心;配合单位:省财政厅、省委网信办)") == [
        ("lead", "省大数据中心"), ("support", "省财政厅"), ("support", "省委网信办")]
    assert roles("集聚人才。(牵头部门:区委组织部;配合单位:区财政局)") == [
        ("lead", "区委组织部"), ("support", "区财政局")]


def test_a_label_covers_its_list_up_to_the_next_label() -> None:
    assert roles("接入外网。(牵头单位:省大数据中心;配合单位:省通信管理局,中国电信四川公司等相关单位)") == [
        ("lead", "省大数据中心"), ("support", "省通信管理局"), ("support", "中国电信四川公司")]


def test_a_role_word_inside_a_label_decides() -> None:
    assert roles("保护数据。(牵头单位:省大数据中心;配合单位:省公安厅,省直各部门按职责分工负责)") == [
        ("lead", "省大数据中心"), ("support", "省公安厅"), ("responsible", "省直各部门")]


def test_responsibility_label_with_role_words_on_a_line_of_its_own() -> None:
    text = "深化一网通办。\n责任单位:省政务服务中心牵头,省市场监管局按职责分工负责,各市(州)人民政府负责落实。"
    assert roles(text) == [("lead", "省政务服务中心"), ("responsible", "省市场监管局"),
                           ("responsible", "各市(州)人民政府")]


def test_responsibility_label_without_role_words_makes_all_responsible() -> None:
    assert roles("签约合作。\n责任单位:区卫生健康委、区民政局") == [
        ("responsible", "区卫生健康委"), ("responsible", "区民政局")]
    assert roles("资助研发。(责任单位:区科委、区市场监管局)") == [
        ("responsible", "区科委"), ("responsible", "区市场监管局")]


def test_a_label_line_of_lead_and_support() -> None:
    assert roles("集聚人才。\n牵头部门:区委组织部;配合单位:区人力资源社会保障局、区财政局") == [
        ("lead", "区委组织部"), ("support", "区人力资源社会保障局"), ("support", "区财政局")]


# --- an unlabelled list without role words ----------------------------------------------------------------------

def test_a_bare_list_the_first_named_leads_the_others_answer() -> None:
    # the house style of plans that print only the units: the first named leads, the others are responsible
    assert roles("遏制高耗能项目。(省发展改革委、省生态环境厅,各地级以上市人民政府)") == [
        ("lead", "省发展改革委"), ("responsible", "省生态环境厅"), ("responsible", "各地级以上市人民政府")]


# --- positional rules -------------------------------------------------------------------------------------------

def test_first_listed_leads_in_that_note() -> None:
    assert roles("建设缓冲带。【市水务局、市生态环境局、市农业农村局(列第一位者为牵头部门)】") == [
        ("lead", "市水务局"), ("support", "市生态环境局"), ("support", "市农业农村局")]


def test_first_listed_leads_with_xiatong_in_every_later_item() -> None:
    ctx = RoleContext()
    assert roles("建设缓冲带。【市水务局、市生态环境局(列第一位者为牵头部门,下同)】", ctx) == [
        ("lead", "市水务局"), ("support", "市生态环境局")]
    assert roles("巩固治理成效。【市水务局、市城乡建设委】", ctx) == [("lead", "市水务局"), ("support", "市城乡建设委")]
    # names with a role word of their own keep it
    assert roles("保障水源。〔市生态环境局、市水务局,高淳区政府具体负责〕", ctx) == [
        ("lead", "市生态环境局"), ("support", "市水务局"), ("responsible", "高淳区政府")]
    # without the rule the same list is read as a bare list
    assert roles("巩固治理成效。【市水务局、市城乡建设委】") == [("lead", "市水务局"), ("responsible", "市城乡建设委")]


def test_a_positional_rule_stated_before_the_tasks() -> None:
    assert positional_rule_in("各项任务中列第一位的为牵头单位,其他为配合单位。")
    assert not positional_rule_in("为深入打好污染防治攻坚战,制定本方案。")


# --- names ------------------------------------------------------------------------------------------------------

def test_a_level_prefix_is_shared_by_a_list() -> None:
    assert roles("推进超低排放改造。【市发改委、工信局、行政审批局牵头,市生态环境局参与】") == [
        ("lead", "市发改委"), ("lead", "市工信局"), ("lead", "市行政审批局"), ("support", "市生态环境局")]
    assert roles("整治扬尘。〔市住房和城乡建设局、城市管理和综合执法局按职责分工负责〕") == [
        ("responsible", "市住房和城乡建设局"), ("responsible", "市城市管理和综合执法局")]
    assert roles("加强培训。(区人力资源社会保障局、民政局牵头,区卫生健康委、财政局配合)") == [
        ("lead", "区人力资源社会保障局"), ("lead", "区民政局"), ("support", "区卫生健康委"), ("support", "区财政局")]
    # 市场 only begins like the prefix 市: after a 市 list it is 市市场监管局
    assert roles("规范收费。(市发展改革委、市场监管局、财政局按职责分工负责)") == [
        ("responsible", "市发展改革委"), ("responsible", "市市场监管局"), ("responsible", "市财政局")]


def test_a_name_with_a_place_or_level_of_its_own_keeps_it() -> None:
    assert roles("推进岸电。(省交通运输厅牵头,浙江海事局、省能源局、国网浙江省电力有限公司配合)") == [
        ("lead", "省交通运输厅"), ("support", "浙江海事局"), ("support", "省能源局"),
        ("support", "国网浙江省电力有限公司")]
    assert roles("整治排污口。(市生态环境局、南京海事局配合)") == [
        ("support", "市生态环境局"), ("support", "南京海事局")]
    assert roles("加强监管。(省生态环境厅、市场监管局配合)") == [
        ("support", "省生态环境厅"), ("support", "省市场监管局")]


def test_a_distributed_ge_over_collectives() -> None:
    assert roles("改造窑炉。〔市工业和信息化局牵头,各县、区人民政府(管委会)负责落实〕") == [
        ("lead", "市工业和信息化局"), ("responsible", "各县人民政府"), ("responsible", "各区人民政府(管委会)")]
    assert roles("签约服务。(区卫生健康委牵头,各镇人民政府、街道办事处负责落实)") == [
        ("lead", "区卫生健康委"), ("responsible", "各镇人民政府"), ("responsible", "各街道办事处")]
    assert roles("兑现资金。(区投资促进办公室牵头,各街道、镇结合实际落实)") == [
        ("lead", "区投资促进办公室"), ("responsible", "各街道"), ("responsible", "各镇")]


def test_collectives_that_stay_one_name() -> None:
    assert roles("治理固废。〔市生态环境局牵头,各区政府协同〕") == [("lead", "市生态环境局"), ("support", "各区政府")]
    assert roles("治理污水。(市水务局牵头,各县(市、区)人民政府负责)") == [
        ("lead", "市水务局"), ("responsible", "各县(市、区)人民政府")]


def test_a_shared_city_suffix_completes_bare_city_names() -> None:
    assert roles("治理陶瓷行业。(省生态环境厅牵头,佛山、肇庆、潮州市人民政府负责)") == [
        ("lead", "省生态环境厅"), ("responsible", "佛山市人民政府"), ("responsible", "肇庆市人民政府"),
        ("responsible", "潮州市人民政府")]


def test_a_shared_government_suffix_after_names_with_a_level_of_their_own() -> None:
    assert roles("整治村庄环境。(县住建局牵头,城关镇、桥头镇、石门乡人民政府配合)") == [
        ("lead", "县住建局"), ("support", "城关镇人民政府"), ("support", "桥头镇人民政府"),
        ("support", "石门乡人民政府")]
    assert roles("推进污水管网建设。(市水务局牵头,鼓楼区、台江区人民政府负责)") == [
        ("lead", "市水务局"), ("responsible", "鼓楼区人民政府"), ("responsible", "台江区人民政府")]


def test_an_autonomous_region_or_prefecture_prefix_is_shared() -> None:
    assert roles("开展矿山整治。(自治区应急管理厅牵头,自治区自然资源厅、公安厅、生态环境厅配合)") == [
        ("lead", "自治区应急管理厅"), ("support", "自治区自然资源厅"), ("support", "自治区公安厅"),
        ("support", "自治区生态环境厅")]
    assert roles("改善村容。(州农业农村局牵头,州财政局、住建局配合)") == [
        ("lead", "州农业农村局"), ("support", "州财政局"), ("support", "州住建局")]


def test_township_collectives_with_their_subdistricts_in_brackets() -> None:
    assert roles("清理河道垃圾。(县水利局牵头,各乡镇(街道)配合)") == [
        ("lead", "县水利局"), ("support", "各乡镇(街道)")]


# --- standing notes ---------------------------------------------------------------------------------------------

def test_a_standing_note_with_luoshi() -> None:
    reading = read_roles("治理挥发性有机物。〔市生态环境局牵头,各区人民政府负责。"
                         "以下各项任务均需各区人民政府落实,不再列出〕")
    assert [(m.role, m.name) for m in reading.mentions] == [("lead", "市生态环境局"), ("responsible", "各区人民政府")]
    assert [[a.name for a in n.actors] for n in reading.notes] == [["各区人民政府"]]


def test_a_standing_note_inside_a_mid_item_note() -> None:
    text = "改造窑炉(市工信局牵头,市财政局配合(以下各项工作均需各县、区人民政府负责落实,不再列出)),加快进度。"
    reading = read_roles(text)
    assert [(m.role, m.name) for m in reading.mentions] == [("lead", "市工信局"), ("support", "市财政局")]
    assert [[a.name for a in n.actors] for n in reading.notes] == [["各县人民政府", "各区人民政府"]]


# --- what cannot be read ----------------------------------------------------------------------------------------

def test_a_part_that_is_not_a_list_of_agencies_is_a_doubt() -> None:
    reading = read_roles("推进改造。(市生态环境局牵头,相关工作按年度计划推进)")
    assert [(m.role, m.name) for m in reading.mentions] == [("lead", "市生态环境局")]
    assert reading.doubts and "相关工作按年度计划推进" in reading.doubts[0][0]


def test_a_sections_overall_lead_is_not_a_role() -> None:
    assert roles("(一)强化产业结构调整(市发改委总牵头)") == []


# --- task tables and one name's own role ------------------------------------------------------------------------

def test_the_cells_of_a_task_table_row() -> None:
    assert roles("1|推进第一项|市发改委牵头,市水务局配合|2024年底前") == [("lead", "市发改委"), ("support", "市水务局")]
    assert roles("2|推进第二项|市水务局、市财政局|2025年6月底前") == [
        ("responsible", "市水务局"), ("responsible", "市财政局")]


def test_a_role_word_in_brackets_after_one_name() -> None:
    assert roles("推进改造。(责任单位:省发展改革委(牵头)、省工业和信息化厅)") == [
        ("lead", "省发展改革委"), ("responsible", "省工业和信息化厅")]



def test_role_parts_joined_by_dunhao() -> None:
    assert roles("推进改造。(市发改委牵头、市财政局配合)") == [("lead", "市发改委"), ("support", "市财政局")]


def test_more_role_words() -> None:
    assert roles("推进改造。(市政府负总责)") == [("responsible", "市政府")]
    assert roles("推进改造。(市工信局配合落实,市生态环境局指导)") == [
        ("support", "市工信局"), ("guide", "市生态环境局")]
    assert roles("推进改造。(市发改委、市财政局按职责负责)") == [
        ("responsible", "市发改委"), ("responsible", "市财政局")]


def test_bodies_with_other_endings_are_whole_names() -> None:
    assert roles("关爱儿童。(市妇联、市残联、团市委、市科协配合)") == [
        ("support", "市妇联"), ("support", "市残联"), ("support", "团市委"), ("support", "市科协")]


def test_first_listed_in_other_words() -> None:
    assert positional_rule_in("排名第一的为牵头单位")
    assert positional_rule_in("第一个单位为牵头单位")


def test_a_standing_note_naming_the_tasks_main_actor() -> None:
    reading = read_roles("开展环境整治。责任单位:区城管局牵头,区财政局配合,各街道办事处负责落实。"
                         "各街道办事处为以下各项工作的责任主体,不再一一列出。")
    assert ("responsible", "各街道办事处") in [(m.role, m.name) for m in reading.mentions]
    assert [[a.name for a in n.actors] for n in reading.notes] == [["各街道办事处"]]
    alone = read_roles("(各县(市、区)人民政府是本方案全部任务的落实主体,以下不再列出)")
    assert [[a.name for a in n.actors] for n in alone.notes] == [["各县(市、区)人民政府"]]
    assert read_roles("(市教育局为该项工作的责任主体)").notes == []  # one task's actor, no standing note


def test_a_role_word_followed_by_the_part_it_covers() -> None:
    assert roles("建设乡村道路和电网。责任单位:县交通运输局牵头,国网某县供电公司负责电网改造,县财政局配合") == [
        ("lead", "县交通运输局"), ("responsible", "国网某县供电公司"), ("support", "县财政局")]
    assert roles("完善养老服务设施。(区民政局牵头,区财政局配合做好资金保障)") == [
        ("lead", "区民政局"), ("support", "区财政局")]


def test_a_towns_government_after_a_district_list_takes_no_prefix() -> None:
    assert roles("建设幸福河湖。(牵头单位:区水利局;配合单位:区文旅委、石门镇人民政府、东城街道办事处)") == [
        ("lead", "区水利局"), ("support", "区文旅委"), ("support", "石门镇人民政府"), ("support", "东城街道办事处")]
    assert roles("推进乡村建设。(市农业农村局、乡村振兴局负责)") == [
        ("responsible", "市农业农村局"), ("responsible", "市乡村振兴局")]


def test_a_national_system_name_after_a_company_takes_no_prefix() -> None:
    assert roles("开通旅游专列和航线。(中国铁路某局集团有限公司、民航某省监管局、省机场集团负责)") == [
        ("responsible", "中国铁路某局集团有限公司"), ("responsible", "民航某省监管局"), ("responsible", "省机场集团")]


def test_mass_organisations_and_cooperatives_are_names() -> None:
    assert roles("发展农村电商。\n责任单位:县商务局、县供销社、县妇联") == [
        ("responsible", "县商务局"), ("responsible", "县供销社"), ("responsible", "县妇联")]


def test_a_note_closing_a_sections_paragraph_covers_its_items() -> None:
    from plan_kb.reading.section_notes import section_note
    from plan_kb.reading.structure import read_text

    doc = read_text("某市食品安全提升行动方案\n\n为保障食品安全,制定本方案。\n\n一、重点任务\n\n"
                    "(一)强化源头治理。坚持产管并重,严把农产品质量关。(本部分任务均由市农业农村局牵头,市市场监管局配合,"
                    "各区人民政府负责落实)\n\n1.开展农药残留专项整治。每年抽检样品1000批次。\n\n"
                    "2.推进食用农产品合格证制度。(市市场监管局负责)\n\n(二)加强过程监管\n\n3.开展校园食品安全检查。\n")
    plan = doc.plans[0]
    assert [t.number for t in plan.tasks] == [1, 2, 3]
    assert plan.tasks[0].heading is not None and plan.tasks[0].heading.title == "强化源头治理"
    covering = section_note(doc.text, plan.tasks[0].heading)
    assert covering is not None and [(m.role, m.name) for m in covering.mentions] == [
        ("lead", "市农业农村局"), ("support", "市市场监管局"), ("responsible", "各区人民政府")]
    assert all(doc.text[m.start:m.end] == m.name for m in covering.mentions)  # spans in the document's text
    assert section_note(doc.text, plan.tasks[2].heading) is None


def test_a_distributed_ge_over_levels_shares_the_body() -> None:
    assert roles("公开处理结果。(各州、市医保局负责)") == [("responsible", "各州医保局"), ("responsible", "各市医保局")]
    assert roles("开展执法检查。(各市、县生态环境局负责)") == [
        ("responsible", "各市生态环境局"), ("responsible", "各县生态环境局")]


def test_roles_stated_in_the_sentences_of_an_item_without_a_note() -> None:
    from plan_kb.reading.sentence_roles import sentence_roles

    def said(text: str) -> list[tuple[str, str]]:
        return [(m.role, m.name) for m in sentence_roles(text).mentions]

    assert said("5.推进老旧小区改造。年内完成改造30个。此项工作由区住建局牵头,区财政局、区城管局配合。") == [
        ("lead", "区住建局"), ("support", "区财政局"), ("support", "区城管局")]
    assert said("6.规范涉企检查。全面推行“综合查一次”,由区司法局牵头,区市监局按职责分工负责。") == [
        ("lead", "区司法局"), ("responsible", "区市监局")]
    assert said("7.稳定就业岗位。区人社局要按季度发布用工目录。区教育局、区职业技术学校要开设订单班。") == [
        ("responsible", "区人社局"), ("responsible", "区教育局"), ("responsible", "区职业技术学校")]
    assert said("8.优化纳税服务。区税务局要会同区财政局、区数据局做好数据共享。") == [
        ("responsible", "区税务局"), ("support", "区财政局"), ("support", "区数据局")]
    assert said("9.提升服务水平。企业要依法经营,群众要积极参与。") == []  # no agency is the subject


def test_the_chiefs_of_a_chief_system_act_by_their_office() -> None:
    assert roles("落实巡河制度。(牵头单位:区河长办;责任单位:各级河长)") == [
        ("lead", "区河长办"), ("responsible", "各级河长")]
