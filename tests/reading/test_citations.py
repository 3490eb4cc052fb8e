"""Documents cited in 《》: read from tasks, measures and plan preambles, linked by pkb:cites."""

from __future__ import annotations

from rdflib import Dataset
from rdflib.namespace import DCTERMS

from plan_kb.base.namespaces import PKB
from plan_kb.reading.citations import read_citations
from plan_kb.reading.normalize import normalize


def test_titles_in_order_with_their_spans() -> None:
    text = "全面落实《汾河流域上下游横向生态补偿机制实施细则(试行)》,制定出台《桑干河流域上下游横向生态补偿实施方案》。"
    found = read_citations(text)
    assert [c.title for c in found] == ["汾河流域上下游横向生态补偿机制实施细则(试行)",
                                        "桑干河流域上下游横向生态补偿实施方案"]
    assert all(text[c.start:c.end] == f"《{c.title}》" for c in found)


def test_parentheses_and_inner_titles_stay_whole() -> None:
    found = read_citations("制定印发《黄河流域(山西)水生态环境建设规划(2022—2025年)》和《关于印发《某办法》的通知》。")
    assert [c.title for c in found] == ["黄河流域(山西)水生态环境建设规划(2022—2025年)", "关于印发《某办法》的通知"]


def test_title_cut_by_a_page_break_is_healed_by_normalisation() -> None:
    text = normalize("制定印发《黄河流域（山西）水生态环境建设\n\n规划（2022—2025年）》，全面指导。").text
    assert [c.title for c in read_citations(text)] == ["黄河流域(山西)水生态环境建设规划(2022—2025年)"]


def test_unclosed_title_is_not_read() -> None:
    assert read_citations("按照《某某规定\n执行。") == []


def _cited(dataset: Dataset, plan: str, number: int) -> list[str]:
    rows = dataset.query(f"""PREFIX pkb: <https://w3id.org/plan-kb/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?t WHERE {{ ?i a pkb:Task ; pkb:number {number} ; pkb:inPlan/pkb:planKey "{plan}" ;
                           pkb:cites/dcterms:title ?t }}""")
    return sorted(str(t) for (t,) in rows)


def test_tasks_cite_in_the_graph(dataset: Dataset) -> None:
    assert _cited(dataset, "water", 1) == ["桑干河流域上下游横向生态补偿实施方案",
                                           "汾河流域上下游横向生态补偿机制实施细则(试行)"]
    assert _cited(dataset, "water", 9) == ["黄河流域(山西)水生态环境建设规划(2022—2025年)"]
    assert _cited(dataset, "water", 2) == []


def test_plans_and_measures_cite_and_shared_works_are_one_node(dataset: Dataset) -> None:
    rows = list(dataset.query("""PREFIX pkb: <https://w3id.org/plan-kb/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?p ?w WHERE { ?p a pkb:Plan ; pkb:cites ?w .
                             ?w dcterms:title "中共中央国务院关于深入打好污染防治攻坚战的意见"@zh }"""))
    assert len(rows) == 2 and len({w for _p, w in rows}) == 1  # water and groundwater cite the same work
    measure_titles = {str(t) for m in dataset.subjects(PKB.cites, None) if (m, None, PKB.Measure) in dataset
                      for w in dataset.objects(m, PKB.cites) for t in dataset.objects(w, DCTERMS.title)}
    assert "山西省水污染防治量化问责办法" in measure_titles


def test_every_citation_mention_has_provenance(dataset: Dataset) -> None:
    mentions = list(dataset.subjects(PKB.citedWork, None))
    assert len(mentions) >= 20
    for m in mentions:
        quote = str(dataset.value(m, PKB.sourceText))
        title = str(dataset.value(dataset.value(m, PKB.citedWork), DCTERMS.title))
        assert quote == f"《{title}》"
