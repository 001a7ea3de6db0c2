"""Shared test helpers.

Tests that need a real browser, LibreOffice, node tools, php (../shared/moodle-import) or
../shared/schemas skip with a reason where those are missing — except in CI (CI=true), where a missing tool is a failure, not a skip.
"""

from __future__ import annotations


import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SCHEMAS = SHARED / "schemas"
IN_CI = os.environ.get("CI") == "true"


def need(available: bool, reason: str) -> None:
    """Skip (or, in CI, fail) when a real consumer the test needs is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def need_executable(name: str, package: str) -> str:
    path = shutil.which(name)
    need(path is not None, f"{name} not installed (apt-get install {package})")
    return path


def need_schemas(*parts: str) -> Path:
    path = SCHEMAS.joinpath(*parts)
    need(path.exists(), f"{path} missing (../shared/schemas is laid beside the checkout in CI)")
    return path


def need_node_module(name: str) -> Path:
    path = ROOT / "node_modules" / name
    need(path.exists() and shutil.which("node") is not None, f"node module {name} missing (run make node-tools)")
    return path


def run_modgen(*args: str, cwd: Path | None = None, check: bool = False,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess, as an author would (``env``: variables to add)."""
    result = subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd or ROOT,
                            capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(f"modgen {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def course_copy(tmp_path: Path):
    """A writable copy of a fixture course: ``course_copy("minimal")``."""

    def copy(name: str = "minimal") -> Path:
        dest = tmp_path / name
        shutil.copytree(FIXTURES / name, dest)
        return dest

    return copy


@pytest.fixture(scope="session")
def minimal_course():
    from generator.loader.load import load_course

    return load_course(FIXTURES / "minimal").course


def problem_lines(stderr: str) -> list[str]:
    """The lines of a report without the quoted source lines and carets that follow a problem
    (``   12 | text: …`` and ``      |       ^``): the problems, and the closing summary."""
    return [line for line in stderr.splitlines() if not re.match(r"^ +\d* \| ", line)]
