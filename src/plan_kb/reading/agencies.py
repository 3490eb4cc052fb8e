"""Agencies: the registry (``extraction/agencies.yaml``), resolving a name a person types to one agency, and what
an agency must do according to the knowledge base.

    >>> find_agency("省住建厅").name
    '山西省住房和城乡建设厅'

The look-up knows every label of the registry and, given a dataset, every agency the graph holds (agencies a
document names that nobody registered). It never guesses: a name that fits several agencies raises ``Ambiguous``
with the candidates, a name that fits none raises ``NotFound``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Dataset, Graph, URIRef

from plan_kb.base.namespaces import ID, sparql_prefixes
from plan_kb.base.resources import load_yaml
from plan_kb.errors import Ambiguous, NotFound, PlanKBError

#: Role keys, the graph property of each, and how a person says it.
ROLE_PROPERTIES = {"lead": "leadAgency", "support": "supportingAgency", "responsible": "responsibleAgency",
                   "guide": "guidingAgency"}
ROLE_NAMES_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "督促指导"}

#: Beginnings a reader may add or leave out: 生态环境厅 = 省生态环境厅 = 山西省生态环境厅.
_LEVEL_PREFIXES = ("山西省", "省")


def norm_name(s: str) -> str:
    """The form names are compared in: NFKC (full-width brackets become half-width), no spaces or quotes."""
    s = unicodedata.normalize("NFKC", s)
    return re.sub(r"[\s“”\"'‘’]", "", s)


@dataclass(frozen=True)
class AgencyKind:
    key: str
    iri: URIRef
    zh: str
    en: str


@dataclass(frozen=True)
class Agency:
    """A registered agency, or (``registered=False``) one a document names that the registry does not know."""

    id: str
    name: str
    labels: tuple[str, ...] = ()
    kind: str | None = None
    parent: str | None = None
    source: str | None = None
    registered: bool = True
    iri_override: str | None = None

    @property
    def iri(self) -> URIRef:
        return URIRef(self.iri_override) if self.iri_override else ID[f"agency/{self.id}"]

    @property
    def all_labels(self) -> tuple[str, ...]:
        return (self.name, *[x for x in self.labels if x != self.name])


class RegistryError(PlanKBError):
    """``extraction/agencies.yaml`` breaks its own rules (a label of two agencies, an unknown kind or parent)."""


@dataclass
class Registry:
    agencies: dict[str, Agency]
    kinds: dict[str, AgencyKind]
    _by_label: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for a in self.agencies.values():
            if a.kind and a.kind not in self.kinds:
                raise RegistryError(f"agency {a.id}: unknown kind {a.kind!r}")
            if a.parent and a.parent not in self.agencies:
                raise RegistryError(f"agency {a.id}: unknown parent {a.parent!r}")
            for label in a.all_labels:
                key = norm_name(label)
                other = self._by_label.get(key)
                if other and other != a.id:
                    raise RegistryError(f"label {label!r} belongs to both {other} and {a.id}")
                self._by_label[key] = a.id

    def get(self, agency_id: str) -> Agency:
        return self.agencies[agency_id]

    def by_label(self, name: str) -> Agency | None:
        """The agency with exactly this label (compared as ``norm_name``), else None."""
        aid = self._by_label.get(norm_name(name))
        return self.agencies[aid] if aid else None

    def knows(self, name: str) -> bool:
        return norm_name(name) in self._by_label

    def ancestors(self, agency: Agency) -> list[Agency]:
        out, seen = [], {agency.id}
        while agency.parent and agency.parent not in seen:
            agency = self.agencies[agency.parent]
            seen.add(agency.id)
            out.append(agency)
        return out


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry of ``extraction/agencies.yaml``, checked and parsed once."""
    from plan_kb.base.namespaces import PKB

    data = load_yaml("agencies.yaml")
    kinds = {k: AgencyKind(k, PKB[v["iri"]], v["zh"], v["en"]) for k, v in data["kinds"].items()}
    agencies: dict[str, Agency] = {}
    for e in data["agencies"]:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", e["id"]):
            raise RegistryError(f"agency id {e['id']!r} is not a lower-case ASCII slug")
        if e["id"] in agencies:
            raise RegistryError(f"agency id {e['id']!r} twice")
        agencies[e["id"]] = Agency(id=e["id"], name=e["name"], labels=tuple(e.get("labels") or ()),
                                   kind=e.get("kind"), parent=e.get("parent"), source=e.get("source"))
    return Registry(agencies, kinds)


# --- look-up -------------------------------------------------------------------------------------------------

def graph_agencies(graph: Graph | Dataset) -> list[Agency]:
    """Agencies in the graph that the registry does not hold (named by a document, not registered)."""
    reg = registry()
    known = {str(a.iri) for a in reg.agencies.values()}
    rows = graph.query(sparql_prefixes() + """
        SELECT ?a ?l WHERE { ?a a pkb:Agency . { ?a skos:prefLabel ?l } UNION { ?a skos:altLabel ?l } }""")
    labels: dict[str, list[str]] = {}
    for a, lab in rows:
        if str(a) not in known:
            labels.setdefault(str(a), []).append(str(lab))
    out = []
    for iri, labs in sorted(labels.items()):
        labs = sorted(set(labs), key=lambda x: (len(x), x))
        out.append(Agency(id=iri.rsplit("/", 1)[-1], name=labs[0], labels=tuple(labs[1:]), registered=False,
                          iri_override=iri))
    return out


def _variants(name: str) -> set[str]:
    """A name with and without the level prefix 省 / 山西省."""
    n = norm_name(name)
    out = {n}
    for p in _LEVEL_PREFIXES:
        if n.startswith(p) and len(n) > len(p) + 1:
            out.add(n[len(p):])
    base = next((n[len(p):] for p in _LEVEL_PREFIXES if n.startswith(p)), n)
    out |= {p + base for p in _LEVEL_PREFIXES}
    return out


def find_agency(name: str, dataset: Graph | Dataset | None = None) -> Agency:
    """The one agency ``name`` means: an exact label, then the label with or without 省/山西省, then the agencies
    whose labels contain the name. Raises ``NotFound`` or ``Ambiguous`` (with candidates)."""
    query = norm_name(name)
    if not query:
        raise NotFound("an agency name is needed")
    pool = list(registry().agencies.values())
    if dataset is not None:
        pool += graph_agencies(dataset)
    by_id = {a.iri: a for a in pool}
    labels = [(norm_name(lab), a.iri) for a in pool for lab in a.all_labels]
    for a in pool:
        if query in (a.id, str(a.iri)):
            return a
    for test in (lambda lab: lab == query, lambda lab: lab in _variants(query),
                 lambda lab: query in lab):
        hits = sorted({iri for lab, iri in labels if test(lab)})
        if len(hits) == 1:
            return by_id[hits[0]]
        if hits:
            cands = [f"{by_id[i].name} ({by_id[i].id})" for i in hits]
            raise Ambiguous(f"'{name}' fits {len(hits)} agencies; say which:", cands)
    raise NotFound(f"no agency is called '{name}'; try a full or short name such as 省生态环境厅")


# --- what an agency must do ---------------------------------------------------------------------------------

@dataclass
class Duty:
    """One item an agency carries a role for."""

    iri: str
    kind: str  # task | measure
    number: int
    title: str
    role: str  # lead | support | responsible | guide
    inherited: bool = False  # responsibility given by a standing note, not named in the item
    deadlines: list[str] = field(default_factory=list)


@dataclass
class PlanDuties:
    key: str  # the plan's pkb:planKey
    title: str
    iri: str
    duties: list[Duty] = field(default_factory=list)

    def by_role(self, role: str) -> list[Duty]:
        return [d for d in self.duties if d.role == role]


@dataclass
class Responsibilities:
    agency: Agency
    plans: list[PlanDuties]

    @property
    def count(self) -> int:
        return sum(len(p.duties) for p in self.plans)


_DUTIES = """
SELECT DISTINCT ?item ?prop ?cls ?n ?title ?plan ?key ?ptitle ?pstart ?inh WHERE {
  VALUES ?prop { pkb:leadAgency pkb:supportingAgency pkb:responsibleAgency pkb:guidingAgency }
  ?item ?prop ?agency ; a ?cls ; pkb:inPlan ?plan ; pkb:number ?n ; dcterms:title ?title .
  FILTER(?cls IN (pkb:Task, pkb:Measure))
  ?plan pkb:planKey ?key . OPTIONAL { ?plan dcterms:title ?ptitle } OPTIONAL { ?plan pkb:sourceStart ?pstart }
  BIND(EXISTS { ?item pkb:inheritedResponsibleAgency ?agency } AS ?inh)
}"""

_DEADLINES = """
SELECT ?item ?d ?kind ?date ?rrule ?offset ?text WHERE {
  VALUES ?item { %s }
  ?item pkb:hasDeadline ?d .
  OPTIONAL { ?d pkb:deadlineKind ?kind } OPTIONAL { ?d pkb:date ?date } OPTIONAL { ?d pkb:rrule ?rrule }
  OPTIONAL { ?d pkb:offset ?offset } OPTIONAL { ?d pkb:sourceText ?text }
} ORDER BY ?item ?date"""


def _deadline_label(kind, date, rrule, offset, text) -> str:
    k = str(kind).rsplit("#", 1)[-1] if kind else ""
    if date:
        return f"{date}" if k in ("", "By") else f"{k} {date}"
    if rrule:
        return f"{text} ({rrule})" if text else str(rrule)
    if offset:
        return f"{text} ({offset})" if text else str(offset)
    return str(text or k)


def responsibilities(dataset: Graph | Dataset, agency: Agency | str) -> Responsibilities:
    """Per plan, the tasks and measures ``agency`` leads, supports, answers for or guides, with their deadlines.

    ``agency`` is an Agency or any name ``find_agency`` resolves. Items are in plan order; within a plan the roles
    come lead, support, responsible, guide."""
    if isinstance(agency, str):
        agency = find_agency(agency, dataset)
    rows = dataset.query(sparql_prefixes() + _DUTIES, initBindings={"agency": agency.iri})
    plans: dict[str, PlanDuties] = {}
    items: dict[str, list[Duty]] = {}
    seen = set()
    where: dict[str, tuple[str, int]] = {}
    for item, prop, cls, n, title, plan, key, ptitle, pstart, inh in rows:
        where[str(plan)] = (str(plan).rsplit("/", 1)[0], int(pstart) if pstart is not None else 0)
        role = next(r for r, p in ROLE_PROPERTIES.items() if str(prop).endswith("#" + p))
        if (str(item), role) in seen:
            continue
        seen.add((str(item), role))
        pd = plans.setdefault(str(plan), PlanDuties(str(key), str(ptitle or key), str(plan)))
        kind = "task" if str(cls).endswith("#Task") else "measure"
        duty = Duty(str(item), kind, int(n), str(title), role, inherited=bool(inh) and role == "responsible")
        pd.duties.append(duty)
        items.setdefault(str(item), []).append(duty)
    if items:
        values = " ".join(f"<{i}>" for i in items)
        labels: dict[str, list[str]] = {}
        for item, _d, kind, date, rrule, offset, text in dataset.query(sparql_prefixes() + _DEADLINES % values):
            lab = _deadline_label(kind, date, rrule, offset, text)
            got = labels.setdefault(str(item), [])
            if lab and lab not in got:
                got.append(lab)
        for item, duties in items.items():
            for duty in duties:
                duty.deadlines = labels.get(item, [])
    order = list(ROLE_PROPERTIES)
    for pd in plans.values():
        pd.duties.sort(key=lambda d: (order.index(d.role), d.kind != "task", d.number))
    # plans in the order of their documents and of their place in the document
    return Responsibilities(agency, sorted(plans.values(), key=lambda p: where[p.iri]))
