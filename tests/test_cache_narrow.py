"""Targets that state the lesson fields they read (``Target.lesson_fields``) are carried over by the
build cache when any other part of a lesson changes. That is safe only if they read nothing else:
here every other field of every lesson is changed, and their output must stay the same byte for
byte — while a target that reads whole lessons does see the change. Two courses: the bundled one
(rich lessons) and the minimal fixture (its quizzes have no title: they take their lesson's)."""

from pathlib import Path
from typing import Any

import pytest

from generator import targets
from generator.loader.load import load_course
from generator.model import Course, Lesson, Review, Text
from generator.targets import Job

TESTS = Path(__file__).resolve().parent
COURSES = {"bundled": TESTS.parent, "minimal": TESTS / "fixtures" / "minimal"}
NARROWED = [kind for kind in targets.kinds() if targets.load_target(kind).lesson_fields is not None]


def other_value(value: Any) -> Any:
    """A value of the same type that a target reading it would show differently."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7
    if isinstance(value, str):
        return value + "-elsewhere"
    if isinstance(value, Text):
        return Text({lang: f"{text} (changed)" for lang, text in value.root.items()})
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {key: other_value(item) for key, item in value.items()}
    if isinstance(value, Review):
        return value.model_copy(update={"owner": f"{value.owner} (changed)", "status": "draft"})
    if isinstance(value, dict):  # minutes per audience
        return {key: other_value(item) for key, item in value.items()}
    if value is None:
        return None
    raise AssertionError(f"no other value for {value!r}: extend other_value")


def with_other_lesson_fields(course: Course, kept: tuple[str, ...]) -> Course:
    lessons = [lesson.model_copy(update={name: other_value(getattr(lesson, name))
                                         for name in Lesson.model_fields if name not in kept})
               for lesson in course.lessons]
    return course.model_copy(update={"lessons": lessons})


def output(kind: str, course: Course, out: Path) -> dict[str, bytes]:
    target = targets.load_target(kind)
    for lang in course.languages:
        for audience in [a.id for a in course.audiences] if target.per_audience else [None]:
            target.build(Job(course.for_audience(audience), lang, audience, out, kind))
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_the_quiz_exports_and_the_paper_handouts_state_what_they_read() -> None:
    assert set(NARROWED) == {"qti21", "moodle-xml", "gift", "print-quiz", "answer-key", "scenario-cards"}


@pytest.mark.parametrize("kind", NARROWED)
@pytest.mark.parametrize("name", list(COURSES))
def test_no_other_lesson_field_changes_the_output(name: str, kind: str, tmp_path: Path) -> None:
    course = load_course(COURSES[name]).course
    changed = with_other_lesson_fields(course, targets.load_target(kind).lesson_fields)
    before = output(kind, course, tmp_path / "before")
    assert before
    assert output(kind, changed, tmp_path / "after") == before


def test_the_change_is_visible_to_a_target_that_reads_whole_lessons(tmp_path: Path) -> None:
    course = load_course(COURSES["bundled"]).course
    kept = targets.load_target("answer-key").lesson_fields
    changed = with_other_lesson_fields(course, kept)
    assert (output("facilitator-guide", changed, tmp_path / "after")
            != output("facilitator-guide", course, tmp_path / "before"))
