"""Time an author's edit under ``modgen build --watch``: from saving a lesson to the rebuilt output.

    python bench/watch_edit.py [--edits N] [modgen build options, e.g. --format site]

Copies the bundled course to a scratch folder, starts ``modgen build --watch`` on it, then saves a
text edit to one lesson N times (default 5). For each it reports the wall time from the save to
the line the watcher prints when the new output is in place — what an author waits — and the
build time the watcher itself reports. At the end the output is compared, byte for byte, with a
clean build of the edited course.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON = "modules/02-pre-activity.yaml"


def edit(path: Path, i: int) -> None:
    """A real text edit: the first line of the English body of the lesson's first section."""
    text = path.read_text(encoding="utf-8")
    at = text.index("\n", text.index("en: ", text.index("body:"))) + 1
    at += len(text[at:]) - len(text[at:].lstrip(" "))
    path.write_text(text[:at] + f"Edit {i}. " + text[at:], encoding="utf-8")


def wait_for(proc: subprocess.Popen, start: str) -> str:
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"modgen stopped: {proc.stderr.read()}")
        if line.startswith(start):
            return line.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5)
    args, build_options = parser.parse_known_args()
    work = Path(tempfile.mkdtemp(prefix="modgen-watch-"))
    try:
        course = work / "course"
        course.mkdir()
        for name in ("course.yaml", "modules", "quizzes"):
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, course / name)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "generator", "build", str(course), "-o", str(work / "out"), *build_options]
        proc = subprocess.Popen([*command, "--watch"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
        print(wait_for(proc, "Built "))
        wait_for(proc, "Watching ")
        waits, reported = [], []
        for i in range(1, args.edits + 1):
            time.sleep(0.5)  # an author does not save twice in one instant
            saved = time.monotonic()
            edit(course / LESSON, i)
            line = wait_for(proc, "Built ")
            waits.append(time.monotonic() - saved)
            reported.append(float(line.split(" in ", 1)[1].split(" s", 1)[0]))
            print(f"edit {i}: {waits[-1]:.2f} s from save to output ({line})")
        proc.terminate()
        proc.wait(timeout=30)
        print(f"median: {statistics.median(waits):.2f} s from save to output, build {statistics.median(reported):.2f} s")
        subprocess.run([*command, "-o", str(work / "clean"), "-q"], check=True, env=env)
        # .cache/stat.json records what this machine saw of each file (inodes, times): it differs.
        diff = subprocess.run(["diff", "-rq", "-x", "stat.json", str(work / "out"), str(work / "clean")],
                              capture_output=True, text=True)
        same = diff.returncode == 0
        print("incremental == clean: " + ("OK" if same else "STALE\n" + diff.stdout))
        print(os.popen("uptime").read().strip())
        if not same:
            raise SystemExit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
