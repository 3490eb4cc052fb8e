"""An agency's other name in brackets (一个机构两块牌子) reaches the graph as one agency: the role is the agency's, both
names and the name as written are among its labels, and the other name is a node of the document's own with the span
where the document writes it. Also the roles an annex gives by ordinal, with their spans, and the graph passes its
shapes."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SKOS

from plan_kb.base.namespaces import PKB
from plan_kb.graph.dataset import build_dataset
from plan_kb.graph.validate import validate_graph
from plan_kb.reading.structure import read_text

DOC = """遵义市2025年森林草原防灭火工作方案

为切实做好森林草原防灭火工作，制定本方案。

一、重点任务

1.开展火灾隐患排查。对林区坟头、农事用火点全面排查，2025年3月底前建立隐患台账。
牵头单位：市林业局（市草原局）
责任单位：市应急局（市地震局）、各县（市、区）人民政府

2.加强扑火队伍建设。组建专业扑火队伍10支。（市应急局（市地震局）牵头，市林业局（市草原局）配合）
"""


def _built(text: str, name: str):
    ds, _report = build_dataset([read_text(text, name)])
    g = Graph()
    for s_, p_, o_, _ctx in ds.quads():
        g.add((s_, p_, o_))
    return ds, g


def test_an_agency_with_its_other_name_is_one_agency_with_both_labels() -> None:
    ds, g = _built(DOC, "zunyi.txt")
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
