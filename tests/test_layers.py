"""The package's folders are the pipeline's stages, and imports run down it only: the contracts of
``[tool.importlinter]`` in pyproject.toml, checked by import-linter on the installed package. A second check proves
the contract can fail: a throwaway copy of the package with one upward import must break it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plan_kb.base.resources import ROOT

LINT = Path(sys.executable).with_name("lint-imports")
SRC = ROOT / "src" / "plan_kb"
pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed (pip install -e '.[dev]')")


def _lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(src), "PATH": ""})


def test_imports_run_down_the_pipeline() -> None:
    out = _lint(ROOT, SRC.parent)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    copy = tmp_path / "src" / "plan_kb"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    reader = copy / "reading" / "roles.py"
    reader.write_text(reader.read_text(encoding="utf-8") + "\nfrom plan_kb.service import app  # noqa\n",
                      encoding="utf-8")
    out = _lint(tmp_path, copy.parent)
    assert out.returncode != 0
    assert "plan_kb.reading.roles -> plan_kb.service.app" in out.stdout
    assert (ROOT / "src" / "plan_kb" / "reading" / "roles.py").read_text(encoding="utf-8").count("plan_kb.service") == 0


def test_no_loose_modules_and_none_too_long() -> None:
    loose = sorted(p.name for p in SRC.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "build.py", "errors.py"]
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py")
            if (n := p.read_text(encoding="utf-8").count("\n")) > 500}
    assert not long, long
    for stage in sorted(p for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        doc = (stage / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""'), f"{stage.name}/__init__.py says what the stage takes and gives"
