"""Markdown → paragraphs and runs, for text that PowerPoint keeps editable.

Course text is markdown. It goes through the same sanitising renderer as the HTML targets
(:func:`generator.html.markdown_html`: raw HTML escaped, links limited to safe schemes), and the
resulting element tree becomes :class:`~generator.targets.deck.measure.Paragraph` values: list
items become bulleted or numbered paragraphs with their nesting level, ``**bold**`` and
``*italic*`` become run formatting, links stay links (``hlinkClick``), headings become bold
paragraphs kept with what follows. Nothing is flattened into an image or into markup.

Most course text (titles, options, notes, plain paragraphs) uses no markdown at all. Such text
takes a short cut that gives the same paragraphs without the markdown parser, the sanitiser and an
HTML parse — the bulk of planning a large deck; ``tests/targets/test_deck_markdown.py`` holds the
two ways to the same result.
"""

from __future__ import annotations

import re

from generator.targets.deck.measure import Paragraph, Run

BULLET = "•"
NUMBERED = "#arabicPeriod"
_BLOCKS = {"p", "ul", "ol", "li", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr"}
_SPACES = re.compile(r"[ \t\r\n]+")


#: Text markdown leaves as it is: none of the characters of inline syntax (escapes, code, emphasis,
#: links, images, raw HTML, tables) and no entity (a lone "&" is text), no whitespace but spaces
#: and line breaks, no control characters, and no line that could start a block (list, heading,
#: quote, rule, code, setext underline) or end in a hard line break.
_PLAIN = re.compile(r"""
    (?!.*[\\`*_\[\]<>|])                          # inline syntax anywhere
    (?!.*&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)  # an entity
    (?!.*[^\S \n])                                # tabs, non-breaking and other special spaces
    (?!(?:.*\n)?[ +\-*\#=>])                      # a line starting with a space or a block marker
    (?!(?:.*\n)?\d+[.)])                          # ... or with a number list marker
    (?!.*[ ]\n)(?!.*[ ]\Z)                        # a line ending in a space (hard break)
    [^\x00-\x09\x0b-\x1f\x7f]*\Z                  # no control characters
""", re.VERBOSE | re.DOTALL)
#: A tight list item: "- text" or "12. text" (what markdown's ``sane_lists`` reads as one).
_ITEM = re.compile(r"(?:(-)|(\d+)\.) (?=\S)")
_BLANK_LINES = re.compile(r"\n{2,}")


def paragraphs(source: str, level: int = 0) -> list[Paragraph]:
    """The paragraphs of markdown ``source``; list nesting adds to ``level``."""
    if not source.strip():
        return []
    if _PLAIN.match(source):
        found = (_SPACES.sub(" ", block).strip() for block in _BLANK_LINES.split(source))
        return [Paragraph([Run(text)], level=level) for text in found if text]
    simple = _simple(source, level)
    return simple if simple is not None else from_markdown(source, level)


def _simple(source: str, level: int) -> list[Paragraph] | None:
    """The paragraphs of ``source`` when it is only plain paragraphs, ``**bold**`` and tight lists
    ("- " or "1. " items, one line each) — most course text that uses markdown at all — as the
    markdown renderer gives them; None for anything else."""
    out: list[Paragraph] = []
    after_list = False
    for block in _BLANK_LINES.split(source.rstrip("\n")):
        items = [_ITEM.match(line) for line in block.split("\n")]
        if all(items):
            numbered = {m.group(2) is not None for m in items}
            if after_list or len(numbered) > 1:  # lists apart, or of two kinds: markdown joins or nests them
                return None
            # Numbered lists count from 1 whatever their first number (markdown's ``lazy_ol``).
            bullet = NUMBERED if items[0].group(2) is not None else BULLET
            for n, m in enumerate(items, 1):
                runs = _strong_runs(m.string[m.end():], item=True)
                if not runs:
                    return None
                out.append(Paragraph(runs, level=level, bullet=bullet, start=n, space_before=0.25))
            after_list = True
            continue
        runs = _strong_runs(block, item=False)
        if runs is None:
            return None
        if runs:
            out.append(Paragraph(runs, level=level))
        after_list = False
    return out


def _strong_runs(text: str, item: bool) -> list[Run] | None:
    """The runs of plain ``text`` with ``**bold**`` pairs; None when it holds anything else.

    ``item``: the text of a tight list item, where markdown drops text between the bold parts that
    is only spaces (what ``_blocks`` does with an element's whitespace-only text and tails).
    """
    parts = text.split("**")
    if len(parts) % 2 == 0 or not _PLAIN.match("".join(parts)):
        return None
    runs: list[Run] = []
    for i, part in enumerate(parts):
        bold = i % 2 == 1
        if bold and (not part or part != part.strip()):
            return None
        if item and not bold and not part.strip():
            continue
        _append(runs, Run(_SPACES.sub(" ", part), bold, False))  # a lone "\n" is no line break here
    return _tidy(runs)


def from_markdown(source: str, level: int = 0) -> list[Paragraph]:
    """The paragraphs of ``source`` through the markdown renderer (what :func:`paragraphs` does
    for any text that uses markdown)."""
    # Imported here: a deck whose text needs no renderer does not load it (nor Jinja, nh3).
    from lxml import html as lxml_html

    from generator.html import markdown_html

    root = lxml_html.fragment_fromstring(markdown_html(source), create_parent="div")
    out: list[Paragraph] = []
    _blocks(root, out, level, italic=False)
    return out


def inline(source: str, bold: bool = False, italic: bool = False) -> list[Run]:
    """The runs of one line of markdown (no block structure), e.g. a quiz option or a table cell."""
    found = paragraphs(source)
    runs: list[Run] = []
    for i, p in enumerate(found):
        if i:
            runs.append(Run(" "))
        runs += p.runs
    if bold or italic:
        runs = [Run(r.text, r.bold or bold, r.italic or italic, r.link, r.colour) for r in runs]
    return runs


def _blocks(element, out: list[Paragraph], level: int, italic: bool) -> None:
    loose: list = []  # inline content directly inside a block (a tight list item)

    def flush(bullet: str | None = None, start: int = 1) -> None:
        runs = _runs_of(loose, italic)
        loose.clear()
        if runs:
            out.append(Paragraph(runs, level=level, bullet=bullet, start=start))

    if element.text and element.text.strip():
        loose.append(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCKS:
            flush()
            _block(child, out, level, italic)
        else:
            loose.append(child)
        if child.tail and child.tail.strip():
            loose.append(child.tail)
    flush()


def _block(element, out: list[Paragraph], level: int, italic: bool) -> None:
    tag = element.tag
    if tag == "p":
        runs = _runs_of([element.text or ""] + [c for c in element], italic, skip_tails=False)
        if runs:
            out.append(Paragraph(runs, level=level))
    elif tag in ("ul", "ol"):
        start = int(element.get("start", "1") or 1)
        for n, item in enumerate(x for x in element if x.tag == "li"):
            _list_item(item, out, level, BULLET if tag == "ul" else NUMBERED, start + n, italic)
    elif tag in ("h3", "h4", "h5", "h6"):
        runs = _runs_of([element.text or ""] + [c for c in element], italic, skip_tails=False)
        if runs:
            out.append(Paragraph([Run(r.text, True, r.italic, r.link) for r in runs], level=level,
                                 keep_with_next=True))
    elif tag == "blockquote":
        _blocks(element, out, level + 1, italic=True)
    elif tag == "pre":
        text = element.text_content().rstrip("\n")
        for line in text.split("\n"):
            out.append(Paragraph([Run(line or " ")], level=level, space_before=0.0))
    elif tag == "table":
        for row in element.iter("tr"):
            cells = [_SPACES.sub(" ", c.text_content()).strip() for c in row if c.tag in ("td", "th")]
            bold = any(c.tag == "th" for c in row)
            out.append(Paragraph([Run(" | ".join(cells), bold=bold)], level=level))
    elif tag == "li":  # a stray list item (should not happen after the markdown parser)
        _list_item(element, out, level, BULLET, 1, italic)


def _list_item(item, out: list[Paragraph], level: int, bullet: str, number: int, italic: bool) -> None:
    before = len(out)
    _blocks(item, out, level + 1, italic)
    if len(out) > before:
        first = out[before]
        # The item's first paragraph carries the bullet at the list's own level; later paragraphs
        # of the same item and nested lists are indented under it.
        first.level = level
        first.bullet = bullet
        first.start = number
        first.space_before = 0.25
        for p in out[before + 1:]:
            if p.bullet is None and p.level == level + 1:
                p.space_before = 0.15


def _runs_of(parts: list, italic: bool, skip_tails: bool = True) -> list[Run]:
    """Runs for a mixed list of strings and inline elements (their tails follow them)."""
    runs: list[Run] = []
    for part in parts:
        if isinstance(part, str):
            _append(runs, Run(part, False, italic))
        else:
            _inline(part, runs, False, italic, None)
            if not skip_tails and part.tail:
                _append(runs, Run(part.tail, False, italic))
    return _tidy(runs)


def _inline(element, runs: list[Run], bold: bool, italic: bool, link: str | None) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("strong", "b"):
        bold = True
    elif tag in ("em", "i"):
        italic = True
    elif tag == "a":
        link = element.get("href") or link
    elif tag == "br":
        _append(runs, Run("\n", bold, italic, link))
    if tag != "br" and element.text:
        _append(runs, Run(element.text, bold, italic, link))
    for child in element:
        _inline(child, runs, bold, italic, link)
        if child.tail:
            _append(runs, Run(child.tail, bold, italic, link))


def _append(runs: list[Run], run: Run) -> None:
    text = run.text if run.text == "\n" else _SPACES.sub(" ", run.text)
    if not text:
        return
    if runs and (runs[-1].bold, runs[-1].italic, runs[-1].link) == (run.bold, run.italic, run.link) \
            and "\n" not in (text, runs[-1].text):
        runs[-1] = Run(runs[-1].text + text, run.bold, run.italic, run.link)
    else:
        runs.append(Run(text, run.bold, run.italic, run.link))


def _tidy(runs: list[Run]) -> list[Run]:
    """Trim the spaces HTML leaves at the edges of a paragraph and around line breaks."""
    if runs and runs[0].text != "\n":
        runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic, runs[0].link)
    if runs and runs[-1].text != "\n":
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic, runs[-1].link)
    return [r for r in runs if r.text]
