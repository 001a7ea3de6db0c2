"""What every HTML target shares: safe markdown, and a Jinja environment bound to one language.

Course files are untrusted (they travel between organisations): markdown is rendered with raw HTML
escaped and the result sanitised with nh3, and Jinja autoescapes everything else. Targets (site,
facilitator guide, printable quiz, answer key, SCORM) keep their own templates and use this.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import markdown as markdown_lib
import nh3
from markupsafe import Markup

from generator import i18n, icons, user_cache, xref
from generator.figures import strip_images
from generator.model import Course, Text

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


class _EscapeRawHtml(markdown_lib.Extension):
    """Treat HTML in course text as text: authors write markdown, never markup."""

    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


@lru_cache(maxsize=1)
def _markdown() -> markdown_lib.Markdown:
    # Building the parser costs far more than converting a paragraph: make it once, reset per use.
    return markdown_lib.Markdown(extensions=[_EscapeRawHtml(), "sane_lists", "tables"], output_format="html")


@lru_cache(maxsize=4096)
def markdown_html(source: str) -> str:
    """Markdown → sanitised HTML. Headings start at h3: pages own h1 and h2. Images are left out
    here: a section's images are its figures (generator/figures.py), shown after its text, and the
    checks refuse them in any other text."""
    html = _markdown().reset().convert(strip_images(source))
    for level in (2, 1):  # demote author headings below the page's own structure
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process, and kept between processes.

    Each build job makes its own environment (course and language are bound into it), and
    compiling the templates again for each one cost more than rendering them. The compiled code
    depends on the template's source (Jinja checks it), on the environment's options and on which
    filters and tests exist and what they are passed: all are part of the key.

    Compiling the templates still cost every build process (and each of its workers) about a
    third of a second, most of a one-lesson rebuild; so the compiled code is also kept on disk, in
    the user's own cache folder (``user_cache``: never in the course or in ``OUT``, which may come
    from someone else, and only in a folder closed to others). Jinja checks the format version and
    the template source's checksum of what it reads back.
    """

    def __init__(self, folder: Path | None) -> None:
        self._code: dict[tuple, Any] = {}
        self._folder = folder

    @staticmethod
    def _signature(env: jinja2.Environment) -> tuple:
        passed = lambda table: tuple(sorted((name, str(getattr(f, "jinja_pass_arg", None)))
                                            for name, f in table.items()))
        return (env.autoescape, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                env.undefined, passed(env.filters), passed(env.tests))

    def _file(self, key: tuple) -> Path | None:
        if self._folder is None:
            return None
        return self._folder / (hashlib.sha256(repr(key).encode()).hexdigest() + ".jinja")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = (bucket.key, bucket.checksum, self._signature(bucket.environment))
        code = self._code.get(key)
        if code is None and (path := self._file(key)) is not None and user_cache.private(self._folder):
            try:
                with open(path, "rb") as f:
                    bucket.load_bytecode(f)  # resets unless the magic and source checksum match
            except (OSError, ValueError, EOFError, TypeError):
                bucket.reset()
            code = self._code[key] = bucket.code
        bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = (bucket.key, bucket.checksum, self._signature(bucket.environment))
        self._code[key] = bucket.code
        path = self._file(key)
        if path is None or not user_cache.private(self._folder, create=True):
            return
        code = io.BytesIO()
        bucket.write_bytecode(code)
        user_cache.write(path, code.getvalue())


def _cache_folder() -> Path | None:
    """Where compiled templates are kept; None: in memory only."""
    if os.environ.get("MODGEN_NO_TEMPLATE_CACHE"):
        return None
    return user_cache.folder(f"templates-py{sys.version_info[0]}{sys.version_info[1]}-jinja{jinja2.__version__}")


_COMPILED = _CompiledTemplates(_cache_folder())


def environment(templates: Path, course: Course, lang: str, *, xref_href: "xref.Href | None" = None,
                **globals_: Any) -> jinja2.Environment:
    """A Jinja environment for ``templates`` speaking ``lang``.

    Cross-references between lessons (``[](lesson:id)``, :mod:`generator.xref`) become their words
    in both ``t`` and ``md``; with ``xref_href``, ``md`` makes them links to where it says.

    Filters: ``t`` (Text → str), ``md`` (Text or str of markdown → safe HTML), ``num`` (numbers
    per language), ``cell`` (table cells). Globals: ``course``, ``lang``, ``locale``, ``ui(key)``
    for the core catalogue, ``icon(name)`` (an icon of modgen's set as inline SVG, decorative;
    nothing for None), plus ``globals_``.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )

    def text(value: Text | str | None) -> str:
        if value is None:
            return ""
        return value.get(lang) if isinstance(value, Text) else str(value)

    def t(value: Text | str | None) -> str:
        return xref.plain(text(value), course, lang)

    def md(value: Text | str | None) -> Markup:
        return Markup(markdown_html(xref.markdown(text(value), course, lang, xref_href)))

    env.filters.update(
        t=t,
        md=md,
        num=lambda v: i18n.format_number(v, lang),
        cell=lambda v: i18n.cell_text(v, lang),
    )
    env.globals.update(
        course=course,
        lang=lang,
        locale=i18n.locale(lang),
        ui=lambda key, **kw: i18n.core(key, lang, **kw),
        icon=_icon,
        **globals_,
    )
    return env


def _icon(name: str | None) -> Markup:
    # The checks have refused unknown names; the markup is modgen's own, not course text.
    return Markup(icons.svg(name)) if name else Markup("")
