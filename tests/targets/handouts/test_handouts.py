"""What the three handouts share: the session plan's arithmetic, letters, CSS strings."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from generator.model import Lesson, Section
from generator.targets.handouts import apportion, clock, css_string, letter, link, plan_module
from tests.targets.handouts.conftest import assert_safe_document, build_kind, documents, text_of


@given(st.lists(st.floats(min_value=0, max_value=500), min_size=1, max_size=12), st.integers(0, 1440))
def test_apportion_adds_up_exactly(weights, total) -> None:
    shares = apportion(weights, total)
    assert sum(shares) == total and all(s >= 0 for s in shares)


def test_apportion_follows_the_weights() -> None:
    assert apportion([1, 1, 1], 20) == [7, 7, 6]
    assert apportion([10, 5], 30) == [20, 10]
    assert apportion([0, 0], 3) == [2, 1]


def lesson(duration: int, minutes: list[int | None], **extra) -> Lesson:
    sections = [Section(id=f"s{i}", title=f"S{i}", body="x", minutes=m) for i, m in enumerate(minutes)]
    return Lesson(id="l", title="L", duration=duration, sections=sections, **extra)


def test_given_minutes_are_kept_and_the_rest_is_shared(minimal_course) -> None:
    plan = plan_module(minimal_course, lesson(30, [10, None], discussion=[{"id": "d", "prompt": "p"}]), 1, 15)
    assert [(s.start, s.minutes) for s in plan.slots] == [(15, 10), (25, 10), (35, 10)]
    assert [s.activity for s in plan.slots] == [None, None, "discussion"]
    assert not plan.scaled and plan.end == 45


def test_time_left_over_goes_to_a_closing_slot(minimal_course) -> None:
    plan = plan_module(minimal_course, lesson(45, [10, 20]), 1, 0)
    assert [(s.minutes, s.activity) for s in plan.slots] == [(10, None), (20, None), (15, "close")]


def test_minutes_that_do_not_fit_are_scaled_and_said(minimal_course) -> None:
    plan = plan_module(minimal_course, lesson(20, [30, 10]), 2, 60)
    assert plan.scaled and plan.planned == 40
    assert [s.minutes for s in plan.slots] == [15, 5]
    assert plan.slots[-1].end == 80


def test_a_lesson_without_sections_is_one_slot(minimal_course) -> None:
    plan = plan_module(minimal_course, lesson(25, []), 1, 0)
    assert [(s.minutes, s.activity) for s in plan.slots] == [(25, "close")]


def test_clock_and_letters() -> None:
    assert [clock(m) for m in (0, 5, 60, 135)] == ["0:00", "0:05", "1:00", "2:15"]
    assert [letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]


def test_css_strings_cannot_escape_the_stylesheet() -> None:
    value = css_string('Pagina "x" </style><script>')
    assert value.startswith('"') and value.endswith('"')
    assert '"' not in value[1:-1] and "<" not in value and ">" not in value


def test_only_harmless_urls_become_links() -> None:
    assert link("https://example.org/a?b=1&c=2") == '<a href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a>'
    assert link("javascript:alert(1)") == "javascript:alert(1)"
    assert link(' JavaScript:alert("<x>")') == " JavaScript:alert(&#34;&lt;x&gt;&#34;)"


PAYLOADS = {
    "script": "<script>alert('x')</script>",
    "img": "<img src=x onerror=alert(1)>",
    "link": "[click](javascript:alert(1))",
}
EVIL = " ".join(PAYLOADS.values())


def inject(course_dir: Path) -> None:
    """Put markup and script into every kind of text a handout prints (English only)."""

    def edit(name: str, change) -> None:
        path = course_dir / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def frame(course: dict) -> None:
        course["support"][0]["url"] = "javascript:alert(1)"
        course["support"][0]["name"]["en"] += " " + PAYLOADS["img"]
        course["subtitle"]["en"] = '</style><script>alert(1)</script>"'

    def lesson(data: dict) -> None:
        data["title"]["en"] += " " + PAYLOADS["script"]
        data["sections"][0]["notes"]["en"] += " " + EVIL
        data["sections"][0]["body"]["en"] += "\n\n" + EVIL
        data["discussion"][0]["prompt"]["en"] += " " + EVIL
        data["vignettes"][0]["debrief"]["en"] += " " + EVIL
        data["vignettes"][0]["title"]["en"] += " " + PAYLOADS["img"]
        data["vignettes"][0]["text"]["en"] += " " + EVIL
        data["vignettes"][0]["questions"][0]["en"] += " " + PAYLOADS["script"]
        data["interventions"][0]["text"]["en"] += " " + EVIL
        data["takeaways"][0]["en"] += " " + EVIL

    def quiz(data: dict) -> None:
        first, _, _, matching = data["questions"]
        first["stem"]["en"] += " " + EVIL
        first["options"][0]["text"]["en"] += " " + PAYLOADS["img"]
        first["options"][0]["feedback"]["en"] += " " + EVIL
        first["explanation"]["en"] += " " + EVIL
        matching["pairs"][0]["premise"]["en"] += " " + PAYLOADS["script"]
        matching["pairs"][1]["response"]["en"] += " " + PAYLOADS["img"]

    def ordering(data: dict) -> None:
        data["questions"][0]["items"][0]["text"]["en"] += " " + PAYLOADS["script"]

    edit("course.yaml", frame)
    edit("modules/01-preparation.yaml", lesson)
    edit("quizzes/01-preparation.yaml", quiz)
    edit("quizzes/02-activity.yaml", ordering)


@pytest.mark.parametrize("kind", ["facilitator-guide", "print-quiz", "answer-key", "scenario-cards"])
def test_injected_markup_comes_out_as_text(kind: str, course_copy, tmp_path: Path) -> None:
    course_dir = course_copy("minimal")
    inject(course_dir)
    out = tmp_path / "out"
    course, manifest = build_kind(course_dir, out, kind)
    pages = list(documents(course, manifest, out))
    assert pages
    for lang, _, _, page, path in pages:
        assert_safe_document(page)
        if lang == "en":
            shown = text_of(page.xpath("//body")[0])
            assert "<script>alert('x')</script>" in shown
            assert "<img src=x onerror=alert(1)>" in shown
            if kind == "facilitator-guide":  # the support URL is printed as text, never as a link
                assert "javascript:alert(1)" in shown
            if kind not in ("print-quiz", "scenario-cards"):  # the quiz and the cards have no title page
                assert shown.count("</style><script>alert(1)</script>") == 1


def tiny_png() -> bytes:
    """A real 2×2 grey PNG, written by hand so the test needs no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("kind", ["facilitator-guide", "print-quiz", "answer-key", "scenario-cards"])
def test_the_organisations_logo_is_embedded(kind: str, course_copy, tmp_path: Path) -> None:
    course_dir = course_copy("minimal")
    (course_dir / "logo.png").write_bytes(tiny_png())
    frame = yaml.safe_load((course_dir / "course.yaml").read_text(encoding="utf-8"))
    frame["branding"] = {"logo": "logo.png", "organisation": {"nl": "Politieacademie", "en": "Police Academy"}}
    (course_dir / "course.yaml").write_text(yaml.safe_dump(frame, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    course, manifest = build_kind(course_dir, out, kind)
    expected = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    for lang, _, _, page, _ in documents(course, manifest, out):
        assert_safe_document(page)
        assert page.xpath("//img/@src")[0] == expected
        if kind not in ("print-quiz", "scenario-cards"):  # their logo is beside the course title
            assert page.xpath("//img/@alt")[0] == {"nl": "Politieacademie", "en": "Police Academy"}[lang]
