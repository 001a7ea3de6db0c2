"""Problems an author can cause, reported as data: ``path:line:column: message``.

Every check in the loader and in the cross-file checks produces :class:`Problem` values instead of
raising; they are collected, sorted by file and line, and printed together (as MkDocs does with its
configuration errors), so an author fixes everything in one round. Only internal bugs are
tracebacks.
"""

from __future__ import annotations

import re
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


#: The line breaks YAML counts (PyYAML's marks): a line number means the same line here.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
#: How much of a long line an excerpt shows, around the column.
_EXCERPT_WIDTH = 100
#: Problems shown with their line; past these, the one-line form keeps the output short.
MAX_EXCERPTS = 10


def excerpt(problem: Problem, root: Path | None, _lines: dict | None = None) -> list[str]:
    """The line ``problem`` points at, with a caret under its column, as rustc and Quarto show
    it — the author sees the spot without counting lines::

           22 |         text: {nl: Nee, en: No}
              |                             ^

    Empty when the file cannot be read (a problem about the course as a whole, a file gone).
    ``_lines`` caches each file's lines across the problems of one report.
    """
    from generator import limits

    path = Path(problem.path)
    candidates = [path] if path.is_absolute() else ([root / path] if root is not None else []) + [path]
    cache = _lines if _lines is not None else {}
    lines = None
    for file in candidates:
        if file in cache:
            lines = cache[file]
            break
        try:
            # Quote only what the author wrote: never through a link, never a file outside the
            # course (a hostile course's link to a secret would otherwise be echoed into a log).
            if file.is_symlink() or (root is not None and not path.is_absolute()
                                     and not file.resolve().is_relative_to(root.resolve())):
                continue
            if file.is_file() and file.stat().st_size <= limits.MAX_FILE_BYTES:
                lines = cache[file] = _LINE_BREAK.split(file.read_bytes().decode("utf-8", "replace"))
                break
        except OSError:
            continue
    if not lines or not 0 < problem.line <= len(lines):
        return []
    text = lines[problem.line - 1]
    column = max(1, min(problem.column, len(text) + 1))
    start = 0
    if len(text) > _EXCERPT_WIDTH:
        start = max(0, min(column - 1 - _EXCERPT_WIDTH // 2, len(text) - _EXCERPT_WIDTH))
    shown = text[start:start + _EXCERPT_WIDTH]
    # One character for one: a tab as an arrow, anything unprintable (a terminal escape from a
    # hostile file) as a replacement mark, so the caret stays under its column.
    shown = "".join("→" if ch == "\t" else ch if ch.isprintable() else "\ufffd" for ch in shown)
    before = "…" if start else ""
    after = "…" if start + _EXCERPT_WIDTH < len(text) else ""
    gutter = str(problem.line)
    return [f" {gutter} | {before}{shown}{after}",
            f" {' ' * len(gutter)} | {' ' * (len(before) + column - 1 - start)}^"]


def summary(errors: int, warnings: int, verb: str) -> str:
    """The closing line of a report with errors: what was found, in plain words, and what that
    means for the output."""
    text = f"{verb}: found {errors} problem{'s' if errors != 1 else ''}"
    if warnings:
        text += f" and {warnings} warning{'s' if warnings != 1 else ''}"
    if verb == "Build":
        return text + "; nothing was built, the previous output is unchanged."
    return text + "."
