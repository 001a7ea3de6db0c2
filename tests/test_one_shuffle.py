"""One shuffle for every output (issue 30): a trainer who marks paper quizzes from the deck's
answer, or reads the guide's key while the room answers in the classroom session, must find the
same letter for the same answer.

The bundled course is built once into every output that shows letters (deck, paper quiz, answer
key, facilitator guide) and the site (which shows the same order without letters); each output's
answer is read back from the files as its user sees them, next to the classroom session's.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from pptx import Presentation

from generator.classroom.serve import choose
from generator.classroom.session import Session
from generator.loader.load import load_course
from generator.model import Course, Matching, Ordering
from tests.conftest import ROOT, run_modgen

BUILDS = ("nl-enforcement", "en-prevention")
QUESTION_DIV = re.compile(r'data-question="([^"]+)" data-kind="[^"]+">(.*?)(?=data-question="|\Z)', re.S)
ANSWER_LINE = re.compile(r"^(?:Antwoord|Antwoorden|Answer|Answers): (.+)$")
NUMBER = re.compile(r"(\d+)")


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(ROOT).course


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one-shuffle")
    langs = ",".join(sorted({b.split("-")[0] for b in BUILDS}))
    audiences = ",".join(sorted({b.split("-")[1] for b in BUILDS}))
    run_modgen("build", ROOT, "-o", out, "-q", "--lang", langs, "--audience", audiences,
               "--format", "pptx,print-quiz,answer-key,facilitator-guide,site", check=True)
    return out


def scored(quiz) -> list:
    """The quiz's own questions, numbered as the outputs number them."""
    return [q for q in quiz.questions if getattr(q, "scored", True)]


def letters_of(positions: list[int]) -> str:
    return " ".join(chr(ord("A") + p) for p in positions)


def answer_in(question, order: list[str]) -> str:
    """The key as the answer key writes it, from the ids of ``question``'s answers in shown order:
    the right letters; for matching, the letter of each premise's response; for ordering, the
    letters in the right order."""
    if isinstance(question, Matching):
        return letters_of([order.index(p.id) for p in question.pairs])
    if isinstance(question, Ordering):
        return letters_of([order.index(x.id) for x in question.items])
    options = question.choices() if question.kind == "true-false" else question.options
    return letters_of(sorted(order.index(o.id) for o in options if o.correct))


def keyed(html: str) -> dict[str, str]:
    """question id → the letters of its ``data-answer`` (answer key, guide)."""
    found = {}
    for qid, body in QUESTION_DIV.findall(html):
        answer = re.search(r'data-answer="([^"]*)"', body)
        if answer:
            found[qid] = answer.group(1)
    return found


def test_every_output_shows_the_same_letters(course: Course, out: Path) -> None:
    questions = {q.id: q for quiz in course.quizzes for q in quiz.questions}
    for build in BUILDS:
        lang, audience = build.split("-")
        key = keyed((out / "answer-key" / build / "answer-key.html").read_text(encoding="utf-8"))
        narrowed = course.for_audience(audience)
        # Check items (scored: false) are asked only on the lesson page, with no letters.
        expected = {q.id for quiz in narrowed.quizzes for q in scored(quiz)}
        assert set(key) == expected, build

        guide = keyed((out / "facilitator-guide" / build / "facilitator-guide.html").read_text(encoding="utf-8"))
        assert guide and guide == {q: key[q] for q in guide}, build

        paper = (out / "print-quiz" / build / "quiz.html").read_text(encoding="utf-8")
        on_paper = {}
        for qid, body in QUESTION_DIV.findall(paper):
            shown = sorted(re.findall(r'data-choice="([^"]+)" data-letter="([A-Z])"', body), key=lambda c: c[1])
            on_paper[qid] = answer_in(questions[qid], [choice for choice, _ in shown])
        assert on_paper == key, build

        site = {}
        for page in (out / "site" / build).glob("quiz-*.html"):
            data = re.search(r'<script type="application/json" id="modgen-data">(.*?)</script>',
                             page.read_text(encoding="utf-8"), re.S)
            for q in json.loads(data.group(1))["quiz"]["questions"]:
                site[q["id"]] = answer_in(questions[q["id"]], q["order"])
        assert site == key, build

        on_deck = {}
        for lesson_number, lesson in enumerate(narrowed.lessons, start=1):
            quiz = narrowed.quiz_for(lesson)
            deck = next((out / "pptx" / build).glob(f"{lesson_number:02d}-*.pptx"))
            for slide in Presentation(str(deck)).slides:
                lines = [p.text for shape in slide.shapes if shape.has_text_frame
                         for p in shape.text_frame.paragraphs]
                answer = next((m.group(1) for m in map(ANSWER_LINE.match, lines) if m), None)
                if answer is None:
                    continue
                n, total = map(int, NUMBER.findall(slide.shapes.title.text)[:2])
                assert total == len(scored(quiz)), (build, slide.shapes.title.text)  # check items are not counted
                question = scored(quiz)[n - 1]
                letters = re.findall(r"–([A-Z])" if isinstance(question, Matching) else r"\b([A-Z])\b", answer)
                on_deck[question.id] = " ".join(letters)
        assert on_deck and on_deck == {q: key[q] for q in on_deck}, build

        # The classroom session's data, as the trainer exports it (its results CSV): a row per
        # option, "n-L" per premise (matching) or place (ordering) and letter; the right ones say yes.
        in_class: dict[str, str] = {}
        for lesson in narrowed.lessons:
            chosen, chosen_lesson, lang_, audience_ = choose(course, lesson.id, lang, audience)
            rows = list(csv.DictReader(io.StringIO(Session(chosen, chosen_lesson, lang_, audience_).results_csv())))
            for row in rows:
                if row["correct"] == "yes":
                    letter = row["option"].split("-")[-1]
                    in_class[row["question_id"]] = (in_class.get(row["question_id"], "") + " " + letter).strip()
        assert in_class and in_class == {q: key[q] for q in in_class}, build
        # The deck and the session ask the same questions in the room.
        assert set(in_class) == set(on_deck), build
