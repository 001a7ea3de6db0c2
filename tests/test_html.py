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


def test_compiled_templates_are_shared_and_follow_source_and_filters(tmp_path, minimal_course) -> None:
    import jinja2

    from generator.html import environment

    (tmp_path / "page.html").write_text("{{ 'a'|t }}", encoding="utf-8")
    first = environment(tmp_path, minimal_course, "en").get_template("page.html")
    second = environment(tmp_path, minimal_course, "nl").get_template("page.html")
    assert second.root_render_func.__code__ is first.root_render_func.__code__  # compiled once
    (tmp_path / "page.html").write_text("{{ 'b'|t }}!", encoding="utf-8")
    assert environment(tmp_path, minimal_course, "en").get_template("page.html").render() == "b!"
    # Jinja compiles how a filter is called into the template: another kind of filter, another code.
    env = environment(tmp_path, minimal_course, "en")
    env.filters["t"] = jinja2.pass_context(lambda context, value: f"{value} in context")
    assert env.get_template("page.html").render() == "b in context!"
