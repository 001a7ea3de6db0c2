"""Quiz slides (``decks.quiz``): one slide per question with the answer shown on a click (the
default), the questions alone, none, or one slide that sends the room to ``modgen classroom``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pptx.oxml.ns import qn

from generator.build import BuildRequest, build
from generator.loader.load import load_course
from tests.conftest import ROOT, run_modgen
from tests.targets.test_deck import notes_text, slide_kind, slide_lines

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def answer_shape(slide):
    found = [shape for shape in slide.shapes if shape.name == "Answer"]
    assert len(found) <= 1
    return found[0] if found else None


def click_targets(slide) -> list[int]:
    """The shapes a click shows: entrance effects of the main sequence started by a click, that
    make their target visible."""
    timing = slide._element.find(qn("p:timing"))
    if timing is None:
        return []
    root = timing.find(f"{P}tnLst/{P}par/{P}cTn")
    assert root.get("nodeType") == "tmRoot"
    main = root.find(f"{P}childTnLst/{P}seq/{P}cTn")
    assert main.get("nodeType") == "mainSeq"
    shown = []
    for click in main.findall(f"{P}childTnLst/{P}par/{P}cTn"):
        assert click.find(f"{P}stCondLst/{P}cond").get("delay") == "indefinite"  # waits for a click
        for effect in click.iter(f"{P}cTn"):
            if effect.get("nodeType") != "clickEffect":
                continue
            assert effect.get("presetClass") == "entr"
            for behaviour in effect.iter(f"{P}set"):
                assert behaviour.find(f".//{P}attrName").text == "style.visibility"
                assert behaviour.find(f"{P}to/{P}strVal").get("val") == "visible"
                shown.append(int(behaviour.find(f".//{P}spTgt").get("spid")))
    built = [int(b.get("spid")) for b in timing.findall(f"{P}bldLst/{P}bldP")]
    assert built == shown  # PowerPoint lists every animated shape in the build list too
    return shown


def with_decks(course_copy, mode: str) -> Path:
    course = course_copy("minimal")
    frame = yaml.safe_load((course / "course.yaml").read_text(encoding="utf-8"))
    frame["decks"] = {"quiz": mode}
    (course / "course.yaml").write_text(yaml.safe_dump(frame, allow_unicode=True), encoding="utf-8")
    return course


def lesson_decks(out: Path):
    return sorted(p for p in out.glob("pptx/*/*.pptx") if p.name != "course.pptx")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "out"
    build(BuildRequest(ROOT, out, formats=["pptx"]))
    return out


def test_every_bundled_lesson_deck_has_one_slide_per_question_answered_on_a_click(bundled: Path) -> None:
    course = load_course(ROOT).course
    decks = lesson_decks(bundled)
    assert len(decks) == len(course.lessons) * len(course.languages) * len(course.audiences)
    checked = 0
    for deck in decks:
        slug = deck.parent.name
        lang, audience = slug.split("-", 1)
        lesson = course.for_audience(audience).lesson(deck.stem.split("-", 1)[1])
        quiz = course.for_audience(audience).quiz_for(lesson)
        slides = list(Presentation(deck).slides)
        assert "answer" not in [slide_kind(s) for s in slides]  # no answer slides: the quiz no longer doubles
        answered = [s for s in slides if answer_shape(s) is not None]
        assert len(answered) == len(quiz.questions), deck
        titles = [s.shapes.title.text for s in slides if slide_kind(s) == "question"]
        firsts = [t for t in titles if re.search(r"\d$", t)]  # not the "(continued)" pages of a long one
        assert len(firsts) == len(quiz.questions), titles
        for slide in answered:
            shape = answer_shape(slide)
            assert click_targets(slide) == [shape.shape_id], deck
            assert re.match(r"^(Answer|Answers|Antwoord|Antwoorden): ", shape.text_frame.text)
        for slide in slides:
            if answer_shape(slide) is None:
                assert slide._element.find(qn("p:timing")) is None  # nothing else waits for a click
        checked += len(answered)
    assert checked == sum(len(course.for_audience(a.id).quiz_for(l).questions)
                          for a in course.audiences for l in course.for_audience(a.id).lessons) * len(course.languages)


def test_the_answer_box_stays_clear_of_the_question(bundled: Path) -> None:
    """The answer is under the options and above the source line: nothing overlaps, so the slide
    that LibreOffice or a printout shows (the final state, answer visible) reads right too."""
    for deck in lesson_decks(bundled)[:4]:
        for slide in Presentation(deck).slides:
            shape = answer_shape(slide)
            if shape is None:
                continue
            others = [s for s in slide.shapes if s.name in ("Content", "Source")]
            for other in others:
                apart = shape.top >= other.top + other.height or other.top >= shape.top + shape.height
                assert apart, (deck.name, slide.shapes.title.text, other.name)


def test_the_notes_hold_the_answer_the_explanation_and_the_feedback(bundled: Path) -> None:
    deck = bundled / "pptx/en-enforcement" / "03-pre-activity.pptx"
    course = load_course(ROOT).course
    quiz = course.quiz_for(course.lesson("pre-activity"))
    first = next(s for s in Presentation(deck).slides if answer_shape(s) is not None)
    notes = notes_text(first)
    assert notes.startswith("Let the group answer first, then click to show the answer.")
    assert f"Explanation: {quiz.questions[0].explanation.get('en')}" in notes
    assert answer_shape(first).text_frame.text in notes


def test_questions_only(course_copy, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildRequest(with_decks(course_copy, "questions"), out, formats=["pptx"]))
    slides = list(Presentation(out / "pptx/en-enforcement/01-preparation.pptx").slides)
    questions = [s for s in slides if slide_kind(s) == "question"]
    assert len(questions) == 4
    assert all(answer_shape(s) is None and s._element.find(qn("p:timing")) is None for s in questions)
    assert notes_text(questions[0]).startswith("Let the group answer; the answer is below, not on the slide.")
    assert "Answer: A. Near stations" in notes_text(questions[0])
    assert "Answer: A. Near stations" not in slide_lines(questions[0])


def test_no_quiz_slides(course_copy, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildRequest(with_decks(course_copy, "none"), out, formats=["pptx"]))
    slides = list(Presentation(out / "pptx/en-enforcement/01-preparation.pptx").slides)
    assert "question" not in [slide_kind(s) for s in slides]
    agenda = next(s for s in slides if slide_kind(s) == "agenda")
    assert "Self-check quiz" not in slide_lines(agenda)


def test_classroom_slide(course_copy, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildRequest(with_decks(course_copy, "classroom"), out, formats=["pptx"]))
    for lang, title, words in [("en", "Self-check quiz: live on your phone", "Enter the session code shown there."),
                               ("nl", "Toets jezelf: live op je telefoon", "Vul de sessiecode in die daar staat.")]:
        slides = list(Presentation(out / f"pptx/{lang}-enforcement/01-preparation.pptx").slides)
        kinds = [slide_kind(s) for s in slides]
        assert "question" not in kinds and kinds.count("classroom") == 1
        slide = slides[kinds.index("classroom")]
        assert slide.shapes.title.text == title and any(line.startswith(words) for line in slide_lines(slide))
        assert "modgen classroom --lesson preparation --host 0.0.0.0" in notes_text(slide)


def test_an_unknown_quiz_mode_is_a_located_error(course_copy) -> None:
    course = course_copy("minimal")
    path = course / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "decks:\n  quiz: kahoot\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    result = run_modgen("validate", course)
    assert result.returncode == 1
    assert re.search(rf"^course\.yaml:{line}:\d+: .*'reveal', 'questions', 'none' or 'classroom'", result.stderr,
                     re.M), result.stderr
    assert "Traceback" not in result.stderr
