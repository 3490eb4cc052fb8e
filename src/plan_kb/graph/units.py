"""Per-document build units: a document's reading, graph (its own named graph and what it says about the shared
entities it names), validation findings, report and normalised text, kept under a content hash and reused by the
next build when nothing they depend on changed.

A unit's key is the SHA-256 of the document's bytes, the slug and plan keys it gets in this corpus (a plan key is
unique in a base: where two plans would have one, the earlier published document keeps it), the reading resources
(``extraction/``), the shapes and the ontology, and the code of the stages that make a unit (``base``, ``reading``,
``graph``). Change any of them and the unit is made again; otherwise the build reads ``unit.json`` and the unit's
N-Quads and skips reading, writing and validating the document.

Layout of a unit folder ``$PLAN_KB_DATA/units/<key>/``::

    unit.nq      the document's graph and its contributions to the shared entities' graphs, one quad a line as
                 Oxigraph writes it (so the same quad is the same line in every unit, ``kb.nq`` and ``shared.nq``)
    shared.nq    those contributions alone, one quad a line as Oxigraph writes it (what the build counts when a unit
                 is removed from a base: a fact another unit states too stays)
    (and ``units/heads/<hash>.json``: a document's issue date, slug and plan titles, for giving plan keys)
    unit.json    slug, file, plan keys, the document's part of the build report, its SHACL findings
    text.txt, map.json   the normalised text and its offset map
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Dataset

from plan_kb.base.namespaces import ID
from plan_kb.base.resources import EXTRACTION, ONTOLOGY, ROOT, SHAPES
from plan_kb.graph.validate import Finding, validate_dataset
from plan_kb.graph.writer import ENTITY_GRAPHS, BuildReport
from plan_kb.reading.sources import corpus_files

UNIT_FORMAT = 3
_PACKAGE = Path(__file__).resolve().parents[1]
_CODE = ("base", "reading", "graph", "errors.py")


@cache
def versions() -> str:
    """One hash of everything a unit depends on besides its text: resources, shapes, ontology and code."""
    h = hashlib.sha256(f"unit-format {UNIT_FORMAT}".encode())
    files: list[Path] = []
    for folder in (EXTRACTION, SHAPES, ONTOLOGY):
        files += [p for p in folder.rglob("*") if p.is_file()]
    for part in _CODE:
        p = _PACKAGE / part
        files += [p] if p.is_file() else [f for f in p.rglob("*.py")]
    for f in sorted(files):
        h.update(str(f.relative_to(ROOT) if f.is_relative_to(ROOT) else f.name).encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


@dataclass
class Unit:
    key: str
    folder: Path
    file: str
    slug: str
    plan_keys: list[str]
    report: dict[str, Any]
    findings: list[Finding]
    reused: bool = False

    @property
    def nq(self) -> Path:
        return self.folder / "unit.nq"

    @property
    def shared(self) -> Path:
        """The unit's quads outside its document's graph (in the registries' graphs, which units share)."""
        return self.folder / "shared.nq"

    @property
    def graph(self) -> str:
        """Its document's named graph, which only this unit writes."""
        return document_graph(self.slug)


def document_graph(slug: str) -> str:
    return str(ID[f"graph/{slug}"])


@dataclass
class Units:
    units: list[Unit] = field(default_factory=list)

    @property
    def reused(self) -> int:
        return sum(u.reused for u in self.units)

    def report(self) -> BuildReport:
        """The build report of every unit, in corpus order."""
        rep = BuildReport()
        for u in self.units:
            for k, v in u.report.items():
                getattr(rep, k).extend(v)
        return rep

    def findings(self) -> list[Finding]:
        out, seen = [], set()
        for u in self.units:
            for f in u.findings:
                if f not in seen:
                    seen.add(f)
                    out.append(f)
        return out


def unit_key(raw: bytes, plan_keys: list[str], slugs: list[str]) -> str:
    h = hashlib.sha256(versions().encode())
    h.update(hashlib.sha256(raw).digest())
    h.update(json.dumps([plan_keys, slugs]).encode())
    return h.hexdigest()[:32]


def build_units(corpus: Path, units_dir: Path, progress: Callable[[str], None] | None = None,
                mutate: Callable[[Dataset], None] | None = None) -> Units:
    """Every document of ``corpus`` as a unit, reusing those in ``units_dir`` whose key is unchanged.

    Slugs and plan keys are given as ``reading.structure.read_corpus`` gives them (a slug taken by an earlier file
    gets the file's name; where two plans would have one key, the earlier published document keeps it), from each
    document's head (issue date, slug, plan titles), which is kept too, so that a reused document is not read.
    ``mutate`` (for tests) breaks each document's dataset before validation; its units are not kept."""
    from plan_kb.reading.structure import plan_key, read_file, slugify

    say = progress or (lambda _m: None)
    files = corpus_files(corpus)
    raws = [f.read_bytes() for f in files]
    read: dict[int, Any] = {}
    heads = []
    for i, (f, raw) in enumerate(zip(files, raws, strict=True)):
        head = None if mutate else _head(units_dir, raw)
        if head is None:
            say(f"reading {f.name}")
            doc = read[i] = read_file(f)
            head = {"issued": doc.notice.issued.isoformat() if doc.notice.issued else None, "slug": doc.slug,
                    "titles": [p.title for p in doc.plans], "keys": [p.key for p in doc.plans]}
            if mutate is None:
                _save_head(units_dir, raw, head)
        heads.append(head)
    slugs: list[str] = []
    for f, h in zip(files, heads, strict=True):
        slugs.append(h["slug"] if h["slug"] not in slugs else f"{h['slug']}-{slugify(f.stem)}")
    keys: list[list[str]] = [[] for _ in files]
    taken: list[str] = []
    for i in sorted(range(len(files)), key=lambda i: (heads[i]["issued"] or "9999-12-31", files[i].name)):
        for title in heads[i]["titles"]:
            key = plan_key(title, taken)
            taken.append(key)
            keys[i].append(key)
    out = Units()
    todo: list[tuple[int, Path, str, Path]] = []
    for i, f in enumerate(files):
        key = unit_key(raws[i], keys[i], [slugs[i]])
        folder = units_dir / key
        unit = None if mutate else _load(folder, f.name)
        if unit is None:
            todo.append((i, f, key, folder))
        out.units.append(unit)  # type: ignore[arg-type]  # filled in below
    workers = build_workers(len(todo)) if mutate is None else 1
    if workers > 1:
        say(f"making {len(todo)} units in {workers} processes")
        made = _in_processes([(f, key, folder, slugs[i], keys[i]) for i, f, key, folder in todo], workers)
        for (i, *_rest), unit in zip(todo, made, strict=True):
            out.units[i] = unit
        return out
    for i, f, key, folder in todo:
        doc = read.get(i)
        if doc is None:
            say(f"reading {f.name}")
            doc = read_file(f)
        _name(doc, slugs[i], keys[i])
        out.units[i] = _make(f, key, folder, doc, mutate, say)
    return out


def build_workers(jobs: int) -> int:
    """Processes that make units: ``PLAN_KB_BUILD_WORKERS``, else one per processor up to 2; one for a single unit
    (starting a process costs more than it saves)."""
    try:
        want = int(os.environ.get("PLAN_KB_BUILD_WORKERS", "0"))
    except ValueError:
        want = 0
    want = want if want > 0 else min(2, os.cpu_count() or 1)
    return max(1, min(want, jobs)) if jobs > 1 else 1


def _name(doc: Any, slug: str, keys: list[str]) -> None:
    """Give a document read on its own the slug and plan keys it has in this corpus."""
    doc.slug = slug
    for plan, k in zip(doc.plans, keys, strict=True):
        if k != plan.key:
            plan.key = k
            for item in plan.items:
                item.plan_key = k


def _make_job(job: tuple[Path, str, Path, str, list[str]]) -> Unit:
    from plan_kb.reading.structure import read_file

    path, key, folder, slug, keys = job
    doc = read_file(path)
    _name(doc, slug, keys)
    return _make(path, key, folder, doc, None, lambda _m: None)


def _in_processes(jobs: list[tuple[Path, str, Path, str, list[str]]], workers: int) -> list[Unit]:
    """The units of ``jobs`` made by ``workers`` processes (started fresh, so no lock or thread of this one is
    copied into them), in order; the first error is raised here, as the one process would have raised it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_make_job, jobs))


def _head_path(units_dir: Path, raw: bytes) -> Path:
    return units_dir / "heads" / f"{hashlib.sha256(versions().encode() + raw).hexdigest()[:32]}.json"


def _head(units_dir: Path, raw: bytes) -> dict[str, Any] | None:
    try:
        return json.loads(_head_path(units_dir, raw).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _save_head(units_dir: Path, raw: bytes, head: dict[str, Any]) -> None:
    path = _head_path(units_dir, raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(head, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _load(folder: Path, file: str) -> Unit | None:
    meta = folder / "unit.json"
    if not meta.exists() or not (folder / "unit.nq").exists() or not (folder / "shared.nq").exists():
        return None
    d = json.loads(meta.read_text(encoding="utf-8"))
    if d.get("format") != UNIT_FORMAT:
        return None
    report = d["report"]
    for part in report.values():  # the file may have been renamed with the same text
        for entry in part:
            if "file" in entry:
                entry["file"] = file
    return Unit(d["key"], folder, file, d["slug"], d["plan_keys"], report,
                [Finding(**x) for x in d["findings"]], reused=True)


def _make(path: Path, key: str, folder: Path, doc: Any, mutate: Callable[[Dataset], None] | None,
          say: Callable[[str], None]) -> Unit:
    from plan_kb.graph.dataset import build_dataset

    ds, report = build_dataset([doc])
    if mutate:
        mutate(ds)
    say(f"validating {path.name} with SHACL")
    findings = validate_dataset(ds, list(ENTITY_GRAPHS.values()))
    unit = Unit(key, folder, path.name, doc.slug, [p.key for p in doc.plans], report.as_dict(), findings)
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _write_quads(ds.serialize(format="nquads", encoding="utf-8"), tmp, document_graph(doc.slug))
        (tmp / "text.txt").write_text(doc.text, encoding="utf-8")
        (tmp / "map.json").write_text(doc.normalized.map_json(), encoding="utf-8")
        source = None
        if doc.source_form != "text":  # converted: the text the offsets point into is published beside the map
            (tmp / "source.txt").write_text(doc.original, encoding="utf-8")
            source = {"file": str(path), "document": doc.slug, "form": doc.source_form, "note": doc.source_note}
        meta = {"format": UNIT_FORMAT, "key": key, "file": path.name, "slug": doc.slug, "plan_keys": unit.plan_keys,
                "report": unit.report, "findings": [f.__dict__ for f in findings], "source": source}
        (tmp / "unit.json").write_text(json.dumps(meta, ensure_ascii=False, default=str), encoding="utf-8")
        if mutate is None:
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(tmp, folder)
            unit.folder = folder
        else:
            unit.folder = tmp  # a broken unit is used once and never kept under its key
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return unit


def _write_quads(data: bytes, folder: Path, own: str) -> None:
    """``unit.nq`` (every quad of ``data``) and ``shared.nq`` (those outside the document's graph ``own``), as
    Oxigraph writes them: one canonical line a quad. A unit writes only its document's graph and the registries'
    (a removed unit's document graph is dropped whole); anything else is a defect of the graph stage, raised here."""
    import pyoxigraph as ox

    allowed = {own, *(str(g) for g in ENTITY_GRAPHS.values())}
    quads = list(dict.fromkeys(ox.parse(data, format=ox.RdfFormat.N_QUADS)))
    shared = []
    for q in quads:
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        if g not in allowed:
            raise ValueError(f"a document's unit writes into the graph <{g}>, neither its own nor a registry's")
        if g != own:
            shared.append(q)
    ox.serialize(quads, str(folder / "unit.nq"), format=ox.RdfFormat.N_QUADS)
    ox.serialize(shared, str(folder / "shared.nq"), format=ox.RdfFormat.N_QUADS)


def prune_units(units_dir: Path, keep: set[str], spare: int = 0) -> None:
    """Remove unit folders the last build did not use (``spare`` of the newest are kept for a quick undo)."""
    if not units_dir.exists():
        return
    others = sorted((p for p in units_dir.iterdir() if p.is_dir() and p.name not in keep and p.name != "heads"),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for p in others[spare:]:
        shutil.rmtree(p, ignore_errors=True)
