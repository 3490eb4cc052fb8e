"""Roles given only through the people who answer for a task, by their posts ("责任人:市水利局局长 某某(牵头);
某县人民政府分管副县长;各县(区)水利局局长"): where an item names no agency in any note, each person stands for the
unit of their post — the unit is what the post names before its title (局长, 主任, 副县长, 指挥长 …) — with the role a
word in the person's brackets gives (牵头), else responsible (a choice where conventions.md is silent; the README
says it). A person named without a unit's post gives nothing. The labels and post words are data in
``extraction/roles.yaml`` (``person_units``). Pure: an item's text in, a reading with spans out (each unit's span
where its post is written).
"""

from __future__ import annotations

import re
from functools import lru_cache

from plan_kb.reading.role_names import _is_whole
from plan_kb.reading.role_words import Known, _default_known, _split, rules
from plan_kb.reading.roles import RoleMention, RoleReading


@lru_cache(maxsize=1)
def _conf() -> dict:
    conf = rules()["person_units"]
    alt = "|".join(re.escape(w) for w in sorted(conf["labels"], key=len, reverse=True))
    posts = "|".join(re.escape(w) for w in sorted(conf["post_words"], key=len, reverse=True))
    return {"line": re.compile(rf"(?m)^\s*(?:{alt})\s*:(?P<value>.+)$"),
            "post": re.compile(rf"(?:分管|常务)?副?(?:{posts})")}


def person_roles(text: str, offset: int = 0, known: Known | None = None) -> RoleReading:
    """The units the people of an item's 责任人 lines stand for, with their roles."""
    known = known or _default_known()
    conf, r = _conf(), rules()
    reading = RoleReading(source="persons")
    for line in conf["line"].finditer(text):
        a0, b0 = line.span("value")
        found = []
        for p, q in _split(text, a0, b0, {";", "；"}):
            role, word = "responsible", "(责任人的单位)"
            posts = [(p, q)]
            group = next((g for g in re.finditer(r"\(([^()]*)\)", text[p:q])
                          if conf["post"].search(g.group(1)) or r["role_part"].match("X" + g.group(1))), None)
            # "某某(市应急管理局局长、市防汛办主任,牵头)": the posts and a role word inside (各县(区)… is a name's own)
            if group:
                ga = p + group.start(1)
                posts = []
                for x, y in _split(text, ga, p + group.end(1), {"、", ",", "，"}):
                    w = r["role_part"].match("X" + text[x:y])
                    if w and w.group("names") == "X":
                        role, word = r["word_role"][w.group("role")], text[x:y]
                    else:
                        posts.append((x, y))
                posts.insert(0, (p, p + group.start()))  # "市委组织部副部长某某(市驻村办主任)": both posts
            for x, y in posts:
                unit = _unit(text, x, y, known)
                if unit is not None:
                    found.append((unit, role, word))
        for (a, b), role, word in found:
            reading.mentions.append(RoleMention(role, text[a:b], a + offset, b + offset, word))
        if found:
            reading.spans.append((a0 + offset, b0 + offset))
            reading.how.append("责任人: the units of the people's posts")
    if reading.spans:
        reading.span = reading.spans[0]
    return reading


def _unit(text: str, x: int, y: int, known: Known) -> tuple[int, int] | None:
    """The unit a post names ("市水利局局长某某" → 市水利局, "江孜县人民政府分管副县长" → 江孜县人民政府), or None."""
    for m in _conf()["post"].finditer(text, x, y):
        a, b = x, m.start()
        while a < b and text[a] in " \t":
            a += 1
        name = text[a:b]
        if len(name) >= 3 and _is_whole(name, known) and not re.search(r"[^\u4e00-\u9fff()]", name):
            return a, b
    return None
