"""The build's own Oxigraph store and ``kb.nq``, put together from the documents' units (``graph.units``).

From nothing, every unit's N-Quads (and the ontology's graph) are bulk-loaded into a new on-disk store, and
``kb.nq`` is the store's dump (a fact two units state is one quad). When the served
build's units are mostly still used, the new store starts as a backup of the served one (RocksDB's immutable files
hard-linked, so the copy costs nothing whatever the size; the served folder is only read) and changes by the units
that differ:

* a unit that is no longer used (a document removed, or changed: its new text is another unit) takes its
  document's graph with it, which only that unit writes, and those of its statements about the shared entities
  (the registries' graphs, ``unit/shared.nq``) that no unit still used states;
* a unit that is new adds its quads.

``kb.nq`` follows: copied and appended to when only documents were added, else copied without the lines that went.
``store.json`` records which units the store holds and a hash of the checks it passed, so the next build knows
what it starts from. The checks of ``shapes/*-violation.rq`` then run on the store (``store.checks``): on the
entities the new quads are about when the store was changed from the served one, on everything otherwise.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from plan_kb.store.checks import Violation, check_files, run_checks
from plan_kb.store.engine import STORE_DIR

if TYPE_CHECKING:
    from plan_kb.graph.units import Unit

#: What a build's store holds: the keys of its units and the hash of the checks it passed.
RECORD = "store.json"
RECORD_FORMAT = 1


@dataclass
class Removed:
    """What the store needs of a unit it drops: its document's graph and its shared statements."""

    key: str
    graph: str
    shared: Path


@dataclass
class Assembly:
    """How the store was made: from every unit (``grown`` False) or from the served one, with what changed."""

    grown: bool
    added: list[str] = field(default_factory=list)  # unit keys
    removed: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    def describe(self) -> str:
        if not self.grown:
            return "loaded from every unit"
        out = f"the served build's store, {len(self.added)} unit(s) added"
        return out + (f", {len(self.removed)} removed" if self.removed else "")


def checks_hash() -> str:
    h = hashlib.sha256()
    for f in check_files():
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def _record(folder: Path) -> dict | None:
    try:
        rec = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) and rec.get("format") == RECORD_FORMAT else None


def _removed(key: str, units_dir: Path) -> Removed | None:
    """A unit of the served build, from its folder (None when it is gone or of another format)."""
    from plan_kb.graph.units import UNIT_FORMAT, document_graph

    folder = units_dir / key
    try:
        meta = json.loads((folder / "unit.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("format") != UNIT_FORMAT or not (folder / "shared.nq").exists():
        return None
    return Removed(key, document_graph(meta["slug"]), folder / "shared.nq")


def plan(units: list[Unit], previous: Path | None, units_dir: Path) -> tuple[list[Unit], list[Removed]] | None:
    """The units to add to, and remove from, a backup of ``previous``'s store; None when it is better made from
    nothing (no previous store, other checks, or fewer units kept than changed)."""
    if previous is None or not (previous / STORE_DIR / "CURRENT").exists() or not (previous / "kb.nq").exists():
        return None
    rec = _record(previous)
    if rec is None or rec.get("checks") != checks_hash():
        return None
    old = set(rec.get("units", []))
    keys = {u.key for u in units}
    added = [u for u in units if u.key not in old]
    kept = len(units) - len(added)
    gone = sorted(old - keys)
    if not kept or kept < len(added) + len(gone):
        return None
    removed = [_removed(k, units_dir) for k in gone]
    if any(r is None for r in removed):
        return None
    return added, [r for r in removed if r is not None]


def _lines(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").splitlines())


def assemble(folder: Path, units: list[Unit], previous: Path | None, units_dir: Path,
             ontology: Callable[[Path], None]) -> Assembly:
    """Write ``folder/oxigraph`` and ``folder/kb.nq`` for ``units`` (and the ontology's graph, which ``ontology``
    writes as N-Quads into the file it is given), from ``previous``'s store where that is cheaper, and run the
    checks; the store is closed when this returns. The violations found are in the result (the caller decides
    what they stop)."""
    steps = plan(units, previous, units_dir)
    if steps is None or previous is None:
        got = _from_nothing(folder, units, ontology)
    else:
        got = _changed(folder, previous, units, *steps)
    (folder / RECORD).write_text(json.dumps({"format": RECORD_FORMAT, "units": [u.key for u in units],
                                             "checks": checks_hash()}), encoding="utf-8")
    return got


def _from_nothing(folder: Path, units: list[Unit], ontology: Callable[[Path], None]) -> Assembly:
    disk = ox.Store(str(folder / STORE_DIR))
    try:
        ontology(onto := folder / "ontology.nq")
        for p in [u.nq for u in units] + [onto]:
            disk.bulk_load(path=str(p), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        # the store's dump, not the union of the units' lines: a store loaded from kb.nq returns the ties of an
        # ORDER BY in the order it was given, and the dump's order is the same for a document in any base
        disk.dump(str(folder / "kb.nq"), format=ox.RdfFormat.N_QUADS)
        onto.unlink()
        bad = run_checks(disk)
    finally:
        del disk  # closes the on-disk store
    return Assembly(False, violations=bad)


def _backup(previous: Path, target: Path) -> None:
    """A copy of ``previous``'s store at ``target`` that ``previous`` does not share any write with: RocksDB's
    backup hard-links its immutable table files (never written again) and copies the rest."""
    try:
        ox.Store.read_only(str(previous)).backup(str(target))
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(previous, target)


def _changed(folder: Path, previous: Path, units: list[Unit], added: list[Unit],
             removed: list[Removed]) -> Assembly:
    _backup(previous / STORE_DIR, folder / STORE_DIR)
    disk = ox.Store(str(folder / STORE_DIR))
    try:
        gone_graphs: set[str] = set()
        gone_lines: set[str] = set()
        if removed:
            gone_graphs = {r.graph for r in removed}
            for g in gone_graphs:
                disk.remove_graph(ox.NamedNode(g))
            for r in removed:
                gone_lines |= _lines(r.shared)
            for u in units:  # a statement another unit still makes stays
                if gone_lines:
                    gone_lines -= _lines(u.shared)
            for q in ox.parse(input="\n".join(gone_lines), format=ox.RdfFormat.N_QUADS):
                disk.remove(q)
        new: list[ox.Quad] = []
        for u in added:
            quads = [q for q in dict.fromkeys(ox.parse(path=str(u.nq), format=ox.RdfFormat.N_QUADS))
                     if q not in disk]
            disk.extend(quads)
            new += quads
        _write_nq(previous / "kb.nq", folder / "kb.nq", gone_graphs, gone_lines, new)
        disk.flush()
        bad = run_checks(disk, entities=_subjects(new))
    finally:
        del disk
    return Assembly(True, [u.key for u in added], [r.key for r in removed], bad)


def _subjects(quads: Iterable[ox.Quad]) -> set[ox.NamedNode] | None:
    """The subjects of ``quads`` (None when one is a blank node, which a query cannot name)."""
    out: set[ox.NamedNode] = set()
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode):
            return None
        out.add(q.subject)
    return out


def _write_nq(old: Path, out: Path, graphs: set[str], lines: set[str], new: list[ox.Quad]) -> None:
    """``out``: ``old`` without the quads of ``graphs`` and the ``lines`` (as Oxigraph writes them, which is how
    ``kb.nq`` is written), then the ``new`` quads."""
    if not graphs and not lines:
        shutil.copyfile(old, out)
    else:
        ends = tuple(f"<{g}> .\n".encode() for g in graphs)
        drop = {f"{x}\n".encode() for x in lines}
        with old.open("rb") as src, out.open("wb") as dst:
            dst.writelines(line for line in src if not line.endswith(ends) and line not in drop)
    with out.open("ab") as dst:
        ox.serialize(new, dst, format=ox.RdfFormat.N_QUADS)
