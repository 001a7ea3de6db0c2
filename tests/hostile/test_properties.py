"""Properties of the bounds of issue 33, tried on generated input (hypothesis):

- the PO reader refuses every file GNU msgfmt refuses, and reads every file msgfmt accepts that
  has nothing a course's exchange file cannot have (plural forms, entries without msgctxt);
- no CSV cell modgen writes can start a formula, and the cell reads back as its text;
- a markdown translation with the source's markup passes, and one that loses or adds a piece of
  it is refused;
- aliases never expand a file beyond its budget of characters: it loads within it, or is refused;
- a zip's directory is bounded before anything is inflated, whatever it declares.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import limits
from generator.spreadsheet import FORMULA_START, cell
from generator.translate import po
from generator.translate.exchange import ExchangeError
from generator.translate.xliff import markup_mismatch
from tests.conftest import IN_CI, need_executable

EXAMPLES = 300 if IN_CI else 60

HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Source-Language: nl\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
# Pieces of PO lines, most of them right, some of them what a hand edit or a hostile file holds.
quoted = words.map(lambda w: '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"')
bad_string = st.sampled_from(['Enforcement', '"unterminated', '"a" b', '"\\q"', "'single'", '""x', '"\\'])
line_piece = st.one_of(
    quoted.map(lambda q: f"msgstr {q}"), quoted.map(lambda q: q), st.just("#, fuzzy"), st.just("# a comment"),
    bad_string.map(lambda b: f"msgstr {b}"), bad_string, st.just("msgid_plural \"x\""), st.just("msgstr[0] \"x\""),
    st.just("msgctxt \"x\""), st.just("msgid \"dup\""), st.just(""), words.map(lambda w: "#. " + w),
)


@st.composite
def po_files(draw) -> str:
    """A PO file of modgen's shape, with some lines replaced or added."""
    entries = []
    for n in range(draw(st.integers(1, 4))):
        entries.append([f'msgctxt "course:u{n}"', f"msgid {draw(quoted)}", f"msgstr {draw(quoted)}"])
    lines = [line for entry in entries for line in entry + [""]]
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        if draw(st.booleans()) and at < len(lines):
            lines[at] = draw(line_piece)
        else:
            lines.insert(at, draw(line_piece))
    return HEADER + "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=po_files())
def test_the_po_reader_refuses_what_msgfmt_refuses(text: str) -> None:
    msgfmt = need_executable("msgfmt", "gettext")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.po"
        path.write_text(text, encoding="utf-8")
        gnu = subprocess.run([msgfmt, "-o", "/dev/null", str(path)], capture_output=True, text=True)
        try:
            read = po.read(path, "x.po")
            problems = []
        except ExchangeError as exc:
            read, problems = None, exc.problems
    if gnu.returncode != 0:
        assert read is None, f"msgfmt refuses it:\n{gnu.stderr}\n{text}"
        assert all(p.line >= 1 and p.column >= 1 for p in problems)
    elif "msgid_plural" not in text and "msgstr[" not in text:
        # msgfmt accepts it; so does modgen unless an entry lacks its unit id (msgctxt) or repeats one.
        contexts = [line for line in text.splitlines() if line.startswith("msgctxt ")]
        if read is None:
            assert any("msgctxt" in p.message or "appears twice" in p.message for p in problems), \
                (problems, text)
        else:
            assert len(read.units) <= len(contexts)


@settings(max_examples=500, deadline=None)
@given(value=st.text(max_size=30))
def test_no_csv_cell_starts_a_formula(value: str) -> None:
    from generator.spreadsheet import writer

    out = io.StringIO()
    writer(out).writerow([value])
    [[back]] = list(csv.reader(io.StringIO(out.getvalue()))) or [[""]]
    if back.startswith(FORMULA_START):
        float(back)  # only a plain number may start so
    assert back == value or back == "'" + value
    assert cell(value) in (value, "'" + value)


markdown_piece = st.sampled_from(["Zie ", "**vet**", "[EOKM](https://www.eokm.nl)", "`code`", " en ", "tekst",
                                  "[hulp](https://www.stopitnow.nl)", "\n- ", "**[link](https://x.nl)**"])
markdown = st.lists(markdown_piece, min_size=1, max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(source=markdown, data=st.data())
def test_markup_must_come_back_whole(source: str, data) -> None:
    assert markup_mismatch(source, source) is None
    words_only = source.replace("tekst", "text").replace("Zie ", "See ")
    assert markup_mismatch(source, words_only) is None
    for piece in ("**vet**", "[EOKM](https://www.eokm.nl)", "`code`"):
        if piece in source:
            dropped = source.replace(piece, "plain", 1)
            assert markup_mismatch(source, dropped) is not None, (source, dropped)
    extra = data.draw(st.sampled_from(["**nieuw**", "[x](https://evil.example)", "`x`"]))
    assert markup_mismatch(source, source + extra) is not None


@settings(max_examples=EXAMPLES, deadline=None)
@given(length=st.integers(1, 150_000), copies=st.integers(1, 400), depth=st.integers(1, 3))
def test_aliases_load_within_the_text_budget_or_are_refused(length: int, copies: int, depth: int) -> None:
    from generator.loader.yaml_source import read_yaml

    lines = [f"id: x\nt0: &a0 {'x' * length}"]
    for level in range(1, depth + 1):
        lines.append(f"t{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * copies) + "]")
    doc, problems = read_yaml(None, "x.yaml", ("\n".join(lines) + "\n").encode())  # type: ignore[arg-type]
    expanded = length * copies ** depth + sum(length * copies ** d for d in range(depth))
    if doc is not None:
        assert expanded <= limits.MAX_TEXT_PER_FILE + length
    else:
        assert problems and problems[0].line >= 2
        assert "characters of text" in problems[0].message or "values" in problems[0].message


@settings(max_examples=EXAMPLES, deadline=None)
@given(sizes=st.lists(st.integers(0, 80 * 1024 * 1024), min_size=1, max_size=6), ratio_member=st.booleans())
def test_a_zip_directory_is_bounded_before_anything_is_inflated(sizes: list[int], ratio_member: bool) -> None:
    """Each member declares ``size`` bytes (the directory is rewritten; nothing that large exists)."""
    import struct

    from generator.zips import BoundedZip, ZipProblem

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, _ in enumerate(sizes):
            z.writestr(f"m{i}", b"x" * 100)
    data = bytearray(buf.getvalue())
    at = 0
    for size in sizes:  # the central directory's uncompressed sizes, as a hostile file would set them
        at = data.index(b"PK\x01\x02", at)
        data[at + 24:at + 28] = struct.pack("<I", size)
        at += 4
    total = sum(sizes)
    try:
        z = BoundedZip(bytes(data), "t.pptx")
    except ZipProblem as problem:
        assert total > limits.MAX_ZIP_UNCOMPRESSED or any(s > limits.MAX_ZIP_RATIO_FROM for s in sizes), problem
        return
    assert total <= limits.MAX_ZIP_UNCOMPRESSED
    for i, size in enumerate(sizes):  # reading keeps to what each member declares
        try:
            got = z.read(f"m{i}")
        except ZipProblem:
            assert size != 100
            continue
        assert len(got) <= size


def test_msgfmt_is_available_in_ci() -> None:
    if IN_CI:
        assert shutil.which("msgfmt"), "gettext's msgfmt: .ci/run installs it"
