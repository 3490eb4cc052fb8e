"""Agency names as the document writes them (issue 14): a party committee's prefix shared by its departments only,
a body named after its own place or 首都 that takes no level of the list, and a short name the document gives its
government (以下简称"师市") read as that government's level. Sentences of our own, in more than one form."""

from __future__ import annotations

from plan_kb.reading.gazetteer import gazetteer
from plan_kb.reading.jurisdiction import as_level, level_aliases
from plan_kb.reading.registry import resolve
from plan_kb.reading.role_names import read_names


def names(text: str) -> list[str]:
    return [m.name for m in read_names(text, 0, len(text))]


def test_a_party_committees_prefix_goes_to_its_departments() -> None:
    assert names("市委宣传部、组织部、统战部") == ["市委宣传部", "市委组织部", "市委统战部"]
    assert names("县委组织部、宣传部、县人社局") == ["县委组织部", "县委宣传部", "县人社局"]


def test_the_other_bodies_of_such_a_list_take_the_level() -> None:
    assert names("市委宣传部、发改委、教育局") == ["市委宣传部", "市发改委", "市教育局"]
    assert names("区委政法委、司法局") == ["区委政法委", "区司法局"]


def test_a_body_named_after_its_place_or_the_capital_takes_no_level() -> None:
    assert names("市发改委、首都文明办") == ["市发改委", "首都文明办"]
    assert names("市住建局、公积金张家港分中心") == ["市住建局", "公积金张家港分中心"]


def test_a_short_name_shares_itself_over_the_list() -> None:
    assert names("师市水利局、财政局、农业农村局") == ["师市水利局", "师市财政局", "师市农业农村局"]


def test_the_short_name_a_document_gives_its_government() -> None:
    text = "为加快推进新疆生产建设兵团第八师石河子市（以下简称“师市”）高标准农田建设，制定本计划。"
    assert level_aliases(text)["师市"] == "市"
    assert level_aliases("推进某某自治县（以下简称“我县”）建设")["我县"] == "县"
    assert as_level("师市财政局", {"师市": "市"}) == "市财政局"
    shz = gazetteer().get("659001")
    assert resolve(as_level("师市水利局", level_aliases(text)) or "", shz).name == "石河子市水利局"
