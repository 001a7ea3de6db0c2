"""`modgen report` with LMS exports from outside (issue 33): inputs bounded and read a row at a time,
problems summarised after the first 20, huge JSON numbers read as data, no formula in any CSV cell
modgen writes, and output files with the user's normal mode."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest

from generator.spreadsheet import cell
from tests.hostile.bounds import run_bounded

COURSE_NAME = "minimal"


@pytest.fixture
def course(course_copy) -> Path:
    return course_copy(COURSE_NAME)


def earlier_report(out: Path) -> dict[str, bytes]:
    out.mkdir()
    (out / "item-analysis.csv").write_bytes(b"earlier\n")
    return {"item-analysis.csv": b"earlier\n"}


def test_a_200_mb_csv_is_refused_by_its_size(course: Path, tmp_path: Path) -> None:
    big = tmp_path / "scorm.csv"
    with big.open("wb") as f:
        f.write(b"learner,id,response\n")
        f.truncate(200_000_000)  # sparse
    out = tmp_path / "report"
    earlier = earlier_report(out)
    run_bounded("report", course, big, "-o", out,
                expect=f"{big.as_posix()}:1:1: file is 200,000,000 bytes, more than the limit of 16,777,216 — "
                       "export the results in parts (per quiz, per period, or the LRS's pages)")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier


def test_700000_unknown_ids_print_22_lines(course: Path, tmp_path: Path) -> None:
    results = tmp_path / "scorm.csv"
    with results.open("w", encoding="utf-8") as f:
        f.write("learner,id,response\n")
        f.writelines(f"s{i},nope{i},a\n" for i in range(700_000))  # 14 MB: under the size limit
    result = run_bounded("report", course, results, "-o", tmp_path / "report", max_lines=25)
    lines = result.stderr.splitlines()
    assert lines[0] == f"{results.as_posix()}:2:4: interaction 'nope0' is not a question of this course"
    assert lines[20] == f"{results.as_posix()}:21:5: … and 9,980 more problems like these"
    assert lines[21] == (f"{results.as_posix()}:10002:1: reading stopped after 10,000 problems in this file — is it "
                         "the export of another course?")
    assert lines[-1] == "Report: found 22 problems."
    assert not (tmp_path / "report").exists()


def test_a_5000_digit_json_number_is_data(course: Path, tmp_path: Path) -> None:
    statements = tmp_path / "statements.json"
    statements.write_text('[{"verb": {"id": "http://adlnet.gov/expapi/verbs/answered"}, "object": {"id": '
                          '"urn:modgen:bike-theft:question:prep-q1"}, "result": {"response": "a", "score": {"raw": '
                          + "9" * 5000 + '}}, "actor": {"mbox": "mailto:a@example.org"}}]', encoding="utf-8")
    result = run_bounded("report", course, statements, "-o", tmp_path / "report", code=0)
    assert "questions" in result.stdout
    top = tmp_path / "number.json"
    top.write_text("9" * 5000, encoding="utf-8")
    run_bounded("report", course, top, "-o", tmp_path / "report2",
                expect=f"{top.as_posix()}:1:1: expected a JSON array of xAPI statements, or {{\"statements\": [...]}}")


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://example.org\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_cells_that_would_be_formulas_are_neutralised(text: str) -> None:
    assert cell(text) == "'" + text
    assert cell("-0.12") == "-0.12" and cell("+3") == "+3" and cell(0.5) == 0.5 and cell("plain") == "plain"


def test_the_item_analysis_csv_has_no_formula_and_the_users_mode(course: Path, tmp_path: Path) -> None:
    quiz = course / "quizzes" / "01-preparation.yaml"
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(text.replace("text: {nl: Bij scholen, en: Near schools}",
                                 "text: {nl: '=HYPERLINK(\"http://x.example\",\"klik\")', "
                                 "en: '=HYPERLINK(\"http://x.example\",\"click\")'}"), encoding="utf-8")
    results = tmp_path / "scorm.csv"
    results.write_text("learner,id,response\n" + "".join(f"s{i},prep-q1,{'b' if i % 3 else 'a'}\n"
                                                         for i in range(30)), encoding="utf-8")
    out = tmp_path / "report"
    old = os.umask(0o022)
    try:
        run_bounded("report", course, results, "-o", out, code=0, max_lines=60)
    finally:
        os.umask(old)
    rows = list(csv.reader(io.StringIO((out / "item-analysis.csv").read_text(encoding="utf-8"))))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells), rows
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    for name in ("item-analysis.csv", "item-analysis.html"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name


def test_the_glossary_csv_has_no_formula(course: Path, tmp_path: Path) -> None:
    (course / "glossary.yaml").write_text(
        "terms:\n  - id: x\n    term: {nl: '=cmd|calc', en: '@SUM(1)'}\n", encoding="utf-8")
    out = tmp_path / "terms.csv"
    run_bounded("translate", "glossary", course, "--format", "csv", "-o", out, code=0)
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) for c in row]
    assert "'=cmd|calc" in cells and "'@SUM(1)" in cells, cells
