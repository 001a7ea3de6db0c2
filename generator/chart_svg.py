"""A chart from the course's numbers as inline SVG, for the pages: the site, the SCORM and cmi5
packages (the site's pages) and the printed handouts.

The decks carry the same chart as a native PowerPoint chart (``targets.deck.figures``); here it is
drawn, ``role="img"`` with a title (the caption, else the alternative text) and a description,
and the page puts the numbers beside it as a table (:func:`chart_table`), which is what a screen
reader reads. Colours are presentation attributes (the site's Content-Security-Policy allows no
inline styles); text is dark on white, bars and slices take the course's colours, then a fixed
palette with enough contrast against white.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from generator import i18n
from generator.model import Chart

WIDTH = 640
_FONT = 15
_CHAR = 0.55 * _FONT  # average glyph width, for wrapping and room for labels
_TEXT = "#1B1F24"
_GRID = "#D5DAE1"
#: After the course's primary and accent colours: dark enough for 3:1 against white (WCAG 1.4.11).
_PALETTE = ("#2E7D5B", "#6B4C9A", "#0B6E99", "#B35900", "#4A5360")


def _label(value, lang: str) -> str:
    return value if isinstance(value, str) else value.get(lang)


def _wrap(text: str, width: float, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines of about ``width`` px, broken between words only; a word
    longer than a line stays whole (the drawing is scaled, never a word cut)."""
    limit = max(6, int(width / _CHAR))
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= limit:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines - 1] + [" ".join(out[lines - 1:])]
    return out or [""]


def _text(x: float, y: float, lines: list[str], anchor: str = "middle", size: int = _FONT, weight: str = "") -> str:
    bold = ' font-weight="700"' if weight else ""
    head = (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{_TEXT}"{bold}>')
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * 1.2:.1f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return head + spans + "</text>"


def _ticks(top: float) -> tuple[float, float]:
    """A round step and the axis maximum for values up to ``top``: four or five gridlines."""
    if top <= 0:
        return 1.0, 1.0
    rough = top / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    return step, math.ceil(top / step - 1e-9) * step


def colours(primary: str, accent: str) -> list[str]:
    return [primary, accent, *_PALETTE]


def chart_svg(chart: Chart, lang: str, title: str, description: str, ident: str, palette: list[str]) -> Markup:
    """``chart`` in ``lang`` as an SVG image titled ``title``; ``ident`` makes its ids unique in
    the page."""
    categories = [_label(c, lang) for c in chart.categories]
    series = [(s.name.get(lang), [float(v) for v in s.values]) for s in chart.series]
    draw = {"column": _columns, "line": _columns, "bar": _bars, "pie": _pie}[chart.type]
    body, height = draw(chart.type, categories, series, lang, palette)
    if len(series) > 1 and chart.type != "pie":
        legend, height = _legend([name for name, _ in series], palette, height)
        body += legend
    axis = (_text(14, 16, [chart.axis.get(lang)], anchor="start", size=13) if chart.axis and chart.type != "pie"
            else "")
    desc = f'<desc id="{ident}-desc">{escape(description)}</desc>' if description else ""
    labelled = f"{ident}-title" + (f" {ident}-desc" if description else "")
    return Markup(
        f'<svg class="chart chart-{chart.type}" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{labelled}" xmlns="http://www.w3.org/2000/svg" focusable="false" '
        f'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Carlito, Calibri, Arial, sans-serif">'
        f'<title id="{ident}-title">{escape(title)}</title>{desc}{axis}{body}</svg>')


def _number(value: float, lang: str) -> str:
    return i18n.format_number(int(value) if float(value).is_integer() else value, lang)


def _columns(kind: str, categories: list[str], series, lang: str, palette: list[str]) -> tuple[str, float]:
    """Vertical bars (or a line through the points) per category, gridlines with round values."""
    values = [v for _, vs in series for v in vs]
    step, top = _ticks(max(values + [0]))
    labels = [_number(step * i, lang) for i in range(int(round(top / step)) + 1)]
    left = max(len(x) for x in labels) * _CHAR + 16
    right, top_pad, plot_h = 12, 34, 240
    n = len(categories)
    group = (WIDTH - left - right) / n
    lines = max(len(_wrap(c, group - 6)) for c in categories)
    height = top_pad + plot_h + 14 + lines * _FONT * 1.2 + 6
    y = lambda v: top_pad + plot_h - (v / top) * plot_h  # noqa: E731
    out = []
    for i, label in enumerate(labels):
        gy = y(step * i)
        out.append(f'<line x1="{left:.1f}" y1="{gy:.1f}" x2="{WIDTH - right}" y2="{gy:.1f}" stroke="{_GRID}"/>')
        out.append(_text(left - 6, gy + 5, [label], anchor="end", size=13))
    for c, name in enumerate(categories):
        out.append(_text(left + group * (c + 0.5), top_pad + plot_h + 20, _wrap(name, group - 6)))
    if kind == "column":
        width = group * 0.7 / len(series)
        for s, (_, vs) in enumerate(series):
            for c, v in enumerate(vs):
                x = left + group * c + group * 0.15 + width * s
                out.append(f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{width:.1f}" height="{y(0) - y(v):.1f}" '
                           f'fill="{palette[s % len(palette)]}"/>')
                out.append(_text(x + width / 2, y(v) - 6, [_number(v, lang)], size=13))
    else:
        for s, (_, vs) in enumerate(series):
            colour = palette[s % len(palette)]
            points = [(left + group * (c + 0.5), y(v)) for c, v in enumerate(vs)]
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"/>')
            for (px, py), v in zip(points, vs):
                out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{colour}"/>')
                out.append(_text(px, py - 10, [_number(v, lang)], size=13))
    return "".join(out), height


def _bars(kind: str, categories: list[str], series, lang: str, palette: list[str]) -> tuple[str, float]:
    """Horizontal bars: a row per category, its name on the left, the number after the bar."""
    values = [v for _, vs in series for v in vs]
    top = max(values + [0]) or 1
    label_w = min(220, max(len(c) for c in categories) * _CHAR + 12)
    number_w = max(len(_number(v, lang)) for v in values) * _CHAR + 12
    left, right = label_w + 8, number_w
    bar_h = 24
    row = bar_h * len(series) + 16
    top_pad = 28
    out = []
    for c, name in enumerate(categories):
        y0 = top_pad + row * c
        wrapped = _wrap(name, label_w, 2)
        out.append(_text(label_w, y0 + row / 2 - (len(wrapped) - 1) * _FONT * 0.6 + 5, wrapped, anchor="end"))
        for s, (_, vs) in enumerate(series):
            v = vs[c]
            w = (WIDTH - left - right) * v / top
            by = y0 + 8 + bar_h * s
            out.append(f'<rect x="{left:.1f}" y="{by:.1f}" width="{max(w, 0):.1f}" height="{bar_h - 4}" '
                       f'fill="{palette[s % len(palette)]}"/>')
            out.append(_text(left + max(w, 0) + 6, by + bar_h / 2 + 3, [_number(v, lang)], anchor="start", size=14))
    out.append(f'<line x1="{left:.1f}" y1="{top_pad - 4}" x2="{left:.1f}" y2="{top_pad + row * len(categories):.1f}" '
               f'stroke="{_TEXT}"/>')
    return "".join(out), top_pad + row * len(categories) + 8


def _pie(kind: str, categories: list[str], series, lang: str, palette: list[str]) -> tuple[str, float]:
    """Slices clockwise from the top, and a legend with each slice's number and share."""
    values = series[0][1]
    total = sum(v for v in values if v > 0) or 1
    cx, cy, r = 150, 150, 130
    out, angle = [], -math.pi / 2
    for c, v in enumerate(values):
        if v <= 0:
            continue
        sweep = 2 * math.pi * v / total
        colour = palette[c % len(palette)]
        if sweep >= 2 * math.pi - 1e-9:
            out.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colour}"/>')
        else:
            x0, y0 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x1, y1 = cx + r * math.cos(angle + sweep), cy + r * math.sin(angle + sweep)
            large = 1 if sweep > math.pi else 0
            out.append(f'<path d="M{cx},{cy} L{x0:.1f},{y0:.1f} A{r},{r} 0 {large} 1 {x1:.1f},{y1:.1f} Z" '
                       f'fill="{colour}" stroke="#FFFFFF" stroke-width="2"/>')
        angle += sweep
    rows = []
    for c, (name, v) in enumerate(zip(categories, values)):
        share = i18n.format_number(round(100 * max(v, 0) / total), lang)
        rows.append((palette[c % len(palette)], f"{name}: {_number(v, lang)} ({share}%)"))
    height = max(2 * cy, 30 + 28 * len(rows))
    for i, (colour, text) in enumerate(rows):
        y = 30 + 28 * i
        out.append(f'<rect x="320" y="{y - 13}" width="16" height="16" fill="{colour}"/>')
        out.append(_text(344, y, [text], anchor="start"))
    return "".join(out), height


def _legend(names: list[str], palette: list[str], height: float) -> tuple[str, float]:
    out, x, y = [], 14.0, height + 12
    for s, name in enumerate(names):
        width = 24 + len(name) * _CHAR + 24
        if x + width > WIDTH and x > 14:
            x, y = 14.0, y + 24
        out.append(f'<rect x="{x:.1f}" y="{y - 12:.1f}" width="14" height="14" fill="{palette[s % len(palette)]}"/>')
        out.append(_text(x + 20, y, [name], anchor="start", size=14))
        x += width
    return "".join(out), y + 12


def chart_table(chart: Chart, lang: str) -> dict:
    """The chart's numbers as a table: a row per category, a column per series, formatted for
    ``lang``; the head names the series (and the numbers' unit, the axis title)."""
    return {
        "columns": [s.name.get(lang) for s in chart.series],
        "rows": [[_label(c, lang)] + [_number(s.values[i], lang) for s in chart.series]
                 for i, c in enumerate(chart.categories)],
        # The unit after a lone series' name ("Members (members)" says it twice).
        "axis": chart.axis.get(lang) if chart.axis and chart.axis.get(lang).casefold() not in
        {s.name.get(lang).casefold() for s in chart.series} else "",
    }
