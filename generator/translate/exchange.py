"""What the exchange formats (XLIFF, PO) share: a unit as it goes out and as it comes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Container

from generator.problems import CourseError, Problem

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


#: Units of a file that the course does not have, listed one by one (the rest are counted).
UNKNOWN_SHOWN = 20
#: Units of a file that the course does not have before reading stops: such a file is the export of
#: another course (or made to exhaust the machine), and reading on would cost time and memory for
#: units that are never imported. A course whose texts were removed since its export has a few.
MAX_UNKNOWN_UNITS = 10_000


@dataclass
class ExchangeFile:
    """The content of an exchange file: languages and units, with where each unit stands.

    ``known`` (the course's unit ids; None: every unit) decides which units are kept: a unit the
    course does not have is only counted, with the place of the first ``UNKNOWN_SHOWN``, and its
    text is never built.
    """

    path: str
    source_lang: str
    target_lang: str
    units: list[Returned] = field(default_factory=list)
    known: Container[str] | None = None
    unknown: list[tuple[str, int, int]] = field(default_factory=list)  # id, line, column of the first ones
    unknown_count: int = 0

    def wants(self, unit_id: str, line: int, column: int) -> bool:
        """Whether to read unit ``unit_id`` (at ``line``:``column``); counts it when it is not in the
        course, and stops reading (:class:`ExchangeError`) after ``MAX_UNKNOWN_UNITS`` such units."""
        if self.known is None or unit_id in self.known:
            return True
        self.unknown_count += 1
        if len(self.unknown) < UNKNOWN_SHOWN:
            self.unknown.append((unit_id, line, column))
        if self.unknown_count > MAX_UNKNOWN_UNITS:
            raise ExchangeError(self.unknown_problems() + [Problem(
                self.path, line, column, f"more than {MAX_UNKNOWN_UNITS:,} units of the file are not in the course; "
                                         "reading stopped and nothing was imported",
                "is this the export of another course? export this course again")])
        return False

    def unknown_problems(self) -> list[Problem]:
        """The units not in the course: the first ``UNKNOWN_SHOWN`` located, then how many more."""
        shown = [Problem(self.path, line, column, f"unit '{uid}' is not in the course (removed or renamed since the "
                                                  "export?); not imported") for uid, line, column in self.unknown]
        more = self.unknown_count - len(shown)
        if more > 0:
            line, column = self.unknown[-1][1:]
            shown.append(Problem(self.path, line, column, f"… and {more:,} more units not in the course; not imported"))
        return shown


class ExchangeError(CourseError):
    """The file cannot be imported at all; carries every problem found, located in it."""
