"""The agency registry, the look-up of any name a person types, and what an agency must do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from plan_kb.base.namespaces import ID, PKB
from plan_kb.base.resources import CORPUS, ONTOLOGY
from plan_kb.errors import Ambiguous, NotFound
from plan_kb.reading.agencies import Registry, RegistryError, find_agency, registry, responsibilities
from plan_kb.reading.roles import read_roles
from plan_kb.reading.structure import read_corpus


def test_registry_loads_with_unique_ids_labels_and_known_kinds() -> None:
    reg = registry()
    assert len(reg.agencies) >= 30
    for a in reg.agencies.values():
        assert a.source, f"{a.id} has no source for its full name"
        assert a.kind in reg.kinds
        assert str(a.iri) == str(ID[f"agency/{a.id}"])
    assert reg.get("sx-housing").name == "山西省住房和城乡建设厅"
    assert reg.get("sx-grain-reserves").parent == "sx-development-reform"
    assert [p.id for p in reg.ancestors(reg.get("cr-taiyuan"))] == ["cr-group"]


def test_every_kind_is_declared_in_the_ontology() -> None:
    onto = Graph()
    for f in ONTOLOGY.glob("*.ttl"):
        onto.parse(f, format="turtle")
    for kind in registry().kinds.values():
        assert (kind.iri, RDF.type, PKB.AgencyKind) in onto, kind.key
        assert (kind.iri, SKOS.prefLabel, Literal(kind.zh, lang="zh")) in onto, kind.key


def test_a_label_of_two_agencies_is_refused() -> None:
    reg = registry()
    a, b = reg.get("sx-finance"), reg.get("sx-commerce")
    clash = type(b)(id=b.id, name=b.name, labels=(*b.labels, "财政厅"), kind=b.kind, parent=b.parent,
                    source=b.source)
    with pytest.raises(RegistryError, match="财政厅"):
        Registry({a.id: a, b.id: clash, "sx-government": reg.get("sx-government")}, reg.kinds)


def test_every_name_the_corpus_uses_is_registered() -> None:
    reg = registry()
    unknown = set()
    for doc in read_corpus(CORPUS):
        for plan in doc.plans:
            for item in plan.items:
                r = read_roles(item.text, item.start)
                names = [m.name for m in r.mentions] + [a.name for n in r.notes for a in n.actors]
                unknown |= {n for n in names if not reg.knows(n)}
    assert not unknown


@pytest.mark.parametrize(("typed", "agency_id"), [
    ("省住建厅", "sx-housing"), ("住房和城乡建设厅", "sx-housing"), ("山西省住房和城乡建设厅", "sx-housing"),
    ("生态环境厅", "sx-ecology-environment"), ("环保厅", "sx-ecology-environment"),
    ("省发展改革委", "sx-development-reform"), ("发改委", "sx-development-reform"),
    ("省林草局", "sx-forestry-grassland"), ("省审批服务管理局", "sx-admin-approval"),
    ("省国资委", "sx-sasac"), ("省粮食和储备局", "sx-grain-reserves"),
    ("各市人民政府", "city-governments"), ("各相关市人民政府", "relevant-city-governments"),
    ("省直相关部门", "provincial-departments"), ("中国铁路太原局", "cr-taiyuan"),
    ("山西省水利厅", "sx-water-resources"), ("水利厅", "sx-water-resources"),
    ("山西省公安厅", "sx-public-security"), ("sx-energy", "sx-energy"),
    ("林业和草原", "sx-forestry-grassland"),  # part of a name, one agency has it
])
def test_lookup_by_any_label_or_short_form(typed: str, agency_id: str) -> None:
    assert find_agency(typed).id == agency_id


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(Ambiguous) as exc:
        find_agency("铁路")
    assert len(exc.value.candidates) >= 3
    assert any("中国铁路太原局集团有限公司" in c for c in exc.value.candidates)


def test_unknown_name_is_not_found() -> None:
    with pytest.raises(NotFound):
        find_agency("省海洋局")
    with pytest.raises(NotFound):
        find_agency("  ")


def test_unregistered_agency_is_reported_and_found_in_the_graph(tmp_path: Path) -> None:
    from plan_kb.build import build
    from plan_kb.store.folders import load_dataset

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "city.txt").write_text(
        "某市节水2024—2025年行动计划\n\n一、重点任务\n\n"
        "1．推进节水改造。完成管网改造。（市水务局牵头，省水利厅配合）\n\n"
        "2．推广再生水。扩大利用。（市水务局负责）\n", encoding="utf-8")
    result = build(corpus, tmp_path / "data")
    names = [e["name"] for e in result.report["unregistered_agencies"]]
    assert names == ["市水务局"]
    ds = load_dataset(result.folder)
    agency = find_agency("市水务局", ds)
    assert not agency.registered and agency.name == "市水务局"
    with pytest.raises(NotFound):
        find_agency("市水务局")  # without the graph only the registry is known
    res = responsibilities(ds, agency)
    (plan,) = res.plans
    assert [(d.role, d.number) for d in plan.duties] == [("lead", 1), ("responsible", 2)]
    water = responsibilities(ds, "水利厅")
    assert [(d.role, d.number) for d in water.plans[0].duties] == [("support", 1)]


def test_responsibilities_in_the_bundled_corpus(dataset) -> None:
    res = responsibilities(dataset, "省住建厅")
    assert res.agency.name == "山西省住房和城乡建设厅"
    water = next(p for p in res.plans if p.key == "water")
    assert [d.number for d in water.by_role("lead")] == [3, 5, 7, 18, 19, 20]
    assert [d.number for d in water.by_role("support")] == [8, 10]
    cities = responsibilities(dataset, "各市人民政府")
    water = next(p for p in cities.plans if p.key == "water")
    assert [d.number for d in water.by_role("responsible")] == list(range(1, 21))
    assert [d.number for d in water.duties if d.inherited] == list(range(2, 21))


def test_cli_prints_the_same_list_for_two_names(use_kb: Path) -> None:
    def run(name: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "plan_kb", "agency", name], capture_output=True, text=True,
                              timeout=120)
    a, b = run("省住建厅"), run("住房和城乡建设厅")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert a.stdout.startswith("山西省住房和城乡建设厅")
    assert "18. 开展城市黑臭水体排查整治专项行动" in a.stdout
    bad = run("铁路")
    assert bad.returncode == 2 and "中国铁路太原局集团有限公司" in bad.stderr
