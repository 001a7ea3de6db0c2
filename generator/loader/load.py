"""From a course directory to a checked :class:`~generator.model.Course`, or every problem at once."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator import limits
from generator.loader.yaml_source import SourceMap, YamlDocument, read_yaml
from generator.model import Course, CourseFile, Glossary, Lesson, Quiz, nodes
from generator.problems import CourseError, Problem, Severity

COURSE_FILE = "course.yaml"
GLOSSARY_FILE = "glossary.yaml"
LESSON_DIR = "modules"
QUIZ_DIR = "quizzes"
YAML_SUFFIXES = (".yaml", ".yml")

M = TypeVar("M", bound=BaseModel)


@dataclass
class LoadedCourse:
    course: Course
    warnings: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def is_course_dir(path: Path) -> bool:
    return (path / COURSE_FILE).is_file()


def course_files(root: Path) -> list[Path]:
    """Every file the course is made of, in a stable order (also what a watcher watches)."""
    files = [root / COURSE_FILE]
    for folder in (LESSON_DIR, QUIZ_DIR):
        d = root / folder
        if d.is_dir():
            files += sorted(p for p in d.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
    return files


#: Files loaded by an earlier call, for a caller that loads the same course again and again (the
#: watch loop): (path, model) → (the file's bytes, the validated object, the problems reading it).
FileMemo = dict[tuple[Path, type], tuple[bytes, BaseModel, list[Problem]]]


def load_course(root: Path, *, strict: bool = False, memo: FileMemo | None = None,
                untranslated_ok: bool = False, languages: list[str] | tuple[str, ...] | None = None) -> LoadedCourse:
    """Load and check the course in ``root``.

    Raises :class:`CourseError` carrying every error (and, with ``strict``, every warning), sorted
    by file and line. Returns the course with its warnings otherwise.

    With ``memo``, a file whose bytes are those of an earlier call is not parsed and validated
    again: its object is taken from ``memo`` (which this call updates). The checks across files
    always run. The objects are shared between the courses so loaded: nothing may change them.

    With ``untranslated_ok``, texts missing in a language are not errors (for the translation
    commands, which exist to fill them in).

    What a language lacks (texts, interface strings) blocks only that language: it is an error for
    the ``languages`` asked for (by default every language not ``in_progress``); a language not
    asked for that lacks something is left out of the loaded course's ``languages`` with one warning
    saying what it lacks. A language in progress that lacks nothing is built like any other.
    """
    # Loading allocates millions of objects and frees none of them in cycles; CPython's cyclic
    # collector would traverse the growing heap again and again (17 full collections, 40 % of
    # the CPU time of a 999-lesson course). It runs again, once, when loading is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_course(Path(root), strict, memo, untranslated_ok, languages)
    finally:
        if collecting:
            gc.enable()


def _load_course(root: Path, strict: bool, memo: FileMemo | None = None, untranslated_ok: bool = False,
                 asked: list[str] | tuple[str, ...] | None = None) -> LoadedCourse:
    from generator.checks import check_course, language_problems

    problems: list[Problem] = []
    if not root.is_dir():
        raise CourseError([Problem(str(root), 1, 1, "course directory does not exist")])
    if not is_course_dir(root):
        raise CourseError([Problem(str(root / COURSE_FILE), 1, 1, "no course.yaml here",
                                   "run 'modgen init DIR' to start a course")])
    files = course_files(root)
    if len(files) > limits.MAX_LESSON_FILES:
        raise CourseError([Problem(str(root), 1, 1, f"more than {limits.MAX_LESSON_FILES:,} course files")])
    real_root = root.resolve()
    shown: dict[Path, str] = {}  # file -> its path as the author knows it
    outside = []
    for path in files:
        try:
            shown[path] = path.resolve().relative_to(real_root).as_posix()
        except ValueError:
            outside.append(path)
    if outside:
        # A symlinked course file could make the build read (and publish) any file on the machine.
        raise CourseError([Problem(p.relative_to(root).as_posix(), 1, 1,
                                   "course file is a link pointing outside the course directory")
                           for p in outside])

    broken: set[str] = set()  # ids of files that did not load: no follow-on "unknown …" errors
    used: FileMemo = {}
    course_file = _load_file(root / COURSE_FILE, shown[files[0]], CourseFile, problems, broken, memo, used)
    lessons = [m for p in files if p.parent.name == LESSON_DIR
               if (m := _load_file(p, shown[p], Lesson, problems, broken, memo, used)) is not None]
    quizzes = [m for p in files if p.parent.name == QUIZ_DIR
               if (m := _load_file(p, shown[p], Quiz, problems, broken, memo, used)) is not None]
    if memo is not None:  # what this course is made of now: removed files are forgotten
        memo.clear()
        memo.update(used)
    if course_file is None:
        raise CourseError(problems)

    course = Course.model_construct(**{name: getattr(course_file, name) for name in CourseFile.model_fields},
                                    lessons=lessons, quizzes=quizzes, root=real_root)
    course.locate(course_file._source, ())
    from generator import i18n

    i18n.use_course(real_root, course.languages)  # the course's own interface strings, if it has any
    found = check_course(course, broken)
    problems += found
    problems += _language_scoped(course, language_problems(course, untranslated_ok=untranslated_ok), asked,
                                 untranslated_ok)
    if not broken:
        from generator.translate.checks import check_translations

        problems += check_translations(course, *load_glossary(real_root))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    if strict and warnings:
        errors += [Problem(w.path, w.line, w.column, w.message, w.hint) for w in warnings if w.strict]
        warnings = [w for w in warnings if not w.strict]
    if errors:
        raise CourseError(errors)
    return LoadedCourse(course, sorted(warnings), files)


def _language_scoped(course: Course, found: dict, asked, untranslated_ok: bool) -> list[Problem]:
    """The problems of the languages asked for; for any other language that lacks something, one
    warning, and the language is taken out of ``course.languages`` (so nothing builds it)."""
    problems = list(found.pop(None, []))
    wanted = list(asked) if asked is not None else [l for l in course.languages if l not in course.in_progress]
    keep = []
    for i, lang in enumerate(course.languages):
        lacking = found.get(lang, [])
        if not lacking and lang in course.in_progress and not untranslated_ok:
            problems.append(course.problem(
                f"language '{lang}' is complete and built, but still marked in progress", ("in_progress",
                course.in_progress.index(lang)), "take it out of 'in_progress' once its translation is reviewed"
            ).as_warning(strict=False))
        if not lacking or lang in wanted:
            problems += lacking
            keep.append(lang)
            continue
        if untranslated_ok:  # the translation commands work on every language, complete or not
            keep.append(lang)
            continue
        texts = sum(p.message.startswith("missing translation") for p in lacking)
        what = [f"{texts} text{'s have' if texts != 1 else ' has'} no '{lang}' text"] if texts else []
        what += [p.message for p in lacking if not p.message.startswith("missing translation")]
        state = "in progress" if lang in course.in_progress else "incomplete"
        problems.append(course.problem(
            f"language '{lang}' is {state} and not built: {'; '.join(what)}", ("languages", i),
            "'modgen translate status --list' lists the missing texts; "
            f"'modgen build --lang {lang}' shows each problem").as_warning(strict=False))
    course.languages = keep
    return problems


def load_glossary(root: Path) -> tuple[Glossary | None, list[Problem]]:
    """The course's term base (None when it has none, or when it cannot be read) and the problems
    reading it."""
    path = root / GLOSSARY_FILE
    if not path.is_file():
        return None, []
    problems: list[Problem] = []
    return _load_file(path, GLOSSARY_FILE, Glossary, problems, set()), problems


def _load_file(path: Path, display: str, model: type[M], problems: list[Problem], broken: set[str],
               memo: FileMemo | None = None, used: FileMemo | None = None) -> M | None:
    raw = None
    if memo is not None:
        try:
            if path.stat().st_size <= limits.MAX_FILE_BYTES:  # else read_yaml refuses it unread
                raw = path.read_bytes()
        except OSError:
            raw = None  # read_yaml says what is wrong
        kept = memo.get((path, model))
        if raw is not None and kept is not None and kept[0] == raw:
            used[path, model] = kept
            problems += kept[2]
            return kept[1]  # type: ignore[return-value]
    doc, found = read_yaml(path, display, raw)
    problems += found
    if doc is None:
        broken.add(f"{path.parent.name}/?")
        return None
    try:
        obj = model.model_validate(doc.data)
    except ValidationError as exc:
        problems += _validation_problems(exc, doc, model)
        broken.add(f"{path.parent.name}/{doc.data.get('id', '?')}")
        return None
    finally:
        # The objects outlive the text: later problems read the file again for positions.
        doc.source.forget_text()
    _locate_all(obj, doc.source)
    if used is not None and raw is not None:
        used[path, model] = (raw, obj, found)
    return obj


def _locate_all(obj: BaseModel, source: SourceMap) -> None:
    for loc, node in nodes(obj):
        node.locate(source, loc)


#: What one item of a list is called in a message: "question 2", not "questions.1".
_ITEM_NAMES = {
    "questions": "question", "options": "option", "pairs": "pair", "items": "item", "sections": "section",
    "objectives": "objective", "facts": "key fact", "tables": "table", "interventions": "intervention point",
    "discussion": "discussion prompt", "vignettes": "case", "takeaways": "takeaway", "rows": "row",
    "columns": "column", "audiences": "audience", "phases": "phase", "perspectives": "perspective",
    "actors": "actor", "sources": "source", "support": "support entry", "breaks": "break", "terms": "term",
    "figures": "figure", "series": "series", "categories": "category", "values": "value",
    "languages": "language",
}

#: Plain scalars YAML 1.1 (PyYAML, and so modgen) reads as true/false rather than as text.
_YAML_BOOLEANS = {"yes", "no", "on", "off", "true", "false", "y", "n"}


def describe(loc: tuple, data: Any, languages: frozenset = frozenset()) -> str:
    """A place in a file as an author says it: ``question 2 'prep-q2', option 3 'c', text (en)`` —
    positions counted from 1 and items named by their id, never a 0-based programmer path."""
    parts: list[str] = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(part, int):
            container = loc[i - 1] if i else None
            name = _ITEM_NAMES.get(str(container), "item")
            label = f"{name} {part + 1}"
            item = current[part] if isinstance(current, list) and part < len(current) else None
            if isinstance(item, dict) and isinstance(item.get("id", item.get("key")), str):
                label += f" '{item.get('id', item.get('key'))}'"
            if parts and parts[-1] == str(container):
                parts[-1] = label  # "questions, question 2" says it twice
            else:
                parts.append(label)
            current = item
        else:
            if i in languages and parts:
                parts[-1] += f" ({part})"
            else:
                parts.append(str(part))
            current = current.get(part) if isinstance(current, dict) else None
    return ", ".join(parts)


def _validation_problems(exc: ValidationError, doc: YamlDocument, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc, container, model_at, languages = _data_path(error["loc"], doc.data, model)
        kind = error["type"]
        here = describe(loc, doc.data, languages) or "(top level)"
        if kind == "extra_forbidden":
            import difflib  # only for problems: not on the start-up path of a valid course

            name = str(loc[-1])
            known = [f for f in (model_at.model_fields if model_at else {}) if f not in ("type",)]
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else (
                f"known fields: {', '.join(known)}" if known else None)
            pos = doc.source.locate(loc, prefer_key=True)
            problems.append(Problem(doc.source.path, pos.line, pos.column, f"unknown field '{name}'", hint))
            continue
        if kind == "missing":
            name = str(loc[-1])
            pos = doc.source.locate(loc[:-1])
            where = describe(loc[:-1], doc.data, languages)
            problems.append(Problem(doc.source.path, pos.line, pos.column,
                                    f"missing required field '{name}'" + (f" in {where}" if where else "")))
            continue
        pos = doc.source.locate(loc, prefer_key=False)
        if kind == "union_tag_invalid":
            ctx = error.get("ctx", {})
            problems.append(Problem(doc.source.path, *_pos(doc.source, loc + ("type",)),
                                    f"unknown question type {ctx.get('tag')!r}",
                                    f"use one of {ctx.get('expected_tags')}"))
            continue
        if kind == "union_tag_not_found":
            problems.append(Problem(doc.source.path, pos.line, pos.column,
                                    f"missing required field 'type' in {here}",
                                    "one of 'single', 'multiple', 'true-false', 'matching', 'ordering'"))
            continue
        message = error["msg"].removeprefix("Value error, ")
        hint = None
        value = error.get("input")
        if kind == "string_type" and isinstance(value, bool):
            # The YAML 1.1 trap: `en: No` is the value false, not the word. Editors that speak
            # YAML 1.2 show it as text, so say what modgen read and why.
            word = _plain_word_at(doc, pos) or ("true" if value else "false")
            problems.append(Problem(
                doc.source.path, pos.line, pos.column,
                f"{here}: the unquoted word '{word}' is read as {str(value).lower()}, not as text "
                "(in YAML, yes/no/on/off/true/false without quotes are true or false)",
                f'put it in quotes: "{word}"'))
            continue
        if kind == "string_type" and isinstance(value, (int, float)):
            message = f"expected text, got the number {value!r}"
            hint = "put the value in quotes"
        elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "key") or (
                kind == "string_pattern_mismatch" and "Id" in message):
            hint = "ids use lower-case letters, digits, '-', '_' and '.'"
        elif kind == "literal_error":
            message = f"{message}, got {error.get('input')!r}"
        problems.append(Problem(doc.source.path, pos.line, pos.column, f"{here}: {message}", hint))
    return problems


def _plain_word_at(doc: YamlDocument, pos: Any) -> str | None:
    """The unquoted word written at ``pos`` (as the author typed it: ``No``, ``off``), if that is
    one YAML reads as a boolean."""
    text = getattr(doc.source, "_text", None)
    if not text:
        return None
    lines = text.splitlines()
    if not 0 < pos.line <= len(lines):
        return None
    found = re.match(r"[A-Za-z]+", lines[pos.line - 1][pos.column - 1:])
    return found.group() if found and found.group().lower() in _YAML_BOOLEANS else None


def _pos(source: SourceMap, loc: tuple) -> tuple[int, int]:
    p = source.locate(loc, prefer_key=False)
    return p.line, p.column


def _data_path(loc: tuple, data: Any, model: type[BaseModel] | None):
    """Map a pydantic error location onto the YAML data: drop union tags and RootModel steps.

    Returns the path in the data, the model class that owns the last key (for hints), and the
    positions in the path that are a text's language (``text``, ``en``: "text (en)").
    """
    path: list = []
    languages: set[int] = set()
    current = data
    owner: type[BaseModel] | None = model
    for part in loc:
        if owner is not None and owner.__name__ == "Text" and isinstance(part, str) and isinstance(current, dict):
            languages.add(len(path))
        if isinstance(current, dict) and part in current:
            path.append(part)
            owner = _field_model(owner, part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and current.get("type") == part:
            owner = _union_member(owner, part)  # discriminated-union tag: not in the data
        elif part in ("root", "function-after[_plain_string(), dict[str,str]]") or str(part).startswith("function-"):
            continue
        else:
            path.append(part)
            current = None
    return tuple(path), current, owner, frozenset(languages)


def _field_model(owner: type[BaseModel] | None, name: Any) -> type[BaseModel] | None:
    """The model class that a field of ``owner`` holds (through lists and unions), if any."""
    import typing

    if owner is None or not isinstance(name, str) or name not in getattr(owner, "model_fields", {}):
        return owner
    annotation = owner.model_fields[name].annotation
    stack = [annotation]
    while stack:
        t = stack.pop()
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
        stack.extend(typing.get_args(t))
    return None


def _union_member(owner: type[BaseModel] | None, tag: str) -> type[BaseModel] | None:
    from generator import model as m

    for cls in (m.SingleChoice, m.MultipleResponse, m.TrueFalse, m.Matching, m.Ordering):
        if cls.kind == tag:
            return cls
    return owner
