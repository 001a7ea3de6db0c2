"""The classroom session in minutes: each module's timed parts, and the breaks between modules.

One plan serves every output that shows time — the facilitator guide's session plan, the agendas
and break slides of the decks — and the checks that warn when it cannot be run as written, so the
times a trainer reads in one place are the times everywhere.

A module's parts are, in the order they are run: the content notice (sensitive modules), its
sections, its discussion, each case, the quiz questions asked in the room, and the summary. Parts
keep the minutes their author gave them; the rest of the module's duration is shared evenly
between the parts without minutes. When the given minutes do not fit, every part is scaled in
proportion and the plan says so (``ModulePlan.scaled``; ``validate`` warns).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Sequence

from generator.i18n import Catalog, interface_languages
from generator.model import Course, DiscussionPrompt, Lesson, QuestionBase, Quiz, Section, SessionBreak, Text, Vignette

text = Catalog("session")

#: The least time per question that group work needs, by the number of participants: (up to this
#: many participants, minutes per discussion prompt, minutes per question of a case). The reasons
#: are in docs/authoring.md ("Timing a session"): a plenary discussion needs time for several
#: voices, and more people raise more hands; a case is read and worked in small groups of four to
#: six, and every group reports back, so a larger room has more groups to hear.
MINIMUMS: tuple[tuple[int | None, int, int], ...] = (
    (12, 2, 3),
    (24, 3, 3),
    (None, 4, 4),
)


def minimum_minutes(group_size: int) -> tuple[int, int]:
    """Minutes per discussion prompt and per case question for a group of ``group_size``."""
    for most, discussion, case in MINIMUMS:
        if most is None or group_size <= most:
            return discussion, case
    raise AssertionError("the last row of MINIMUMS has no upper bound")  # pragma: no cover


def each_language(key: str, **values: object) -> Text:
    """A label of this catalogue as text in every supported language; ``Text`` values are taken
    in the same language."""
    return Text({lang: text(key, lang, **{k: v.get(lang) if isinstance(v, Text) else v
                                           for k, v in values.items()})
                 for lang in interface_languages() if text.get(key, lang) is not None})


@dataclass(frozen=True)
class Slot:
    """One timed part of a module: the notice, a section, the discussion, a case, the quiz, the close."""

    label: Text
    start: int  # minutes from the start of the session
    minutes: int
    section: Section | None = None
    activity: str | None = None  # "notice", "discussion", "vignette", "quiz", "close"
    vignette: Vignette | None = None
    given: int | None = None  # the minutes the author (or the session settings) gave it

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Break:
    """A break after a module."""

    start: int
    minutes: int
    title: Text
    notes: Text | None = None
    listed: SessionBreak | None = None  # the entry of ``session.breaks``; None: by the rule

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class ModulePlan:
    """One module in the session plan; its slots fill exactly ``minutes``."""

    number: int
    lesson: Lesson
    start: int
    minutes: int  # the module's duration for the audience planned for
    slots: list[Slot]
    planned: int  # minutes given to parts explicitly
    scaled: bool  # True when those minutes did not fit the duration
    pause: Break | None = None  # the break that follows the module
    unplanned: int = 0  # minutes no part was given, left to a closing slot

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def next_start(self) -> int:
        """Where the next module starts: after this one and its break."""
        return self.pause.end if self.pause else self.end

    @property
    def untimed(self) -> int:
        """Parts that got a share of the remaining time rather than minutes of their own."""
        return sum(1 for s in self.slots if s.given is None)

    def slot_for(self, section: Section) -> Slot:
        return next(s for s in self.slots if s.section is section)


def apportion(weights: Sequence[float], total: int) -> list[int]:
    """Whole minutes in proportion to ``weights`` that add up to exactly ``total``.

    Largest-remainder rounding; ties go to the earlier item, so the result is deterministic.
    """
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    shares = [w * total / sum(weights) for w in weights]
    whole = [math.floor(s) for s in shares]
    left = total - sum(whole)
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - whole[i]), i))
    for i in order[:left]:
        whole[i] += 1
    return whole


def discussion_minutes(prompts: Sequence[DiscussionPrompt]) -> int | None:
    """The discussion's minutes when every prompt has its own, else None (it shares the rest)."""
    if prompts and all(p.minutes for p in prompts):
        return sum(p.minutes for p in prompts)  # type: ignore[misc]
    return None


def visible(items: Sequence[Any], audience: str | None) -> list[Any]:
    """The items of a lesson that ``audience`` sees (all of them for None: a course already
    narrowed with ``Course.for_audience``, or a build for every audience)."""
    return [item for item in items if item.is_for(audience)]


def asked_in_room(quiz: Quiz | None, all_questions: bool = False) -> list[tuple[int, QuestionBase]]:
    """The questions a session asks in the room, each with its number in the quiz: those marked
    ``in_room: true`` when the quiz marks any — the plan's minutes are theirs, the rest is left to
    the self-check quiz — else, or with ``all_questions``, every question. The decks and the live
    classroom session both ask these, so a trainer showing one and running the other reads the
    same questions under the same numbers."""
    numbered = list(enumerate(quiz.scored if quiz is not None else [], 1))
    if not all_questions and any(q.in_room for _, q in numbered):
        numbered = [(n, q) for n, q in numbered if q.in_room]
    return numbered


def duration(lesson: Lesson, audience: str | None) -> int:
    """The module's minutes for ``audience`` (``Course.for_audience`` sets the same)."""
    return (lesson.durations or {}).get(audience, lesson.duration) if audience else lesson.duration


def _parts(course: Course, lesson: Lesson, audience: str | None) -> list[tuple[Text, int | None, Section | None,
                                                                            str | None, Vignette | None]]:
    """(label, given minutes, section, activity, vignette) of every part of ``lesson``, in order."""
    parts: list[tuple[Text, int | None, Section | None, str | None, Vignette | None]] = []
    session = course.session
    if lesson.sensitive and session.notice_minutes:
        parts.append((text.text("slot_notice"), session.notice_minutes, None, "notice", None))
    parts += [(s.title, s.minutes, s, None, None) for s in visible(lesson.sections, audience)]
    prompts = visible(lesson.discussion, audience)
    if prompts:
        n = len(prompts)
        label = each_language("slot_discussion_n", n=n) if n > 1 else text.text("slot_discussion")
        parts.append((label, discussion_minutes(prompts), None, "discussion", None))
    parts += [(each_language("slot_vignette", title=v.title), v.minutes, None, "vignette", v)
              for v in visible(lesson.vignettes, audience)]
    quiz = course.quiz_for(lesson)
    questions = visible(quiz.scored, audience) if quiz is not None else []
    if questions:
        asked = sum(1 for q in questions if q.in_room)
        if asked:
            parts.append((each_language("slot_quiz_in_room", n=asked, total=len(questions)),
                          asked * session.question_minutes, None, "quiz", None))
        else:
            parts.append((text.text("slot_quiz"), None, None, "quiz", None))
    if lesson.takeaways:
        parts.append((text.text("slot_close"), None, None, "close", None))
    return parts


def plan_module(course: Course, lesson: Lesson, number: int, start: int, audience: str | None = None) -> ModulePlan:
    """The timed parts of one module, filling exactly its duration — as ``audience`` sees the
    module, when the course is not narrowed to it already.

    Parts keep their given minutes when everything fits; the rest of the module's time is shared
    evenly between the parts without minutes, or given to a closing slot when there are none.
    When the given minutes do not fit, every part is scaled in proportion and the plan says so.
    """
    length = duration(lesson, audience)
    parts = _parts(course, lesson, audience)
    given = [p[1] for p in parts]
    flexible = given.count(None)
    planned = sum(m for m in given if m)
    remaining = length - planned
    unplanned = 0
    if flexible == 0 and remaining > 0:
        parts.append((text.text("slot_close"), None, None, "close", None))
        given.append(None)
        flexible, unplanned = 1, remaining
    fits = remaining >= flexible and (flexible > 0 or remaining == 0)
    if fits:
        shares = iter(apportion([1] * flexible, remaining))
        minutes = [m if m else next(shares) for m in given]
    else:
        nominal = planned / max(1, len(given) - given.count(None)) if planned else 1
        minutes = apportion([m if m else nominal for m in given], length)
    slots, clock = [], start
    for (label, kept, section, activity, vignette), part in zip(parts, minutes):
        slots.append(Slot(label, clock, part, section, activity, vignette, kept))
        clock += part
    return ModulePlan(number, lesson, start, length, slots, planned, not fits, unplanned=unplanned)


def break_after(course: Course, lesson: Lesson, last: bool) -> SessionBreak | None:
    """The break that follows ``lesson`` in ``course`` (as one audience sees it): the one listed
    after it, else the rule's for a sensitive module; none after the ``last`` module — the
    session ends there. Reads only ``course.yaml`` and the lesson, so a lesson's own deck may
    show it."""
    if last:
        return None
    session = course.session
    listed = next((b for b in session.breaks if b.after == lesson.id), None)
    if listed is not None:
        return listed
    if lesson.sensitive and session.break_after_sensitive:
        return SessionBreak(after=lesson.id, minutes=session.break_after_sensitive)
    return None


def session_plan(course: Course, audience: str | None = None) -> list[ModulePlan]:
    """Every module of ``course`` in order, each with the break after it (if any), each starting
    where the previous one and its break end. With ``audience``, the session that audience gets
    from a course not narrowed to it (the checks plan every audience's session this way, without
    copying the course)."""
    plans, clock = [], 0
    lessons = [lesson for lesson in course.lessons if lesson.is_for(audience)]
    for number, lesson in enumerate(lessons, start=1):
        plan = plan_module(course, lesson, number, clock, audience)
        chosen = break_after(course, lesson, number == len(lessons))
        if chosen is not None:
            listed = chosen if any(b is chosen for b in course.session.breaks) else None
            plan = replace(plan, pause=Break(plan.end, chosen.minutes, chosen.title or text.text("break"),
                                             chosen.notes, listed))
        plans.append(plan)
        clock = plan.next_start
    return plans


def session_minutes(plan: Sequence[ModulePlan]) -> int:
    """The length of the whole session: every module and every break."""
    return plan[-1].next_start - plan[0].start if plan else 0


def clock(minutes: int) -> str:
    """Elapsed time as ``h:mm`` (the same in every language)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def wall_clock(course: Course, minutes: int) -> str:
    """``minutes`` into the session as the time of day ``HH:MM`` when the course gives
    ``session.start``, else as elapsed time (:func:`clock`)."""
    start = course.session.start_minutes()
    if start is None:
        return clock(minutes)
    at = (start + minutes) % (24 * 60)
    return f"{at // 60:02d}:{at % 60:02d}"
