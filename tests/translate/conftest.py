"""Helpers for the translation tests: a writable copy of the bundled course, in a git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

BUNDLED_FILES = ("course.yaml", "modules", "quizzes", "translations.lock", "glossary.yaml")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """The bundled course copied to a fresh git repository, committed, so that ``git diff`` shows
    exactly what a command changed."""
    dest = tmp_path / "course"
    dest.mkdir()
    for name in BUNDLED_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        elif source.exists():
            shutil.copy2(source, dest / name)
    git(dest, "init", "-q")
    git(dest, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(dest, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "course")
    return dest
