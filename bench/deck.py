"""Build one whole-course trainer deck, and nothing else, as its own process.

    python bench/deck.py COURSE_DIR OUT.pptx [--lang en] [--audience enforcement]

The benchmark times this whole process (start-up, loading, planning, writing the package), so the
number is what an author waits for, not a figure measured inside a warm interpreter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.loader.load import load_course  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--audience", default="enforcement")
    args = parser.parse_args()
    from generator.targets.deck import build_deck, template_path

    course = load_course(args.course).course.for_audience(args.audience)
    data, slides = build_deck(course, args.lang, template_path(course))
    args.out.write_bytes(data)
    print(slides)


if __name__ == "__main__":
    main()
