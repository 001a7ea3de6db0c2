"""Decks measure text with the Carlito shipped in the package, so `make demo` builds decks on a
machine without the font installed (and measures exactly as in CI, where LibreOffice renders)."""

from pathlib import Path

from generator.targets.deck import measure


def test_measuring_font_comes_from_the_package() -> None:
    package_fonts = Path(measure.__file__).resolve().parent / "fonts"
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        face = measure._find_face(style)
        assert face.parent == package_fonts, face
        assert face.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font, not a pointer
    assert "SIL OPEN FONT LICENSE" in (package_fonts / "OFL.txt").read_text(encoding="utf-8")
