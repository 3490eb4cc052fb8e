"""Where the project's declarative files live: the reading resources, ontology, shapes, queries and corpus."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

#: The checkout (or unpacked source tree) this package runs from.
ROOT = Path(os.environ.get("PLAN_KB_HOME", Path(__file__).resolve().parents[3]))
EXTRACTION = ROOT / "extraction"
ONTOLOGY = ROOT / "ontology"
SHAPES = ROOT / "shapes"
QUERIES = ROOT / "api" / "queries"
CORPUS = ROOT / "corpus"


@cache
def load_yaml(name: str) -> Any:
    """A YAML file under ``extraction/``, parsed once."""
    path = EXTRACTION / name
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)
