"""Deterministic shuffling: options and matching responses appear in a mixed order that is the
same on every build (same input, same bytes), but differs from the order authors wrote — authors
tend to write the right answer first.
"""

from __future__ import annotations

import hashlib
from typing import Sequence, TypeVar

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
