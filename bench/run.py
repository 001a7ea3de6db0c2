"""Benchmarks: build synthetic courses and the bundled course, whole process, and compare decks
with pandoc on equivalent markdown. Writes ``bench/results.md``.

    python bench/run.py [--repeat 3] [--quick] [--no-pandoc]

Every case runs as its own process (start-up included) and is timed ``--repeat`` times; the table
gives the median seconds and the largest peak resident memory of the runs. Timings depend on the
machine and on its load, which the table records.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_course import WORDS_EN, write_course  # noqa: E402

#: Slides in a whole-course deck per synthetic lesson (measured); used to size courses for decks.
SLIDES_PER_LESSON = 26.5


@dataclass
class Result:
    case: str
    slides: int | None
    seconds: float
    rss_mb: float
    pandoc: float | None = None
    note: str = ""
    cpu: float = 0.0


def output_of(cmd: list[str], timeout: float | None = None) -> str:
    """The stdout of ``cmd`` run from the repository root; exits with its stderr if it fails.

    Python may write bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped): an installed modgen has its
    modules compiled, and a checkout run with that variable set would compile them on every run.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=timeout)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()}")
    return proc.stdout.decode()


def measure(cmd: list[str], repeat: int, timeout: float | None = None) -> tuple[float, float, str]:
    """Median wall seconds and peak RSS (MB) over ``repeat`` runs, and the last run's stdout.

    Each run goes through a fresh measuring interpreter, because ``RUSAGE_CHILDREN`` reports the
    peak of every child a process ever waited for (here: the one command, with its workers).
    """
    probe = ("import json,resource,subprocess,sys,time\n"
             "t=time.perf_counter(); p=subprocess.run(sys.argv[1:], capture_output=True)\n"
             "s=time.perf_counter()-t\n"
             "if p.returncode: sys.stderr.write(p.stderr.decode()); sys.exit(p.returncode)\n"
             "u=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "print(json.dumps([s, u.ru_maxrss/1024, p.stdout.decode(), u.ru_utime+u.ru_stime]))\n")
    import json

    runs = []
    for _ in range(repeat):
        runs.append(json.loads(output_of([sys.executable, "-c", probe, *cmd], timeout=timeout)))
    global LAST_CPU
    LAST_CPU = statistics.median(r[3] for r in runs)
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


#: CPU seconds (user + system, the command and its workers) of the last ``measure``: less affected
#: than wall time by other load on the machine.
LAST_CPU = 0.0


def pandoc_markdown(slides: int) -> str:
    """A markdown deck of ``slides`` slides with a title, four bullets and notes each, like ours."""
    rng = random.Random(slides)

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS_EN) for _ in range(n)).capitalize() + "."

    parts = []
    for k in range(slides):
        bullets = "\n".join(f"- **{words(1)[:-1]}** {words(11)}" for _ in range(4))
        parts.append(f"# {k + 1}. {words(4)}\n\n{words(14)}\n\n{bullets}\n\n::: notes\n{words(40)}\n:::\n")
    return "\n".join(parts)


def load_average() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    parser.add_argument("--no-pandoc", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    pandoc = None if args.no_pandoc else shutil.which("pandoc")
    py = sys.executable
    modgen = [py, "-m", "generator"]
    results: list[Result] = []
    loads = [load_average()]
    work = Path(tempfile.mkdtemp(prefix="modgen-bench-"))
    output_of([py, "-m", "compileall", "-q", str(ROOT / "generator")])  # as installed: see output_of
    try:
        def run(case: str, cmd: list[str], slides: int | None = None, note: str = "",
                pandoc_slides: int | None = None) -> None:
            seconds, rss, out = measure(cmd, args.repeat)
            if slides is None and out.strip().isdigit():
                slides = int(out.strip())
            result = Result(case, slides, seconds, rss, note=note, cpu=LAST_CPU)
            if pandoc and pandoc_slides:
                md = work / f"deck-{pandoc_slides}.md"
                md.write_text(pandoc_markdown(pandoc_slides), encoding="utf-8")
                result.pandoc, _, _ = measure([pandoc, str(md), "-o", str(work / "pandoc.pptx")], args.repeat)
            results.append(result)
            # Written after every case, so a run cut short still leaves its rows.
            write_results(args.out, results, loads + [load_average()], args.repeat)
            print(f"{case}: {seconds:.2f} s, {rss:.0f} MB" + (f", pandoc {result.pandoc:.2f} s" if result.pandoc
                                                                else ""), flush=True)

        # Start-up and checking.
        run("modgen --help", modgen + ["--help"])
        run("modgen validate (bundled course)", modgen + ["validate", str(ROOT)])
        # The bundled course: every format, language and audience, cold; then one lesson edited.
        def cold(out: Path, *build_args: str) -> list[str]:
            """A build into ``out`` with no earlier output (and so no cache) to start from."""
            return ["sh", "-c", 'rm -rf "$0" && exec "$@"', str(out), *modgen, "build", *build_args,
                    "-o", str(out), "-q"]

        run("build bundled course, all formats (cold)", cold(work / "bundled", str(ROOT)))
        # An author's edit: one lesson changed, everything else cached.
        bundled = work / "bundled-course"
        bundled.mkdir()
        shutil.copy(ROOT / "course.yaml", bundled)
        for folder in ("modules", "quizzes"):
            shutil.copytree(ROOT / folder, bundled / folder)
        lesson = sorted((bundled / "modules").glob("*.yaml"))[1]
        output_of(modgen + ["build", str(bundled), "-o", str(work / "edited"), "-q"])
        # A real text edit, different every run: a word added to the English body of the lesson's
        # first section (the lesson's slides, pages and guide section all change).
        edit = ("import sys; p = sys.argv[1]; s = open(p, encoding='utf-8').read(); "
                "k = s.index(chr(10), s.index('en: ', s.index('body:'))) + 1; "
                "k += len(s[k:]) - len(s[k:].lstrip(' ')); "
                "open(p, 'w', encoding='utf-8').write(s[:k] + 'Edited. ' + s[k:])")
        run("rebuild bundled course after a one-lesson edit (incremental)",
            ["sh", "-c", '"$1" -c "$2" "$0" && shift 2 && exec "$@"', str(lesson), py, edit,
             *modgen, "build", str(bundled), "-o", str(work / "edited"), "-q"])
        run("rebuild bundled course, nothing changed", modgen + ["build", str(bundled), "-o", str(work / "edited"),
                                                                 "-q"])
        # The same edit under `modgen build --watch`: from the save to the output in place, in the
        # warm process (bench/watch_edit.py, which also checks the result against a clean build).
        watched = output_of([py, str(HERE / "watch_edit.py"), "--edits", str(max(5, args.repeat))])
        median = next(line for line in watched.splitlines() if line.startswith("median: "))
        results.append(Result("one-lesson edit under `modgen build --watch` (save to output, warm process)", None,
                              float(median.split()[1]), 0.0, note="median of " + str(max(5, args.repeat))
                              + " saves; CPU and RSS not measured (one long-running process)"))
        write_results(args.out, results, loads + [load_average()], args.repeat)
        print(median, flush=True)
        # Decks: one whole-course deck per size, against pandoc on equivalent markdown.
        deck_sizes = (100, 1000) if args.quick else (100, 1000, 10_000)
        for size in deck_sizes:
            lessons = max(1, round(size / SLIDES_PER_LESSON))
            course = write_course(lessons, work / f"deck-course-{size}")
            run(f"one course deck, ~{size:,} slides with notes", [py, str(HERE / "deck.py"), str(course),
                                                                   str(work / "deck.pptx")],
                pandoc_slides=size if size <= 1000 else None,
                note="" if size <= 1000 or not pandoc else "pandoc not run: it is quadratic (minutes)")
        # Whole builds of synthetic courses.
        for lessons in (10, 100) if not args.quick else (10,):
            course = write_course(lessons, work / f"course-{lessons}")
            run(f"build {lessons} lessons, all formats, languages and audiences (cold)",
                cold(work / f"out-{lessons}", str(course)))
        if not args.quick:
            # 999 lessons: with its quiz files and course.yaml, the most generator.limits admits.
            course = write_course(999, work / "course-999")
            run("validate 999 lessons", modgen + ["validate", str(course)])
            run("build 999 lessons, --format gift (validate + one format path)",
                cold(work / "out-999", str(course), "--format", "gift"))
        loads.append(load_average())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_results(args.out, results, loads, args.repeat)


def write_results(path: Path, results: list[Result], loads: list[str], repeat: int) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run.py`: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average (1/5/15 min) {loads[0]} at start and {loads[-1]} at end. "
        f"Whole process, median of {repeat} runs; peak RSS is the largest of the runs (the build "
        "and its workers).",
        "",
        "| case | slides | seconds | CPU s | slides/s | peak RSS (MB) | pandoc (s) | pandoc ÷ modgen | note |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        rate = f"{r.slides / r.seconds:,.0f}" if r.slides else ""
        pandoc = f"{r.pandoc:.2f}" if r.pandoc is not None else ""
        ratio = f"{r.pandoc / r.seconds:.1f}×" if r.pandoc is not None else ""
        cpu = f"{r.cpu:.2f}" if r.cpu else ""  # not measured (the --watch row)
        rss = f"{r.rss_mb:.0f}" if r.rss_mb else ""
        lines.append(f"| {r.case} | {r.slides or ''} | {r.seconds:.2f} | {cpu} | {rate} | {rss} | {pandoc} | "
                     f"{ratio} | {r.note} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
