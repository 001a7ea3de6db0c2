"""A side of a diff: a course folder, or a git revision of the course (``HEAD~3``, ``v1.0``).

A revision is read with ``git ls-tree`` and ``git cat-file`` from the repository that holds the
course folder, into a temporary folder that lives as long as the caller's ``ExitStack``: only the
course's own files (``course.yaml``, the YAML files of ``modules/`` and ``quizzes/``, and the deck
template and logo it names), never the rest of the repository, and then loaded by the loader with
all its limits (see ``checkout``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from generator import limits
from generator.loader.load import (
    COURSE_FILE, LESSON_DIR, QUIZ_DIR, YAML_SUFFIXES, LoadedCourse, is_course_dir, load_course,
)
from generator.problems import CourseError, Problem

GIT_TIMEOUT = 60  # seconds; a local repository answers in milliseconds


class RevisionError(Exception):
    """A side that is neither a course folder nor a revision git can read (a usage error)."""


@dataclasses.dataclass
class Side:
    """One side of a diff: how the user named it, and the course loaded from it."""

    label: str
    loaded: LoadedCourse


def open_side(spec: str, course_dir: Path, stack: contextlib.ExitStack) -> Side:
    """The course ``spec`` names: a folder holding a course.yaml, else a git revision of the
    course in ``course_dir``. Problems in a revision's files are shown as ``REV:path:line:col``."""
    folder = Path(spec)
    if folder.is_dir():
        if not is_course_dir(folder):
            raise RevisionError(f"{spec} is a folder without a course.yaml")
        return Side(spec, load_course(folder))
    root = checkout(spec, course_dir, stack)
    try:
        return Side(spec, load_course(root))
    except CourseError as exc:
        raise CourseError([dataclasses.replace(p, path=f"{spec}:{p.path}") for p in exc.problems]) from None


def checkout(revision: str, course_dir: Path, stack: contextlib.ExitStack) -> Path:
    """The course of ``course_dir`` as it was at ``revision``, in a temporary folder.

    The revision may come from someone else (a course folder received with its ``.git``), so it is
    read as data: ``git ls-tree`` lists the course's files with their modes and sizes, and ``git
    cat-file --batch`` hands over their bytes as stored — no filters, no ``export-subst``, no
    attributes, so no command configured in the repository runs (``git archive`` runs a
    ``filter.*.smudge`` command). Links are never followed or made: a course file that is a link is
    a located problem. A file larger than the loader accepts is not read at all: an empty sparse file
    of its size stands in for it, so that the loader refuses it with its usual message.
    """
    if not revision or revision.startswith("-") or any(c in revision for c in "\0\n\r"):
        raise RevisionError(f"'{revision}' is not a course folder or a git revision")
    course_dir = course_dir.resolve()
    top = _git(course_dir, "rev-parse", "--show-toplevel", what=(
        f"'{revision}' is not a course folder, and {course_dir} is not in a git repository to read it from"))
    top_dir = Path(top.strip())
    prefix = course_dir.relative_to(top_dir.resolve()).as_posix()
    commit = _git(top_dir, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}",
                  what=f"'{revision}' is neither a course folder nor a revision of {top_dir}").strip()

    def inside(*parts: str) -> str:
        return str(PurePosixPath(prefix, *parts)) if prefix != "." else str(PurePosixPath(*parts))

    entries = _tree(top_dir, commit, [inside(COURSE_FILE), inside(LESSON_DIR), inside(QUIZ_DIR)], revision)
    course_file = inside(COURSE_FILE)
    if course_file not in {e.path for e in entries}:
        raise RevisionError(f"{revision} has no {course_file}: the course was not there then")
    # Only what the loader reads: course.yaml and the YAML files directly in modules/ and quizzes/.
    yaml_dirs = {inside(LESSON_DIR), inside(QUIZ_DIR)}
    entries = [e for e in entries if e.path == course_file or (
        PurePosixPath(e.path).suffix in YAML_SUFFIXES and str(PurePosixPath(e.path).parent) in yaml_dirs)]
    scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="modgen-diff-")))
    problems: list[Problem] = []
    shown = (lambda path: f"{revision}:{PurePosixPath(path).relative_to(prefix)}") if prefix != "." \
        else (lambda path: f"{revision}:{path}")
    _materialise(top_dir, entries, scratch, limits.MAX_FILE_BYTES, shown, problems)
    course = scratch / prefix if prefix != "." else scratch
    assets = _branding_files(scratch / course_file, inside) + _figure_files(course, inside)
    if assets:
        found = _tree(top_dir, commit, assets, revision)
        _materialise(top_dir, [e for e in found if e.path in assets], scratch, limits.MAX_ASSET_BYTES, shown,
                     problems)
    if problems:
        raise CourseError(problems)
    return course


#: Where a lesson file names a picture: a figure's ``image:`` and a markdown image in a body.
_PICTURE_NAMES = (re.compile(r"^\s*-?\s*image:\s*[\"']?([^\s\"'#]+)", re.MULTILINE),
                  re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)"))


def _figure_files(course: Path, inside) -> list[str]:
    """The picture files the revision's lessons name (they are content: a diff compares them),
    when they are plain paths inside the course; read like the rest, the loader checks them. The
    lessons were written by ``_materialise`` (a lesson over the size limit is an empty stand-in)."""
    names = set()
    for lesson in sorted((course / LESSON_DIR).glob("*.yaml")):
        try:
            if lesson.stat().st_size > limits.MAX_FILE_BYTES:
                continue
            text = lesson.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for pattern in _PICTURE_NAMES:
            names.update(m.group(1) for m in pattern.finditer(text))
    return [inside(n) for n in sorted(names)
            if n and not n.startswith(("/", "\\")) and ".." not in PurePosixPath(n).parts and ":" not in n]


@dataclasses.dataclass(frozen=True)
class _Entry:
    mode: str
    kind: str
    oid: str
    size: int | None
    path: str


def _tree(top: Path, commit: str, paths: list[str], revision: str) -> list[_Entry]:
    """The files under ``paths`` in ``commit``, with mode, object id and size (``git ls-tree -l``)."""
    out = _git_bytes(top, "ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", *paths,
                     what=f"cannot list the files of {revision}")
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        head, _, raw_path = record.partition(b"\t")
        mode, kind, oid, size = head.split()
        try:
            path = raw_path.decode("utf-8")
        except UnicodeDecodeError:
            continue  # not a name the loader could read either (course files are named in UTF-8)
        entries.append(_Entry(mode.decode(), kind.decode(), oid.decode(), int(size) if size.isdigit() else None, path))
    return entries


def _materialise(top: Path, entries: list[_Entry], scratch: Path, max_bytes: int, shown, problems: list) -> None:
    """Writes ``entries`` (blobs) under ``scratch``, read with one ``git cat-file --batch``."""
    wanted: list[tuple[_Entry, Path]] = []
    for entry in entries:
        parts = PurePosixPath(entry.path).parts
        if any(p in ("", ".", "..") for p in parts) or entry.path.startswith("/"):
            continue  # git never stores such a name; a crafted tree might
        target = scratch.joinpath(*parts)
        if entry.mode == "120000":
            problems.append(Problem(shown(entry.path), 1, 1, "course file is a symbolic link in this revision; "
                                                           "links in a revision are not followed"))
            continue
        if entry.kind != "blob":
            continue  # a submodule
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry.size is not None and entry.size > max_bytes:
            # Not read: the loader refuses a file of this size with its own message, from its size.
            with target.open("wb") as f:
                f.truncate(entry.size)
            continue
        wanted.append((entry, target))
    if not wanted:
        return
    try:
        batch = subprocess.Popen(["git", "-C", str(top), "cat-file", "--batch"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except FileNotFoundError:
        raise RevisionError("git is not installed: a revision cannot be read") from None
    with batch:
        # One object at a time: git answers (and flushes) each before reading the next id, so neither
        # pipe fills while the other waits.
        for entry, target in wanted:
            batch.stdin.write(entry.oid.encode() + b"\n")
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise RevisionError(f"git cannot read {entry.path}")
            size = int(header[2])
            with target.open("wb") as f:
                left = size
                while left:
                    chunk = batch.stdout.read(min(left, 1 << 20))
                    if not chunk:
                        raise RevisionError(f"git stopped while reading {entry.path}")
                    f.write(chunk)
                    left -= len(chunk)
            batch.stdout.read(1)  # the line end after the content
        batch.stdin.close()
    if batch.returncode not in (0, None):  # pragma: no cover - git failed after answering
        raise RevisionError(f"git cannot read the files of the revision (exit {batch.returncode})")


def _branding_files(course_file: Path, inside) -> list[str]:
    """The deck template and logo the revision's course.yaml names (they shape the slides), when
    they are plain paths inside the course; the loader checks them again. Read with the loader's
    own reader and limits: a course.yaml too large, too deep, not UTF-8 or not YAML names none, and
    the loader reports it, located."""
    from generator.loader.yaml_source import read_yaml

    doc, _ = read_yaml(course_file, COURSE_FILE)
    branding = doc.data.get("branding") if doc is not None and isinstance(doc.data, dict) else None
    found = []
    for key in ("template", "logo"):
        value = branding.get(key) if isinstance(branding, dict) else None
        if isinstance(value, str) and value and not value.startswith(("/", "\\")) and ".." not in Path(value).parts:
            found.append(inside(value))
    return found


def _git_bytes(cwd: Path, *args: str, what: str) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise RevisionError("git is not installed: a revision cannot be read") from None
    if result.returncode != 0:
        raise RevisionError(what or result.stderr.decode("utf-8", "replace").strip())
    return result.stdout


def _git(cwd: Path, *args: str, what: str) -> str:
    return _git_bytes(cwd, *args, what=what).decode("utf-8", "replace")


def latest_tag(course_dir: Path) -> str:
    """The most recent tag reachable from HEAD in the repository of ``course_dir``: the last release."""
    course_dir = course_dir.resolve()
    _git(course_dir, "rev-parse", "--show-toplevel",
         what=f"{course_dir} is not in a git repository: name the release to compare with (--since)")
    return _git(course_dir, "describe", "--tags", "--abbrev=0",
                what="the repository has no tag to compare with: name a revision with --since").strip()
