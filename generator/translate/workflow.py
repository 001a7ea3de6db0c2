"""What the ``modgen translate`` commands do: export, import, status, confirm."""

from __future__ import annotations

import re

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


def export(root: Path, target: str, source: str | None, fmt: str, out: Path, *, interface: bool = False) -> int:
    """Write the exchange file; returns the number of units. With ``interface``, the units are
    modgen's own words, for a course catalogue in ``target`` (generator/translate/interface.py)."""
    course = load_for_translation(root)
    if interface:
        from generator.translate import interface as words

        if not re.fullmatch(r"[a-z]{2,3}", target):
            raise UsageProblem(f"'{target}' is not a language code (two or three lower-case letters)")
        source = words.source_language(course, source)
        if source == target:
            raise UsageProblem(f"--to and --from are both '{source}'")
        units = words.outgoing(course, source, target)
    else:
        source, target = languages(course, target, source)
        units = outgoing(course, source, target)
    buffer = io.BytesIO()
    if fmt == "po":
        po.write(units, source, target, buffer, project=f"{course.id} {course.version}")
    else:
        xliff.write(units, source, target, buffer)
    write_atomically(out, buffer.getvalue())
    return len(units)


def read_exchange(path: Path, display: str) -> tuple[ExchangeFile, bool]:
    """Read an XLIFF or PO file (by its content); also whether a changed target counts as
    translated (XLIFF: tools that never set ``state``; PO: never, ``fuzzy`` is meant)."""
    from generator.translate.exchange import ExchangeError

    try:
        head = path.open("rb").read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise ExchangeError([Problem(display, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
    if head.startswith(b"<"):
        return xliff.read(path, display), True
    return po.read(path, display), False


@dataclass
class ImportReport:
    changed: list[Unit] = field(default_factory=list)  # translations written into the course
    confirmed: int = 0  # translations (changed or not) recorded as current in the lock
    refused: list[Problem] = field(default_factory=list)  # units not imported, located in the file
    unfinished: int = 0  # units the translator left as needing work
    files: list[str] = field(default_factory=list)  # course files written
    lock_written: bool = False


def import_translations(root: Path, path: Path, display: str) -> ImportReport:
    """Write the translations of an exchange file into the course; see docs/translation.md.

    A bad file raises :class:`ExchangeError` and nothing is written. Units whose source changed
    since the export, or that the course no longer has, are refused (reported) and the rest imported.
    """
    import unicodedata

    from generator import limits
    from generator.loader.yaml_source import invisible_character
    from generator.translate.exchange import ExchangeError
    from generator.translate.writeback import Change, WritebackError, rewrite_file

    exchange, changed_counts = read_exchange(path, display)
    course = load_for_translation(root)
    from generator.translate import interface as words

    if words.is_interface(exchange):
        done = words.import_interface(course, exchange, display, changed_counts)
        return ImportReport(changed=[None] * done.changed, refused=done.refused, unfinished=done.unfinished,  # type: ignore[list-item]
                            files=[done.written.relative_to(course.root).as_posix()] if done.written else [])
    bad = [Problem(display, 1, 1, f"the file's {what} language '{lang}' is not one of the course's "
                                  f"({', '.join(course.languages)})")
           for what, lang in (("source", exchange.source_lang), ("target", exchange.target_lang))
           if lang not in course.languages]
    if exchange.source_lang == exchange.target_lang:
        bad.append(Problem(display, 1, 1, f"source and target language are both '{exchange.source_lang}'"))
    if bad:
        raise ExchangeError(bad)
    source, target = exchange.source_lang, exchange.target_lang
    units = {u.id: u for u in course_units(course, source, target)}
    report = ImportReport()
    taken: list[tuple[Unit, str]] = []
    problems: list[Problem] = []
    for back in exchange.units:
        unit = units.get(back.id)
        if unit is None:
            report.refused.append(Problem(display, back.line, back.column,
                                          f"unit '{back.id}' is not in the course (removed or renamed since the "
                                          "export?); not imported").as_warning())
            continue
        # As the loader stores text: NFC, LF line ends (a tool may have saved NFD or CRLF).
        back_source = unicodedata.normalize("NFC", back.source.replace("\r\n", "\n"))
        if back_source != unit.source:
            here = unit.problem(source, "")
            report.refused.append(Problem(
                display, back.line, back.column,
                f"the {source} text of '{back.id}' changed since the export ({here.path}:{here.line}); not imported",
                "export again and translate the new text").as_warning())
            continue
        text = unicodedata.normalize("NFC", back.target.replace("\r\n", "\n"))
        if not text.strip():
            continue
        if not (back.done or (changed_counts and text != unit.target)):
            report.unfinished += 1
            continue
        found = invisible_character(text)
        if found is not None:
            problems.append(Problem(display, back.line, back.column,
                                    f"the translation of '{back.id}' contains the invisible character "
                                    f"U+{ord(found):04X}", "remove it"))
            continue
        if len(text) > limits.MAX_STRING_CHARS:
            problems.append(Problem(display, back.line, back.column,
                                    f"the translation of '{back.id}' is longer than {limits.MAX_STRING_CHARS:,} characters"))
            continue
        taken.append((unit, text))
    if problems:
        raise ExchangeError(problems)

    lock = course_lock(course)
    by_file: dict[str, list[tuple[Unit, Change]]] = {}
    for unit, text in taken:
        if text != unit.target:
            by_file.setdefault(unit.file, []).append((unit, Change(unit.yaml_path, target, text)))
            report.changed.append(unit)
    # Every file is rewritten in memory first: one that cannot be written safely stops the import
    # before any file is touched.
    rewritten: dict[Path, bytes] = {}
    for file, changes in sorted(by_file.items()):
        full = course.root / file
        try:
            rewritten[full] = rewrite_file(full.read_bytes(), [c for _, c in changes], file, course.languages[0])
        except WritebackError as exc:
            raise ExchangeError([changes[0][0].problem(target, str(exc).removeprefix(f"{file}: "))]) from None
    for full, content in rewritten.items():
        write_atomically(full, content)
    report.files = sorted(str(p.relative_to(course.root)) for p in rewritten)
    if lock.source == source and taken:
        for unit, _ in taken:
            lock.confirm(unit, target)
        lock.keep_only(target, {u.id for u in units.values()})
        lock.save(course.root)
        report.lock_written = True
    report.confirmed = len(taken) if report.lock_written else 0
    return report


@dataclass
class LanguageStatus:
    lang: str
    source: str
    units: dict[str, list[Unit]]  # state → units in it: current, stale, untracked, missing

    def count(self, state: str) -> int:
        return len(self.units.get(state, []))


def status(root: Path) -> list[LanguageStatus]:
    """Per translated language: which texts are current, stale, untracked (never confirmed), missing."""
    course = load_for_translation(root)
    lock = course_lock(course)
    result = []
    for lang in course.languages:
        if lang == lock.source:
            continue
        states: dict[str, list[Unit]] = {CURRENT: [], STALE: [], UNTRACKED: [], MISSING: []}
        for unit in course_units(course, lock.source, lang):
            states[lock.state(unit, lang)].append(unit)
        result.append(LanguageStatus(lang, lock.source, states))
    return result


def confirm(root: Path, lang: str, unit_ids: tuple[str, ...] = ()) -> int:
    """Record the ``lang`` translations (all, or those of ``unit_ids``) as made from the source as it
    is now. Returns how many were confirmed."""
    course = load_for_translation(root)
    lock = course_lock(course)
    if lang not in course.languages or lang == lock.source:
        others = [l for l in course.languages if l != lock.source]
        raise UsageProblem(f"'{lang}' is not a language the course is translated into ({', '.join(others)})")
    units = {u.id: u for u in course_units(course, lock.source, lang)}
    unknown = [i for i in unit_ids if i not in units]
    if unknown:
        raise UsageProblem(f"no text '{unknown[0]}' in the course ('modgen translate status --list' lists them)")
    chosen = [units[i] for i in unit_ids] if unit_ids else list(units.values())
    confirmed = 0
    for unit in chosen:
        if unit.target.strip():
            lock.confirm(unit, lang)
            confirmed += 1
    lock.keep_only(lang, {u.id for u in units.values() if u.target.strip()})
    lock.save(course.root)
    return confirmed


def export_glossary(root: Path, fmt: str, out: Path) -> int:
    """Write the course's term base as TBX or CSV; returns the number of terms."""
    from generator.loader.load import GLOSSARY_FILE, load_glossary
    from generator.problems import CourseError
    from generator.translate.glossary import glossary_problems, write_csv, write_tbx

    course = load_for_translation(root)
    glossary, problems = load_glossary(course.root)
    if glossary is None and not problems:
        raise UsageProblem(f"the course has no {GLOSSARY_FILE} (see docs/translation.md)")
    if glossary is not None:
        problems += glossary_problems(course, glossary)
    if problems:
        raise CourseError(problems)
    buffer = io.BytesIO()
    title = course.title.get(course.default_language)
    if fmt == "csv":
        write_csv(glossary, course.languages, buffer)
    else:
        write_tbx(glossary, course.languages, buffer, title)
    write_atomically(out, buffer.getvalue())
    return len(glossary.terms)
