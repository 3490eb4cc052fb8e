"""Places in the plans of other provinces, cities and districts (issue 14; conventions.md, "Places"): towns and
streets, rivers, lakes, reservoirs and bays the curated list does not hold, 港澳 and 长江, districts written without
区, and the plan's own jurisdiction, which is not a place its tasks concern. Each habit on a sentence of its own."""

from __future__ import annotations

from plan_kb.reading.places import document_jurisdiction, document_province, read_places

GUANGDONG = document_province("广东省人民政府办公厅")
SHANGHAI = document_province("上海市人民政府办公厅")
JIANGSU = document_province("江苏省人民政府办公厅")


def labels(text: str, province=None, own=None) -> list[str]:
    return [r.label for r in read_places(text, province, own=own).refs()]


# --- the plan's own jurisdiction -----------------------------------------------------------------------------------
def test_the_jurisdiction_is_the_most_specific_division_the_issuer_names() -> None:
    assert document_jurisdiction("上海市青浦区人民政府办公室").name == "青浦区"
    assert document_jurisdiction("汕头市人民政府办公室").name == "汕头市"
    assert document_jurisdiction("广东省人民政府办公厅").name == "广东省"
    assert document_jurisdiction("关于印发某某方案的通知") is None


def test_own_city_and_district_and_their_short_words_are_not_places() -> None:
    own = document_jurisdiction("汕头市人民政府办公室")
    assert labels("全市建成区道路机械化清扫率达到90%以上，汕头市区全面禁燃。", own=own) == []
    qingpu = document_jurisdiction("上海市青浦区人民政府")
    assert labels("本区各街镇全面推行，全区统一部署，青浦区财政予以支持。", SHANGHAI, qingpu) == []
    assert labels("支持在沪高校与本区企业共建实验室。", SHANGHAI, qingpu) == []


def test_own_province_inside_an_agency_a_fund_or_before_a_cited_standard_is_not_a_place() -> None:
    own = document_jurisdiction("汕头市人民政府办公室")
    text = "出水执行广东省《水污染物排放限值》，用好广东省绿色发展基金和汕头市生态环境局的监测数据。"
    assert labels(text, own=own) == []
    assert labels("统筹省级财政资金和江苏省生态环境保护专项资金。", JIANGSU) == []


# --- towns and streets ----------------------------------------------------------------------------------------------
def test_towns_after_their_county_and_in_its_list() -> None:
    got = labels("以南澳县深澳镇、后宅镇和云澳镇为重点推进改造。", GUANGDONG)
    assert got == ["南澳县", "深澳镇", "后宅镇", "云澳镇"]


def test_a_town_list_without_its_county() -> None:
    assert labels("支持朱家角镇、金泽镇、练塘镇建设特色产业园。", SHANGHAI) == ["朱家角镇", "金泽镇", "练塘镇"]


def test_a_town_named_again_after_a_verb() -> None:
    assert labels("2024年底前完成莲下镇重点企业改造。", GUANGDONG) == ["莲下镇"]


def test_streets_are_places_too() -> None:
    assert labels("在枫林街道、龙华街道布局孵化空间。", SHANGHAI) == ["枫林街道", "龙华街道"]


def test_a_town_government_acting_is_no_town_concerned() -> None:
    assert labels("由浮洋镇人民政府组织实施，镇级财政予以保障。", GUANGDONG) == []


def test_generic_town_words_are_not_places() -> None:
    text = "推动城镇污水管网向乡镇延伸，各镇(街道)建设重点镇和特色小镇，建制镇全覆盖，沿河镇村同步治理。"
    assert labels(text, GUANGDONG) == []


# --- water bodies the curated list does not hold ---------------------------------------------------------------------
def test_rivers_lakes_reservoirs_and_bays_by_their_names() -> None:
    text = "加强榕江、练江、濠江等主要河流整治，保护赤坪水库和南溪湖，推进汕头湾综合治理。"
    assert labels(text, GUANGDONG) == ["榕江", "练江", "濠江", "赤坪水库", "南溪湖", "汕头湾"]


def test_a_river_before_its_trunk_basin_or_stretch() -> None:
    got = labels("深化梅溪河干流和秦淮河流域整治，巩固长江南京段岸线修复。", JIANGSU)
    assert "梅溪河" in got and "秦淮河" in got and "长江" in got


def test_words_that_end_like_a_water_body_are_not_one() -> None:
    text = "开展入河排污口排查，推进河湖长制，主要入海河流水质稳定，沿江沿河地区加强管控，建设大湾区和港口码头。"
    assert labels(text, GUANGDONG) == []


def test_a_city_named_like_a_river_stays_a_city() -> None:
    assert labels("湛江市、江门市完成改造。", GUANGDONG) == ["湛江市", "江门市"]


def test_the_yangtze_is_a_river() -> None:
    assert labels("长江流域重点水域全面禁捕。", SHANGHAI)[:1] == ["长江流域"] or "长江" in labels(
        "长江流域重点水域全面禁捕。", SHANGHAI)


# --- other regions and short district names ---------------------------------------------------------------------
def test_hong_kong_and_macao_from_their_joint_short_name() -> None:
    got = labels("深化与港澳在生物医药领域的合作。", SHANGHAI)
    assert got == ["香港特别行政区", "澳门特别行政区"]


def test_districts_written_without_qu_in_a_list() -> None:
    assert labels("推动与杨浦、徐汇等区的园区合作。", SHANGHAI) == ["杨浦区", "徐汇区"]
    assert labels("联合青浦、吴江、嘉善共建示范区。", SHANGHAI) == ["青浦区", "吴江区", "嘉善县"]
