"""Roles, one rule of conventions.md "Roles" per test, each on a sentence of its own; then the graph and the
standing-note rule on a small document built with ``plan_kb.build.build``."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef

from plan_kb.base.namespaces import PKB, sparql_prefixes
from plan_kb.build import BuildResult, build
from plan_kb.reading.roles import closing_parenthetical, read_roles
from plan_kb.store.folders import load_dataset


def roles(text: str) -> list[tuple[str, str]]:
    return [(m.role, m.name) for m in read_roles(text).mentions]


# --- the parenthetical ----------------------------------------------------------------------------------------

def test_each_role_word_gives_its_role() -> None:
    assert roles("5.规范危险废物贮存。建立台账。(省自然资源厅牵头,省财政厅配合,各市人民政府负责)") == [
        ("lead", "省自然资源厅"), ("support", "省财政厅"), ("responsible", "各市人民政府")]


def test_lead_by_division_of_duties() -> None:
    assert roles("开展联合检查。(省公安厅、省交通厅按职责分工牵头)") == [
        ("lead", "省公安厅"), ("lead", "省交通厅")]


def test_responsible_forms() -> None:
    assert roles("加强资金监管。(省财政厅按职责分工负责)") == [("responsible", "省财政厅")]
    assert roles("建设监测站点。(省气象局负责,各相关市人民政府负责落实)") == [
        ("responsible", "省气象局"), ("responsible", "各相关市人民政府")]


def test_guiding_forms() -> None:
    assert roles("推进企业搬迁。(省商务厅加强督促指导)") == [("guide", "省商务厅")]
    assert roles("推进企业搬迁。(省应急厅督促指导)") == [("guide", "省应急厅")]


def test_parts_split_at_comma_semicolon_and_full_stop() -> None:
    assert roles("治理矿山。(省自然资源厅牵头;省林草局配合。各市人民政府负责)") == [
        ("lead", "省自然资源厅"), ("support", "省林草局"), ("responsible", "各市人民政府")]


def test_a_part_without_role_word_takes_the_role_of_the_next_part() -> None:
    assert roles("建设铁路专用线。(省交通厅,中国铁路北京局集团有限公司按职责分工负责)") == [
        ("responsible", "省交通厅"), ("responsible", "中国铁路北京局集团有限公司")]


def test_conjunction_splits_only_between_whole_names() -> None:
    assert roles("检查加油站。(省商务厅和省公安厅负责)") == [
        ("responsible", "省商务厅"), ("responsible", "省公安厅")]
    assert roles("储备粮监管。(省交通厅及省应急厅配合)") == [
        ("support", "省交通厅"), ("support", "省应急厅")]
    # 和 inside one name
    assert roles("收储粮食。(省粮食和储备局负责)") == [("responsible", "省粮食和储备局")]
    assert roles("淘汰落后产能。(市工业和信息化局配合)") == [("support", "市工业和信息化局")]
    assert roles("整治管网。(住房和城乡建设厅牵头)") == [("lead", "住房和城乡建设厅")]


def test_deng_ends_a_list_and_is_not_an_agency() -> None:
    assert roles("整治油品。(省公安厅、省商务厅等相关部门负责)") == [
        ("responsible", "省公安厅"), ("responsible", "省商务厅")]
    assert roles("整治油品。(省水利厅等负责)") == [("responsible", "省水利厅")]
    assert roles("改造线路。(省交通厅等相关单位按职责分工负责)") == [("responsible", "省交通厅")]
    assert roles("加强执法。(省市场监管局等有关部门配合)") == [("support", "省市场监管局")]


def test_deng_with_a_generic_tail_ends_the_list() -> None:
    # 等 followed only by generic words (相关/有关/其他 部门/单位, joined by 和 / 及 / 、) names no agency
    assert roles("联合执法。(省公安厅、省农业农村厅等有关部门和单位按职责分工负责)") == [
        ("responsible", "省公安厅"), ("responsible", "省农业农村厅")]
    assert roles("推进改造。(省住建厅等相关部门、单位配合)") == [("support", "省住建厅")]
    # a name that merely contains 其他成员单位 after 及 is still a name
    assert roles("推进改造。(省能源局及省清洁取暖工作领导小组其他成员单位负责)") == [
        ("responsible", "省能源局"), ("responsible", "省清洁取暖工作领导小组其他成员单位")]


def test_role_word_strengthened_by_fuze_keeps_its_role() -> None:
    # 牵头负责 is lead, 负责督促指导 is guide: 负责 does not add a second role nor join the name
    assert roles("建设监测网络。(省气象局牵头负责,省生态环境厅配合)") == [
        ("lead", "省气象局"), ("support", "省生态环境厅")]
    assert roles("清理违规项目。(省发展改革委负责督促指导,各市人民政府负责落实)") == [
        ("guide", "省发展改革委"), ("responsible", "各市人民政府")]


def test_shared_suffix_is_expanded() -> None:
    assert roles("运输煤炭。(中国铁路北京局、太原局集团有限公司配合)") == [
        ("support", "中国铁路北京局集团有限公司"), ("support", "中国铁路太原局集团有限公司")]
    # a company nobody registered: the suffix is still shared
    assert roles("实施超低排放改造。(山西焦煤、潞安化工集团有限公司负责)") == [
        ("responsible", "山西焦煤集团有限公司"), ("responsible", "潞安化工集团有限公司")]


def test_shared_prefix_is_expanded() -> None:
    assert roles("落实属地责任。(各市、县人民政府负责)") == [
        ("responsible", "各市人民政府"), ("responsible", "各县人民政府")]
    assert roles("开展执法。(省生态环境厅、水利厅牵头)") == [("lead", "省生态环境厅"), ("lead", "省水利厅")]
    # a name with a level of its own keeps it
    assert roles("开展执法。(省生态环境厅、各市人民政府负责)") == [
        ("responsible", "省生态环境厅"), ("responsible", "各市人民政府")]


def test_prefix_and_conjunction_together() -> None:
    assert roles("统筹推进。(各市、县人民政府和省直相关部门负责)") == [
        ("responsible", "各市人民政府"), ("responsible", "各县人民政府"), ("responsible", "省直相关部门")]


def test_parenthetical_in_a_paragraph_of_its_own() -> None:
    text = "3.清理河道。清理河道垃圾。\n巩固治理成果。\n(省水利厅牵头,省住建厅配合)"
    assert roles(text) == [("lead", "省水利厅"), ("support", "省住建厅")]


def test_no_parenthetical_or_one_without_roles_gives_nothing() -> None:
    assert roles("(一)加强组织领导\n各市、县人民政府是责任主体。") == []
    assert roles("编制《黄河流域生态保护规划(2022—2025年)》") == []
    assert closing_parenthetical("治理(试点)完成。") is None  # a bracket inside the item does not close it
    assert closing_parenthetical("治理完成。(省水利厅(河长办)负责)。\n") == (6, 17)


def test_spans_are_the_names_as_written() -> None:
    text = "运输煤炭。(中国铁路郑州局、北京局集团有限公司等相关单位配合)"
    r = read_roles(text, offset=100)
    assert [text[m.start - 100:m.end - 100] for m in r.mentions] == ["中国铁路郑州局", "北京局集团有限公司"]
    assert [m.word for m in r.mentions] == ["配合", "配合"]
    assert r.span == (6 + 100, len(text) - 1 + 100)


def test_standing_note_is_read_with_its_actor_and_span() -> None:
    text = "1.修复湿地。(省林草局牵头,各市人民政府负责。以下各项任务均需各市人民政府负责,不再列出)"
    r = read_roles(text)
    assert [(m.role, m.name) for m in r.mentions] == [("lead", "省林草局"), ("responsible", "各市人民政府")]
    (note,) = r.notes
    assert [a.name for a in note.actors] == ["各市人民政府"]
    assert text[note.start:note.end] == "以下各项任务均需各市人民政府负责"
    assert note.scope == "各项任务"
    r = read_roles("2.巡查。(省水利厅负责。以下均需各相关市人民政府负责落实,不再列出)")
    assert [a.name for a in r.notes[0].actors] == ["各相关市人民政府"]


# --- the graph and the standing-note rule ---------------------------------------------------------------------

DOC = """山西省人民政府办公厅文件

某政办发〔2024〕3号

山西省人民政府办公厅关于印发山西省湿地保护2024—2025年行动计划的通知

各市、县人民政府，省直各部门：

现将《山西省湿地保护2024—2025年行动计划》印发给你们，请认真贯彻执行。

山西省人民政府办公厅

2024年5月6日

山西省湿地保护 2024—2025 年行动计划

为保护湿地，制定本计划。

一、工作目标

到2025年，湿地面积保持稳定。

二、重点任务

(一)强化保护

1．开展湿地调查。摸清湿地底数。（省林草局牵头，省自然资源厅配合）

2．修复退化湿地。实施修复工程。（省林草局牵头，省水利厅、省财政厅配合，各市人民政府负责。以下各项任务均需各市人民政府负责，不再列出）

3．治理入湖排污口。2024年底前完成整治。

（省生态环境厅、市水务局负责）

(二)强化监管

4．加强执法检查。严查违法行为。（省公安厅、省自然资源厅等相关部门按职责分工加强督促指导）

三、保障措施

(一)加强组织领导

各地要加强领导，落实责任。（省直相关部门负责）
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Dataset]:
    root = tmp_path_factory.mktemp("roles")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "wetland.txt").write_text(DOC, encoding="utf-8")
    result = build(corpus, root / "data")
    return result, load_dataset(result.folder)


def _task(ds: Dataset, n: int) -> URIRef:
    rows = list(ds.query(sparql_prefixes() + f"SELECT ?t WHERE {{ ?t a pkb:Task ; pkb:number {n} }}"))
    assert len(rows) == 1
    return rows[0][0]


def _labels(ds: Dataset, item: URIRef, prop: str) -> set[str]:
    return {str(x) for (x,) in ds.query(sparql_prefixes() + f"""
        SELECT ?l WHERE {{ <{item}> pkb:{prop} ?a . ?a skos:prefLabel|skos:altLabel ?l }}""")}


def _names(ds: Dataset, item: URIRef, prop: str) -> set[str]:
    """The agencies of a role, each by its preferred label."""
    return {str(x) for (x,) in ds.query(sparql_prefixes() + f"""
        SELECT ?l WHERE {{ <{item}> pkb:{prop} ?a . ?a skos:prefLabel ?l }}""")}


def test_roles_become_links_to_registered_agencies(small) -> None:
    _, ds = small
    t1 = _task(ds, 1)
    assert _names(ds, t1, "leadAgency") == {"山西省林业和草原局"}
    assert "省林草局" in _labels(ds, t1, "leadAgency")
    assert _names(ds, t1, "supportingAgency") == {"山西省自然资源厅"}
    assert _names(ds, _task(ds, 4), "guidingAgency") == {"山西省公安厅", "山西省自然资源厅"}


def test_standing_note_in_a_later_task_reaches_only_the_tasks_after_it(small) -> None:
    _, ds = small
    cities = "山西省各市人民政府"
    t1, t2, t3, t4 = (_task(ds, n) for n in (1, 2, 3, 4))
    assert cities not in _names(ds, t1, "responsibleAgency")  # before the note: nothing
    assert cities in _names(ds, t2, "responsibleAgency")  # the note's own task: explicit
    assert _names(ds, t2, "inheritedResponsibleAgency") == set()
    for t in (t3, t4):
        assert cities in _names(ds, t, "responsibleAgency")
        assert _names(ds, t, "inheritedResponsibleAgency") == {cities}
    (measure,) = [r[0] for r in ds.query(sparql_prefixes() + "SELECT ?m WHERE { ?m a pkb:Measure }")]
    assert _names(ds, measure, "responsibleAgency") == {"山西省省直相关部门"}
    assert _names(ds, measure, "inheritedResponsibleAgency") == set()


def test_standing_note_is_a_node_with_provenance(small) -> None:
    _, ds = small
    rows = list(ds.query(sparql_prefixes() + """
        SELECT ?note ?item ?text (COUNT(DISTINCT ?t) AS ?n) WHERE {
          ?note a pkb:StandingNote ; pkb:statedIn ?item ; pkb:sourceText ?text ; pkb:noteAgency ?a ;
                pkb:appliesTo ?t . ?a skos:prefLabel "山西省各市人民政府"@zh .
        } GROUP BY ?note ?item ?text"""))
    assert len(rows) == 1
    _note, item, text, n = rows[0]
    assert item == _task(ds, 2)
    assert str(text) == "以下各项任务均需各市人民政府负责"
    assert int(n) == 2
    inherited = list(ds.query(sparql_prefixes() + f"""
        SELECT ?ra WHERE {{ ?ra a pkb:RoleAssignment ; pkb:roleItem <{_task(ds, 3)}> ;
                           pkb:inheritedFrom ?note ; pkb:sourceText ?t }}"""))
    assert len(inherited) == 1


def test_every_role_traces_to_the_name_as_written(small) -> None:
    result, ds = small
    text = next((result.folder / "texts").glob("*.txt")).read_text(encoding="utf-8")
    rows = list(ds.query(sparql_prefixes() + """
        SELECT ?ra ?t ?s ?e WHERE { ?ra a pkb:RoleAssignment ; pkb:sourceText ?t ; pkb:sourceStart ?s ;
                                    pkb:sourceEnd ?e . FILTER NOT EXISTS { ?ra pkb:inheritedFrom ?n } }"""))
    assert len(rows) == 11  # 2 + 4 + 2 + 2 names in the tasks, 1 in the measure
    for _ra, t, s, e in rows:
        assert text[int(s):int(e)] == str(t)


def test_unregistered_agency_is_kept_and_reported(small) -> None:
    result, ds = small
    t3 = _task(ds, 3)
    assert _names(ds, t3, "responsibleAgency") >= {"市水务局", "山西省生态环境厅"}
    (entry,) = result.report["unregistered_agencies"]
    assert entry["name"] == "市水务局"
    agency = URIRef(entry["iri"])
    assert (agency, PKB.inRegistry, Literal(False)) in ds


def test_bundled_corpus_roles(dataset: Dataset) -> None:
    """The air plan's forms: 督促指导, 负责落实 notes, the railway companies, a leading group's members."""
    def names(plan: str, n: int, prop: str) -> set[str]:
        return {str(x) for (x,) in dataset.query(sparql_prefixes() + f"""
            SELECT ?l WHERE {{ ?t pkb:inPlan/pkb:planKey "{plan}" ; pkb:number {n} ; a pkb:Task ;
                               pkb:{prop} ?a . ?a skos:prefLabel ?l }}""")}
    assert names("air", 2, "guidingAgency") == {"山西省工业和信息化厅", "山西省生态环境厅",
                                                "山西省人民政府国有资产监督管理委员会"}
    assert {"中国铁路太原局集团有限公司", "中国铁路北京局集团有限公司", "中国铁路郑州局集团有限公司"} <= names(
        "air", 11, "responsibleAgency")
    assert names("air", 9, "responsibleAgency") >= {"山西省能源局", "山西省清洁取暖工作领导小组其他成员单位"}
    assert names("air", 5, "inheritedResponsibleAgency") == {"山西省各相关市人民政府"}
    assert names("soil", 1, "inheritedResponsibleAgency") == set()
    assert names("soil", 2, "inheritedResponsibleAgency") == {"山西省各市人民政府"}
