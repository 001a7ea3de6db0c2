"""The whole-course deck from fragments: after a one-lesson edit only that lesson's slides are
rendered again, and the deck is the deck of a clean build, byte for byte."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pptx import Presentation

from generator import cache
from generator.build import BuildRequest, build
from generator.loader.load import load_course
from generator.targets import Job
from generator.targets.deck import DeckTarget, build_deck, template_path
from generator.targets.deck.plan import Planner
from tests.test_cache import edit, tree

reuse_off = pytest.mark.xfail(not cache.REUSE, reason="carrying over is switched off (generator.cache.REUSE)",
                              strict=True)


@pytest.fixture
def rendered_lessons(monkeypatch) -> list[str]:
    """The ids of the lessons whose course-deck slides were planned (so rendered), in order."""
    calls: list[str] = []
    planned = Planner.course_lesson

    def spy(self, lesson, number):
        calls.append(lesson.id)
        return planned(self, lesson, number)

    monkeypatch.setattr(Planner, "course_lesson", spy)
    return calls


def course_deck(course: Path, previous: Path | None, staging: Path, lang: str = "en",
                audience: str = "enforcement") -> bytes:
    """The course deck as the build makes it (the ``course`` part of the pptx target), with a
    fragment store kept in ``staging`` and reusing ``previous``'s."""
    loaded = load_course(course)
    fragments = cache.Fragments(cache.Keys(loaded), previous, staging)
    job = Job(loaded.course.for_audience(audience), lang, audience, staging, "pptx", "course", fragments=fragments)
    [artifact] = DeckTarget().build(job)
    return (staging / artifact.path).read_bytes()


def clean_deck(course: Path, lang: str = "en", audience: str = "enforcement") -> bytes:
    """The course deck rendered in one go, with no fragment store."""
    narrowed = load_course(course).course.for_audience(audience)
    return build_deck(narrowed, lang, template_path(narrowed))[0]


def titles(deck: bytes) -> list[str]:
    return [s.shapes.title.text for s in Presentation(io.BytesIO(deck)).slides]


def texts(deck: bytes) -> list[str]:
    return [p.text for s in Presentation(io.BytesIO(deck)).slides for shape in s.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs]


@reuse_off
def test_a_one_lesson_edit_renders_only_that_lessons_slides(course_copy, tmp_path, rendered_lessons) -> None:
    course = course_copy("minimal")
    first = course_deck(course, None, tmp_path / "first")
    assert rendered_lessons == ["preparation", "activity"]
    assert first == clean_deck(course)

    rendered_lessons.clear()
    edit(course / "modules" / "02-activity.yaml", "A theft happens in a few short steps.",
         "A theft happens in a few short steps, often at night.")
    second = course_deck(course, tmp_path / "first", tmp_path / "second")
    assert rendered_lessons == ["activity"]  # the other lesson's slides came from its fragment
    assert "A theft happens in a few short steps, often at night." in texts(second)
    assert second == clean_deck(course)


@reuse_off
def test_nothing_changed_renders_no_lesson(course_copy, tmp_path, rendered_lessons) -> None:
    course = course_copy("minimal")
    first = course_deck(course, None, tmp_path / "first")
    rendered_lessons.clear()
    assert course_deck(course, tmp_path / "first", tmp_path / "second") == first
    assert rendered_lessons == []


@reuse_off
def test_a_title_repeating_an_earlier_lessons_is_numbered_and_its_fragment_reused(
        course_copy, tmp_path, rendered_lessons) -> None:
    course = course_copy("minimal")
    # The second lesson's section slide now has the first lesson's title.
    edit(course / "modules" / "02-activity.yaml", "en: The theft}", "en: Preparation}")
    first = course_deck(course, None, tmp_path / "first")
    shown = titles(first)
    assert len(shown) == len(set(shown))
    assert shown.count("Preparation") == 1 and "Preparation (2)" in shown
    assert first == clean_deck(course)

    rendered_lessons.clear()
    edit(course / "modules" / "01-preparation.yaml", "How a thief prepares", "How a thief gets ready")
    second = course_deck(course, tmp_path / "first", tmp_path / "second")
    # The edited lesson is rendered; the other one's numbered slides are reused as they were.
    assert rendered_lessons == ["preparation"]
    assert second == clean_deck(course)


@reuse_off
def test_incremental_build_equals_clean_build_and_keeps_the_other_lessons_fragments(course_copy, tmp_path) -> None:
    course = course_copy("minimal")
    out = tmp_path / "out"
    build(BuildRequest(course, out, formats=["pptx"]))
    store = out / cache.CACHE_DIR / cache.FRAGMENTS
    before = {p.name: p.stat().st_ino for p in store.iterdir()}
    assert len(before) == 2 * 2 * 2  # languages × audiences × lessons

    edit(course / "modules" / "02-activity.yaml", "A theft happens in a few short steps.",
         "A theft happens in a few short steps, often at night.")
    build(BuildRequest(course, out, formats=["pptx"]))
    clean = tmp_path / "clean"
    build(BuildRequest(course, clean, formats=["pptx"]))
    assert tree(out) == tree(clean)

    after = {p.name: p for p in store.iterdir()}
    kept = [p for name, p in after.items() if before.get(name) == p.stat().st_ino]
    made = [p for name, p in after.items() if name not in before]
    # Kept (linked over, not rendered): the unchanged first lesson's slides, and the edited lesson's
    # Dutch ones — the edit is to its English text. Made: the edited lesson's English slides.
    assert len(kept) == 6 and len(made) == 2
    assert sum("(module 1)" in fragment_text(p) for p in kept) == 4
    assert all("(module 2)" in fragment_text(p) and "often at night" in fragment_text(p) for p in made)


def fragment_text(path: Path) -> str:
    """A fragment's content (after its 32-byte checksum): the rendered slides as JSON."""
    return json.dumps(json.loads(path.read_bytes()[32:]), ensure_ascii=False)
