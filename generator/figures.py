"""A section's figures: the ones listed under ``figures:`` and the markdown images of its body.

An author who writes ``![A forum's ranks](images/ranks.png)`` in a section's text means a picture;
the markdown renderer would leave it out of every output (the sanitiser allows no ``<img>``). So a
body's images are read here and become figures of the section, shown with the others after the text;
the text itself is rendered without them (:func:`strip_images`). The YAML is not changed: the
translations and the lock keep seeing the body as written.

The checks (``generator.checks``) make sure each such image is a local file with alt text, and that
the languages of a body show the same images; the targets call :func:`section_figures` and
:func:`picture` and never look at the markdown.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from dataclasses import dataclass

from generator.images import read_image
from generator.model import ANY_LANGUAGE, Course, Figure, Section, Text

#: An inline markdown image: ``![alt](path)`` or ``![alt](<path with spaces> "title")``.
IMAGE = re.compile(r"""!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\(\s*(?:<(?P<angled>[^>]*)>|(?P<src>[^\s)]*))"""
                   r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)""")
#: A reference-style image, ``![alt][label]``, which the checks ask to write inline.
REFERENCE_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\s?\[[^\]]*\]")
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def images_in(markdown: str) -> list[tuple[str, str, int]]:
    """The inline images of ``markdown``: (alt, path, offset), in order."""
    if "![" not in markdown:
        return []
    return [(_unescape(m["alt"]).strip(), (m["angled"] if m["angled"] is not None else m["src"]).strip(), m.start())
            for m in IMAGE.finditer(markdown)]


def strip_images(markdown: str) -> str:
    """``markdown`` without its images (they are shown as figures); other text unchanged."""
    if "![" not in markdown:
        return markdown
    return IMAGE.sub("", markdown)


def is_remote(path: str) -> bool:
    """Whether ``path`` is an address (https:, data:, //host) rather than a file in the course."""
    return bool(_REMOTE.match(path.strip()))


def body_figures(section: Section) -> list[Figure]:
    """The figures the markdown images of ``section``'s body stand for: the n-th image of every
    language makes the n-th figure, with each language's alt text. Images the checks refuse
    (remote, without alt text, different per language) make none."""
    if "![" not in str(section.body.root):
        return []
    per_language = {lang: images_in(text) for lang, text in section.body.root.items()}
    found: list[Figure] = []
    if per_language and all(per_language.values()):
        count = min(len(images) for images in per_language.values())
        for i in range(count):
            paths = {images[i][1] for images in per_language.values()}
            alts = {lang: images[i][0] for lang, images in per_language.items()}
            path = next(iter(paths))
            if len(paths) != 1 or is_remote(path) or not path or not all(alts.values()):
                continue
            figure = Figure.model_construct(
                id=f"{section.id}-image-{i + 1}", image=path, chart=None, alt=Text(alts), caption=None,
                credit=None, source=None, audiences=None)
            if section._source is not None:
                figure.locate(section._source, section._loc + ("body",))
            found.append(figure)
    return found


def section_figures(section: Section) -> list[Figure]:
    """Every figure of ``section``, in the order shown: its body's images, then its ``figures``."""
    lifted = body_figures(section)
    return [*lifted, *section.figures] if lifted else section.figures


@dataclass(frozen=True)
class Picture:
    """An image figure's file as the outputs embed it: its bytes (an SVG's made safe), format and
    size in pixels (an SVG's from its width and height or viewBox)."""

    data: bytes
    format: str  # png, jpeg or svg
    width: int
    height: int

    @property
    def ext(self) -> str:
        return "jpg" if self.format == "jpeg" else self.format

    @property
    def content_type(self) -> str:
        return {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}[self.format]


def picture(course: Course, image: str) -> Picture:
    """The picture at ``image`` (a figure's path) read and checked, an SVG made safe; raises
    :class:`~generator.images.ImageProblem`. In a build the checks have refused every image
    this would refuse."""
    assert course.root is not None
    path = course.root / image
    stat = path.stat()
    return _picture(path, image, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _picture(path: Path, name: str, mtime_ns: int, size: int) -> Picture:
    # The site, the guide and each deck ask for the same picture; a changed file (``--watch``) has
    # another time or size, so it is read again.
    data, header = read_image(path, name, svg=True)
    return Picture(data, header.format, header.width, header.height)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def text_has_image(text: Text) -> bool:
    """Whether any language of ``text`` holds markdown image syntax."""
    return any("![" in value and (IMAGE.search(value) or REFERENCE_IMAGE.search(value))
               for value in text.root.values())


__all__ = ["ANY_LANGUAGE", "body_figures", "images_in", "is_remote", "picture", "section_figures", "strip_images"]
