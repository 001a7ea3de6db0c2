"""``modgen build --watch``: build, then build again after every save, in one warm process.

A cold ``modgen build`` spends most of a one-lesson rebuild starting up: importing pydantic,
python-pptx, Jinja and the rest, opening the deck template, compiling page templates — in the
build process and again in each worker. A watching build pays that once. After the first build it
runs the smallest job of every requested kind in this process (into a scratch folder, thrown
away), so that what those jobs prepare once per process (imports, the template's layouts, compiled
templates, fonts) is in memory; every rebuild then forks its workers from this warm process.
Each rebuild is an ordinary incremental build (``build.build``): same cache, same bytes as a
clean build, same refusal to damage the previous output when the course has errors.
"""

from __future__ import annotations

import dataclasses
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, TextIO

from generator import build as pipeline
from generator.problems import CourseError

#: Files whose change starts a rebuild (here and in ``modgen serve``): the course's YAML, images
#: (a logo, figures) and deck templates.
WATCHED_SUFFIXES = (".yaml", ".yml", ".png", ".jpg", ".jpeg", ".svg", ".pptx", ".potx")


def watched_folders(course_dir: Path) -> list[Path]:
    """The course folder, its lesson and quiz folders and the folders of its template, logo and
    figures' pictures — not their subtrees: a course may sit at the root of a repository (with its
    build output)."""
    from generator.loader.load import LESSON_DIR, QUIZ_DIR

    folders = [course_dir] + [course_dir / d for d in (LESSON_DIR, QUIZ_DIR) if (course_dir / d).is_dir()]
    try:
        from generator.loader.load import load_course

        from generator.figures import section_figures

        course = load_course(course_dir).course
        branding = course.branding
        pictures = {f.image for lesson in course.lessons for section in lesson.sections
                    for f in section_figures(section) if f.image}
        for name in (branding.template, branding.logo, *sorted(pictures)):
            if name and (course_dir / name).parent.is_dir() and (course_dir / name).parent not in folders:
                folders.append((course_dir / name).parent)
    except CourseError:
        pass  # the course is broken now: its own folders are watched, so fixing it is seen
    return folders


def is_watched(change, path: str) -> bool:
    name = Path(path).name
    return name.lower().endswith(WATCHED_SUFFIXES) and not name.startswith((".", "~$"))


def _state(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Size and modification time of every watched file: what tells a save made while not watching."""
    found = {}
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            if is_watched(None, str(path)):
                try:
                    st = path.stat()
                except OSError:
                    continue
                found[str(path)] = (st.st_mtime_ns, st.st_size)
    return found


class Saves:
    """The saves to a course's files, for a loop that builds after each (this module, ``modgen serve``).

    Made before the first build: it notes how the files are then. Iterating starts the file
    watcher, which says nothing when it is ready; with a timeout it yields an empty set once it is,
    and only then is ``on_ready`` called — a caller announcing that it watches is then telling the
    truth. A save made between the note and that moment is found by comparing the files with it.
    Each iteration is one burst of saves (acted on 50 ms after its last write: an editor's save can
    be several writes), with the files noted afresh before the caller builds.
    """

    def __init__(self, course_dir: Path):
        self.folders = watched_folders(Path(course_dir))
        self.seen = _state(self.folders)

    def watch(self, stop: threading.Event, on_ready: Callable[[], None] | None = None) -> Iterator[None]:
        import watchfiles

        ready = False
        for changes in watchfiles.watch(*self.folders, watch_filter=is_watched, stop_event=stop, debounce=1000,
                                        step=50, rust_timeout=500, yield_on_timeout=True, recursive=False,
                                        raise_interrupt=False):
            if not ready:
                ready = True
                if on_ready is not None:
                    on_ready()
                changes = changes or _state(self.folders) != self.seen
            if changes:
                self.seen = _state(self.folders)
                yield


class Watcher:
    """Builds ``request`` again and again, and says how each build went."""

    def __init__(self, request: pipeline.BuildRequest, *, quiet: bool = False, out: TextIO = sys.stdout,
                 err: TextIO = sys.stderr):
        # Each build parses and validates only the files changed since the one before.
        self.request = dataclasses.replace(request, loaded_files={})
        self.quiet = quiet
        self.out = out
        self.err = err
        self.builds = 0

    def build(self) -> bool:
        """One build; True when it succeeded. Content problems are printed, not raised: the
        previous output stays as it was and the watch goes on."""
        self.builds += 1
        started = time.monotonic()
        try:
            result = pipeline.build(self.request)
        except CourseError as exc:
            for problem in exc.problems:
                print(problem.format(), file=self.err, flush=True)
            n = len(exc.problems)
            print(f"Build failed with {n} error{'s' if n != 1 else ''}; {self.request.out}/ still holds the "
                  "last good build.", file=self.err, flush=True)
            return False
        except pipeline.UsageError as exc:
            if self.builds == 1:  # a wrong --format, --lang or --audience: the author must restart anyway
                raise
            print(f"Build failed: {exc}", file=self.err, flush=True)
            return False
        except Exception as exc:  # an internal bug: said plainly, and the next save is built again
            if self.builds == 1:
                raise
            print(f"modgen: internal error: {type(exc).__name__}: {exc}; {self.request.out}/ still holds the "
                  "last good build.", file=self.err, flush=True)
            return False
        elapsed = time.monotonic() - started
        for warning in result.warnings:
            print(warning.format(), file=self.err, flush=True)
        if not self.quiet:
            units = result.built + result.carried
            done = (f"{result.built} of {units} parts rebuilt, the rest carried over" if result.carried
                    else f"all {units} parts built")
            print(f"Built {self.request.out}/ in {elapsed:.2f} s: {done}.", file=self.out, flush=True)
        return True

    def warm_up(self) -> None:
        """Warm this process up for the rebuilds to come (``build.warm_up``)."""
        pipeline.warm_up(self.request)


def watch(request: pipeline.BuildRequest, *, quiet: bool = False, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
          stop: threading.Event | None = None, on_ready: Callable[[], None] | None = None) -> None:
    """Build ``request``, then again after every change to the course, until interrupted (Ctrl+C,
    SIGTERM) or ``stop`` is set."""
    watcher = Watcher(request, quiet=quiet, out=out, err=err)
    course_dir = Path(request.course_dir)
    stop = stop or threading.Event()

    def terminate(signum, frame) -> None:  # `kill` stops the watch as cleanly as Ctrl+C does
        raise KeyboardInterrupt

    previous_handler = signal.signal(signal.SIGTERM, terminate) if threading.current_thread() is threading.main_thread() \
        else None

    def ready() -> None:
        if not quiet:
            print(f"Watching {course_dir} (Ctrl+C to stop)", file=out, flush=True)
        if on_ready is not None:
            on_ready()

    try:
        saves = Saves(course_dir)
        watcher.build()
        watcher.warm_up()
        for _ in saves.watch(stop, ready):
            watcher.build()
    except KeyboardInterrupt:
        pass
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)
    if not quiet:
        print(f"Stopped watching; {request.out}/ holds the last good build.", file=out, flush=True)
