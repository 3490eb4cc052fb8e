"""Reading a question as constraints plus what it asks for: colloquial words folded (挑头 → 牵头), pinyin slips
corrected against the graph's words (:mod:`slips`), the names it uses (agencies, places, indicators, plans — linked
by any of their labels and the forms generated from them), its dates, task references by number, role words, the
words left over that say what it is about, and what it asks for (``asks`` in ``extraction/ask.yaml``)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from plan_kb.answers.ask import relate, segment, slips
from plan_kb.answers.ask.lexicon import Lexicon
from plan_kb.answers.ask.text import CJK, DateAsk, config, find_dates, fold


@dataclass(frozen=True)
class Mention:
    iri: str
    kind: str  # agency | place | indicator | plan
    surface: str
    span: tuple[int, int]


@dataclass
class TaskRef:
    plan: str | None
    number: int
    span: tuple[int, int]


@dataclass
class Understanding:
    question: str  # as asked
    text: str  # folded
    mentions: list[Mention] = field(default_factory=list)
    plan: str | None = None
    dates: list[DateAsk] = field(default_factory=list)
    refs: list[TaskRef] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # role keys the question names, in order
    words: list[tuple[str, int, int]] = field(default_factory=list)  # jieba words of the folded text
    topic: list[str] = field(default_factory=list)  # words that say what the question is about
    unlinked: dict[str, list[str]] = field(default_factory=dict)  # kind -> names of that shape not in the graph
    followup: bool = False  # leans on the last question (它, 那…呢)
    slips: list[tuple[str, str]] = field(default_factory=list)  # (typed, taken): pinyin slips corrected
    asks: list[str] = field(default_factory=list)  # what the question asks for (keys of ask.yaml's asks), in order
    bare: bool = False  # nothing but a restated constraint and a follow-up marker (土壤呢, 那氮氧化物呢)
    rest: list[str] = field(default_factory=list)  # the topic without the names of places (what narrows a list)
    runs: list[str] = field(default_factory=list)  # the words of `rest`, runs of adjacent words joined (好|吃 → 好吃)
    charge: bool = False  # asks who is responsible or in charge (谁负责, 谁来抓, 归谁), not who leads (牵头, 挑头)
    not_roles: list[str] = field(default_factory=list)  # roles the question negates (不是牵头的, 非牵头)
    excluded: list[Mention] = field(default_factory=list)  # agencies the question sets apart (除了生态环境厅)
    not_agencies: list[tuple[Mention, str]] = field(default_factory=list)  # (agency, role) negated: 不是X牵头的
    role_spans: list[tuple[int, int]] = field(default_factory=list)  # where role words stand (负责落实): no topic
    pointer: bool = False  # points at the last answer's task(s): 这项, 这条, 这个事
    own: list[str] = field(default_factory=list)  # the asker's own place or body (我们乡): no constraint, said
    owned: list[tuple[str, str]] = field(default_factory=list)  # (typed, iri): 我们厅 read as the body the asker named
    beside: list[str] = field(default_factory=list)  # agencies a support word is held beside (配合X的): they lead
    named: bool = False  # asks for the tasks that write a place itself (点名忻州的, 点了忻州名字)

    def of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    @property
    def agencies(self) -> list[str]:
        return list(dict.fromkeys(m.iri for m in self.of("agency")))

    @property
    def places(self) -> list[str]:
        return list(dict.fromkeys(m.iri for m in self.of("place")))

    @property
    def indicators(self) -> list[str]:
        return list(dict.fromkeys(m.iri for m in self.of("indicator")))

    def covered(self, s: int, e: int) -> bool:
        return any(m.span[0] <= s and e <= m.span[1] for m in self.mentions)


_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}



def longest_first(spans: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """``(start, end, payload)`` spans that do not overlap, the longest kept first (ties: the earlier)."""
    taken: list[tuple[int, int, Any]] = []
    for s, e, x in sorted(spans, key=lambda h: (-(h[1] - h[0]), h[0])):
        if not any(s < te and ts < e for ts, te, _ in taken):
            taken.append((s, e, x))
    return taken

def zh_number(s: str) -> int | None:
    """12, 十二, 二十三 → int."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _ZH_DIGITS and c != "十" for c in s):
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        return (_ZH_DIGITS[a] if a else 1) * 10 + (_ZH_DIGITS[b] if b else 0)
    return _ZH_DIGITS[s] if len(s) == 1 else None


_DATE_NEXT = re.compile(r"(?:19|20)\d\d年|今年|明年|去年|本年|年内|年底")
_DATE_BEFORE = re.compile(r"(?:年|年底|年末|月|月底|日)(?:前|之前|以前|内|以内)?$")
_REF = re.compile(r"第([0-9]{1,3}|[一二两三四五六七八九十]{1,3})(项|条|个任务|号任务|点)(任务)?"
                  r"|任务([0-9]{1,3})(?![0-9年月日%])")


#: A role word right after one of these is negated (不是牵头的, 非牵头, 没有牵头); 是不是牵头 asks, it does not negate.
_NEGATED = re.compile(r"(?<![是有要])(不是|不|非|没有|没|除了|除)$")
#: An agency right after one of these, its role word right after it, is negated with that role (不是生态环境厅牵头的:
#: the tasks it does not lead).
_NOT_AGENCY = re.compile(r"(?<![是有要])(不是|并非|非|不由)$")


def _set_apart(u: Understanding) -> None:
    """Agencies set apart are no constraint: the answer leaves them out (除了水利厅还有谁牵头, 除开我们水利厅,
    住建厅以外还有谁: ``apart_words``, ``apart_after``)."""
    for m in list(u.mentions):
        if m.kind == "agency" and relate.set_apart(u.text, *m.span):
            u.mentions.remove(m)
            u.excluded.append(m)


#: A verb asked as "A not A" (负不负责, 牵不牵头, 管不管): a yes/no question on the verb, 是否负责 (是不是 stays).
_A_NOT_A = re.compile(f"([{CJK}])不\\1")


def colloquial(q: str, cfg: dict) -> str:
    """Everyday words folded into the words the reader knows (挑头 → 牵头), longest first; 负不负责 → 是否负责."""
    pairs = sorted(((fold(a), fold(b)) for a, b in (cfg.get("colloquial") or {}).items()), key=lambda p: -len(p[0]))
    for a, b in pairs:
        if a in q:
            q = q.replace(a, b)
    return _A_NOT_A.sub(lambda m: m.group(0) if m.group(1) == "是" else "是否" + m.group(1), q)


def understand(question: str, lex: Lexicon, today: date, folder: Path | None = None) -> Understanding:
    cfg = config()
    q, context = _question_part(colloquial(fold(question), cfg), cfg, lex)
    owner = _owner(question, context, lex)
    probe = Understanding(question, q)
    _link_names(probe, lex, owner)
    tk = segment.tokenizer(folder)
    # names already linked and date phrases (第四季度, 年底前) are never slips
    keep = [m.span for m in probe.mentions] + [d.span for d in find_dates(q, today)]
    q, fixes = slips.correct(q, lex.vocabulary, tk.FREQ, keep, segment.common_words(folder))
    u = Understanding(question, q, slips=fixes)
    _link_names(u, lex, owner)
    dates = find_dates(q, today)
    _link_plans(u, lex, cfg, [d.span for d in dates])
    u.dates = [d for d in dates if not u.covered(*d.span)]
    if any(fold(w) in q for w in cfg["dates"].get("due_words") or ()):  # 下半年要完成的: what is due in the period
        u.dates = [dataclasses.replace(d, mode="due") if d.mode == "within" else d for d in u.dates]
    elif any(fold(w) in q for w in cfg["dates"].get("node_words") or ()):  # 时间节点在2022年底前: a From date too
        u.dates = [dataclasses.replace(d, mode="nodes") if d.mode == "by" and not d.past else d for d in u.dates]
    for m in _REF.finditer(q):
        n = zh_number(m.group(1) or m.group(4) or "")
        if n:
            u.refs.append(TaskRef(u.plan, n, m.span()))
    for role, ws in cfg["role_words"].items():
        for w in ws:
            i = q.find(fold(w))
            if i < 0 or _inside_name(u, i):
                continue
            u.role_spans.append((i, i + len(fold(w))))  # 负责落实, 协同配合: every role word says a role, no topic
            if role == "support":  # 配合生态环境厅的, 给住建厅配合的: the agency held beside leads the task
                k = relate.beside(q, i, i + len(fold(w)), [m.span for m in u.of("agency")])
                if k is not None and u.of("agency")[k].iri not in u.beside:
                    u.beside.append(u.of("agency")[k].iri)
            if role in u.roles + u.not_roles:
                continue
            before = next((m for m in u.of("agency") if m.span[1] == i), None)
            if before is not None and _NOT_AGENCY.search(q[:before.span[0]]):
                u.mentions.remove(before)
                u.not_agencies.append((before, role))
            elif _NEGATED.search(q[:i]) and not (q[:i].endswith("不") and q[i - 2:i - 1] == q[i:i + 1]):
                u.not_roles.append(role)  # 不是牵头的 (not 牵不牵头)
            else:
                u.roles.append(role)
    _set_apart(u)
    u.named = any(fold(w) in q for w in cfg.get("named_place_words") or ()) \
        or relate.place_named(q, [m.span[1] for m in u.of("place")])
    u.words = segment.words(tk, q)
    fu = cfg["followup"]
    u.followup = any(p in q for p in fu["pronouns"]) or any(re.search(p, q) for p in fu["markers"])
    u.pointer = any(fold(p) in q for p in fu.get("task_pointers") or ())
    _topic(u, cfg)
    _unlinked(u, cfg, lex, tk.FREQ)
    u.asks = asked(q)
    who = cfg["who_words"]
    u.charge = not any(fold(w) in q for w in who["lead"]) and any(fold(w) in q for w in who["charge"])
    rest = q
    for s, e in sorted([m.span for m in u.mentions] + [r.span for r in u.refs], key=lambda x: -x[0]):
        rest = rest[:s] + rest[e:]
    u.bare = bool(u.mentions or u.refs) and re.fullmatch(r"(那|那么|还有|再)?(的|里|里面|这块|方面)?(呢|的呢)?[?]?",
                                               rest) is not None
    if u.bare:
        u.followup = True
    return u


def _question_part(q: str, cfg: dict, lex: Lexicon | None = None) -> tuple[str, str]:
    """The question without the context before it: the sentences and clauses at its start that begin with a word
    about the asker or the occasion (a clause: and ask nothing), as long as what follows asks something; and the
    context left out. A clause naming the asker's own body by a name of the graph (我们水利厅配合的,…) is no context."""
    whole = q
    names, longest = (lex.names, max(map(len, lex.names), default=0)) if lex is not None else ((), 0)
    marks = re.compile(cfg.get("question_marks") or "[?]")
    starts = tuple(fold(w) for w in cfg.get("context_starts") or ())
    # 我们乡的农村生活污水治理, …: the asker's own place with what the question is about, no context
    own = "(?:" + "|".join(map(re.escape, (fold(w) for w in cfg.get("own_prefixes") or ("我",)))) + f")[{CJK}]{{1,3}}的"
    while True:
        m = re.match(r"([^。!]+[。!])(.+)$", q)
        if m is None or not m.group(1).startswith(starts) or not marks.search(m.group(2)):
            break
        q = m.group(2)  # 上个月市里传达了…。我想知道…: a sentence of context
    while True:
        m = re.match(r"([^,;:]+)[,;:](.+)$", q)
        if m is None or not m.group(1).startswith(starts) or marks.search(m.group(1)) or not marks.search(m.group(2)) \
                or re.match(own, m.group(1)) or relate.own_name_follows(m.group(1), names, longest):
            break
        q = m.group(2)
    # what is left points at a task its context names (…10个关键环节…。想问一下这项工作由哪些部门负责): the whole
    if any(fold(p) in q for p in cfg["followup"].get("task_pointers") or ()):
        return whole, ""
    return q, whole[:len(whole) - len(q)]


def _owner(question: str, context: str, lex: Lexicon) -> dict[str, str]:
    """The asker's own body by kind (agency, place): the first of each the words about the asker name (我是省水利厅的:
    山西省水利厅), which 我们厅 / 本厅 / 我局 then point at."""
    if not context:
        return {}
    probe = Understanding(question, context)
    _link_names(probe, lex)
    out: dict[str, str] = {}
    for m in probe.mentions:
        out.setdefault(m.kind, m.iri)
    return out


@lru_cache(maxsize=1)
def _asks() -> list[tuple[str, list[re.Pattern[str]]]]:
    return [(name, [re.compile(p) for p in spec["patterns"]]) for name, spec in config()["asks"].items()]


def asked(q: str) -> list[str]:
    """What the question asks for, in the order of ask.yaml (a question may fit several: 谁牵头几项)."""
    q = q.rstrip("?!。.,;~…")
    out = [name for name, pats in _asks() if any(p.search(q) for p in pats)]
    if "value" in out and "count" in out and any(fold(w) in q for w in config().get("limit_words") or ()):
        out.remove("count")  # 每年新增项目最少要几个: a limit, not how many tasks
    return out


def _inside_name(u: Understanding, i: int) -> bool:
    return any(m.span[0] <= i < m.span[1] for m in u.mentions)


def _link_names(u: Understanding, lex: Lexicon, owner: dict[str, str] | None = None) -> None:
    """Longest names first, no overlaps: 省住建厅 wins over 住建厅, 太原铁路局 over 太原. An agency's name without its
    ending (住建) counts only right before a word that shows it is a name (住建在…, 住建和…, 住建牵头…). ``owner``:
    the asker's own body by kind, which 我们厅 / 本厅 name (:func:`relate.own_refs`)."""
    q = u.text
    maxlen = max((len(n) for n in lex.names), default=0)
    nxt = tuple(fold(w) for w in config().get("weak_name_next") or ())
    found: list[tuple[int, int, str]] = []
    for i in range(len(q)):
        for j in range(min(len(q), i + maxlen), i + 1, -1):
            if q[i:j] in lex.names:
                found.append((i, j, q[i:j]))
                break
            if q[i:j] in lex.weak and (j == len(q) or q[j:].startswith(nxt)):
                found.append((i, j, q[i:j]))
                break
        short = lex.shortened(q, i)  # 太原及周边1+30区域, 审批局: a long name with its middle left out
        if short is not None:
            found.append((i, short[0], short[1]))
    # a name glued inside a longer Chinese word of another kind (e.g. 太原 in 太原市区) still counts
    for s, e, name in longest_first(found):
        iris = sorted(name if isinstance(name, frozenset) else lex.names.get(name) or lex.weak[name])
        name = q[s:e]
        kinds = {lex.entities[i].kind for i in iris}
        for iri in iris:
            if len(kinds) > 1 and lex.entities[iri].kind == "indicator":
                continue
            u.mentions.append(Mention(iri, lex.entities[iri].kind, name, (s, e)))
    for s, e, kind in relate.own_refs(q) if owner else ():
        if kind in owner and not any(m.span[0] < e and s < m.span[1] for m in u.mentions):
            u.mentions.append(Mention(owner[kind], kind, q[s:e], (s, e)))
            u.owned.append((q[s:e], owner[kind]))
    u.mentions.sort(key=lambda m: m.span)


_BEFORE_PLAN = "在的里和与及年底前月那跟比"
#: Words of a name's shape that begin like a question or a quantifier are no names: 哪些县, 哪个厅, 各县, 全市.
_NOT_NAME_START = ("哪", "什么", "啥", "几", "各", "全", "本", "这", "那", "每", "多少")


def _link_plans(u: Understanding, lex: Lexicon, cfg: dict, dates: list[tuple[int, int]] = ()) -> None:
    """Plans by title, nickname or everyday name; an everyday name counts before one of ``plan_words``, as the whole
    follow-up, before a task number, or right beside a date phrase (``dates``: their spans) — 地下水23年底前…,
    2023年底前地下水…, 地下水快到期的."""
    q = u.text
    words = sorted((fold(w) for w in cfg["plan_words"]), key=len, reverse=True)
    strong = tuple(fold(w) for w in cfg.get("plan_words_strong") or ("计划", "方案"))
    hits: list[tuple[int, int, str]] = []
    for key, nicks in (cfg.get("nicknames") or {}).items():
        if key in lex.plans:
            for nick in nicks:
                for m in re.finditer(re.escape(fold(nick)), q):
                    hits.append((m.start(), m.end(), key))
    bare = re.sub(r"^(那|那么|还有|再)|(的)?(呢|里呢)?[?]?$", "", q)
    for key, plan in lex.plans.items():
        for name in plan.names:
            for m in re.finditer(re.escape(name), q):
                s, e = m.span()
                if len(name) >= 6 and name != fold(key):  # a title or most of one
                    hits.append((s, e, key))
                    continue
                rest = q[e:]
                w = next((w for w in words if rest.startswith(w)), None)
                if w is None and len(name) > 1 and q[s:e] == bare:
                    w = ""  # 土壤呢: a plan name is the whole follow-up
                if w is None and _REF.match(rest) and (len(name) > 1 or s == 0):
                    w = ""  # 地下水第7项: a plan name right before a task number
                if w is None and len(name) > 1 and (_DATE_NEXT.match(rest) or _DATE_BEFORE.search(q[:s])
                                                    or any(ds == e or de == s for ds, de in dates)):
                    w = ""  # 地下水2022年底前… / 今年年底前地下水要…: a plan name next to the date asked about
                if w is None and len(name) > 1 and _beside_plan(q, s, e, lex):
                    w = ""  # 地下水和土壤谁的任务多: joined by 和 to another plan's name
                if w is None:
                    continue
                if len(name) == 1 and not any(x in w for x in strong) and not _beside_plan(q, s, e, lex) \
                        and not (q[s - 1:s] == "在" and w in ("里", "中", "里头", "里面")):  # 住建厅在水里…
                    continue
                # 污水 / 排水 / 地下水: a one-character name must not end another word
                if len(name) == 1 and s > 0 and re.match(f"[{CJK}]", q[s - 1]) and q[s - 1] not in _BEFORE_PLAN:
                    continue
                hits.append((s, e + len(w), key))
    for s, e, key in longest_first(hits):
        if u.plan is None:
            u.plan = key
        u.mentions.append(Mention(lex.plans[key].iri, "plan", q[s:e], (s, e)))
    u.mentions.sort(key=lambda m: m.span)


_AND = ("和", "、", "与", "跟", "及", ",")


def _beside_plan(q: str, s: int, e: int, lex: Lexicon) -> bool:
    """Whether the name at ``s:e`` is joined by 和 / 、 to another plan's name of two or more characters (水和大气,
    大气和水): a one-character name is a plan there too."""
    names = [n for p in lex.plans.values() for n in p.names if len(n) > 1]
    after = q[e:e + 1] in _AND and any(q[e + 1:].startswith(n) for n in names)
    before = q[s - 1:s] in _AND and any(q[:s - 1].endswith(n) for n in names)
    return after or before


def _topic(u: Understanding, cfg: dict) -> None:
    filler = {fold(w) for w in cfg["filler"]}
    spans = [m.span for m in u.mentions if m.kind == "plan"] + [d.span for d in u.dates] + [r.span for r in u.refs] \
        + u.role_spans + [x.span() for w in cfg.get("all_plans_words") or ()  # 四个计划里: the plans, no topic
                          for x in re.finditer(re.escape(fold(w)), u.text)]
    agencies = [m.span for m in u.mentions if m.kind == "agency"] + [m.span for m in u.excluded] \
        + [m.span for m, _r in u.not_agencies]
    places = [m.span for m in u.mentions if m.kind == "place"]
    out, rest = [], []
    runs: list[tuple[str, int]] = []  # (run, end)
    for w, s, e in u.words:
        if any(a <= s and e <= b for a, b in spans) or any(a < e and s < b for a, b in agencies):
            continue  # an agency's name says who, never what the question is about
        if w in filler or not re.search(rf"[{CJK}a-z0-9]", w):
            continue
        out.append(w)
        if not any(a < e and s < b for a, b in places):
            rest.append(w)
            if runs and runs[-1][1] == s:
                runs[-1] = (runs[-1][0] + w, e)
            else:
                runs.append((w, e))
    u.topic = out
    u.rest = rest
    u.runs = [r for r, _e in runs]


def _unlinked(u: Understanding, cfg: dict, lex: Lexicon, known: Any = frozenset()) -> None:
    """Words shaped like an agency's or a place's name that the graph does not know (``known``: the word list)."""
    not_names = {fold(w) for w in cfg["not_names"]}
    own = tuple(fold(w) for w in cfg.get("own_prefixes") or ())
    shapes = {k: re.compile(f"(?:{v})$") for k, v in cfg["entity_shapes"].items()}
    words = [(w, s, e) for w, s, e in u.words if w.strip()]
    for i, (w, s, e) in enumerate(words):
        cands = [(w, s, e)]
        if i > 0 and len(w) == 1:  # 教育/厅: a suffix cut off its name
            pw, ps, _pe = words[i - 1]
            cands.append((pw + w, ps, e))
        elif i > 0 and len(w) > 1 and len(words[i - 1][0]) > 1 and w not in known:
            pw, ps, _pe = words[i - 1]  # 北京/市有: the suffix glued to the next word (not 监管/办法: a word)
            cands.append((pw + w[0], ps, s + 1))
        for name, cs, ce in cands:
            if name.endswith("部") and u.text[ce:ce + 1] == "门":
                continue  # 主责|部门: the generic 部门, cut
            if len(name) < 2 or name in not_names or name.startswith(_NOT_NAME_START) or "不" in name \
                    or u.covered(cs, ce) or any(m.span[0] < ce and cs < m.span[1] for m in u.mentions):
                continue
            for kind, rx in shapes.items():
                if rx.search(name) and re.fullmatch(f"[{CJK}]+", name) and not lex.says(name):
                    if name.startswith(own):  # 我们乡, 俺们村: the asker's own, not a name the graph lacks
                        u.own.append(name)
                    else:
                        u.unlinked.setdefault(kind, []).append(name)
