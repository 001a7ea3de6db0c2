"""The room's own text (issue 27): a section's ``slide:`` points, the quiz's ``room:`` versions,
``session.start`` — and ``validate`` saying, at the line, what would not fit one slide."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation

from generator.build import BuildRequest, build
from generator.loader.load import load_course
from tests.bad_inputs.catalogue import replace
from tests.conftest import run_modgen

LONG = " ".join(["Een zin van zeven woorden over fietsen."] * 12)
LONG_EN = " ".join(["A sentence of seven words about bicycles."] * 12)
POINTS = "slide:\n      nl: |\n        - Plekken met veel fietsen\n        - Weinig toezicht\n      en: |\n" \
         "        - Places with many bicycles\n        - Little oversight\n    "


def slide_titled(deck: Path, title: str):
    return [s for s in Presentation(deck).slides if s.shapes.title is not None and s.shapes.title.text == title]


def long_body(root: Path) -> None:
    replace("modules/01-preparation.yaml", "    body:\n      nl: |\n        Een dief kiest",
            f"    body:\n      nl: |\n        {LONG}\n\n        Een dief kiest")(root)
    replace("modules/01-preparation.yaml", "      en: |\n        A thief picks",
            f"      en: |\n        {LONG_EN}\n\n        A thief picks")(root)


def test_a_long_section_without_slide_points_is_warned_at_its_body_and_not_with_them(course_copy) -> None:
    root = course_copy("minimal")
    long_body(root)
    result = run_modgen("validate", root)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    line = next(l for l in out.splitlines() if "'individual'" in l)
    assert line.startswith("modules/01-preparation.yaml:26:5: warning: section 'individual' would not fit one slide")
    assert "'slide:'" in line
    replace("modules/01-preparation.yaml", "    body:\n      nl: |\n        Een zin", f"    {POINTS}body:\n"
            "      nl: |\n        Een zin")(root)
    result = run_modgen("validate", root)
    assert "'individual'" not in result.stdout + result.stderr


def test_slide_points_go_on_the_slide_and_the_body_to_the_notes(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    long_body(root)
    replace("modules/01-preparation.yaml", "    body:\n      nl: |\n        Een zin", f"    {POINTS}body:\n"
            "      nl: |\n        Een zin")(root)
    build(BuildRequest(root, tmp_path / "out", formats=["pptx"], languages=["en"]))
    slides = slide_titled(tmp_path / "out/pptx/en-enforcement/01-preparation.pptx", "The individual")
    assert len(slides) == 1  # one slide, no continuation
    content = next(s for s in slides[0].shapes if s.name == "Content").text_frame.text
    assert "Places with many bicycles" in content and "Little oversight" in content
    assert "seven words" not in content
    notes = slides[0].notes_slide.notes_text_frame.text
    assert "A sentence of seven words about bicycles." in notes and "A thief picks a place" in notes
    assert "Ask the group which places they know." in notes  # the author's notes stay


def test_room_versions_of_a_question_are_what_the_slide_shows(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    replace("quizzes/01-preparation.yaml", "    stem:\n      nl: Waar gebeuren",
            "    room: {nl: Waar de meeste diefstallen?, en: Where most thefts?}\n    stem:\n      nl: Waar gebeuren")(root)
    replace("quizzes/01-preparation.yaml", "        text: {nl: Bij scholen, en: Near schools}",
            "        text: {nl: Bij scholen, en: Near schools}\n        room: {nl: Scholen, en: Schools}")(root)
    build(BuildRequest(root, tmp_path / "out", formats=["pptx", "site"], languages=["en"]))
    deck = Presentation(tmp_path / "out/pptx/en-enforcement/01-preparation.pptx")
    texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides]
    shown = next(t for t in texts if "Where most thefts?" in t)
    assert "Schools" in shown and "Near schools" not in shown and "Near stations" in shown
    assert not any("Where do most bicycle thefts happen?" in t for t in texts)
    # The self-study quiz keeps the full text.
    site = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html"))
    assert "Where do most bicycle thefts happen?" in site and "Where most thefts?" not in site


def test_a_long_in_room_question_is_warned_until_it_has_room_versions(course_copy) -> None:
    root = course_copy("minimal")
    long_option = " ".join(["een lange uitleg"] * 8)
    replace("quizzes/01-preparation.yaml", "        text: {nl: Bij scholen, en: Near schools}",
            f"        text: {{nl: Bij scholen {long_option}, en: Near schools {long_option}}}")(root)
    replace("quizzes/01-preparation.yaml", "        text: {nl: Thuis, en: At home}",
            f"        text: {{nl: Thuis {long_option}, en: At home {long_option}}}")(root)
    result = run_modgen("validate", root)
    out = result.stdout + result.stderr
    line = next(l for l in out.splitlines() if "'prep-q1'" in l)
    assert line.startswith("quizzes/01-preparation.yaml:") and "in-room question 'prep-q1' would not fit" in line
    assert "'room:'" in line
    replace("quizzes/01-preparation.yaml", f"        text: {{nl: Bij scholen {long_option}, en: Near schools {long_option}}}",
            f"        text: {{nl: Bij scholen {long_option}, en: Near schools {long_option}}}\n"
            "        room: {nl: Scholen, en: Schools}")(root)
    replace("quizzes/01-preparation.yaml", f"        text: {{nl: Thuis {long_option}, en: At home {long_option}}}",
            f"        text: {{nl: Thuis {long_option}, en: At home {long_option}}}\n"
            "        room: {nl: Thuis, en: At home}")(root)
    result = run_modgen("validate", root)
    assert "'prep-q1'" not in result.stdout + result.stderr


def test_session_start_is_a_clock_time(course_copy) -> None:
    root = course_copy("minimal")
    replace("course.yaml", "session:\n", "session:\n  start: 09:30\n")(root)  # unquoted: YAML 1.1 says 570
    assert load_course(root).course.session.start == "09:30"
    assert load_course(root).course.session.start_minutes() == 570
    replace("course.yaml", "start: 09:30", "start: '25:00'")(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1 and "course.yaml:49:" in result.stdout + result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
