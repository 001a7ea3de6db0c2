"""``modgen build --watch`` as an author uses it: the real command in a subprocess, edits made to
the course files on disk, each rebuild checked against a clean build byte for byte.

A rebuild forks its workers from the warm watching process: these tests would catch a cache of
that process (compiled templates, a deck template's layouts, the model) going stale between builds.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.build import BuildRequest, build
from tests.conftest import ROOT
from tests.test_cache import edit, tree

TIMEOUT = 60  # seconds to wait for one build: the machine may be busy


class Watching:
    """A running ``modgen build --watch``, with its output lines as they come."""

    def __init__(self, course: Path, out: Path, *args: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "build", str(course), "-o", str(out), "--watch", *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        for name, stream in (("out", self.proc.stdout), ("err", self.proc.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, stream: str, start: str) -> list[tuple[str, str]]:
        """Every line up to and including the first on ``stream`` starting with ``start``."""
        deadline = time.monotonic() + TIMEOUT
        got = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            got.append(line)
            self.seen.append(line)
            if line[0] == stream and line[1].startswith(start):
                return got
        raise AssertionError(f"no {stream} line starting {start!r} within {TIMEOUT} s; saw {self.seen}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def watching():
    running: list[Watching] = []

    def start(course: Path, out: Path, *args: str) -> Watching:
        running.append(Watching(course, out, *args))
        return running[-1]

    yield start
    for w in running:
        if w.proc.poll() is None:
            w.proc.kill()


def clean_build(course: Path, tmp_path: Path, name: str, **options) -> dict[str, bytes]:
    clean = tmp_path / name
    build(BuildRequest(course, clean, **options))
    return tree(clean)


def test_each_save_is_rebuilt_to_the_bytes_of_a_clean_build(course_copy, tmp_path, watching) -> None:
    course, out = course_copy("minimal"), tmp_path / "out"
    w = watching(course, out)
    first = w.wait_for("out", "Built ")
    assert "all " in first[-1][1]  # nothing to carry over the first time
    every = re.search(r"all (\d+) parts built", first[-1][1]).group(1)
    w.wait_for("out", "Watching ")
    assert tree(out) == clean_build(course, tmp_path, "clean-0")

    edit(course / "modules" / "02-activity.yaml", "A theft happens in a few short steps.",
         "A theft happens in a few short steps, often at night.")
    line = w.wait_for("out", "Built ")[-1][1]
    assert "parts rebuilt, the rest carried over" in line
    assert tree(out) == clean_build(course, tmp_path, "clean-1")
    assert "often at night" in (out / "site/en-enforcement/lesson-activity.html").read_text(encoding="utf-8")

    # a change that every artifact depends on (and the warm process's caches must not hide)
    edit(course / "course.yaml", "Bicycle theft as a crime script", "Bicycle theft, as a crime script")
    assert f"all {every} parts built" in w.wait_for("out", "Built ")[-1][1]
    assert tree(out) == clean_build(course, tmp_path, "clean-2")

    assert w.stop() == 0
    assert w.wait_for("out", "Stopped watching")


def test_an_error_is_reported_with_its_place_and_the_last_good_build_stays(course_copy, tmp_path,
                                                                          watching) -> None:
    course, out = course_copy("minimal"), tmp_path / "out"
    w = watching(course, out, "--format", "gift,site", "--lang", "en")
    w.wait_for("out", "Watching ")
    good = tree(out)

    lesson = course / "modules" / "02-activity.yaml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("phase: activity", "phase: activity\n  bad: [", 1), encoding="utf-8")
    lines = w.wait_for("err", "Build failed")
    located = [line for stream, line in lines if stream == "err" and line.startswith("modules/02-activity.yaml:")]
    assert located, lines
    assert located[0].split(":")[1].isdigit() and located[0].split(":")[2].isdigit()  # file:line:column
    assert "Traceback" not in "\n".join(line for _, line in lines)
    assert tree(out) == good  # the previous output, untouched

    lesson.write_text(text.replace("A theft happens", "A bicycle theft happens"), encoding="utf-8")
    w.wait_for("out", "Built ")
    assert tree(out) == clean_build(course, tmp_path, "clean", formats=["gift", "site"], languages=["en"])
    assert w.stop() == 0


def test_a_request_the_course_cannot_serve_ends_the_watch_with_exit_2(course_copy, tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(course_copy("minimal")),
                             "-o", str(tmp_path / "out"), "--watch", "--lang", "fr"],
                            cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert "language fr is not in the course" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_internal_error_in_a_rebuild_is_reported_and_the_watch_goes_on(course_copy, tmp_path,
                                                                          monkeypatch) -> None:
    import io

    from generator import build as pipeline
    from generator.watch import Watcher

    out, err = io.StringIO(), io.StringIO()
    watcher = Watcher(BuildRequest(course_copy("minimal"), tmp_path / "out", formats=["gift"]), out=out, err=err)
    assert watcher.build()
    good = tree(tmp_path / "out")

    def broken(request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline, "build", broken)
    assert not watcher.build()
    assert "modgen: internal error: RuntimeError: a bug" in err.getvalue()
    assert tree(tmp_path / "out") == good
    monkeypatch.undo()
    assert watcher.build()
    assert out.getvalue().splitlines()[-1].endswith("0 of 4 parts rebuilt, the rest carried over.")


def test_a_rebuild_parses_only_the_files_that_changed(course_copy, tmp_path, monkeypatch) -> None:
    import io

    from generator.loader import load
    from generator.watch import Watcher

    parsed: list[str] = []
    read_yaml = load.read_yaml

    def spy(path, display, raw=None):
        parsed.append(display)
        return read_yaml(path, display, raw)

    monkeypatch.setattr(load, "read_yaml", spy)
    course, out = course_copy("minimal"), tmp_path / "out"
    options = dict(formats=["gift", "site"], languages=["en"])
    err = io.StringIO()
    watcher = Watcher(BuildRequest(course, out, **options), out=io.StringIO(), err=err)
    assert watcher.build()
    assert len(parsed) == 5  # course.yaml, two lessons, two quizzes

    parsed.clear()
    lesson = course / "modules" / "02-activity.yaml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("A theft happens", "A bicycle theft happens"), encoding="utf-8")
    assert watcher.build()
    assert parsed == ["modules/02-activity.yaml"]
    assert tree(out) == clean_build(course, tmp_path, "clean-1", **options)

    # a file that does not load is parsed again at every build until it is fixed
    parsed.clear()
    lesson.write_text(text.replace("phase: activity", "phase: [activity"), encoding="utf-8")
    assert not watcher.build() and not watcher.build()
    assert parsed == ["modules/02-activity.yaml"] * 2
    # one that loads but names a phase the course does not have: parsed once, reported every time
    parsed.clear()
    err.seek(0)
    err.truncate()
    lesson.write_text(text.replace("phase: activity", "phase: nowhere"), encoding="utf-8")
    assert not watcher.build() and not watcher.build()
    assert parsed == ["modules/02-activity.yaml"]
    assert err.getvalue().count("modules/02-activity.yaml:3:") == 2
    lesson.write_text(text, encoding="utf-8")
    assert watcher.build()
    assert tree(out) == clean_build(course, tmp_path, "clean-2", **options)
