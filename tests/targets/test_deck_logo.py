"""The organisation's logo (``branding.logo``) on the decks' title slides: a real picture with
alternative text, in proportion, clear of the title and subtitle, inside the slide — and shown when
LibreOffice renders the deck."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from generator.build import BuildRequest, build
from tests.conftest import need_executable
from tests.targets.deck_pdf import render


def with_logo(course: Path, size: tuple[int, int], fmt: str = "PNG") -> bytes:
    image = io.BytesIO()
    Image.new("RGB", size, (200, 16, 46)).save(image, fmt)
    data = image.getvalue()
    name = "logo.png" if fmt == "PNG" else "logo.jpg"
    (course / "branding").mkdir(exist_ok=True)
    (course / "branding" / name).write_bytes(data)
    text = (course / "course.yaml").read_text(encoding="utf-8")
    text = text.replace("pass_mark: 60\n", f"pass_mark: 60\nbranding:\n  logo: branding/{name}\n"
                                           "  organisation: {nl: Politieacademie, en: Police Academy}\n", 1)
    (course / "course.yaml").write_text(text, encoding="utf-8")
    return data


def overlaps(a, b) -> bool:
    return a.left < b.left + b.width and b.left < a.left + a.width and a.top < b.top + b.height and b.top < a.top + a.height


@pytest.mark.parametrize("size, fmt", [((400, 120), "PNG"), ((90, 300), "JPEG")])
def test_title_slides_carry_the_logo_in_proportion_clear_of_the_text(course_copy, tmp_path, size, fmt) -> None:
    course = course_copy("minimal")
    data = with_logo(course, size, fmt)
    out = tmp_path / "out"
    build(BuildRequest(course, out, formats=["pptx"]))
    decks = sorted(out.glob("pptx/*/*.pptx"))
    assert len(decks) == 12
    for deck in decks:
        prs = Presentation(deck)
        for number, slide in enumerate(prs.slides, 1):
            pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
            if slide.slide_layout.name != prs.slides[0].slide_layout.name or number > 1:
                assert pictures == [], f"{deck.name} slide {number}: a logo off the title slide"
                continue
            assert len(pictures) == 1, f"{deck.name}: no logo on the title slide"
            logo = pictures[0]
            assert logo.image.blob == data
            alt = logo._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr")
            assert alt == ("Politieacademie" if "/nl-" in deck.as_posix() else "Police Academy")
            assert abs(logo.width / logo.height - size[0] / size[1]) < 0.02
            assert 0 <= logo.left and logo.left + logo.width <= prs.slide_width
            assert 0 <= logo.top and logo.top + logo.height <= prs.slide_height
            for shape in slide.shapes:
                if shape.has_text_frame and shape.text_frame.text.strip():
                    assert not overlaps(logo, shape), f"{deck.name}: logo over '{shape.text_frame.text[:30]}'"
    again = tmp_path / "again"
    build(BuildRequest(course, again, formats=["pptx"]))
    assert [d.read_bytes() for d in decks] == [d.read_bytes() for d in sorted(again.glob("pptx/*/*.pptx"))]


def test_libreoffice_shows_the_logo_on_the_title_page_only(course_copy, tmp_path) -> None:
    soffice = need_executable("soffice", "libreoffice-impress")
    pdfimages = need_executable("pdfimages", "poppler-utils")
    course = course_copy("minimal")
    with_logo(course, (400, 120))
    out = tmp_path / "out"
    build(BuildRequest(course, out, formats=["pptx"], languages=["en"], audiences=["enforcement"]))
    deck = out / "pptx" / "en-enforcement" / "course.pptx"
    pdf = render(soffice, [deck], tmp_path / "pdf")[deck]
    listing = subprocess.run([pdfimages, "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    # LibreOffice also rasterises some shape effects (soft masks): the logo is the 400×120 image.
    pages = {int(row[0]) for row in rows if row[2] == "image" and (int(row[3]), int(row[4])) == (400, 120)}
    assert pages == {1}, listing


def test_without_a_logo_no_picture_and_no_media(course_copy, tmp_path) -> None:
    out = tmp_path / "out"
    build(BuildRequest(course_copy("minimal"), out, formats=["pptx"], languages=["en"]))
    import zipfile

    for deck in out.glob("pptx/*/*.pptx"):
        assert not [n for n in zipfile.ZipFile(deck).namelist() if n.startswith("ppt/media/modgen-logo")]
