"""The build cache: artifacts of the previous build are reused when nothing they depend on changed.

A cache unit is one planned job (kind × language × audience, and for ``per_lesson`` targets one
lesson or the whole-course part). Its key is a hash of everything the unit's output can depend on:

- every unit: the generator's own code and data files, the versions of the libraries that shape
  output bytes, the unit's kind, language, audience and part, ``course.yaml`` and the files it
  points at (deck template, logo);
- a whole-course unit: every course file as well — or, for a target that reads only some fields
  of a lesson (``Target.lesson_fields``: the quiz exports), every course file but the lesson files,
  and those fields of every lesson, so editing a lesson's body does not rebuild them;
- a one-lesson unit: that lesson's file, the quiz files of that lesson, the order of all lesson
  ids and which of them the unit's audience sees (a lesson's number comes from them).

The index lives in ``OUT/.cache/index.json`` (not in the manifest) and records, per key, the
artifacts and the size and content hash of each file, so a file changed in ``OUT`` after the build
is rebuilt rather than carried on; equal builds have equal indexes. Reused files are hard-linked (else copied) from the
previous ``OUT`` into the new build before it is swapped in.

Whole-course artifacts (the course deck, the site, the SCORM packages, the facilitator guide) hold
every lesson, so they are rebuilt when any lesson changes. To make that cheap they are assembled from
*fragments*: one lesson's part of the artifact (its slides, its page, its guide section), stored in
``OUT/.cache/fragments/`` under a key made of that lesson's inputs — the same inputs as a one-lesson
unit — and of what the target says the fragment also depends on. Editing one lesson then renders
that lesson's fragments again and reuses the others'. The index records which fragments each unit
used, so a unit carried over keeps its fragments for the next build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from functools import lru_cache
from pathlib import Path

from generator import targets
from generator.loader.load import COURSE_FILE, LoadedCourse

#: Whether unchanged units are carried over (off: every unit is rebuilt, the index still written).
REUSE = True
CACHE_DIR = ".cache"
INDEX = "index.json"
#: Libraries whose version can change the bytes of an artifact.
LIBRARIES = ("python-pptx", "lxml", "jinja2", "markdown", "nh3", "pillow", "pydantic", "pyyaml")
FORMAT = 2


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """A hash of the generator's files (code, templates, assets) and of the output libraries' versions."""
    from importlib import metadata

    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix != ".pyc"):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}={version}\n".encode())
    return h.hexdigest()


class Keys:
    """Cache keys of the units of one build of ``loaded``."""

    def __init__(self, loaded: LoadedCourse):
        course = loaded.course
        root = Path(course.root).resolve() if course.root is not None else None
        self._digests: dict[str, str] = {}
        self._root = root
        for path in loaded.files:
            self._digest(path)
        shared = [COURSE_FILE] + [p for p in (course.branding.template, course.branding.logo) if p]
        base = hashlib.sha256(generator_fingerprint().encode())
        for name in shared:
            base.update(f"{name}\0{self._digest(root / name) if root else '-'}\n".encode())
        self._base = base.hexdigest()
        every = hashlib.sha256(self._base.encode())
        for name, digest in sorted(self._digests.items()):
            every.update(f"{name}\0{digest}\n".encode())
        self._every = every.hexdigest()
        self._course = course
        self._reading: dict[tuple[str, ...], str] = {}
        self._order = "\n".join(lesson.id for lesson in course.lessons)
        self._lessons: dict[tuple[str, tuple[str, ...] | None], str] = {}
        self._lesson_files: dict[str, tuple[str | None, list[str | None]]] = {}
        for lesson in course.lessons:
            quiz_files = [q._source.path if q._source else None for q in course.quizzes
                          if q.lesson == lesson.id or q.id == lesson.quiz]
            self._lesson_files[lesson.id] = (lesson._source.path if lesson._source else None, quiz_files)

    def _digest(self, path: Path) -> str:
        name = path.resolve().relative_to(self._root).as_posix() if self._root else str(path)
        if name not in self._digests:
            try:
                self._digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._digests[name] = "missing"
        return self._digests[name]

    def lesson_inputs(self, lesson_id: str, fields: tuple[str, ...] | None = None) -> str:
        """The hash of everything a one-lesson unit depends on (random when unknown: never reused):
        the lesson's file — or, with ``fields``, only those fields of the lesson — and its quiz files."""
        if (lesson_id, fields) in self._lessons:
            return self._lessons[lesson_id, fields]
        if lesson_id not in self._lesson_files:
            return os.urandom(16).hex()
        lesson_file, quiz_files = self._lesson_files[lesson_id]
        h = hashlib.sha256(f"{self._base}\n{self._order}\n".encode())
        if fields is not None:
            lesson = next(x for x in self._course.lessons if x.id == lesson_id)
            h.update(f"lesson fields {' '.join(fields)}\n".encode() + _fields_of(lesson, fields))
        for name in ([lesson_file] if fields is None else []) + quiz_files:
            if name is None or self._root is None:  # no file to hash: never reuse
                h.update(os.urandom(16))
                continue
            h.update(f"{name}\0{self._digest(self._root / name)}\n".encode())
        self._lessons[lesson_id, fields] = h.hexdigest()
        return self._lessons[lesson_id, fields]

    def _every_but_lessons(self, fields: tuple[str, ...]) -> str:
        """The inputs of a whole-course unit that reads only ``fields`` of each lesson: every course
        file but the lesson files, then those fields of every lesson, in lesson order. A lesson
        whose file is not known keeps its whole file in the key."""
        if fields not in self._reading:
            lesson_files = set()
            if self._root is not None:
                lesson_files = {(self._root / lesson._source.path).resolve().relative_to(self._root).as_posix()
                                for lesson in self._course.lessons if lesson._source is not None}
            h = hashlib.sha256(f"{self._base}\nlesson fields {' '.join(fields)}\n".encode())
            for name, digest in sorted(self._digests.items()):
                if name not in lesson_files:
                    h.update(f"{name}\0{digest}\n".encode())
            for lesson in self._course.lessons:
                h.update(_fields_of(lesson, fields))
            self._reading[fields] = h.hexdigest()
        return self._reading[fields]

    def key(self, kind: str, lang: str, audience: str | None, part: str | None) -> str:
        shown = None
        if part is not None and part.startswith("lesson:"):
            inputs = self.lesson_inputs(part[len("lesson:"):])
            # A lesson's number counts the lessons its audience sees, and whether another lesson is
            # for this audience is written in that lesson's file, not in this one's.
            shown = [lesson.id for lesson in self._course.lessons if lesson.is_for(audience)]
        elif (fields := targets.load_target(kind).lesson_fields) is not None and self._root is not None:
            inputs = self._every_but_lessons(tuple(fields))
        else:
            inputs = self._every
        unit = json.dumps([kind, lang, audience, part, shown])
        return hashlib.sha256(f"{inputs}\n{unit}".encode()).hexdigest()


def _fields_of(lesson, fields: tuple[str, ...]) -> bytes:
    """``fields`` of ``lesson`` as they were loaded (not its file: comments and layout do not count)."""
    read = lesson.model_dump(mode="json", include=set(fields))
    return json.dumps(read, ensure_ascii=False, sort_keys=True).encode() + b"\n"


def read_index(out: Path) -> dict:
    try:
        data = json.loads((out / CACHE_DIR / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("units", {}) if isinstance(data, dict) and data.get("format") == FORMAT else {}


def write_index(staging: Path, units: dict) -> None:
    (staging / CACHE_DIR).mkdir(exist_ok=True)
    data = {"format": FORMAT, "units": units}
    (staging / CACHE_DIR / INDEX).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def files_of(root: Path, paths: list[str]) -> list[list]:
    """``[relative path, size, sha256]`` of every file of the artifacts at ``paths`` under ``root``."""
    found = []
    for rel in paths:
        target = root / rel
        members = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        for p in members:
            data = p.read_bytes()
            found.append([p.relative_to(root).as_posix(), len(data), hashlib.sha256(data).hexdigest()])
    return found


def carry(entry: dict, previous: Path, staging: Path) -> bool:
    """Link the unit's files from the previous output into ``staging``; False (nothing left
    behind) when any of them is missing or was changed since it was built."""
    if not REUSE:
        return False
    files = entry.get("files") or []
    for rel, size, digest in files:
        if ".." in Path(rel).parts:
            return False
        try:
            data = (previous / rel).read_bytes()
        except OSError:
            return False
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            return False
    done = []
    try:
        for rel, _, _ in files:
            src, dst = previous / rel, staging / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
            done.append(dst)
    except OSError:
        for dst in done:
            dst.unlink(missing_ok=True)
        return False
    return True


FRAGMENTS = "fragments"


class Fragments:
    """One build's store of lesson fragments: found in this build, in the previous ``OUT``, or made.

    A fragment file is its content preceded by the SHA-256 of that content, so a fragment damaged or
    edited in ``OUT`` is made again rather than trusted. Fragments are written into the staging
    directory (atomically: workers may make the same one at the same time) and so move with the
    build; the previous build's fragments are linked over when used.
    """

    def __init__(self, keys: Keys, previous: Path | None, staging: Path):
        self._keys = keys
        self._previous = previous / CACHE_DIR / FRAGMENTS if previous is not None else None
        self._dir = staging / CACHE_DIR / FRAGMENTS

    def key(self, lesson_id: str, unit: list, fields: tuple[str, ...] | None = None) -> str:
        """The key of a fragment of ``lesson_id``; ``fields``: the target reads only those fields of
        a lesson (``Target.lesson_fields``), so they stand for the lesson's file, as in its unit's key."""
        spec = json.dumps(unit, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(f"{self._keys.lesson_inputs(lesson_id, fields)}\n{spec}".encode()).hexdigest()

    def get(self, key: str, make) -> bytes:
        data = _read_fragment(self._dir / key)
        if data is None:
            data = self._from_previous(key)
        if data is None:
            data = make()
            _write_fragment(self._dir / key, data)
        return data

    def carry(self, keys: list[str]) -> bool:
        """Link the fragments of a carried unit over from the previous build (False if any is gone)."""
        return all((self._dir / key).exists() or self._from_previous(key) is not None for key in keys)

    def _from_previous(self, key: str) -> bytes | None:
        """The previous build's fragment ``key``, linked into this build; None when it is missing or
        damaged (or reuse is off)."""
        if not REUSE or self._previous is None:
            return None
        source = self._previous / key
        data = _read_fragment(source)
        if data is None:
            return None
        self._dir.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, self._dir / key)
        except FileExistsError:
            pass
        except OSError:  # another file system: a copy
            _write_fragment(self._dir / key, data)
        return data


def _read_fragment(path: Path) -> bytes | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    digest, data = raw[:32], raw[32:]
    return data if len(raw) >= 32 and hashlib.sha256(data).digest() == digest else None


def _write_fragment(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(hashlib.sha256(data).digest() + data)
    os.replace(temporary, path)
