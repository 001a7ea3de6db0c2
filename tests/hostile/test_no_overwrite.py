"""No command writes over a course file (issue 33): an output named like one of the course's files,
or inside its modules/ or quizzes/, or a link to one, is a usage error (exit 2) and the course is
left as it was — as `build` refuses an OUT that is the course."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.bounds import run_bounded, snapshot


def results_file(tmp_path: Path) -> Path:
    path = tmp_path / "scorm.csv"
    path.write_text("learner,id,response\ns1,prep-q1,a\n", encoding="utf-8")
    return path


CASES = {
    "translate export -o course.yaml": lambda c, t: ["translate", "export", c, "--to", "en", "-o", c / "course.yaml"],
    "translate export -o modules/new.yaml": lambda c, t: ["translate", "export", c, "--to", "en", "-o",
                                                         c / "modules" / "new.yaml"],
    "translate glossary -o glossary.yaml": lambda c, t: ["translate", "glossary", c, "-o", c / "glossary.yaml"],
    "translate export -o translations.lock": lambda c, t: ["translate", "export", c, "--to", "en", "-o",
                                                          c / "translations.lock"],
    "diff -o modules/01-preparation.yaml": lambda c, t: ["diff", c, "--course", c, "-o",
                                                        c / "modules" / "01-preparation.yaml"],
    "changelog -o quizzes/x.md": lambda c, t: ["changelog", "--since", c, "--course", c, "-o", c / "quizzes" / "x.md"],
    "report -o modules": lambda c, t: ["report", c, results_file(t), "-o", c / "modules"],
    "classroom --results quizzes/r.csv": lambda c, t: ["classroom", c, "--lesson", "preparation", "--results",
                                                      c / "quizzes" / "r.csv"],
    "a link to course.yaml": lambda c, t: ["translate", "export", c, "--to", "en", "-o", link(t, c / "course.yaml")],
}


def link(tmp_path: Path, target: Path) -> Path:
    path = tmp_path / "innocent.xlf"
    os.symlink(target, path)
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_output_over_the_course(case: str, course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    (course / "glossary.yaml").write_text("terms:\n  - id: x\n    term: {nl: fiets, en: bicycle}\n", encoding="utf-8")
    (course / "translations.lock").write_text("source: nl\nen:\n", encoding="utf-8")
    before = snapshot(course)
    args = CASES[case](course, tmp_path)
    result = run_bounded(*args, code=2)
    assert "write the output elsewhere" in result.stderr, result.stderr
    assert snapshot(course) == before
