"""``modgen translate import``: translations come back into the YAML, nothing else changes."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from translate.storage import po as tt_po
from translate.storage import xliff2 as tt_xliff2

from generator.loader.load import load_course
from generator.translate.units import course_units
from generator.translate.xliff import unit_id as id_from_xliff
from tests.conftest import run_modgen
from tests.translate.conftest import git

THREE = {
    "lesson:pre-activity/sections/preact-where/title": "Where in the script are we now?",
    "course:phases/activity/name": "Activity: the core",
    "quiz:activity/questions/act-q1/stem": "Which of these is what members mainly do in the activity phase?",
}


def changed_lines(repo: Path) -> tuple[list[str], list[str]]:
    """The lines ``git diff`` shows removed and added in the course."""
    diff = git(repo, "diff", "-U0", "--no-color")
    removed = [l[1:] for l in diff.splitlines() if l.startswith("-") and not l.startswith("---")]
    added = [l[1:] for l in diff.splitlines() if l.startswith("+") and not l.startswith("+++")]
    return removed, added


def export(repo: Path, out: Path, *extra: str) -> None:
    result = run_modgen("translate", "export", repo, "--to", "en", *extra, "-o", out)
    assert result.returncode == 0, result.stderr


def test_xliff_round_trip_changes_exactly_three_values_and_the_site_shows_them(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.xlf"
    export(bundled, out)
    git(bundled, "add", "-A")  # a lock, if the course has none yet, is not the import's doing
    store = tt_xliff2.Xliff2File.parsefile(str(out))
    units = {id_from_xliff(u.getid()): u for u in store.units}
    assert len(units) == len(course_units(load_course(bundled).course, "nl", "en")) > 900
    old = {}
    for unit_id, text in THREE.items():
        old[unit_id] = units[unit_id].target
        units[unit_id].target = text  # as a translator's tool saves it
    out.write_bytes(bytes(store))

    result = run_modgen("translate", "import", bundled, out)
    assert result.returncode == 0, result.stderr
    assert "Imported 3 changed translations" in result.stdout

    removed, added = changed_lines(bundled)
    assert len(removed) == len(added) == 3
    for text in THREE.values():
        assert sum(text in line for line in added) == 1, (text, added)
    for text in old.values():
        assert sum(text in line for line in removed) == 1, (text, removed)
    assert git(bundled, "diff", "--name-only").split() == [
        "course.yaml", "modules/02-pre-activity.yaml", "quizzes/03-activity.yaml"]
    assert "    name: {nl: Activiteit, en: 'Activity: the core'}" in added  # quoted: it holds ': '

    site = tmp_path / "site"
    run_modgen("build", bundled, "-o", site, "--format", "site", "--lang", "en", "--audience", "prevention",
               check=True)
    pages = site / "site" / "en-prevention"
    assert "Where in the script are we now?" in (pages / "lesson-pre-activity.html").read_text(encoding="utf-8")
    assert "Activity: the core" in (pages / "index.html").read_text(encoding="utf-8")
    assert THREE["quiz:activity/questions/act-q1/stem"] in (pages / "quiz-activity.html").read_text(encoding="utf-8")


def test_po_round_trip_changes_exactly_three_values(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.po"
    export(bundled, out, "--format", "po")
    git(bundled, "add", "-A")
    store = tt_po.pofile.parsefile(str(out))
    units = {u.getcontext(): u for u in store.units if not u.isheader()}
    for unit_id, text in THREE.items():
        units[unit_id].target = text
    out.write_bytes(bytes(store))
    result = run_modgen("translate", "import", bundled, out)
    assert result.returncode == 0, result.stderr
    removed, added = changed_lines(bundled)
    assert len(removed) == len(added) == 3
    assert all(any(text in line for line in added) for text in THREE.values())


def test_block_texts_keep_their_style_and_width(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.po"
    export(bundled, out, "--format", "po")
    git(bundled, "add", "-A")
    po = polib.pofile(str(out))
    body = po.find("lesson:pre-activity/sections/preact-where/body", by="msgctxt")
    notes = po.find("lesson:pre-activity/sections/preact-where/notes", by="msgctxt")
    body.msgstr = "Next comes **pre-activity**.\n\n- **Member:** signing up.\n- **Forum:** passing on rules."
    notes.msgstr = ("Repeat that participants may step out. " * 6).strip()
    po.save(str(out))
    assert run_modgen("translate", "import", bundled, out).returncode == 0
    text = (bundled / "modules/02-pre-activity.yaml").read_text(encoding="utf-8")
    assert "      en: |\n        Next comes **pre-activity**.\n\n        - **Member:** signing up.\n" in text
    folded = text.split("Repeat that participants", 1)[0].rsplit("\n", 2)[-2]
    assert folded == "      en: >-"  # still folded, and wrapped like the Dutch above it
    notes_lines = [l for l in text.splitlines() if "Repeat that participants" in l or l.strip().startswith("step out")]
    assert len(notes_lines) > 1 and all(len(l) <= 110 for l in notes_lines)
    course = load_course(bundled).course
    section = course.lesson("pre-activity").sections[0]
    assert section.body.get("en") == body.msgstr + "\n"  # a | block keeps its final line break
    assert section.notes.get("en") == notes.msgstr
    removed, added = changed_lines(bundled)
    assert not any("nl:" in line for line in removed + added)


def test_a_missing_translation_is_added_in_the_authors_indentation(bundled: Path, tmp_path: Path) -> None:
    path = bundled / "modules/02-pre-activity.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      en: Where are we in the script?\n", ""), encoding="utf-8")
    git(bundled, "commit", "-qam", "English title dropped")
    out = tmp_path / "en.xlf"
    export(bundled, out)
    raw = out.read_text(encoding="utf-8")
    unit = raw.split('name="lesson:pre-activity/sections/preact-where/title"', 1)[1].split("</unit>", 1)[0]
    assert 'state="initial"' in unit and "<target" not in unit
    git(bundled, "add", "-A")
    store = tt_xliff2.Xliff2File.parsefile(str(out))
    u = next(u for u in store.units if u.getid() == "lesson:pre-activity:sections:preact-where:title")
    u.target = "Where are we in the script?"
    u.marktranslated()
    out.write_bytes(bytes(store))
    assert run_modgen("translate", "import", bundled, out).returncode == 0
    assert path.read_text(encoding="utf-8") == text


def test_units_whose_source_changed_since_the_export_are_refused_and_the_rest_imported(
        bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.po"
    export(bundled, out, "--format", "po")
    po = polib.pofile(str(out))
    for unit_id, text in THREE.items():
        po.find(unit_id, by="msgctxt").msgstr = text
    po.save(str(out))
    path = bundled / "modules/02-pre-activity.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "nl: Waar staan we in het script?", "nl: Waar in het script staan we?"), encoding="utf-8")
    git(bundled, "commit", "-qam", "Dutch title edited after the export")
    result = run_modgen("translate", "import", bundled, out)
    assert result.returncode == 0, result.stderr
    line = next(i for i, l in enumerate(out.read_text(encoding="utf-8").splitlines(), 1)
                if l == 'msgctxt "lesson:pre-activity/sections/preact-where/title"')
    assert re.search(rf"en\.po:{line}:1: warning: the nl text of 'lesson:pre-activity/sections/preact-where/title' "
                     r"changed since the export \(modules/02-pre-activity\.yaml:\d+\); not imported", result.stderr)
    assert "Imported 2 changed translations" in result.stdout and "1 refused" in result.stdout
    assert "Where are we in the script?" in path.read_text(encoding="utf-8")
    git(bundled, "add", "translations.lock")
    removed, added = changed_lines(bundled)
    assert len(added) == 2


def test_a_tool_that_saves_decomposed_characters_and_windows_line_ends(bundled: Path, tmp_path: Path) -> None:
    """A tool may write NFD (macOS) or CRLF: the text is compared and written as the loader stores it."""
    import unicodedata

    out = tmp_path / "en.po"
    export(bundled, out, "--format", "po")
    git(bundled, "add", "-A")
    po = polib.pofile(str(out), wrapwidth=0)
    for entry in po:
        entry.msgid = unicodedata.normalize("NFD", entry.msgid).replace("\n", "\r\n")
    entry = po.find("course:actors/child-protection/name", by="msgctxt")
    entry.msgstr = unicodedata.normalize("NFD", "Child protection (jeugdbescherming, “Café” test)")
    po.save(str(out))
    result = run_modgen("translate", "import", bundled, out)
    assert result.returncode == 0, result.stderr
    assert "refused" not in result.stdout and "Imported 1 changed translation" in result.stdout
    removed, added = changed_lines(bundled)
    assert added == ["    name: {nl: Jeugdbescherming, en: 'Child protection (jeugdbescherming, “Café” test)'}"]
    assert unicodedata.is_normalized("NFC", added[0])


def test_a_module_written_only_in_dutch_gets_its_english_by_additions_alone(bundled: Path, tmp_path: Path) -> None:
    """A new module arrives in Dutch only; its translation comes back: every English text is added
    beside its Dutch, in its style, and the lesson says what the original English said."""
    from ruamel.yaml import YAML

    lesson_file = bundled / "modules/02-pre-activity.yaml"
    before = load_course(bundled).course
    original = before.lesson("pre-activity")
    english = {u.id: u.target for u in course_units(before, "nl", "en")}
    yaml = YAML()
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    tree = yaml.load(lesson_file.read_text(encoding="utf-8"))

    def drop_english(node) -> None:
        if isinstance(node, dict):
            if "nl" in node and "en" in node:
                del node["en"]
            for value in node.values():
                drop_english(value)
        elif isinstance(node, list):
            for value in node:
                drop_english(value)

    drop_english(tree)
    with lesson_file.open("w", encoding="utf-8") as f:
        yaml.dump(tree, f)
    git(bundled, "commit", "-qam", "the module in Dutch only")

    out = tmp_path / "en.po"
    export(bundled, out, "--format", "po")
    po = polib.pofile(str(out), wrapwidth=0)
    filled = 0
    for entry in po:
        if entry.msgctxt and entry.msgctxt.startswith("lesson:pre-activity/") and not entry.msgstr:
            entry.msgstr = english[entry.msgctxt]
            filled += 1
    assert filled > 50
    po.save(str(out))
    git(bundled, "add", "-A")
    result = run_modgen("translate", "import", bundled, out)
    assert result.returncode == 0, result.stderr
    assert f"Imported {filled} changed translations" in result.stdout

    removed, added = changed_lines(bundled)
    assert removed == [] and len(added) >= filled
    assert load_course(bundled).course.lesson("pre-activity") == original
    assert run_modgen("validate", "--strict", bundled).returncode == 0
