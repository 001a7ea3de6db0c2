"""modgen's icon set (generator/icons): every SVG shipped with its PNG, under its licence, and the
inline markup the HTML targets place."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from generator import icons
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def test_names_are_the_svg_files_sorted_and_enough_for_a_course() -> None:
    on_disk = sorted(p.stem for p in icons.FOLDER.glob("*.svg"))
    assert list(icons.NAMES) == on_disk
    assert 20 <= len(icons.NAMES) <= 40
    # the icons the bundled course gives its actors are in the set
    assert {"shield", "scale", "building-bank", "route", "stethoscope", "shield-heart", "server",
            "headset"} <= set(icons.NAMES)


def test_the_licence_and_its_credits_travel_with_the_icons() -> None:
    licence = (icons.FOLDER / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Paweł Kuna" in licence
    assert "Permission is hereby granted" in licence
    readme = (icons.FOLDER / "README.md").read_text(encoding="utf-8")
    assert "Tabler Icons" in readme and re.search(r"\b3\.\d+\.\d+\b", readme)
    credits = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Tabler Icons" in credits and "generator/icons/LICENSE" in credits


@pytest.mark.parametrize("name", icons.NAMES)
def test_every_svg_has_its_png_drawn_on_transparent(name: str) -> None:
    data = icons.png(name)
    assert data == (icons.FOLDER / f"{name}.png").read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (192, 192) and image.mode == "RGBA"
    alpha = image.getchannel("A")
    low, high = alpha.getextrema()
    assert low == 0 and high == 255  # a transparent ground and strokes drawn on it
    drawn = sum(alpha.histogram()[129:])
    assert 0.02 * 192 * 192 < drawn < 0.6 * 192 * 192, drawn  # an icon, not a dot or a filled square
    # the strokes are near-black #1f2937, whatever the converter did at the edges
    pixels = image.tobytes()
    solid = [pixels[i:i + 3] for i in range(0, len(pixels), 4) if pixels[i + 3] == 255]
    r, g, b = (sum(c[i] for c in solid) / len(solid) for i in range(3))
    assert abs(r - 0x1F) < 12 and abs(g - 0x29) < 12 and abs(b - 0x37) < 12, (r, g, b)


@pytest.mark.parametrize("name", icons.NAMES)
def test_inline_svg_is_decorative_coloured_by_the_text_and_sized_by_css(name: str) -> None:
    markup = icons.svg(name)
    assert "\n" not in markup
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("aria-hidden") == "true" and root.get("focusable") == "false"
    assert root.get("stroke") == "currentColor" and root.get("fill") == "none"
    assert root.get("width") == "1em" and root.get("height") == "1em" and root.get("class") == "icon"
    assert root.get("viewBox") == "0 0 24 24"
    # nothing that runs, fetches or styles: only drawing
    tags = {element.tag for element in root.iter()}
    assert tags <= {f"{SVG}svg", f"{SVG}path", f"{SVG}circle", f"{SVG}rect", f"{SVG}line", f"{SVG}polyline"}
    assert len(root) > 0
    assert not re.search(r"(?i)script|href|style|on\w+=|url\(", markup)


def test_an_unknown_name_is_a_key_error_and_never_reaches_the_file_system() -> None:
    for bad in ("bicycle", "../LICENSE", "shield/../../pyproject", "", "Shield"):
        with pytest.raises(KeyError):
            icons.svg(bad)
        with pytest.raises(KeyError):
            icons.png(bad)


def test_the_authoring_guide_lists_every_name() -> None:
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    listed = re.search(r"<!-- icons -->(.*?)<!-- /icons -->", guide, re.S)
    assert listed, "docs/authoring.md lists the icon names between <!-- icons --> and <!-- /icons -->"
    assert re.findall(r"`([a-z-]+)`", listed.group(1)) == list(icons.NAMES)


def test_the_course_schema_offers_the_names_for_completion() -> None:
    from generator.schema import schema_for

    actor = schema_for("course")["$defs"]["Actor"]["properties"]["icon"]
    assert {"enum": list(icons.NAMES), "type": "string"} in actor["anyOf"]
    assert {"type": "null"} in actor["anyOf"]
