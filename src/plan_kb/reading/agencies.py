"""Agencies: resolving a name a person types to one agency of the knowledge base, and what an agency must do
according to it. The registry itself (standard bodies of every government, named bodies) is ``reading.registry``.

    >>> find_agency("省住建厅", within="山西省").name
    '山西省住房和城乡建设厅'

The look-up knows every agency the graph holds and reads a name as a document of each jurisdiction in the graph
would (``市生态环境局`` is 潮州市生态环境局 in 潮州's plans and 晋中市生态环境局 in 晋中's). It never guesses: a name
that fits several agencies raises ``Ambiguous`` with the candidates and their jurisdictions, a name that fits none
raises ``NotFound``. ``within`` (a place name: 潮州市, 潮州, 山西省) keeps the agencies of that jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset, Graph

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.base.words import deadline_words
from plan_kb.errors import Ambiguous, NotFound
from plan_kb.reading.gazetteer import Division, gazetteer
from plan_kb.reading.jurisdiction import full_name
from plan_kb.reading.registry import Agency, AgencyKind, Registry, RegistryError, norm_name, registry, resolve

__all__ = ["ROLE_NAMES_ZH", "ROLE_PROPERTIES", "Agency", "AgencyKind", "Registry", "RegistryError", "find_agency",
           "find_jurisdiction", "graph_agencies", "norm_name", "parents", "registry", "resolve",
           "responsibilities", "written_names"]

#: Role keys, the graph property of each, and how a person says it.
ROLE_PROPERTIES = {"lead": "leadAgency", "support": "supportingAgency", "responsible": "responsibleAgency",
                   "guide": "guidingAgency"}
ROLE_NAMES_ZH = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "督促指导"}


# --- look-up -------------------------------------------------------------------------------------------------

_AGENCIES = """
SELECT ?a ?pref ?l ?code ?reg WHERE {
  ?a a pkb:Agency .
  OPTIONAL { ?a skos:prefLabel ?pref }
  OPTIONAL { ?a skos:altLabel ?l }
  OPTIONAL { ?a pkb:jurisdiction/pkb:adminCode ?code }
  OPTIONAL { ?a pkb:inRegistry ?reg }
}"""

_HOMES = "SELECT DISTINCT ?code WHERE { ?d a pkb:Document ; pkb:jurisdiction/pkb:adminCode ?code }"


def graph_agencies(graph: Graph | Dataset) -> list[Agency]:
    """Every agency the graph holds, with its labels and jurisdiction, in IRI order."""
    seen: dict[str, dict] = {}
    for a, pref, lab, code, reg in graph.query(sparql_prefixes() + _AGENCIES):
        e = seen.setdefault(str(a), {"pref": set(), "labels": set(), "code": None, "reg": True})
        if pref is not None:
            e["pref"].add(str(pref))
        if lab is not None:
            e["labels"].add(str(lab))
        if code is not None:
            e["code"] = str(code)
        if reg is not None and str(reg).lower() in ("false", "0"):
            e["reg"] = False
    out = []
    for iri, e in sorted(seen.items()):
        labels = sorted(e["labels"] | e["pref"], key=lambda x: (len(x), x))
        # two documents may give one body's name differently; the fullest is its name
        name = max(e["pref"], key=lambda x: (len(x), x)) if e["pref"] else iri.rsplit("/", 1)[-1]
        out.append(Agency(id=iri.rsplit("/", 1)[-1], name=name, labels=tuple(x for x in labels if x != name),
                          registered=e["reg"], iri_override=iri, jurisdiction=e["code"]))
    return out


def find_jurisdiction(name: str) -> Division:
    """The division a person means by ``name`` (潮州市, 潮州, 上海市徐汇区, 445100). Raises ``NotFound`` or
    ``Ambiguous``."""
    from plan_kb.reading.jurisdiction import leading_division

    gz = gazetteer()
    n = norm_name(name)
    if n.isdigit():
        div = gz.get(n)
        if div is None:
            raise NotFound(f"no division has the code {name}")
        return div
    got = leading_division(n)
    if got is not None and got[1] == len(n):
        return got[0]
    cands = gz.lookup(n)
    if len(cands) == 1:
        return cands[0]
    if cands:
        raise Ambiguous(f"'{name}' names {len(cands)} places; say which:",
                        [f"{full_name(d)} ({d.code})" for d in cands])
    raise NotFound(f"no province, city or county is called '{name}'")


def _homes(dataset: Graph | Dataset) -> list[Division]:
    gz = gazetteer()
    return [d for (c,) in dataset.query(sparql_prefixes() + _HOMES) if (d := gz.get(str(c))) is not None]


def _where(a: Agency) -> str:
    div = gazetteer().get(a.jurisdiction) if a.jurisdiction else None
    return full_name(div) if div else "全国"


def find_agency(name: str, dataset: Graph | Dataset | None = None, within: str | Division | None = None) -> Agency:
    """The one agency ``name`` means: its id or IRI; else the agencies the name stands for in the jurisdiction of
    each document (or of ``within``) and those with exactly this label; else those whose labels contain the name.
    Without a dataset, the registry's body of ``within``. Raises ``NotFound`` or ``Ambiguous`` (with candidates)."""
    query = norm_name(name)
    if not query:
        raise NotFound("an agency name is needed")
    home = find_jurisdiction(within) if isinstance(within, str) else within
    if dataset is None:
        found = resolve(query, home)
        if found.registered:
            return found
        raise NotFound(f"no agency is called '{name}'" + (f" in {full_name(home)}" if home else "") +
                       "; try a full or short name such as 省生态环境厅")
    pool = graph_agencies(dataset)
    if home is not None:
        inside = [a for a in pool if a.jurisdiction == home.code]
        pool = inside or [a for a in pool if a.jurisdiction and _under(a.jurisdiction, home)]
    by_iri = {str(a.iri): a for a in pool}
    for a in pool:
        if query in (a.id, str(a.iri)):
            return a
    homes = [home] if home is not None else _homes(dataset)
    hits = {str(resolve(query, h).iri) for h in homes} & set(by_iri)
    hits |= {str(a.iri) for a in pool if query in {norm_name(x) for x in a.all_labels}}
    if not hits:
        hits = {str(a.iri) for a in pool if any(query in norm_name(x) for x in a.all_labels)}
    if len(hits) == 1:
        return by_iri[hits.pop()]
    if hits:
        cands = sorted((by_iri[i] for i in hits), key=lambda a: (_where(a), a.name))
        raise Ambiguous(f"'{name}' fits {len(hits)} agencies; say which (a full name, or --in a place):",
                        [f"{a.name} — {_where(a)} ({a.id})" for a in cands])
    where = f" in {full_name(home)}" if home is not None else ""
    raise NotFound(f"no agency is called '{name}'{where}; try a full or short name such as 省生态环境厅")


_PARENTS = """
SELECT ?p (SAMPLE(?l) AS ?label) WHERE { ?agency org:subOrganizationOf+ ?p . ?p skos:prefLabel ?l } GROUP BY ?p"""


def parents(dataset: Graph | Dataset, agency: Agency) -> list[str]:
    """The names of the bodies ``agency`` belongs to, nearest first (as the graph states them)."""
    names: list[str] = []
    current = agency.iri
    for _ in range(8):
        rows = list(dataset.query(sparql_prefixes() + "SELECT ?p ?l WHERE { ?a org:subOrganizationOf ?p . "
                                  "OPTIONAL { ?p skos:prefLabel ?l } }", initBindings={"a": current}))
        if not rows:
            break
        current = rows[0][0]
        label = max((str(r[1]) for r in rows if r[1] is not None), key=len, default=str(current))
        if label in names:
            break
        names.append(label)
    return names


def written_names(dataset: Graph | Dataset, agency: Agency) -> list[str]:
    """The names the documents wrote for ``agency`` in their role notes, most used first."""
    rows = dataset.query(sparql_prefixes() + """SELECT ?n (COUNT(?ra) AS ?k) WHERE {
        ?ra pkb:roleAgency ?agency ; pkb:agencyName ?n } GROUP BY ?n ORDER BY DESC(?k) ?n""",
                         initBindings={"agency": agency.iri})
    return [str(n) for n, _k in rows if str(n) != agency.name]


def _under(code: str, top: Division) -> bool:
    from plan_kb.reading.jurisdiction import under

    div = gazetteer().get(code)
    return div is not None and under(div, top)


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
    """A deadline in words (2022年12月31日前, 2022年内, 每年5月31日前, 6个月内)."""
    words = deadline_words({"kind": str(kind or ""), "date": str(date) if date else None, "rrule": rrule,
                            "offset": str(offset) if offset else None, "source": str(text or "")})
    return words or str(text or "")


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
