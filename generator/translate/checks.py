"""What ``modgen validate`` says about translations: stale ones (``translations.lock``) and terms
used against the course's term base (``glossary.yaml``). Warnings: ``--strict`` makes them fail."""

from __future__ import annotations

from generator.model import Course, Glossary
from generator.problems import Problem
from generator.translate.units import Unit


def check_translations(course: Course, glossary: "Glossary | None" = None,
                       glossary_found: list[Problem] | None = None) -> list[Problem]:
    """Problems of the course's lock and of its use of the term base; nothing when the course has
    neither. The loader reads ``glossary.yaml`` (it owns the course's files) and passes it here with
    the problems reading it, so this module never imports the loader that calls it."""
    from generator.translate.lock import LOCK_FILE

    root = course.root
    if root is None:
        return []
    from generator.translate.units import course_units

    has_lock = (root / LOCK_FILE).is_file()
    has_glossary = glossary is not None or bool(glossary_found)
    if not (has_lock or has_glossary):
        return []
    source = course.default_language
    units = {lang: course_units(course, source, lang) for lang in course.languages
             if lang != source or len(course.languages) == 1}
    problems: list[Problem] = []
    if has_lock:
        problems += stale_translations(course, units)
    problems += glossary_found or []
    if glossary is not None:
        from generator.translate.glossary import check_glossary, glossary_problems

        errors = glossary_problems(course, glossary)
        problems += errors or check_glossary(course, glossary, units)
    return problems


def stale_translations(course: Course, units: dict[str, list[Unit]]) -> list[Problem]:
    """A warning at each translation whose source text changed since it was translated. ``units``:
    the course's texts from its first language towards each other language."""
    from generator.translate.lock import STALE, read_lock
    from generator.translate.units import course_units

    lock, problems = read_lock(course.root, course.default_language)
    if lock is None or lock.source not in course.languages:
        return problems
    for lang in course.languages:
        if lang == lock.source or lang not in lock.digests:
            continue
        lang_units = units[lang] if lock.source == course.default_language else course_units(course, lock.source, lang)
        for unit in lang_units:
            if lock.state(unit, lang) == STALE:
                problems.append(unit.problem(
                    lang, f"stale translation: the {lock.source} text changed since this {lang} text was translated",
                    f"update it, then 'modgen translate confirm --lang {lang} {unit.id}' (or export it for the "
                    "translator)").as_warning())
    return problems
