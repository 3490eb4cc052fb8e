"""Healing the PDF's scars without changing the wording, with a map back to the original."""

from __future__ import annotations

import pytest

from plan_kb.reading.normalize import loose, normalize


def test_page_break_inside_a_sentence_is_joined() -> None:
    n = normalize("2022年底前完成改造。2023年\n\n底前全面完成。\n\n(二)深化治理")
    assert n.text == "2022年底前完成改造。2023年底前全面完成。\n(二)深化治理"


@pytest.mark.parametrize("footer", ["— 7 —", "-7-", "－ 7 －", "第7页 共12页", "第 7 页", "7/12"])
def test_a_page_number_line_is_dropped_and_the_sentence_joined(footer: str) -> None:
    n = normalize(f"各街道要在2025年6月底前完成老旧\n\n{footer}\n\n小区改造。\n配合单位:区财政局\n{footer}\n"
                  "(二)深化治理")
    assert n.text == "各街道要在2025年6月底前完成老旧小区改造。\n配合单位:区财政局\n(二)深化治理"
    assert "page-number" in {h.kind for h in n.healings}


def test_break_after_a_sentence_end_or_closing_parenthetical_is_kept() -> None:
    n = normalize("完成改造。\n\n加快建设。(省住建厅牵头)\n\n推进治理。")
    assert n.text.split("\n") == ["完成改造。", "加快建设。(省住建厅牵头)", "推进治理。"]


@pytest.mark.parametrize("close", ["】", "〕", "]", ")"])
def test_break_after_a_role_note_in_any_bracket_is_kept(close: str) -> None:
    opening = {"】": "【", "〕": "〔", "]": "[", ")": "("}[close]
    n = normalize(f"整治燃煤锅炉,年内完成{opening}区住建局牵头{close}\n\n开展道路扬尘整治。")
    assert len(n.text.split("\n")) == 2


@pytest.mark.parametrize("item", ["(2)开展扬尘整治。", "（2）开展扬尘整治。", "②开展扬尘整治。"])
def test_a_numbered_item_in_brackets_or_a_circle_is_never_joined_upward(item: str) -> None:
    n = normalize(f"(1)推进锅炉改造,年内完成\n\n{item}")
    assert len(n.text.split("\n")) == 2


def test_heading_is_not_joined_to_its_body() -> None:
    n = normalize("三、重点任务\n\n(一)强化水资源管控\n\n1. 保障生态流量。")
    assert n.text.split("\n") == ["三、重点任务", "(一)强化水资源管控", "1.保障生态流量。"]


def test_cited_title_cut_by_a_page_break_runs_on() -> None:
    n = normalize("严格按照《山西省黄河流域国考断面水质稳定达标管理办法\n\n(试行)》规定,进行问责。")
    assert "《山西省黄河流域国考断面水质稳定达标管理办法(试行)》" in n.text


def test_latex_becomes_plain_text() -> None:
    n = normalize(r"排放浓度分别不高于 $5\text{mg}/\text{m}^3$ 、 $35\text{mg}/\text{m}^3$ ,PM_{2.5} 平均浓度")
    assert n.text == "排放浓度分别不高于5mg/m³、35mg/m³,PM2.5平均浓度"


def test_latex_with_mathrm_and_braced_superscript() -> None:
    assert normalize(r"不高于 $10\mathrm{mg/m^{3}}$ 。").text == "不高于10mg/m³。"


def test_full_width_punctuation_and_stray_spaces() -> None:
    n = normalize("（省生态环境厅牵头，省水利厅配合；各市负责）2022 年底前达到 24.8% 以上")
    assert n.text == "(省生态环境厅牵头,省水利厅配合;各市负责)2022年底前达到24.8%以上"


def test_space_between_ascii_words_is_kept() -> None:
    assert normalize("采用 A B 工艺").text == "采用A B工艺"


def test_slipped_english_word_is_put_back_and_reported() -> None:
    n = normalize("加大清洁取暖财政资金支持 and 价格政策")
    assert n.text == "加大清洁取暖财政资金支持和价格政策"
    assert [h.kind for h in n.healings] == ["slipped-word"]


def test_repeated_character_across_a_page_break_is_reported_not_changed() -> None:
    n = normalize("污染防治项目管理系统的项目申报\n\n报、录入、把关等工作")
    assert "申报报" in n.text
    assert len(n.doubts) == 1 and n.doubts[0].kind == "repeated-across-page-break"
    assert n.text[n.doubts[0].start] == "报"


@pytest.mark.parametrize("text", [
    "2023年\n\n底前,11个县级城市",
    r"不高于 $10\text{mg}/\text{m}^3$ 、 $20\text{mg}/\text{m}^3$ 。",
    "（省住建厅牵头，省生态环境厅配合）",
])
def test_map_leads_back_to_the_same_words(text: str) -> None:
    n = normalize(text)
    for a in range(len(n.text)):
        for b in range(a + 1, len(n.text) + 1):
            oa, ob = n.to_original(a, b)
            assert loose(n.text[a:b]) in loose(text[oa:ob]) or loose(text[oa:ob]) in loose(n.text[a:b])


def test_map_segments_round_trip() -> None:
    n = normalize("2022 年底前\n\n完成")
    rebuilt = [0] * len(n.text)
    for ns, os_, length in n.segments():
        for k in range(length):
            rebuilt[ns + k] = os_ + k
    assert rebuilt == n.offsets


def test_a_labelled_role_line_cut_inside_its_last_name_runs_on() -> None:
    n = normalize("责任单位:区民政局、区财政局按职责分工负责,各乡\n镇人民政府具体负责\n3.推进养老服务。")
    assert n.text.split("\n")[0] == "责任单位:区民政局、区财政局按职责分工负责,各乡镇人民政府具体负责"
