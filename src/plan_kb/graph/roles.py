"""Facts of the family 'roles': who leads, supports, answers for and guides each task and measure.

For every role the closing parenthetical gives, the item gets ``pkb:leadAgency`` / ``pkb:supportingAgency`` /
``pkb:responsibleAgency`` / ``pkb:guidingAgency`` to an agency node, and a ``pkb:RoleAssignment`` node records the
same fact with the span of the name as written, so that every role traces to text. A standing note becomes a
``pkb:StandingNote`` node; ``extraction/rules/10-standing-notes.rq`` hands its responsibility to the later tasks.

Agencies are read in the document's jurisdiction (``reading.registry.resolve``): ``市生态环境局`` in a 潮州 plan is
潮州市生态环境局, with its jurisdiction, kind, parent, former names and the name as written among its labels. A
name no standard or named body fits still becomes an agency of that jurisdiction, and is listed in the build
report.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from plan_kb.base.namespaces import ORG, PKB
from plan_kb.graph.jurisdiction import jurisdiction_of
from plan_kb.graph.places import division_node
from plan_kb.graph.writer import GraphWriter
from plan_kb.reading.agencies import ROLE_PROPERTIES, Agency, norm_name, registry, resolve
from plan_kb.reading.gazetteer import gazetteer
from plan_kb.reading.item_roles import item_roles
from plan_kb.reading.jurisdiction import as_level, full_name, level_aliases
from plan_kb.reading.model import Item, Plan
from plan_kb.reading.roles import RoleContext
from plan_kb.reading.tables import plan_role_context, plan_standing_notes


def _context(w: GraphWriter, plan: Plan) -> RoleContext:
    """One per plan: a positional rule stated before the tasks, or with 下同 in an item, holds for later items."""
    contexts = w.state.setdefault("role-contexts", {})
    if plan.key not in contexts:
        contexts[plan.key] = plan_role_context(w.doc, plan)
    return contexts[plan.key]

#: Agencies are described in the graph of their registry, never in a document's graph (``GraphWriter.describe``).
AGENCIES = "agencies"


def write_item(w: GraphWriter, plan: Plan, item: Item) -> None:
    """The roles of one task or measure, its standing notes, and the agencies they name."""
    reading = item_roles(w.doc.text, item, _context(w, plan))
    node = w.item_iri(item)
    for k, m in enumerate(reading.mentions, start=1):
        agency = agency_node(w, m.name, item, m.start, w.doc.text[m.start:m.end] if m.other else None)
        prop = PKB[ROLE_PROPERTIES[m.role]]
        w.add(node, prop, agency)
        ra = w.typed(w.child_iri(node, "role", k), PKB.RoleAssignment)
        w.add(ra, PKB.roleItem, node)
        w.add(ra, PKB.roleAgency, agency)
        w.add(ra, PKB.roleProperty, prop)
        w.add(ra, PKB.roleWord, w.zh(m.word))
        w.add(ra, PKB.agencyName, w.zh(m.name))
        w.provenance(ra, m.start, m.end)
        if m.other:  # 市卫生健康委(市中医药管理局): the other name the document gives the agency, where it says so
            other, a, b = m.other
            on = w.typed(w.child_iri(ra, "other-name", 1), PKB.AgencyOtherName)
            w.add(ra, PKB.otherName, on)
            w.add(on, PKB.otherNameOf, agency)
            w.add(on, RDFS.label, w.zh(other))
            w.provenance(on, a, b)
            w.describe(AGENCIES, agency, SKOS.altLabel, w.zh(norm_name(other)))
    for k, note in enumerate(reading.notes, start=1):
        nn = w.typed(w.child_iri(node, "standing-note", k), PKB.StandingNote)
        w.add(nn, PKB.statedIn, node)
        w.add(nn, PKB.inPlan, w.plan_iri(plan))
        if note.scope:
            w.add(nn, PKB.noteScope, w.zh(note.scope))
        for actor in note.actors:
            w.add(nn, PKB.noteAgency, agency_node(w, actor.name, item, actor.start))
        w.provenance(nn, note.start, note.end)
    doubts = list(reading.doubts)
    if item.kind == "task" and not reading.spans:
        doubts.append((f"task {item.number} has no role note", item.start, item.start + len(item.title)))
    for message, start, end in doubts:
        w.report.doubts.append({"file": w.doc.path.name, "kind": "roles", "plan": plan.key, "item": item.key,
                                "offset": start, "original_offset": w.doc.normalized.to_original(start, end)[0],
                                "context": w.doc.text[start:end], "message": message})


def write_plan(w: GraphWriter, plan: Plan) -> None:
    """Roles belong to items; standing notes are written with the item that carries them, except those the plan
    states in a paragraph of its own before its tasks ("…负责本辖区各项任务的组织实施,下表不再列出"): those are
    stated in the plan, and ``extraction/rules/11-standing-notes-of-a-plan.rq`` hands them to every task."""
    node = w.plan_iri(plan)
    for k, note in enumerate(plan_standing_notes(w.doc, plan), start=1):
        nn = w.typed(w.child_iri(node, "standing-note", k), PKB.StandingNote)
        w.add(nn, PKB.statedIn, node)
        w.add(nn, PKB.inPlan, node)
        if note.scope:
            w.add(nn, PKB.noteScope, w.zh(note.scope))
        for actor in note.actors:
            w.add(nn, PKB.noteAgency, agency_node(w, actor.name, None, actor.start))
        w.provenance(nn, note.start, note.end)


# --- agencies ---------------------------------------------------------------------------------------------------

def agency_node(w: GraphWriter, name: str, item: Item | None = None, offset: int | None = None,
                written_with_other: str | None = None) -> URIRef:
    """The agency ``name`` means in the document's jurisdiction, described in the agencies' graph (with its
    parents and jurisdiction, the name as written among its labels — with its other name in brackets too,
    ``written_with_other``); a name no standard or named body fits becomes an agency of its own and is reported. The
    document's graph only links to it."""
    j = jurisdiction_of(w)
    agency = resolve(name, j.division if j else None)
    short = as_level(name, _aliases(w)) if not agency.registered else None
    if short is not None and resolve(short, j.division if j else None).registered:
        agency = resolve(short, j.division if j else None)  # 师市水利局: the city's 水利局, labelled as written
    _write_agency(w, agency)
    written = norm_name(name)
    if written != agency.name:
        w.describe(AGENCIES, agency.iri, SKOS.altLabel, w.zh(written))
    if written_with_other:
        w.describe(AGENCIES, agency.iri, SKOS.altLabel, w.zh(norm_name(written_with_other)))
    if not agency.registered:
        listed = w.report.unregistered_agencies
        if not any(e["name"] == name and e["file"] == w.doc.path.name for e in listed):
            listed.append({"name": name, "iri": str(agency.iri), "file": w.doc.path.name,
                           "jurisdiction": _where(agency), "read_as": agency.name,
                           "plan": item.plan_key if item else None, "item": item.key if item else None,
                           "offset": offset})
    return agency.iri


def _aliases(w: GraphWriter) -> dict[str, str]:
    """The short names the document gives its government (``reading.jurisdiction.level_aliases``), read once."""
    got = w.__dict__.get("_level_aliases")
    if got is None:
        got = w.__dict__["_level_aliases"] = level_aliases(w.doc.text)
    return got


def _where(a: Agency) -> str | None:
    div = gazetteer().get(a.jurisdiction) if a.jurisdiction else None
    return full_name(div) if div else None


def _write_agency(w: GraphWriter, a: Agency) -> None:
    """An agency, its jurisdiction, former names, kind and parents, described once in the agencies' graph."""
    reg = registry()
    if w.described(AGENCIES, a.iri, PKB.Agency):
        return

    def say(p: URIRef, o) -> None:
        w.describe(AGENCIES, a.iri, p, o)

    say(RDF.type, PKB.Agency)
    say(RDF.type, ORG.Organization)
    say(SKOS.prefLabel, w.zh(a.name))
    for label in a.labels:
        if label != a.name:
            say(SKOS.altLabel, w.zh(label))
    say(PKB.inRegistry, Literal(a.registered))
    if a.registered:
        say(PKB.registryId, Literal(a.id, datatype=XSD.string))
    if a.jurisdiction:
        div = gazetteer().get(a.jurisdiction)
        if div is not None:
            say(PKB.jurisdiction, division_node(w, div))
    for k, (former, year) in enumerate(a.former, start=1):
        node = URIRef(f"{a.iri}/former-name/{k}")
        w.describe(AGENCIES, node, RDF.type, PKB.FormerName)
        say(PKB.formerName, node)
        w.describe(AGENCIES, node, RDFS.label, w.zh(former))
        w.describe(AGENCIES, node, PKB.renamedIn, Literal(str(year), datatype=XSD.gYear))
    if a.kind:
        kind = reg.kinds[a.kind]
        kind_iri = PKB[kind.iri_name]
        say(PKB.agencyKind, kind_iri)
    if a.source:
        say(PKB.nameSource, w.zh(a.source))
    if a.parent_agency is not None:
        say(ORG.subOrganizationOf, a.parent_agency.iri)
        _write_agency(w, a.parent_agency)
