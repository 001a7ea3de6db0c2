"""What the ``modgen translate`` commands do: export, import, status, confirm."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from generator.loader.load import load_course
from generator.model import Course
from generator.problems import Problem
from generator.translate import po, xliff
from generator.translate.exchange import ExchangeFile, Outgoing
from generator.translate.lock import CURRENT, MISSING, STALE, UNTRACKED, TranslationLock, read_lock, write_atomically
from generator.translate.units import Unit, context, course_units

FORMATS = {"xliff": xliff, "po": po}


class UsageProblem(Exception):
    """A wrong option (unknown language, …): exit 2, like any usage error."""


def load_for_translation(root: Path) -> Course:
    """The course, with texts still to be translated allowed."""
    return load_course(root, untranslated_ok=True).course


def languages(course: Course, target: str, source: str | None) -> tuple[str, str]:
    source = source or course.default_language
    for lang in (source, target):
        if lang not in course.languages:
            raise UsageProblem(f"'{lang}' is not one of the course's languages ({', '.join(course.languages)}); "
                               "add it to 'languages' in course.yaml first")
    if source == target:
        raise UsageProblem(f"--to and --from are both '{source}'")
    return source, target


def course_lock(course: Course) -> TranslationLock:
    """The course's lock (an empty one when it has none). A damaged lock is a course error."""
    from generator.problems import CourseError

    lock, problems = read_lock(course.root, course.default_language)
    if problems:
        raise CourseError(problems)
    return lock or TranslationLock(course.default_language)


def outgoing(course: Course, source: str, target: str) -> list[Outgoing]:
    lock = course_lock(course)
    result = []
    for unit in course_units(course, source, target):
        state = lock.state(unit, target) if lock.source == source else UNTRACKED
        line = unit.owner.problem("", unit.field).line
        about = context(course, unit)
        result.append(Outgoing(unit.id, unit.file, line, unit.source, unit.target,
                               "translated" if state in (CURRENT, UNTRACKED) else "initial",
                               about.note, about.max_length, about.markdown))
    return result


def export(root: Path, target: str, source: str | None, fmt: str, out: Path) -> int:
    """Write the exchange file; returns the number of units."""
    course = load_for_translation(root)
    source, target = languages(course, target, source)
    units = outgoing(course, source, target)
    buffer = io.BytesIO()
    if fmt == "po":
        po.write(units, source, target, buffer, project=f"{course.id} {course.version}")
    else:
        xliff.write(units, source, target, buffer)
    write_atomically(out, buffer.getvalue())
    return len(units)
