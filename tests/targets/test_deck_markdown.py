"""Markdown → deck runs: text without markdown takes a short cut that must give exactly what the
markdown renderer gives."""

from __future__ import annotations

import pytest

from generator.loader.load import load_course
from generator.model import Text, walk
from generator.targets.deck.markdown_runs import _PLAIN, _simple, from_markdown, paragraphs
from tests.conftest import FIXTURES, ROOT

#: Texts on both sides of the line: plain ones the short cut takes, and ones that only look plain.
EDGES = [
    "Plain.", "Two\nlines of one paragraph.", "One.\n\nTwo.\n\n\n\nThree.", "\nLeading and trailing\n\n",
    "Numbers 1994. and 12,500 – dashes — quotes “so” ‘so’ 'so' \"so\" (brackets) 50% €3 a/b: c; d?",
    "Ünïcödé ẞ 中文 עברית", "1994. A year", "1) first", "- item", "+ item", "* item", "-5 degrees",
    "Title\n---", "Title\n===", "a\n---\nb", "    code", "\tcode", " one space", "hard  \nbreak", "trail ",
    "**bold**", "_under_", "a_b", "`code`", "[link](https://example.org)", "<b>raw</b>", "R&D", "&amp;",
    "# heading", "a # b", "> quote", "a | b", "a\\b", "x!", "~x~", "{x}", "a = b", "a^b",
    "non\u00a0breaking", "thin\u2009space", "line\u2028separator", "zero\u200bwidth", "form\x0cfeed",
    "bell\x07", "carriage\r\nreturn", "a\n \nb", "a\n\n \n\nb", "   ", "2.5 million\nthings",
    "https://example.org/path?q=1", "mail me: a@b.org", "a.\n1. b", "(1) first", "Q: why?",
    # bold and tight bullet lists (the second short cut)
    "**a**", "a **b** c", "a**b**c", "**a** **b**", "- **a** **b**", "**a**: rest", "- **a**: rest\n- b",
    "Intro.\n\n- **a**: one\n- two **b** three\n\nAfter.", "- a\n\n- b", "- a\n- b\n\n\n- c", "- a\n  more",
    "- 1. x", "- - x", "-  two spaces", "- ", "-", "**", "****", "** a **", "**a *b**", "***a***", "**a**b**",
    "\n**a**", "**a**\n- b", "- a\n\nPara", "Para\n- a", "- # x", "- > x", "- **a**  \n- b", "- a\n-b",
    "- **Point 1.** Text.\n- **Point 2.** More.", "Para **bold\nacross** lines.", "- **bold\n- across**",
    "R&D", "a & b", "&copy; 2020", "&#169;", "&#xA9;", "R&D;", "a #b", "#a", "a = b", "= a", "~a~", "{x}",
    "1. a\n2. b", "3. a\n4. b", "1. a\n- b", "- a\n1. b", "1) a\n2) b", "1. **A**\n2. **B**\n",
    "Intro:\n\n1. **A**\n2. **B**\n", "- a\n\n1. b", "- a\n", "- a\n\n", "x\n\n- a\n- b\n\n\n",
]


def course_texts() -> list[str]:
    found = []
    for course_dir in [ROOT] + sorted(p for p in FIXTURES.iterdir() if (p / "course.yaml").is_file()):
        course = load_course(course_dir).course
        for part in [course] + list(course.lessons) + list(course.quizzes):
            for _, node in walk(part):
                if isinstance(node, Text):
                    found += list(node.root.values())
    return sorted(set(found))


@pytest.mark.parametrize("text", EDGES)
def test_short_cut_gives_what_markdown_gives_on_edge_cases(text: str) -> None:
    assert paragraphs(text) == (from_markdown(text) if text.strip() else [])
    assert paragraphs(text, level=2) == (from_markdown(text, level=2) if text.strip() else [])


def test_short_cut_gives_what_markdown_gives_on_every_course_text() -> None:
    texts = course_texts()
    assert len(texts) > 500
    plain = [t for t in texts if _PLAIN.match(t)]
    assert len(plain) > len(texts) // 3  # the short cuts are taken for most real course text
    assert len([t for t in texts if not _PLAIN.match(t) and _simple(t, 0) is not None]) > 50
    for text in texts:
        assert paragraphs(text) == (from_markdown(text) if text.strip() else []), text


def test_markdown_is_not_taken_for_plain_text() -> None:
    for text in ["**bold**", "- a\n- b", "1. a\n2. b", "# h", "a  \nb", "    code", "[x](https://e.org)"]:
        assert not _PLAIN.match(text), text
