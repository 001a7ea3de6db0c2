"""WCAG 2 contrast of hex colours, to choose readable text on coloured shapes."""

from __future__ import annotations


def luminance(hex_colour: str) -> float:
    """Relative luminance of ``RRGGBB`` (WCAG 2.1)."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """Contrast ratio between two colours, 1 to 21; WCAG AA asks 4.5 for normal text."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tint(hex_colour: str, share: float) -> str:
    """``hex_colour`` mixed into white: ``share`` 0 is white, 1 the colour itself."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - c) * share):02X}" for c in channels)
