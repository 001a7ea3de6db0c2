"""The ``modgen translate`` commands: help, usage errors, and status/confirm on a course."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_modgen


@pytest.mark.parametrize("command", [None, "export", "import", "status", "confirm", "glossary"])
def test_help(command: str | None) -> None:
    result = run_modgen("translate", *([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: modgen translate" in result.stdout


def test_import_takes_a_course_and_a_file(tmp_path: Path) -> None:
    result = run_modgen("translate", "import", "a", "b", "c")
    assert result.returncode == 2
    assert "expected [COURSE_DIR] FILE" in result.stderr


def test_confirm_refuses_the_source_language_and_unknown_texts(bundled: Path) -> None:
    result = run_modgen("translate", "confirm", bundled, "--lang", "nl")
    assert result.returncode == 2 and "'nl' is not a language the course is translated into (en)" in result.stderr
    result = run_modgen("translate", "confirm", bundled, "--lang", "en", "--unit", "lesson:nothing/title")
    assert result.returncode == 2 and "no text 'lesson:nothing/title' in the course" in result.stderr


def test_status_counts_missing_translations_and_a_lock_is_started_by_confirm(course_copy) -> None:
    course = course_copy("minimal")
    path = course / "modules" / "01-preparation.yaml"
    text = path.read_text(encoding="utf-8")
    english = "  en: How a thief prepares, and where one can intervene.\n"
    assert text.count(english) == 1
    path.write_text(text.replace(english, ""), encoding="utf-8")
    assert run_modgen("validate", course).returncode == 1  # a missing translation stays an error for builds

    status = run_modgen("translate", "status", course, "--list", check=True).stdout.splitlines()
    assert status[0] == "en (from nl): 80 texts — 0 translated, 0 stale, 1 missing, 79 untracked"
    assert status[1].startswith("  modules/01-preparation.yaml:") and status[1].endswith(": missing: lesson:preparation/summary")
    assert not (course / "translations.lock").exists()
    run_modgen("translate", "confirm", course, "--lang", "en", check=True)
    status = run_modgen("translate", "status", course, check=True).stdout
    assert status == "en (from nl): 80 texts — 79 translated, 0 stale, 1 missing, 0 untracked\n"
