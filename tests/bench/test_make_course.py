"""The benchmark's synthetic courses are valid courses with every question type."""

import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from make_course import write_course  # noqa: E402

from generator.loader.load import load_course  # noqa: E402


def test_synthetic_course_is_valid_and_complete(tmp_path) -> None:
    course = load_course(write_course(7, tmp_path / "c"), strict=True).course
    assert len(course.lessons) == 7
    assert {q.type for z in course.quizzes for q in z.questions} == {
        "single", "multiple", "true-false", "matching", "ordering"}


def test_synthetic_course_is_deterministic(tmp_path) -> None:
    a, b = write_course(3, tmp_path / "a"), write_course(3, tmp_path / "b")
    for f in sorted(p.relative_to(a) for p in a.rglob("*.yaml")):
        assert (a / f).read_bytes() == (b / f).read_bytes()
