"""The build: load and check everything first, then run every target, then swap the output in.

Output is written into a temporary directory beside ``OUT`` and replaces ``OUT`` only when every
target succeeded, so a failed build never damages the previous one. Artifacts whose inputs did not
change since the previous build are carried over from ``OUT`` instead of rebuilt (``cache``).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from generator import targets
from generator.loader.load import LoadedCourse, load_course
from generator.problems import CourseError, Problem

MANIFEST = "manifest.json"


class UsageError(Exception):
    """A request the CLI must refuse (bad option values, dangerous output paths)."""


@dataclass
class BuildRequest:
    course_dir: Path
    out: Path
    formats: list[str] | None = None  # None: every registered kind
    languages: list[str] | None = None  # None: every course language
    audiences: list[str] | None = None  # None: every course audience
    strict: bool = False
    #: A release build: refused unless every lesson is approved and none is overdue for review.
    release: bool = False
    #: Kept by a caller that builds the same course again and again (the watch loop): files whose
    #: bytes did not change are not parsed and validated again (``load.load_course``).
    loaded_files: dict | None = field(default=None, compare=False, repr=False)


@dataclass
class BuildResult:
    out: Path
    manifest: dict
    warnings: list[Problem] = field(default_factory=list)
    built: int = 0  # cache units (jobs) built now
    carried: int = 0  # cache units carried over from the previous build


@dataclass(frozen=True)
class PlannedJob:
    kind: str
    lang: str
    audience: str | None
    part: str | None = None  # see targets.Job.part


def plan(loaded: LoadedCourse, request: BuildRequest) -> list[PlannedJob]:
    course = loaded.course
    kinds = request.formats or targets.kinds()
    unknown = [k for k in kinds if k not in targets.REGISTRY]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; choose from {', '.join(targets.kinds())}")
    langs = request.languages or course.languages
    bad = [l for l in langs if l not in course.languages]
    if bad:
        raise UsageError(f"language {', '.join(bad)} is not in the course (it has {', '.join(course.languages)})")
    known_audiences = [a.id for a in course.audiences]
    audiences = request.audiences or known_audiences
    bad = [a for a in audiences if a not in known_audiences]
    if bad:
        raise UsageError(f"audience {', '.join(bad)} is not in the course"
                         + (f" (it has {', '.join(known_audiences)})" if known_audiences else " (it has none)"))
    jobs = []
    # One-lesson artifacts are planned apart from whole-course ones: they are cached, and spread
    # over the workers, on their own.
    parts = [f"lesson:{lesson.id}" for lesson in course.lessons] + ["course"]
    for kind in kinds:
        target = targets.load_target(kind)
        for lang in langs:
            for audience in (audiences or [None]) if target.per_audience else [None]:
                for part in parts if target.per_lesson else [None]:
                    jobs.append(PlannedJob(kind, lang, audience, part))
    return jobs


def warm_up(request: BuildRequest) -> None:
    """Run the smallest job of every requested kind in this process, into a scratch folder, so that
    builds forked from it later start warm: what a job prepares once per process (imports, the deck
    template's layouts, compiled page templates, fonts) is then in memory. Nothing of it reaches
    the output. Used by the watch loop."""
    import tempfile

    try:
        loaded = load_course(request.course_dir)
        jobs = plan(loaded, request)
    except (CourseError, UsageError):
        return  # the next successful build warms up as it goes
    smallest: dict[str, PlannedJob] = {}
    for job in jobs:
        if job.kind not in smallest or (smallest[job.kind].part == "course" and job.part != "course"):
            smallest[job.kind] = job
    with tempfile.TemporaryDirectory(prefix="modgen-warm-") as scratch:
        try:
            run_jobs(loaded, list(smallest.values()), Path(scratch), workers=1)
        except Exception:  # only a head start: a real build reports whatever this ran into
            pass
    prepare(loaded.course, list(smallest))


def prepare(course, kinds: Iterable[str]) -> None:
    """Let each target do ahead of time what builds of ``course`` can use (``Target.prepare``)."""
    for kind in kinds:
        try:
            targets.load_target(kind).prepare(course)
        except Exception:  # only a head start, as above
            pass


def check_output_dir(out: Path, course_dir: Path) -> None:
    """Refuse output directories whose replacement would destroy something that is not output."""
    out_r, course_r = out.resolve(), course_dir.resolve()
    home = Path.home().resolve()
    if out_r == Path(out_r.anchor) or out_r == home:
        raise UsageError(f"refusing to write the build into {out_r}: choose a dedicated output directory")
    if out_r == course_r or out_r in course_r.parents:
        raise UsageError(f"refusing to write the build into {out}: it holds the course itself")
    if out_r.exists() and not out_r.is_dir():
        raise UsageError(f"{out} exists and is not a directory")
    if out_r.is_dir() and any(out_r.iterdir()) and not (out_r / MANIFEST).is_file():
        raise UsageError(f"{out} is not empty and holds no {MANIFEST}: it does not look like a modgen "
                         "build, so it is not replaced")


def unfinished_languages(loaded: LoadedCourse) -> list[Problem]:
    """A release carries every language the course names: one left out as incomplete refuses it."""
    left_out = [w for w in loaded.warnings if " and not built: " in w.message]
    return [Problem(w.path, w.line, w.column, w.message.replace(" and not built", ""),
                    "a release needs every language complete: translate it, or take it out of 'languages'")
            for w in left_out]


def build(request: BuildRequest, *, progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Build every requested artifact. Raises CourseError for content problems, UsageError for requests."""
    loaded = load_course(request.course_dir, strict=request.strict, memo=request.loaded_files,
                         languages=request.languages)
    if request.release:
        from generator.governance.review import release_problems

        refused = release_problems(loaded.course) + unfinished_languages(loaded)
        if refused:  # before anything is written: the previous output stays as it was
            raise CourseError(refused)
    check_output_dir(request.out, request.course_dir)
    jobs = plan(loaded, request)
    out = request.out
    out.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(out):
        _remove_stale_staging(out)
        staging = out.parent / f".{out.name}.building-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        try:
            artifacts, built = _build_with_cache(loaded, jobs, out, staging, progress)
            manifest = write_manifest(loaded, artifacts, staging)
            swap_in(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildResult(out, manifest, loaded.warnings, built, len(jobs) - built)


def _build_with_cache(loaded: LoadedCourse, jobs: list[PlannedJob], out: Path, staging: Path,
                      progress: Callable[[str, int, int], None] | None) -> tuple[list[targets.Artifact], int]:
    """Carry over from ``out`` the units whose inputs did not change; build the others. Returns
    the artifacts and how many units were built."""
    from generator import cache

    keys = cache.Keys(loaded)
    previous = cache.read_index(out)
    seen = cache.read_stats(out)
    stats: dict[str, list[int]] = {}
    fragments = cache.Fragments(keys, out if out.is_dir() else None, staging)
    units: dict[str, dict] = {}
    artifacts: list[targets.Artifact] = []
    todo: dict[PlannedJob, str] = {}
    for planned in jobs:
        key = keys.key(planned.kind, planned.lang, planned.audience, planned.part)
        entry = previous.get(key)
        if (entry is not None and fragments.carry(entry.get("fragments", []))
                and cache.carry(entry, out, staging, seen, stats)):
            units[key] = entry
            artifacts += [targets.Artifact(**a) for a in entry["artifacts"]]
        else:
            todo[planned] = key
    used: dict[PlannedJob, list[str]] = {}
    written: dict[PlannedJob, tuple[list, dict]] = {}
    done = run_jobs(loaded, list(todo), staging, progress, fragments=fragments, used=used, written=written)
    fragments.drop_shared()
    for planned, built in done.items():
        files, seen_now = written[planned]
        stats.update(seen_now)
        units[todo[planned]] = {"artifacts": [vars(a) for a in built], "files": files,
                                "fragments": sorted(set(used.get(planned, [])))}
        artifacts += built
    cache.write_index(staging, units)
    cache.write_stats(staging, stats)
    return artifacts, len(todo)


def run_jobs(loaded: LoadedCourse, jobs: Iterable[PlannedJob], staging: Path,
             progress: Callable[[str, int, int], None] | None = None,
             workers: int | None = None, fragments=None,
             used: dict[PlannedJob, list[str]] | None = None,
             written: dict[PlannedJob, tuple[list, dict]] | None = None) -> dict[PlannedJob, list[targets.Artifact]]:
    """Run every job, on all cores when there is more than one job.

    Jobs are independent (each writes its own folder), so they run in a process pool; the course is
    handed to the workers by fork, not pickled. Results are ordered by the manifest, not by
    completion, so the output does not depend on scheduling. ``used`` receives, per job, the keys
    of the fragments (``cache.Fragments``) it used; ``written``, the files it wrote with their
    sizes and digests, and their stat (``cache.files_of``): worked out by the job's worker, side
    by side with the other jobs, rather than by the build afterwards.
    """
    used = used if used is not None else {}
    hashed = written is not None
    written = written if written is not None else {}
    jobs = list(jobs)
    workers = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    artifacts: dict[PlannedJob, list[targets.Artifact]] = {}

    def report(done: int, planned: PlannedJob | None) -> None:
        if progress:
            label = "done" if planned is None else " ".join(
                x for x in (planned.kind, planned.lang, planned.audience) if x)
            progress(label, done, len(jobs))

    global _WORKER_STATE
    _WORKER_STATE = (loaded, staging, fragments, hashed)
    _VIEWS.clear()  # views of an earlier build in this process must not leak into this one
    if workers <= 1 or len(jobs) <= 1 or not _can_fork():
        for i, planned in enumerate(jobs):
            report(i, planned)
            artifacts[planned], used[planned], written[planned] = _run_job(planned)
    else:
        import concurrent.futures as futures
        import importlib
        import multiprocessing

        # What the jobs render with is imported once, here, and shared by the forked workers.
        for kind in sorted({planned.kind for planned in jobs}):
            for module in targets.load_target(kind).renders_with:
                importlib.import_module(module)
        with futures.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_worker_started) as pool:
            # Whole-course decks are the longest jobs: started first, they do not leave one core
            # working alone at the end.
            pending = {pool.submit(_run_job, planned): planned
                       for planned in sorted(jobs, key=lambda j: j.part != "course")}
            for done, future in enumerate(futures.as_completed(pending), start=1):
                report(done, pending[future])
                artifacts[pending[future]], used[pending[future]], written[pending[future]] = future.result()
    _WORKER_STATE = None
    report(len(jobs), None)
    return artifacts


_WORKER_STATE: tuple[LoadedCourse, Path, object, bool] | None = None
_VIEWS: dict[str | None, object] = {}


def _run_job(planned: PlannedJob) -> tuple[list[targets.Artifact], list[str], tuple[list, dict]]:
    loaded, staging, fragments, hashed = _WORKER_STATE
    if planned.audience not in _VIEWS:
        _VIEWS[planned.audience] = loaded.course.for_audience(planned.audience)
    target = targets.load_target(planned.kind)
    job = targets.Job(_VIEWS[planned.audience], planned.lang, planned.audience, staging, planned.kind, planned.part,
                      fragments=fragments)
    built = target.build(job)
    seen: dict[str, list[int]] = {}
    if hashed:
        from generator import cache

        return built, job.used_fragments, (cache.files_of(staging, [a.path for a in built], seen), seen)
    return built, job.used_fragments, ([], seen)


def _worker_started() -> None:
    """A worker must not outlive its build: if the build is killed, so are its workers.

    Otherwise an orphaned worker would keep the inherited output lock and block the next build.
    """
    if _LOCK_FD is not None:
        try:
            os.close(_LOCK_FD)
        except OSError:
            pass
    if sys.platform == "linux":
        try:
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
        if os.getppid() == 1:  # the build died before we got here
            os._exit(1)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class _build_lock:
    """One build at a time per output location (a second one waits).

    The lock is taken on the directory that holds ``out``, so no lock file is left behind.
    """

    def __init__(self, out: Path):
        self.path = out.parent

    def __enter__(self):
        global _LOCK_FD
        self.fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        _LOCK_FD = self.fd
        return self

    def __exit__(self, *exc):
        global _LOCK_FD
        _LOCK_FD = None
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        return False


_LOCK_FD: int | None = None


def write_manifest(loaded: LoadedCourse, artifacts: list[targets.Artifact], root: Path) -> dict:
    entries = []
    for a in artifacts:
        target = root / a.path
        size = (sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
                if target.is_dir() else target.stat().st_size)
        entry = {"kind": a.kind, "lang": a.lang, "audience": a.audience, "path": a.path, "bytes": size}
        entry.update(sorted(a.extra.items()))  # same order whether built now or carried from the cache
        entries.append(entry)
    kind_order = {k: i for i, k in enumerate(targets.kinds())}
    entries.sort(key=lambda e: (kind_order.get(e["kind"], 99), e["lang"], e["audience"] or "", e["path"]))
    manifest = {
        "course": loaded.course.id,
        "version": loaded.course.version,
        "artifacts": entries,
        "warnings": [w.format() for w in loaded.warnings],
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def swap_in(staging: Path, out: Path) -> None:
    """Put ``staging`` in the place of ``out`` so that ``out`` is never missing or half-written.

    On Linux the two directories are exchanged in one atomic ``renameat2(RENAME_EXCHANGE)`` call: a
    build killed at any instant leaves either the whole old or the whole new output. Elsewhere two
    renames are used, with a moment in between where ``out`` does not exist (never a mix).
    """
    if not out.exists():
        os.replace(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous build
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2). False where the system cannot."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove_stale_staging(out: Path) -> None:
    """Delete what builds killed earlier left beside ``out`` (their process no longer exists)."""
    for leftover in [*out.parent.glob(f".{out.name}.building-*"), *out.parent.glob(f".{out.name}.old-*")]:
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = ["BuildRequest", "BuildResult", "CourseError", "UsageError", "build"]
