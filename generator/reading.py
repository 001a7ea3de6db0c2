"""How long a learner on their own takes: from the words they read and the questions they answer.

A lesson's ``duration`` is classroom time — the minutes of a day with a group, discussions and
group work included — and stays in the facilitator guide and the decks. Someone working through
the self-study site alone reads the lesson page, answers its checks, thinks over its reflection
questions and takes the quiz; that takes as long as the text is long. This module estimates it:

- **reading**: the words on the lesson page a learner reads (summary, objectives, sections, key
  facts and tables, intervention points, cases with their questions and learner text, reflection
  prompts with their learner text, takeaways) at :data:`WORDS_PER_MINUTE`;
- **questions**: each in-lesson check and each quiz question — its stem, options, explanation
  and the feedback on one answer read at that rate — plus :data:`ANSWER_MINUTES` to choose;
- **thinking**: :data:`THINK_MINUTES` for each reflection prompt and each question on a case.

``WORDS_PER_MINUTE`` is 200: adults read non-fiction silently at about 240 words a minute in
English (Brysbaert, 2019, *Journal of Memory and Language* 109, meta-analysis of 190 studies:
238 wpm), and reading to learn and remember — Carver's "learning" process — runs slower, about 200.
Dutch text has fewer, longer words and reads at a similar pace in words per minute, so one rate
serves both. Trainer text (notes, guidance, debriefs) is not read by a learner and not counted.

The estimate is shown on the site (per module, per quiz and for the course) and written into the
SCORM manifests (LOM ``typicalLearningTime``) and the cmi5 AU's description.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from generator.model import Course, Lesson, Quiz, Text

WORDS_PER_MINUTE = 200
ANSWER_MINUTES = 0.5
THINK_MINUTES = 1.0

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def words(text: "Text | str | None", lang: str) -> int:
    """The number of words in ``text`` (markdown syntax and link addresses not counted)."""
    if text is None:
        return 0
    value = text if isinstance(text, str) else text.get(lang)
    value = re.sub(r"\]\([^)]*\)", "]", value)  # a link's address is not read
    return len(_WORD.findall(value))


def _question_words(q, lang: str) -> int:
    from generator.model import Matching, Ordering, TrueFalse

    n = words(q.stem, lang) + words(q.explanation, lang)
    if isinstance(q, Matching):
        n += sum(words(p.premise, lang) + words(p.response, lang) for p in q.pairs)
        n += max((words(p.feedback, lang) for p in q.pairs), default=0) * len(q.pairs)
    elif isinstance(q, Ordering):
        n += sum(words(i.text, lang) + words(i.feedback, lang) for i in q.items)
    else:
        options = q.choices() if isinstance(q, TrueFalse) else q.options
        n += sum(words(o.text, lang) for o in options)
        n += max((words(o.feedback, lang) for o in options), default=0)  # the feedback on one answer
    return n


def question_minutes(questions: list, lang: str) -> float:
    return sum(_question_words(q, lang) / WORDS_PER_MINUTE + ANSWER_MINUTES for q in questions)


def lesson_words(lesson: "Lesson", lang: str) -> int:
    """The words a learner reads on the lesson page (not its quiz, not trainer text)."""
    n = words(lesson.title, lang) + words(lesson.summary, lang)
    n += sum(words(o.text, lang) for o in lesson.objectives)
    n += sum(words(s.title, lang) + words(s.body, lang) for s in lesson.sections)
    n += sum(words(f.text, lang) for f in lesson.facts)
    for table in lesson.tables:
        n += words(table.caption, lang) + words(table.note, lang) + sum(words(c, lang) for c in table.columns)
        n += sum(words(cell, lang) if not isinstance(cell, (int, float)) else 1 for row in table.rows for cell in row)
    n += sum(words(p.text, lang) for p in lesson.interventions)
    for v in lesson.vignettes:
        n += words(v.title, lang) + words(v.text, lang) + words(v.reflection, lang)
        n += sum(words(q, lang) for q in v.questions)
    n += sum(words(d.prompt, lang) + words(d.reflection, lang) for d in lesson.discussion)
    n += sum(words(t, lang) for t in lesson.takeaways)
    return n


def lesson_minutes(lesson: "Lesson", quiz: "Quiz | None", lang: str) -> int:
    """Minutes for the lesson page alone: reading, its in-lesson checks, thinking over its
    reflection questions. Whole minutes, rounded up; at least one."""
    checks = [q for q in quiz.questions if q.check_at] if quiz is not None else []
    thinking = THINK_MINUTES * (len(lesson.discussion) + sum(len(v.questions) for v in lesson.vignettes))
    total = lesson_words(lesson, lang) / WORDS_PER_MINUTE + question_minutes(checks, lang) + thinking
    return max(1, math.ceil(total))


def quiz_minutes(quiz: "Quiz | None", lang: str) -> int:
    """Minutes for the lesson's quiz (its scored questions), rounded up; 0 without a quiz."""
    if quiz is None or not quiz.scored:
        return 0
    return max(1, math.ceil(question_minutes(quiz.scored, lang)))


def module_minutes(course: "Course", lesson: "Lesson", lang: str) -> int:
    """The lesson page and its quiz."""
    quiz = course.quiz_for(lesson)
    return lesson_minutes(lesson, quiz, lang) + quiz_minutes(quiz, lang)


def course_minutes(course: "Course", lang: str) -> int:
    """Every module of ``course`` (narrowed to an audience) with its quiz."""
    return sum(module_minutes(course, lesson, lang) for lesson in course.lessons)


def iso_duration(minutes: int) -> str:
    """``PT1H50M``: an ISO 8601 duration, as LOM's typicalLearningTime wants it."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")
