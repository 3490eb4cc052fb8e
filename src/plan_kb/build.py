"""The pipeline: read every document (``reading``), write the graph (``graph``), validate it (SHACL), build what the
look-ups read (the search index and the question reader's word list, ``answers``), write it all into a fresh build
folder, and only then make that folder current (``store.folders``).

Layout of ``$PLAN_KB_DATA``::

    current -> builds/<id>      the knowledge base in use (a symlink, replaced atomically)
    builds/<id>/kb.nq           the whole dataset: one named graph per document, one per registry of shared entities,
                                one for the ontology
    builds/<id>/oxigraph/       the same in an on-disk Oxigraph store (what the look-up commands open read-only)
    builds/<id>/report.json     what the build wants a person to look at (and which units it reused)
    builds/<id>/store.json      the units its store holds (``store.assemble``: the next build may start from it)
    units/<hash>/               one document's unit (``graph.units``), reused while its inputs are unchanged
    builds/<id>/texts/<slug>.txt, <slug>.map.json   the normalised text of each document and its offset map
    builds/<id>/rules.ttl, rules.json   the plans' limits and goals as SHACL shapes and JSON (answers.rules)
    builds/<id>/ (search index and store folders, added by the services)
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset

from plan_kb.base.resources import CORPUS
from plan_kb.errors import DocumentError, PlanKBError, ValidationFailed
from plan_kb.store.engine import EmbeddedStore
from plan_kb.store.folders import data_dir
from plan_kb.store.view import StoreView

#: Build folders kept by default (the newest ones; the current one is always kept).
KEEP = 3


class BuildRefused(PlanKBError):
    """A build that would lose most of the current knowledge base; made current only with ``force``."""


class DataNotWritable(PlanKBError):
    """A data folder the build cannot write into."""

if TYPE_CHECKING:
    from plan_kb.graph.units import Units
    from plan_kb.graph.validate import Finding


@dataclass
class BuildResult:
    folder: Path
    report: dict
    findings: list[Finding]
    seconds: float


def build(corpus: Path | None = None, data: Path | None = None,
          progress: Callable[[str], None] | None = None,
          mutate: Callable[[Dataset], None] | None = None, force: bool = False, keep: int = KEEP) -> BuildResult:
    """Read the corpus, write the graph, validate it, and only then make it current.

    Before anything is read, the data folder must be writable; a corpus must hold each document once. A graph with
    no task, or with fewer than half the tasks the current knowledge base has for the same document, is not made
    current unless ``force``. Afterwards only the newest ``keep`` builds stay (and no leftover of a killed build).

    Each document is a unit (``graph.units``) kept under its content hash in ``$PLAN_KB_DATA/units/`` and reused
    when its text, the reading resources and the code are unchanged; the base is the union of the units (and the
    ontology's graph), loaded into the build's Oxigraph store, where the whole-base checks run. ``mutate`` lets a
    test break each document's graph before validation, to prove a bad graph is never published (its units are
    not kept).
    """
    from plan_kb.answers.ask.words import write_words
    from plan_kb.answers.rules.shapes import write_rules
    from plan_kb.answers.search.index import build_index
    from plan_kb.graph.units import build_units, prune_units
    from plan_kb.graph.validate import violations

    t0 = time.perf_counter()
    data = data or data_dir()
    corpus = corpus or CORPUS
    say = progress or (lambda _m: None)
    builds = data / "builds"
    check_writable(builds)
    units = build_units(corpus, data / "units", say, mutate)
    try:
        check_unique(units)
        findings = units.findings()
        bad = violations(findings)
        if bad:
            raise ValidationFailed("\n".join(f.line() for f in bad[:50]) +
                                   (f"\n… and {len(bad) - 50} more" if len(bad) > 50 else ""))
        report = units.report()
        if not force:
            check_not_losing(report.as_dict(), data)
        folder = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.perf_counter_ns() % 10**6}"
        tmp = folder.with_name(folder.name + ".partial")
        tmp.mkdir()
        try:
            say(f"writing the knowledge base ({units.reused} of {len(units.units)} documents reused)")
            previous = _previous(data)
            store, how = _store_and_check(tmp, units, previous, data / "units")
            texts = tmp / "texts"
            texts.mkdir()
            for u in units.units:
                _link(u.folder / "text.txt", texts / f"{u.slug}.txt")
                _link(u.folder / "map.json", texts / f"{u.slug}.map.json")
                if (u.folder / "source.txt").exists():  # the original the map points into, when not the file's bytes
                    _link(u.folder / "source.txt", texts / f"{u.slug}.source.txt")
            rep = report.as_dict()
            rep["shacl"] = [f.__dict__ for f in findings]
            rep["corpus"] = str(corpus)
            rep["sources"] = [s for s in (_source_of(u.folder) for u in units.units) if s]
            rep["units"] = {"reused": [u.file for u in units.units if u.reused],
                            "made": [u.file for u in units.units if not u.reused],
                            "keys": [u.key for u in units.units]}
            say("indexing for search and questions")
            view = StoreView(store)
            from plan_kb.base.namespaces import ID

            graphs = {str(ID[f"graph/{u.slug}"]): u.key for u in units.units}
            rep["search"] = build_index(tmp, view, previous, graphs)
            write_words(tmp, previous)
            rep["reuse"] = {"store": how, "search": _search_reuse(rep["search"])}
            say("compiling the rules (rules.ttl, rules.json)")
            write_rules(tmp, view, previous, graphs)
            store.close()
            del view, store  # the on-disk store is let go before its folder is renamed
            (tmp / "report.json").write_text(json.dumps(rep, ensure_ascii=False, indent=1, default=str),
                                             encoding="utf-8")
            tmp.rename(folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        for u in units.units:
            if u.folder.name.endswith(".partial"):
                shutil.rmtree(u.folder, ignore_errors=True)
    _swap(data, folder)
    prune(builds, keep=keep)
    prune_units(data / "units", keep=_units_in_use(builds))
    return BuildResult(folder, rep, findings, time.perf_counter() - t0)


def _source_of(unit_folder: Path) -> dict | None:
    """How a unit's document was got, when it was converted (PDF, .docx, a web page, GBK): for the build report."""
    try:
        return json.loads((unit_folder / "unit.json").read_text(encoding="utf-8")).get("source")
    except (OSError, ValueError):
        return None


def _units_in_use(builds: Path) -> set[str]:
    """The unit keys of every build still on disk (so that going back to the previous build stays cheap)."""
    keys: set[str] = set()
    for b in builds.iterdir():
        try:
            keys |= set(json.loads((b / "report.json").read_text(encoding="utf-8"))["units"]["keys"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return keys


def _search_reuse(stats: dict) -> str:
    return (f"{stats['reused']} of {stats['documents']} search documents reused, {stats['indexed']} indexed, "
            f"{stats['removed']} removed; the items of {stats['read']} document(s) read")


def _previous(data: Path) -> Path | None:
    """The build served now, whose store and search index a build may start from (copied, never written)."""
    try:
        from plan_kb.store.folders import current_dir

        return current_dir(data).resolve()
    except (PlanKBError, OSError):
        return None


def _store_and_check(folder: Path, units: Units, previous: Path | None, units_dir: Path) -> tuple[EmbeddedStore, str]:
    """The build's own Oxigraph store and ``kb.nq`` (``store.assemble``: from the served build's store when most
    of its units are still used, else from every unit), and the checks of ``shapes/*-violation.rq`` on it: any row
    stops the build. Returns the store the rest of the build reads (the on-disk one, read-only, when it was
    changed from the served one; else an in-memory copy) and how it was made."""
    from plan_kb.store.assemble import assemble

    got = assemble(folder, units.units, previous, units_dir, write_ontology)
    bad = got.violations
    if bad:
        raise ValidationFailed("\n".join(v.line() for v in bad[:50]) +
                               (f"\n… and {len(bad) - 50} more" if len(bad) > 50 else ""))
    # a changed base is read where it lies (read-only; what the build still asks of it is small), a new one loaded
    # into memory (it is read whole for the search index and the rules)
    return EmbeddedStore(folder, workers=1, read_only=got.grown), got.describe()


def _link(src: Path, dst: Path) -> None:
    """``dst`` as a hard link to ``src`` (a unit's file, never written again), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def write_ontology(path: Path) -> None:
    """The ontology (``ontology/*.ttl``) as N-Quads in its own named graph, so the store, the export and the
    endpoint publish the vocabulary the data uses (classes, properties, their labels and alignments)."""
    add_ontology(ds := Dataset())
    ds.serialize(path, format="nquads", encoding="utf-8")


def add_ontology(ds: Dataset) -> None:
    """The ontology (``ontology/*.ttl``) in its own named graph of the dataset, so the store, the export and the
    endpoint publish the vocabulary the data uses (classes, properties, their labels and alignments)."""
    from plan_kb.base.namespaces import ONTOLOGY_GRAPH
    from plan_kb.graph.validate import ontology_graph

    g = ds.graph(ONTOLOGY_GRAPH)
    for t in ontology_graph():
        g.add(t)


def _swap(data: Path, folder: Path) -> None:
    link = data / "current"
    tmp_link = data / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(folder.relative_to(data))
    os.replace(tmp_link, link)


def check_writable(builds: Path) -> None:
    """Raise :class:`DataNotWritable` unless a build folder can be made in ``builds`` (made if missing) and the
    ``current`` link beside it."""
    try:
        builds.mkdir(parents=True, exist_ok=True)
        for where in (builds, builds.parent):  # the build folder goes in one, the ``current`` link in the other
            probe = where / f".probe-{os.getpid()}"
            probe.mkdir()
            probe.rmdir()
    except OSError as exc:
        raise DataNotWritable(f"cannot write the knowledge base into {builds.parent} ({exc.strerror or exc}); "
                              "set PLAN_KB_DATA to a folder you can write") from None


def check_unique(units: Units) -> None:
    """Raise :class:`DocumentError` when two files of the corpus are the same document (by its number, else by
    its text), naming each such document once."""
    seen: dict[str, list[str]] = {}
    for u in units.units:
        number = next((d.get("number") for d in u.report.get("documents", [])), None)
        key = number or (u.folder / "text.txt").read_text(encoding="utf-8")
        seen.setdefault(key, []).append(u.file)
    dups = {k: v for k, v in seen.items() if len(v) > 1}
    if dups:
        parts = [f"{k if len(k) < 60 else 'the same text'} is in {', '.join(files)}" for k, files in dups.items()]
        raise DocumentError("the corpus holds a document more than once: " + "; ".join(parts) +
                            "; keep one file per document")


def _tasks_by_document(report: dict) -> dict[str, int]:
    return {str(d.get("number") or d.get("slug")): sum(int(p.get("tasks", 0)) for p in d.get("plans", {}).values())
            for d in report.get("documents", [])}


def check_not_losing(report: dict, data: Path) -> None:
    """Raise :class:`BuildRefused` when the new build has no task at all, or fewer than half the tasks the current
    knowledge base has for a document both hold."""
    new = _tasks_by_document(report)
    hint = "; it is not made current, the knowledge base served stays (build with --force to make it current)"
    if not sum(new.values()):
        raise BuildRefused(f"the build found no task in {len(new)} document(s){hint}")
    try:
        from plan_kb.store.folders import current_dir, load_report

        old = _tasks_by_document(load_report(current_dir(data)))
    except (PlanKBError, OSError, ValueError):
        return
    lost = [f"{k}: {new[k]} tasks, the current one has {n}" for k, n in old.items()
            if k in new and new[k] * 2 < n]
    if lost:
        raise BuildRefused("the build loses most of the tasks of " + "; ".join(lost) + hint)


def _build_pid(folder: Path) -> int | None:
    parts = folder.name.split("-")
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prune(builds: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest ``keep`` builds (never the current one) and the ``.partial`` folders of builds
    that no longer run; returns what was removed."""
    current = (builds.parent / "current").resolve()
    removed = []
    for p in builds.iterdir():
        if p.is_dir() and p.name.endswith(".partial") and not _alive(_build_pid(p)):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".partial")
                   and not p.name.startswith(".")), key=lambda p: (p.stat().st_mtime, p.name))
    for old in done[:-max(1, keep)]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed
