"""The reader that composes (issue 16): date forms, slips of a pinyin input method, one composed query for every
constraint, the ``constraints`` list, answers a person reads (count first, one line per task, Chinese dates, past
deadlines marked), follow-ups that keep the conversation's constraints, and the new intents."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plan_kb.answers.ask.text import find_dates, fold

TODAY = date(2022, 12, 1)


def refs(out: dict) -> list[str]:
    return [f"{t['plan']}#{t['number']}" for t in out["tasks"]]


@pytest.mark.parametrize("text,mode,start,end", [
    ("23年6月底前", "by", "2023-06-01", "2023-06-30"),
    ("2023.6.30前", "by", "2023-06-30", "2023-06-30"),
    ("2023/10/31前", "by", "2023-10-31", "2023-10-31"),
    ("2022年Q3", "within", "2022-07-01", "2022-09-30"),
    ("2022年第三季度", "within", "2022-07-01", "2022-09-30"),
    ("第三季度", "within", "2022-07-01", "2022-09-30"),
    ("下半年", "within", "2022-07-01", "2022-12-31"),
    ("明年6月", "within", "2023-06-01", "2023-06-30"),
    ("今年底前", "by", "2022-01-01", "2022-12-31"),
    ("2023年Q3结束前", "by", "2023-07-01", "2023-09-30"),
    ("自2023年起", "from", "2023-01-01", "2023-12-31"),
])
def test_date_forms(text, mode, start, end):
    (d,) = find_dates(fold(text), TODAY)
    assert (d.mode, d.start.isoformat(), d.end.isoformat()) == (mode, start, end)


def test_a_slip_is_corrected_against_the_graph_and_shown(asker):
    out = asker.ask("清洁取暖改造谁来配和?", today=TODAY)
    assert out["intent"] == "support" and refs(out) == ["air#9"]
    assert "按“配合”理解" in out["answer"]
    (slip,) = [c for c in out["constraints"] if c["kind"] == "slip"]
    assert slip["text"] == "配和" and slip["linked"] == [{"value": "配合"}]


def test_words_of_the_plans_are_not_slips(asker):
    for q in ("住建和生态环境厅一起牵头的是哪些", "污水厂超过设计能力百分之几就得扩容",
              "地下水计划里2023年底前的节点有哪些?"):
        assert not [c for c in asker.ask(q, today=TODAY)["constraints"] if c["kind"] == "slip"], q


def test_two_agencies_and_a_date_compose_into_one_query(asker):
    out = asker.ask("住建厅和生态环境厅一起牵头的有哪些", today=TODAY)
    assert out["intent"] == "agency_tasks" and sorted(refs(out)) == ["water#18", "water#20"]
    assert out["sparql"].count("SELECT") == 1 and out["sparql"].count("?prop1") >= 1
    dated = asker.ask("水利厅2023年6月底前要完成什么?", today=TODAY)
    assert dated["intent"] == "due_by" and len(refs(dated)) == 5  # not every agency's 19
    assert "hasDeadline" in dated["sparql"] and "?prop0" in dated["sparql"]
    assert all(c["used"] for c in dated["constraints"] if c["kind"] in ("agency", "date"))


def test_constraints_say_what_was_found_linked_and_used(asker):
    out = asker.ask("住建在水这块今年底前要弄完啥", today=TODAY)
    kinds = {c["kind"]: c for c in out["constraints"]}
    assert kinds["agency"]["linked"][0]["label"] == "山西省住房和城乡建设厅" and kinds["agency"]["used"]
    assert kinds["plan"]["text"].startswith("水") and kinds["plan"]["used"]
    assert kinds["date"]["linked"][0]["end"] == "2022-12-31" and kinds["date"]["used"]
    for c in out["constraints"]:
        assert set(c) >= {"kind", "text", "linked", "used"}


def test_a_constraint_not_used_is_said(asker):
    out = asker.ask("大同、朔州、忻州的非标油品任务有哪些?", today=TODAY)
    # no task naming the three cities is about 非标油品, and the one that is (air 20) names no place: it applies
    # across the province, so it is the answer, and the answer says that no task names the cities
    assert refs(out) == ["air#20"] and "没有任务点名大同市、朔州市、忻州市" in out["answer"]
    out = asker.ask("大同、朔州、忻州的焦化超低排放任务有哪些?", today=TODAY)
    # air 4 is about it and names a place (the 1+30 area), none of the three: the cities' task, the topic said unused
    assert refs(out) == ["air#9"] and "没有用上" in out["answer"]
    unknown = asker.ask("教育厅和住建厅一起牵头的有哪些", today=TODAY)
    assert "知识库里没有“教育厅”" in unknown["answer"]
    named = [c["used"] for c in unknown["constraints"] if c["kind"] == "agency" and c["text"] == "教育厅"]
    assert named == [False]


def test_answer_lines_dates_in_chinese_and_past_marked(asker):
    out = asker.ask("水这块2022年底前要完成啥", today=date(2023, 3, 1))
    first, *lines = out["answer"].split("\n")
    assert "共6项" in first and len(lines) == 6
    assert all(line.startswith("· 水环境质量再提升第") for line in lines)
    assert "2022年12月31日前(已过)" in out["answer"] and not re.search(r"\d{4}-\d\d-\d\d", out["answer"])
    before = asker.ask("水这块2022年底前要完成啥", today=date(2022, 6, 1))
    assert "已过" not in before["answer"]


def test_count_compare_yes_no_when(asker):
    count = asker.ask("住建厅在水这块牵头几项", today=TODAY)
    assert count["intent"] == "count" and "6项" in count["answer"]
    cmp_ = asker.ask("大气和土壤哪个计划任务多", today=TODAY)
    assert cmp_["intent"] == "compare" and "空气质量" in cmp_["answer"] and "22" in cmp_["answer"]
    yes = asker.ask("海绵城市是住建厅牵头吗", today=TODAY)
    assert yes["intent"] == "yes_no" and yes["answer"].startswith("是") and refs(yes) == ["water#5"]
    no = asker.ask("湖库消落带屏障是生态环境厅牵头吗", today=TODAY)
    assert no["answer"].startswith("不是")
    when = asker.ask("推进报废矿井、钻井、取水井封井回填什么时候完成?", today=TODAY)
    assert when["intent"] == "when" and refs(when) == ["groundwater#10"] and "2023年6月30日" in when["answer"]


@pytest.mark.parametrize("turns", [
    [("海绵城市试点谁牵头", "lead", ["water#5"]), ("什么时候到期", "when", ["water#5"])],
    [("烧结机头烟气颗粒物限值多少", "threshold", ["air#5"]), ("那氮氧化物呢?", "threshold", ["air#5"])],
    [("晋中的水环境任务", "region", ["water#18"]), ("土壤呢", "region", ["soil#1"])],
    [("住建厅在水这块牵头哪些", "agency_tasks", None), ("那配合的呢", "agency_tasks", ["water#8", "water#10"])],
])
def test_followups_keep_the_conversations_constraints(asker, turns):
    cid = f"compose{abs(hash(turns[0][0]))}"
    for q, intent, want in turns:
        out = asker.ask(q, today=TODAY, conversation=cid)
        assert out["intent"] == intent, (q, out["answer"])
        if want is not None:
            assert sorted(refs(out)) == sorted(want), (q, out["answer"])
    if turns[0][0].startswith("烧结机"):
        assert [v["value"] for v in out["values"]] == [35]  # the 烧结机 limit, not the 焦炉 one


def test_everyday_words_are_in_scope(asker):
    for q in ("住建厅要干啥", "商务厅管啥", "阳泉要做哪些事", "秋冬季攻坚那条谁挑头?", "生态缓冲带建多宽?",
              "蓝天计划的目标是啥", "市里要负责哪些"):
        out = asker.ask(q, today=TODAY)
        assert out["intent"] != "unknown" and (out["tasks"] or out["values"]), (q, out["answer"])


def test_off_topic_stays_unknown(asker):
    for q in ("帮我写一首关于秋天的诗", "明天太原会下雨吗", "北京到太原的高铁几点发车", "1加1等于几"):
        out = asker.ask(q, today=TODAY)
        assert out["intent"] == "unknown" and not out["tasks"], (q, out["answer"])


def test_today_in_the_post_body(kb_data: Path):
    from plan_kb.service.app import create_app
    from plan_kb.service.settings import Settings

    client = TestClient(create_app(Settings(data=kb_data)))
    q = {"question": "今年年底前地下水要完成哪些"}
    a = client.post("/ask", json={**q, "today": "2022-06-01"}).json()
    b = client.post("/ask", json={**q, "today": "2023-03-01"}).json()
    assert len(a["tasks"]) == 4 and len(b["tasks"]) == 7
    assert isinstance(a["constraints"], list) and a["constraints"]


def test_where_a_task_applies(asker):
    out = asker.ask("散煤清零涉及哪些县", today=TODAY)
    assert out["intent"] == "region" and refs(out) == ["air#22"]
    assert "晋中市:" in out["answer"] and "清徐县" in out["answer"]
