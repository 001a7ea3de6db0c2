"""Stale translations: ``translations.lock`` notices a source edited after its translation."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from translate.storage import xliff2 as tt_xliff2

from tests.conftest import ROOT, run_modgen

LESSON = "modules/02-pre-activity.yaml"
UNIT = "lesson:pre-activity/sections/preact-where/body"
DUTCH = "Het forum bestaat en het lid kent de weg."
EDITED = "Het forum bestaat al en het lid kent de weg."


def english_body_position(course: Path) -> tuple[int, int]:
    """Line and column of the ``en:`` of the section's body, read off the file itself."""
    lines = (course / LESSON).read_text(encoding="utf-8").splitlines()
    dutch = next(i for i, l in enumerate(lines) if DUTCH in l or EDITED in l)
    line = next(i for i in range(dutch, len(lines)) if lines[i].strip().startswith("en:"))
    return line + 1, lines[line].index("en:") + 1


def edit_dutch(course: Path) -> None:
    path = course / LESSON
    text = path.read_text(encoding="utf-8")
    assert text.count(DUTCH) == 1
    path.write_text(text.replace(DUTCH, EDITED), encoding="utf-8")


def test_the_bundled_course_ships_a_lock_and_passes_strict_validation() -> None:
    assert (ROOT / "translations.lock").is_file()
    result = run_modgen("validate", "--strict", ROOT)
    assert result.returncode == 0, result.stderr
    status = run_modgen("translate", "status", ROOT, check=True).stdout
    assert re.fullmatch(r"en \(from nl\): (\d+) texts — \1 translated, 0 stale, 0 missing, 0 untracked\n", status)


def test_an_edited_dutch_source_makes_the_english_stale_and_confirm_clears_it(bundled: Path) -> None:
    assert run_modgen("validate", "--strict", bundled).returncode == 0
    edit_dutch(bundled)
    line, column = english_body_position(bundled)
    expected = (f"{LESSON}:{line}:{column}: warning: stale translation: the nl text changed since this en text "
                f"was translated — update it, then 'modgen translate confirm --lang en {UNIT}'")

    lenient = run_modgen("validate", bundled)
    assert lenient.returncode == 0
    assert expected in lenient.stderr
    strict = run_modgen("validate", "--strict", bundled)
    assert strict.returncode == 1
    assert expected.replace("warning: ", "") in strict.stderr
    assert len([l for l in strict.stderr.splitlines() if "stale translation" in l]) == 1

    status = run_modgen("translate", "status", bundled, "--list", check=True).stdout
    assert ", 1 stale, 0 missing" in status
    assert f"  {LESSON}:{line}:{column}: stale: {UNIT}" in status

    # The English still says what the new Dutch says: the translator confirms it.
    run_modgen("translate", "confirm", bundled, "--lang", "en", "--unit", UNIT, check=True)
    assert run_modgen("validate", "--strict", bundled).returncode == 0


def test_retranslating_through_import_clears_it(bundled: Path, tmp_path: Path) -> None:
    edit_dutch(bundled)
    out = tmp_path / "en.xlf"
    run_modgen("translate", "export", bundled, "--to", "en", "-o", out, check=True)
    store = tt_xliff2.Xliff2File.parsefile(str(out))
    unit = next(u for u in store.units if u.getid() == UNIT.replace("/", ":"))
    assert unit.isfuzzy()  # exported as needing review, with the old translation
    assert "source text changed" in " ".join(unit.getunitelement().itertext())
    others = [u for u in store.units if u is not unit]
    assert not any(u.isfuzzy() for u in others)
    unit.target = unit.target.replace("The forum exists", "The forum already exists")
    unit.marktranslated()
    out.write_bytes(bytes(store))
    result = run_modgen("translate", "import", bundled, out)
    assert result.returncode == 0, result.stderr
    assert "Imported 1 changed translation into modules/02-pre-activity.yaml" in result.stdout
    assert "The forum already exists" in (bundled / LESSON).read_text(encoding="utf-8")
    assert run_modgen("validate", "--strict", bundled).returncode == 0


def test_a_stale_translation_left_fuzzy_in_po_stays_stale(bundled: Path, tmp_path: Path) -> None:
    edit_dutch(bundled)
    out = tmp_path / "en.po"
    run_modgen("translate", "export", bundled, "--to", "en", "--format", "po", "-o", out, check=True)
    po = polib.pofile(str(out))
    entry = po.find(UNIT, by="msgctxt")
    assert "fuzzy" in entry.flags and [e for e in po if "fuzzy" in e.flags] == [entry]
    result = run_modgen("translate", "import", bundled, out, check=True)
    assert "1 left as needing work" in result.stdout
    assert run_modgen("validate", "--strict", bundled).returncode == 1
    entry.flags.remove("fuzzy")  # the translator reviewed it: still right
    po.save(str(out))
    run_modgen("translate", "import", bundled, out, check=True)
    assert run_modgen("validate", "--strict", bundled).returncode == 0


def test_a_damaged_lock_is_located(bundled: Path) -> None:
    lock = bundled / "translations.lock"
    lines = lock.read_text(encoding="utf-8").splitlines()
    n = next(i for i, l in enumerate(lines) if l.startswith("  course:title:"))
    lines[n] = "  course:title: nonsense"
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_modgen("validate", bundled)
    assert result.returncode == 1
    assert (f"translations.lock:{n + 1}:17: 'course:title': the digest must be 16 hexadecimal digits — "
            "run 'modgen translate confirm' to write the lock again") in result.stderr


def test_a_hand_edited_lock_is_read_as_yaml(bundled: Path) -> None:
    """modgen reads its own lock line by line; any other valid YAML of the same content works too."""
    lock = bundled / "translations.lock"
    text = lock.read_text(encoding="utf-8").replace('"', "'").replace("source: nl\n", "source: nl  # by hand\n")
    lock.write_text(text, encoding="utf-8")
    assert run_modgen("validate", "--strict", bundled).returncode == 0
    edit_dutch(bundled)
    result = run_modgen("validate", "--strict", bundled)
    assert result.returncode == 1 and "stale translation" in result.stderr
