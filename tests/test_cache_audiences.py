"""A lesson's number counts the lessons its audience sees: when another lesson starts or stops
being for that audience, the lesson's own artifacts are rebuilt (their number and file name change),
though its file did not."""

from pathlib import Path

from generator.build import BuildRequest, build
from tests.test_cache import edit, tree


def decks(out: Path, audience: str) -> list[str]:
    return sorted(p.name for p in (out / "pptx" / f"en-{audience}").iterdir())


def test_a_lesson_joining_an_audience_renumbers_the_others(course_copy, tmp_path) -> None:
    course = course_copy("minimal")
    lesson = course / "modules" / "01-preparation.yaml"
    edit(lesson, "duration: 30", "audiences: [enforcement]\nduration: 30")
    out = tmp_path / "out"
    request = dict(formats=["pptx"], languages=["en"])
    build(BuildRequest(course, out, **request))
    assert decks(out, "prevention") == ["01-activity.pptx", "course.pptx"]

    edit(lesson, "audiences: [enforcement]\n", "")  # now for every audience: first for prevention too
    build(BuildRequest(course, out, **request))
    assert decks(out, "prevention") == ["01-preparation.pptx", "02-activity.pptx", "course.pptx"]
    clean = tmp_path / "clean"
    build(BuildRequest(course, clean, **request))
    assert tree(out) == tree(clean)
