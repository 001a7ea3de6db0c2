"""A build in one language reads no other language's text of a lesson or quiz.

The build cache keys every unit and fragment in language L by the lessons and quizzes as a build in
L sees them (``cache._in_language``): editing the English of a lesson rebuilds the English material
and carries the Dutch over. That is safe only if no target reads another language's text. Here
every other-language text of every lesson and quiz is changed, and each target's output in L must
stay the same byte for byte — while changing the L texts changes every target's output (so the
change is really made, and seen).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from generator import targets
from generator.build import BuildRequest, build
from generator.cache import REUSE
from generator.loader.load import load_course
from generator.model import Course, Text
from generator.targets import Job
from tests.test_cache import edit_lesson_and_rebuild, keep, reused, tree

TESTS = Path(__file__).resolve().parent
COURSES = {"bundled": TESTS.parent, "minimal": TESTS / "fixtures" / "minimal",
           "special": TESTS / "fixtures" / "special"}


def texts_changed(value: Any, changed: set[str]) -> Any:
    """``value`` with the texts of the languages in ``changed`` altered (and nothing else)."""
    if isinstance(value, Text):
        return Text({lang: f"{text} (gewijzigd/changed)" if lang in changed else text
                     for lang, text in value.root.items()})
    if isinstance(value, BaseModel):
        update = {name: texts_changed(getattr(value, name), changed) for name in type(value).model_fields}
        return value.model_copy(update=update)
    if isinstance(value, list):
        return [texts_changed(item, changed) for item in value]
    return value


def with_lessons_and_quizzes_changed(course: Course, changed: set[str]) -> Course:
    return course.model_copy(update={"lessons": texts_changed(course.lessons, changed),
                                     "quizzes": texts_changed(course.quizzes, changed)})


def output(kind: str, course: Course, lang: str, out: Path) -> dict[str, bytes]:
    target = targets.load_target(kind)
    for audience in [a.id for a in course.audiences] if target.per_audience else [None]:
        target.build(Job(course.for_audience(audience), lang, audience, out, kind))
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("kind", targets.kinds())
@pytest.mark.parametrize("name", list(COURSES))
def test_no_other_language_changes_the_output(name: str, kind: str, tmp_path: Path) -> None:
    course = load_course(COURSES[name]).course
    for lang in course.languages:
        others = set(course.languages) - {lang}
        before = output(kind, course, lang, tmp_path / lang / "before")
        assert before
        assert output(kind, with_lessons_and_quizzes_changed(course, others), lang,
                      tmp_path / lang / "others") == before, f"{kind} in {lang} reads another language's text"
        assert output(kind, with_lessons_and_quizzes_changed(course, {lang}), lang,
                      tmp_path / lang / "own") != before


@pytest.mark.xfail(not REUSE, reason="carrying over is switched off (generator.cache.REUSE)", strict=True)
def test_an_english_edit_rebuilds_the_english_material_only(course_copy, tmp_path) -> None:
    course = course_copy("minimal")
    out = tmp_path / "out"
    build(BuildRequest(course, out))
    files = [rel for rel in tree(out) if rel != "manifest.json" and not rel.startswith(".cache")]
    kept = {rel: keep(out, rel, tmp_path) for rel in files}
    edit_lesson_and_rebuild(course, out, tmp_path)
    dutch = [rel for rel in files if "/nl" in rel]
    assert dutch and all(reused(out, rel, kept[rel]) for rel in dutch)
    # in English: the edited lesson's decks, the course decks, the site, SCORM and the guide
    english = {rel for rel in files if "/en" in rel and not reused(out, rel, kept[rel])}
    assert "pptx/en-enforcement/02-activity.pptx" in english
    assert "pptx/en-enforcement/01-preparation.pptx" not in english
    assert {rel.split("/")[0] for rel in english} == {"pptx", "site", "scorm12", "scorm2004", "cmi5", "facilitator-guide"}
