"""An agency's other name in brackets (一个机构两块牌子) reaches the graph as one agency: the role is the agency's, both
names and the name as written are among its labels, and the other name is a node of the document's own with the span
where the document writes it. Also the roles an annex gives by ordinal, with their spans, and the graph passes its
shapes."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDFS, SKOS

from plan_kb.base.namespaces import PKB
from plan_kb.graph.validate import validate_graph
from tests.graph.helpers import built

DOC = """遵义市2025年森林草原防灭火工作方案

为切实做好森林草原防灭火工作，制定本方案。

一、重点任务

1.开展火灾隐患排查。对林区坟头、农事用火点全面排查，2025年3月底前建立隐患台账。
牵头单位：市林业局（市草原局）
责任单位：市应急局（市地震局）、各县（市、区）人民政府

2.加强扑火队伍建设。组建专业扑火队伍10支。（市应急局（市地震局）牵头，市林业局（市草原局）配合）
"""



def test_an_agency_with_its_other_name_is_one_agency_with_both_labels() -> None:
    ds, g = built(DOC, "zunyi.txt")
    leads = set(g.objects(None, PKB.leadAgency))
    supports = set(g.objects(None, PKB.supportingAgency))
    forestry = {a for a in leads | supports if "市草原局" in {str(x) for x in g.objects(a, SKOS.altLabel)}}
    assert len(forestry) == 1  # task 1's lead and task 2's support: the same agency
    labels = {str(x) for x in g.objects(next(iter(forestry)), SKOS.prefLabel | SKOS.altLabel)}
    assert {"市林业局(市草原局)", "市草原局"} <= labels
    assert not any("草原局" in str(x) and "林业" not in str(x)
                   for a in leads for x in g.objects(a, SKOS.prefLabel))  # no agency of its own for the other name
    others = list(g.subjects(RDFS.label, Literal("市地震局", lang="zh")))
    assert others and all((o, PKB.otherNameOf, None) in g for o in others)
    text = next(iter(g.objects(others[0], PKB.sourceText)))
    assert str(text) == "市地震局"
    violations = [f for f in validate_graph(ds) if f.severity == "Violation"]
    assert violations == [], violations


SHORT_NAMES = """某区2025年背街小巷整治工作方案

为改善人居环境，由区城市管理委员会（以下简称“区城管委”）牵头组织实施，制定本方案。

一、重点任务

1.整治占道经营。开展集中整治。（区城管委牵头，区市场监管局配合）

2.规范停车秩序。施划停车泊位。（区公安分局牵头，区城市管理委员会配合）
"""


def test_a_short_name_the_plan_defines_is_the_agency_it_names() -> None:
    _ds, g = built(SHORT_NAMES, "xiaoxiang.txt")
    leads = set(g.objects(None, PKB.leadAgency)) | set(g.objects(None, PKB.supportingAgency))
    city = [a for a in leads if "区城管委" in {str(x) for x in g.objects(a, SKOS.prefLabel | SKOS.altLabel)}]
    assert len(city) == 1
    labels = {str(x) for x in g.objects(city[0], SKOS.prefLabel | SKOS.altLabel)}
    assert "区城市管理委员会" in labels or any("城市管理委员会" in x for x in labels), labels
    # task 2 names it in full: the same agency
    supports = set(g.objects(None, PKB.supportingAgency))
    assert city[0] in supports
