"""The pixel size of a PNG or JPEG, read from its header — no imaging library needed; and the
course's logo.

``modgen validate`` checks a course's logo with this (it imports no output library); the decks and
the site use it to keep the logo's proportions.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

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
    data = (course.root / logo).read_bytes()
    width, height = image_size(data) or (1, 1)  # checked: never None here
    return Logo(data, "png" if data.startswith(PNG_SIGNATURE) else "jpeg", width, height)
