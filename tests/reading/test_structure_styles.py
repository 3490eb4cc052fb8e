"""Structure in the other house styles of conventions.md ("Structure", "Other house styles"), one habit per test,
each on a small document of its own: titles found by position, numbering forms, (一) items as tasks, restarting
numbers, principles that are not tasks, and the doubts a reader reports instead of refusing."""

from __future__ import annotations

import pytest

from plan_kb.errors import DocumentError
from plan_kb.reading.structure import is_plan_title, read_text

BODY = """为推动工作落实,制定本方案。

一、重点任务

1.推进第一项工作。完成改造。(市生态环境局牵头)

2.推进第二项工作。完成建设。(市水务局负责)
"""


def plan_of(text: str):
    doc = read_text(text)
    assert len(doc.plans) == 1
    return doc, doc.plans[0]


@pytest.mark.parametrize("title", [
    "某市大气污染防治攻坚行动方案(2024—2025年)",
    "某省数字政府建设实施方案(2019-2020年)",
    "某市生态环境保护工作方案(征求意见稿)",
    "某市2024年生态环境保护工作要点",
    "某区医养结合高质量发展实施计划",
    "某省重点任务分工方案",
    "某市优化营商环境任务分工表",
    "关于加快某区生物医药产业发展的若干措施",
    "关于推进某市数字经济发展的若干意见",
    "某市关于深化医改的实施意见",
    "某旗2025年草原生态保护建设推进计划",
    "某县农村人居环境整治推进方案(2024—2025年)",
    "某区河湖突出问题专项整治方案",
    # names beyond the list of genre words: the ending they share and the position make the title
    "某县2025年安全生产重点工作清单",
    "某区2024年巩固卫生城市成果攻坚任务清单",
    "某市河湖突出问题整改落实方案",
    "某镇农村供水保障提质计划",
    "某州2025年林草生态建设推进计划",
])
def test_titles_of_the_genre(title: str) -> None:
    _, plan = plan_of(f"{title}\n\n{BODY}")
    assert plan.title == title and plan.title_how == "title line"
    assert [t.number for t in plan.tasks] == [1, 2]


def test_a_heading_is_not_a_plan_title() -> None:
    assert not is_plan_title("二、实施六大人才行动计划")
    assert not is_plan_title("(三)开展专项行动方案")
    assert not is_plan_title("现将《某市行动方案》印发给你们。")


def test_a_title_line_without_a_plan_after_it_is_not_a_title() -> None:
    doc = read_text("附件:某市行动方案\n\n某市大气治理工作方案\n\n" + BODY)
    assert [p.title for p in doc.plans] == ["某市大气治理工作方案"]


def test_the_period_on_a_line_of_its_own() -> None:
    doc, plan = plan_of("某市大气污染防治攻坚行动方案\n(2024—2025年)\n" + BODY)
    assert plan.title == "某市大气污染防治攻坚行动方案(2024—2025年)" and plan.period == (2024, 2025)
    assert doc.text[plan.title_start:plan.title_end] == "某市大气污染防治攻坚行动方案\n(2024—2025年)"


def test_a_title_broken_over_two_lines() -> None:
    _, plan = plan_of("某省数字政府建设三年行动\n\n实施方案(2024—2026年)\n\n" + BODY)
    assert plan.title == "某省数字政府建设三年行动实施方案(2024—2026年)"


def test_annex_number_before_the_title() -> None:
    _, plan = plan_of("附件2\n\n关于加快某区产业发展的若干措施(征求意见稿)\n\n" + BODY)
    assert plan.title == "关于加快某区产业发展的若干措施(征求意见稿)"


def test_a_title_only_announced_in_the_notice() -> None:
    text = ("某市人民政府办公室关于印发某市治水工作方案的通知\n\n各区人民政府:\n\n"
            "《某市治水工作方案》已经市政府同意,现印发给你们,请认真贯彻落实。\n\n" + BODY)
    doc, plan = plan_of(text)
    assert plan.title == "某市治水工作方案" and plan.title_how == "announced in the notice"
    assert [d.kind for d in doc.doubts] == ["title-from-notice"]


def test_a_missing_title_is_guessed_and_reported() -> None:
    doc, plan = plan_of("一、重点任务\n\n1.推进工作。完成改造。(市生态环境局牵头)\n")
    assert plan.title_how == "guessed" and [d.kind for d in doc.doubts] == ["title-guessed"]
    assert [t.number for t in plan.tasks] == [1]


def test_a_document_with_no_plan_is_refused_saying_what_was_looked_for() -> None:
    with pytest.raises(DocumentError, match="looked for a title line ending in a genre word"):
        read_text("这是一封信。\n\n请查收。\n")


@pytest.mark.parametrize("number", ["1.", "1、", "1．", "1 .", "(1)", "（1）", "①", "第一条", "第一条　"])
def test_numbering_forms(number: str) -> None:
    second = number.replace("1", "2").replace("①", "②").replace("一", "二")
    text = (f"某市工作方案\n\n为推动落实,制定本方案。\n\n一、重点任务\n\n{number}推进第一项。完成。\n\n"
            f"{second}推进第二项。完成。\n")
    _, plan = plan_of(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "推进第一项"), (2, "推进第二项")]


def test_sub_points_of_another_numbering_stay_inside_the_task() -> None:
    text = ("某市工作方案\n\n为推动落实,制定本方案。\n\n一、重点任务\n\n1.推进第一项。包括:\n\n(1)甲;\n\n(2)乙。\n\n"
            "2.推进第二项。\n")
    _, plan = plan_of(text)
    assert [t.number for t in plan.tasks] == [1, 2] and "(2)乙" in plan.tasks[0].text


def test_the_yi_items_are_the_tasks_when_a_plan_has_no_numbered_items() -> None:
    text = ("关于加快某区发展的若干措施\n\n为推动发展,制定本措施。\n\n一、主要目标\n\n到2025年,规模突破100亿元。\n\n"
            "二、强化创新\n\n(一)支持研发。给予资助。(区科委负责)\n\n(三)支持人才。给予补贴。\n\n"
            "三、保障措施\n\n(一)加强组织领导。成立专班。\n")
    _, plan = plan_of(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "支持研发"), (3, "支持人才")]  # gaps kept
    assert [m.title for m in plan.measures] == ["加强组织领导"]


def test_items_under_principles_are_not_tasks() -> None:
    text = ("某省实施方案\n\n为推动落实,制定本方案。\n\n一、总体要求\n\n(一)指导思想。坚持人民至上。\n\n"
            "(二)基本原则。\n\n"
            "1.坚持整体协同。统筹。\n\n2.坚持需求导向。服务。\n\n(三)主要目标。到2025年,可办率达到98%以上。\n\n"
            "二、重点任务\n\n(1)建设政务云。完成迁移。\n\n(2)提升外网。完成接入。\n")
    _, plan = plan_of(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "建设政务云"), (2, "提升外网")]
    assert any("98%" in b.text for b in plan.goal_blocks)


def test_numbering_restarting_per_section_keeps_numbers_and_unique_keys() -> None:
    text = ("某区实施计划\n\n为推动落实,制定本计划。\n\n二、完善网络\n\n1.甲任务。做。\n\n2.乙任务。做。\n\n"
            "三、提升能力\n\n1.丙任务。做。\n")
    _, plan = plan_of(text)
    assert [(t.number, t.key) for t in plan.tasks] == [(1, "task/2-1"), (2, "task/2-2"), (1, "task/3-1")]


def test_numbering_that_runs_on_keeps_plain_keys() -> None:
    _, plan = plan_of("某市工作方案\n\n" + BODY)
    assert [t.key for t in plan.tasks] == ["task/1", "task/2"]


def test_a_task_of_several_paragraphs_with_a_labelled_line() -> None:
    text = ("某市工作方案\n\n为推动落实,制定本方案。\n\n一、重点任务\n\n1.推进第一项。完成改造。\n\n"
            "推进另一部分。完成建设。\n\n责任单位:市生态环境局\n\n2.推进第二项。\n")
    _, plan = plan_of(text)
    assert plan.tasks[0].text.count("\n") == 2 and plan.tasks[0].text.endswith("责任单位:市生态环境局")


def test_a_task_table_written_as_rows() -> None:
    text = ("某市重点任务分工表\n\n为推动落实,制定本分工表。\n\n1|推进第一项|市发改委牵头|2024年底前\n\n"
            "2|推进第二项|市水务局负责|2025年6月底前\n")
    _, plan = plan_of(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "推进第一项"), (2, "推进第二项")]


def test_a_sections_overall_lead_is_not_in_its_title() -> None:
    text = ("某市工作方案\n\n为推动落实,制定本方案。\n\n一、重点任务\n\n(一)调整产业结构(市发改委总牵头)\n\n"
            "1.推进一项。做。\n")
    _, plan = plan_of(text)
    assert [h.title for h in plan.headings] == ["重点任务", "调整产业结构"]


def test_a_title_announced_only_by_the_notices_own_title() -> None:
    text = "某市人民政府关于印发某市清洁取暖三年行动的通知\n\n各区人民政府:\n\n" + BODY
    _, plan = plan_of(text)
    assert plan.title == "某市清洁取暖三年行动" and plan.title_how == "announced in the notice"


def test_a_date_line_under_the_title_is_not_its_period() -> None:
    _, plan = plan_of("某市大气污染防治攻坚行动方案\n(2024年1月5日市政府常务会议审议通过)\n" + BODY)
    assert plan.title == "某市大气污染防治攻坚行动方案"



def test_the_numbered_top_level_items_are_the_tasks_when_a_plan_has_nothing_else() -> None:
    text = ("关于支持某区产业发展的若干措施\n\n为推动发展,制定本措施。\n\n"
            "一、支持企业研发。对研发给予资助。(区科委负责)\n\n二、支持人才引进。给予补贴。(区人社局负责)\n")
    _, plan = plan_of(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "支持企业研发"), (2, "支持人才引进")]


def test_numbers_with_a_closing_bracket_only() -> None:
    text = "某市工作方案\n\n为推动落实,制定本方案。\n\n一、重点任务\n\n1)推进第一项。完成。\n\n2)推进第二项。完成。\n"
    _, plan = plan_of(text)
    assert [t.number for t in plan.tasks] == [1, 2]


def test_a_section_of_goals_and_tasks_holds_tasks() -> None:
    text = "某市工作方案\n\n为推动落实,制定本方案。\n\n一、目标任务\n\n1.推进第一项。完成。\n\n2.推进第二项。完成。\n"
    _, plan = plan_of(text)
    assert [t.number for t in plan.tasks] == [1, 2]


def test_a_preamble_of_two_paragraphs_after_the_title() -> None:
    text = ("某市大气治理工作方案\n\n近年来,我市空气质量持续改善,但形势依然严峻。\n\n"
            "为进一步改善空气质量,结合我市实际,特制定本方案。\n\n" + BODY.split("\n\n", 1)[1])
    _, plan = plan_of(text)
    assert plan.title == "某市大气治理工作方案" and plan.title_how == "title line"


def test_articles_numbered_on_across_sections() -> None:
    text = ("某县促进民营经济发展若干措施\n\n为激发民营经济活力,制定如下措施。\n\n一、降低经营成本\n\n"
            "第一条 减免租金。对入驻孵化基地的企业免收租金。(县科技局牵头)\n\n"
            "第二条 降低用电成本。落实电价优惠。(县发改局负责)\n\n二、强化金融支持\n\n"
            "第三条 扩大信贷投放。新增贷款10亿元。(县金融服务中心牵头)\n")
    _, plan = plan_of(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "减免租金"), (2, "降低用电成本"), (3, "扩大信贷投放")]


def test_a_web_pages_metadata_block_before_the_title() -> None:
    text = ("索引号：000014349/2025-00031　　　　组配分类：通知公告\n"
            "发布机构：某市人民政府办公室　　主题分类：城乡建设\n"
            "文号：某政办发〔2025〕7号　　　　成文日期：2025年03月18日\n有效性：有效\n\n"
            "某市城市更新行动实施方案\n\n" + BODY.split("\n\n", 1)[1].replace("为推动", "为推进城市更新", 1))
    doc, plan = plan_of(text)
    assert plan.title == "某市城市更新行动实施方案" and plan.title_how == "title line"
    assert (doc.notice.issuer, doc.notice.number) == ("某市人民政府办公室", "某政办发〔2025〕7号")
    assert doc.notice.issued is not None and doc.notice.issued.isoformat() == "2025-03-18"


ANNEXED = """某市养老服务体系建设实施方案

为完善养老服务体系,制定本方案。

一、重点任务

各项任务的牵头单位、配合单位和完成时限见附件。

1.建设社区养老服务站。每个街道建成1个综合养老服务中心。

2.发展助餐服务。推广“中央厨房+社区配送”模式。

3.培养护理人才。开展养老护理员培训。

二、保障措施

(一)加强组织领导。建立工作协调机制。

附件:重点任务分工表

附件

重点任务分工表

序号\t重点任务\t牵头单位\t配合单位\t完成时限
1\t建设社区养老服务站\t市民政局\t市住房城乡建设局、各区人民政府\t2025年6月
2\t发展助餐服务\t市民政局、市商务局\t市市场监管局\t持续推进
3\t开展志愿服务\t团市委\t市民政局\t长期坚持
"""


def test_an_annexed_task_table_gives_the_body_tasks_their_rows() -> None:
    doc, plan = plan_of(ANNEXED)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "建设社区养老服务站"), (2, "发展助餐服务"),
                                                         (3, "培养护理人才")]
    assert [len(t.annex) for t in plan.tasks] == [1, 1, 0]  # row 3 names another task: not joined
    assert plan.tasks[0].annex[0].columns[:3] == ("number", "task", "lead")
    assert [d.kind for d in doc.doubts] == ["annex-row"]
    assert plan.measures[-1].text == "(一)加强组织领导。建立工作协调机制。"  # the annex is no part of it


def test_a_bare_month_in_the_deadline_column_is_due_by_its_last_day() -> None:
    from plan_kb.reading.tables import annex_deadlines

    _, plan = plan_of(ANNEXED)
    found = annex_deadlines(plan.tasks[0].annex[0])
    assert [(d.kind, d.date.isoformat(), d.expression) for d in found] == [("By", "2025-06-30", "2025年6月")]
    assert annex_deadlines(plan.tasks[1].annex[0]) == []  # 持续推进 is no deadline


def test_tasks_only_in_an_annexed_table_written_with_outer_bars() -> None:
    text = ("某县全民健身设施补短板工作方案\n\n为补齐健身设施短板,制定本方案。\n\n一、工作目标\n\n到2026年,建成社区健身"
            "中心10个。\n\n二、重点任务\n\n共8项重点任务,牵头单位、责任单位和完成时限见附件1。\n\n三、保障措施\n\n"
            "(一)加强组织领导。建立联席会议制度。\n\n附件:1.重点任务清单\n2.各乡镇建设目标表\n\n附件1\n\n重点任务清单\n\n"
            "| 序号 | 类别 | 工作任务 | 牵头领导 | 牵头单位 | 责任单位 | 完成时限 |\n|---|---|---|---|---|---|---|\n"
            "| 1 | 场地建设 | 建设社区健身中心。每个社区建成1处。 | 副县长 | 县体育局 | 县住建局 | 2026年底前 |\n"
            "| 2 | 场地建设 | 建设健身步道。新建步道50公里。 | 副县长 | 县自然资源局 | — | 长期 |\n\n附件2\n\n"
            "| 序号 | 乡镇 | 目标 |\n|---|---|---|\n| 1 | 城关镇 | 3个 |\n")
    _, plan = plan_of(text)
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "建设社区健身中心"), (2, "建设健身步道")]
    assert plan.tasks[0].columns == ("number", "other", "task", "other", "lead", "responsible", "deadline")
    assert [m.title for m in plan.measures] == ["加强组织领导"]


def test_a_bare_list_of_numbered_tasks_goes_in_with_its_title_guessed() -> None:
    doc = read_text("冬春季森林防火重点工作\n\n1.开展隐患排查。11月底前完成。(县林业局牵头,县应急局配合)\n\n"
                    "2.加强野外火源管控。(各乡镇人民政府负责)\n", "senlin-fanghuo.txt")
    assert [(t.number, t.title) for t in doc.plans[0].tasks] == [(1, "开展隐患排查"), (2, "加强野外火源管控")]
    assert [d.kind for d in doc.doubts] == ["title-guessed"]
    with pytest.raises(DocumentError, match="two or more numbered items"):
        read_text("这是一封信。\n\n1.请查收。\n")


def test_a_line_ending_in_a_shared_word_with_no_plan_after_it_is_no_title() -> None:
    doc = read_text("某县2025年安全生产重点工作清单\n\n请各单位认真对照。\n\n请按时报送。\n\n"
                    "某市大气治理工作方案\n\n" + BODY)
    assert [p.title for p in doc.plans] == ["某市大气治理工作方案"]


@pytest.mark.parametrize("first, second", [
    ("【任务1】", "【任务2】"),
    ("【任务一】", "【任务二】"),
    ("【问题1】", "【问题2】"),
    ("任务一:", "任务二:"),
    ("任务1:", "任务2:"),
    ("问题1:", "问题2:"),
    ("问题一、", "问题二、"),
    ("事项1:", "事项2:"),
])
def test_items_named_by_a_word_and_a_number(first: str, second: str) -> None:
    # a 任务清单 or 整改方案 names its items 【任务N】 / 任务一: / 问题N: — each line of the kind starts a task, even
    # where the paragraph before it does not end a sentence (a label line, a list of names)
    _, plan = plan_of(
        "某县道路交通安全整治任务清单\n\n为推动整治落实,制定本清单。\n\n一、整治任务\n\n"
        f"{first}整治货车超限超载。在国道沿线设置检测点。\n\n责任单位:县交通运输局、县公安局\n\n"
        f"{second}规范农村客运。2025年6月底前完成线路排查。\n\n责任单位:县交通运输局\n")
    assert [t.number for t in plan.tasks] == [1, 2]
    assert [t.title for t in plan.tasks] == ["整治货车超限超载", "规范农村客运"]


def test_a_word_and_number_inside_a_task_is_no_new_task() -> None:
    # "任务1" as a reference inside a sentence is not at the start of a line
    _, plan = plan_of("某县重点工作清单\n\n为推动工作落实,制定本清单。\n\n一、重点任务\n\n"
                      "1.推进第一项工作。按任务1:的要求完成改造。(县水利局牵头)\n\n2.推进第二项工作。完成建设。(县住建局负责)\n")
    assert [t.number for t in plan.tasks] == [1, 2]
