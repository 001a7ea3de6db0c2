"""A classroom session in memory: the steps of one lesson, who joined, and the answers so far.

Nothing here does input or output but :func:`write_results`, which the trainer asks for: answers
live in this object for as long as the server runs and are gone when it stops. Participants are
known by a random id (their browser keeps it in a cookie); the results export holds counts only.
The server runs everything on one event loop, so a session is never changed by two callers at once.
"""

from __future__ import annotations

import csv
from datetime import datetime
import io
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from generator.model import (Course, DiscussionPrompt, Lesson, Matching, MultipleResponse, Ordering, QuestionBase,
                             Text, Vignette)
from generator.session import asked_in_room
from generator.shuffle import shown_options, shown_responses, shown_steps

CODE_DIGITS = 6
MAX_NICKNAME = 30
#: Beyond this many participants a join is refused: memory stays bounded whoever knocks.
MAX_PARTICIPANTS = 500


@dataclass(frozen=True)
class Choice:
    """One answer a participant can pick, lettered as on the deck's question slide."""

    id: str
    letter: str
    text: Text
    correct: bool
    feedback: Text


@dataclass(frozen=True)
class Step:
    """One screen of the session.

    ``kind`` is ``start`` (join code and QR), ``question`` (participants answer on their phones),
    ``group-question`` (matching and ordering: answered together, aloud), ``discussion``,
    ``vignette`` or ``summary``.
    """

    index: int
    kind: str
    question: QuestionBase | None = None
    number: int = 0  # the question's number in the quiz
    total: int = 0  # the number of questions in the quiz ("Question 3 of 10", as on the deck)
    choices: tuple[Choice, ...] = ()
    prompt: DiscussionPrompt | None = None
    vignette: Vignette | None = None

    @property
    def answerable(self) -> bool:
        return self.kind == "question"

    @property
    def revealable(self) -> bool:
        return self.kind in ("question", "group-question")

    @property
    def multiple(self) -> bool:
        return isinstance(self.question, MultipleResponse)


def _choices(question: QuestionBase) -> tuple[Choice, ...]:
    # The one shown order (generator/shuffle.py), so a trainer who shows the deck and runs the
    # session at once reads the same letter for the same answer.
    options = shown_options(question)
    return tuple(Choice(o.id, chr(ord("A") + i), o.text, o.correct, o.feedback) for i, o in enumerate(options))


def plan_steps(course: Course, lesson: Lesson, *, all_questions: bool = False) -> list[Step]:
    """The lesson's steps in the order of its deck: discussion, case studies, quiz; then the summary.

    The quiz's questions are those the session plan asks in the room (``in_room: true``) when the
    quiz marks any — the rest is left to the self-check quiz, as the plan's minutes assume — or
    every question when it marks none or ``all_questions`` is asked for. A question keeps its
    number in the quiz, so it reads as on the deck."""
    kinds: list[dict] = [dict(kind="start")]
    kinds += [dict(kind="discussion", prompt=p) for p in lesson.discussion]
    kinds += [dict(kind="vignette", vignette=v) for v in lesson.vignettes]
    quiz = course.quiz_for(lesson)
    total = len(quiz.questions) if quiz is not None else 0
    for n, question in asked_in_room(quiz, all_questions):
        if isinstance(question, (Matching, Ordering)):
            kinds.append(dict(kind="group-question", question=question, number=n, total=total))
        else:
            kinds.append(dict(kind="question", question=question, number=n, total=total,
                              choices=_choices(question)))
    kinds.append(dict(kind="summary"))
    return [Step(index=i, **k) for i, k in enumerate(kinds)]


class Verdict(Enum):
    """What became of an answer; anything but ``ACCEPTED`` leaves the session as it was."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # this participant has answered this question already
    LATE = "late"  # not the current step, or its answer has been shown
    INVALID = "invalid"  # not a question, or choices the question does not have


@dataclass
class Participant:
    id: str
    nickname: str
    answers: dict[int, tuple[str, ...]] = field(default_factory=dict)  # step index → choice ids


@dataclass(frozen=True)
class Tally:
    """The answers to one question: how many answered, and how many picked each choice."""

    answered: int
    counts: dict[str, int]
    right: int  # answers that were wholly right

    def share(self, n: int) -> int:
        return round(100 * n / self.answered) if self.answered else 0


def clean_nickname(value: str) -> str:
    """A nickname as shown: printable characters only, single spaces, at most MAX_NICKNAME long."""
    printable = "".join(c if c.isprintable() else " " for c in value)
    return " ".join(printable.split())[:MAX_NICKNAME]


class Session:
    """One running session of one lesson."""

    def __init__(self, course: Course, lesson: Lesson, lang: str, audience: str | None, *,
                 code: str | None = None, trainer_token: str | None = None, all_questions: bool = False):
        self.course = course
        self.lesson = lesson
        self.lang = lang
        self.audience = audience
        self.steps = plan_steps(course, lesson, all_questions=all_questions)
        self.code = code or "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        self.trainer_token = trainer_token or secrets.token_urlsafe(24)
        self.current = 0
        self.revealed: set[int] = set()
        self.participants: dict[str, Participant] = {}
        self.started = datetime.now()
        self.connected_at: dict[int, int] = {}  # step index → the most connected while it was shown

    # --- who is in ---------------------------------------------------------------------------

    def code_matches(self, code: str) -> bool:
        return secrets.compare_digest(code.strip().encode(), self.code.encode())

    def token_matches(self, token: str) -> bool:
        return secrets.compare_digest(token.encode(), self.trainer_token.encode())

    @property
    def full(self) -> bool:
        return len(self.participants) >= MAX_PARTICIPANTS

    def join(self, nickname: str = "") -> Participant:
        participant = Participant(secrets.token_urlsafe(16), clean_nickname(nickname))
        self.participants[participant.id] = participant
        return participant

    def participant(self, participant_id: str | None) -> Participant | None:
        return self.participants.get(participant_id) if participant_id else None

    def nicknames(self) -> list[str]:
        return sorted((p.nickname for p in self.participants.values() if p.nickname), key=str.casefold)

    # --- moving through the steps ------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.steps[self.current]

    def next(self) -> bool:
        if self.current + 1 >= len(self.steps):
            return False
        self.current += 1
        return True

    def previous(self) -> bool:
        if self.current == 0:
            return False
        self.current -= 1
        return True

    def reveal(self) -> bool:
        if not self.step.revealable or self.current in self.revealed:
            return False
        self.revealed.add(self.current)
        return True

    def is_revealed(self, step: Step) -> bool:
        return step.index in self.revealed

    # --- answers -----------------------------------------------------------------------------

    def answer(self, participant: Participant, step_index: int, choice_ids: list[str]) -> Verdict:
        """Record ``participant``'s answer to step ``step_index``, once, while it is open."""
        if not 0 <= step_index < len(self.steps) or not self.steps[step_index].answerable:
            return Verdict.INVALID
        step = self.steps[step_index]
        known = {c.id for c in step.choices}
        picked = tuple(dict.fromkeys(choice_ids))
        if not picked or not set(picked) <= known or (len(picked) > 1 and not step.multiple):
            return Verdict.INVALID
        if step_index in participant.answers:
            return Verdict.DUPLICATE
        if step_index != self.current or step_index in self.revealed:
            return Verdict.LATE
        participant.answers[step_index] = tuple(c.id for c in step.choices if c.id in picked)
        return Verdict.ACCEPTED

    def answered(self, step: Step) -> int:
        return sum(1 for p in self.participants.values() if step.index in p.answers)

    def answered_ids(self, step: Step) -> set[str]:
        return {p.id for p in self.participants.values() if step.index in p.answers}

    def tally(self, step: Step) -> Tally:
        counts = {c.id: 0 for c in step.choices}
        right_answer = tuple(c.id for c in step.choices if c.correct)
        answered = right = 0
        for participant in self.participants.values():
            picked = participant.answers.get(step.index)
            if picked is None:
                continue
            answered += 1
            right += picked == right_answer
            for choice_id in picked:
                counts[choice_id] += 1
        return Tally(answered, counts, right)

    # --- the export the trainer may ask for --------------------------------------------------

    def note_connected(self, n: int) -> None:
        """The number of participants connected now, kept per step as the most while it was shown."""
        self.connected_at[self.current] = max(n, self.connected_at.get(self.current, 0))

    def results_csv(self, *, open_answers: bool = False) -> str:
        """The session as it went so far, one row per option of every question asked (matching
        pairs and ordering items too, whose counts are blank: the room answers them aloud): the
        texts as shown, the counts, and how many were connected. No participant, no nickname, no
        order of answering; the room's own words only when ``open_answers``."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(RESULTS_COLUMNS)
        lang = self.lang
        date = self.started.date().isoformat()
        for step in self.steps:
            connected = self.connected_at.get(step.index, "")
            head = [date, self.lesson.id, step.index + 1]
            question = step.question
            if step.answerable:
                tally = self.tally(step)
                for choice in step.choices:
                    writer.writerow(head + [question.kind, step.number, question.id, _plain(question.stem, lang),
                                            choice.letter, choice.id, _plain(choice.text, lang),
                                            "yes" if choice.correct else "no", tally.counts[choice.id],
                                            tally.answered, connected])
            elif isinstance(question, Matching):
                responses = shown_responses(question)  # the letters on the screen
                letters = {p.id: chr(ord("A") + i) for i, p in enumerate(responses)}
                for n, pair in enumerate(question.pairs, 1):
                    writer.writerow(head + [question.kind, step.number, question.id, _plain(question.stem, lang),
                                            f"{n}-{letters[pair.id]}", pair.id,
                                            f"{_plain(pair.room_premise_text, lang)} → "
                                            f"{_plain(pair.room_response_text, lang)}",
                                            "yes", "", "", connected])
            elif isinstance(question, Ordering):
                shown = shown_steps(question)
                letters = {x.id: chr(ord("A") + i) for i, x in enumerate(shown)}
                for n, item in enumerate(question.items, 1):
                    writer.writerow(head + [question.kind, step.number, question.id, _plain(question.stem, lang),
                                            f"{n}-{letters[item.id]}", item.id, _plain(item.room_text, lang),
                                            "yes", "", "", connected])
            for row in self.extra_results(step, open_answers):
                writer.writerow(head + row + [connected])
        return out.getvalue()

    def extra_results(self, step: Step, open_answers: bool) -> list[list]:
        """Rows of the room's own words and scales for ``step`` (none yet on this step)."""
        return []


RESULTS_COLUMNS = ["date", "lesson", "step", "kind", "question", "question_id", "text", "option", "option_id",
                   "option_text", "correct", "count", "answered", "connected"]


def _plain(value: Text | None, lang: str) -> str:
    """A text as one line of plain words: markdown's emphasis and links' targets dropped."""
    import re

    text = value.get(lang) if value is not None else ""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text or "")
    return " ".join(re.sub(r"[*_`]+", "", text).split())


def write_results(session: Session, path: Path, *, open_answers: bool = False) -> None:
    """Write the results so far to ``path`` in one step: a reader — or a session killed in the
    middle of a write — never leaves half a file. The file is replaced, not appended to, so a step
    the trainer returns to is counted once."""
    path = Path(path)
    data = session.results_csv(open_answers=open_answers)
    fd, tmp = tempfile.mkstemp(prefix=".classroom-", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())  # on disk before it takes the old file's place
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
