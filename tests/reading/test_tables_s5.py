"""A task table in the body whose copied cells are separated by tabs, some of them empty (merged cells lost in
copying), and short names the plan defines for its agencies (以下简称…): session 5's habits of the genre, on tables
and sentences of their own."""

from __future__ import annotations

from plan_kb.reading.abbreviations import abbreviations
from plan_kb.reading.item_roles import item_roles
from plan_kb.reading.normalize import normalize
from plan_kb.reading.structure import read_text
from plan_kb.reading.tables import annex_deadlines, plan_role_context, row_deadlines

TABLE = (
    "某区2025年背街小巷环境整治工作方案\n\n"
    "为改善背街小巷环境，由区城市管理委员会（以下简称“区城管委”）会同区住房和城乡建设委员会（以下简称“区住建委”）"
    "组织实施，制定本方案。\n\n"
    "一、重点任务\n\n"
    "序号\t类别\t重点任务\t工作措施\t牵头单位\t配合单位\t完成时限\n"
    "1\t环境治理\t整治占道经营\t开展集中整治\t区城管委\t区市场监管局\t2025年6月底前\n"
    "2\t\t清理乱堆乱放\t建立巡查机制\t区城管委\t\t2025年9月底前\n"
    "3\t\t规范停车秩序\t施划停车泊位\t\t区公安分局\t\n"
    "4\t设施提升\t改造破损路面\t完成路面改造\t区住建委\t各街道办事处\t2025年12月底前\n"
)


def _plan():
    doc = read_text(TABLE)
    return doc, doc.plans[0]


def test_empty_cells_keep_every_column_in_place() -> None:
    t = normalize("2\t\t清理乱堆乱放\t建立巡查机制\t区城管委\t\t2025年9月底前").text
    assert t == "2||清理乱堆乱放|建立巡查机制|区城管委||2025年9月底前"
    assert normalize("3\t\t规范停车秩序\t施划停车泊位\t\t区公安分局\t").text.count("|") == 6


def test_a_tab_row_without_empty_cells_reads_as_before() -> None:
    assert normalize("1\t整治占道经营\t区城管委\t2025年6月底前").text == "1|整治占道经营|区城管委|2025年6月底前"


def test_an_empty_role_or_deadline_cell_reads_as_the_cell_above() -> None:
    doc, plan = _plan()
    context = plan_role_context(doc, plan)
    got = {i.number: [(m.role, m.name) for m in item_roles(doc.text, i, context).mentions] for i in plan.items}
    assert got[1] == [("lead", "区城管委"), ("support", "区市场监管局")]
    # 配合单位 empty in row 2: the cell above; the lead is its own (not read from the support column)
    assert got[2] == [("lead", "区城管委"), ("support", "区市场监管局")]
    # 牵头单位 empty in row 3: the cell above (row 2's own); its support is its own
    assert got[3] == [("support", "区公安分局"), ("lead", "区城管委")]
    assert got[4] == [("lead", "区住建委"), ("support", "各街道办事处")]


def test_roles_from_the_cell_above_keep_its_span() -> None:
    doc, plan = _plan()
    context = plan_role_context(doc, plan)
    row3 = next(i for i in plan.items if i.number == 3)
    lead = next(m for m in item_roles(doc.text, row3, context).mentions if m.role == "lead")
    assert doc.text[lead.start:lead.end] == "区城管委"
    assert lead.start < row3.start  # written in the row above


def test_an_empty_deadline_cell_is_the_deadline_above() -> None:
    _doc, plan = _plan()
    row3 = next(i for i in plan.items if i.number == 3)
    assert row_deadlines(row3) == []  # its own cell is empty …
    assert [str(d.date) for r in row3.annex for d in annex_deadlines(r)] \
        == ["2025-09-30"]  # … and the cell above gives it


def test_short_names_a_plan_defines() -> None:
    t = normalize("由市发展和改革委员会(以下简称“市发改委”)牵头，市生态环境局（简称市环保局）配合").text
    got = {k: v[0] for k, v in abbreviations(t).items()}
    assert got == {"市发改委": "市发展和改革委员会", "市环保局": "市生态环境局"}
    full, a, b = abbreviations(t)["市发改委"]
    assert t[a:b] == full
