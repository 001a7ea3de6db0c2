"""Review metadata as a check: overdue reviews (``modgen validate``) and release readiness
(``modgen build --release``).

A lesson without a ``review:`` block of its own is governed by the course's: a team that reviews
the whole course at once writes one block in ``course.yaml``.
"""

from __future__ import annotations

import datetime
import os
import re

from generator.governance import BadToday
from generator.model import Course, Lesson, Review
from generator.problems import Problem

#: Set to ``YYYY-MM-DD`` to check review dates against another day than today (tests, or an
#: author asking "what will be overdue on the day of the course?").
TODAY_VARIABLE = "MODGEN_TODAY"


def today() -> datetime.date:
    """The day review dates are checked against: ``$MODGEN_TODAY`` when set, else the real date."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return datetime.date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadToday(f"{TODAY_VARIABLE}={value!r} is not a date written YYYY-MM-DD") from None


def governing_review(course: Course, lesson: Lesson) -> Review | None:
    """The review block that governs ``lesson``: its own, else the course's."""
    return lesson.review if lesson.review is not None else course.review


def overdue(course: Course, on: datetime.date | None = None) -> list[Problem]:
    """A warning at the ``next_review`` value of every review block whose date has passed on ``on``
    (default: :func:`today`)."""
    on = on or today()
    found = []
    blocks = [("the course", course.review)] + [(f"lesson '{l.id}'", l.review) for l in course.lessons]
    for what, review in blocks:
        if review is not None and review.next_review is not None and review.next_review < on:
            found.append(review.problem(
                f"review of {what} is overdue: next_review {review.next_review.isoformat()} has passed "
                f"(today is {on.isoformat()})", "next_review",
                "check it against the sources, then set 'reviewed' and a new 'next_review'",
                at_value=True).as_warning())
    return found


def release_problems(course: Course, on: datetime.date | None = None) -> list[Problem]:
    """Why ``course`` may not be released on ``on``: every lesson must be governed by an approved
    review whose ``next_review`` has not passed; the course's own review block, when it has one,
    too. Each problem points at the value to change."""
    on = on or today()
    problems = []
    if course.review is not None:
        problems += _refusals(course.review, "the course", on)
    for lesson in course.lessons:
        review = governing_review(course, lesson)
        if review is None:
            problems.append(lesson.problem(
                f"lesson '{lesson.id}' has no review: a release needs every lesson approved", "id",
                "add a 'review:' block with 'status: approved' to the lesson or to course.yaml"))
        elif review is lesson.review:
            problems += _refusals(review, f"lesson '{lesson.id}'", on)
    return sorted(problems)


def _refusals(review: Review, what: str, on: datetime.date) -> list[Problem]:
    found = []
    if review.status != "approved":
        if "status" in review.model_fields_set:
            found.append(review.problem(f"{what} is a draft: a release needs status 'approved'", "status",
                                        "have it approved, then set 'status: approved' and 'approved_by'",
                                        at_value=True))
        else:
            found.append(review.problem(f"{what} is a draft (its review has no 'status: approved')", None,
                                        "have it approved, then set 'status: approved' and 'approved_by'"))
    if review.next_review is not None and review.next_review < on:
        found.append(review.problem(
            f"{what} is overdue for review: next_review {review.next_review.isoformat()} has passed "
            f"(today is {on.isoformat()})", "next_review", "review it before releasing", at_value=True))
    return found
