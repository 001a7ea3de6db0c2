"""The build cache: artifacts of the previous build are reused when nothing they depend on changed.

A cache unit is one planned job (kind × language × audience, and for ``per_lesson`` targets one
lesson or the whole-course part). Its key is a hash of everything the unit's output can depend on:

- every unit: the generator's own code and data files, the versions of the libraries that shape
  output bytes, the unit's kind, language, audience and part, ``course.yaml`` and the files it
  points at (deck template, logo);
- a whole-course unit: every lesson and quiz *as a build in the unit's language sees it* — each
  text reduced to that language's text, so editing the English of a lesson does not rebuild the
  Dutch material — or, for a target that reads only some fields of a lesson
  (``Target.lesson_fields``: the quiz exports), only those fields of every lesson, so editing a
  lesson's body does not rebuild them;
- a one-lesson unit: that lesson and its quizzes as seen in the unit's language, the order of all
  lesson ids and which of them the unit's audience sees (a lesson's number comes from them).

Lessons and quizzes are keyed by what was loaded, not by their files' bytes: a comment or a change
of layout in a lesson file rebuilds nothing.

The index lives in ``OUT/.cache/index.json`` (not in the manifest) and records, per key, the
artifacts and the size and content hash of each file, so a file changed in ``OUT`` after the build
is rebuilt rather than carried on; equal builds have equal indexes. Beside it, ``stat.json`` records
each file's size, modification time and inode as this machine saw them, so an unchanged file is
known without hashing it again (``read_stats``); it differs between equal builds. Reused files are
hard-linked (else copied) from the previous ``OUT`` into the new build before it is swapped in.

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
import importlib.util
import json
import os
import re
import shutil
import stat
import time
from enum import Enum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from generator import targets, user_cache
from generator.loader.load import COURSE_FILE, LoadedCourse
from generator.model import Text

#: Whether unchanged units are carried over (off: every unit is rebuilt, the index still written).
REUSE = True
CACHE_DIR = ".cache"
INDEX = "index.json"
#: Libraries whose version can change the bytes of an artifact: distribution → the module it installs.
LIBRARIES = {"python-pptx": "pptx", "lxml": "lxml", "jinja2": "jinja2", "markdown": "markdown", "nh3": "nh3",
             "pillow": "PIL", "pydantic": "pydantic", "pyyaml": "yaml", "babel": "babel"}  # babel: CLDR formats
FORMAT = 2
#: The generator's own files: code, templates, fonts, the default deck template.
PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """A hash of the generator's files (code, templates, assets) and of the output libraries' versions."""
    h = hashlib.sha256(f"format {FORMAT}\n{package_digest(PACKAGE)}\n".encode())
    listings: dict[str, dict[str, list[str]]] = {}  # most libraries share one site-packages
    for distribution, module in LIBRARIES.items():
        h.update(f"{distribution}={library_version(distribution, module, listings)}\n".encode())
    return h.hexdigest()


#: How long after a file last changed its stat can be trusted to show the next change: a file
#: system stamps times in ticks (a few milliseconds; two seconds on FAT), and a change within the
#: tick of the previous one leaves size and times as they were.
SETTLED_NS = 3_000_000_000


def package_digest(package: Path) -> str:
    """The SHA-256 of the path and content of every file of ``package`` (not its bytecode).

    Hashing the 3 MB of fonts, templates and default deck on every build costs more than all the
    rest of a build with nothing to do, so the digest is kept in the user's cache (``user_cache``)
    with the files' stat data: path, size, inode, modification and change time. Writing a file, or
    setting its times, gives it a new change time, which a user cannot set back; so while the stat
    data are the same, so are the contents. A file changed in the last ``SETTLED_NS`` could still
    change within its time stamp's tick: the digest is then not kept.
    """
    stats = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        inside = os.path.relpath(folder, package).split(os.sep) if folder != str(package) else []
        for name in names:
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:  # a dangling link
                continue
            if stat.S_ISREG(st.st_mode) and not name.endswith(".pyc"):
                stats.append((inside + [name], path, st))
    stats.sort(key=lambda found: found[0])
    seen = hashlib.sha256(str(package).encode())
    for parts, _, st in stats:
        seen.update(f"{'/'.join(parts)}\0{st.st_size} {st.st_ino} {st.st_mtime_ns} {st.st_ctime_ns}\n".encode())
    memo = _memo(package)
    if memo is not None and user_cache.private(memo.parent):
        try:
            kept = memo.read_text(encoding="ascii").split()
        except (OSError, UnicodeDecodeError):
            kept = []
        if len(kept) == 2 and kept[0] == seen.hexdigest() and re.fullmatch("[0-9a-f]{64}", kept[1]):
            return kept[1]
    h = hashlib.sha256()
    for parts, path, _ in stats:
        with open(path, "rb") as f:
            h.update("/".join(parts).encode() + b"\0" + hashlib.sha256(f.read()).digest())
    digest = h.hexdigest()
    latest = max((max(st.st_mtime_ns, st.st_ctime_ns) for _, _, st in stats), default=0)
    if memo is not None and time.time_ns() - latest > SETTLED_NS and user_cache.private(memo.parent, create=True):
        user_cache.write(memo, f"{seen.hexdigest()} {digest}\n".encode())
    return digest


def _memo(package: Path) -> Path | None:
    """Where the digest of ``package`` is kept: one file per installed copy of the generator."""
    folder = user_cache.folder("generator")
    return folder / hashlib.sha256(str(package).encode()).hexdigest()[:32] if folder is not None else None


def library_version(distribution: str, module: str, listings: dict[str, dict[str, list[str]]] | None = None) -> str:
    """The installed version of ``distribution`` (``-`` when it is not installed).

    Read from the one ``<name>-<version>.dist-info`` folder beside ``module``, where installers put
    it, without importing the library or ``importlib.metadata`` (20 ms, with email and zipfile).
    Where there is not exactly one (an editable install, a broken one), ``importlib.metadata``
    decides, as it always did. ``listings`` keeps the folders' dist-info folders between calls.
    """
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.has_location and spec.origin:
        origin = Path(spec.origin)
        site = origin.parent.parent if spec.submodule_search_locations is not None else origin.parent
        listings = {} if listings is None else listings
        if str(site) not in listings:
            listings[str(site)] = _dist_infos(site)
        found = listings[str(site)].get(_distribution_name(distribution), [])
        if len(found) == 1 and (version := _metadata_version(Path(found[0]) / "METADATA")):
            return version
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def _dist_infos(site: Path) -> dict[str, list[str]]:
    """The ``.dist-info`` folders in ``site``, by distribution name."""
    found: dict[str, list[str]] = {}
    try:
        with os.scandir(site) as entries:
            for entry in entries:
                if entry.name.endswith(".dist-info"):
                    found.setdefault(_distribution_name(entry.name.partition("-")[0]), []).append(entry.path)
    except OSError:
        pass
    return found


def _distribution_name(name: str) -> str:
    """A distribution's name as installers compare it (``PyYAML``, ``pyyaml``; ``python_pptx``, ``python-pptx``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _metadata_version(path: Path) -> str | None:
    """The ``Version`` header of a distribution's ``METADATA`` file (headers end at the first empty line)."""
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    break
                name, _, value = line.partition(":")
                if name.lower() == "version":
                    return value.strip() or None
    except (OSError, UnicodeDecodeError):
        return None
    return None


class Keys:
    """Cache keys of the units of one build of ``loaded``.

    A unit or fragment in language L is keyed by the course *as a build in L sees it*: every text
    of the lessons and quizzes reduced to its L text (``_in_language``). An author editing the
    English of a lesson then rebuilds the English material only; the Dutch is carried over.
    ``course.yaml`` (and the files it points at) is keyed by its bytes: a change there rebuilds
    everything.
    """

    def __init__(self, loaded: LoadedCourse):
        course = loaded.course
        root = Path(course.root).resolve() if course.root is not None else None
        self._root = root
        shared = [COURSE_FILE] + [p for p in (course.branding.template, course.branding.logo) if p]
        # the course's own interface strings (generator/i18n.py), where it has them
        shared += [f"interface/{lang}.po" for lang in course.languages
                   if root is not None and (root / "interface" / f"{lang}.po").is_file()]
        base = hashlib.sha256(generator_fingerprint().encode())
        for name in shared:
            base.update(f"{name}\0{_file_digest(root / name) if root else '-'}\n".encode())
        self._base = base.hexdigest()
        self._course = course
        self._order = "\n".join(lesson.id for lesson in course.lessons)
        self._lessons = {lesson.id: lesson for lesson in course.lessons}
        # a lesson's quizzes: those naming it, and the one it names
        self._quizzes: dict[str, list] = {lesson.id: [] for lesson in course.lessons}
        by_id = {}
        for quiz in course.quizzes:
            by_id.setdefault(quiz.id, []).append(quiz)
            if quiz.lesson in self._quizzes:
                self._quizzes[quiz.lesson].append(quiz)
        for lesson in course.lessons:
            self._quizzes[lesson.id] += [q for q in by_id.get(lesson.quiz, []) if q.lesson != lesson.id]
        # By object identity: the course holds its lessons and quizzes for as long as these keys live.
        self._seen: dict[tuple[int, str, tuple[str, ...] | None], str] = {}
        self._encoded: dict[tuple[int, str], dict[str, str]] = {}
        self._shown: dict[str | None, list[str]] = {}
        self._inputs: dict[tuple[str, str, tuple[str, ...] | None], str] = {}
        self._every: dict[tuple[str, tuple[str, ...] | None], str] = {}
        self._pictures: dict[str, str] = {}

    def _digest_in(self, node, lang: str, fields: tuple[str, ...] | None = None) -> str:
        """The hash of ``node`` (a lesson or a quiz) as a build in ``lang`` sees it — with
        ``fields``, of those fields only."""
        memo = (id(node), lang, fields)
        if memo not in self._seen:
            encoded = self._encoded.get((id(node), lang))
            if encoded is None:  # each field once per language, whatever subsets are asked for
                encoded = self._encoded[id(node), lang] = {
                    name: json.dumps(_in_language(getattr(node, name), lang), ensure_ascii=False, default=str)
                    for name in type(node).model_fields}
            h = hashlib.sha256(type(node).__name__.encode() + b"\n")
            for name in fields if fields is not None else encoded:
                h.update(f"{name}\0{encoded[name]}\n".encode())
            self._seen[memo] = h.hexdigest()
        return self._seen[memo]

    def _images(self, lesson) -> str:
        """The content of the image files ``lesson``'s figures show: the lesson's text names them
        by path only, and a picture replaced under the same name must rebuild what shows it."""
        found = self._pictures.get(lesson.id)
        if found is None:
            from generator.figures import section_figures

            names = sorted({f.image for s in lesson.sections for f in section_figures(s) if f.image})
            found = self._pictures[lesson.id] = "".join(
                f"image {name}\0{_file_digest(self._root / name) if self._root else '-'}\n" for name in names)
        return found

    def lesson_inputs(self, lesson_id: str, lang: str, fields: tuple[str, ...] | None = None) -> str:
        """The hash of everything a one-lesson unit in ``lang`` depends on (random when the lesson
        is unknown: never reused): the lesson — or, with ``fields``, only those fields of it —
        and its quizzes, as seen in ``lang``; the lesson order and the shared inputs."""
        memo = (lesson_id, lang, fields)
        if memo not in self._inputs:
            lesson = self._lessons.get(lesson_id)
            if lesson is None:
                return os.urandom(16).hex()
            h = hashlib.sha256(f"{self._base}\n{self._order}\n{lang}\n".encode())
            h.update(f"lesson {' '.join(fields) if fields is not None else '*'}\0"
                     f"{self._digest_in(lesson, lang, fields)}\n".encode())
            if fields is None or "sections" in fields:
                h.update(self._images(lesson).encode())
            for quiz in self._quizzes[lesson_id]:
                h.update(f"quiz\0{self._digest_in(quiz, lang)}\n".encode())
            # A cross-reference ([](lesson:id)) says another lesson's title (and a section's):
            # the unit is rebuilt when those change. (Its number follows the order, above.)
            for target, section in self._references(lesson):
                other = self._lessons.get(target)
                title = other.title.get(lang) if other is not None else ""
                heading = next((x.title.get(lang) for x in other.sections if x.id == section), "") \
                    if other is not None and section else ""
                h.update(f"xref\0{target}\0{section or ''}\0{title}\0{heading}\n".encode())
            self._inputs[memo] = h.hexdigest()
        return self._inputs[memo]

    def _references(self, lesson) -> list[tuple[str, str | None]]:
        """The lessons (and sections) ``lesson``'s texts refer to, in any language."""
        from generator.model import texts
        from generator.xref import targets

        memo = getattr(self, "_refs", None)
        if memo is None:
            memo = self._refs = {}
        if id(lesson) not in memo:
            found = {ref for _, _, value in texts(lesson) for text in value.root.values() for ref in targets(text)}
            memo[id(lesson)] = sorted(found, key=lambda ref: (ref[0], ref[1] or ""))
        return memo[id(lesson)]

    def course_inputs(self, lang: str, fields: tuple[str, ...] | None = None) -> str:
        """The hash of everything a whole-course unit in ``lang`` depends on: every lesson (or,
        with ``fields``, those fields of every lesson) and every quiz as seen in ``lang``, in
        course order, and the shared inputs."""
        memo = (lang, fields)
        if memo not in self._every:
            h = hashlib.sha256(f"{self._base}\n{lang}\n".encode())
            h.update(f"lessons {' '.join(fields) if fields is not None else '*'}\n".encode())
            for lesson in self._course.lessons:
                h.update(f"{self._digest_in(lesson, lang, fields)}\n".encode())
                if fields is None or "sections" in fields:
                    h.update(self._images(lesson).encode())
            for quiz in self._course.quizzes:
                h.update(f"quiz\0{self._digest_in(quiz, lang)}\n".encode())
            self._every[memo] = h.hexdigest()
        return self._every[memo]

    def key(self, kind: str, lang: str, audience: str | None, part: str | None) -> str:
        shown = None
        if part is not None and part.startswith("lesson:"):
            inputs = self.lesson_inputs(part[len("lesson:"):], lang)
            # A lesson's number counts the lessons its audience sees, and whether another lesson is
            # for this audience is written in that lesson's file, not in this one's.
            if audience not in self._shown:
                self._shown[audience] = [lesson.id for lesson in self._course.lessons if lesson.is_for(audience)]
            shown = self._shown[audience]
        else:
            fields = targets.load_target(kind).lesson_fields
            inputs = self.course_inputs(lang, tuple(fields) if fields is not None else None)
        unit = json.dumps([kind, lang, audience, part, shown])
        return hashlib.sha256(f"{inputs}\n{unit}".encode()).hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _in_language(value, lang: str):
    """``value`` as a target building in ``lang`` can see it: every text reduced to its ``lang``
    text (``Text.get``, the only way targets read a text), everything else kept. Exactness is
    tested: changing every text of the other languages leaves a build's bytes unchanged
    (tests/test_cache_languages.py)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is Text:
        return value.get(lang)
    if kind is list or kind is tuple:
        return [_in_language(item, lang) for item in value]
    if isinstance(value, BaseModel):
        return [kind.__name__, [[name, _in_language(getattr(value, name), lang)] for name in kind.model_fields]]
    if isinstance(value, dict):
        return {str(k): _in_language(v, lang) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


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


def files_of(root: Path, paths: list[str], seen: dict[str, list[int]] | None = None) -> list[list]:
    """``[relative path, size, sha256]`` of every file of the artifacts at ``paths`` under ``root``;
    ``seen`` receives the stat of each (``write_stats``)."""
    found = []
    for rel in paths:
        target = root / rel
        members = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
        for p in members:
            name = p.relative_to(root).as_posix()
            st, size, digest = _read_hashed(p)
            found.append([name, size, digest])
            if seen is not None:
                seen[name] = st
    return found


def _read_hashed(path) -> tuple[list[int], int, str]:
    """The stat of the file at ``path`` (``_stat``, taken before reading it: a change made while
    or after it is read shows next time), its size and its SHA-256."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        data = f.read()
    return _stat(st), len(data), hashlib.sha256(data).hexdigest()


def carry(entry: dict, previous: Path, staging: Path, seen: dict[str, list[int]] | None = None,
          record: dict[str, list[int]] | None = None) -> bool:
    """Link the unit's files from the previous output into ``staging``; False (nothing left
    behind) when any of them is missing or was changed since it was built.

    A file whose stat is the one ``seen`` (``read_stats``) holds for it is unchanged; any other is
    read and compared with the size and hash the index holds. ``record`` receives the stat of each
    file carried over (``write_stats``).
    """
    if not REUSE:
        return False
    files = entry.get("files") or []
    seen = seen or {}
    checked: dict[str, list[int]] = {}
    # Plain strings, not Path objects, and no mkdir for a folder that exists: this loop runs for
    # every file of an unchanged build (hundreds), where each of them showed.
    for rel, size, digest in files:
        if rel.startswith("/") or ".." in rel.split("/"):
            return False
        stat_now = _unchanged(os.path.join(previous, rel), size, digest, seen.get(rel))
        if stat_now is None:
            return False
        checked[rel] = stat_now
    done = []
    try:
        for rel, _, _ in files:
            src, dst = os.path.join(previous, rel), os.path.join(staging, rel)
            try:
                _link(src, dst)
            except OSError:
                shutil.copy2(src, dst)
                # A copy is read after it was checked, and is another file: hashed next time.
                del checked[rel]
            done.append(dst)
    except OSError:
        for dst in done:
            Path(dst).unlink(missing_ok=True)
        return False
    if record is not None:
        record.update(checked)
    return True


#: The stat of every file of a build as this machine saw it (see ``read_stats``). Not in the index:
#: inodes and times differ between two builds of the same course, and equal builds have equal indexes.
STATS = "stat.json"


def _link(src: str, dst: str) -> None:
    """Hard-link ``src`` as ``dst``, making ``dst``'s folder first when it is missing."""
    try:
        os.link(src, dst)
    except FileNotFoundError:
        if not os.path.exists(src):
            raise
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.link(src, dst)


def _stat(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _unchanged(path: str, size: int, digest: str, seen: list[int] | None) -> list[int] | None:
    """The stat of ``path`` if it still holds ``size`` bytes hashing to ``digest``, else None.

    Hashing every file carried over (23 MB for the bundled course) was most of a build with
    nothing to do; a file whose size, modification time and inode are those ``seen`` when it was
    last checked is taken as unchanged without reading it. Anything else is read and hashed
    (``_read_hashed``: the stat returned is the one taken before reading). (A change that keeps
    the size and the inode and then sets the modification time back to the nanosecond,
    ``os.utime``, is not seen: as for make or rsync.)
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    if seen is not None and _stat(st) == seen and st.st_size == size:
        return seen
    try:
        now, size_now, digest_now = _read_hashed(path)
    except OSError:
        return None
    return now if (size_now, digest_now) == (size, digest) else None


def read_stats(out: Path) -> dict[str, list[int]]:
    """The stats the build of ``out`` recorded that show a later change (``_unchanged``).

    A file system stamps times in ticks: a file written in the tick the record was written in
    could be changed again in that same tick, after the build, keeping its modification time. So
    only files last modified in an earlier tick than the record itself are trusted; the others
    are hashed (and then recorded again, by a later record).
    """
    path = out / CACHE_DIR / STATS
    try:
        stamp = path.stat().st_mtime_ns
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("format") == 1 else None
    if not isinstance(files, dict):
        return {}
    return {rel: st for rel, st in files.items()
            if isinstance(st, list) and len(st) == 3 and all(type(x) is int for x in st) and st[1] < stamp}


def write_stats(staging: Path, stats: dict[str, list[int]]) -> None:
    """Record ``stats`` (of files now in ``staging``): last, after every file it records was written."""
    (staging / CACHE_DIR).mkdir(exist_ok=True)
    data = json.dumps({"format": 1, "files": stats}, sort_keys=True, separators=(",", ":"))
    (staging / CACHE_DIR / STATS).write_text(data + "\n", encoding="utf-8")


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
        self._shared_dir = staging / CACHE_DIR / "shared"
        self._made_dir = False

    def key(self, lesson_id: str, lang: str, unit: list, fields: tuple[str, ...] | None = None) -> str:
        """The key of a fragment of ``lesson_id`` in ``lang``; ``fields``: the target reads only those
        fields of a lesson (``Target.lesson_fields``), so they stand for the whole lesson, as in its
        unit's key."""
        spec = json.dumps(unit, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(f"{self._keys.lesson_inputs(lesson_id, lang, fields)}\n{spec}".encode()).hexdigest()

    def get(self, key: str, make) -> bytes:
        data = _read_fragment(self._dir / key)
        if data is None:
            data = self._from_previous(key)
        if data is None:
            data = make()
            _write_fragment(self._dir / key, data)
        return data

    def shared(self, lang: str, unit: list, make) -> bytes:
        """``Job.shared``: kept in the staging directory for this build's other jobs (which may run
        in other workers, after or at the same time: then each makes it) and removed with
        ``drop_shared`` before the build is swapped in."""
        spec = json.dumps(unit, ensure_ascii=False, sort_keys=True, default=str)
        key = hashlib.sha256(f"{self._keys.course_inputs(lang)}\n{spec}".encode()).hexdigest()
        path = self._shared_dir / key
        data = _read_fragment(path)
        if data is None:
            data = make()
            _write_fragment(path, data)
        return data

    def drop_shared(self) -> None:
        shutil.rmtree(self._shared_dir, ignore_errors=True)

    def carry(self, keys: list[str]) -> bool:
        """Link the fragments of a carried unit over from the previous build (False if any is gone).

        They are not read here: ``get`` checks a fragment's hash whenever it is used, so a damaged
        one is made again then; reading them all (12 MB for the bundled course) was a third of a
        build with nothing to do.
        """
        return all(self._link_previous(key) for key in keys)

    def _link_previous(self, key: str) -> bool:
        """Link the previous build's fragment ``key`` into this build, unread; False when it is missing."""
        if not REUSE or self._previous is None or not _FRAGMENT_KEY.fullmatch(key):  # the index names a file
            return False
        if not self._made_dir:
            self._dir.mkdir(parents=True, exist_ok=True)
            self._made_dir = True
        try:
            os.link(self._previous / key, self._dir / key)
        except FileExistsError:  # already linked or made in this build
            return True
        except FileNotFoundError:
            return False
        except OSError:  # another file system: a copy, which reads it
            return self._from_previous(key) is not None
        return True

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


_FRAGMENT_KEY = re.compile("[0-9a-f]{64}")


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
