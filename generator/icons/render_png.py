"""Render every SVG of the icon set to the PNG the decks place (python-pptx cannot place SVG).

A maintainer's tool, run after adding or changing an icon; the PNGs are committed, so builds need
no converter. Needs ``rsvg-convert`` (Debian/Ubuntu: ``apt-get install librsvg2-bin``)::

    python generator/icons/render_png.py          # every icon
    python generator/icons/render_png.py shield   # only these
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
SIZE = 192  # pixels: sharp at the 2–3 cm a deck shows an icon at, even on a projector
COLOUR = "#1f2937"  # near-black: reads on the light slide backgrounds of the default template


def render(svg: Path, png: Path, converter: str) -> None:
    # Tabler draws in currentColor, which has no value outside a document: fix the colour first.
    text = svg.read_text(encoding="utf-8").replace("currentColor", COLOUR)
    with tempfile.TemporaryDirectory() as tmp:
        coloured = Path(tmp) / svg.name
        coloured.write_text(text, encoding="utf-8")
        subprocess.run([converter, "--width", str(SIZE), "--height", str(SIZE), "--format", "png",
                        "--output", str(png), str(coloured)], check=True)


def main(names: list[str]) -> int:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        print("rsvg-convert not found: apt-get install librsvg2-bin", file=sys.stderr)
        return 2
    svgs = [FOLDER / f"{name}.svg" for name in names] if names else sorted(FOLDER.glob("*.svg"))
    for svg in svgs:
        if not svg.is_file():
            print(f"no icon {svg.stem!r} in {FOLDER}", file=sys.stderr)
            return 2
        render(svg, svg.with_suffix(".png"), converter)
        print(svg.with_suffix(".png").name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
