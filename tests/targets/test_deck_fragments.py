"""The whole-course deck from fragments: after a one-lesson edit only that lesson's slides are
rendered again, and the deck is the deck of a clean build, byte for byte."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from generator import cache
from generator.build import BuildRequest, build
from generator.loader.load import load_course
from generator.targets import Job
from generator.targets.deck import DeckTarget, build_deck, template_path
from generator.targets.deck.package import Member, decode
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
    assert len(before) == 2 * 2 * 2 * 2  # languages × audiences × lessons × (slides, relationships)

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
    # Dutch ones — the edit is to its English text — with their relationships (the edit moved no
    # slide). Made: the edited lesson's English slides and their relationships.
    assert len(kept) == 12 and len(made) == 4
    kept_slides = [text for p in kept if (text := fragment_slides(p)) is not None]
    made_slides = [text for p in made if (text := fragment_slides(p)) is not None]
    assert len(kept_slides) == 6 and len(made_slides) == 2
    assert sum("(module 1)" in text for text in kept_slides) == 4
    assert all("(module 2)" in text and "often at night" in text for text in made_slides)


EXTRA_SECTION = """  - id: extra
    title: {nl: Nog een stap, en: One more step}
    perspective: individual
    minutes: 5
    body:
      nl: Een dief kijkt eerst rond.
      en: A thief looks around first.
"""


@reuse_off
def test_slides_moved_by_an_edit_have_their_relationships_deflated_again(course_copy, tmp_path, rendered_lessons,
                                                                        monkeypatch) -> None:
    course = course_copy("minimal")
    first = course_deck(course, None, tmp_path / "first")

    # A section more in the first lesson: the second lesson's slides move on, so its relationship
    # parts (which name the slides' numbers) cannot be those of its fragment of relationships.
    edit(course / "modules" / "01-preparation.yaml", "facts:\n", EXTRA_SECTION + "facts:\n")
    rendered_lessons.clear()
    deflated = deflated_blobs(monkeypatch)
    second = course_deck(course, tmp_path / "first", tmp_path / "second")
    assert rendered_lessons == ["preparation"]  # the second lesson's slides are reused
    assert len(titles(second)) > len(titles(first))
    assert set(lesson_rels(second, "The theft")) <= set(deflated)
    assert second == clean_deck(course)


@reuse_off
def test_an_edit_moving_slides_builds_what_a_clean_build_does(course_copy, tmp_path) -> None:
    """Fragments included: the second lesson's fragment of relationships is one for its new place."""
    course = course_copy("minimal")
    out = tmp_path / "out"
    build(BuildRequest(course, out, formats=["pptx"], languages=["en"]))
    edit(course / "modules" / "01-preparation.yaml", "facts:\n", EXTRA_SECTION + "facts:\n")
    build(BuildRequest(course, out, formats=["pptx"], languages=["en"]))
    clean = tmp_path / "clean"
    build(BuildRequest(course, clean, formats=["pptx"], languages=["en"]))
    assert tree(out) == tree(clean)


@reuse_off
def test_slides_an_edit_does_not_move_keep_their_deflated_relationships(course_copy, tmp_path, monkeypatch) -> None:
    course = course_copy("minimal")
    course_deck(course, None, tmp_path / "first")

    edit(course / "modules" / "02-activity.yaml", "A theft happens in a few short steps.",
         "A theft happens in a few short steps, often at night.")
    deflated = deflated_blobs(monkeypatch)
    second = course_deck(course, tmp_path / "first", tmp_path / "second")
    unchanged, edited = lesson_rels(second, "Preparation"), lesson_rels(second, "The theft")
    assert unchanged and edited
    assert not set(unchanged) & set(deflated)  # copied from the first build's fragment
    # The edited lesson's are deflated again, except those equal to one of the other's (a slide
    # with no notes page and no links relates only to its layout).
    assert set(edited) - set(unchanged) and set(edited) - set(unchanged) <= set(deflated)
    assert second == clean_deck(course)


def deflated_blobs(monkeypatch) -> list[bytes]:
    """What ``Member.deflate`` is given from now on."""
    blobs: list[bytes] = []
    deflate = Member.deflate.__func__

    def spy(cls, blob: bytes) -> Member:
        blobs.append(blob)
        return deflate(cls, blob)

    monkeypatch.setattr(Member, "deflate", classmethod(spy))
    return blobs


def lesson_rels(deck: bytes, section_title: str) -> list[bytes]:
    """The relationship parts of the slides (and their notes pages) of the lesson whose section
    slide is titled ``section_title``: from it to the next section slide."""
    prs = Presentation(io.BytesIO(deck))
    slides = list(prs.slides)
    start = next(i for i, s in enumerate(slides) if s.shapes.title.text == section_title)
    end = next((i for i in range(start + 1, len(slides)) if slides[i].slide_layout == slides[start].slide_layout),
               len(slides))
    z = zipfile.ZipFile(io.BytesIO(deck))
    found = []
    for slide in slides[start:end]:
        name = slide.part.partname
        found.append(z.read(f"{name.baseURI[1:]}/_rels/{name.filename}.rels"))
        if slide.has_notes_slide:
            notes = slide.notes_slide.part.partname
            found.append(z.read(f"{notes.baseURI[1:]}/_rels/{notes.filename}.rels"))
    return found


def fragment_slides(path: Path) -> str | None:
    """The XML of a fragment's rendered slides and notes pages (after its 32-byte checksum); None
    for a fragment of relationships."""
    data = path.read_bytes()[32:]
    if b'"members"' in data[:data.index(b"\n")]:
        return None
    slides, _ = decode(data)
    return "".join(s.xml.decode() + (s.notes_xml or b"").decode() for s in slides)
