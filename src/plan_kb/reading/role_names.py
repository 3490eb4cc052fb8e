"""Agency names in a role note's list: split at 、 and at 和 / 及 only between whole names, 等… dropped, and the
prefix or suffix a list shares expanded ("市发改委、工信局" → 市工信局; "各市、县人民政府" → 各县人民政府). Pure: text
in, names with spans out; whole names come from the agency registry and the endings an agency name has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plan_kb.reading.role_words import Known, _clean, _default_known, _split, _trim, rules


@dataclass(frozen=True)
class NameMention:
    """One agency name; ``start``/``end`` is the name as written (``北京局``), ``name`` the name it stands for
    after a shared prefix or suffix is expanded (``中国铁路北京局集团有限公司``)."""

    name: str
    start: int
    end: int
    # the agency's other name written in brackets right after it, with its span: 市卫生健康委(市中医药管理局)
    other: tuple[str, int, int] | None = None

    def shifted(self, offset: int) -> NameMention:
        other = (self.other[0], self.other[1] + offset, self.other[2] + offset) if self.other else None
        return NameMention(self.name, self.start + offset, self.end + offset, other)


# --- names -----------------------------------------------------------------------------------------------------

def _is_whole(name: str, known: Known) -> bool:
    r = rules()
    if known(name) or any(name.endswith(s) for s in r["suffixes"]):
        return True
    # a collective with the kinds of unit it also covers in brackets: 各乡镇(场), 各县(市、区), 各乡镇(街道)
    m = re.fullmatch(r"(.+?)\(([\u4e00-\u9fff、]{1,12})\)", name)
    return bool(m) and (_is_whole(m.group(1), known) or (m.group(1).startswith(r["distributive"])
                                                         and m.group(1).endswith(r["level_chars"])))


def other_name(name: str, known: Known) -> bool:
    """Whether ``name``, written in brackets right after an agency's name, is that agency's other name
    (一个机构两块牌子: 市卫生健康委(市中医药管理局), 市林业局(市草原局), 区应急局(区地震局)): one agency-like
    name — it ends in an agency ending, starts with a level, a place or a body the registry knows — and no role
    word, label or list (牵头, 市发改委配合, 牵头单位 are notes; 管委会 alone is part of its name)."""
    r = rules()
    if not name or any(c in name for c in "、,，;；:：()（）") or r["role_or_label_re"].search(name):
        return False
    bare = name in r["suffixes"] or name in r["shared_suffixes"]
    if bare or not any(name.endswith(s) for s in r["suffixes"]) or name.endswith(tuple(r["other_name_not_endings"])):
        return False
    return known(name) or name.startswith(r["other_name_starts"]) or _starts_with_place(name)


def after_name(text: str, open_at: int, known: Known) -> bool:
    """Whether the bracket opening at ``open_at`` follows an agency's name: the words back to the last separator are
    one name the registry knows or that starts with a level and ends like an agency (县文旅局, not 建设综合文化站)."""
    r = rules()
    i = open_at
    while i > 0 and text[i - 1] not in "、,，;；:：。\n\t (（)）【】〔〕[]":
        i -= 1
    head = _clean(text[i:open_at])
    return bool(head) and (known(head) or (head.startswith(r["other_name_starts"]) and len(head) <= 20
                                           and any(head.endswith(s) for s in r["suffixes"])))


def _split_other(text: str, a: int, b: int, known: Known) -> tuple[int, tuple[str, int, int] | None]:
    """A name token ``X(Y)`` whose bracket holds the agency's other name: the end of X and (Y, start, end); else
    (b, None). A name the registry knows with its bracket (各区人民政府(管委会)) stays whole."""
    token = text[a:b].rstrip()
    if not token.endswith((")", "）")) or known(_clean(token)):
        return b, None
    open_at = max(token.rfind("("), token.rfind("（"))
    if open_at <= 0:
        return b, None
    inner = _clean(token[open_at + 1:-1])
    head = _clean(token[:open_at])
    if not _is_whole(head, known) or not other_name(inner, known):
        return b, None
    x, y = _trim(text, a + open_at + 1, a + len(token) - 1)
    return a + open_at, (inner, x, y)


def _conj_split(text: str, a: int, b: int, known: Known) -> list[tuple[int, int]]:
    """Split one 、-token at 和 / 及 where both sides are whole names (省粮食和储备局 stays whole)."""
    token = _clean(text[a:b])
    if known(token):
        return [(a, b)]
    for i in range(a + 1, b - 1):
        for conj in rules()["conj"]:
            if text.startswith(conj, i) and i + len(conj) < b:
                left, right = _trim(text, a, i), _trim(text, i + len(conj), b)
                if _is_whole(_clean(text[left[0]:left[1]]), known) and _is_whole(
                        _clean(text[right[0]:right[1]]), known):
                    return [left, *_conj_split(text, right[0], right[1], known)]
                break
    return [(a, b)]


def _has_prefix(t: str, prefix: str) -> bool:
    """Whether ``t`` starts with the level prefix itself, not with a word that only begins like it (市场监管局)."""
    return t.startswith(prefix) and not t.startswith(rules()["not_level"])


def _takes_prefix(t: str, prefix: str, known: Known) -> bool:
    """Whether a name of a list takes the level prefix its first name carries."""
    r = rules()
    if _has_prefix(t, prefix):
        return False
    if prefix in r["distributive"] and t.startswith(r["sub_levels"]) and t[1:] in r["shared_suffixes"]:
        return True  # 各市、州人民政府 → 各州人民政府: a bare level's government takes the distributed 各
    if known(t):
        return False
    if any(w in t for w in r["collective_marks"]):
        return False  # 沿线各乡镇人民政府, 相关各区: a collective of its own, not a body of the list's level
    own = t.startswith(r["own_level"]) and not t.startswith(r["not_level"])
    if own:
        return prefix in r["distributive"] and t.startswith(r["sub_levels"])
    core = t
    for w in r["not_level"]:
        core = core.replace(w, "")
    if any(c in core for c in r["sub_levels"] + ("省",)):
        return False  # 团市委, 人民银行甘肃省分行, 农发行省分行: a level of its own
    if t.endswith(tuple(r["township_endings"])) and len(t) > 3:
        return False  # 区水利局、三角镇人民政府: a town's government is no body of the district's
    if _starts_with_place(t):
        return False  # 南京海事局, 江北新区管委会: a place of its own
    # a level prefix (省 市 区 县) is not given to a company
    return not (prefix in r["own_level"] and t.endswith(r["no_prefix_endings"]))


def _starts_with_place(t: str) -> bool:
    from plan_kb.reading.gazetteer import gazetteer

    gz = gazetteer()
    if any(gz.lookup(t[:k]) for k in (2, 3) if len(t) > k):
        return True
    # a unit named after its own place further in ("公积金张家港分中心"): a name of three characters or more
    return any(t[i:i + k] in gz.by_name or t[i:i + k] in gz.by_short
               for k in (4, 3) for i in range(1, len(t) - k))


def _distributed_levels(group: list[list[Any]]) -> bool:
    """"各州、市医保局" → 各州医保局, 各市医保局: bare levels after a distributive 各, then one level with a body's
    name, share the body and the 各 (as 各州、市人民政府 shares its government); in place. False when the list is not
    so."""
    r = rules()
    levels = "".join(r["level_chars"])
    lead = re.fullmatch(rf"({'|'.join(map(re.escape, r['distributive']))})([{levels}])", group[0][0])
    last = re.fullmatch(rf"([{levels}])([\u4e00-\u9fff]{{2,}})", group[-1][0])
    middle = all(re.fullmatch(rf"[{levels}]", el[0]) for el in group[1:-1])
    if not (lead and last and middle) or last.group(2).startswith(tuple(r["shared_suffixes"])):
        return False  # 各市、县人民政府: the shared suffix does it
    body, each = last.group(2), lead.group(1)
    for el in group[:-1]:
        el[0] = (el[0] if el is group[0] else each + el[0]) + body
    group[-1][0] = each + group[-1][0]
    return True


def _expand(group: list[list[Any]], known: Known) -> None:
    """Expand the suffix and the prefix a list shares, in place; each element is [name, start, end]."""
    r = rules()
    if len(group) < 2 or _distributed_levels(group):
        return
    last = re.sub(r"\([^()]*\)$", "", group[-1][0])  # 区人民政府(管委会): the bracket stays with its own name
    suffix = next((s for s in r["shared_suffixes"] if last.endswith(s) and len(last) > len(s)), None)
    if suffix:
        core = last[: -len(suffix)]
        level = core[-1] if core[-1] in r["level_chars"] and len(core) > 1 else ""
        for el in group[:-1]:
            t = el[0]
            if t.endswith(suffix):
                continue
            if suffix.endswith(r["no_prefix_endings"]) and t.startswith(r["government_levels"]) \
                    and not last.startswith(t[0]):
                continue  # 省数据局、…、中国铁路武汉局集团有限公司: a company's ending is not a government body's
            bare_level = t.endswith(level) or re.fullmatch(rf"(?:各相关|各有关|各)?[{''.join(r['level_chars'])}]", t)
            full = t + suffix if not level or bare_level else t + level + suffix
            if level and len(t) > 1 and t.endswith(r["level_chars"]) and not known(t + level + suffix):
                el[0] = t + suffix  # 城关镇、桥头镇、石门乡人民政府: each name carries its own level
            elif known(full) or known(t + suffix):
                el[0] = full if known(full) else t + suffix
            elif known(t):
                continue
            elif not any(t.endswith(s) for s in r["suffixes"]) or t[-1] == core[-1]:
                el[0] = full
    first = group[0][0]
    prefix = next((p for p in r["shared_prefixes"] if first.startswith(p) and len(first) > len(p) + 1), None)
    if prefix and not first.startswith(r["not_level"]):
        for el in group[1:]:
            t, p = el[0], prefix
            if p in r["party_prefixes"] and not (known(p + t) or t.endswith(r["party_body_endings"])):
                p = p[:-1]  # 市委宣传部、发改委: the party's prefix is its departments'; the others take the level
            level = r["prefix_levels"].get(p, p)  # 师市 is read as the city's level, 市
            if (known(level + t) and not _has_prefix(t, p)) or _takes_prefix(t, level, known):
                el[0] = p + t


def read_names(text: str, start: int, end: int, known: Known | None = None) -> list[NameMention]:
    """The agency names in ``text[start:end]`` (a list such as ``省生态环境厅、省水利厅等相关部门``)."""
    r = rules()
    known = known or _default_known()
    a, b = _trim(text, start, end)
    m = r["opener"].match(text, a, b)
    if m:
        a = m.end()
    m = r["list_end"].search(text[a:b])
    if m and m.start() > 0:
        b = a + m.start()
    groups: list[list[list[Any]]] = [[]]
    for ta, tb in _split(text, a, b, r["name_seps"]):
        pieces = _conj_split(text, ta, tb, known)
        for k, (pa, pb) in enumerate(pieces):
            if k > 0:
                groups.append([])
            cut, other = _split_other(text, pa, pb, known)
            name = _clean(text[pa:cut])
            if name:
                groups[-1].append([name, pa, pb, other])
    out = []
    for g in groups:
        _expand(g, known)
        out += [NameMention(n, s, e, other) for n, s, e, other in g]
    return out
