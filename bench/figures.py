"""Figures cost per slide: the same synthetic course built with and without figures.

    python bench/figures.py [--lessons 20] [--runs 3] [--write]

The course of ``bench/make_course.py``, and a copy where every second section shows a chart and
every other second section a photo (a 1600 × 900 JPEG, ~0.4 MB) and an SVG drawing. Each is built
cold in its own process, twice: the whole-course trainer deck (``bench/deck.py``), and every format
in one language and audience (``modgen build``); timed in CPU seconds, which the neighbours on a
shared machine do not inflate as they do the wall clock. Reported per slide of the course deck, so
the extra picture and chart slides are counted as slides: the issue's budget is a figure course
within 10 % of the figure-less one per slide. ``--write`` adds the table to bench/results.md.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def photo_jpeg(seed: int) -> bytes:
    """A photo-sized JPEG with a photo's detail: gradients, shapes and grain."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (1600, 900))
    image.putdata([(x * 255 // 1600, (x * y) % 97 + rng.randrange(60), y * 255 // 900)
                   for y in range(900) for x in range(1600)])
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(1500), rng.randrange(800)
        draw.rectangle([x, y, x + rng.randrange(40, 300), y + rng.randrange(40, 200)],
                       fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"><rect x="10" y="60" width="120" height="80" '
       'rx="10" fill="#1F3A5F"/><text x="70" y="108" font-size="20" text-anchor="middle" fill="#fff">Station</text>'
       '<path d="M130 100 H270" stroke="#C8102E" stroke-width="6"/><rect x="270" y="60" width="120" height="80" '
       'rx="10" fill="#2E7D5B"/><text x="330" y="108" font-size="20" text-anchor="middle" fill="#fff">Park</text></svg>')


def add_figures(root: Path) -> int:
    """Every second section a chart, every other second one a photo and an SVG; returns the figures."""
    import yaml

    (root / "images").mkdir()
    (root / "images" / "photo.jpg").write_bytes(photo_jpeg(1))
    (root / "images" / "route.svg").write_text(SVG, encoding="utf-8")
    count = 0
    for path in sorted((root / "modules").glob("*.yaml")):
        lesson = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, section in enumerate(lesson.get("sections", [])):
            if i % 2 == 0:
                section["figures"] = [{
                    "id": f"{section['id']}-chart", "caption": {"nl": "Aantallen per plek", "en": "Numbers by place"},
                    "alt": {"nl": "Het station telt de meeste", "en": "The station counts most"},
                    "chart": {"type": "column", "categories": ["Station", "Centrum", "School", "Park"],
                              "series": [{"name": {"nl": "Diefstallen", "en": "Thefts"}, "values": [125, 34, 9, 51]},
                                         {"name": {"nl": "Meldingen", "en": "Reports"}, "values": [99, 20, 4, 33]}]}}]
            else:
                section["figures"] = [
                    {"id": f"{section['id']}-photo", "image": "images/photo.jpg",
                     "alt": {"nl": "Een stalling bij een station", "en": "A bicycle park at a station"}},
                    {"id": f"{section['id']}-route", "image": "images/route.svg",
                     "alt": {"nl": "Van station naar stalling", "en": "From the station to the park"}}]
            count += len(section["figures"])
        path.write_text(yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return count


def timed(command: list[str], runs: int, fresh: Path | None = None) -> tuple[float, str]:
    """Median seconds of ``runs`` cold runs of ``command`` (``fresh``: an output folder removed
    before each run, so no run reuses the one before)."""
    import resource

    times, out = [], ""
    for _ in range(runs):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        # CPU seconds of the process and its workers, not the wall clock: on a shared machine the
        # wall clock measures the neighbours as much as the build.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, capture_output=True, text=True, check=True,
                              env={**os.environ, "MODGEN_NO_USER_CACHE": "1"})
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        out = done.stdout
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="add the table to bench/results.md")
    args = parser.parse_args()
    from bench.make_course import write_course

    modgen = [sys.executable, "-m", "generator"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="modgen-bench-figures-") as scratch:
        plain = write_course(args.lessons, Path(scratch) / "plain")
        figured = Path(scratch) / "figures"
        shutil.copytree(plain, figured)
        figures = add_figures(figured)
        subprocess.run(modgen + ["validate", str(figured)], check=True, capture_output=True)
        for name, course in (("without figures", plain), ("with figures", figured)):
            deck_s, out = timed([sys.executable, str(HERE / "deck.py"), str(course), f"{scratch}/{name}.pptx"],
                                args.runs)
            slides = int(out.strip().splitlines()[-1])
            out_dir = Path(scratch) / f"{name}-out"
            build_s, _ = timed(modgen + ["build", str(course), "-o", str(out_dir), "--lang", "en",
                                         "--audience", "enforcement", "--quiet"], args.runs, fresh=out_dir)
            rows.append((name, slides, deck_s, build_s))
    (_, s0, d0, b0), (_, s1, d1, b1) = rows
    lines = [f"| course ({args.lessons} lessons) | course-deck slides | deck CPU s | deck ms/slide | all formats CPU s "
             f"| all formats ms/slide |", "|---|---:|---:|---:|---:|---:|"]
    for name, slides, deck_s, build_s in rows:
        lines.append(f"| {name} | {slides} | {deck_s:.2f} | {1000 * deck_s / slides:.2f} | {build_s:.2f} "
                     f"| {1000 * build_s / slides:.2f} |")
    deck_ratio, build_ratio = (d1 / s1) / (d0 / s0), (b1 / s1) / (b0 / s0)
    summary = (f"{figures} figures. Per slide, with figures ÷ without: deck {deck_ratio:.2f}×, all formats "
               f"{build_ratio:.2f}× (budget: 1.10×).")
    print("\n".join(lines) + "\n\n" + summary)
    if args.write:
        load = os.getloadavg()
        text = (HERE / "results.md").read_text(encoding="utf-8")
        head = "## Figures: cost per slide"
        section = (f"{head}\n\nWritten by `bench/figures.py` on {time.strftime('%Y-%m-%d')}: CPython "
                   f"{sys.version.split()[0]}, {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / "
                   f"{load[2]:.1f} at the end. Cold processes, CPU seconds (user + system, the build and its "
                   f"workers), median of {args.runs} runs; one language and audience; all formats per slide of "
                   f"the course deck.\n\n" + "\n".join(lines) + "\n\n" + summary + "\n")
        if head in text:
            start = text.index(head)
            end = text.find("\n## ", start + len(head))
            text = text[:start] + section + (text[end + 1:] if end != -1 else "")
        else:
            text = text.rstrip("\n") + "\n\n" + section
        (HERE / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
