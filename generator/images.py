"""Image inputs (a course's logo, its figures): what they are, read from their header — no
imaging library needed — and the one check every reader of an image uses.

Images come from other organisations like the rest of a course. A PNG of 100,000 × 100,000 pixels
is a few kilobytes on disk and tens of gigabytes once a viewer (LibreOffice, a browser, a PDF
printer) decodes it, so :func:`check_image` bounds the size the header declares before any output
embeds the file. ``modgen validate`` checks a course's images with this (it imports no output
library); the decks and the site use the size to keep an image's proportions.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from generator import limits

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: JPEG start-of-frame markers, which carry the size (C4, C8 and CC are other segments).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG or JPEG, or None when the header does not say (damaged,
    truncated or another format)."""
    if data.startswith(PNG_SIGNATURE):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
    elif data.startswith(b"\xff\xd8"):
        width = height = 0
        at = 2
        while at + 4 <= len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            if marker == 0xFF:  # fill byte
                at += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
                at += 2
                continue
            (length,) = struct.unpack(">H", data[at + 2:at + 4])
            if marker in _SOF:
                if at + 9 > len(data):
                    return None
                height, width = struct.unpack(">HH", data[at + 5:at + 9])
                break
            if marker == 0xDA or length < 2:  # image data before any frame header: not a JPEG we know
                return None
            at += 2 + length
    else:
        return None
    return (width, height) if width > 0 and height > 0 else None


#: file suffix → the format its bytes must be. SVG is not accepted: it can carry script.
SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


class ImageProblem(ValueError):
    """Why a file is not an image modgen accepts. ``str()`` is the sentence (it names the file as the
    course wrote it); the caller adds the location of the field that names the file."""


@dataclass(frozen=True)
class ImageHeader:
    """What an image's header declares."""

    format: str  # "png" or "jpeg"
    width: int
    height: int


def check_image(data: bytes, shown: str) -> ImageHeader:
    """The format and pixel size of ``data``, an image named ``shown`` in the course.

    Raises :class:`ImageProblem` when the bytes are not the PNG or JPEG the name's suffix promises,
    when the header declares no size (a damaged file), or when the declared size is beyond
    ``limits.MAX_IMAGE_SIDE`` pixels a side or ``limits.MAX_IMAGE_PIXELS`` pixels in all. Reads
    only the header: nothing is decoded, so a hostile file costs no more than its bytes.
    """
    if len(data) > limits.MAX_ASSET_BYTES:
        raise ImageProblem(f"'{shown}' is {len(data):,} bytes, more than the limit of {limits.MAX_ASSET_BYTES:,}")
    suffix = Path(shown).suffix.lower()
    wanted = SUFFIXES.get(suffix)
    if wanted is None:
        raise ImageProblem(f"'{shown}' must be one of: {', '.join(SUFFIXES)}")
    found = "png" if data.startswith(PNG_SIGNATURE) else "jpeg" if data.startswith(b"\xff\xd8\xff") else None
    if found != wanted:
        raise ImageProblem(f"'{shown}' is not a real {suffix[1:].upper()} file")
    size = image_size(data)
    if size is None:
        raise ImageProblem(f"'{shown}' is a damaged {suffix[1:].upper()} image: its size cannot be read")
    width, height = size
    if max(width, height) > limits.MAX_IMAGE_SIDE:
        raise ImageProblem(f"'{shown}' is {width:,} × {height:,} pixels, more than the limit of "
                           f"{limits.MAX_IMAGE_SIDE:,} pixels a side — scale it down")
    if width * height > limits.MAX_IMAGE_PIXELS:
        raise ImageProblem(f"'{shown}' has {width * height:,} pixels ({width:,} × {height:,}), more than the "
                           f"limit of {limits.MAX_IMAGE_PIXELS:,} — scale it down")
    return ImageHeader(found, width, height)


def read_image(path: Path, shown: str) -> tuple[bytes, ImageHeader]:
    """The bytes and header of the image file ``path`` (named ``shown`` in the course), checked as
    :func:`check_image` does; the file's size is checked before it is read. Raises
    :class:`ImageProblem`; the caller has made sure ``path`` is inside the course."""
    try:
        size = path.stat().st_size
        if size > limits.MAX_ASSET_BYTES:
            raise ImageProblem(f"'{shown}' is {size:,} bytes, more than the limit of {limits.MAX_ASSET_BYTES:,}")
        with path.open("rb") as f:
            data = f.read(limits.MAX_ASSET_BYTES + 1)
    except OSError as exc:
        raise ImageProblem(f"'{shown}' cannot be read: {exc.strerror or exc}") from None
    return data, check_image(data, shown)


@dataclass(frozen=True)
class Logo:
    """The organisation's logo (``branding.logo``): its bytes, kind and size in pixels."""

    data: bytes
    ext: str  # png or jpeg
    width: int
    height: int


def read_logo(course) -> Logo | None:
    """The course's logo, or None when it has none. The checks already made sure the file is inside
    the course and a PNG or JPEG whose size can be read."""
    logo = course.branding.logo
    if not logo or course.root is None:
        return None
    data, header = read_image(course.root / logo, logo)  # checked already: raises nothing here
    return Logo(data, header.format, header.width, header.height)
