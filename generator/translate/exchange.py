"""What the exchange formats (XLIFF, PO) share: a unit as it goes out and as it comes back."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.problems import CourseError

#: A file from a translator is read whole before anything is written; larger than this is not a
#: course's translation (the bundled course's XLIFF is about 1 MB).
MAX_EXCHANGE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Outgoing:
    """A unit as exported: ``state`` is 'initial' (to translate, or to review because its source
    changed) or 'translated'."""

    id: str
    file: str
    line: int
    source: str
    target: str
    state: str
    context: str
    max_length: int | None
    markdown: bool


@dataclass(frozen=True)
class Returned:
    """A unit as a translator's tool sends it back. ``done`` is false for a unit the translator
    left as needing work (PO ``fuzzy``, XLIFF ``state="initial"`` or no state)."""

    id: str
    source: str
    target: str
    done: bool
    line: int
    column: int


@dataclass
class ExchangeFile:
    """The content of an exchange file: languages and units, with where each unit stands."""

    path: str
    source_lang: str
    target_lang: str
    units: list[Returned] = field(default_factory=list)


class ExchangeError(CourseError):
    """The file cannot be imported at all; carries every problem found, located in it."""
