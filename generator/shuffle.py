"""Deterministic shuffling: options and matching responses appear in a mixed order that is the
same on every build (same input, same bytes), but differs from the order authors wrote — authors
tend to write the right answer first.

There is one shown order per question, for every output that shows it: the deck, the classroom
session, the paper quiz, its answer key, the facilitator guide, the site's first attempt and the
exports. A trainer who marks paper quizzes from the deck's answer, or reads out the guide's key
while the room answers on the classroom screen, must find the same letter everywhere. The order is
seeded with the question's id alone (unique across the course), so it does not depend on which
file, quiz or output asks it. :func:`shown_options`, :func:`shown_responses` and
:func:`shown_steps` are that order; outputs call them and never ``stable_shuffle`` themselves.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Sequence, TypeVar

if TYPE_CHECKING:
    from generator.model import Matching, Option, OrderItem, Ordering, Pair

T = TypeVar("T")


def stable_shuffle(items: Sequence[T], *seed: str) -> list[T]:
    """``items`` (each with an ``id``) in an order fixed by ``seed`` and the ids.

    When the mixed order happens to equal the written order of three or more items, it is rotated
    by one, so a key written in order never comes out in order.
    """
    prefix = "\0".join(seed)

    def key(item: T) -> str:
        return hashlib.sha256(f"{prefix}\0{getattr(item, 'id')}".encode()).hexdigest()

    mixed = sorted(items, key=key)
    if len(mixed) >= 3 and [getattr(i, "id") for i in mixed] == [getattr(i, "id") for i in items]:
        mixed = mixed[1:] + mixed[:1]
    return mixed


def _never_written(items: Sequence[T], seed: str) -> list[T]:
    """``stable_shuffle``, and never the written order even for two items: responses or steps
    shown in the order of the key (1–A, 2–B, or a sequence already in order) give it away."""
    mixed = stable_shuffle(items, seed)
    if len(mixed) >= 2 and [getattr(m, "id") for m in mixed] == [getattr(i, "id") for i in items]:
        mixed = mixed[1:] + mixed[:1]
    return mixed


def shown_options(question: Any) -> "list[Option]":
    """The options of a single-choice, multiple-response or true/false question in the order every
    output shows (and letters) them: true before false, as every paper test prints it; the others
    mixed."""
    from generator.model import TrueFalse

    if isinstance(question, TrueFalse):
        return question.choices()
    return stable_shuffle(question.options, question.id)


def shown_responses(question: "Matching") -> "list[Pair]":
    """The responses of a matching question in their shown (lettered) order."""
    return _never_written(question.pairs, question.id)


def shown_steps(question: "Ordering") -> "list[OrderItem]":
    """The steps of an ordering question in their shown (lettered) order, never already solved."""
    return _never_written(question.items, question.id)
