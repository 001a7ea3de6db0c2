"""`modgen translate import` with files from someone else (issue 33): each hostile or broken file ends
in located messages, exit 1, a bounded number of lines, within 2 s of CPU and 300 MB, and leaves the
course (and its translations.lock) as it was; what a file may legitimately hold (Word's line
separators) is written so that it reads back."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.loader.load import load_course
from tests.conftest import run_modgen
from tests.hostile.bounds import run_bounded
from tests.translate.conftest import bundled, git  # noqa: F401 - the fixture

SUPPORT = "lesson:conclusions/sections/concl-support/body"
WHERE = "lesson:pre-activity/sections/preact-where/body"
EOKM_LINK = ('<pc id="2" dataRefStart="d2" dataRefEnd="d3" type="link" dispStart="[" '
             'dispEnd="](https://www.eokm.nl)">www.eokm.nl</pc>')


@pytest.fixture
def xlf(bundled: Path, tmp_path: Path) -> Path:
    out = tmp_path / "en.xlf"
    run_modgen("translate", "export", bundled, "--to", "en", "-o", out, check=True)
    git(bundled, "add", "-A")
    return out


@pytest.fixture
def po_file(bundled: Path, tmp_path: Path) -> Path:
    out = tmp_path / "en.po"
    run_modgen("translate", "export", bundled, "--to", "en", "--format", "po", "-o", out, check=True)
    git(bundled, "add", "-A")
    return out


def in_unit(path: Path, name: str, old: str, new: str, where: str = "<target>") -> int:
    """Replaces ``old`` by ``new`` after ``where`` inside the unit ``name``; returns the unit's line."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(f'name="{name}"', 1)
    unit, tail = rest.split("</unit>", 1)
    at = unit.index(where)
    assert old in unit[at:], (old, unit[at:])
    unit = unit[:at] + unit[at:].replace(old, new, 1)
    path.write_text(head + f'name="{name}"' + unit + "</unit>" + tail, encoding="utf-8", newline="")
    return head.count("\n") + 1


def refused(course: Path, file: Path, expect: str) -> None:
    """The import fails within bounds with ``expect`` among its lines; the course is untouched."""
    run_bounded("translate", "import", course, file, expect=expect)
    assert git(course, "status", "--porcelain") == ""


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "&#13;"])
def test_line_separators_in_a_block_text_are_written_so_that_they_read_back(separator: str, bundled: Path,
                                                                          xlf: Path) -> None:
    in_unit(xlf, WHERE, "The forum exists and", f"The forum{separator}exists and")
    result = run_bounded("translate", "import", bundled, xlf, code=0)
    assert "Imported 1 changed translation" in result.stdout
    char = "\r" if separator == "&#13;" else separator
    text = next(s for s in load_course(bundled).course.lesson("pre-activity").sections if s.id == "preact-where")
    assert text.body.get("en").startswith(f"The forum{char}exists and")
    assert run_modgen("validate", bundled).returncode == 0


def test_a_dropped_link_is_refused_with_its_place(bundled: Path, xlf: Path) -> None:
    line = in_unit(xlf, SUPPORT, EOKM_LINK, "www.eokm.nl")
    refused(bundled, xlf, f"{xlf}:{line}:5: the translation of '{SUPPORT}' drops the link to https://www.eokm.nl "
                          "of the source (a tag deleted?) — keep the source's tags (bold, links, code) in the "
                          "translation, in their order")


def test_an_extra_tag_is_refused(bundled: Path, xlf: Path) -> None:
    line = in_unit(xlf, SUPPORT, "Has the subject", '<pc id="9" dataRefStart="d1" dataRefEnd="d1" type="fmt">Has</pc>'
                                                   " the subject")
    refused(bundled, xlf, f"{xlf}:{line}:5: the translation of '{SUPPORT}' adds bold text (**) that the source "
                          "does not have — keep the source's tags (bold, links, code) in the translation, in their "
                          "order")


def test_links_in_another_order_are_refused(bundled: Path, xlf: Path) -> None:
    stop = ('<pc id="5" dataRefStart="d2" dataRefEnd="d4" type="link" dispStart="[" '
            'dispEnd="](https://www.stopitnow.nl)">www.stopitnow.nl</pc>')
    line = in_unit(xlf, SUPPORT, EOKM_LINK, "@@EOKM@@")
    in_unit(xlf, SUPPORT, stop, EOKM_LINK)
    in_unit(xlf, SUPPORT, "@@EOKM@@", stop)
    refused(bundled, xlf, f"{xlf}:{line}:5: the translation of '{SUPPORT}' has the source's tags (bold, links, "
                          "code) in another order or nesting — keep the source's tags (bold, links, code) in the "
                          "translation, in their order")


def test_a_unit_left_initial_is_neither_imported_nor_locked(bundled: Path, xlf: Path) -> None:
    in_unit(xlf, WHERE, "The forum exists", "Changed but not finished", where="<target>")
    in_unit(xlf, WHERE, 'state="translated"', 'state="initial"', where="<segment")
    result = run_bounded("translate", "import", bundled, xlf, code=0)
    assert "1 left as needing work" in result.stdout
    assert git(bundled, "diff", "--name-only").split() in ([], ["translations.lock"])
    assert "Changed but not finished" not in (bundled / "modules/02-pre-activity.yaml").read_text(encoding="utf-8")


def load_lock_states(course: Path) -> dict[str, str]:
    """Which units translations.lock records for 'en' (their digests), for comparison."""
    from generator.translate.lock import read_lock

    lock, _ = read_lock(course, "nl")
    return dict(lock.digests.get("en", {})) if lock else {}


def test_po_fuzzy_and_empty_entries_are_not_imported(bundled: Path, po_file: Path) -> None:
    text = po_file.read_text(encoding="utf-8")
    marker = f'msgctxt "{WHERE}"\n'
    head, rest = text.split(marker, 1)
    msgstr_at = rest.index("msgstr ")
    end = rest.index("\n\n", msgstr_at)
    po_file.write_text(head + "#, fuzzy\n" + marker + rest[:msgstr_at] + 'msgstr "Changed but fuzzy"' + rest[end:],
                       encoding="utf-8")
    before = load_lock_states(bundled)
    result = run_bounded("translate", "import", bundled, po_file, code=0)
    assert "1 left as needing work" in result.stdout, result.stdout
    assert "Changed but fuzzy" not in (bundled / "modules/02-pre-activity.yaml").read_text(encoding="utf-8")
    assert load_lock_states(bundled).get(WHERE) == before.get(WHERE)


def test_an_unquoted_msgstr_is_a_syntax_error_as_msgfmt_says(bundled: Path, po_file: Path) -> None:
    text = po_file.read_text(encoding="utf-8")
    marker = 'msgctxt "course:actors/police/name"\n'
    head, rest = text.split(marker, 1)
    msgstr_at = rest.index("msgstr ")
    end = rest.index("\n", msgstr_at)
    po_file.write_text(head + marker + rest[:msgstr_at] + "msgstr Enforcement" + rest[end:], encoding="utf-8")
    line = (head + marker + rest[:msgstr_at]).count("\n") + 1
    refused(bundled, po_file, f"{po_file}:{line}:8: PO syntax error: 'msgstr' must be followed by a quoted string "
                              "— is this the PO file modgen exported?")


def test_a_reversed_file_is_refused(bundled: Path, xlf: Path) -> None:
    text = xlf.read_text(encoding="utf-8")
    xlf.write_text(text.replace('srcLang="nl" trgLang="en"', 'srcLang="en" trgLang="nl"', 1), encoding="utf-8")
    refused(bundled, xlf, f"{xlf}:1:1: the file's target language 'nl' is the course's source language; importing "
                          "it would overwrite the nl texts every translation is made from — are source and target "
                          "swapped? export with 'modgen translate export --to en'")


def test_a_reversed_po_file_is_refused(bundled: Path, po_file: Path) -> None:
    text = po_file.read_text(encoding="utf-8")
    po_file.write_text(text.replace('"Language: en\\n"', '"Language: nl\\n"').replace(
        '"X-Source-Language: nl\\n"', '"X-Source-Language: en\\n"'), encoding="utf-8")
    refused(bundled, po_file, f"{po_file}:1:1: the file's target language 'nl' is the course's source language; "
                              "importing it would overwrite the nl texts every translation is made from — are source "
                              "and target swapped? export with 'modgen translate export --to en'")


def test_457000_unknown_units_are_summarised_and_bounded(bundled: Path, tmp_path: Path) -> None:
    bad = tmp_path / "other.xlf"
    with bad.open("w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
                'version="2.1" srcLang="nl" trgLang="en">\n<file id="f1">\n')
        for i in range(457_000):
            f.write(f'<unit id="lesson:other:u{i}"><segment state="final"><source>a</source><target>b</target>'
                    f'</segment></unit>\n')
        f.write("</file>\n</xliff>\n")
    result = run_bounded("translate", "import", bundled, bad, max_lines=25)
    lines = result.stderr.splitlines()
    assert lines[0] == (f"{bad}:4:1: unit 'lesson:other/u0' is not in the course (removed or renamed since the "
                        "export?); not imported")
    assert lines[20] == f"{bad}:23:1: … and 9,981 more units not in the course; not imported"
    assert lines[21] == (f"{bad}:10004:1: more than 10,000 units of the file are not in the course; reading "
                         "stopped and nothing was imported — is this the export of another course? export this "
                         "course again")
    assert git(bundled, "status", "--porcelain") == ""


def test_a_few_unknown_units_are_warnings_and_the_rest_imported(bundled: Path, xlf: Path) -> None:
    text = xlf.read_text(encoding="utf-8")
    extra = "".join(f'<unit id="lesson:gone:u{i}"><segment state="final"><source>a</source><target>b</target>'
                    f'</segment></unit>\n' for i in range(25))
    xlf.write_text(text.replace("</file>", extra + "</file>", 1), encoding="utf-8")
    in_unit(xlf, WHERE, "The forum exists", "The forum is there")
    result = run_bounded("translate", "import", bundled, xlf, code=0)
    warnings = [l for l in result.stderr.splitlines() if "not in the course" in l]
    assert len(warnings) == 21 and warnings[-1].endswith("warning: … and 5 more units not in the course; not imported")
    assert "Imported 1 changed translation" in result.stdout and "25 refused" in result.stdout


def test_an_empty_xlf_is_named_as_empty(bundled: Path, tmp_path: Path) -> None:
    empty = tmp_path / "en.xlf"
    empty.write_bytes(b"")
    refused(bundled, empty, f"{empty}:1:1: the file is empty — this should be an XLIFF file from 'modgen translate "
                            "export'")


def test_a_utf16_xlf_is_read_as_xliff(bundled: Path, xlf: Path) -> None:
    in_unit(xlf, WHERE, "The forum exists", "The forum is there")
    text = xlf.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    xlf.write_bytes(text.encode("utf-16"))
    result = run_bounded("translate", "import", bundled, xlf, code=0)
    assert "Imported 1 changed translation" in result.stdout


def test_a_utf16_po_is_named(bundled: Path, po_file: Path) -> None:
    po_file.write_bytes(po_file.read_text(encoding="utf-8").encode("utf-16"))
    refused(bundled, po_file, f"{po_file}:1:1: file is UTF-16, not UTF-8 — save the PO file as UTF-8")
