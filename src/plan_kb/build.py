"""The pipeline: read every document (``reading``), write the graph (``graph``), validate it (SHACL), build what the
look-ups read (the search index and the question reader's word list, ``answers``), write it all into a fresh build
folder, and only then make that folder current (``store.folders``).

Layout of ``$PLAN_KB_DATA``::

    current -> builds/<id>      the knowledge base in use (a symlink, replaced atomically)
    builds/<id>/kb.nq           the whole dataset: one named graph per document, one per registry of shared entities
    builds/<id>/oxigraph/       the same in an on-disk Oxigraph store (what the look-up commands open read-only)
    builds/<id>/report.json     what the build wants a person to look at
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

    ``mutate`` lets a test break the graph before validation, to prove a bad graph is never published.
    """
    from plan_kb.answers.ask.words import write_words
    from plan_kb.answers.search.index import build_index
    from plan_kb.graph.dataset import build_dataset
    from plan_kb.graph.validate import validate_dataset, violations
    from plan_kb.graph.writer import ENTITY_GRAPHS
    from plan_kb.reading.structure import read_corpus

    t0 = time.perf_counter()
    data = data or data_dir()
    corpus = corpus or CORPUS
    say = progress or (lambda _m: None)
    docs = read_corpus(corpus)
    ds, report = build_dataset(docs, say)
    if mutate:
        mutate(ds)
    say("validating with SHACL, document by document")
    findings = validate_dataset(ds, list(ENTITY_GRAPHS.values()), progress=say)
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
        say("writing the knowledge base")
        ds.serialize(tmp / "kb.nq", format="nquads", encoding="utf-8")
        say("loading the store and running the whole-base checks")
        store = _store_and_check(tmp)
        texts = tmp / "texts"
        texts.mkdir()
        for d in docs:
            (texts / f"{d.slug}.txt").write_text(d.text, encoding="utf-8")
            (texts / f"{d.slug}.map.json").write_text(d.normalized.map_json(), encoding="utf-8")
        rep = report.as_dict()
        rep["shacl"] = [f.__dict__ for f in findings]
        rep["corpus"] = str(corpus)
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
    _swap(data, folder)
    _prune(builds, keep=folder)
    return BuildResult(folder, rep, findings, time.perf_counter() - t0)


def _store_and_check(folder: Path) -> EmbeddedStore:
    """The build's own Oxigraph store, and the checks of ``shapes/*-violation.rq`` on it: any row stops the build.
    Returns the store opened read-only (an in-memory copy of ``kb.nq`` until the folder is final)."""
    from plan_kb.store.checks import run_checks
    from plan_kb.store.engine import write_store

    disk = write_store(folder)
    try:
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

