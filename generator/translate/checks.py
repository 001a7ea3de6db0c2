"""What ``modgen validate`` says about translations: stale ones (``translations.lock``) and terms
used against the course's term base (``glossary.yaml``). Warnings: ``--strict`` makes them fail."""

from __future__ import annotations

from generator.model import Course
from generator.problems import Problem


def check_translations(course: Course) -> list[Problem]:
    """Problems of the course's lock and glossary; nothing when the course has neither."""
    from generator.translate.lock import LOCK_FILE

    root = course.root
    if root is None:
        return []
    problems: list[Problem] = []
    if (root / LOCK_FILE).is_file():
        problems += stale_translations(course)
    return problems


def stale_translations(course: Course) -> list[Problem]:
    """A warning at each translation whose source text changed since it was translated."""
    from generator.translate.lock import STALE, read_lock
    from generator.translate.units import course_units

    lock, problems = read_lock(course.root, course.default_language)
    if lock is None or lock.source not in course.languages:
        return problems
    for lang in course.languages:
        if lang == lock.source or lang not in lock.digests:
            continue
        for unit in course_units(course, lock.source, lang):
            if lock.state(unit, lang) == STALE:
                problems.append(unit.problem(
                    lang, f"stale translation: the {lock.source} text changed since this {lang} text was translated",
                    f"update it, then 'modgen translate confirm --lang {lang} {unit.id}' (or export it for the "
                    "translator)").as_warning())
    return problems
