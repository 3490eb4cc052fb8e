"""The pipeline: read every document (``reading``), write the graph (``graph``), validate it (SHACL), build what the
look-ups read (the search index and the question reader's word list, ``answers``), write it all into a fresh build
folder, and only then make that folder current (``store.folders``).

Layout of ``$PLAN_KB_DATA``::

    current -> builds/<id>      the knowledge base in use (a symlink, replaced atomically)
    builds/<id>/kb.nq           the whole dataset, one named graph per document and one for the ontology
    builds/<id>/report.json     what the build wants a person to look at
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

from rdflib import Dataset, Graph

from plan_kb.base.resources import CORPUS
from plan_kb.errors import DocumentError, PlanKBError, ValidationFailed
from plan_kb.store.folders import data_dir

#: Build folders kept by default (the newest ones; the current one is always kept).
KEEP = 3


class BuildRefused(PlanKBError):
    """A build that would lose most of the current knowledge base; made current only with ``force``."""


class DataNotWritable(PlanKBError):
    """A data folder the build cannot write into."""

if TYPE_CHECKING:
    from plan_kb.graph.validate import Finding
    from plan_kb.reading.model import Document


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

    ``mutate`` lets a test break the graph before validation, to prove a bad graph is never published.
    """
    from plan_kb.answers.ask.words import write_words
    from plan_kb.answers.rules.shapes import write_rules
    from plan_kb.answers.search.index import build_index
    from plan_kb.graph.dataset import build_dataset
    from plan_kb.graph.validate import validate_graph, violations
    from plan_kb.reading.structure import read_corpus

    t0 = time.perf_counter()
    data = data or data_dir()
    corpus = corpus or CORPUS
    say = progress or (lambda _m: None)
    builds = data / "builds"
    check_writable(builds)
    docs = read_corpus(corpus)
    check_unique(docs)
    ds, report = build_dataset(docs, say)
    if mutate:
        mutate(ds)
    say("validating with SHACL")
    union = Graph()
    for q in ds.quads((None, None, None, None)):
        union.add(q[:3])
    findings = validate_graph(union)
    bad = violations(findings)
    if bad:
        raise ValidationFailed("\n".join(f.line() for f in bad[:50]) +
                               (f"\n… and {len(bad) - 50} more" if len(bad) > 50 else ""))
    if not force:
        check_not_losing(report.as_dict(), data)
    add_ontology(ds)
    folder = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.perf_counter_ns() % 10**6}"
    tmp = folder.with_name(folder.name + ".partial")
    tmp.mkdir()
    try:
        say("writing the knowledge base")
        ds.serialize(tmp / "kb.nq", format="nquads", encoding="utf-8")
        texts = tmp / "texts"
        texts.mkdir()
        for d in docs:
            (texts / f"{d.slug}.txt").write_text(d.text, encoding="utf-8")
            (texts / f"{d.slug}.map.json").write_text(d.normalized.map_json(), encoding="utf-8")
            if d.source_form != "text":  # the original the map points into, when it is not the file's own bytes
                (texts / f"{d.slug}.source.txt").write_text(d.original, encoding="utf-8")
        rep = report.as_dict()
        rep["shacl"] = [f.__dict__ for f in findings]
        rep["corpus"] = str(corpus)
        rep["sources"] = [{"file": str(d.path), "document": d.slug, "form": d.source_form, "note": d.source_note}
                          for d in docs if d.source_note]
        say("indexing for search and questions")
        build_index(tmp, ds)
        write_words(tmp)
        say("compiling the rules (rules.ttl, rules.json)")
        write_rules(tmp, union)
        (tmp / "report.json").write_text(json.dumps(rep, ensure_ascii=False, indent=1, default=str),
                                         encoding="utf-8")
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap(data, folder)
    prune(builds, keep=keep)
    return BuildResult(folder, rep, findings, time.perf_counter() - t0)


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


def check_unique(docs: list[Document]) -> None:
    """Raise :class:`DocumentError` when two files of the corpus are the same document (by its number, else by
    its text), naming each such document once."""
    seen: dict[str, list[Path]] = {}
    for d in docs:
        seen.setdefault(d.notice.number or d.text, []).append(d.path)
    dups = {k: v for k, v in seen.items() if len(v) > 1}
    if dups:
        parts = [f"{k if len(k) < 60 else 'the same text'} is in {', '.join(f.name for f in files)}"
                 for k, files in dups.items()]
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
