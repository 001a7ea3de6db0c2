"""modgen's icon set: a curated subset of Tabler Icons (MIT, ``LICENSE`` in this folder) for the
actors a course names — who can act at an intervention point.

Each icon is shipped twice: the SVG as Tabler publishes it, which HTML targets place inline so that
it takes the colour of the text around it (theme, dark mode, forced colours), and a PNG rendered
from it by ``render_png.py``, for the decks (python-pptx cannot place SVG). The PNGs are committed,
so a build needs no SVG converter and gives the same bytes everywhere.

An icon is always decorative: it stands beside the actor's name, which says what it means, so the
SVG is hidden from assistive technology. Only the standard library is imported here: the course
checks use ``NAMES`` during ``modgen validate``, which loads no output library.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
_SVG_NS = "http://www.w3.org/2000/svg"

#: The names of the icons, sorted: the stems of the SVG files in this folder.
NAMES: tuple[str, ...] = tuple(sorted(p.stem for p in FOLDER.glob("*.svg")))
_KNOWN = frozenset(NAMES)


def _file(name: str, suffix: str) -> Path:
    # Only known names reach the file system: a name comes from a course file, and may be hostile.
    if name not in _KNOWN:
        raise KeyError(name)
    return FOLDER / f"{name}{suffix}"


@lru_cache(maxsize=None)
def svg(name: str) -> str:
    """The icon's SVG markup for inline use in HTML: one line, drawn in ``currentColor``, sized
    1em × 1em unless CSS sizes it, hidden from assistive technology and from keyboard focus.
    Raises KeyError for a name not in ``NAMES``."""
    root = ET.fromstring(_file(name, ".svg").read_text(encoding="utf-8"))
    # Tabler's invisible 24×24 bounding-box path only helps icon editors.
    for child in list(root):
        if child.get("stroke") == "none" and child.get("d") == "M0 0h24v24H0z":
            root.remove(child)
    for element in root.iter():
        element.text = element.tail = None
    attributes = {key: value for key, value in root.attrib.items() if key not in ("width", "height", "class")}
    attributes.update({"width": "1em", "height": "1em", "stroke": "currentColor", "class": "icon",
                       "aria-hidden": "true", "focusable": "false"})
    root.attrib.clear()
    root.attrib.update(attributes)
    ET.register_namespace("", _SVG_NS)
    return ET.tostring(root, encoding="unicode")


def png(name: str) -> bytes:
    """The icon as a PNG for the decks: 192 × 192 pixels, drawn in near-black (#1f2937) on a
    transparent ground. Raises KeyError for a name not in ``NAMES``."""
    return _file(name, ".png").read_bytes()
