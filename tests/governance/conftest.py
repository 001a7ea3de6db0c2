"""A git repository holding the governance fixture in two versions, for revision diffs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need_executable

FIXTURES = Path(__file__).resolve().parent / "fixtures"
V1, V2 = FIXTURES / "v1", FIXTURES / "v2"


def git(cwd: Path, *args: str) -> str:
    need_executable("git", "git")
    result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True,
                            env={"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
                                 "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
                                 "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd), "PATH": "/usr/bin:/bin"})
    return result.stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose subfolder ``course`` was v1 (tagged v1.0), then v2 (HEAD)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("Not part of the course.\n", encoding="utf-8")
    shutil.copytree(V1, repo / "course")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1.0")
    shutil.rmtree(repo / "course")
    shutil.copytree(V2, repo / "course")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v2")
    return repo
