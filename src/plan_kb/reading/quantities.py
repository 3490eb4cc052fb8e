"""Read thresholds: every number with a unit that acts as a limit, size class, target or scope (conventions.md,
"Thresholds").

The words are data: units and multipliers in ``extraction/units.yaml``, comparator words in
``extraction/comparators.yaml``, indicator names in ``extraction/indicators.ttl``. The reader finds numbers with a
unit, joins ranges ("30—50米") and lists ("5、5、35mg/m³"), takes the comparator from the words before and after,
distributes a list over the indicators or years that ``分别`` pairs it with, and names the indicator, the subject and
the governing year. Dates, section numbers and document numbers carry no unit and are never read; a count of
things is read only where a comparator makes it a limit ("不少于2个"), not where it sizes a list ("11个县级城市").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from plan_kb.base.resources import load_yaml
from plan_kb.reading.indicators import concept_for, find_concepts, indicator_scheme, label_key
from plan_kb.reading.numerals import chinese_number

__all__ = ["Quantity", "Unit", "concept_for", "find_concepts", "indicator_scheme", "label_key", "read_quantities",
           "unit_forms", "with_offset"]

PREFIX_IRIS = {"unit:": "http://qudt.org/vocab/unit/", "pkbunit:": "https://w3id.org/plan-kb/unit/"}
CLAUSE_END = ",;。:!?\n"
SENTENCE_END = "。;\n"
#: Words between a comparator and its number that change nothing ("分别不高于", "平均达到", "力争降到").
FILLERS = ("分别", "平均", "均", "力争", "要", "应", "需", "须", "确保", "稳定", "全部", "总体", "仍", "再")
_LEAD = re.compile(r"^(?:(?:到|自|在|于|从)?\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底前|底|前|起|以来|内)?"
                   r"|原则上|力争|对于|对|其中|在|要|应|确保|并|且|或)+")
_TRAIL = re.compile(r"(?:的|和|及|或|已|且|为|在|中|平均|均|分别)+$")
_YEAR_HEAD = re.compile(r"(?:^|[,;:(])\s*(?:到|自|在|于|从|截至)?(\d{4})年(?!\d)")
_YEAR_LIST = re.compile(r"(\d{4})年(?:[、和及](\d{4})年)+")
_STOP_AFTER = re.compile(r"[,;。:、()“”《》\n]|实施|开展|完成|要|应|可|须|需|等|以及|全部|企业实施")


@dataclass(frozen=True)
class Unit:
    iri: str
    symbol: str
    kind: str
    needs_comparator: bool = False
    chinese_numerals: bool = False
    not_before: tuple[str, ...] = ()  # words that, right after the form, make it part of another word (人次, 日以前)
    duration: bool = False  # a time allowed: read as a limit only where the clause says so (see units.yaml)
    max_value: int | None = None  # above it the number is something else (2023年 is a calendar year)
    limit_after: tuple[str, ...] = ()  # words after the unit that make it a limit (<=) of their own ("3个工作日内")


@dataclass
class Quantity:
    """One threshold read from ``text``; offsets are relative to the text given to :func:`read_quantities`."""

    comparator: str
    value: Decimal
    unit: Unit
    start: int  # start of the clause it is read from
    end: int  # end of the number, its unit and its comparator suffix
    number_start: int
    written: str  # the number, multiplier and unit as written ("150万吨", "30—50米")
    max_value: Decimal | None = None
    indicator: str | None = None
    subject: str | None = None
    year: int | None = None
    concept: str | None = None  # IRI of the indicator's SKOS concept


# --- resources ---------------------------------------------------------------------------------------------------
def expand_iri(curie: str) -> str:
    for prefix, ns in PREFIX_IRIS.items():
        if curie.startswith(prefix):
            return ns + curie[len(prefix):]
    return curie


@lru_cache(maxsize=1)
def unit_forms() -> list[tuple[str, Unit]]:
    """Every written form of a unit, longest first."""
    out = []
    for entry in load_yaml("units.yaml")["units"]:
        unit = Unit(expand_iri(entry["iri"]), entry["symbol"], entry["kind"],
                    bool(entry.get("needs_comparator", False)), bool(entry.get("chinese_numerals", False)),
                    tuple(entry.get("not_before", [])), bool(entry.get("duration", False)),
                    entry.get("max_value"), tuple(entry.get("limit_after", [])))
        out.extend((form, unit) for form in entry["forms"])
    return sorted(out, key=lambda fu: -len(fu[0]))


@lru_cache(maxsize=1)
def _unit_by_form() -> dict[str, Unit]:
    return dict(unit_forms())


@lru_cache(maxsize=1)
def _comparators() -> dict:
    return load_yaml("comparators.yaml")


def _words(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(word, comparator), longest word first."""
    return sorted(((w, c) for c, ws in table.items() for w in ws), key=lambda wc: -len(wc[0]))


@lru_cache(maxsize=1)
def _form_pattern(form: str, unit: Unit) -> str:
    words = "|".join(re.escape(w) for w in sorted(unit.not_before, key=len, reverse=True))
    return re.escape(form) + (f"(?!{words})" if words else "")


@lru_cache(maxsize=1)
def _atom_re() -> re.Pattern[str]:
    units = "|".join(_form_pattern(f, u) for f, u in unit_forms())
    mult = "|".join(sorted(load_yaml("units.yaml")["multipliers"], key=len, reverse=True))  # 万亿 before 万
    return re.compile(rf"(?<![A-Za-z0-9.²³₀-₉_^])(?P<num>\d+(?:\.\d+)?)(?![.]\d)\s*"
                      rf"(?:(?P<mul>{mult})\s*(?P<unit>{units})|(?P<unit2>{units})|(?P<mul2>{mult})(?![\d]))?")


@lru_cache(maxsize=1)
def _cn_atom_re() -> re.Pattern[str]:
    y = load_yaml("units.yaml")
    digits, powers = "".join(y["chinese_digits"]), "".join(y["chinese_powers"])
    units = "|".join(_form_pattern(f, u) for f, u in unit_forms() if u.chinese_numerals)
    return re.compile(rf"(?<![{digits}{powers}每\d])(?P<cn>[{digits}]?[{powers}](?:[{digits}]?[{powers}])*"
                      rf"[{digits}]?)(?P<unit>{units})")


@lru_cache(maxsize=1)
def _word_prefix_re() -> tuple[re.Pattern[str], dict[str, Unit]] | None:
    """Numbers written after a unit word in words: "百分之八十五" (``word_prefix`` in units.yaml)."""
    y = load_yaml("units.yaml")
    digits, powers = "".join(y["chinese_digits"]), "".join(y["chinese_powers"])
    by_prefix = {e["word_prefix"]: _unit_by_form()[e["forms"][0]] for e in y["units"] if e.get("word_prefix")}
    if not by_prefix:
        return None
    alts = "|".join(re.escape(p) for p in by_prefix)
    return re.compile(rf"(?P<prefix>{alts})(?P<cn>[{digits}{powers}零]+)"), by_prefix


# --- reading -----------------------------------------------------------------------------------------------------
@dataclass
class _Atom:
    start: int
    end: int  # after the unit
    value: Decimal
    unit: Unit | None
    written_mult: int = 1
    max_value: Decimal | None = None
    suffix: str | None = None  # comparator of a word right after the unit
    suffix_end: int | None = None
    unit_limit: bool = False  # the suffix is one of the unit's own limit words (limit_after)


def _mask(text: str) -> str:
    """Blank out what is quoted or titled (《…》, “…”): numbers there name things, they set no limit."""
    chars = list(text)
    for m in re.finditer(r"《[^《》]*》|“[^“”]*”", text):
        for i in range(m.start(), m.end()):
            if chars[i] != "\n":
                chars[i] = "□"
    return "".join(chars)


def _atoms(text: str) -> list[_Atom]:
    masked = _mask(text)
    mults = {k: int(v) for k, v in load_yaml("units.yaml")["multipliers"].items()}
    by_form = _unit_by_form()
    out: list[_Atom] = []
    for m in _atom_re().finditer(masked):
        form = m.group("unit") or m.group("unit2")
        mul = mults.get(m.group("mul") or m.group("mul2") or "", 1)
        value = Decimal(m.group("num")) * mul
        unit = by_form[form] if form else None
        if unit is not None and unit.max_value is not None and value > unit.max_value:
            continue  # "2023年": a calendar year, which the deadline reader reads
        out.append(_Atom(m.start(), m.end(), value, unit, mul))
    for m in _cn_atom_re().finditer(masked):
        out.append(_Atom(m.start(), m.end(), Decimal(chinese_number(m.group("cn"))), by_form[m.group("unit")]))
    words = _word_prefix_re()
    for m in words[0].finditer(masked) if words else ():
        out.append(_Atom(m.start(), m.end(), Decimal(chinese_number(m.group("cn"))), words[1][m.group("prefix")]))
    out.sort(key=lambda a: a.start)
    after = _words(_comparators()["after"])
    for a in out:
        rest = masked[a.end:]
        for word, comp in after:
            if a.unit and rest.startswith(word):
                a.suffix, a.suffix_end = comp, a.end + len(word)
                break
        own = next((w for w in (a.unit.limit_after if a.unit else ()) if rest.startswith(w)), None)
        if a.suffix is None and own:
            a.suffix, a.suffix_end, a.unit_limit = "<=", a.end + len(own), True
    return out


def _join_ranges(text: str, atoms: list[_Atom]) -> list[_Atom]:
    marks = _comparators()["range_marks"]
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms):
            b = atoms[i + 1]
            between = text[a.end:b.start].strip()
            if between in marks and b.unit and a.unit in (None, b.unit) and a.suffix is None and a.value < b.value:
                out.append(_Atom(a.start, b.end, a.value * (b.written_mult if a.unit is None else 1), b.unit,
                                 b.written_mult, b.value, None, None))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _groups(text: str, atoms: list[_Atom]) -> list[list[_Atom]]:
    """Lists of values joined by 、/和/及 ("5、5、35mg/m³"); a unitless value takes the unit of the list's last."""
    seps = _comparators()["list_separators"]
    groups: list[list[_Atom]] = []
    for a in atoms:
        if groups:
            prev = groups[-1][-1]
            between = text[(prev.suffix_end or prev.end):a.start].strip()
            if between in seps and (prev.unit is None or a.unit is None or prev.unit == a.unit):
                groups[-1].append(a)
                continue
        groups.append([a])
    out = []
    for g in groups:
        last = g[-1].unit
        if last is None:
            continue
        for a in g:
            if a.unit is None:
                a.unit = last
                a.value *= g[-1].written_mult
        out.append(g)
    return out


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in CLAUSE_END:
        i -= 1
    while i < pos and text[i] in " \t":
        i += 1
    return i


def _sentence_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in SENTENCE_END:
        i -= 1
    return i


def governing_year(text: str, pos: int) -> int | None:
    """The year that heads a clause of the sentence before ``pos`` ("2022年底前,…", "…,2022年全省…")."""
    s = _sentence_start(text, pos)
    masked = _mask(text[s:pos])
    years = [int(m.group(1)) for m in _YEAR_HEAD.finditer(masked)]
    return years[-1] if years else None


def _strip_fillers(s: str) -> str:
    changed = True
    while changed:
        changed = False
        for f in FILLERS:
            if s.endswith(f):
                s, changed = s[: -len(f)], True
    return s


def _before_comparator(prefix: str, count: bool) -> tuple[str | None, int, int]:
    """The comparator the words before a number give, and where in ``prefix`` its word starts and ends."""
    table = _comparators()["before"]
    words = _words(table)
    bare = _strip_fillers(prefix)
    for word, comp in words:
        if bare.endswith(word):
            return comp, len(bare) - len(word), len(prefix)
    if count:
        # a verb or a preposition may stand between the word and a count: "至少配备1名", "至少与1家"
        verbs = _comparators().get("count_verbs", [])
        gaps = [v for v in verbs if bare.endswith(v)]
        gaps += [w + v for v in list(gaps) for w in verbs if bare[: -len(v)].endswith(w)]  # "至少组织开展1次"
        gaps += [bare[-k:] for k in (1,) if len(bare) > k and "\u4e00" <= bare[-1] <= "\u9fff"]
        for gap in gaps:
            head = _strip_fillers(bare[: -len(gap)])
            for word, comp in words:
                if comp != "=" and word not in ("超过", "高于", "大于", "多于") and head.endswith(word):
                    return comp, len(head) - len(word), len(prefix)
        return None, len(prefix), len(prefix)
    best: tuple[int, str, str] | None = None
    adjacent = set(_comparators().get("adjacent_only", []))
    for word, comp in words:
        if comp == "=" or word in adjacent:
            continue
        i = prefix.rfind(word)
        while i >= 0:
            # a shorter word inside a longer one ("超过" in "不超过") is the longer word's
            inside = any(w != word and word in w and prefix[max(0, i - len(w)):i + len(w)].find(w) >= 0
                         for w, _ in words)
            if not inside:
                if best is None or i > best[0]:
                    best = (i, word, comp)
                break
            i = prefix.rfind(word, 0, i)
    if best:
        return best[2], best[0], best[0] + len(best[1])
    return "=", len(prefix), len(prefix)


def _implied(unit: Unit, subject: str | None) -> tuple[str, str | None]:
    """What a size before an installation measures where the text does not say ("4.3米焦炉": 炭化室高度)."""
    for rule in load_yaml("units.yaml").get("implied_indicators", []):
        if expand_iri(rule["unit"]) == unit.iri and subject and rule["noun"] in subject:
            return rule["indicator"], concept_for(rule["indicator"])
    return unit.kind, None


def _tidy(s: str) -> str | None:
    s = _TRAIL.sub("", _LEAD.sub("", s.strip()))
    s = s.strip(" ,、")
    return s or None


def _following(text: str, pos: int) -> str | None:
    rest = text[pos:pos + 24]
    rest = re.sub(r"^(?:的|且|并|之)+", "", rest)
    m = _STOP_AFTER.search(rest)
    return _tidy(rest[: m.start()] if m else rest[:12])


def _name(text: str, clause: int, prefix_end: int, word_end: int, number: int, after: int, unit: Unit
          ) -> tuple[str | None, str | None, str | None]:
    """(indicator, subject, concept) for one value from the words around it."""
    pre = text[clause:prefix_end]
    attributive = after < len(text) and "\u4e00" <= text[after] <= "\u9fff" and text[after] not in "的且并或和及"
    if attributive:  # "4.3米焦炉", "150万吨以上工矿企业": the value classes the noun after it
        indicator, subject, concept = _name(text, clause, prefix_end, word_end, number, len(text), unit)
        subject = _following(text, after) or subject
        if indicator == unit.kind:
            indicator, concept = _implied(unit, subject)
        return indicator, subject, concept
    middle = _tidy(_strip_fillers(text[word_end:number]))
    if middle:  # "超过设计处理能力80%": what is measured stands between the comparator and the number
        found = find_concepts(middle)
        return middle, _tidy(pre), found[-1][2] if found else None
    lead = _LEAD.match(pre)
    base = lead.end() if lead else 0
    concepts = [c for c in find_concepts(pre) if c[0] >= base]
    if concepts:
        k = len(concepts) - 1
        while k > 0 and concepts[k - 1][2] == concepts[k][2]:  # "生化需氧量(BOD)": the gloss is the same concept
            k -= 1
        s, _e, concept = concepts[k]
        indicator = _tidy(pre[s:]) or pre[s:]
        subject = _tidy(pre[base:s]) or _following(text, after)
        return indicator, subject, concept
    tail = _tidy(pre[base:])
    if tail and re.search(r"(高度|宽度|长度|深度|浓度|比例|率|量|能力|容积|容量|规模|人口|面积|指数)$", tail):
        return tail, _following(text, after), None
    subject = _following(text, after) or tail
    indicator, concept = _implied(unit, subject)
    return indicator, subject, concept


def read_quantities(text: str) -> list[Quantity]:
    """Every threshold in ``text``, in order."""
    atoms = _join_ranges(text, _atoms(text))
    out: list[Quantity] = []
    distributive = _comparators()["distributive"]
    for group in _groups(text, atoms):
        first, last = group[0], group[-1]
        clause = _clause_start(text, first.start)
        prefix = text[clause:first.start]
        unit = last.unit
        assert unit is not None
        comp, comp_at, comp_end = _before_comparator(prefix, unit.needs_comparator)
        if comp is None and unit.needs_comparator and not unit.duration and \
                _count_target(prefix, text[last.start:last.end], text[last.end:last.end + 8]):
            comp = "="  # "新增口袋公园40个", "完成28处传统民居修缮": a count a verb of making sets is a target
        unit = _rate(prefix[:comp_at], unit)
        ranged = any(a.max_value is not None for a in group)  # "18—35周岁", "3—5年": a range is a limit itself
        if comp is None and not ranged and not any(a.suffix for a in group):
            continue
        if unit.duration and not ranged and not any(a.unit_limit for a in group) and \
                not _time_allowed(prefix, comp, any(a.suffix for a in group)):
            continue
        names: list[tuple[str | None, str | None, str | None]] = []
        years: list[int | None] = []
        dist_at = max((prefix.rfind(d) for d in distributive), default=-1)
        if len(group) > 1 and dist_at >= 0:
            names, years = _distribute(text, clause, clause + dist_at, len(group), unit)
        year = governing_year(text, first.start)
        for k, a in enumerate(group):
            c = a.suffix or last.suffix or comp or "="
            if a.max_value is not None:
                c = "range"
            if names:
                indicator, subject, concept = names[k]
            else:
                indicator, subject, concept = _name(text, clause, clause + comp_at, clause + comp_end, first.start,
                                                    a.suffix_end or a.end, unit)
            y = years[k] if years and years[k] else year
            out.append(Quantity(c, _plain(a.value), unit, clause, a.suffix_end or a.end, a.start,
                                text[a.start:a.end], _plain(a.max_value) if a.max_value is not None else None,
                                indicator, subject, y, concept))
    return out


def _count_target(prefix: str, written: str, after: str) -> bool:
    """A verb of making before a count in its clause, or an event verb before a count of occasions, makes the count
    a target ("新建…15个", "每季度召开1次", ``count_targets`` in comparators.yaml) — unless a 的 or a preposition after
    the verb makes the count the object of a phrase that only names things, or the count counts divisions."""
    conf = _comparators()["count_targets"]
    if any(after.startswith(n) for n in conf["list_nouns"]) or prefix.endswith(tuple(conf["break_before_count"])):
        return False
    event = any(written.endswith(u) for u in conf["event_units"])
    verbs = conf["making"] + (conf["events"] if event else [])
    for verb in sorted(verbs, key=len, reverse=True):
        at = prefix.rfind(verb)
        if at >= 0 and not any(w in prefix[at + len(verb):] for w in conf["breaks"]):
            return True
    return False


def _time_allowed(prefix: str, comp: str | None, suffixed: bool) -> bool:
    """A time is a limit where a limit word stands before it ("不超过2天", "压缩至3周"), or where a 以内 / 以上 after it
    closes a clause that names a time ("审批时限…3周以内", "达到…30天以上"); "整改通知后3个月以内" is a deadline."""
    if comp not in (None, "="):
        return True
    if not suffixed:
        return False
    return comp == "=" or any(w in prefix for w in load_yaml("units.yaml").get("duration_words", []))


def _distribute(text: str, clause: int, dist: int, n: int, unit: Unit
                ) -> tuple[list[tuple[str | None, str | None, str | None]], list[int | None]]:
    """Pair the n values after 分别 with the n years or indicators named before it."""
    pre = text[clause:dist]
    ylist = _YEAR_LIST.search(pre)
    if ylist is None and clause > 0 and text[clause - 1] in ",:":
        # "2024年、2025年,珠三角地区…分别控制在20、19微克/立方米以内": the years stand in a clause of their own
        head = text[_clause_start(text, clause - 1):clause - 1].strip()
        whole = _YEAR_LIST.fullmatch(re.sub(r"^(?:到|在|于)", "", head))
        if whole:
            years = [int(y) for y in re.findall(r"(\d{4})年", whole.group(0))]
            if len(years) == n:
                found = find_concepts(pre)
                concept = found[-1][2] if found else None
                return [(_tidy(pre) or unit.kind, None, concept)] * n, list(years)
    if ylist:
        years = [int(y) for y in re.findall(r"(\d{4})年", ylist.group(0))]
        if len(years) == n:
            rest = pre[ylist.end():]
            found = find_concepts(rest)
            concept = found[-1][2] if found else None
            return [(_tidy(rest) or unit.kind, None, concept)] * n, list(years)
    found = find_concepts(pre)
    if len(found) == n:
        subject = _tidy(pre[: found[0][0]])
        return [(pre[s:e], subject, c) for s, e, c in found], [None] * n
    parts = pre.split("、")
    if len(parts) == n:
        return [(_tidy(p) or p, None, None) for p in parts], [None] * n
    whole = _tidy(pre)
    return [(whole, None, None)] * n, [None] * n


def _rate(before: str, unit: Unit) -> Unit:
    """吨 after a quantity per year or per day ("年货运量150万吨", "日处理能力1000吨") is 吨/年 or 吨/日."""
    for rule in load_yaml("units.yaml")["rate_context"]:
        if unit.iri != expand_iri(rule["applies_to"]):
            continue
        if any(re.search(p, _strip_fillers(before)) for p in rule["patterns"]):
            target = expand_iri(rule["unit"])
            return next((u for _f, u in unit_forms() if u.iri == target), unit)
    return unit


def _plain(d: Decimal) -> Decimal:
    """150万 → 1500000, not 1.5E+6; 24.80 stays 24.80 only if written so."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d


def with_offset(q: Quantity, offset: int) -> Quantity:
    """The same quantity with its offsets moved by ``offset`` (text of an item → text of its document)."""
    return replace(q, start=q.start + offset, end=q.end + offset, number_start=q.number_start + offset)
