"""Item analysis of the course's questions from what LMSs recorded (``modgen report``).

Results come in as files an LMS exports (``generator.report.readers``): Moodle's quiz
"Responses" CSV, a SCORM interactions CSV, xAPI statements as JSON. Each becomes a list of
:class:`Response` — one learner's answer to one question in one attempt — judged against the
course's own answer key, so every format is scored the same way. Per question this module then
works out

- attempts: how many attempts answered it (a learner's first answer per attempt counts; later
  tries within the same attempt, which SCORM journals, are left out);
- facility: the share of those answers that were right;
- discrimination: the point-biserial correlation between the question's score (0/1) and the
  rest of the attempt's score (the other questions answered right in that attempt), as Moodle's
  quiz statistics compute their discrimination index — corrected, so a question does not
  correlate with itself. Empty when either side does not vary;
- the distractor that drew the most wrong answers: a wrong option (choice, true/false), a wrong
  pairing (matching), or the most common wrong order (ordering);

and flags the usual bounds: facility below 0.2 (too hard, or a wrong key) or above 0.95 (too
easy to tell anything), discrimination below 0.2 (the learners who do well overall do not do
better on it), each with the question's place in its YAML file. ``generator.report.render``
writes the table as CSV and HTML.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass, field

from generator.model import Course, QuestionBase
from generator.problems import Problem

LOW_FACILITY = 0.2
HIGH_FACILITY = 0.95
LOW_DISCRIMINATION = 0.2


@dataclass(frozen=True, slots=True)  # slots: a large export holds a million of them
class Response:
    attempt: str  # who and which attempt, unique across the input files
    question: str
    answer: object  # option ids; matching: premise id → pair id
    correct: bool


@dataclass
class ItemStats:
    question: QuestionBase
    quiz: str
    attempts: int = 0
    correct: int = 0
    discrimination: float | None = None
    #: answer → how many chose it (for the chart): option ids, "premise>pair", or an order "a,b,c"
    chosen: Counter = field(default_factory=Counter)
    distractor: str | None = None  # a key of ``chosen``
    distractor_count: int = 0

    @property
    def facility(self) -> float | None:
        return self.correct / self.attempts if self.attempts else None

    def flags(self) -> list[str]:
        found = []
        if self.facility is not None and self.facility < LOW_FACILITY:
            found.append("facility-low")
        if self.facility is not None and self.facility > HIGH_FACILITY:
            found.append("facility-high")
        if self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
            found.append("discrimination-low")
        return found

    def location(self) -> str:
        p: Problem = self.question.problem("")
        return f"{p.path}:{p.line}:{p.column}"


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r; None when either list does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _keys(question: QuestionBase, answer: object) -> list[str]:
    """What a response counts for in the distribution: each option chosen, each pairing, or the order."""
    if question.kind == "matching":
        return [f"{p}>{r}" for p, r in sorted(answer.items())] if isinstance(answer, dict) else []
    if question.kind == "ordering":
        return [",".join(answer)]
    return list(answer)


def _wrong_keys(question: QuestionBase, answer: object) -> list[str]:
    """The parts of a wrong response that made it wrong."""
    if question.kind == "matching":
        return [f"{p}>{r}" for p, r in sorted(answer.items()) if p != r]
    if question.kind == "ordering":
        return [",".join(answer)]
    if question.kind == "true-false":
        return list(answer)
    right = {o.id for o in question.options if o.correct}
    return [a for a in answer if a not in right]


def analyse(course: Course, responses: list[Response]) -> list[ItemStats]:
    """The statistics of every question of ``course`` (in course order), from ``responses``."""
    questions = {q.id: (quiz.id, q) for quiz in course.quizzes for q in quiz.questions}
    first: dict[tuple[str, str], Response] = {}
    for r in responses:
        first.setdefault((r.attempt, r.question), r)
    totals: Counter = Counter()
    for r in first.values():
        totals[r.attempt] += r.correct
    stats = {qid: ItemStats(q, quiz) for qid, (quiz, q) in questions.items()}
    # Arrays, not lists of floats: a large export has a million scores (8 bytes each, not 32).
    scores: dict[str, tuple[array, array]] = {qid: (array("d"), array("d")) for qid in questions}
    wrong: dict[str, Counter] = {qid: Counter() for qid in questions}
    for r in first.values():
        item = stats[r.question]
        item.attempts += 1
        item.correct += r.correct
        item.chosen.update(_keys(item.question, r.answer))
        xs, ys = scores[r.question]
        xs.append(float(r.correct))
        ys.append(float(totals[r.attempt] - r.correct))
        if not r.correct:
            wrong[r.question].update(_wrong_keys(item.question, r.answer))
    for qid, item in stats.items():
        item.discrimination = correlation(*scores[qid])
        if wrong[qid]:
            # Ties go to the key that sorts first, so the same input gives the same report.
            item.distractor, item.distractor_count = min(wrong[qid].items(), key=lambda kv: (-kv[1], kv[0]))
    return list(stats.values())
