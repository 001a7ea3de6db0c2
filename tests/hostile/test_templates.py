"""Deck templates from another organisation: zip bombs are refused on their directory by `validate`,
`build` and `template check` alike; a template's slides, thumbnail and custom data never reach a
deck; a directory that lies about sizes is caught while inflating."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest

from generator.targets.deck.template import DEFAULT_TEMPLATE
from tests.bad_inputs.catalogue import template_with
from tests.hostile.bounds import MAX_MEGABYTES, run_bounded, run_measured, snapshot

BOMB = {"ppt/media/image1.png": bytes(100 * 1024 * 1024)}


def use(course: Path, data: bytes) -> None:
    (course / "branding").mkdir(exist_ok=True)
    (course / "branding" / "org.pptx").write_bytes(data)
    text = (course / "course.yaml").read_text(encoding="utf-8")
    (course / "course.yaml").write_text(text.replace("pass_mark: 60\n", "pass_mark: 60\nbranding:\n"
                                                     "  template: branding/org.pptx\n"), encoding="utf-8")


@pytest.mark.parametrize("command", ["validate", "build", "template check"])
def test_a_zip_bomb_is_refused_by_every_command(command: str, course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    use(course, template_with(BOMB))
    before = snapshot(course)
    message = ("'branding/org.pptx' unpacks to more than 67,108,864 bytes, the limit (its part "
               "'ppt/media/image1.png' alone is 104,857,600 bytes)")
    if command == "template check":
        file = course / "branding" / "org.pptx"
        run_bounded("template", "check", file, expect=f"{file}:1:1: {message.replace('branding/org.pptx', str(file))}")
    else:
        run_bounded(command, course, *(["-o", tmp_path / "out"] if command == "build" else []),
                    expect=f"course.yaml:49:3: {message}")
    assert snapshot(course) == before
    assert not (tmp_path / "out").exists()


def test_template_check_bounds_the_file_before_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.pptx"
    with big.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(2 * 1024 ** 3)  # sparse: 2 GiB on no disk
    run_bounded("template", "check", big,
                expect=f"{big}:1:1: '{big}' is 2,147,483,648 bytes, more than the limit of 20,971,520")


def lying(data: bytes, member: str, declared: int) -> bytes:
    """``data`` (a zip) with the central directory declaring ``declared`` bytes for ``member``."""
    name = member.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == name:
            return data[:at + 24] + struct.pack("<I", declared) + data[at + 28:]
        at += 4


def test_a_directory_that_understates_a_part_is_caught_while_inflating(tmp_path: Path) -> None:
    # The theme inflates to 8 MB but its directory entry says 7,618 bytes: nothing beyond what it
    # declares is kept, and the damage is named.
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as z:
        theme_size = z.getinfo("ppt/theme/theme1.xml").file_size
    data = template_with({})
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, bytes(8 * 1024 * 1024) if info.filename == "ppt/theme/theme1.xml"
                         else src.read(info.filename))
    file = tmp_path / "org.pptx"
    file.write_bytes(lying(buf.getvalue(), "ppt/theme/theme1.xml", theme_size))
    result = run_bounded("template", "check", file)
    assert result.stderr.startswith(f"{file}:1:1: '{file}': its part 'ppt/theme/theme1.xml' ")
    assert "cannot be unpacked" in result.stderr or "more than the" in result.stderr


def template_with_slides(big_picture: bytes) -> bytes:
    """A template carrying an example slide with a picture, a thumbnail and custom XML."""
    from pptx import Presentation
    from pptx.util import Inches

    from tests.bad_inputs.catalogue import png_header

    prs = Presentation(DEFAULT_TEMPLATE)
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    picture = io.BytesIO(png_header(10, 10))
    slide.shapes.add_picture(picture, Inches(1), Inches(1))
    buf = io.BytesIO()
    prs.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("ppt/media/"):
                data = data + big_picture  # the example slide's picture grows; its header stays
            if info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId9" Type="http://schemas.'
                                    b'openxmlformats.org/package/2006/relationships/metadata/thumbnail" '
                                    b'Target="docProps/thumbnail.jpeg"/></Relationships>')
            dst.writestr(info.filename, data)
        dst.writestr("docProps/thumbnail.jpeg", b"\xff\xd8\xff" + bytes(1000))
        dst.writestr("customXml/item1.xml", b"<secret/>")
    return out.getvalue()


def test_only_the_parts_a_deck_needs_reach_it(course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    use(course, template_with_slides(random.Random(33).randbytes(10_000_000)))  # 10 MB that do not compress
    out = tmp_path / "out"
    result = run_measured("build", course, "-o", out, "--format", "pptx", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.peak_megabytes < MAX_MEGABYTES
    deck = out / "pptx" / "en-enforcement" / "01-preparation.pptx"
    with zipfile.ZipFile(deck) as z:
        names = z.namelist()
        sizes = {i.filename: i.file_size for i in z.infolist()}
    assert not [n for n in names if n.startswith(("customXml/", "docProps/thumbnail"))], names
    assert max(sizes.values()) < 1_000_000, max(sizes.items(), key=lambda kv: kv[1])
    assert deck.stat().st_size < 1_000_000
