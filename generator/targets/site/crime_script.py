"""The crime-script overview as inline SVG: the course's phases as a chain of arrows.

Two drawings of the same chain: a row for wide screens and a column for narrow ones (CSS shows one
of them), because SVG text cannot reflow and a row of four boxes is unreadable on a phone. Both
are ``role="img"`` with a title; the page carries the full text equivalent as an ordered list.
"""

from __future__ import annotations

from typing import Callable

from markupsafe import Markup, escape

from generator.model import Course

_FONT = 16
_CHAR = 0.56 * _FONT  # average glyph width of a sans-serif font at _FONT, for wrapping


def _wrap(text: str, width: float) -> list[str]:
    """Words of ``text`` in lines no wider than ``width`` (estimated), at most three lines."""
    limit = max(4, int(width / _CHAR))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > _MAX_LINES:
        lines = lines[:_MAX_LINES - 1] + [" ".join(lines[_MAX_LINES - 1:])[: limit - 1] + "…"]
    return lines


def _label(x: float, y: float, number: int, name: str, width: float) -> str:
    lines = _wrap(name, width)
    first = y - (len(lines) - 1) * _FONT * 0.6 + 8
    out = [f'<text class="cs-number" x="{x:.1f}" y="{y - 26 - (len(lines) - 1) * _FONT * 0.6:.1f}" '
           f'text-anchor="middle">{number}</text>',
           f'<text class="cs-name" x="{x:.1f}" y="{first:.1f}" text-anchor="middle">']
    for i, line in enumerate(lines):
        out.append(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else _FONT * 1.2:.1f}">{escape(line)}</tspan>')
    out.append("</text>")
    return "".join(out)


_ROW_WIDTH, _ROW_HEIGHT, _TIP, _GAP = 720, 104, 18, 6
_MAX_LINES = 3


def _row_label_width(n: int) -> float:
    box = (_ROW_WIDTH - (n - 1) * _GAP) / n
    return box - _TIP * 2 - 8


def name_capacity(phase_count: int) -> int:
    """About how many characters of a phase name the wide drawing shows before it cuts the name
    off with '…' (translators get this as the name's maximum length)."""
    return _MAX_LINES * max(4, int(_row_label_width(max(1, phase_count)) / _CHAR))


def _row(names: list[str], title_id: str, title: str) -> str:
    n = len(names)
    width, height, tip, gap = _ROW_WIDTH, _ROW_HEIGHT, _TIP, _GAP
    box = (width - (n - 1) * gap) / n
    parts = [f'<svg class="cs cs-row" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id}" '
             f'xmlns="http://www.w3.org/2000/svg" focusable="false"><title id="{title_id}">{escape(title)}</title>']
    for i, name in enumerate(names):
        x0 = i * (box + gap)
        x1 = x0 + box
        notch = tip if i else 0
        end = tip if i < n - 1 else 0
        points = [(x0, 4), (x1 - end, 4), (x1, height / 2), (x1 - end, height - 4), (x0, height - 4),
                  (x0 + notch, height / 2)]
        pts = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polygon class="cs-box cs-box-{i % 4}" points="{pts}"/>')
        parts.append(_label(x0 + box / 2 + (notch - end) / 4, height / 2 + 6, i + 1, name, _row_label_width(n)))
    parts.append("</svg>")
    return "".join(parts)


def _column(names: list[str], title_id: str, title: str) -> str:
    n = len(names)
    width, box, tip, gap = 340, 92, 18, 6
    height = n * box + (n - 1) * gap
    parts = [f'<svg class="cs cs-column" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id}" '
             f'xmlns="http://www.w3.org/2000/svg" focusable="false"><title id="{title_id}">{escape(title)}</title>']
    for i, name in enumerate(names):
        y0 = i * (box + gap)
        y1 = y0 + box
        notch = tip if i else 0
        end = tip if i < n - 1 else 0
        points = [(4, y0), (width / 2, y0 + notch), (width - 4, y0), (width - 4, y1 - end), (width / 2, y1),
                  (4, y1 - end)]
        pts = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polygon class="cs-box cs-box-{i % 4}" points="{pts}"/>')
        parts.append(_label(width / 2, y0 + (box + notch - end) / 2 + 14, i + 1, name, width - 40))
    parts.append("</svg>")
    return "".join(parts)


def crime_script_svg(course: Course, lang: str, s: Callable[..., str]) -> Markup:
    """Both drawings of the course's phases, or nothing when the course has no phases."""
    names = [p.name.get(lang) for p in course.phases]
    if not names:
        return Markup("")
    process = course.process_name(lang)
    title = (s("process_figure", n=len(names), process=process) if process else
             s("crime_script_figure", n=len(names))) + ": " + ", ".join(names)
    return Markup(_row(names, "cs-row-title", title) + "\n" + _column(names, "cs-column-title", title))
