"""Problems an author can cause, reported as data: ``path:line:column: message``.

Every check in the loader and in the cross-file checks produces :class:`Problem` values instead of
raising; they are collected, sorted by file and line, and printed together (as MkDocs does with its
configuration errors), so an author fixes everything in one round. Only internal bugs are
tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a course file, with where it is."""

    path: str
    line: int
    column: int
    message: str
    hint: str | None = field(default=None, compare=False)
    severity: Severity = field(default=Severity.ERROR, compare=False)
    #: Whether ``--strict`` makes this warning an error. Advice an author can act on over time (a
    #: section's slide points) may stay a warning while a course is being brought up to it.
    strict: bool = field(default=True, compare=False)

    def format(self) -> str:
        """One line. Invisible characters quoted from a course file are shown as ``\\uXXXX``: a
        message must never carry a line break or a terminal escape sequence from hostile input."""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        text = f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)

    def as_warning(self, strict: bool = True) -> "Problem":
        return Problem(self.path, self.line, self.column, self.message, self.hint, Severity.WARNING, strict)


class CourseError(Exception):
    """Raised when a course cannot be used; carries every problem found, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(p.format() for p in self.problems))


def display_path(path: Path, root: Path | None) -> str:
    """The path as the author knows it: relative to the course directory when it is inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
