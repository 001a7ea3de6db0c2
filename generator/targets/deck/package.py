"""Rendered slides → a byte-stable .pptx, with python-pptx's package as the document model.

A :class:`RenderedSlide` is one slide as bytes: its XML, its notes page's XML and the hyperlinks
its relationships point at. :class:`DeckPackage` adds each to the template's python-pptx package
as ordinary parts (slide, notes page, relationships), keeping its own counters for part names,
relationship ids and slide ids — python-pptx's ``add_slide`` and ``relate_to`` scan every part or
relationship for each new one, which makes a large deck quadratic — and saves the package with
fixed dates, so equal decks are equal bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, _Relationship
from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from pptx.opc.serialized import PackageWriter, _ContentTypesItem
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType

from generator.images import Logo

FIXED_TIME = dt.datetime(2000, 1, 1)


@dataclass
class RenderedSlide:
    """One slide, serialised: what a deck (or a fragment of one) holds of it.

    The slide's relationships are ``rId1`` to its layout (the layout of ``kind``), ``rId2``… to
    ``links`` in order, then one to each of ``images`` (media part names, e.g. ``logo.png``), then
    one to its notes page when there is one.
    """

    kind: str
    xml: bytes
    links: list[str]
    notes: bytes | None
    images: list[str] = field(default_factory=list)

    def to_json(self) -> list:
        return [self.kind, self.xml.decode(), self.links, self.notes.decode() if self.notes is not None else None,
                self.images]

    @classmethod
    def from_json(cls, data: list) -> RenderedSlide:
        kind, xml, links, notes, images = data
        return cls(kind, xml.encode(), links, notes.encode() if notes is not None else None, images)


def logo_part(logo: Logo) -> str:
    """The logo's media part name: one no template part has."""
    return f"modgen-logo.{logo.ext}"


def encode(slides: list[RenderedSlide], **extra) -> bytes:
    """Rendered slides (and ``extra`` values) as bytes, for a fragment."""
    return json.dumps({**extra, "slides": [s.to_json() for s in slides]}, ensure_ascii=False).encode()


def decode(data: bytes) -> tuple[list[RenderedSlide], dict]:
    found = json.loads(data)
    return [RenderedSlide.from_json(s) for s in found.pop("slides")], found


class DeckPackage:
    """The template's package (a presentation with no slides) that rendered slides are added to."""

    def __init__(self, prs: PresentationType, layouts: dict[str, str], logo: Logo | None = None):
        self.prs = prs
        self.package = prs.part.package
        self._pres_part = prs.part
        self._sld_list = prs.slides._sldIdLst
        rels = self._pres_part.rels
        self._next_rid = 1 + max((int(r[3:]) for r in rels.keys() if r[3:].isdigit()), default=0)
        self._next_slide_id = 1 + max((int(s.get("id")) for s in self._sld_list), default=255)
        self._notes_master = prs.part.notes_master_part
        prs.core_properties  # made now if the template has none, so it is one of the template's parts
        # The template's parts, found once: python-pptx finds a package's parts by walking every
        # relationship, which for a large deck costs more than writing the slides' relationships.
        self._parts = list(self.package.iter_parts())
        by_name = {part.partname: part for part in self._parts}
        self._layouts = {kind: by_name[name] for kind, name in layouts.items()}  # slide kind → layout part
        self.slides = 0
        self._logo = logo
        self._media: dict[str, Part] = {}  # media part name → part, added once and shared by slides

    def add(self, slide: RenderedSlide) -> None:
        self.slides += 1
        n = self.slides
        part = Part(PackURI(f"/ppt/slides/slide{n}.xml"), CT.PML_SLIDE, self.package, slide.xml)
        self._parts.append(part)
        layout = self._layouts[slide.kind]
        _relate(part, layout, RT.SLIDE_LAYOUT, "rId1", _reference("/ppt/slides", layout.partname))
        for i, url in enumerate(slide.links, 2):
            _relate(part, url, RT.HYPERLINK, f"rId{i}", url)
        for i, name in enumerate(slide.images, len(slide.links) + 2):
            _relate(part, self._media_part(name), RT.IMAGE, f"rId{i}", f"../media/{name}")
        if slide.notes is not None:
            notes = Part(PackURI(f"/ppt/notesSlides/notesSlide{n}.xml"), CT.PML_NOTES_SLIDE, self.package,
                         slide.notes)
            self._parts.append(notes)
            _relate(notes, self._notes_master, RT.NOTES_MASTER, "rId1",
                    _reference("/ppt/notesSlides", self._notes_master.partname))
            _relate(notes, part, RT.SLIDE, "rId2", f"../slides/slide{n}.xml")
            _relate(part, notes, RT.NOTES_SLIDE, f"rId{len(slide.links) + len(slide.images) + 2}",
                    f"../notesSlides/notesSlide{n}.xml")
        rid = f"rId{self._next_rid}"
        self._next_rid += 1
        _relate(self._pres_part, part, RT.SLIDE, rid, f"slides/slide{n}.xml")
        etree.SubElement(self._sld_list, qn("p:sldId"), {"id": str(self._next_slide_id), qn("r:id"): rid})
        self._next_slide_id += 1

    def _media_part(self, name: str) -> Part:
        if name not in self._media:
            if self._logo is None or name != logo_part(self._logo):
                raise ValueError(f"no media part {name}")
            content_type = CT.PNG if name.endswith(".png") else CT.JPEG
            self._media[name] = Part(PackURI(f"/ppt/media/{name}"), content_type, self.package, self._logo.data)
            self._parts.append(self._media[name])
        return self._media[name]

    def save(self, title: str, author: str, locale: str) -> bytes:
        """Fixed document properties, the course language as default, and a byte-stable zip."""
        from generator.targets.deck.builder import xml_text

        props = self.prs.core_properties
        props.title = xml_text(title)[:255]
        props.author = xml_text(author)[:255]
        props.last_modified_by = "modgen"
        props.revision = 1
        props.created = props.modified = FIXED_TIME
        props.last_printed = FIXED_TIME
        props.language = locale
        default_style = self._pres_part._element.find(qn("p:defaultTextStyle"))
        if default_style is not None:
            for level in default_style:
                rpr = level.find(qn("a:defRPr"))
                if rpr is not None:
                    rpr.set("lang", locale)
        buf = io.BytesIO()
        _StableWriter.write(buf, self.package._rels, self._parts)
        return buf.getvalue()


class _Known(_Relationship):
    """A relationship whose reference is known when it is made (python-pptx works it out with
    ``os.path.relpath`` each time it is asked, thousands of times for a large deck)."""

    def __init__(self, base_uri: str, rid: str, reltype: str, target, reference: str):
        external = isinstance(target, str)
        super().__init__(base_uri, rid, reltype, RTM.EXTERNAL if external else RTM.INTERNAL, target)
        self._reference = reference

    @property
    def target_ref(self) -> str:
        return self._reference


def _relate(source: Part, target, reltype: str, rid: str, reference: str) -> None:
    rels = source.rels
    rels._rels[rid] = _Known(rels._base_uri, rid, reltype, target, reference)


@lru_cache(maxsize=64)
def _reference(base: str, partname: str) -> str:
    return PackURI(partname).relative_ref(base)


class _FixedZip:
    """A zip writer giving every entry the same date, so equal decks are equal bytes."""

    def __init__(self, file):
        self.zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, blob)


_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RELATIONSHIPS, _RELATIONSHIP = f"{{{_RELS_NS}}}Relationships", f"{{{_RELS_NS}}}Relationship"


def _rels_xml(rels) -> bytes:
    """What python-pptx's ``_Relationships.xml`` writes, as plain lxml (its element classes parse
    a small document per relationship)."""
    root = etree.Element(_RELATIONSHIPS, nsmap={None: _RELS_NS})
    numbered = sorted((int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid) for rid in rels.keys())
    for _, rid in numbered:
        rel = rels[rid]
        attrs = {"Id": rid, "Type": rel.reltype, "Target": rel.target_ref}
        if rel.is_external:
            attrs["TargetMode"] = RTM.EXTERNAL
        etree.SubElement(root, _RELATIONSHIP, attrs)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _content_types_xml(parts) -> bytes:
    """What python-pptx writes as ``[Content_Types].xml``, as plain lxml."""
    defaults, overrides = _ContentTypesItem(parts)._defaults_and_overrides
    root = etree.Element(f"{{{_TYPES_NS}}}Types", nsmap={None: _TYPES_NS})
    for ext, content_type in sorted(defaults.items()):
        etree.SubElement(root, f"{{{_TYPES_NS}}}Default", Extension=ext, ContentType=content_type)
    for partname, content_type in sorted(overrides.items()):
        etree.SubElement(root, f"{{{_TYPES_NS}}}Override", PartName=partname, ContentType=content_type)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


class _StableWriter(PackageWriter):
    """python-pptx's package writer with fixed zip timestamps (its own uses the current time)."""

    def _write(self) -> None:
        phys = _FixedZip(self._pkg_file)
        phys.write(CONTENT_TYPES_URI, _content_types_xml(self._parts))
        phys.write(PACKAGE_URI.rels_uri, _rels_xml(self._pkg_rels))
        for part in self._parts:
            phys.write(part.partname, part.blob)
            if part._rels:
                phys.write(part.partname.rels_uri, _rels_xml(part._rels))
        phys.zip.close()


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 and written in the same order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, src.read(info.filename))
    return out.getvalue()
