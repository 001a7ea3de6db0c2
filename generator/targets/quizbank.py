"""The quiz bank as every LMS export reads it.

QTI, Moodle XML, GIFT and SCORM all need the same flattening of the model: the quizzes in lesson
order, each question's words in one language, its answers with their feedback, identifiers that
stay the same from build to build (an LMS can tell a question it has seen before; Moodle's import
does not update by them, see ``moodle_xml``), and Moodle's grade fractions for multiple response.
It lives here once, not in every target.

Quiz texts are plain text, not markdown: each export escapes them for its own format, and runs of
whitespace (including line breaks) become one space, so every format carries exactly the same words.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from generator.model import (Course, Matching, MultipleResponse, Ordering, QuestionBase, SingleChoice, Text,
                             TrueFalse)


#: What the quiz bank reads of a lesson (``Target.lesson_fields``): its id, its title (the title of a
#: quiz that has none), which quiz it has, and its audiences (an audience's quizzes are those of its
#: lessons). Not its content: editing a lesson's text leaves the exports as they are.
LESSON_FIELDS = ("id", "title", "quiz", "audiences")


@dataclass(frozen=True)
class Answer:
    """One option of a single-choice, multiple-response or true/false question."""

    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Pair:
    """One premise of a matching question with its right response."""

    id: str
    premise: str
    response: str
    feedback: str


@dataclass(frozen=True)
class Step:
    """One item of an ordering question; steps are kept in the correct order."""

    id: str
    text: str
    feedback: str


@dataclass(frozen=True)
class BankQuestion:
    id: str
    kind: str  # one of model.QUESTION_TYPES
    stem: str
    explanation: str
    answers: tuple[Answer, ...] = ()  # single, multiple, true-false (true first)
    pairs: tuple[Pair, ...] = ()  # matching
    steps: tuple[Step, ...] = ()  # ordering, in the correct order

    @property
    def title(self) -> str:
        """A short name for LMS question lists: the stem, cut at a word near 60 characters."""
        if len(self.stem) <= 60:
            return self.stem
        return self.stem[:60].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class BankModule:
    """The quiz of one lesson."""

    id: str  # quiz id
    lesson: str
    title: str
    pass_mark: int  # percent
    questions: tuple[BankQuestion, ...]


def as_matching(q: BankQuestion, position) -> BankQuestion:
    """An ordering question as matching: each step paired with its position's name (``position(n)``,
    e.g. "Step 1"), for readers without an ordering type (GIFT, Moodle before 4.4)."""
    return BankQuestion(q.id, "matching", q.stem, q.explanation, pairs=tuple(
        Pair(s.id, s.text, position(n), s.feedback) for n, s in enumerate(q.steps, start=1)))


def words(text: Text | None, lang: str) -> str:
    """``text`` in ``lang`` with every run of whitespace made one space."""
    return " ".join(text.get(lang).split()) if text is not None else ""


def question(q: QuestionBase, lang: str) -> BankQuestion:
    common = dict(id=q.id, kind=q.kind, stem=words(q.stem, lang), explanation=words(q.explanation, lang))
    if isinstance(q, (SingleChoice, MultipleResponse, TrueFalse)):
        options = q.choices() if isinstance(q, TrueFalse) else q.options
        return BankQuestion(**common, answers=tuple(
            Answer(o.id, words(o.text, lang), o.correct, words(o.feedback, lang)) for o in options))
    if isinstance(q, Matching):
        return BankQuestion(**common, pairs=tuple(
            Pair(p.id, words(p.premise, lang), words(p.response, lang), words(p.feedback, lang)) for p in q.pairs))
    if isinstance(q, Ordering):
        return BankQuestion(**common, steps=tuple(
            Step(i.id, words(i.text, lang), words(i.feedback, lang)) for i in q.items))
    raise TypeError(f"unknown question type {type(q).__name__}")  # pragma: no cover - model is closed


def modules(course: Course, lang: str) -> list[BankModule]:
    """Every lesson's quiz, in lesson order (lessons without a quiz are left out)."""
    result = []
    for lesson in course.lessons:
        quiz = course.quiz_for(lesson)
        if quiz is None or not quiz.scored:
            continue
        title = words(quiz.title or lesson.title, lang)
        # The quiz's own questions: check items (scored: false) are asked only on the lesson page.
        result.append(BankModule(quiz.id, lesson.id, title, course.quiz_pass_mark(quiz),
                                 tuple(question(q, lang) for q in quiz.scored)))
    return result


def stable_id(*parts: str, limit: int = 100) -> str:
    """An identifier made of course ids, the same on every build.

    Joined with dots; prefixed with ``id-`` when it would start with a digit (XML names may not);
    when longer than ``limit`` (Moodle's idnumber holds 100), the tail becomes a short hash.
    """
    ident = ".".join(parts)
    if not ident[:1].isalpha():
        ident = "id-" + ident
    if len(ident) > limit:
        digest = hashlib.sha256(ident.encode()).hexdigest()[:12]
        ident = ident[: limit - 13] + "." + digest
    return ident


#: Grade fractions Moodle offers (question_bank::fraction_options_full), as percentages.
MOODLE_FRACTIONS = (100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0,
                    25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0)


def share(n: int) -> float:
    """100/n as the nearest fraction Moodle accepts (exact for n up to 10)."""
    return min(MOODLE_FRACTIONS, key=lambda f: abs(f - 100.0 / n))


def multiple_response_weights(q: BankQuestion) -> list[float]:
    """Percent per answer of a multiple-response question: the correct answers share +100, the wrong
    ones share -100, so ticking everything scores 0 rather than full marks."""
    right = sum(a.correct for a in q.answers)
    wrong = len(q.answers) - right
    return [share(right) if a.correct else -share(wrong) for a in q.answers]


def format_percent(value: float) -> str:
    """A percentage as Moodle writes it: ``50``, ``33.33333``, ``-100``."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def general_feedback_html(q: BankQuestion, *, with_parts: bool) -> str:
    """The explanation as an HTML paragraph; with ``with_parts``, followed by each pair's or step's
    feedback as a list (``<li><strong>premise</strong>: feedback</li>``) — for formats that have no
    place for per-pair feedback (Moodle matching, GIFT)."""
    from lxml.html import builder as E, tostring

    parts = [E.P(q.explanation)]
    named = [(p.premise, p.feedback) for p in q.pairs] + [(s.text, s.feedback) for s in q.steps]
    if with_parts and named:
        parts.append(E.UL(*(E.LI(E.STRONG(name), f": {feedback}") for name, feedback in named)))
    return "".join(tostring(p, encoding="unicode") for p in parts)


def html_paragraph(text: str) -> str:
    """Plain text as one HTML paragraph."""
    from lxml.html import builder as E, tostring

    return tostring(E.P(text), encoding="unicode")


def html_inline(text: str) -> str:
    """Plain text as HTML with no element around it (``&``, ``<`` and ``>`` escaped)."""
    from html import escape

    return escape(text, quote=False)
