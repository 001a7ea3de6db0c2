"""Images from course files: what kind a file is by its bytes, its pixel size read from its header
(no imaging library, nothing decoded), the bounds every image must keep, and SVG drawings made safe.

One check for every image a course brings — the logo and the figures (``Figure.image``): the
course files travel between organisations, so an image is hostile until read. ``read_image`` is
that check: a PNG or JPEG must say its size in its header and stay within
``limits.MAX_IMAGE_PIXELS`` (a small file declaring a huge canvas, a "decompression bomb", is
refused before anything decodes it); an SVG is parsed without entities or network, must hold no
script, event handler or reference to another file, and is written out again with only drawing
elements and attributes.

``modgen validate`` checks with this (it imports no output library); the decks and the site use it
to keep a picture's proportions.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

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
    data = (course.root / logo).read_bytes()
    width, height = image_size(data) or (1, 1)  # checked: never None here
    return Logo(data, "png" if data.startswith(PNG_SIGNATURE) else "jpeg", width, height)


# --- any image: kind by its bytes, bounds ------------------------------------------------------

#: What a file is, by its first bytes (names lie: a JPEG saved as .png, a script saved as .jpg).
_MAGIC = ((PNG_SIGNATURE, "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
          (b"BM", "bmp"), (b"II*\0", "tiff"), (b"MM\0*", "tiff"), (b"%PDF", "pdf"))
#: The file name endings of each kind an image may have.
SUFFIXES = {"png": (".png",), "jpeg": (".jpg", ".jpeg"), "svg": (".svg",)}
_KIND_NAMES = {"png": "PNG", "jpeg": "JPEG", "svg": "SVG", "gif": "GIF", "bmp": "BMP", "tiff": "TIFF",
               "pdf": "PDF", "webp": "WebP"}
_SVG_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)?<svg[\s>]",
                        re.DOTALL)


def sniff(data: bytes) -> str | None:
    """The kind of image ``data`` is (png, jpeg, svg, or another kind modgen does not take: gif,
    bmp, tiff, pdf, webp), by its bytes; None when it is no image at all."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if _SVG_START.match(data[:4096]):
        return "svg"
    return None


class ImageRefused(ValueError):
    """Why an image cannot be used, as one sentence for the author."""


@dataclass(frozen=True)
class Picture:
    """An image that passed the checks: its bytes (an SVG's made safe), kind and size in pixels
    (an SVG's from its viewBox or width and height)."""

    data: bytes
    kind: str  # png, jpeg or svg
    width: int
    height: int

    @property
    def ext(self) -> str:
        return "jpg" if self.kind == "jpeg" else self.kind

    @property
    def content_type(self) -> str:
        return {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}[self.kind]


def read_image(data: bytes, name: str, kinds: tuple[str, ...] = ("png", "jpeg", "svg")) -> Picture:
    """``data`` (the file ``name``) as a picture of one of ``kinds``; raises :class:`ImageRefused`.

    The kind comes from the bytes and must agree with the name's ending; nothing is decoded.
    """
    if len(data) > limits.MAX_IMAGE_BYTES:
        raise ImageRefused(f"'{name}' is {len(data):,} bytes, more than the limit of {limits.MAX_IMAGE_BYTES:,} "
                           "for an image — save it smaller")
    kind = sniff(data)
    names = [_KIND_NAMES[k] for k in kinds]
    allowed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
    if kind is None:
        raise ImageRefused(f"'{name}' is not an image: its bytes are not {allowed}")
    if kind not in kinds:
        raise ImageRefused(f"'{name}' is a {_KIND_NAMES[kind]} file; an image must be {allowed}")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SUFFIXES[kind]:
        raise ImageRefused(f"'{name}' is a {_KIND_NAMES[kind]} image but named {suffix or 'without an ending'}: "
                           f"rename it to end in {SUFFIXES[kind][0]}")
    if kind == "svg":
        return safe_svg(data, name)
    size = image_size(data)
    if size is None:
        raise ImageRefused(f"'{name}' is a damaged {_KIND_NAMES[kind]} image: its size cannot be read")
    width, height = size
    check_pixels(width, height, name)
    return Picture(data, kind, width, height)


def check_pixels(width: int, height: int, name: str) -> None:
    """Refuses a canvas larger than the bounds, whatever the file's size."""
    if max(width, height) > limits.MAX_IMAGE_SIDE or width * height > limits.MAX_IMAGE_PIXELS:
        raise ImageRefused(
            f"'{name}' is {width:,} x {height:,} pixels, more than the limit of {limits.MAX_IMAGE_SIDE:,} pixels "
            f"a side and {limits.MAX_IMAGE_PIXELS:,} in all — scale it down")


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


def safe_svg(data: bytes, name: str) -> Picture:
    """The SVG drawing ``data`` written out again with only drawing elements and attributes; raises
    :class:`ImageRefused` when it holds anything active or external (script, event handlers, links
    or references to other files, entities) — those are refused, not quietly removed, so an author
    sees what the drawing program put in."""
    from lxml import etree

    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:65536], re.IGNORECASE):
        raise ImageRefused(f"'{name}' declares a DOCTYPE or entities; save the SVG without them (plain SVG)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImageRefused(f"'{name}' is a damaged SVG drawing: {exc.msg}") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageRefused(f"'{name}' is not an SVG drawing: its first element is not <svg> "
                           f"in the SVG namespace ({SVG_NS})")
    count = 0
    for element in list(root.iter()):
        count += 1
        if count > limits.MAX_SVG_ELEMENTS:
            raise ImageRefused(f"'{name}' has more than {limits.MAX_SVG_ELEMENTS:,} elements")
        if not isinstance(element.tag, str):  # entity references left unresolved
            raise ImageRefused(f"'{name}' uses an entity; save the SVG without them (plain SVG)")
        namespace, _, local = element.tag[1:].partition("}") if element.tag.startswith("{") else ("", "", element.tag)
        if namespace == SVG_NS and local in _SVG_ACTIVE:
            raise ImageRefused(f"'{name}' holds {_SVG_ACTIVE[local]} (<{local}>), which an SVG figure may not: "
                               "draw it with shapes and text only")
        if namespace != SVG_NS or local not in _SVG_ELEMENTS:
            # A drawing program's own data (Inkscape's sodipodi:namedview, RDF metadata): not drawn.
            element.getparent().remove(element) if element is not root else None
            continue
        for attr, value in list(element.attrib.items()):
            attr_ns, _, attr_local = attr[1:].partition("}") if attr.startswith("{") else ("", "", attr)
            if attr_local.lower().startswith("on"):
                raise ImageRefused(f"'{name}' has an event handler ({attr_local}), which is a script")
            if attr_local == "href" and attr_ns in ("", XLINK_NS):
                if not value.strip().startswith("#"):
                    raise ImageRefused(f"'{name}' refers to another file or address ({value.strip()[:80]}); "
                                       "an SVG figure must be self-contained")
                continue
            if attr_ns not in ("", XLINK_NS, "http://www.w3.org/XML/1998/namespace"):
                del element.attrib[attr]  # an editor's attribute (inkscape:label)
                continue
            _check_urls(value, name)
        if local == "style" and element.text:
            if "@import" in element.text.lower():
                raise ImageRefused(f"'{name}' imports a style sheet from another file (@import)")
            _check_urls(element.text, name)
    width, height = _svg_size(root, name)
    check_pixels(width, height, name)
    etree.cleanup_namespaces(root, top_nsmap={None: SVG_NS})
    clean = etree.tostring(root, encoding="utf-8", xml_declaration=False)
    return Picture(clean, "svg", width, height)


def _check_urls(value: str, name: str) -> None:
    for target in _URL.findall(value):
        if not target.startswith("#"):
            raise ImageRefused(f"'{name}' refers to another file or address (url({target[:80]})); "
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
        raise ImageRefused(f"'{name}' says neither its width and height nor its viewBox, so its proportions "
                           "are unknown — give the <svg> element a viewBox")
    return max(1, round(sizes[0])), max(1, round(sizes[1]))
