"""What the ``modgen translate`` commands do: export, import, status, confirm."""

from __future__ import annotations

import re

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Container

from generator.loader.load import load_course
from generator.model import Course
from generator.problems import Problem
from generator.translate import po, xliff
from generator.translate.exchange import ExchangeFile, Outgoing
from generator.translate.xliff import markup_mismatch
from generator.translate.lock import CURRENT, MISSING, STALE, UNTRACKED, TranslationLock, read_lock, write_atomically
from generator.translate.units import Unit, context, course_units

FORMATS = {"xliff": xliff, "po": po}


class UsageProblem(Exception):
    """A wrong option (unknown language, …): exit 2, like any usage error."""


def load_for_translation(root: Path) -> Course:
    """The course, with texts still to be translated allowed."""
    return load_course(root, untranslated_ok=True).course


def refuse_course_file(out: Path, course: Course) -> None:
    """A usage problem when ``out`` is a file of ``course`` (``-o course.yaml``): an export would
    overwrite what it is made from."""
    from generator.files import course_file_problem

    branding = [p for p in (course.branding.template, course.branding.logo) if p]
    problem = course_file_problem(out, course.root, branding) if course.root is not None else None
    if problem:
        raise UsageProblem(problem)


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
    refuse_course_file(out, course)
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
    elif fmt == "xliff12":
        from generator.translate import xliff12

        xliff12.write(units, source, target, buffer)
    else:
        xliff.write(units, source, target, buffer)
    write_atomically(out, buffer.getvalue())
    return len(units)


def read_exchange(path: Path, display: str, known: Container[str] | None = None) -> ExchangeFile:
    """Read an XLIFF or PO file: by its name (.xlf, .xliff, .po), else by its first bytes. ``known``:
    the course's unit ids (see :class:`ExchangeFile`)."""
    from generator.translate.exchange import ExchangeError

    try:
        with path.open("rb") as f:
            head = f.read(512)
    except OSError as exc:
        raise ExchangeError([Problem(display, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
    suffix = path.suffix.lower()
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        kind = "an XLIFF" if suffix in (".xlf", ".xliff") else "a PO" if suffix in (".po", ".pot") else "an XLIFF or PO"
        raise ExchangeError([Problem(display, 1, 1, "the file is empty", f"this should be {kind} file from "
                                                                         "'modgen translate export'")])
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    text_head = head.decode("utf-16", "replace") if utf16 else head.decode("utf-8", "replace")
    if suffix in (".xlf", ".xliff") or (suffix not in (".po", ".pot") and text_head.lstrip("\ufeff \t\r\n").startswith("<")):
        if "urn:oasis:names:tc:xliff:document:1.2" in text_head:
            from generator.translate import xliff12

            return xliff12.read(path, display, known)
        return xliff.read(path, display, known)
    return po.read(path, display, known)


@dataclass
class ImportReport:
    changed: list[Unit] = field(default_factory=list)  # translations written into the course
    confirmed: int = 0  # translations (changed or not) recorded as current in the lock
    refused: list[Problem] = field(default_factory=list)  # units not imported, located in the file (the first ones)
    refused_count: int = 0  # units not imported, in all
    unfinished: int = 0  # units the translator left as needing work
    files: list[str] = field(default_factory=list)  # course files written
    lock_written: bool = False


#: Problems listed one by one; the rest are counted (a file of a million bad units prints a few lines).
PROBLEMS_SHOWN = 20


def summarised(problems: list[Problem]) -> list[Problem]:
    """The first ``PROBLEMS_SHOWN`` problems and, when there are more, one saying how many."""
    if len(problems) <= PROBLEMS_SHOWN:
        return problems
    last = problems[PROBLEMS_SHOWN - 1]
    more = Problem(last.path, last.line, last.column, f"… and {len(problems) - PROBLEMS_SHOWN:,} more problems "
                                                       "like these")
    return problems[:PROBLEMS_SHOWN] + [more.as_warning() if last.severity.value != "error" else more]


def import_translations(root: Path, path: Path, display: str) -> ImportReport:
    """Write the translations of an exchange file into the course; see docs/translation.md.

    A bad file raises :class:`ExchangeError` and nothing is written. Units whose source changed
    since the export, or that the course no longer has, are refused (reported) and the rest imported.
    Only units a translator marked done are imported (XLIFF state translated, reviewed or final;
    PO neither fuzzy nor empty); a markdown text whose inline markup (bold, links, code) does not
    match its source's is refused, and so is a file that would write into the course's source
    language.
    """
    import unicodedata

    from generator import limits
    from generator.loader.yaml_source import invisible_character
    from generator.translate.exchange import ExchangeError
    from generator.translate.writeback import Change, WritebackError, rewrite_file

    # The course first: its unit ids decide which units of the file are worth reading at all.
    course = load_for_translation(root)
    lock = course_lock(course)
    from generator.translate import interface as words

    known = {u.id for lang in course.languages for u in course_units(course, lang, lang)} | words.known_ids()
    exchange = read_exchange(path, display, known)
    if words.is_interface(exchange):  # modgen's own words: the course's interface/LANG.po
        done = words.import_interface(course, exchange, display)
        return ImportReport(changed=[None] * done.changed, refused=done.refused,  # type: ignore[list-item]
                            refused_count=len(done.refused), unfinished=done.unfinished,
                            files=[done.written.relative_to(course.root).as_posix()] if done.written else [])
    bad = [Problem(display, 1, 1, f"the file's {what} language '{lang}' is not one of the course's "
                                  f"({', '.join(course.languages)})")
           for what, lang in (("source", exchange.source_lang), ("target", exchange.target_lang))
           if lang not in course.languages]
    if exchange.source_lang == exchange.target_lang:
        bad.append(Problem(display, 1, 1, f"source and target language are both '{exchange.source_lang}'"))
    elif exchange.target_lang == lock.source and not bad:
        # The course's texts are written in its source language and translated from it: a file
        # "translated into" it (source and target swapped, by a tool or by hand) would overwrite
        # the originals that every translation was made from.
        bad.append(Problem(display, 1, 1, f"the file's target language '{exchange.target_lang}' is the course's "
                                          f"source language; importing it would overwrite the {lock.source} texts "
                                          "every translation is made from",
                           f"are source and target swapped? export with 'modgen translate export --to "
                           f"{exchange.source_lang}'"))
    if bad:
        raise ExchangeError(bad)
    source, target = exchange.source_lang, exchange.target_lang
    units = {u.id: u for u in course_units(course, source, target)}
    report = ImportReport()
    unknown = exchange.unknown_problems()  # summarised already
    if exchange.unknown_count and not exchange.units:
        raise ExchangeError(unknown + [Problem(display, 1, 1, "no unit of the file is in the course; nothing was "
                                                              "imported", "is this the export of another course?")])
    taken: list[tuple[Unit, str]] = []
    problems: list[Problem] = []
    for back in exchange.units:
        unit = units.get(back.id)
        if unit is None:  # a unit of the course without text in this file's source language
            report.refused.append(Problem(display, back.line, back.column,
                                          f"unit '{back.id}' has no {source} text in the course; not imported")
                                  .as_warning())
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
        if not back.done:
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
        if text != unit.target and context(course, unit).markdown:  # what the course has already is not re-judged
            mismatch = markup_mismatch(unit.source, text)
            if mismatch is not None:
                problems.append(Problem(display, back.line, back.column,
                                        f"the translation of '{back.id}' {mismatch}",
                                        "keep the source's tags (bold, links, code) in the translation, in their "
                                        "order"))
                continue
        taken.append((unit, text))
    if problems:
        raise ExchangeError(summarised(problems))
    report.refused_count = exchange.unknown_count + len(report.refused)
    report.refused = [p.as_warning() for p in unknown] + summarised(report.refused)

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
    refuse_course_file(out, course)
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
