"""The agency registry: the standard bodies of a government at every level (``extraction/agencies/standard.yaml``),
the named bodies that are not standard (``named.yaml``), and resolving a name as a document of a jurisdiction
writes it to one agency.

    >>> from plan_kb.reading.gazetteer import gazetteer
    >>> resolve("市生态环境局", gazetteer().get("445100")).name
    '潮州市生态环境局'

``resolve(name, jurisdiction)`` is the one function the role reader's names go through. An agency's id is derived
from its jurisdiction and its official name (``445100-ecology-environment``; Shanxi's keep their ``sx-`` ids), so
the same body named by two documents is one agency, and the same short name in two cities is two. A name in a
document never resolves to another jurisdiction's body unless the name itself says which (``山西省生态环境厅``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rdflib import URIRef

from plan_kb.base.namespaces import ID
from plan_kb.base.resources import load_yaml
from plan_kb.errors import PlanKBError
from plan_kb.reading.gazetteer import COUNTY, PREFECTURE, PROVINCE, Division, gazetteer
from plan_kb.reading.jurisdiction import chain, full_name, leading_division, prefix_target


def norm_name(s: str) -> str:
    """The form names are compared in: NFKC (full-width brackets become half-width), no spaces or quotes."""
    s = unicodedata.normalize("NFKC", s)
    return re.sub(r"[\s“”\"'‘’]", "", s)


class RegistryError(PlanKBError):
    """``extraction/agencies/*.yaml`` breaks its own rules (a form of two bodies, an unknown kind or parent)."""


@dataclass(frozen=True)
class AgencyKind:
    key: str
    iri_name: str
    zh: str
    en: str


@dataclass(frozen=True)
class Agency:
    """One body: standard (of a jurisdiction), named, or (``registered=False``) a name nobody registered."""

    id: str
    name: str
    labels: tuple[str, ...] = ()
    kind: str | None = None
    parent: str | None = None  # the parent's id
    source: str | None = None
    registered: bool = True
    iri_override: str | None = None
    jurisdiction: str | None = None  # 6-digit division code; None for national bodies and companies
    former: tuple[tuple[str, int], ...] = ()  # (former name, the year it changed)
    basis: str = "named"  # named | standard | collective | division | township | party | unregistered
    parent_agency: Agency | None = field(default=None, compare=False, repr=False)

    @property
    def iri(self) -> URIRef:
        return URIRef(self.iri_override) if self.iri_override else ID[f"agency/{self.id}"]

    @property
    def all_labels(self) -> tuple[str, ...]:
        return (self.name, *[x for x in self.labels if x != self.name])

    def ancestors(self) -> list[Agency]:
        out, a = [], self.parent_agency
        while a is not None and a not in out:
            out.append(a)
            a = a.parent_agency
        return out


@dataclass(frozen=True)
class _Body:
    key: str
    names: dict[str, str]  # province | prefecture | county → the body's name there
    full: tuple[str, ...]
    short: dict[str, str | None]
    former: tuple[tuple[str, int], ...]
    kinds: dict[str, str]
    parent: str | None
    national: str | None
    sub_units: dict[str, str]
    levels: tuple[str, ...]
    party: bool = False


_LEVELS = ("province", "prefecture", "county")


def level_key(div: Division) -> str:
    return {PROVINCE: "province", PREFECTURE: "prefecture"}.get(div.level, "county")


def _per_level(spec: Any) -> dict[str, str]:
    if isinstance(spec, str) or spec is None:
        return {lv: spec for lv in _LEVELS}
    out = {}
    for lv in _LEVELS:
        out[lv] = spec.get(lv) or spec.get("local" if lv != "province" else "province") or next(iter(spec.values()))
    return out


def _body(e: dict[str, Any], party: bool = False) -> _Body:
    names = _per_level(e["name"])
    short = e.get("short") or {}
    if isinstance(short, list):
        short = {s: None for s in short}
    return _Body(key=e["key"], names=names, full=tuple(dict.fromkeys([*names.values(), *(e.get("full") or [])])),
                 short={norm_name(k): v for k, v in short.items()},
                 former=tuple((f["name"], int(f["until"])) for f in e.get("former") or []),
                 kinds=_per_level(e["kind"]), parent=e.get("parent", "government"), national=e.get("national"),
                 sub_units={norm_name(k): v for k, v in (e.get("sub_units") or {}).items()},
                 levels=tuple(e.get("levels") or _LEVELS), party=party)


@dataclass
class Registry:
    kinds: dict[str, AgencyKind]
    named: dict[str, dict[str, Any]]
    bodies: list[_Body]
    party_bodies: list[_Body]
    collectives: list[dict[str, Any]]
    townships: list[dict[str, Any]]
    division_bodies: dict[str, str]
    slugs: dict[str, str]
    prefixes: tuple[str, ...]
    party_prefixes: tuple[str, ...]
    party_template: dict[str, str]
    source: str
    forms: dict[str, tuple[_Body, str | None, int | None]] = field(default_factory=dict)
    party_forms: dict[str, tuple[_Body, str | None, int | None]] = field(default_factory=dict)
    collective_labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    named_labels: dict[tuple[str | None, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for table, bodies in ((self.forms, self.bodies), (self.party_forms, self.party_bodies)):
            for b in bodies:
                entries = [(f, f, None) for f in b.full] + [(s, t, None) for s, t in b.short.items()] + \
                          [(n, None, y) for n, y in b.former]
                for form, official, year in entries:
                    key = norm_name(form)
                    other = table.get(key)
                    if other and other[0].key != b.key:
                        raise RegistryError(f"form {form!r} belongs to both {other[0].key} and {b.key}")
                    table.setdefault(key, (b, official, year))
        for c in self.collectives:
            for lab in c["labels"]:
                self.collective_labels[norm_name(lab)] = c
        for aid, e in self.named.items():
            if e.get("kind") and e["kind"] not in self.kinds:
                raise RegistryError(f"agency {aid}: unknown kind {e['kind']!r}")
            parent = e.get("parent")
            if parent and parent not in self.named and not any(b.key == parent for b in self.bodies):
                raise RegistryError(f"agency {aid}: unknown parent {parent!r}")
            for lab in [e["name"], *(e.get("labels") or [])]:
                key = (e.get("jurisdiction"), norm_name(lab))
                other = self.named_labels.get(key)
                if other and other != aid:
                    raise RegistryError(f"label {lab!r} belongs to both {other} and {aid}")
                self.named_labels[key] = aid
        for b in self.bodies + self.party_bodies:
            for k in set(b.kinds.values()):
                if k not in self.kinds:
                    raise RegistryError(f"body {b.key}: unknown kind {k!r}")

    # --- what a name can be, without a jurisdiction (the role reader's "is this a whole name?") -------------
    def knows(self, name: str) -> bool:
        n = norm_name(name)
        if self._known_here(n):
            return True
        for pp in self.party_prefixes:
            if n.startswith(pp) and n[len(pp):] in self.party_forms:
                return True
        got = leading_division(n)
        if got is not None and (n[got[1]:] in self.division_bodies or self._known_here(n[got[1]:])):
            return True
        # a level prefix goes before a body, not before a collective (省各市人民政府 is no name)
        p = self.level_prefix(n)
        return p is not None and self._known_here(n[len(p):], collectives=False)

    def level_prefix(self, n: str) -> str | None:
        """The level prefix ``n`` starts with (自治区, 省, 市 …), if a body's name follows it."""
        return next((p for p in self.prefixes if n.startswith(p) and len(n) > len(p) + 1), None)

    def _known_here(self, n: str, collectives: bool = True) -> bool:
        named = [self.named[aid] for (_j, lab), aid in self.named_labels.items() if lab == n]
        if not collectives:  # after a level prefix: a body of a government, not a collective, company or nation's
            named = [e for e in named if e.get("jurisdiction") and not e["kind"].startswith("collective")]
        return (n in self.forms or (collectives and n in self.collective_labels) or bool(named)
                or self._sub_unit(n) is not None)

    def _sub_unit(self, n: str) -> tuple[_Body, str, str] | None:
        """``公安局交警支队`` → (public-security, 公安局, 交通警察支队)."""
        for form, (b, _o, _y) in self.forms.items():
            if b.sub_units and n.startswith(form) and n[len(form):] in b.sub_units:
                return b, form, b.sub_units[n[len(form):]]
        return None

    # --- named bodies --------------------------------------------------------------------------------------
    def named_agency(self, aid: str) -> Agency:
        e = self.named[aid]
        j = e.get("jurisdiction")
        labels = list(e.get("labels") or [])
        if j:
            div = gazetteer().get(j)
            p = _own_prefix(div) if div else None
            if p:
                labels += [p + lab for lab in labels if not lab.startswith(p)]
        parent = None
        if e.get("parent"):
            if e["parent"] in self.named:
                parent = self.named_agency(e["parent"])
            elif j and gazetteer().get(j):
                parent = self.standard(next(b for b in self.bodies if b.key == e["parent"]), gazetteer().get(j))
        return Agency(id=aid, name=e["name"], labels=tuple(dict.fromkeys(labels)), kind=e.get("kind"),
                      parent=parent.id if parent else None, source=e.get("source"), jurisdiction=j,
                      basis="named", parent_agency=parent)

    def _named_in(self, n: str, j: Division | None) -> Agency | None:
        aid = self.named_labels.get((j.code if j else None, n)) or self.named_labels.get((None, n))
        return self.named_agency(aid) if aid else None

    # --- standard bodies -----------------------------------------------------------------------------------
    def slug(self, div: Division) -> str:
        return self.slugs.get(div.code, div.code)

    def government(self, div: Division) -> Agency:
        return self.standard(next(b for b in self.bodies if b.key == "government"), div)

    def standard(self, b: _Body, div: Division, official: str | None = None, year: int | None = None) -> Agency:
        lv = level_key(div)
        body_name = official or b.names[lv]
        jname = full_name(div)
        name = (self.party_template[lv].format(j=jname, body=body_name) if b.party else jname + body_name)
        p = _own_prefix(div) or ""
        forms = [body_name, b.names[lv], *[s for s, t in b.short.items() if t in (None, body_name)]]
        if b.party:
            labels = [f"{p}委{f}" for f in forms]
        else:
            # a former name in 厅 was a province's (省林业厅); the others, any level's (市环保局)
            former = [f for f, _y in b.former if lv == "province" or not f.endswith("厅")]
            labels = [x for f in forms for x in (p + f, f, jname + f)] + [x for f in former for x in (p + f, f)]
        parent = self._parent(b, div)
        kept = tuple((f, y) for f, y in b.former if lv == "province" or not f.endswith("厅"))
        return Agency(id=f"{self.slug(div)}-{b.key}", name=name, labels=tuple(dict.fromkeys(labels)),
                      kind=b.kinds[lv], parent=parent.id if parent else None, source=self.source,
                      jurisdiction=div.code,
                      former=kept, basis="party" if b.party else "standard",
                      parent_agency=parent)

    def _parent(self, b: _Body, div: Division) -> Agency | None:
        if not b.parent or b.party:
            return None if not b.party else self.government(div)
        if b.parent.startswith("up:"):
            above = chain(div)[1:2]
            key = b.parent[3:]
            if above:
                return self.standard(next(x for x in self.bodies if x.key == key), above[0])
            return self.named_agency(b.national) if b.national else None
        return self.standard(next(x for x in self.bodies if x.key == b.parent), div)

    def collective(self, c: dict[str, Any], div: Division, written: str) -> Agency:
        aid = f"{self.slug(div)}-{c['key']}"
        name = re.sub(r"(?<!人民)政府(?=$|\()", "人民政府", written)
        if c.get("complete") and not name.endswith(c["complete"]):
            name += c["complete"]
        return Agency(id=aid, name=full_name(div) + name, labels=(written,), kind=c["kind"],
                      parent=None, source=self.source, jurisdiction=div.code, basis="collective")


def _own_prefix(div: Division) -> str | None:
    """The level prefix a jurisdiction's own plans write before its bodies: 省, 自治区, 市, 区, 县."""
    for suffix, p in (("省", "省"), ("自治区", "自治区"), ("市", "市"), ("区", "区"), ("县", "县"), ("州", "州")):
        if div.name.endswith(suffix):
            return p
    return None


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry of ``extraction/agencies/``, checked and parsed once."""
    kinds = {k: AgencyKind(k, v["iri"], v["zh"], v["en"])
             for k, v in load_yaml("agencies/kinds.yaml")["kinds"].items()}
    named: dict[str, dict[str, Any]] = {}
    for e in load_yaml("agencies/named.yaml")["agencies"]:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", e["id"]):
            raise RegistryError(f"agency id {e['id']!r} is not a lower-case ASCII slug")
        if e["id"] in named:
            raise RegistryError(f"agency id {e['id']!r} twice")
        if not e.get("source"):
            raise RegistryError(f"agency {e['id']}: no source for its name")
        named[e["id"]] = e
    std = load_yaml("agencies/standard.yaml")
    return Registry(
        kinds=kinds, named=named, bodies=[_body(e) for e in std["bodies"]],
        party_bodies=[_body({**e, "parent": None}, party=True) for e in std["party_bodies"]],
        collectives=std["collectives"], townships=std["townships"], division_bodies=std["division_bodies"],
        slugs={str(k): v for k, v in std["slugs"].items()}, prefixes=tuple(std["prefixes"]),
        party_prefixes=tuple(std["party"]["prefixes"]), party_template=std["party"]["template"],
        source=std["source"])


# --- resolving a name in a jurisdiction ------------------------------------------------------------------------

def resolve(name: str, home: Division | None) -> Agency:
    """The agency ``name`` means in a document of jurisdiction ``home``; a name no standard or named body fits
    becomes an unregistered agency of the jurisdiction it names (``registered=False``)."""
    reg = registry()
    n = norm_name(name)
    found = _in(reg, n, home) if home is not None else reg._named_in(n, None)
    if found:
        return found
    for pp in reg.party_prefixes:
        target = prefix_target(pp[0], home)
        hit = reg.party_forms.get(n[len(pp):]) if n.startswith(pp) else None
        if hit and target is not None:
            return reg.standard(hit[0], target, hit[1] or None)
    got = leading_division(n, home)
    if got is not None:
        div, k = got
        rest = n[k:]
        role = reg.division_bodies.get(rest)
        if role == "government":
            return reg.government(div)
        if role == "management-committee":
            return _management_committee(reg, div, n)
        if rest:
            found = _in(reg, rest, div)
            if found:
                return found
            return unregistered(n, div, full=full_name(div) + rest)
    p = reg.level_prefix(n)
    if p is not None:
        target = prefix_target(p, home)
        if target is not None:
            found = _in(reg, n[len(p):], target)
            if found:
                return found
            return unregistered(n, target, full=full_name(target) + n[len(p):])
    return unregistered(n, home)


def _in(reg: Registry, n: str, div: Division) -> Agency | None:
    """``n`` (no division or level prefix) as a body of ``div``: a named body, a collective, a standard body
    (a province's name such as 生态环境厅 in a city's plan is the province's), a unit of one, or a township."""
    named = reg._named_in(n, div)
    if named:
        return named
    c = reg.collective_labels.get(n)
    if c is not None:
        target = div if c["level"] == "own" else _level_above(div, c["level"])
        if target is None:
            return None
        return reg._named_in(n, target) or reg.collective(c, target, n)
    hit = reg.forms.get(n)
    if hit is not None:
        b, official, year = hit
        target = div
        if official and div.level != PROVINCE and official == b.names["province"] and \
                official not in (b.names["prefecture"], b.names["county"]):
            target = chain(div)[-1]
        if level_key(target) not in b.levels:
            return None
        return reg.standard(b, target, official if official in b.full else None, year)
    sub = reg._sub_unit(n)
    if sub is not None:
        b, form, unit = sub
        hit = reg.forms[form]
        body = reg.standard(b, div, hit[1] if hit[1] in b.full else None)
        return Agency(id=f"{body.id}-{_sound(unit)}", name=body.name + unit, labels=(n,), kind="department-unit",
                      parent=body.id, source=reg.source, jurisdiction=div.code, basis="standard",
                      parent_agency=body)
    if div.level == COUNTY:
        for t in reg.townships:
            for also in ["", *t["also"]]:
                stem = n[: len(n) - len(also)] if also and n.endswith(also) else (n if not also else "")
                if stem.endswith(t["ending"]) and len(stem) > len(t["ending"]) + 1:
                    jn = full_name(div)
                    return Agency(id=f"{reg.slug(div)}-{_sound(stem)}", name=t["template"].format(j=jn, name=stem),
                                  labels=(n, stem), kind="township-government", parent=reg.government(div).id,
                                  source=reg.source, jurisdiction=div.code, basis="township",
                                  parent_agency=reg.government(div))
    return None


def _level_above(div: Division, level: str) -> Division | None:
    for d in chain(div):
        if level_key(d) == level:
            return d
    return None


def _management_committee(reg: Registry, div: Division, written: str) -> Agency:
    named = reg._named_in(written, gazetteer().get(div.parent) if div.parent else None)
    if named:
        return named
    return Agency(id=f"{reg.slug(div)}-management-committee", name=full_name(div) + "管理委员会", labels=(written,),
                  kind="management-committee", source=reg.source, jurisdiction=div.code, basis="division")


def _sound(text: str) -> str:
    from pypinyin import lazy_pinyin  # here: its tables take a sixth of a second, and a look-up seldom needs them

    return "-".join(p for p in lazy_pinyin(text) if p.isascii() and p.isalnum()).lower() or "x"


def unregistered(name: str, div: Division | None, full: str | None = None) -> Agency:
    """A name nobody registered, as an agency of the jurisdiction it was read in: ``445100-x-…-1a2b3c``."""
    n = norm_name(name)
    digest = hashlib.sha1(n.encode("utf-8")).hexdigest()[:6]
    slug = f"x-{_sound(n)}-{digest}"
    if div is not None:
        slug = f"{registry().slug(div)}-{slug}"
    labels = (n,) if full and full != n else ()
    return Agency(id=slug, name=full or n, labels=labels, registered=False, jurisdiction=div.code if div else None,
                  basis="unregistered")
