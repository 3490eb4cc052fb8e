"""Shared fixtures. The bundled corpus is built once per test session into its own data folder; tests that need
a knowledge base of their own build into ``tmp_path``, never into the shared one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from plan_kb.base.resources import CORPUS, ROOT
from plan_kb.build import BuildResult, build
from plan_kb.store.folders import load_dataset

SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The bundled corpus, built once (PLAN_KB_DATA is not touched)."""
    data = tmp_path_factory.mktemp("kb")
    return build(CORPUS, data)


@pytest.fixture(scope="session")
def kb_data(built: BuildResult) -> Path:
    """The data folder of the session's knowledge base, to point ``PLAN_KB_DATA`` at."""
    return built.folder.parent.parent


@pytest.fixture(scope="session")
def dataset(built: BuildResult) -> Dataset:
    return load_dataset(built.folder)


@pytest.fixture
def use_kb(kb_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point PLAN_KB_DATA at the session's knowledge base for code that reads it from the environment."""
    monkeypatch.setenv("PLAN_KB_DATA", str(kb_data))
    return kb_data
