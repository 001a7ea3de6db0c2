"""`modgen diff` against revisions of a repository received from someone else (issue 33): old
revisions are read as data through the loader and its limits — no filter command runs, no link is
followed, and deep nesting, invalid UTF-8 and huge blobs end in located messages within bounds."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, need_executable
from tests.hostile.bounds import run_bounded, snapshot


def git(repo: Path, *args: str) -> str:
    need_executable("git", "git")
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                               "GIT_CONFIG_NOSYSTEM": "1"}).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose folder ``course`` holds the minimal course, committed once (HEAD)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(FIXTURES / "minimal", repo / "course")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "good")
    return repo


def commit_then_restore(repo: Path, edit) -> None:
    """Commits ``edit`` of the course as HEAD~1's successor, then restores the good course as HEAD:
    the hostile content lives only in history (HEAD~1)."""
    good = repo.parent / "good"
    shutil.copytree(repo / "course", good)
    edit(repo / "course")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hostile")
    shutil.rmtree(repo / "course")
    shutil.copytree(good, repo / "course")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "good again")


def diff_fails(repo: Path, expect: str) -> None:
    before = snapshot(repo)
    run_bounded("diff", "HEAD~1", "--course", repo / "course", expect=expect)
    assert snapshot(repo) == before


def test_a_configured_filter_command_never_runs(repo: Path, tmp_path: Path) -> None:
    ran = tmp_path / "filter-ran"
    (repo / ".gitattributes").write_text("*.yaml filter=evil\n", encoding="utf-8")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "attributes")
    git(repo, "config", "filter.evil.smudge", f"touch {ran}; cat")
    git(repo, "config", "filter.evil.clean", "cat")
    text = (repo / "course/course.yaml").read_text(encoding="utf-8")
    (repo / "course/course.yaml").write_text(text.replace("pass_mark: 60", "pass_mark: 70"), encoding="utf-8")
    result = run_bounded("diff", "HEAD", "--course", repo / "course", "--exit-code", code=1, max_lines=200)
    assert "pass_mark" in result.stdout or "pass mark" in result.stdout.lower(), result.stdout
    assert not ran.exists(), "the repository's filter command ran"


def test_deep_nesting_in_an_old_course_yaml_is_located(repo: Path) -> None:
    def edit(course: Path) -> None:
        text = (course / "course.yaml").read_text(encoding="utf-8")
        (course / "course.yaml").write_text(text.replace("pass_mark: 60\n", "pass_mark: 60\nbranding: "
                                                         + "[" * 100_000 + "]" * 100_000 + "\n"), encoding="utf-8")

    commit_then_restore(repo, edit)
    diff_fails(repo, "HEAD~1:course.yaml:48:50: values are nested more than 40 levels deep")


def test_invalid_utf8_in_an_old_revision_is_located(repo: Path) -> None:
    def edit(course: Path) -> None:
        path = course / "course.yaml"
        path.write_bytes(path.read_bytes().replace(b"pass_mark: 60", b"pass_mark: 60\ntitle2: caf\xe9"))

    commit_then_restore(repo, edit)
    diff_fails(repo, "HEAD~1:course.yaml:48:12: file is not UTF-8 (byte 0xe9 cannot be decoded) — save the file "
                     "as UTF-8; it looks like Latin-1 or Windows-1252")


def test_a_link_in_an_old_revision_is_never_followed(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\n", encoding="utf-8")

    def edit(course: Path) -> None:
        os.symlink(secret, course / "modules" / "03-evil.yaml")
        os.symlink("/etc/passwd", course / "modules" / "04-evil.yaml")

    commit_then_restore(repo, edit)
    diff_fails(repo, "HEAD~1:modules/03-evil.yaml:1:1: course file is a symbolic link in this revision; links in "
                     "a revision are not followed")


def test_a_huge_blob_is_refused_by_its_size_before_it_is_read(repo: Path) -> None:
    def edit(course: Path) -> None:
        with (course / "modules" / "01-preparation.yaml").open("ab") as f:
            f.write(b"# padding\n" * 10_000_000)  # 100 MB

    commit_then_restore(repo, edit)
    diff_fails(repo, "HEAD~1:modules/01-preparation.yaml:1:1: file is 100,003,176 bytes, more than the limit of "
                     "2,097,152 — split it into smaller files")


def test_a_huge_logo_in_an_old_revision_is_refused_unread(repo: Path) -> None:
    def edit(course: Path) -> None:
        text = (course / "course.yaml").read_text(encoding="utf-8")
        (course / "course.yaml").write_text(text.replace("pass_mark: 60\n", "pass_mark: 60\nbranding:\n"
                                                         "  logo: logo.png\n"), encoding="utf-8")
        with (course / "logo.png").open("wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + bytes(30 * 1024 * 1024))

    commit_then_restore(repo, edit)
    diff_fails(repo, "HEAD~1:course.yaml:49:3: 'logo.png' is 31,457,288 bytes, more than the limit of 20,971,520")
