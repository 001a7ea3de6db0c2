"""Text measurement with real font metrics, so that no text ever runs out of its box.

The decks name **Calibri** (what trainers have in PowerPoint) and every word is measured with
**Carlito**, which is metric-compatible with Calibri: same advance widths, so a line that fits
here fits in PowerPoint, and in LibreOffice, which substitutes Carlito for Calibri. Line spacing
is set as an exact number of points on every paragraph, so the height of a laid-out text is the
sum of known numbers rather than something each application computes from font tables.

Measurement is deliberately a little pessimistic (:data:`WIDTH_SLACK`): kerning and rounding in
the renderer then only ever make a line shorter than measured.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

# One word count for the deck and for validate (words.py loads no font).
from generator.targets.deck.words import MAX_WORDS, word_count  # noqa: F401

#: The font the decks name, and the font whose metrics we measure with (metric-compatible).
FONT_NAME = "Calibri"
MEASURING_FONT = "Carlito"
_FACES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "BoldItalic"}
# The package ships Carlito (SIL OFL) so decks build on any machine, also without the font installed;
# the system copies are only a fallback for a trimmed installation.
_FONT_DIRS = (
    Path(__file__).resolve().parent / "fonts",
    Path("/usr/share/fonts/truetype/crosextra"),
    Path("/usr/share/fonts/crosextra"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local/share/fonts",
    Path("/Library/Fonts"),
)
_UNITS = 1000  # fonts are loaded at this pixel size; widths scale linearly to points

#: A measured line must be this much shorter than the box: kerning, hinting and rounding in the
#: renderer then cannot push a word onto an extra line.
WIDTH_SLACK = 0.96
#: Line pitch as a multiple of the font size, written into every paragraph as exact points.
LINE_PITCH = 1.2
#: Zero-width space: a break opportunity inside words too long for a line (long URLs, compounds).
BREAK = "\u200b"

EMU_PER_PT = 12700


class FontMissing(RuntimeError):
    """Carlito is not installed, so text cannot be measured."""


def _find_face(style: str) -> Path:
    name = f"{MEASURING_FONT}-{style}.ttf"
    for d in _FONT_DIRS:
        if (d / name).is_file():
            return d / name
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}", f"{MEASURING_FONT}:style={style}"],
                             capture_output=True, text=True).stdout.strip()
        if out and Path(out).name.lower().startswith(MEASURING_FONT.lower()):
            return Path(out)
    raise FontMissing(f"the font {MEASURING_FONT} ({name}) is needed to measure deck text; install it "
                      "(Debian/Ubuntu: apt-get install fonts-crosextra-carlito)")


@lru_cache(maxsize=None)
def _font(bold: bool, italic: bool) -> ImageFont.FreeTypeFont:
    path = _find_face(_FACES[(bold, italic)])
    return ImageFont.truetype(str(path), _UNITS, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=65536)
def _width_units(text: str, bold: bool, italic: bool) -> float:
    return _font(bold, italic).getlength(text.replace(BREAK, ""))


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Advance width of ``text`` in points at ``size`` points."""
    return _width_units(text, bold, italic) * size / _UNITS


def line_pitch(size: float) -> float:
    """Distance between baselines, in points, for text of ``size`` points."""
    return round(size * LINE_PITCH, 1)


# --- laid-out text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    colour: str | None = None  # hex RRGGBB, None: inherit


@dataclass
class Paragraph:
    """A paragraph as the deck writes it: runs, a list level, a bullet, and space before it.

    ``bullet`` is ``None`` (plain), ``"•"``-like characters, or an auto-number scheme such as
    ``"arabicPeriod"`` (prefixed with ``#``); ``start`` is the first number of a numbered list.
    ``scale`` multiplies the frame's font size (captions and source lines are smaller).
    """

    runs: list[Run]
    level: int = 0
    bullet: str | None = None
    start: int = 1
    space_before: float = 0.5  # in lines of the paragraph's own size
    scale: float = 1.0
    align: str | None = None  # "l", "ctr", "r"; None: left
    keep_with_next: bool = False  # a heading: never the last paragraph of a page
    icon: str | None = None  # an icon (``generator.icons``) as the paragraph's bullet: an actor's heading

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def indent(paragraph: Paragraph, size: float) -> tuple[float, float]:
    """(left margin, hanging indent of the first line) in points; bullets hang."""
    size = size * paragraph.scale
    step = size * 1.1
    # Numbers ("12.") need a wider hanging indent than a bullet character.
    hang = size * (1.8 if paragraph.bullet and paragraph.bullet.startswith("#") else 1.4 if paragraph.icon else 1.1)
    hangs = paragraph.bullet is not None or paragraph.icon is not None
    left = paragraph.level * step + (hang if hangs else 0)
    return left, (-hang if hangs else 0)


@dataclass
class Measured:
    """A paragraph broken into lines at one size."""

    paragraph: Paragraph
    size: float
    lines: int
    height: float  # including the space before it


_SEPARATORS = re.compile(f"([ {BREAK}\n])")


@lru_cache(maxsize=16384)
def _words(runs: tuple[tuple[str, bool, bool], ...]) -> tuple[tuple[float, float], ...]:
    """(width of the spaces before it, width of the word) for every word, in font units; a forced
    line break is (-1, 0). Words joined across runs without a space (``**bold**,``) are one word.

    Cached on the text and style of the runs, so measuring one paragraph at several sizes and
    widths costs one pass of font look-ups."""
    words: list[tuple[float, float]] = []
    space = current = 0.0
    in_word = False
    for text, bold, italic in runs:
        for piece in _SEPARATORS.split(text):
            if not piece:
                continue
            if piece in (" ", BREAK, "\n"):
                if in_word:
                    words.append((space, current))
                    space, current, in_word = 0.0, 0.0, False
                if piece == " ":
                    space += _width_units(" ", bold, italic)
                elif piece == "\n":
                    words.append((-1.0, 0.0))
            else:
                current += _width_units(piece, bold, italic)
                in_word = True
    if in_word:
        words.append((space, current))
    return tuple(words)


def count_lines(paragraph: Paragraph, size: float, width: float) -> int:
    """How many lines ``paragraph`` takes at ``size`` points in a box ``width`` points wide.

    Greedy line breaking at spaces and zero-width spaces, as PowerPoint and LibreOffice do; a
    word wider than the line makes the paragraph not fit at all (a very large count).
    """
    own = size * paragraph.scale
    left, first = indent(paragraph, size)
    scale = own / _UNITS
    avail = (width - left) * WIDTH_SLACK / scale  # in font units from here on
    first_avail = (width - left - first) * WIDTH_SLACK / scale if first > 0 else avail
    lines, used, limit = 1, 0.0, first_avail
    for space_w, word_w in _words(tuple((r.text, r.bold, r.italic) for r in paragraph.runs)):
        if space_w < 0:
            lines += 1
            used, limit = 0.0, avail
            continue
        if used == 0.0:
            if word_w > limit:  # an unbreakable word wider than the line: it overflows
                return 10_000
            used = word_w
        elif used + space_w + word_w <= limit:
            used += space_w + word_w
        else:
            if word_w > avail:
                return 10_000
            lines += 1
            used, limit = word_w, avail
    return lines


def measure(paragraph: Paragraph, size: float, width: float, first: bool) -> Measured:
    lines = count_lines(paragraph, size, width)
    own = size * paragraph.scale
    before = 0.0 if first else paragraph.space_before * own
    return Measured(paragraph, size, lines, before + lines * line_pitch(own))


def break_long_words(paragraph: Paragraph, size: float, width: float) -> Paragraph:
    """``paragraph`` with zero-width spaces inside words too wide for a line, so they wrap."""
    own = size * paragraph.scale
    left, _ = indent(paragraph, size)
    avail = (width - left) * WIDTH_SLACK * 0.98
    runs = []
    changed = False
    for run in paragraph.runs:
        parts = []
        for piece in run.text.split(" "):
            if piece and text_width(piece, own, run.bold, run.italic) > avail:
                chunks, chunk = [], ""
                for ch in piece:
                    if chunk and text_width(chunk + ch, own, run.bold, run.italic) > avail:
                        chunks.append(chunk)
                        chunk = ""
                    chunk += ch
                chunks.append(chunk)
                piece = BREAK.join(chunks)
                changed = True
            parts.append(piece)
        runs.append(replace(run, text=" ".join(parts)))
    return replace(paragraph, runs=runs) if changed else paragraph


@dataclass
class Frame:
    """A text box: its inner width and height in points (insets already taken off)."""

    width: float
    height: float


def text_height(paragraphs: list[Paragraph], size: float, width: float) -> float:
    return sum(measure(p, size, width, i == 0).height for i, p in enumerate(paragraphs))


def fits(paragraphs: list[Paragraph], size: float, frame: Frame) -> bool:
    return text_height(paragraphs, size, frame.width) <= frame.height


def split_paragraph(paragraph: Paragraph, size: float, width: float, max_lines: int) -> tuple[Paragraph, Paragraph] | None:
    """Split ``paragraph`` after a word so that the head takes at most ``max_lines`` lines.

    Returns None when not even one word fits. The tail continues the paragraph without a bullet.
    """
    words: list[tuple[int, int]] = []  # (run index, char offset) of every space
    for ri, run in enumerate(paragraph.runs):
        for ci, ch in enumerate(run.text):
            if ch == " ":
                words.append((ri, ci))
    best = None
    lo, hi = 0, len(words) - 1
    while lo <= hi:  # binary search for the last space whose head fits
        mid = (lo + hi) // 2
        head, tail = _cut(paragraph, *words[mid])
        if count_lines(head, size, width) <= max_lines:
            best = (head, tail)
            lo = mid + 1
        else:
            hi = mid - 1
    return best


def _cut(paragraph: Paragraph, run_index: int, offset: int) -> tuple[Paragraph, Paragraph]:
    runs = paragraph.runs
    cut = runs[run_index]
    head_runs = runs[:run_index] + ([replace(cut, text=cut.text[:offset])] if offset else [])
    tail_text = cut.text[offset + 1:]
    tail_runs = ([replace(cut, text=tail_text)] if tail_text else []) + runs[run_index + 1:]
    head = replace(paragraph, runs=head_runs)
    tail = replace(paragraph, runs=tail_runs, bullet=None, space_before=0.0,
                   level=paragraph.level + (1 if paragraph.bullet else 0))
    return head, tail


def paginate(paragraphs: list[Paragraph], frame: Frame, sizes: tuple[float, ...]) -> tuple[float, list[list[Paragraph]]]:
    """Lay ``paragraphs`` into ``frame``: the largest of ``sizes`` at which they fit on one page,
    else pages at the smallest size. Paragraphs taller than a page are split between lines.

    Returns (size, pages). Every page fits the frame at that size (the promise the overflow test
    checks in LibreOffice).
    """
    for size in sizes:
        if fits(paragraphs, size, frame):
            return size, [list(paragraphs)]
    for size in sizes:
        prepared = [break_long_words(p, size, frame.width) for p in paragraphs]
        if fits(prepared, size, frame):
            return size, [prepared]
    size = sizes[-1]
    prepared = [break_long_words(p, size, frame.width) for p in paragraphs]
    pages: list[list[Paragraph]] = [[]]
    used = 0.0
    queue = list(prepared)
    while queue:
        p = queue.pop(0)
        page = pages[-1]
        m = measure(p, size, frame.width, not page)
        if used + m.height <= frame.height:
            page.append(p)
            used += m.height
            continue
        own = size * p.scale
        before = 0.0 if not page else p.space_before * own
        room = int((frame.height - used - before) // line_pitch(own))
        if room >= 1 and m.lines > 1 and room >= 2 or (room >= 1 and not page):
            split = split_paragraph(p, size, frame.width, room)
            if split is not None:
                head, tail = split
                page.append(head)
                queue.insert(0, tail)
                pages.append([])
                used = 0.0
                continue
        if not page:  # not even one line fits an empty page: give up rather than loop
            raise ValueError("text frame too small for one line")
        # Keep headings with what follows them.
        carry = []
        while page and page[-1].keep_with_next and len(page) > 1:
            carry.insert(0, page.pop())
        pages.append(carry)
        used = text_height(carry, size, frame.width) if carry else 0.0
        queue.insert(0, p)
    pages = [pg for pg in pages if pg]
    return size, pages


# --- words on a slide --------------------------------------------------------------------------

#: The most words a slide carries (title and source line included): a room reads a slide in the
#: seconds the trainer leaves it, so more is split onto the next slide, never set smaller.
_SENTENCE_END = re.compile(r"[.!?;:]$")
_TOKEN = re.compile(r"\S+")


def shown_words(paragraph: Paragraph) -> int:
    """The words a reader reads in ``paragraph``, its number or letter ("1.", "A.") counted."""
    numbered = paragraph.bullet is not None and paragraph.bullet.startswith("#")
    return word_count(paragraph.text) + numbered


def split_words(paragraph: Paragraph, most: int) -> tuple[Paragraph, Paragraph] | None:
    """``paragraph`` cut after at most ``most`` words: after the last sentence that ends in time,
    else after the word. None when no cut leaves words on both sides."""
    spaces: list[tuple[int, int, int]] = []  # (words before, run index, offset) of every space
    # The words before each space, in one pass over the paragraph's tokens (counting the text
    # before every space again was quadratic in the paragraph's length).
    ends = [(m.end(), word_count(m.group()) > 0) for m in _TOKEN.finditer("".join(r.text for r in paragraph.runs))]
    k = before = at = 0
    for ri, run in enumerate(paragraph.runs):
        for ci, ch in enumerate(run.text):
            if ch == " ":
                while k < len(ends) and ends[k][0] <= at + ci:
                    before += ends[k][1]
                    k += 1
                spaces.append((before, ri, ci))
        at += len(run.text)
    total = word_count(paragraph.text)
    fitting = [s for s in spaces if 0 < s[0] <= most and s[0] < total]
    if not fitting:
        return None
    ends = [s for s in fitting if _SENTENCE_END.search(paragraph.runs[s[1]].text[:s[2]].rstrip() or
                                                     "".join(r.text for r in paragraph.runs[:s[1]]))]
    words, ri, ci = (ends or fitting)[-1]
    head, tail = _cut(paragraph, ri, ci)
    # The tail is the rest of the same sentence or bullet: it starts the next slide as plain text.
    return head, replace(tail, level=paragraph.level)


def group_by_words(paragraphs: list[Paragraph], budget: int, numbers: bool = False) -> list[list[Paragraph]]:
    """``paragraphs`` in groups of at most ``budget`` words each, cut between paragraphs (one
    bullet, one idea, stays whole) and as evenly as the fewest groups allow; a paragraph longer
    than the budget is cut after a sentence. A heading (``keep_with_next``) stays with what
    follows it. ``numbers``: count each paragraph's number or letter as a word (``shown_words``)."""
    budget = max(budget, 8)
    pieces: list[Paragraph] = []
    for p in paragraphs:
        while word_count(p.text) > budget and (cut := split_words(p, budget)) is not None:
            pieces.append(cut[0])
            p = cut[1]
        pieces.append(p)
    counts = [shown_words(p) if numbers else word_count(p.text) for p in pieces]
    if sum(counts) <= budget:
        return [pieces]
    # Units that never part: a heading with the paragraph after it.
    units: list[list[int]] = []
    for i, p in enumerate(pieces):
        if units and pieces[units[-1][-1]].keep_with_next:
            units[-1].append(i)
        else:
            units.append([i])
    sizes = [sum(counts[i] for i in u) for u in units]
    groups_needed = 1
    while True:
        groups_needed += 1
        target = max(sum(sizes) / groups_needed, max(sizes))
        groups: list[list[int]] = [[]]
        used = 0
        for k, size in enumerate(sizes):
            if groups[-1] and (used + size > budget or used + size / 2 > target):
                groups.append([])
                used = 0
            groups[-1].append(k)
            used += size
        if len(groups) <= groups_needed or groups_needed >= len(units):
            break
    return [[pieces[i] for k in g for i in units[k]] for g in groups]
