"""Places as the genre writes them in every province (issue 14, fresh blind plans): 苏木 / 嘎查 and state farms,
兵团 regiments, towns in brackets after a zone, names that only borrow a river's (a company, an event, a division
that starts with one), generic reservoirs, the short forms of autonomous prefectures (海南州), a suffix-less list
that is part of a word, and the plan's own province by its literary name. Sentences of our own, each habit in more
than one form and more than one province."""

from __future__ import annotations

from plan_kb.reading.gazetteer import gazetteer, short_form
from plan_kb.reading.places import document_jurisdiction, read_places


def labels(text: str, issuer: str | None = None) -> list[str]:
    own = document_jurisdiction(issuer) if issuer else None
    return [r.label for r in read_places(text, own=own).refs()]


# --- township units of 内蒙古 and their state farms ---------------------------------------------------------------
def test_sumu_and_gacha_are_towns_and_villages() -> None:
    got = labels("在宝绍岱苏木、那日图苏木和巴彦乌拉嘎查开展草畜平衡试点。", "翁牛特旗人民政府")
    assert got == ["宝绍岱苏木", "那日图苏木", "巴彦乌拉嘎查"]
    assert labels("推进查干哈达嘎查、乌兰图克苏木建设。", "锡林浩特市人民政府") == ["查干哈达嘎查", "乌兰图克苏木"]


def test_a_state_farm_stands_among_the_towns() -> None:
    got = labels("在大板镇、白音锡勒牧场和巴彦乌拉种畜场建设人工草地。", "巴林右旗人民政府")
    assert "大板镇" in got and "巴彦乌拉种畜场" in got


def test_every_sumu_town_and_farm_is_a_collective_not_a_town() -> None:
    assert labels("各苏木镇（场）要落实属地责任。", "翁牛特旗人民政府") == []
    assert labels("全苏木镇场统一部署，各嘎查村落实。", "科尔沁右翼中旗人民政府") == []


# --- regiments of the 兵团 ----------------------------------------------------------------------------------------
def test_regiments_named_by_their_number_are_places() -> None:
    assert labels("在一二一团、一三三团集中连片建设高标准农田。") == ["一二一团", "一三三团"]
    assert labels("支持一五〇团和121团发展设施农业。") == ["一五〇团", "121团"]


def test_words_with_tuan_are_no_regiments() -> None:
    assert labels("组建第一团队，加强团结协作，共青团员参与。") == []


# --- towns in brackets after a zone, a town of a county-level city ------------------------------------------------
def test_a_zone_carries_its_town_in_brackets() -> None:
    got = labels("推进经开区（杨舍镇）、保税区（金港街道）、冶金工业园（锦丰镇）污水管网建设。", "张家港市人民政府")
    assert got == ["杨舍镇", "金港街道", "锦丰镇"]
    got = labels("在高新区(东城街道)、临港新区(滨海镇)建设应急物资库。", "某某县人民政府")
    assert got == ["东城街道", "滨海镇"]


def test_a_town_named_like_a_harbour_or_river_is_the_town() -> None:
    assert labels("完成金港街道、清河街道老旧管网改造。") == ["金港街道", "清河街道"]


def test_a_town_ending_never_ends_a_longer_town() -> None:
    assert labels("完成东溪镇、赶水镇乡镇污水处理厂提标改造。") == ["东溪镇", "赶水镇"]
    assert labels("在主产乡镇建设初加工点。") == []


def test_towns_in_a_list_are_not_counties_of_other_provinces() -> None:
    got = labels("在中北镇、张家窝镇新建污水处理设施。", "天津市西青区人民政府")
    assert got == ["中北镇", "张家窝镇"]
    assert "北镇市" not in labels("推进中北镇、东乡镇改造。", "南昌市新建区人民政府")


# --- names that only borrow a water's or a division's --------------------------------------------------------------
def test_a_company_or_event_named_after_a_river_is_no_river() -> None:
    assert labels("以冰雪大世界、松花江冰雪嘉年华为龙头。", "黑龙江省人民政府办公厅") == []
    assert labels("支持芜湖港华燃气有限公司、长江航运集团扩大服务。") == []
    assert labels("办好中国·哈尔滨国际冰雪节、中国黑河冬季汽车测试节。", "黑龙江省人民政府办公厅") == []


def test_a_city_acting_with_a_company_is_still_a_place() -> None:
    got = labels("推动牡丹江市与中国龙江森林工业集团有限公司共建旅游平台。", "黑龙江省人民政府办公厅")
    assert got == ["牡丹江市"]
    got = labels("支持宜宾市和四川港投集团有限公司共建港口。", "四川省人民政府办公厅")
    assert got == ["宜宾市"]


def test_a_water_name_that_starts_a_division_is_the_division() -> None:
    assert labels("石河子市完成老旧小区改造。", "新疆生产建设兵团办公厅") == ["石河子市"]
    assert "石河" not in labels("在石河子开展试点。")


def test_a_river_chiefs_work_is_no_river() -> None:
    assert labels("村级河长每周巡河，组建巾帼护河队，开展保护母亲河行动。") == []
    assert labels("推行巡湖、护江志愿服务。") == []


def test_generic_reservoirs_are_none_and_named_ones_are() -> None:
    got = labels("推进调蓄水库和骨干渠系配套，建设大泉沟水库、蘑菇湖水库。")
    assert got == ["大泉沟水库", "蘑菇湖水库"]
    assert labels("新建应急备用水库，加固病险水库。") == []


def test_a_reservoirs_area_names_the_reservoir() -> None:
    assert labels("加强藻渡水库库区水源涵养林建设。") == ["藻渡水库"]


# --- autonomous prefectures and counties written short --------------------------------------------------------------
def test_short_forms_of_autonomous_divisions_drop_every_people_named() -> None:
    assert short_form("张家川回族自治县") == "张家川"
    assert short_form("海西蒙古族藏族自治州") == "海西"
    assert short_form("伊犁哈萨克自治州") == "伊犁"
    assert short_form("黔西南布依族苗族自治州") == "黔西南"
    assert short_form("东乡族自治县") == "东乡"
    assert short_form("鄂伦春自治旗") == "鄂伦春"


def test_a_prefecture_written_with_zhou_is_the_autonomous_prefecture() -> None:
    qinghai = "青海省人民政府办公厅"
    assert labels("在海南州、海西州推进光伏治沙。", qinghai) == ["海南藏族自治州", "海西蒙古族藏族自治州"]
    assert labels("支持玉树、果洛、黄南3州发展生态畜牧业。", qinghai) == ["玉树藏族自治州", "果洛藏族自治州",
                                                                   "黄南藏族自治州"]
    assert labels("推进恩施州、湘西州协作。") == ["恩施土家族苗族自治州", "湘西土家族苗族自治州"]
    assert gazetteer().aliases["门源县"].name == "门源回族自治县"


def test_an_administrative_committee_is_a_place() -> None:
    assert labels("在大柴旦行委、格尔木市布局储能项目。", "青海省人民政府办公厅") == ["大柴旦行政委员会", "格尔木市"]


def test_a_suffixless_list_takes_the_level_its_suffix_says() -> None:
    assert labels("支持长春、吉林两市建设冰雪装备产业园。", "吉林省人民政府办公厅") == ["长春市", "吉林市"]


# --- the own province by its literary name; a county of another province where no word starts -----------------------
def test_the_own_province_by_its_literary_name_is_no_river() -> None:
    assert labels("讲好龙江冰雪故事，唱响畅爽龙江品牌。", "黑龙江省人民政府办公厅") == []
    assert labels("打响八闽文旅品牌，讲好三晋故事。", "福建省人民政府办公厅") == []
    assert "九龙江" in labels("推进九龙江流域综合治理。", "福建省人民政府办公厅")


def test_a_county_of_another_province_inside_a_sentence_is_not_read() -> None:
    assert labels("县市监局要会同县财政局抓好落实。", "安溪县人民政府办公室") == []
    assert labels("县发改局会同县财政局推进。", "兰考县人民政府办公室") == []


def test_a_development_zones_plan_is_its_citys() -> None:
    from plan_kb.reading.jurisdiction import read_jurisdiction

    got = read_jurisdiction(None, None, ["银川经济技术开发区2024年招商引资攻坚行动方案"])
    assert got is not None and got.division.name == "银川市"
    got = read_jurisdiction(None, None, ["苏州工业园区2025年营商环境工作要点"])
    assert got is not None and got.division.name == "苏州市"
    assert read_jurisdiction(None, None, ["长江经济带绿色发展工作方案"]) is None
    own = got.division
    assert [r.label for r in read_places("梳理国家、江苏省、苏州市各项惠企政策。", own=own).refs()] == []
