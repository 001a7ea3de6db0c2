"""Speaker notes, agendas and break slides, read back from the decks with python-pptx: every slide a
trainer speaks to has notes, no note repeats its label, breaks are slides of their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation

from generator.build import BuildRequest, build
from generator.loader.load import load_course
from generator.session import clock, session_plan
from tests.bad_inputs.catalogue import replace
from tests.conftest import FIXTURES, ROOT
from tests.targets.test_deck import notes_text, slide_kind, slide_lines


@pytest.fixture(scope="module")
def bundled_decks(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled-decks") / "out"
    build(BuildRequest(ROOT, out, formats=["pptx"]))
    return out


def decks(out: Path) -> list[Path]:
    found = sorted(out.glob("pptx/*/*.pptx"))
    assert found
    return found


#: The start of a note line: its number ("2. "), then a label — a few words and a colon.
_LABEL = re.compile(r"(?:\d+\.\s+)?((?:[^\W\d][\w'-]*)(?: [\w'-]+){0,5}):\s+")


def repeated_label(line: str) -> str | None:
    """The labels of ``line`` when one label follows another that shares a word with it
    ("Richting voor het gesprek: Richting: …"), else None. A label that follows another is at
    most three words (a longer one is a sentence with a colon: "A good discussion sees two
    sides: …"). Words are compared by their first five letters, and only words of five letters or
    more (short ones are function words)."""
    labels, rest = [], line
    while (found := _LABEL.match(rest)) is not None and (not labels or len(found.group(1).split()) <= 3):
        labels.append(found.group(1))
        rest = rest[found.end():]
    for first, second in zip(labels, labels[1:]):
        stems = [{w[:5] for w in re.findall(r"\w{5,}", label.lower())} for label in (first, second)]
        if stems[0] & stems[1]:
            return f"{first}: {second}:"
    return None


def test_the_label_check_sees_a_repeated_label() -> None:
    """A control, so that a pass below means something."""
    assert repeated_label("1. Richting voor het gesprek: Richting: woorden sturen hoe collega's ...") == (
        "Richting voor het gesprek: Richting:")
    assert repeated_label("Debrief: Debrief: the case shows ...")
    assert repeated_label("Explanation: Explanations: ...")
    assert repeated_label("1. Richting voor het gesprek: Voor: ze zijn schaars") is None  # "voor" is short
    assert repeated_label("Nabespreking: Spoor 2 hoort bij de voorbereidingsfase") is None
    assert repeated_label("Time: 4 minutes.") is None
    assert repeated_label("Where the discussion should go: A good discussion sees two sides: members") is None


def test_every_slide_but_a_section_divider_has_notes(bundled_decks: Path) -> None:
    """Done when of issue 21: every slide of every bundled deck that is not a section divider
    has non-empty speaker notes (all languages, audiences, module decks and the course deck)."""
    missing = []
    kinds = set()
    for path in decks(bundled_decks):
        for number, slide in enumerate(Presentation(path).slides, 1):
            kind = slide_kind(slide)
            kinds.add(kind)
            if kind != "section" and not notes_text(slide).strip():
                missing.append(f"{path.relative_to(bundled_decks)} slide {number} ({kind}): "
                               f"{slide.shapes.title.text}")
    assert missing == []
    # the kinds the issue names are really there
    assert {"objectives", "agenda", "summary", "sources", "break", "section"} <= kinds


def test_no_note_of_any_bundled_deck_repeats_its_label(bundled_decks: Path) -> None:
    found = []
    for path in decks(bundled_decks):
        for slide in Presentation(path).slides:
            for line in notes_text(slide).split("\n"):
                if (labels := repeated_label(line)) is not None:
                    found.append(f"{path.relative_to(bundled_decks)}: {slide.shapes.title.text}: {labels}")
    assert found == []


def agenda_lines(slides: list) -> list[str]:
    """The lines of a deck's first agenda and of the slides it continues on (a long agenda is
    split so that no slide carries more than 60 words)."""
    first = next(i for i, s in enumerate(slides) if slide_kind(s) == "agenda")
    lines = []
    for slide in slides[first:]:
        if slide_kind(slide) != "agenda" or (slide is not slides[first] and "(" not in slide.shapes.title.text):
            break
        lines += slide_lines(slide)
    return lines


def test_agenda_and_break_slides_follow_the_session_plan(bundled_decks: Path) -> None:
    course = load_course(ROOT).course
    for lang in course.languages:
        for audience in course.audiences:
            view = course.for_audience(audience.id)
            plan = session_plan(view)
            slides = list(Presentation(bundled_decks / f"pptx/{lang}-{audience.id}/course.pptx").slides)
            agenda = next(s for s in slides if slide_kind(s) == "agenda")
            lines = agenda_lines(slides)
            breaks = [m.pause for m in plan if m.pause]
            # The day's agenda: a row per module with its break beside it, the close, under a heading.
            assert len(lines) == 1 + len(plan) + 1
            assert sum(1 for line in lines if line.split(" | ")[-1]) == len(breaks) + 1
            assert view.session.notes.get(lang) in notes_text(agenda)  # what to say about the day
            shown = [s for s in slides if slide_kind(s) == "break"]
            assert [s.shapes.title.text for s in shown] == [
                f"{m.pause.title.get(lang)} ({clock(m.pause.start)}–{clock(m.pause.end)})" for m in plan if m.pause]
            for module in plan:
                if module.pause is None:
                    continue
                # the break slide comes right after the module's last slide, before the next section
                at = next(i for i, s in enumerate(slides) if s.shapes.title.text.startswith(
                    module.pause.title.get(lang) + f" ({clock(module.pause.start)}"))
                assert slide_kind(slides[at + 1]) == "section"
                assert notes_text(slides[at]).strip()
                deck = next((bundled_decks / f"pptx/{lang}-{audience.id}").glob(
                    f"{module.number:02d}-{module.lesson.id}.pptx"))
                last = list(Presentation(deck).slides)[-1]
                assert slide_kind(last) == "break" and last.shapes.title.text == module.pause.title.get(lang)
                assert agenda_lines(list(Presentation(deck).slides))[-1].startswith(module.pause.title.get(lang) + " – ")


def test_an_author_s_own_notes_replace_the_written_ones(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    replace("modules/01-preparation.yaml", "quiz: preparation\n", "quiz: preparation\nnotes:\n"
            "  objectives: {nl: Eigen leerdoelen., en: Own objectives.}\n"
            "  agenda: {nl: Eigen agenda., en: Own agenda.}\n"
            "  summary: {nl: Eigen samenvatting., en: Own summary.}\n"
            "  sources: {nl: Eigen bronnen., en: Own sources.}\n")(root)
    replace("course.yaml", "  group_size: 8\n", "  group_size: 8\n  notes: {nl: Eigen dag., en: Own day.}\n")(root)
    out = tmp_path / "out"
    build(BuildRequest(root, out, formats=["pptx"], languages=["en"], audiences=["enforcement"]))
    lesson = {slide_kind(s): notes_text(s) for s in Presentation(out / "pptx/en-enforcement/01-preparation.pptx").slides}
    assert lesson["objectives"] == "Own objectives."
    assert lesson["agenda"] == "Own agenda.\nDuration: 30 minutes."
    assert lesson["summary"] == "Own summary.\nTime: 3 minutes."
    assert lesson["sources"] == "Own sources."
    front = next(s for s in Presentation(out / "pptx/en-enforcement/course.pptx").slides if slide_kind(s) == "agenda")
    assert notes_text(front) == "Own day.\nDuration: 60 minutes."
    # without them, the notes are written from the lesson
    plain = tmp_path / "plain"
    build(BuildRequest(FIXTURES / "minimal", plain, formats=["pptx"], languages=["en"], audiences=["enforcement"]))
    written = {slide_kind(s): notes_text(s) for s in Presentation(plain / "pptx/en-enforcement/01-preparation.pptx").slides}
    assert written["objectives"].startswith("Read out the learning objectives")
    assert "Own" not in "".join(written.values())


def test_in_room_questions_are_marked_in_their_notes(bundled_decks: Path, course_copy, tmp_path: Path) -> None:
    """The deck asks the questions planned for the room; with ``decks.questions: all`` it shows
    the others too, and their notes say they are left to the self-check quiz."""
    from tests.targets.test_deck_quiz import in_room, question_number

    course = load_course(ROOT).course
    quiz = course.quiz_for(course.lesson("preparation"))
    slides = [s for s in Presentation(bundled_decks / "pptx/en-enforcement/02-preparation.pptx").slides
              if slide_kind(s) == "question"]
    assert {question_number(s) for s in slides} == {n for n, q in enumerate(quiz.questions, 1) if q.in_room}
    assert all("Planned for the room (2 minutes)." in notes_text(s) for s in slides
               if "(continued" not in s.shapes.title.text)  # a continuation's notes say only that it is one
    every = in_room(course_copy("minimal"), "prep-q2", questions="all")
    out = tmp_path / "out"
    build(BuildRequest(every, out, formats=["pptx"], languages=["en"], audiences=["enforcement"]))
    slides = [s for s in Presentation(out / "pptx/en-enforcement/01-preparation.pptx").slides
              if slide_kind(s) == "question"]
    assert [question_number(s) for s in slides] == [1, 2, 3, 4]
    for slide in slides:
        planned = "Planned for the room (2 minutes)." in notes_text(slide)
        skipped = "Not planned for the room" in notes_text(slide)
        assert (planned, skipped) == (question_number(slide) == 2, question_number(slide) != 2)


def test_the_written_notes_exist_in_dutch_and_english() -> None:
    """The deck's and the session plan's words: complete in both languages, with the same
    placeholders, and really translated (the load of the deck target does not import them, so
    the test of every catalogue would not see them)."""
    from string import Formatter

    from generator.session import text as session_text
    from generator.targets.deck.plan import ui

    for catalogue in (ui, session_text):
        assert catalogue.missing() == []
        for key, texts in catalogue.strings.items():
            fields = [{name for _, name, _, _ in Formatter().parse(texts[lang]) if name} for lang in ("nl", "en")]
            assert fields[0] == fields[1], key
    for key in ("objectives_notes", "summary_notes", "sources_notes", "break_notes", "day_notes", "day_care",
                "module_notes", "interventions_notes", "discussion_notes", "vignette_notes", "not_in_room"):
        assert ui.strings[key]["nl"] != ui.strings[key]["en"], key
