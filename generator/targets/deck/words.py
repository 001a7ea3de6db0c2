"""Words a room reads: the slide's word limit and the counts that decide what fits one slide.

Kept apart from ``measure`` (which loads fonts with Pillow) so that ``modgen validate`` can tell an
author that a section or an in-room question will not fit one slide without loading any output
library: the deck and the check count words the same way.
"""

from __future__ import annotations

import re

#: The most words a slide shows outside tables and charts (title, body, source line and answer).
MAX_WORDS = 60
#: The most paragraphs (points) of body text one slide holds at body size; more continue.
MAX_POINTS = 8
BREAK = "\u200b"

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKERS = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#{1,6}|>)\s+", re.MULTILINE)
_SYNTAX = re.compile(r"[*_`]")


#: A piece between white space that holds a letter or a digit (``[^\W_]``: a word character but
#: the underscore, as ``str.isalnum``): one regular-expression pass rather than a test per character.
_WORD = re.compile(r"(?<!\S)(?=\S*?[^\W_])\S+")


def word_count(text: str) -> int:
    """Words a reader reads in ``text``: pieces holding a letter or a digit (a dash is none)."""
    return len(_WORD.findall(text.replace(BREAK, "")))


def markdown_words(text: str) -> int:
    """The words of markdown ``text`` as a slide shows them: link targets, list markers and
    emphasis are not read."""
    return word_count(_SYNTAX.sub("", _MARKERS.sub("", _LINK.sub(r"\1", text))))


def markdown_points(text: str) -> int:
    """Paragraphs and list items in markdown ``text``: each is a point on the slide."""
    points = 0
    in_paragraph = False
    for line in text.splitlines():
        if not line.strip():
            in_paragraph = False
        elif _MARKERS.match(line) or not in_paragraph:
            points += 1
            in_paragraph = True
    return points


def budget(title: str, footer: str = "", revealed: int = 0) -> int:
    """The words the body of a slide may hold: the slide's most, less its title's (with room for a
    repeat's number), its source line's and its answer's, and a few words' margin: a word that
    wraps at its hyphen reads as two."""
    return MAX_WORDS - word_count(title) - 3 - word_count(footer) - revealed - 3
