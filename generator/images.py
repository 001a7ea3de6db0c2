"""Image inputs (a course's logo, its figures): what they are, read from their header — no
imaging library needed — and the one check every reader of an image uses.

Figures (``Figure.image``) may also be SVG drawings: :func:`safe_svg` parses one without entities
or network, refuses anything active or external (script, event handlers, links, references to
other files) and writes it out again with only drawing elements and attributes.

Images come from other organisations like the rest of a course. A PNG of 100,000 × 100,000 pixels
is a few kilobytes on disk and tens of gigabytes once a viewer (LibreOffice, a browser, a PDF
printer) decodes it, so :func:`check_image` bounds the size the header declares before any output
embeds the file. ``modgen validate`` checks a course's images with this (it imports no output
library); the decks and the site use the size to keep an image's proportions.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

from generator import limits

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: JPEG start-of-frame markers, which carry the size (C4, C8 and CC are other segments).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG or JPEG, or None when the header does not say (damaged,
    truncated or another format)."""
    if data.startswith(PNG_SIGNATURE):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
    elif data.startswith(b"\xff\xd8"):
        width = height = 0
        at = 2
        while at + 4 <= len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            if marker == 0xFF:  # fill byte
                at += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
                at += 2
                continue
            (length,) = struct.unpack(">H", data[at + 2:at + 4])
            if marker in _SOF:
                if at + 9 > len(data):
                    return None
                height, width = struct.unpack(">HH", data[at + 5:at + 9])
                break
            if marker == 0xDA or length < 2:  # image data before any frame header: not a JPEG we know
                return None
            at += 2 + length
    else:
        return None
    return (width, height) if width > 0 and height > 0 else None


#: file suffix → the format its bytes must be. SVG only where the caller allows it (figures, made
#: safe by :func:`safe_svg`; a logo does not need it).
SUFFIXES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
SVG_SUFFIX = ".svg"


class ImageProblem(ValueError):
    """Why a file is not an image modgen accepts. ``str()`` is the sentence (it names the file as the
    course wrote it); the caller adds the location of the field that names the file."""


@dataclass(frozen=True)
class ImageHeader:
    """What an image's header declares."""

    format: str  # "png", "jpeg" (or "svg" for a figure)
    width: int
    height: int


def check_image(data: bytes, shown: str, *, svg: bool = False) -> ImageHeader:
    """The format and pixel size of ``data``, an image named ``shown`` in the course.

    Raises :class:`ImageProblem` when the bytes are not the PNG or JPEG the name's suffix promises,
    when the header declares no size (a damaged file), or when the declared size is beyond
    ``limits.MAX_IMAGE_SIDE`` pixels a side or ``limits.MAX_IMAGE_PIXELS`` pixels in all. Reads
    only the header: nothing is decoded, so a hostile file costs no more than its bytes. With
    ``svg``, a ``.svg`` file is checked by :func:`safe_svg`.
    """
    if len(data) > limits.MAX_ASSET_BYTES:
        raise ImageProblem(f"'{shown}' is {len(data):,} bytes, more than the limit of {limits.MAX_ASSET_BYTES:,}")
    suffix = Path(shown).suffix.lower()
    if svg and suffix == SVG_SUFFIX:
        return safe_svg(data, shown)[1]
    wanted = SUFFIXES.get(suffix)
    if wanted is None:
        raise ImageProblem(f"'{shown}' must be one of: {', '.join([*SUFFIXES, *([SVG_SUFFIX] if svg else [])])}")
    found = "png" if data.startswith(PNG_SIGNATURE) else "jpeg" if data.startswith(b"\xff\xd8\xff") else None
    if found != wanted:
        raise ImageProblem(f"'{shown}' is not a real {suffix[1:].upper()} file")
    size = image_size(data)
    if size is None:
        raise ImageProblem(f"'{shown}' is a damaged {suffix[1:].upper()} image: its size cannot be read")
    _check_pixels(*size, shown)
    return ImageHeader(found, *size)


def _check_pixels(width: int, height: int, shown: str) -> None:
    if max(width, height) > limits.MAX_IMAGE_SIDE:
        raise ImageProblem(f"'{shown}' is {width:,} × {height:,} pixels, more than the limit of "
                           f"{limits.MAX_IMAGE_SIDE:,} pixels a side — scale it down")
    if width * height > limits.MAX_IMAGE_PIXELS:
        raise ImageProblem(f"'{shown}' has {width * height:,} pixels ({width:,} × {height:,}), more than the "
                           f"limit of {limits.MAX_IMAGE_PIXELS:,} — scale it down")


def read_image(path: Path, shown: str, *, svg: bool = False) -> tuple[bytes, ImageHeader]:
    """The bytes and header of the image file ``path`` (named ``shown`` in the course), checked as
    :func:`check_image` does; the file's size is checked before it is read. Raises
    :class:`ImageProblem`; the caller has made sure ``path`` is inside the course. With ``svg``, an
    SVG drawing is accepted and its bytes are those :func:`safe_svg` wrote: the only ones to embed."""
    try:
        size = path.stat().st_size
        if size > limits.MAX_ASSET_BYTES:
            raise ImageProblem(f"'{shown}' is {size:,} bytes, more than the limit of {limits.MAX_ASSET_BYTES:,}")
        with path.open("rb") as f:
            data = f.read(limits.MAX_ASSET_BYTES + 1)
    except OSError as exc:
        raise ImageProblem(f"'{shown}' cannot be read: {exc.strerror or exc}") from None
    if svg and Path(shown).suffix.lower() == SVG_SUFFIX:
        return safe_svg(data, shown)
    return data, check_image(data, shown)


# --- SVG -----------------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
#: The drawing elements kept. Everything that runs (script), embeds other documents
#: (foreignObject, iframe), loads files (image, feImage, use of another file) or animates
#: attributes (animate, set: they can turn a link into javascript:) is not among them.
_SVG_ELEMENTS = frozenset("""
    svg g defs symbol use title desc metadata path rect circle ellipse line polyline polygon text tspan textPath
    linearGradient radialGradient stop clipPath mask pattern marker style switch
    filter feBlend feColorMatrix feComponentTransfer feComposite feFlood feGaussianBlur feMerge feMergeNode
    feMorphology feOffset feFuncR feFuncG feFuncB feFuncA feDropShadow
""".split())
#: Elements that are refused with a reason, rather than quietly left out.
_SVG_ACTIVE = {"script": "a script", "foreignObject": "embedded HTML (foreignObject)", "iframe": "an iframe",
               "image": "a reference to another image", "feImage": "a reference to another image",
               "animate": "an animation", "set": "an animation", "animateTransform": "an animation",
               "animateMotion": "an animation", "a": "a link", "handler": "a script", "listener": "a script"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in|pc)?\s*$")
_UNIT_PX = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


def safe_svg(data: bytes, name: str) -> tuple[bytes, ImageHeader]:
    """The SVG drawing ``data`` written out again with only drawing elements and attributes; raises
    :class:`ImageProblem` when it holds anything active or external (script, event handlers, links
    or references to other files, entities) — those are refused, not quietly removed, so an author
    sees what the drawing program put in."""
    from lxml import etree

    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:65536], re.IGNORECASE):
        raise ImageProblem(f"'{name}' declares a DOCTYPE or entities; save the SVG without them (plain SVG)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImageProblem(f"'{name}' is a damaged SVG drawing: {exc.msg}") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageProblem(f"'{name}' is not an SVG drawing: its first element is not <svg> "
                           f"in the SVG namespace ({SVG_NS})")
    count = 0
    for element in list(root.iter()):
        count += 1
        if count > limits.MAX_SVG_ELEMENTS:
            raise ImageProblem(f"'{name}' has more than {limits.MAX_SVG_ELEMENTS:,} elements")
        if not isinstance(element.tag, str):  # entity references left unresolved
            raise ImageProblem(f"'{name}' uses an entity; save the SVG without them (plain SVG)")
        namespace, _, local = element.tag[1:].partition("}") if element.tag.startswith("{") else ("", "", element.tag)
        if namespace == SVG_NS and local in _SVG_ACTIVE:
            raise ImageProblem(f"'{name}' holds {_SVG_ACTIVE[local]} (<{local}>), which an SVG figure may not: "
                               "draw it with shapes and text only")
        if namespace != SVG_NS or local not in _SVG_ELEMENTS:
            # A drawing program's own data (Inkscape's sodipodi:namedview, RDF metadata): not drawn.
            element.getparent().remove(element) if element is not root else None
            continue
        for attr, value in list(element.attrib.items()):
            attr_ns, _, attr_local = attr[1:].partition("}") if attr.startswith("{") else ("", "", attr)
            if attr_local.lower().startswith("on"):
                raise ImageProblem(f"'{name}' has an event handler ({attr_local}), which is a script")
            if attr_local == "href" and attr_ns in ("", XLINK_NS):
                if not value.strip().startswith("#"):
                    raise ImageProblem(f"'{name}' refers to another file or address ({value.strip()[:80]}); "
                                       "an SVG figure must be self-contained")
                continue
            if attr_ns not in ("", XLINK_NS, "http://www.w3.org/XML/1998/namespace"):
                del element.attrib[attr]  # an editor's attribute (inkscape:label)
                continue
            _check_urls(value, name)
        if local == "style" and element.text:
            if "@import" in element.text.lower():
                raise ImageProblem(f"'{name}' imports a style sheet from another file (@import)")
            _check_urls(element.text, name)
    width, height = _svg_size(root, name)
    _check_pixels(width, height, name)
    etree.cleanup_namespaces(root, top_nsmap={None: SVG_NS})
    clean = etree.tostring(root, encoding="utf-8", xml_declaration=False)
    return clean, ImageHeader("svg", width, height)


def _check_urls(value: str, name: str) -> None:
    for target in _URL.findall(value):
        if not target.startswith("#"):
            raise ImageProblem(f"'{name}' refers to another file or address (url({target[:80]})); "
                               "an SVG figure must be self-contained")


def _svg_size(root, name: str) -> tuple[int, int]:
    """The drawing's size in CSS pixels: its width and height, else its viewBox."""
    sizes = []
    for attr in ("width", "height"):
        match = _LENGTH.match(root.get(attr, ""))
        sizes.append(float(match[1]) * _UNIT_PX[match[2]] if match else None)
    view = (root.get("viewBox") or "").replace(",", " ").split()
    if None in sizes and len(view) == 4:
        try:
            vw, vh = float(view[2]), float(view[3])
        except ValueError:
            vw = vh = 0.0
        if vw > 0 and vh > 0:
            if sizes == [None, None]:
                sizes = [vw, vh]
            elif sizes[0] is None:
                sizes[0] = sizes[1] * vw / vh
            else:
                sizes[1] = sizes[0] * vh / vw
    if None in sizes or min(sizes) <= 0:
        raise ImageProblem(f"'{name}' says neither its width and height nor its viewBox, so its proportions "
                           "are unknown — give the <svg> element a viewBox")
    return max(1, round(sizes[0])), max(1, round(sizes[1]))


@dataclass(frozen=True)
class Logo:
    """The organisation's logo (``branding.logo``): its bytes, kind and size in pixels."""

    data: bytes
    ext: str  # png or jpeg
    width: int
    height: int


def read_logo(course) -> Logo | None:
    """The course's logo, or None when it has none. The checks already made sure the file is inside
    the course and a PNG or JPEG whose size can be read."""
    logo = course.branding.logo
    if not logo or course.root is None:
        return None
    data, header = read_image(course.root / logo, logo)  # checked already: raises nothing here
    return Logo(data, header.format, header.width, header.height)
