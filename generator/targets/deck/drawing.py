"""The DrawingML primitives every part of the deck writer shares: text bodies with explicit
insets and no autofit, text made safe for XML, and the text colour that contrasts with a fill.

A module of its own so that the slide writer (``builder``), the crime-script drawing
(``diagram``) and the package (``package``) all depend on it and not on each other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from pptx.oxml.ns import qn

#: Insets of every text box we fill (EMU): written explicitly so no application guesses them.
INSET_X, INSET_Y = 91440, 45720

_A_BODY_PR, _A_NO_AUTOFIT, _A_LST_STYLE = qn("a:bodyPr"), qn("a:noAutofit"), qn("a:lstStyle")
_TX_BODY = qn("p:txBody")
#: Characters XML 1.0 cannot hold; YAML escapes ("\x0b") can put them in course text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: A copy of an lxml element and everything in it (``copy.copy`` without its Python dispatch:
#: called for every paragraph and run).
_copy = etree._Element.__copy__


def xml_text(text: str) -> str:
    """``text`` without the control characters an XML document may not contain."""
    return _NOT_XML.sub("", text)


def contrast_text(fill: str) -> str:
    """Black or white, whichever contrasts more with the hex colour ``fill``."""
    from generator.targets.deck.colour import contrast

    return "000000" if contrast("000000", fill) >= contrast("FFFFFF", fill) else "FFFFFF"


def text_body(parent, anchor: str | None = None,
              insets: tuple[int, int, int, int] = (INSET_X, INSET_Y, INSET_X, INSET_Y)):
    """Append an empty ``p:txBody`` with explicit insets, word wrap and no autofit — the layout we
    measured is the layout shown — and return it."""
    tx = _copy(_empty_text_body(anchor, insets))
    parent.append(tx)
    return tx


@lru_cache(maxsize=64)
def _empty_text_body(anchor: str | None, insets: tuple[int, int, int, int]):
    tx = etree.Element(_TX_BODY)
    left, top, right, bottom = insets
    attrs = {"wrap": "square", "lIns": str(left), "tIns": str(top), "rIns": str(right), "bIns": str(bottom),
             "rtlCol": "0"}
    if anchor:
        attrs["anchor"] = anchor
    etree.SubElement(etree.SubElement(tx, _A_BODY_PR, attrs), _A_NO_AUTOFIT)
    etree.SubElement(tx, _A_LST_STYLE)
    return tx
