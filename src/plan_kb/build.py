"""The pipeline: read every document (``reading``), write the graph (``graph``), validate it (SHACL), build what the
look-ups read (the search index and the question reader's word list, ``answers``), write it all into a fresh build
folder, and only then make that folder current (``store.folders``).

Layout of ``$PLAN_KB_DATA``::

    current -> builds/<id>      the knowledge base in use (a symlink, replaced atomically)
    builds/<id>/kb.nq           the whole dataset: one named graph per document, one per registry of shared entities
    builds/<id>/oxigraph/       the same in an on-disk Oxigraph store (what the look-up commands open read-only)
    builds/<id>/report.json     what the build wants a person to look at (and which units it reused)
    units/<hash>/               one document's unit (``graph.units``), reused while its inputs are unchanged
    builds/<id>/texts/<slug>.txt, <slug>.map.json   the normalised text of each document and its offset map
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
from plan_kb.errors import ValidationFailed
from plan_kb.store.engine import EmbeddedStore
from plan_kb.store.folders import data_dir
from plan_kb.store.view import StoreView

if TYPE_CHECKING:
    from plan_kb.graph.validate import Finding


@dataclass
class BuildResult:
    folder: Path
    report: dict
    findings: list[Finding]
    seconds: float


def build(corpus: Path | None = None, data: Path | None = None,
          progress: Callable[[str], None] | None = None,
          mutate: Callable[[Dataset], None] | None = None) -> BuildResult:
    """Read the corpus, write the graph, validate it, and only then make it current.

    Each document is a unit (``graph.units``) kept under its content hash in ``$PLAN_KB_DATA/units/`` and reused
    when its text, the reading resources and the code are unchanged; the base is the union of the units, loaded
    into the build's Oxigraph store, where the whole-base checks run. ``mutate`` lets a test break each document's
    graph before validation, to prove a bad graph is never published (its units are not kept).
    """
    from plan_kb.answers.ask.words import write_words
    from plan_kb.answers.search.index import build_index
    from plan_kb.graph.units import build_units, prune_units
    from plan_kb.graph.validate import violations

    t0 = time.perf_counter()
    data = data or data_dir()
    corpus = corpus or CORPUS
    say = progress or (lambda _m: None)
    units = build_units(corpus, data / "units", say, mutate)
    findings = units.findings()
    bad = violations(findings)
    if bad:
        raise ValidationFailed("\n".join(f.line() for f in bad[:50]) +
                               (f"\n… and {len(bad) - 50} more" if len(bad) > 50 else ""))
    builds = data / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    folder = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.perf_counter_ns() % 10**6}"
    tmp = folder.with_name(folder.name + ".partial")
    tmp.mkdir()
    try:
        say(f"writing the knowledge base ({units.reused} of {len(units.units)} documents reused)")
        store = _store_and_check(tmp, [u.nq for u in units.units])
        texts = tmp / "texts"
        texts.mkdir()
        for u in units.units:
            shutil.copyfile(u.folder / "text.txt", texts / f"{u.slug}.txt")
            shutil.copyfile(u.folder / "map.json", texts / f"{u.slug}.map.json")
        rep = units.report().as_dict()
        rep["shacl"] = [f.__dict__ for f in findings]
        rep["corpus"] = str(corpus)
        rep["units"] = {"reused": [u.file for u in units.units if u.reused],
                        "made": [u.file for u in units.units if not u.reused],
                        "keys": [u.key for u in units.units]}
        say("indexing for search and questions")
        build_index(tmp, StoreView(store))
        write_words(tmp)
        store.close()
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
    _prune(builds, keep=folder)
    prune_units(data / "units", keep=_units_in_use(builds))
    return BuildResult(folder, rep, findings, time.perf_counter() - t0)


def _units_in_use(builds: Path) -> set[str]:
    """The unit keys of every build still on disk (so that going back to the previous build stays cheap)."""
    keys: set[str] = set()
    for b in builds.iterdir():
        try:
            keys |= set(json.loads((b / "report.json").read_text(encoding="utf-8"))["units"]["keys"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return keys


def _store_and_check(folder: Path, parts: list[Path]) -> EmbeddedStore:
    """The build's own Oxigraph store from the units' N-Quads (a fact two units state is one quad), ``kb.nq``
    written from it, and the checks of ``shapes/*-violation.rq`` on it: any row stops the build. Returns the
    store (an in-memory copy, since the folder is renamed once it is final)."""
    import pyoxigraph as ox

    from plan_kb.store.checks import run_checks
    from plan_kb.store.engine import STORE_DIR

    disk = ox.Store(str(folder / STORE_DIR))
    try:
        for p in parts:
            disk.bulk_load(path=str(p), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        disk.dump(str(folder / "kb.nq"), format=ox.RdfFormat.N_QUADS)
        bad = run_checks(disk)
    finally:
        del disk  # closes the on-disk store before the folder is renamed
    if bad:
        raise ValidationFailed("\n".join(v.line() for v in bad[:50]) +
                               (f"\n… and {len(bad) - 50} more" if len(bad) > 50 else ""))
    return EmbeddedStore(folder, workers=1)


def _swap(data: Path, folder: Path) -> None:
    link = data / "current"
    tmp_link = data / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(folder.relative_to(data))
    os.replace(tmp_link, link)


def _prune(builds: Path, keep: Path, n: int = 2) -> None:
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".partial")),
                  key=lambda p: p.stat().st_mtime)
    for old in done[:-n]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)

