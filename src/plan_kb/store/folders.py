"""Where the knowledge bases live: ``$PLAN_KB_DATA`` (default ``data/`` in the checkout) holds ``builds/<id>/`` and
the ``current`` link that a build moves atomically. Reading a build folder is here; writing one is ``plan_kb.build``."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from plan_kb.base.resources import ROOT
from plan_kb.errors import NotBuilt

if TYPE_CHECKING:
    from rdflib import Dataset


def data_dir() -> Path:
    """``$PLAN_KB_DATA``, else ``data/`` in the checkout."""
    env = os.environ.get("PLAN_KB_DATA")
    return Path(env).expanduser().resolve() if env else ROOT / "data"


def current_dir(data: Path | None = None) -> Path:
    cur = (data or data_dir()) / "current"
    if not (cur / "kb.nq").exists():
        raise NotBuilt(f"no knowledge base in {cur.parent}; run 'plan-kb build' first")
    return cur.resolve()


def build_time(folder: Path | None = None) -> datetime:
    """When the build was written (its ``kb.nq``), in UTC to the second: the DTSTAMP of its calendars and the
    Last-Modified of what the service answers from it."""
    folder = folder or current_dir()
    return datetime.fromtimestamp(int((folder / "kb.nq").stat().st_mtime), UTC)


def load_dataset(folder: Path | None = None) -> Dataset:
    """The whole build parsed with rdflib (for export and validation; look-ups ask the store instead)."""
    from rdflib import Dataset

    folder = folder or current_dir()
    ds = Dataset(default_union=True)
    ds.parse(folder / "kb.nq", format="nquads")
    return ds


def load_report(folder: Path | None = None) -> dict:
    folder = folder or current_dir()
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))
