"""A side of a diff: a course folder, or a git revision of the course (``HEAD~3``, ``v1.0``).

A revision is read with ``git ls-tree`` and ``git archive`` from the repository that holds the
course folder, into a temporary folder that lives as long as the caller's ``ExitStack``: only the
course's own files (``course.yaml``, ``modules/``, ``quizzes/``, and the deck template and logo it
names), never the rest of the repository, and extracted with tarfile's ``data`` filter so that no
member can land outside that folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from generator.loader.load import COURSE_FILE, LESSON_DIR, QUIZ_DIR, LoadedCourse, is_course_dir, load_course
from generator.problems import CourseError

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
    """The course of ``course_dir`` as it was at ``revision``, in a temporary folder."""
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

    wanted = [inside(COURSE_FILE), inside(LESSON_DIR), inside(QUIZ_DIR)]
    listed = _git(top_dir, "ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, "--", *wanted,
                  what=f"cannot list the files of {revision}").split("\0")
    files = [f for f in listed if f]
    if inside(COURSE_FILE) not in files:
        raise RevisionError(f"{revision} has no {inside(COURSE_FILE)}: the course was not there then")
    files += _branding_files(top_dir, commit, inside(COURSE_FILE), inside)
    scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="modgen-diff-")))
    archive = subprocess.run(["git", "-C", str(top_dir), "archive", "--format=tar", commit, "--", *files],
                             capture_output=True, timeout=GIT_TIMEOUT)
    if archive.returncode != 0:
        raise RevisionError(f"git cannot read {revision}: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(scratch, filter="data")
    course = scratch / prefix if prefix != "." else scratch
    pictures = _figure_files(top_dir, commit, course, inside)
    if pictures:
        archive = subprocess.run(["git", "-C", str(top_dir), "archive", "--format=tar", commit, "--", *pictures],
                                 capture_output=True, timeout=GIT_TIMEOUT)
        if archive.returncode == 0:
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(scratch, filter="data")
    return course


#: Where a lesson file names a picture: a figure's ``image:`` and a markdown image in a body.
_PICTURE_NAMES = (re.compile(r"^\s*-?\s*image:\s*[\"']?([^\s\"'#]+)", re.MULTILINE),
                  re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)"))


def _figure_files(top: Path, commit: str, course: Path, inside) -> list[str]:
    """The picture files the revision's lessons name (they are content: a diff compares them),
    when they are plain paths inside the course that the revision holds; the loader checks them."""
    names = set()
    for lesson in sorted((course / LESSON_DIR).glob("*.yaml")):
        try:
            text = lesson.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for pattern in _PICTURE_NAMES:
            names.update(m.group(1) for m in pattern.finditer(text))
    wanted = [inside(n) for n in sorted(names)
              if n and not n.startswith(("/", "\\")) and ".." not in PurePosixPath(n).parts and ":" not in n]
    if not wanted:
        return []
    listed = _git(top, "ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, "--", *wanted, what="")
    return [f for f in listed.split("\0") if f]


def _branding_files(top: Path, commit: str, course_file: str, inside) -> list[str]:
    """The deck template and logo the revision's course.yaml names (they shape the slides), when
    they are plain paths inside the course; the loader checks them again."""
    import yaml

    text = _git(top, "show", f"{commit}:{course_file}", what=f"cannot read {course_file}")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return []  # the loader reports it, located
    branding = data.get("branding") if isinstance(data, dict) else None
    found = []
    for key in ("template", "logo"):
        value = branding.get(key) if isinstance(branding, dict) else None
        if isinstance(value, str) and value and not value.startswith(("/", "\\")) and ".." not in Path(value).parts:
            path = inside(value)
            listed = _git(top, "ls-tree", "--name-only", "--full-tree", commit, "--", path, what="").strip()
            if listed == path:
                found.append(path)
    return found


def _git(cwd: Path, *args: str, what: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise RevisionError("git is not installed: a revision cannot be read") from None
    if result.returncode != 0:
        raise RevisionError(what or result.stderr.strip())
    return result.stdout


def latest_tag(course_dir: Path) -> str:
    """The most recent tag reachable from HEAD in the repository of ``course_dir``: the last release."""
    course_dir = course_dir.resolve()
    _git(course_dir, "rev-parse", "--show-toplevel",
         what=f"{course_dir} is not in a git repository: name the release to compare with (--since)")
    return _git(course_dir, "describe", "--tags", "--abbrev=0",
                what="the repository has no tag to compare with: name a revision with --since").strip()
