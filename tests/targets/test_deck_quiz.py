"""Quiz slides (``decks.quiz``): the questions the session asks in the room (``decks.questions``),
each with its answer shown on a click (the default), the questions alone, none, or one slide that
sends the room to ``modgen classroom``. A question too long for one slide is split: the question
alone, then its answers with the reveal."""

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


def asked_numbers(quiz) -> list[int]:
    """The numbers (in the quiz) of the questions a session asks: those marked in_room when any is."""
    marked = [n for n, q in enumerate(quiz.scored, 1) if q.in_room]
    return marked or list(range(1, len(quiz.scored) + 1))


#: The number of the question a quiz slide belongs to, in either language and in either part.
QUESTION_NUMBER = re.compile(r"^(?:Question|Vraag) (\d+) (?:of|van) \d+"
                             r"|^(?:Answers to question|Antwoorden bij vraag) (\d+)")


def question_number(slide) -> int:
    found = QUESTION_NUMBER.match(slide.shapes.title.text)
    assert found, slide.shapes.title.text
    return int(found.group(1) or found.group(2))


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "out"
    build(BuildRequest(ROOT, out, formats=["pptx"]))
    return out


def test_every_bundled_lesson_deck_asks_the_in_room_questions_each_answered_on_one_click(bundled: Path) -> None:
    """Each question the session asks in the room (the bundled quizzes mark some ``in_room``) has
    exactly one slide with the answer box and its click; no other question is on the slides."""
    course = load_course(ROOT).course
    decks = lesson_decks(bundled)
    assert len(decks) == len(course.lessons) * len(course.languages) * len(course.audiences)
    checked = 0
    for deck in decks:
        slug = deck.parent.name
        lang, audience = slug.split("-", 1)
        lesson = course.for_audience(audience).lesson(deck.stem.split("-", 1)[1])
        quiz = course.for_audience(audience).quiz_for(lesson)
        asked = asked_numbers(quiz)
        assert any(q.in_room for q in quiz.questions) and len(asked) < len(quiz.questions)  # a selection
        slides = list(Presentation(deck).slides)
        assert "answer" not in [slide_kind(s) for s in slides]  # no answer slides: the quiz no longer doubles
        questions = [s for s in slides if slide_kind(s) == "question"]
        assert sorted({question_number(s) for s in questions}) == asked, deck
        answered = [question_number(s) for s in questions if answer_shape(s) is not None]
        assert answered == asked, deck  # one reveal per asked question, in the quiz's order
        total = len(quiz.scored)  # check items (scored: false) are not the quiz's
        firsts = [s.shapes.title.text for s in questions if re.fullmatch(r"(Question|Vraag) \d+ (of|van) \d+",
                                                                        s.shapes.title.text)]
        word = "Question" if lang == "en" else "Vraag"
        assert firsts == [f"{word} {n} {'of' if lang == 'en' else 'van'} {total}" for n in asked], firsts
        for slide in questions:
            shape = answer_shape(slide)
            if shape is None:
                continue
            assert click_targets(slide) == [shape.shape_id], deck
            assert re.match(r"^(Answer|Answers|Antwoord|Antwoorden): [A-Z0-9–, ]+$", shape.text_frame.text)
        for slide in slides:
            if answer_shape(slide) is None:
                assert slide._element.find(qn("p:timing")) is None  # nothing else waits for a click
        # The quiz's first slide tells the trainer what the self-check quiz keeps for later.
        more = total - len(asked)
        assert (f"The self-check quiz holds {more} more" if lang == "en" else f"De zelftoets bevat er nog {more}") \
            in notes_text(questions[0])
        checked += len(answered)
    assert checked == sum(len(asked_numbers(course.for_audience(a.id).quiz_for(l)))
                          for a in course.audiences for l in course.for_audience(a.id).lessons) * len(course.languages)


def test_a_question_too_long_for_one_slide_is_the_question_then_its_answers(bundled: Path) -> None:
    """A question stays whole on its slide, its type down to 20 pt at the least; one too long even
    then is split by meaning: the question alone (read aloud), then its answers with the reveal on
    the last of their slides; every part at body size."""
    split = 0
    for deck in lesson_decks(bundled):
        slides = [s for s in Presentation(deck).slides if slide_kind(s) == "question"]
        for n in sorted({question_number(s) for s in slides}):
            parts = [s for s in slides if question_number(s) == n]
            if len(parts) == 1:
                continue
            split += 1
            stem, answers = parts[0], parts[1:]
            assert answer_shape(stem) is None and [answer_shape(s) is not None for s in answers][-1]
            assert re.search(r"^(Read the question aloud|Lees de vraag voor)", notes_text(stem), re.M)
            assert all(re.match(r"^(Answers to question|Antwoorden bij vraag) \d+", s.shapes.title.text)
                       for s in answers)
            for s in parts:
                content = next(sh for sh in s.shapes if sh.name == "Content")
                sizes = {int(r.get("sz")) for r in content._element.iter(qn("a:rPr"))}
                assert sizes and min(sizes) >= 2400, (deck.name, s.shapes.title.text, sizes)
        for s in slides:
            if sum(question_number(x) == question_number(s) for x in slides) == 1:
                content = [sh for sh in s.shapes if sh.name == "Content"]
                sizes = {int(r.get("sz")) for sh in content for r in sh._element.iter(qn("a:rPr"))}
                assert sizes and min(sizes) >= 2000, (deck.name, s.shapes.title.text, sizes)


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
    """The room sees the letters; the answer in full and the explanation are the trainer's."""
    deck = bundled / "pptx/en-enforcement" / "03-pre-activity.pptx"
    course = load_course(ROOT).course
    quiz = course.quiz_for(course.lesson("pre-activity"))
    question = quiz.questions[asked_numbers(quiz)[0] - 1]
    first = next(s for s in Presentation(deck).slides if answer_shape(s) is not None)
    notes = notes_text(first).split("\n")
    assert "Let the group answer first, then click to show the answer." in notes
    assert f"Explanation: {question.explanation.get('en')}" in notes
    right = [o for o in question.options if o.correct] if hasattr(question, "options") else []
    for option in right:
        assert any(line.startswith("Answer: ") and option.text.get("en") in line for line in notes)
        assert option.text.get("en") not in answer_shape(first).text_frame.text


def test_questions_only(course_copy, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildRequest(with_decks(course_copy, "questions"), out, formats=["pptx"]))
    slides = list(Presentation(out / "pptx/en-enforcement/01-preparation.pptx").slides)
    questions = [s for s in slides if slide_kind(s) == "question"]
    assert len(questions) == 4
    assert all(answer_shape(s) is None and s._element.find(qn("p:timing")) is None for s in questions)
    assert "Let the group answer; the answer is below, not on the slide." in notes_text(questions[0]).split("\n")
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
        assert any("http://192.168.1.20:8000/" in line for line in slide_lines(slide))  # the address's pattern


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


def in_room(course: Path, *ids: str, questions: str | None = None) -> Path:
    """Mark the questions ``ids`` of the minimal course ``in_room: true``; ``questions`` sets
    ``decks.questions``."""
    path = course / "quizzes" / "01-preparation.yaml"
    quiz = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in quiz["questions"]:
        if q["id"] in ids:
            q["in_room"] = True
    path.write_text(yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if questions is not None:
        frame = yaml.safe_load((course / "course.yaml").read_text(encoding="utf-8"))
        frame["decks"] = {"questions": questions}
        (course / "course.yaml").write_text(yaml.safe_dump(frame, allow_unicode=True), encoding="utf-8")
    return course


@pytest.mark.parametrize("questions, shown", [(None, [2, 4]), ("in-room", [2, 4]), ("all", [1, 2, 3, 4])])
def test_the_deck_asks_what_the_classroom_session_asks(course_copy, tmp_path: Path, questions, shown) -> None:
    """The in-room questions (by default) or every one (``decks.questions: all``), under their
    numbers in the quiz — the same as ``modgen classroom`` asks (with ``--all-questions`` for all)."""
    from generator.classroom.session import plan_steps

    course = in_room(course_copy("minimal"), "prep-q2", "prep-q4", questions=questions)
    out = tmp_path / "out"
    build(BuildRequest(course, out, formats=["pptx"]))
    for lang, more in (("en", "The self-check quiz holds 2 more"), ("nl", "De zelftoets bevat er nog 2")):
        slides = [s for s in Presentation(out / f"pptx/{lang}-enforcement/01-preparation.pptx").slides
                  if slide_kind(s) == "question"]
        assert sorted({question_number(s) for s in slides}) == shown
        assert [question_number(s) for s in slides if answer_shape(s) is not None] == shown
        assert (more in notes_text(slides[0])) == (shown == [2, 4])
    loaded = load_course(course).course
    lesson = loaded.lesson("preparation")
    steps = plan_steps(loaded, lesson, all_questions=questions == "all")
    assert [s.number for s in steps if s.question is not None] == shown
    deck = Presentation(out / "pptx/en-enforcement/01-preparation.pptx")
    agenda = next(s for s in deck.slides if slide_kind(s) == "agenda")
    assert "Quiz: 2 questions together – 4 min" in slide_lines(agenda)  # the plan's minutes are the marked ones'


def test_an_unknown_questions_choice_is_a_located_error(course_copy) -> None:
    course = course_copy("minimal")
    path = course / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "decks:\n  questions: some\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    result = run_modgen("validate", course)
    assert result.returncode == 1
    assert re.search(rf"^course\.yaml:{line}:\d+: .*'in-room' or 'all'", result.stderr, re.M), result.stderr
    assert "Traceback" not in result.stderr


def test_the_course_schema_offers_the_questions_choice() -> None:
    """Editors complete ``decks.questions`` from the JSON schema the model gives."""
    from generator.schema import schema_for

    questions = schema_for("course")["$defs"]["Decks"]["properties"]["questions"]
    assert questions["enum"] == ["in-room", "all"] and questions["default"] == "in-room"
