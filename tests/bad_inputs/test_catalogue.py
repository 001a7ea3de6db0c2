"""Every broken or hostile course variant in the catalogue gives its exact message, exit code 1,
no traceback, a bounded number of lines, within 2 s of CPU and 300 MB, and leaves an earlier build
and the course untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.bad_inputs.catalogue import CASES, ITEM_WRITING_CASES, replace, LESSON, QUIZ
from tests.conftest import run_modgen
from tests.hostile.bounds import run_bounded, snapshot


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_pinned(case: str, course_copy, tmp_path: Path) -> None:
    edit, expected = CASES[case]
    root = course_copy("minimal")
    edit(root)
    out = tmp_path / "out"
    out.mkdir()
    earlier = {"manifest.json": b'{"course": "earlier"}\n', "site/index.html": b"<p>earlier build</p>"}
    for name, data in earlier.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    course = snapshot(root)
    # Content errors are each printed (an author fixes them all); the hostile cases print a few lines.
    result = run_bounded("build", root, "-o", out, expect=expected, max_lines=120)
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("Build: found ")
    assert snapshot(out) == earlier
    assert snapshot(root) == course


def test_all_problems_at_once_sorted(course_copy) -> None:
    root = course_copy("minimal")
    replace(LESSON, "objectives:", "objectivs:")(root)
    replace(QUIZ, "type: single", "type: essay")(root)
    replace("course.yaml", "pass_mark: 60", "pass_mark: sixty")(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1
    problem_lines = [l for l in result.stderr.splitlines() if l[:1] in "cmq" and ".yaml:" in l]
    assert [l.split(":")[0] for l in problem_lines] == [
        "course.yaml", "modules/01-preparation.yaml", "quizzes/01-preparation.yaml"]
    assert result.stderr.splitlines()[-1] == "Validation: found 3 problems."


def test_strict_turns_warnings_into_errors(course_copy) -> None:
    root = course_copy("minimal")
    replace(QUIZ, "      - id: c\n        text: {nl: Een boete", "      - id: c\n        correct: true\n"
            "        text: {nl: Een boete")(root)
    lenient = run_modgen("validate", root)
    assert lenient.returncode == 0, lenient.stderr
    assert "warning: every option of multiple-response question 'prep-q2' is correct" in lenient.stderr
    strict = run_modgen("validate", "--strict", root)
    assert strict.returncode == 1
    assert "every option of multiple-response question 'prep-q2' is correct" in strict.stderr
    assert "warning:" not in strict.stderr


@pytest.mark.parametrize("case", sorted(ITEM_WRITING_CASES))
def test_item_writing_warning_is_pinned(case: str, course_copy) -> None:
    """Each item-writing rule warns at its place; ``--strict`` fails on it; the course can switch
    the rule off with a reason."""
    edit, expected = ITEM_WRITING_CASES[case]
    root = course_copy("minimal")
    edit(root)
    lenient = run_modgen("validate", root)
    assert lenient.returncode == 0, lenient.stderr
    assert expected in lenient.stderr.splitlines(), lenient.stderr
    strict = run_modgen("validate", "--strict", root)
    assert strict.returncode == 1
    assert expected.replace("warning: ", "", 1) in strict.stderr.splitlines(), strict.stderr
    replace("course.yaml", "languages: [nl, en]\n",
            f"languages: [nl, en]\nitem_writing:\n  skip:\n    {case}: a reason the course gives\n")(root)
    off = run_modgen("validate", "--strict", root)
    assert off.returncode == 0, off.stderr
    assert f"(rule '{case}')" not in off.stderr


def test_item_writing_rule_off_needs_a_known_rule_and_a_reason(course_copy) -> None:
    root = course_copy("minimal")
    replace("course.yaml", "languages: [nl, en]\n",
            "languages: [nl, en]\nitem_writing:\n  skip:\n    longest-option: x\n    stem-clue: ''\n")(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(l.startswith("course.yaml:13:5: ") and "longest-option" in l for l in lines), result.stderr
    assert any(l.startswith("course.yaml:14:") and "stem-clue" in l for l in lines), result.stderr


def test_common_mistakes_are_pinned_in_plain_words() -> None:
    """The ten mistakes authors make most each have a pinned message that an author can act on:
    positions counted from 1 and named by id, no programmer's path, no pydantic wording."""
    from tests.bad_inputs.catalogue import COMMON_MISTAKES

    assert len(COMMON_MISTAKES) == 10
    for mistake, case in COMMON_MISTAKES.items():
        assert case in CASES, mistake
        message = CASES[case][1]
        assert not re.search(r"\.\d+[.:]|Input should|\(while ", message), (mistake, message)


@pytest.mark.parametrize("mistake", ["unquoted No", "missing colon", "tab"])
def test_the_line_at_fault_is_quoted_with_a_caret(mistake: str, course_copy) -> None:
    """Below each problem validate quotes the line and puts a caret under the column, so the author
    sees the spot without counting lines (as rustc and Quarto do)."""
    from tests.bad_inputs.catalogue import COMMON_MISTAKES

    edit, expected = CASES[COMMON_MISTAKES[mistake]]
    root = course_copy("minimal")
    edit(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    at = lines.index(expected)
    path, line, column = expected.split(":")[:3]
    written = re.split("\r\n|[\n\r]", (root / path).read_text(encoding="utf-8"))[int(line) - 1]
    quoted, caret = lines[at + 1], lines[at + 2]
    assert quoted == f" {line} | {written.replace(chr(9), '→')}"
    assert caret.index("^") == quoted.index("|") + 2 + int(column) - 1
    assert lines[-1] == "Validation: found 1 problem."


def test_a_link_out_of_the_course_is_never_quoted(course_copy, tmp_path: Path) -> None:
    """A course file that is a link to a file outside the course is refused at its line, and the
    line quoted under the message is never the outside file's (it could be a secret)."""
    import os

    root = course_copy("minimal")
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    quiz = root / QUIZ
    quiz.unlink()
    os.symlink(secret, quiz)
    result = run_modgen("validate", root)
    assert result.returncode == 1
    assert "hunter2" not in result.stderr
