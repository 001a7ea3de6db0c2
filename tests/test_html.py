"""Markdown from course files becomes safe HTML."""

import re

import pytest

from generator.html import markdown_html


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "</textarea><svg onload=alert(1)>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
])
def test_no_markup_survives(payload: str) -> None:
    html = markdown_html(payload)
    tags = re.findall(r"<\s*([a-zA-Z0-9]+)([^>]*)>", html)
    assert {name for name, _ in tags} <= {"p", "a"}, html
    for name, attributes in tags:
        assert not re.search(r"\bon\w+\s*=", attributes), html
        assert "javascript:" not in attributes and "data:" not in attributes, html


def test_formatting_kept() -> None:
    html = markdown_html("**bold** *it* [site](https://example.org)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in html
    assert "<li>one</li>" in html


def test_headings_demoted() -> None:
    assert markdown_html("# Top") == "<h3>Top</h3>"
