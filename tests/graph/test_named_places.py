"""Places read by their form reach the graph: a river and a town the gazetteer does not hold become a
``pkb:WaterBody`` and a town ``pkb:Area`` under their labels, the city's own name is no concerned place, and the graph
passes its shapes. Values of other fields (money, a time allowed) become thresholds."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from plan_kb.base.namespaces import PKB, PKBUNIT
from plan_kb.graph.validate import validate_graph
from tests.graph.helpers import built

DOC = """汕头市人民政府办公室文件

汕府办〔2024〕3号

汕头市人民政府办公室关于印发汕头市2024年水污染防治工作方案的通知

各区县人民政府：

现将《汕头市2024年水污染防治工作方案》印发给你们，请认真组织实施。

汕头市人民政府办公室
2024年2月1日

汕头市2024年水污染防治工作方案

为深入打好碧水保卫战，制定本方案。

一、重点任务

1. 推进练江流域综合整治。以潮阳区铜盂镇、谷饶镇为重点，加快练江干流截污管网建设，
汕头市区污水集中收集率达到80%以上。（市水务局牵头，潮阳区人民政府负责）

2. 优化涉水审批服务。排污许可审批时限压缩至10个工作日以内，
对完成整治的企业给予最高50万元奖励。（市生态环境局负责）
"""



def test_a_river_a_town_and_values_of_other_fields_in_the_graph() -> None:
    ds, g = built(DOC, "shantou.txt")
    labels = {str(o) for p in g.objects(None, PKB.concernsPlace) for o in g.objects(p, SKOS.prefLabel)}
    assert {"练江", "潮阳区", "铜盂镇", "谷饶镇"} <= labels
    assert "汕头市" not in labels  # the plan's own city
    river = next(p for p in g.subjects(SKOS.prefLabel, Literal("练江", lang="zh")))
    assert (river, RDF.type, PKB.WaterBody) in g
    town = next(p for p in g.subjects(SKOS.prefLabel, Literal("铜盂镇", lang="zh")))
    assert (town, RDF.type, PKB.Area) in g and (town, PKB.placeType, Literal("town")) in g
    units = {str(u) for u in g.objects(None, PKB.unit)}
    assert str(PKBUNIT["WORKING-DAY"]) in units and "http://qudt.org/vocab/currency/CNY" in units
    violations = [f for f in validate_graph(ds) if f.severity == "Violation"]
    assert violations == [], violations


TABLE_DOC = """弥勒市2025年城乡环境卫生整治工作方案

为持续改善城乡人居环境，结合我市实际，制定本方案。

到2025年底，全市农村生活垃圾收运处置体系覆盖率达到95%以上。

一、重点任务

序号\t工作任务\t牵头单位\t配合单位\t完成时限
1\t开展甸溪河沿岸垃圾清理，清理河道两侧堆放的生活垃圾。\t市住房城乡建设局\t弥阳街道、虹溪镇、竹园镇人民政府\t2025年6月底前
2\t推进集镇污水管网建设，完成雨污分流改造。\t市水务局\t市财政局，各乡镇(街道)\t2025年12月底前
"""


def test_a_task_tables_role_cells_name_actors_not_places_and_goals_before_the_first_heading() -> None:
    _ds, g = built(TABLE_DOC, "mile.txt")
    labels = {str(o) for p in g.objects(None, PKB.concernsPlace) for o in g.objects(p, SKOS.prefLabel)}
    assert "甸溪河" in labels
    assert not labels & {"弥阳街道", "虹溪镇", "竹园镇"}  # they act in the support cell; the task is the river's
    supports = {str(o) for a in g.objects(None, PKB.supportingAgency)
                for o in g.objects(a, SKOS.prefLabel | SKOS.altLabel)}
    assert {"虹溪镇人民政府", "竹园镇人民政府"} <= supports, supports  # the shared 人民政府 reaches each town
    assert any("乡镇(街道)" in s for s in supports), supports
    assert len(list(g.subjects(RDF.type, PKB.Goal))) == 1  # the target stated before the first heading
