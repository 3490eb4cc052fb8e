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
from plan_kb.reading.agencies import Registry, RegistryError, find_agency, registry, resolve, responsibilities
from plan_kb.reading.gazetteer import gazetteer
from plan_kb.reading.roles import read_roles
from plan_kb.reading.structure import read_corpus

SHANXI = gazetteer().get("140000")


def test_registry_loads_with_sources_and_known_kinds() -> None:
    reg = registry()
    assert len(reg.named) >= 15 and len(reg.bodies) >= 40
    for aid, e in reg.named.items():
        assert e["source"], f"{aid} has no source for its full name"
        assert e["kind"] in reg.kinds
        assert str(reg.named_agency(aid).iri) == str(ID[f"agency/{aid}"])
    assert [p.id for p in reg.named_agency("cr-taiyuan").ancestors()] == ["cr-group"]
    grain = resolve("省粮食和储备局", SHANXI)
    assert grain.id == "sx-grain-reserves" and grain.parent == "sx-development-reform"


def test_every_kind_is_declared_in_the_ontology() -> None:
    onto = Graph()
    for f in ONTOLOGY.glob("*.ttl"):
        onto.parse(f, format="turtle")
    for kind in registry().kinds.values():
        iri = PKB[kind.iri_name]
        assert (iri, RDF.type, PKB.AgencyKind) in onto, kind.key
        assert (iri, SKOS.prefLabel, Literal(kind.zh, lang="zh")) in onto, kind.key


def test_a_label_of_two_bodies_of_one_jurisdiction_is_refused() -> None:
    reg = registry()
    named = dict(reg.named)
    named["sx-other"] = {**named["sx-clean-heating-group"], "id": "sx-other", "name": "山西省另一个领导小组"}
    with pytest.raises(RegistryError, match="清洁取暖工作领导小组"):
        Registry(reg.kinds, named, reg.bodies, reg.party_bodies, reg.collectives, reg.townships,
                 reg.division_bodies, reg.slugs, reg.prefixes, reg.party_prefixes, reg.party_template, reg.source)
    clash = [*reg.bodies, type(reg.bodies[0])(**{**reg.bodies[0].__dict__, "key": "clash"})]
    with pytest.raises(RegistryError, match="belongs to both"):
        Registry(reg.kinds, reg.named, clash, reg.party_bodies, reg.collectives, reg.townships,
                 reg.division_bodies, reg.slugs, reg.prefixes, reg.party_prefixes, reg.party_template, reg.source)


def test_every_name_the_corpus_uses_is_registered() -> None:
    unknown = set()
    for doc in read_corpus(CORPUS):
        for plan in doc.plans:
            for item in plan.items:
                r = read_roles(item.text, item.start)
                names = [m.name for m in r.mentions] + [a.name for n in r.notes for a in n.actors]
                unknown |= {n for n in names if not resolve(n, SHANXI).registered}
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
    ("山西省公安厅", "sx-public-security"), ("省能源局", "sx-energy"), ("省政府", "sx-government"),
    ("省清洁取暖工作领导小组", "sx-clean-heating-group"),
])
def test_the_shanxi_bodies_keep_their_ids(typed: str, agency_id: str) -> None:
    assert find_agency(typed, within="山西省").id == agency_id


@pytest.mark.parametrize(("home", "written", "full_name", "agency_id"), [
    ("445100", "市生态环境局", "潮州市生态环境局", "445100-ecology-environment"),
    ("445100", "发展和改革局", "潮州市发展和改革局", "445100-development-reform"),  # 广东's cities: 局, not 委
    ("445100", "市场监管局", "潮州市市场监督管理局", "445100-market-regulation"),
    ("445100", "省生态环境厅", "广东省生态环境厅", "440000-ecology-environment"),
    ("445100", "生态环境厅", "广东省生态环境厅", "440000-ecology-environment"),  # a province's name: its province
    ("445100", "各县人民政府", "潮州市各县人民政府", "445100-county-governments"),
    ("445100", "各区人民政府(管委会)", "潮州市各区人民政府(管委会)", "445100-district-governments"),
    ("445100", "潮安区人民政府", "潮州市潮安区人民政府", "445103-government"),
    ("445100", "市公安局交警支队", "潮州市公安局交通警察支队", "445100-public-security-jiao-tong-jing-cha-zhi-dui"),
    ("445100", "枫溪区管委会", "潮州市枫溪区管理委员会", "445100-fengxi-district"),
    ("140700", "市生态环境局", "晋中市生态环境局", "140700-ecology-environment"),
    ("140700", "各县(区、市)人民政府", "晋中市各县(区、市)人民政府", "140700-county-governments"),
    ("140700", "省生态环境厅", "山西省生态环境厅", "sx-ecology-environment"),
    ("320100", "市工信局", "南京市工业和信息化局", "320100-industry-it"),
    ("320100", "市规划资源局", "南京市规划和自然资源局", "320100-natural-resources"),
    ("320100", "各区政府", "南京市各区人民政府", "320100-district-governments"),
    ("320100", "高淳区政府", "南京市高淳区人民政府", "320118-government"),
    ("310104", "区科委", "上海市徐汇区科学技术委员会", "310104-science-technology"),
    ("310104", "区委组织部", "中共上海市徐汇区委员会组织部", "310104-party-organization"),
    ("310104", "华泾镇", "上海市徐汇区华泾镇人民政府", "310104-hua-jing-zhen"),
    ("310104", "枫林路街道", "上海市徐汇区人民政府枫林路街道办事处", "310104-feng-lin-lu-jie-dao"),
    ("310104", "各镇", "上海市徐汇区各镇人民政府", "310104-town-governments"),
    ("510000", "省委网信办", "中共四川省委网络安全和信息化委员会办公室", "510000-party-cyberspace"),
    ("510000", "各市（州）人民政府", "四川省各市(州)人民政府", "510000-city-governments"),
    ("510000", "成都市人民政府", "成都市人民政府", "510100-government"),
])
def test_a_name_is_read_in_the_documents_jurisdiction(home: str, written: str, full_name: str,
                                                      agency_id: str) -> None:
    a = resolve(written, gazetteer().get(home))
    assert (a.name, a.id) == (full_name, agency_id)
    assert a.registered


def test_former_names_are_labels_of_todays_body_with_the_year() -> None:
    a = resolve("省环保厅", SHANXI)
    assert a.id == "sx-ecology-environment" and a.name == "山西省生态环境厅"
    assert ("环境保护厅", 2018) in a.former and "省环保厅" in a.labels
    land = resolve("市国土资源局", gazetteer().get("445100"))
    assert land.name == "潮州市自然资源局" and ("国土资源局", 2018) in land.former


@pytest.mark.parametrize("written", ["市生态环境局", "省生态环境厅", "生态环境厅", "各县人民政府", "各市人民政府",
                                     "省直相关部门", "省清洁取暖工作领导小组", "市场监管局", "省政府", "发改委"])
@pytest.mark.parametrize("home", ["445100", "320100", "310104", "510000", "330000"])
def test_a_name_outside_shanxi_never_resolves_to_a_shanxi_body(written: str, home: str) -> None:
    a = resolve(written, gazetteer().get(home))
    assert not (a.jurisdiction or "").startswith("14"), (written, home, a)
    assert not a.id.startswith(("sx-", "city-governments", "county-governments", "provincial-departments"))
    assert resolve("山西省" + written.lstrip("省"), gazetteer().get(home)).jurisdiction in (None, "140000")


def test_without_a_jurisdiction_only_national_bodies_and_named_places_resolve() -> None:
    assert resolve("中国铁路太原局", None).id == "cr-taiyuan"
    assert resolve("山西省生态环境厅", None).id == "sx-ecology-environment"
    assert not resolve("省水利厅", None).registered


def test_ambiguous_name_lists_candidates(dataset) -> None:
    with pytest.raises(Ambiguous) as exc:
        find_agency("铁路", dataset)
    assert len(exc.value.candidates) >= 3
    assert any("中国铁路太原局集团有限公司" in c for c in exc.value.candidates)


def test_unknown_name_is_not_found(dataset) -> None:
    with pytest.raises(NotFound):
        find_agency("省海洋局", dataset)
    with pytest.raises(NotFound):
        find_agency("省海洋局", within="山西省")
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
    # no issuer, no place in the title: no jurisdiction, so 市 and 省 name no government
    names = [e["name"] for e in result.report["unregistered_agencies"]]
    assert names == ["市水务局", "省水利厅"]
    assert any(w["kind"] == "jurisdiction" for w in result.report["warnings"])
    ds = load_dataset(result.folder)
    agency = find_agency("市水务局", ds)
    assert not agency.registered and agency.name == "市水务局"
    with pytest.raises(NotFound):
        find_agency("市水务局")  # without the graph only the registry is known
    res = responsibilities(ds, agency)
    (plan,) = res.plans
    assert [(d.role, d.number) for d in plan.duties] == [("lead", 1), ("responsible", 2)]
    water = responsibilities(ds, "水利厅")
    assert water.agency.name == "省水利厅" and not water.agency.registered
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
