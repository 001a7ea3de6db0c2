"""Running the real CLI on hostile input and measuring what it cost: the process's own CPU time and
peak memory.

The measurement goes through a small launcher process: ``os.wait4`` gives one child's resource use
(``RUSAGE_CHILDREN`` would mix in every earlier child), but a child made by fork or vfork starts
with its parent's memory, and Linux carries that high-water mark through ``exec`` — a child of a
large pytest process would seem large. The launcher is a fresh interpreter of ~10 MB, so the
``ru_maxrss`` it reports for its child is the child's own.

Issue 33's bar for every hostile case: exit 1 (2 for usage) with a located message, within 2 s and
under 300 MB, printing a bounded number of lines. Tests assert CPU time rather than wall time —
CPU time does not grow when the machine is busy with other work, wall time does; bench/hostile.py
reports wall times.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

MAX_SECONDS = 2.0
MAX_MEGABYTES = 300
#: 20 problems, then one line counting the rest; the first 10 shown with their source line and a
#: caret (two lines each, generator.problems.MAX_EXCERPTS); a summary.
MAX_LINES = 60


@dataclass
class Bounded:
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float
    wall_seconds: float
    peak_megabytes: float


#: Runs argv[2:], then writes its exit code, CPU seconds, wall seconds and peak kB to the file argv[1].
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} {wall} {usage.ru_maxrss}")
"""


def run_measured(*args, cwd: Path | None = None, env: dict[str, str] | None = None) -> Bounded:
    """``modgen ARGS`` in a child process, with its CPU time, wall time and peak resident memory."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "usage"
        result = subprocess.run([sys.executable, "-c", LAUNCHER, report, sys.executable, "-m", "generator",
                                 *map(str, args)], cwd=cwd or ROOT, capture_output=True, stdin=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
        code, cpu, wall, peak = report.read_text().split()
    return Bounded(int(code), result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace"),
                   float(cpu), float(wall), int(peak) / 1024)


def run_bounded(*args, expect: str | None = None, code: int = 1, cwd: Path | None = None,
                env: dict[str, str] | None = None, max_lines: int = MAX_LINES) -> Bounded:
    """``modgen ARGS``, asserting the bar: exit ``code``, no traceback, ``expect`` among the lines of
    stderr (a located message), at most ``max_lines`` lines printed, within the time and memory."""
    result = run_measured(*args, cwd=cwd, env=env)
    shown = f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == code, shown
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, shown
    lines = result.stderr.splitlines()
    if expect is not None:
        assert expect in lines, shown
    assert len(lines) + len(result.stdout.splitlines()) <= max_lines, shown
    assert result.cpu_seconds <= MAX_SECONDS, f"{result.cpu_seconds:.2f} s of CPU\n{shown}"
    assert result.peak_megabytes <= MAX_MEGABYTES, f"{result.peak_megabytes:.0f} MB\n{shown}"
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: to show a failed command changed nothing."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts}
