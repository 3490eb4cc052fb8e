"""Facts of the family 'roles': who leads, supports, answers for and guides each task and measure.

For every role the closing parenthetical gives, the item gets ``pkb:leadAgency`` / ``pkb:supportingAgency`` /
``pkb:responsibleAgency`` / ``pkb:guidingAgency`` to an agency node, and a ``pkb:RoleAssignment`` node records the
same fact with the span of the name as written, so that every role traces to text. A standing note becomes a
``pkb:StandingNote`` node; ``extraction/rules/10-standing-notes.rq`` hands its responsibility to the later tasks.

Agencies come from the registry (``extraction/agencies.yaml``); a name nobody registered still becomes an agency,
labelled as written, and is listed in the build report.
"""

from __future__ import annotations

import hashlib

from pypinyin import lazy_pinyin
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from plan_kb.base.namespaces import ORG, PKB
from plan_kb.graph.writer import GraphWriter
from plan_kb.reading.agencies import ROLE_PROPERTIES, Agency, norm_name, registry
from plan_kb.reading.model import Item, Plan
from plan_kb.reading.roles import RoleContext, positional_rule_in, read_roles


def _context(w: GraphWriter, plan: Plan) -> RoleContext:
    """One per plan: a positional rule stated before the tasks, or with 下同 in an item, holds for later items."""
    contexts = w.state.setdefault("role-contexts", {})
    if plan.key not in contexts:
        before = plan.preamble.text if plan.preamble else ""
        contexts[plan.key] = RoleContext(first_leads=positional_rule_in(before))
    return contexts[plan.key]

#: Agencies are described in the graph of their registry, never in a document's graph (``GraphWriter.describe``).
AGENCIES = "agencies"


def write_item(w: GraphWriter, plan: Plan, item: Item) -> None:
    """The roles of one task or measure, its standing notes, and the agencies they name."""
    reading = read_roles(item.text, offset=item.start, context=_context(w, plan))
    node = w.item_iri(item)
    for k, m in enumerate(reading.mentions, start=1):
        agency = agency_node(w, m.name, item, m.start)
        prop = PKB[ROLE_PROPERTIES[m.role]]
        w.add(node, prop, agency)
        ra = w.typed(w.child_iri(node, "role", k), PKB.RoleAssignment)
        w.add(ra, PKB.roleItem, node)
        w.add(ra, PKB.roleAgency, agency)
        w.add(ra, PKB.roleProperty, prop)
        w.add(ra, PKB.roleWord, w.zh(m.word))
        w.add(ra, PKB.agencyName, w.zh(m.name))
        w.provenance(ra, m.start, m.end)
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
    """Roles belong to items; standing notes are written with the item that carries them."""


# --- agencies ---------------------------------------------------------------------------------------------------

def agency_node(w: GraphWriter, name: str, item: Item | None = None, offset: int | None = None) -> URIRef:
    """The agency ``name`` means, described in the agencies' graph (with its parents); a name the registry does
    not hold becomes an agency of its own and is reported. The document's graph only links to it."""
    found = registry().by_label(name)
    if found:
        _write_registered(w, found)
        return found.iri
    iri = unregistered_iri(name)
    w.describe(AGENCIES, iri, RDF.type, PKB.Agency)
    w.describe(AGENCIES, iri, RDF.type, ORG.Organization)
    w.describe(AGENCIES, iri, SKOS.prefLabel, w.zh(norm_name(name)))
    w.describe(AGENCIES, iri, PKB.inRegistry, Literal(False))
    listed = w.report.unregistered_agencies
    if not any(e["name"] == name and e["file"] == w.doc.path.name for e in listed):
        listed.append({"name": name, "iri": str(iri), "file": w.doc.path.name,
                       "plan": item.plan_key if item else None, "item": item.key if item else None,
                       "offset": offset})
    return iri


def unregistered_iri(name: str) -> URIRef:
    """``id:agency/x-shi-shui-wu-ju-1a2b3c``: readable, and distinct for names that sound alike."""
    n = norm_name(name)
    sound = "-".join(p for p in lazy_pinyin(n) if p.isascii() and p.isalnum()).lower() or "agency"
    digest = hashlib.sha1(n.encode("utf-8")).hexdigest()[:6]
    return GraphWriter.entity_iri("agency", f"x-{sound}-{digest}")


def _write_registered(w: GraphWriter, a: Agency) -> None:
    """A registered agency, its kind and its parents, described once in the agencies' graph."""
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
    say(PKB.registryId, Literal(a.id, datatype=XSD.string))
    say(PKB.inRegistry, Literal(True))
    if a.kind:
        kind = reg.kinds[a.kind]
        say(PKB.agencyKind, kind.iri)
        w.describe(AGENCIES, kind.iri, RDF.type, PKB.AgencyKind)
        w.describe(AGENCIES, kind.iri, SKOS.inScheme, PKB.AgencyKinds)
        w.describe(AGENCIES, kind.iri, SKOS.prefLabel, w.zh(kind.zh))
        w.describe(AGENCIES, kind.iri, SKOS.prefLabel, Literal(kind.en, lang="en"))
    if a.source:
        say(PKB.nameSource, w.zh(a.source))
    if a.parent:
        parent = reg.get(a.parent)
        say(ORG.subOrganizationOf, parent.iri)
        _write_registered(w, parent)
