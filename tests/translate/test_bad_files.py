"""A bad exchange file ends in ``path:line:column: message``, exit 1, and leaves the course as it was."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from tests.conftest import run_modgen
from tests.translate.conftest import git


def import_fails(course: Path, file: Path) -> list[str]:
    """Import ``file``; assert the command failed cleanly and changed nothing; return the messages."""
    result = run_modgen("translate", "import", course, file)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert git(course, "status", "--porcelain") == ""  # no partial writes, no lock
    # The messages, located in the file; not the source excerpts under them or the closing summary.
    return [line for line in result.stderr.splitlines() if line.startswith(f"{file}:")]


def edit_unit(text: str, name: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new`` inside the XLIFF unit named ``name`` only."""
    head, rest = text.split(f'name="{name}"', 1)
    unit, tail = rest.split("</unit>", 1)
    assert old in unit
    return head + f'name="{name}"' + unit.replace(old, new, 1) + "</unit>" + tail


@pytest.fixture
def exported(bundled: Path, tmp_path: Path):
    def export(fmt: str) -> Path:
        out = tmp_path / ("en.xlf" if fmt == "xliff" else "en.po")
        run_modgen("translate", "export", bundled, "--to", "en", "--format", fmt, "-o", out, check=True)
        return out

    return export


def test_xml_that_is_not_well_formed(bundled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlf"
    bad.write_text('<?xml version="1.0"?>\n<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0" '
                   'srcLang="nl" trgLang="en">\n  <file id="f1">\n    <unit id="course:title">\n  </file>\n')
    assert import_fails(bundled, bad) == [
        f"{bad}:5:10: XML error: Opening and ending tag mismatch: unit line 4 and file — "
        "is this the XLIFF file modgen exported?"]


def test_xliff_1_2_without_languages_is_named(bundled: Path, tmp_path: Path) -> None:
    """XLIFF 1.2 is read (--format xliff12, tests/translate/test_omegat.py); one without its
    languages is refused, saying what it lacks."""
    bad = tmp_path / "old.xlf"
    bad.write_text('<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                   '<file/></xliff>\n')
    [message] = import_fails(bundled, bad)
    assert message.startswith(f"{bad}:1:1: the <file> element needs source-language and target-language")


def test_unknown_inline_code_is_located_and_nothing_is_written(bundled: Path, exported) -> None:
    out = exported("xliff")
    text = out.read_text(encoding="utf-8")
    # One good change that must not be written either, and one target with a tag the source lacks.
    text = edit_unit(text, "lesson:pre-activity/sections/preact-where/title", "<target>Where are we in the script?",
                     "<target>Where now?")
    text = edit_unit(text, "lesson:pre-activity/sections/preact-where/body", "<target>The forum exists",
                     '<target><ph id="9" dataRef="d99"/>The forum exists')
    out.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if 'dataRef="d99"' in l)
    column = text.splitlines()[line - 1].index("<ph") + 1
    assert import_fails(bundled, out) == [
        f"{out}:{line}:{column}: unit 'lesson:pre-activity/sections/preact-where/body': <ph> refers to unknown "
        "original data 'd99' — keep the tags as the source has them"]


def test_invisible_control_character_in_a_translation(bundled: Path, exported) -> None:
    out = exported("xliff")
    text = out.read_text(encoding="utf-8")
    text = edit_unit(text, "lesson:pre-activity/sections/preact-where/title", "<target>Where are",
                     "<target>Where\u202e are")
    out.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1)
                if 'name="lesson:pre-activity/sections/preact-where/title"' in l)
    assert import_fails(bundled, out) == [
        f"{out}:{line}:5: the translation of 'lesson:pre-activity/sections/preact-where/title' contains the "
        "invisible character U+202E — remove it"]


def test_po_syntax_error(bundled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Source-Language: nl\\n"\n\n'
                   'msgctxt "course:title"\nmsgid "x"\nthis is not PO\n', encoding="utf-8")
    assert import_fails(bundled, bad) == [f"{bad}:8:1: PO syntax error: 'this is not PO' is not a comment, a keyword or "
                                          "a quoted string — is this the PO file modgen exported?"]


def test_po_entry_without_unit_id(bundled: Path, exported) -> None:
    out = exported("po")
    po = polib.pofile(str(out), wrapwidth=0)
    entry = po.find("course:title", by="msgctxt")
    entry.msgctxt = None
    entry.msgstr = "A new title"
    po.save(str(out))
    line = next(i for i, l in enumerate(out.read_text(encoding="utf-8").splitlines(), 1)
                if l == 'msgid "Fora voor materiaal van seksueel kindermisbruik op het Darkweb"')
    assert import_fails(bundled, out) == [
        f"{out}:{line}:1: entry 'Fora voor materiaal van seksueel kinderm' has no msgctxt (the unit id) — "
        "keep msgctxt as exported"]


def test_po_for_a_language_the_course_does_not_have(bundled: Path, exported) -> None:
    out = exported("po")
    po = polib.pofile(str(out), wrapwidth=0)
    po.metadata["Language"] = "de"
    po.save(str(out))
    assert import_fails(bundled, out) == [
        f"{out}:1:1: the file's target language 'de' is not one of the course's (nl, en)"]


def test_po_that_is_not_utf8(bundled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.po"
    bad.write_bytes(b'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgctxt "course:title"\nmsgid "caf\xe9"\nmsgstr ""\n')
    assert import_fails(bundled, bad) == [f"{bad}:6:11: file is not UTF-8 — save the PO file as UTF-8"]


def test_a_file_that_does_not_exist(bundled: Path, tmp_path: Path) -> None:
    missing = tmp_path / "none.po"
    assert import_fails(bundled, missing) == [f"{missing}:1:1: cannot read file: No such file or directory"]


def test_entities_are_refused_before_they_expand(bundled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "laughs.xlf"
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
                   '<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="nl" trgLang="en">'
                   '<file id="f1"><unit id="course:title"><segment state="translated"><source>x</source>'
                   '<target>&b;</target></segment></unit></file></xliff>\n')
    assert import_fails(bundled, bad) == [
        f"{bad}:2:1: the file declares a DOCTYPE; XLIFF files have none — is this the XLIFF file modgen exported?"]
