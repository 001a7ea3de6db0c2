"""``modgen changelog``: the release notes a trainer reads, in both languages."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import run_modgen
from tests.governance.conftest import V1, V2, git

DUTCH = """## Versie 0.2 — wijzigingen sinds 0.1

### Nederlands

**Module 1: De voorbereiding**

- Nieuw: onderdeel “Het moment”
- Gewijzigd: aangrijpingspunt — nu “Betere verlichting en meer bewaakte stallingen bij stations.”
- Herzien op 20 november 2026; volgende herziening uiterlijk 20 november 2027.
- Goedgekeurd door Training board.
- Gewijzigd: antwoord — nu “Een boete na afloop” (bij de vraag “Welke maatregelen grijpen in tijdens de voorbereiding?”)
- Nieuw: toetsvraag “Verlichting bij stations is een maatregel van de gemeente.”
- Verwijderd: toetsvraag “Alleen de politie kan ingrijpen in de voorbereiding.”

Bijgewerkte decks: `01-preparation.pptx`, `02-activity.pptx`, `course.pptx`.
"""

ENGLISH = """## Version 0.2 — changes since 0.1

### English

**Module 1: Preparation**

- Changed learning objective: now “Recognise an intervention point during the preparation.”
- New section: “The moment”
- Changed intervention point: now “Better lighting and more guarded parking near stations.”
- Reviewed on 20 November 2026; next review by 20 November 2027.
- Approved by Training board.
- Changed quiz question: now “Where do most bicycle thefts take place?”
- Changed answer: now “A fine after the event” (in the question “Which measures act during the preparation?”)
- New quiz question: “Lighting near stations is a measure of the municipality.”
- Removed quiz question: “Only the police can intervene in the preparation.”

Updated decks: `01-preparation.pptx`, `02-activity.pptx`, `course.pptx`.
"""


def test_the_release_notes_say_what_changed_in_each_language() -> None:
    result = run_modgen("changelog", "--since", V1, "--course", V2)
    assert result.returncode == 0, result.stderr
    assert result.stdout == DUTCH + "\n" + ENGLISH
    # The English-only change to a question is not in the Dutch notes.
    assert "take place" not in DUTCH and "Waar gebeuren" not in result.stdout


def test_the_release_notes_compare_with_the_latest_tag(repository: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    result = run_modgen("changelog", "-o", out, cwd=repository / "course")
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == DUTCH + "\n" + ENGLISH
    git(repository, "tag", "v2.0")
    same = run_modgen("changelog", cwd=repository / "course")
    assert same.stdout.splitlines()[:5] == ["## Wijzigingen sinds v2.0 (versie 0.2)", "", "### Nederlands", "",
                                            "Geen wijzigingen."]


def test_without_a_tag_the_release_must_be_named(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copytree(V1, repo / "course")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    result = run_modgen("changelog", cwd=repo / "course")
    assert result.returncode == 2
    assert "the repository has no tag to compare with: name a revision with --since" in result.stderr
    outside = tmp_path / "loose"
    shutil.copytree(V1, outside)
    result = run_modgen("changelog", "--course", outside)
    assert result.returncode == 2
    assert "is not in a git repository: name the release to compare with (--since)" in result.stderr


def test_the_release_notes_name_new_modules_and_right_answers(tmp_path: Path) -> None:
    from tests.governance.test_diff import with_extra_lesson

    result = run_modgen("changelog", "--since", V1, "--course", with_extra_lesson(tmp_path))
    assert result.returncode == 0, result.stderr
    dutch, english = result.stdout.split("\n## ")
    assert "**Module 3: Het vervolg**\n\n- Nieuwe module." in dutch
    assert ("- Gewijzigd: het juiste antwoord van toetsvraag “Alleen de politie kan ingrijpen in de voorbereiding.”: "
            "onjuist → juist") in dutch
    assert "- Changed the duration (minutes): 30 → 35" in english
    assert "Updated decks: `01-preparation.pptx`, `03-extra.pptx`, `course.pptx`." in english


def test_the_release_notes_speak_every_supported_language() -> None:
    from generator.governance.changelog import text

    assert text.missing() == []
