"""Places of the sixth round (issue 14, heldout8–10's misses): a town listed with towns whatever its first word, town
and river names of four characters transliterated from Mongolian or Tibetan, the lakes of 河北 (淀) and of 西藏 (错),
canals (渠), and the kinds of water that are no names (冰湖, 堰塞湖, 沟渠, 纠错). Sentences of our own, in other
provinces and house styles than the plans the habits were seen in."""

from __future__ import annotations

import pytest

from plan_kb.reading.places import document_jurisdiction, read_places


def labels(text: str, issuer: str | None = None) -> list[str]:
    own = document_jurisdiction(issuer) if issuer else None
    return [r.label for r in read_places(text, own=own).refs()]


# --- a town in a list of towns --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("在大安镇、小河镇、金山镇建设标准化卫生院。", ["大安镇", "小河镇", "金山镇"]),  # 小… starts a name in a list
    ("支持城关镇、下坝乡和上庄乡发展庭院经济。", ["城关镇", "下坝乡", "上庄乡"]),
])
def test_a_town_listed_with_towns_is_a_town(text: str, want: list[str]) -> None:
    assert labels(text) == want


def test_a_list_of_towns_does_not_run_into_a_collective() -> None:
    assert labels("在大安镇、各镇街推广经验。") == ["大安镇"]


# --- names of four, transliterated ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("一是在乌兰哈达镇、巴彦塔拉苏木开展退化草原修复。", ["乌兰哈达镇", "巴彦塔拉苏木"]),
    ("汛期雅鲁藏布江、拉萨河干流实行水情加密监测。", ["雅鲁藏布江", "拉萨河"]),
])
def test_transliterated_names_of_four(text: str, want: list[str]) -> None:
    assert labels(text) == want


@pytest.mark.parametrize("text", [
    "有效发挥湖(库)调蓄作用,提升防洪能力。",  # 有效 + 发挥: words, no name
    "一是推进镇村生活污水治理。",
    "全面推进古巷镇建设。",  # a name of two keeps its two
])
def test_words_before_an_ending_make_no_name_of_four(text: str) -> None:
    assert not any(len(name) >= 5 for name in labels(text))


# --- lakes of 淀 and 错, canals of 渠 ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("清理烧车淀、鲥鲗淀周边围堤围埝。", ["烧车淀", "鲥鲗淀"]),
    ("对纳木错、色林错开展湖泊水位监测。", ["纳木错", "色林错"]),
    ("完成东风渠、通济渠沿线排污口整治。", ["东风渠", "通济渠"]),
])
def test_lakes_and_canals_by_their_ending(text: str, want: list[str]) -> None:
    assert labels(text) == want


@pytest.mark.parametrize("text", [
    "对高风险冰湖和堰塞湖实行24小时监测。",
    "建立容错纠错机制,及时纠错。",
    "清理沟渠、干渠和防洪渠淤积。",
    "部分淀中村污水处理站停运,主要入淀河流水质不稳定。",
    "沉淀池定期清淤。",
    "西岗村、下湾村落实专人看护。",  # 下湾村 is a village, no bay
    "在沿湖沿港码头设置警示标志。",
])
def test_kinds_of_water_are_no_names(text: str) -> None:
    assert labels(text) == []
