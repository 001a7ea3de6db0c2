"""The one image check (generator/images.py) every reader of an image uses: format by the bytes,
size from the header, bounded before anything decodes it."""

from __future__ import annotations

import pytest

from generator import limits
from generator.images import ImageHeader, ImageProblem, check_image, read_image
from tests.bad_inputs.catalogue import jpeg_header, png_header


def test_png_and_jpeg_report_format_and_size() -> None:
    assert check_image(png_header(640, 480), "logo.png") == ImageHeader("png", 640, 480)
    assert check_image(jpeg_header(300, 200), "photo.jpeg") == ImageHeader("jpeg", 300, 200)
    assert check_image(jpeg_header(300, 200), "photo.JPG") == ImageHeader("jpeg", 300, 200)


def test_the_bounds_are_inclusive() -> None:
    side = limits.MAX_IMAGE_SIDE
    assert check_image(png_header(side, limits.MAX_IMAGE_PIXELS // side), "a.png").width == side
    with pytest.raises(ImageProblem, match="pixels a side"):
        check_image(png_header(side + 1, 1), "a.png")
    with pytest.raises(ImageProblem, match="more than the limit of 40,000,000"):
        check_image(png_header(side, limits.MAX_IMAGE_PIXELS // side + 1), "a.png")


@pytest.mark.parametrize("data, shown, message", [
    (b"GIF89a" + b"\0" * 20, "a.png", "'a.png' is not a real PNG file"),
    (png_header(10, 10), "a.jpg", "'a.jpg' is not a real JPG file"),
    (png_header(10, 10), "a.svg", "'a.svg' must be one of: .png, .jpg, .jpeg"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 30, "a.png", "'a.png' is a damaged PNG image: its size cannot be read"),
    (png_header(0, 10), "a.png", "'a.png' is a damaged PNG image: its size cannot be read"),
    (b"\xff\xd8\xff\xda\0\2", "a.jpg", "'a.jpg' is a damaged JPG image: its size cannot be read"),
    (b"\xff\xd8\xff" + b"\xfe\xff\xff" * 3, "a.jpg", "'a.jpg' is a damaged JPG image: its size cannot be read"),
])
def test_refusals_name_the_file(data: bytes, shown: str, message: str) -> None:
    with pytest.raises(ImageProblem) as refused:
        check_image(data, shown)
    assert str(refused.value) == message


def test_read_image_checks_the_size_before_reading(tmp_path, monkeypatch) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as f:
        f.write(png_header(10, 10))
        f.truncate(limits.MAX_ASSET_BYTES + 1)  # sparse: costs no disk
    opened = []
    monkeypatch.setattr(type(big), "open", lambda self, *a, **k: opened.append(self) or open(self, *a, **k))
    with pytest.raises(ImageProblem, match="more than the limit of 20,971,520"):
        read_image(big, "big.png")
    assert opened == []
    small = tmp_path / "small.png"
    small.write_bytes(png_header(12, 34))
    assert read_image(small, "small.png")[1] == ImageHeader("png", 12, 34)
