"""A classroom session in memory: the steps of one lesson, who joined, and the answers so far.

Nothing here does input or output but :func:`write_results`, which the trainer asks for: answers
live in this object for as long as the server runs and are gone when it stops. Participants are
known by a random id (their browser keeps it in a cookie); the results export holds counts only.
The server runs everything on one event loop, so a session is never changed by two callers at once.
"""

from __future__ import annotations

from typing import Any

from datetime import datetime
import io
import secrets
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from generator import spreadsheet
from generator.files import replace_file
from generator.model import (Course, DiscussionPrompt, Lesson, Matching, MultipleResponse, Ordering, QuestionBase,
                             Scale, Text, Vignette)
from generator.session import asked_in_room
from generator.classroom.words import WordFilter
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
    scale: Scale | None = None
    before: int | None = None  # a scale asked again at the end: the index of its step at the start
    figure: Any = None  # a section's picture or chart on the projector (``figures``; kind ``figure``)

    @property
    def answerable(self) -> bool:
        """Answered on the phones by picking: a question's options, a matching question's
        letter for each numbered premise, a scale's points."""
        return self.kind in ("question", "matching", "scale")

    @property
    def revealable(self) -> bool:
        return self.kind in ("question", "matching", "group-question", "scale")

    @property
    def open_answers(self) -> bool:
        """The room may type short answers (held for the trainer to show)."""
        return self.kind == "discussion"

    @property
    def multiple(self) -> bool:
        """More than one choice per answer: a multiple-response question, a matching question."""
        return isinstance(self.question, (MultipleResponse, Matching))


def _choices(question: QuestionBase) -> tuple[Choice, ...]:
    # The one shown order (generator/shuffle.py), so a trainer who shows the deck and runs the
    # session at once reads the same letter for the same answer.
    options = shown_options(question)
    return tuple(Choice(o.id, chr(ord("A") + i), o.text, o.correct, o.feedback) for i, o in enumerate(options))


def plan_steps(course: Course, lesson: Lesson, *, all_questions: bool = False, figures: bool = False) -> list[Step]:
    """The lesson's steps in the order of its deck: discussion, case studies, quiz; then the summary.

    The quiz's questions are those the session plan asks in the room (``in_room: true``) when the
    quiz marks any — the rest is left to the self-check quiz, as the plan's minutes assume — or
    every question when it marks none or ``all_questions`` is asked for. A question keeps its
    number in the quiz, so it reads as on the deck."""
    kinds: list[dict] = [dict(kind="start")]
    if figures:  # the lesson's pictures and charts, to talk about on the projector
        from generator.figures import section_figures

        kinds += [dict(kind="figure", figure=f) for s in lesson.sections for f in section_figures(s)]
    kinds += [dict(kind="scale", scale=x, choices=_points(x)) for x in lesson.scales if x.ask in ("start", "both")]
    kinds += [dict(kind="discussion", prompt=p) for p in lesson.discussion]
    kinds += [dict(kind="vignette", vignette=v) for v in lesson.vignettes]
    quiz = course.quiz_for(lesson)
    total = len(quiz.scored) if quiz is not None else 0
    for n, question in asked_in_room(quiz, all_questions):
        if isinstance(question, Matching):
            kinds.append(dict(kind="matching", question=question, number=n, total=total,
                              choices=_match_choices(question)))
        elif isinstance(question, Ordering):
            kinds.append(dict(kind="group-question", question=question, number=n, total=total))
        else:
            kinds.append(dict(kind="question", question=question, number=n, total=total,
                              choices=_choices(question)))
    first = {k["scale"].id: i for i, k in enumerate(kinds) if k["kind"] == "scale"}
    kinds += [dict(kind="scale", scale=x, choices=_points(x), before=first.get(x.id) if x.ask == "both" else None)
              for x in lesson.scales if x.ask in ("end", "both")]
    kinds.append(dict(kind="summary"))
    return [Step(index=i, **k) for i, k in enumerate(kinds)]


def _match_choices(question: Matching) -> tuple[Choice, ...]:
    """A matching question as choices: one for every (numbered premise, lettered response); a
    phone picks one per premise. The id is ``premise>response``; the letter ``1-C``, as said aloud."""
    responses = shown_responses(question)  # the deck's letters
    letters = {p.id: chr(ord("A") + i) for i, p in enumerate(responses)}
    return tuple(Choice(f"{premise.id}>{response.id}", f"{n}-{letters[response.id]}", response.room_response_text,
                        premise.id == response.id, premise.feedback)
                 for n, premise in enumerate(question.pairs, 1) for response in responses)


def _points(scale: Scale) -> tuple[Choice, ...]:
    """A scale's points as choices: "1" to "n", none of them correct."""
    empty = Text({})
    return tuple(Choice(str(n), str(n), Text({}), False, empty) for n in range(1, scale.points + 1))


class Verdict(Enum):
    """What became of an answer; anything but ``ACCEPTED`` leaves the session as it was."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # this participant has answered this question already
    LATE = "late"  # not the current step, or its answer has been shown
    INVALID = "invalid"  # not a question, or choices the question does not have
    BLOCKED = "blocked"  # a word of the filter's list
    TOO_MANY = "too_many"  # more texts than one participant may send here


@dataclass
class Words:
    """An open answer typed on a phone: held until the trainer shows it. The author is kept only
    to limit how many one person sends and to take theirs away when the trainer removes them."""

    id: str
    step: int
    text: str
    author: str
    shown: bool = False


@dataclass
class RoomQuestion:
    """A question to the trainer, anonymous to everyone: held until the trainer shows it to the
    room (``shown``), then upvoted; the trainer may hide it again or mark it answered."""

    id: str
    text: str
    author: str
    status: str = "held"  # held | shown | hidden | answered
    voters: set[str] = field(default_factory=set)

    @property
    def votes(self) -> int:
        return len(self.voters)


@dataclass
class Participant:
    id: str
    nickname: str
    answers: dict[int, tuple[str, ...]] = field(default_factory=dict)  # step index → choice ids
    address: str = ""  # where it joined from (for the per-address limit; never stored or shown)
    handle: int = 0  # "participant 12" on the trainer's console: a number, not the secret id


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


#: Characters of an open answer and of a question to the trainer: a few words, a sentence.
MAX_WORDS = 140
MAX_QUESTION = 240
WORDS_PER_STEP = 3  # open answers one participant may send on one discussion step
QUESTIONS_PER_PARTICIPANT = 5


def clean_text(value: str, limit: int) -> str:
    """Typed text as kept: printable characters only, single spaces, at most ``limit`` long."""
    printable = "".join(c if c.isprintable() else " " for c in value)
    return " ".join(printable.split())[:limit]


class Session:
    """One running session of one lesson."""

    def __init__(self, course: Course, lesson: Lesson, lang: str, audience: str | None, *,
                 code: str | None = None, trainer_token: str | None = None, all_questions: bool = False,
                 figures: bool = False):
        self.course = course
        self.lesson = lesson
        self.lang = lang
        self.audience = audience
        self.steps = plan_steps(course, lesson, all_questions=all_questions, figures=figures)
        self.code = code or "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        self.trainer_token = trainer_token or secrets.token_urlsafe(24)
        self.current = 0
        self.revealed: set[int] = set()
        self.participants: dict[str, Participant] = {}
        self.started = datetime.now()
        self.filter = WordFilter(course.classroom.blocked_words)
        self.locked = False  # the trainer has closed the door: no new participants
        self.removed: set[str] = set()  # ids of participants the trainer removed
        self.words: dict[str, Words] = {}
        self.questions: dict[str, RoomQuestion] = {}
        self.cloud = False  # open answers on the projector as a word cloud rather than a list
        self.questions_on_screen = False  # the room's questions on the projector instead of the step
        self.timer_end: float | None = None  # time.monotonic() at which the step's timer runs out
        self._serial = 0
        self._joined = 0
        self.connected_at: dict[int, int] = {}  # step index → the most connected while it was shown

    # --- who is in ---------------------------------------------------------------------------

    def code_matches(self, code: str) -> bool:
        return secrets.compare_digest(code.strip().encode(), self.code.encode())

    def token_matches(self, token: str) -> bool:
        return secrets.compare_digest(token.encode(), self.trainer_token.encode())

    @property
    def full(self) -> bool:
        return len(self.participants) >= MAX_PARTICIPANTS

    def nickname_allowed(self, nickname: str) -> bool:
        return self.filter.allows(clean_nickname(nickname))

    def join(self, nickname: str = "", address: str = "") -> Participant:
        self._joined += 1
        participant = Participant(secrets.token_urlsafe(16), clean_nickname(nickname), address=address,
                                  handle=self._joined)
        self.participants[participant.id] = participant
        return participant

    def remove(self, participant_id: str) -> Participant | None:
        """Take a participant out: their answers, texts and votes go with them."""
        participant = self.participants.pop(participant_id, None)
        if participant is None:
            return None
        self.removed.add(participant_id)
        self.words = {k: w for k, w in self.words.items() if w.author != participant_id}
        self.questions = {k: q for k, q in self.questions.items() if q.author != participant_id}
        for question in self.questions.values():
            question.voters.discard(participant_id)
        return participant

    def _next_id(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}{self._serial}"

    # --- the room's own words ----------------------------------------------------------------

    def add_words(self, participant: Participant, step_index: int, typed: str) -> tuple[Verdict, Words | None]:
        """An open answer to the discussion step on the screen, held for the trainer."""
        if not 0 <= step_index < len(self.steps) or not self.steps[step_index].open_answers:
            return Verdict.INVALID, None
        if step_index != self.current:
            return Verdict.LATE, None
        text = clean_text(typed, MAX_WORDS)
        if not text:
            return Verdict.INVALID, None
        if sum(1 for w in self.words.values() if w.author == participant.id and w.step == step_index) >= WORDS_PER_STEP:
            return Verdict.TOO_MANY, None
        if not self.filter.allows(text):
            return Verdict.BLOCKED, None
        words = Words(self._next_id("w"), step_index, text, participant.id)
        self.words[words.id] = words
        return Verdict.ACCEPTED, words

    def words_for(self, step: Step, *, shown_only: bool = False) -> list[Words]:
        return [w for w in self.words.values() if w.step == step.index and (w.shown or not shown_only)]

    def ask(self, participant: Participant, typed: str) -> tuple[Verdict, RoomQuestion | None]:
        """A question to the trainer, held until the trainer shows it."""
        text = clean_text(typed, MAX_QUESTION)
        if not text:
            return Verdict.INVALID, None
        if sum(1 for q in self.questions.values() if q.author == participant.id) >= QUESTIONS_PER_PARTICIPANT:
            return Verdict.TOO_MANY, None
        if not self.filter.allows(text):
            return Verdict.BLOCKED, None
        question = RoomQuestion(self._next_id("q"), text, participant.id)
        self.questions[question.id] = question
        return Verdict.ACCEPTED, question

    def upvote(self, participant: Participant, question_id: str) -> Verdict:
        question = self.questions.get(question_id)
        if question is None or question.status != "shown":
            return Verdict.INVALID
        if participant.id in question.voters:
            return Verdict.DUPLICATE
        question.voters.add(participant.id)
        return Verdict.ACCEPTED

    def shown_questions(self) -> list[RoomQuestion]:
        """The questions the room sees, most votes first (the oldest first among equals)."""
        shown = [q for q in self.questions.values() if q.status == "shown"]
        return sorted(shown, key=lambda q: (-q.votes, int(q.id[1:])))

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
        if step.kind == "matching":  # one letter for every premise, no more, no fewer
            premises = [c.split(">", 1)[0] for c in picked]
            if sorted(premises) != sorted(p.id for p in step.question.pairs):
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
        writer = spreadsheet.writer(out)  # course texts and the room's words: no cell may be a formula
        writer.writerow(RESULTS_COLUMNS)
        lang = self.lang
        date = self.started.date().isoformat()
        for step in self.steps:
            connected = self.connected_at.get(step.index, "")
            head = [date, self.lesson.id, step.index + 1]
            question = step.question
            if step.kind == "scale":
                tally = self.tally(step)
                kind = "scale-end" if self.scale_phase(step) == "end" else "scale-start"
                ends = {"1": _plain(step.scale.low, lang), str(step.scale.points): _plain(step.scale.high, lang)}
                for choice in step.choices:
                    writer.writerow(head + [kind, "", step.scale.id, _plain(step.scale.statement, lang), choice.letter,
                                            choice.id, ends.get(choice.id, ""), "", tally.counts[choice.id],
                                            tally.answered, connected])
            elif step.answerable:
                tally = self.tally(step)
                for choice in step.choices:
                    writer.writerow(head + [question.kind, step.number, question.id, _plain(question.stem, lang),
                                            choice.letter, choice.id, _plain(choice.text, lang),
                                            "yes" if choice.correct else "no", tally.counts[choice.id],
                                            tally.answered, connected])
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
        """Rows of the open answers the trainer showed on ``step``, when asked for."""
        if not open_answers or not step.open_answers:
            return []
        prompt = _plain(step.prompt.prompt, self.lang)
        return [["open-answer", "", step.prompt.id, prompt, "", words.id, words.text, "", "", ""]
                for words in self.words_for(step, shown_only=True)]

    def scale_phase(self, step: Step) -> str:
        """``start`` or ``end``: where in the session a scale step is asked."""
        first = next(i for i, s in enumerate(self.steps) if s.kind == "scale" and s.scale.id == step.scale.id)
        return "start" if step.index == first and step.before is None and step.scale.ask != "end" else "end"

    def mean(self, step: Step) -> float | None:
        """The mean point of a scale step's answers, None before any."""
        tally = self.tally(step)
        if not tally.answered:
            return None
        return sum(int(point) * n for point, n in tally.counts.items()) / tally.answered


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
    # On disk before it takes the old file's place; with the user's normal mode.
    replace_file(path, data.encode("utf-8"), sync=True)
