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


_RENDER_IN_NEW_PROCESS = """
import sys
from pathlib import Path
import jinja2
from generator.loader.load import load_course
from generator.html import environment
if sys.argv[2] == "no-compiling":
    def refuse(*args, **kwargs):
        raise SystemExit("compiled again")
    jinja2.Environment.compile = refuse
course = load_course(Path(sys.argv[3])).course
print(environment(Path(sys.argv[1]), course, "en").get_template("page.html").render(), end="")
"""


def test_compiled_templates_are_kept_on_disk_for_the_next_process(tmp_path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import FIXTURES, ROOT

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{{ 'kept'|t }}", encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    env.pop("MODGEN_NO_TEMPLATE_CACHE", None)

    def render(mode: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", _RENDER_IN_NEW_PROCESS, str(templates), mode,
                               str(FIXTURES / "minimal")], env=env, capture_output=True, text=True)

    first = render("compile")
    assert first.returncode == 0 and first.stdout == "kept", first.stderr
    folder = next((tmp_path / "cache" / "modgen").iterdir())
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert render("no-compiling").stdout == "kept"  # read back, not compiled again

    # A folder others may write to is not trusted: templates are compiled, nothing is read.
    folder.chmod(0o777)
    assert render("no-compiling").returncode != 0
    folder.chmod(0o700)
    # A changed template is compiled again, not served from the cache.
    (templates / "page.html").write_text("{{ 'changed'|t }}", encoding="utf-8")
    assert render("no-compiling").returncode != 0
    assert render("compile").stdout == "changed"


def test_without_a_home_directory_templates_are_compiled_in_memory(monkeypatch) -> None:
    """A container may have no HOME and no account entry: there is no home folder to find (and
    Path.home() raises), and importing generator.html (every HTML target) must not fail."""
    import os
    from pathlib import Path

    from generator import html

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("MODGEN_NO_TEMPLATE_CACHE", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    # what os.path.expanduser does when the account database has no entry either
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)
    assert html._cache_folder() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert html._cache_folder().parent == Path("/somewhere/modgen")
