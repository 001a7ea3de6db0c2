"""A build killed at any moment (SIGKILL from a second process) leaves OUT as the old build or the
new one — never a mix, never missing — and the next build cleans up after it."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator import cache
from tests.conftest import IN_CI, ROOT

STATS = Path(cache.CACHE_DIR, cache.STATS)


def snapshot(out: Path) -> dict[str, str]:
    """The build in ``out``; not the record of what this machine saw of its files (inodes, times)."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.relative_to(out) != STATS}


def build(course: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", str(course), "-o", str(out), "-q"],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_builds_never_leave_a_mix(course_copy, tmp_path: Path) -> None:
    old_course = course_copy("minimal")
    new_course = tmp_path / "new"
    new_course.mkdir()
    for p in old_course.rglob("*"):
        if p.is_file():
            dest = new_course / p.relative_to(old_course)
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = p.read_text(encoding="utf-8").replace("Waar gebeuren", "Waar vinden").replace(
                "Where do most", "Where will most")
            dest.write_text(text, encoding="utf-8")

    versions = {}
    for name, course in (("old", old_course), ("new", new_course)):
        reference = tmp_path / f"ref-{name}"
        started = time.monotonic()
        assert build(course, reference).wait() == 0
        duration = time.monotonic() - started
        versions[name] = snapshot(reference)
    assert versions["old"] != versions["new"]

    out = tmp_path / "out"
    assert build(old_course, out).wait() == 0
    rng = random.Random(1234)
    rounds = 12 if IN_CI else 6
    seen = set()
    for i in range(rounds):
        course = new_course if i % 2 == 0 else old_course
        process = build(course, out)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = snapshot(out)
        matches = [name for name, files in versions.items() if files == state]
        assert matches, f"round {i}: OUT is neither the old nor the new build"
        seen.add(matches[0])

    # The next build succeeds and removes what the killed builds left beside OUT.
    assert build(new_course, out).wait() == 0
    assert snapshot(out) == versions["new"]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert leftovers == []
