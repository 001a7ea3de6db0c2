"""Rendered slides → a byte-stable .pptx, with python-pptx's package as the document model.

A :class:`RenderedSlide` is one slide as bytes: its XML and its notes page's XML, each held as the
zip member it becomes (:class:`Member`: deflated, with its CRC-32 and size), and the hyperlinks its
relationships point at. :class:`DeckPackage` adds each to the template's python-pptx package as
ordinary parts (slide, notes page, relationships), keeping its own counters for part names,
relationship ids and slide ids — python-pptx's ``add_slide`` and ``relate_to`` scan every part or
relationship for each new one, which makes a large deck quadratic — and saves the package with
fixed dates, so equal decks are equal bytes.

Saving writes the zip itself (``packaging.ZipWriter``), byte for byte what ``zipfile`` writes, from
members that are already deflated: a slide taken from an earlier build's fragment (the whole-course
deck after a one-lesson edit) is copied into the zip, not compressed again, and ``zipfile``'s
per-member overhead — most of the cost of a deck of ~1,000 small members — is gone.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, _Relationship
from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from pptx.opc.spec import default_content_types
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType

from generator.images import Logo
from generator.targets.deck.drawing import xml_text
from generator.targets.deck.figures import CHART_PREFIX, FIGURE_PREFIX
from generator.targets.packaging import Member
from generator.targets.packaging import ZipWriter as _ZipWriter

FIXED_TIME = dt.datetime(2000, 1, 1)
_SLD_ID, _R_ID = qn("p:sldId"), qn("r:id")


@dataclass
class RenderedSlide:
    """One slide, serialised: what a deck (or a fragment of one) holds of it.

    The slide's relationships are ``rId1`` to its layout (the layout of ``kind``), ``rId2``… to
    ``links`` in order, then one to each of ``images`` (media part names, e.g. ``logo.png``), then
    one to its notes page when there is one. ``slide`` and ``notes`` are deflated when the slide is
    rendered (see :meth:`of`): a deck compresses each once, whether it is written now or kept in a
    fragment and written by later builds.
    """

    kind: str
    slide: Member
    links: list[str]
    notes: Member | None
    images: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, kind: str, xml: bytes, links: list[str], notes: bytes | None,
           images: list[str] | None = None) -> RenderedSlide:
        """The slide whose XML is ``xml`` and whose notes page's XML is ``notes`` (None: no notes)."""
        return cls(kind, Member.deflate(xml), links, Member.deflate(notes) if notes is not None else None,
                   images if images is not None else [])

    @property
    def xml(self) -> bytes:
        return self.slide.inflate()

    @property
    def notes_xml(self) -> bytes | None:
        return self.notes.inflate() if self.notes is not None else None


ICON_PREFIX = "modgen-icon-"


def icon_part(name: str) -> str:
    """An icon's media part name (``generator.icons``): one per icon, shared by the slides showing it."""
    return f"{ICON_PREFIX}{name}.png"


def logo_part(logo: Logo) -> str:
    """The logo's media part name: one no template part has."""
    return f"modgen-logo.{logo.ext}"


#: What fragments of rendered slides are, for their keys (``Job.fragment``'s ``depends``): a
#: fragment made in another format, or deflated by another zlib (whose bytes may differ), is not used.
FRAGMENT_FORMAT = f"deflated slides 1, zlib {zlib.ZLIB_RUNTIME_VERSION}"


def encode(slides: list[RenderedSlide], **extra) -> bytes:
    """Rendered slides (and ``extra`` values) as bytes, for a fragment: a line of JSON (``extra``,
    and per slide its kind, links, images and its members' CRCs and sizes), then the members'
    deflated bytes one after the other. Compressed XML in JSON would need base64: for a 38-slide
    lesson, 0.48 ms to decode instead of 0.08 ms, and a third more bytes."""
    head, data = [], []
    for s in slides:
        members = [s.slide] if s.notes is None else [s.slide, s.notes]
        head.append([s.kind, s.links, s.images, [[m.crc, m.size, len(m.data)] for m in members]])
        data += [m.data for m in members]
    return b"".join([json.dumps({**extra, "slides": head}, ensure_ascii=False).encode(), b"\n", *data])


def decode(data: bytes) -> tuple[list[RenderedSlide], dict]:
    end = data.index(b"\n")  # JSON without indent has no line break: strings escape theirs
    found = json.loads(data[:end])
    at = end + 1
    slides = []
    for kind, links, images, sizes in found.pop("slides"):
        members = []
        for crc, size, length in sizes:
            members.append(Member(data[at:at + length], crc, size))
            at += length
        slides.append(RenderedSlide(kind, members[0], links, members[1] if len(members) > 1 else None, images))
    if at != len(data):
        raise ValueError(f"a fragment of rendered slides has {len(data) - at} bytes too many")
    return slides, found


def encode_members(members: list[tuple[bytes, Member]]) -> bytes:
    """Parts' contents and their members (``DeckPackage.rels_since``) as bytes, for a fragment: a line
    of JSON (each member's CRC, size and deflated length), then each content and member's bytes."""
    head = json.dumps({"members": [[m.crc, m.size, len(m.data)] for _, m in members]}).encode()
    return b"".join([head, b"\n", *(b for content, m in members for b in (content, m.data))])


def decode_members(data: bytes) -> list[tuple[bytes, Member]]:
    end = data.index(b"\n")
    at = end + 1
    members = []
    for crc, size, length in json.loads(data[:end])["members"]:
        content, deflated = data[at:at + size], data[at + size:at + size + length]
        members.append((content, Member(deflated, crc, size)))
        at += size + length
    if at != len(data):
        raise ValueError(f"a fragment of deflated parts has {len(data) - at} bytes too many")
    return members


class DeckPackage:
    """The template's package (a presentation with no slides) that rendered slides are added to."""

    def __init__(self, prs: PresentationType, layouts: dict[str, str], logo: Logo | None = None,
                 known: dict[bytes, Member] | None = None, figures=None):
        """``known``: members deflated before, by their content (``template_members``, ``reuse``);
        ``figures``: the course's figures (``deck.figures.FigureMedia``) that slides name."""
        self.prs = prs
        self.package = prs.part.package
        self._pres_part = prs.part
        self._sld_list = prs.slides._sldIdLst
        # Made now if the template has none, before the next relationship id is counted: making it
        # relates the presentation to it.
        self._notes_master = prs.part.notes_master_part
        rels = self._pres_rels = self._pres_part.rels
        self._next_rid = 1 + max((int(r[3:]) for r in rels.keys() if r[3:].isdigit()), default=0)
        self._next_slide_id = 1 + max((int(s.get("id")) for s in self._sld_list), default=255)
        prs.core_properties  # made now if the template has none, so it is one of the template's parts
        # The template's parts, found once: python-pptx finds a package's parts by walking every
        # relationship, which for a large deck costs more than writing the slides' relationships.
        self._parts = list(self.package.iter_parts())
        by_name = {part.partname: part for part in self._parts}
        self._layouts = {kind: by_name[name] for kind, name in layouts.items()}  # slide kind → layout part
        self.slides = 0
        self._logo = logo
        self._figures = figures
        self._media: dict[str, Part] = {}  # media part name → part, added once and shared by slides
        self._known: dict[bytes, Member] = dict(known or {})  # content → the member it deflates to
        self._has_notes = False

    def add_all(self, slides: list[RenderedSlide]) -> int:
        """Adds ``slides`` in order; returns the mark of what was there before (see ``rels_since``)."""
        mark = len(self._parts)
        for slide in slides:
            self.add(slide)
        return mark

    def rels_since(self, mark: int) -> list[tuple[bytes, Member]]:
        """The relationships parts of the parts added since ``mark`` (``add_all``), as XML and deflated."""
        found = []
        for part in self._parts[mark:]:
            rels = part._rels
            if rels:
                xml = _rels_xml(rels)
                found.append((xml, self._known.get(xml) or Member.deflate(xml)))
                self._known[xml] = found[-1][1]
        return found

    def reuse(self, members: list[tuple[bytes, Member]]) -> None:
        """Members deflated before (by an earlier build: see ``rels_since``), by their content: saving
        copies one into the zip wherever a part's relationships are that XML, instead of deflating it."""
        self._known.update(members)

    def add(self, slide: RenderedSlide) -> None:
        self.slides += 1
        n = self.slides
        part = _DeflatedPart(PackURI(f"/ppt/slides/slide{n}.xml"), CT.PML_SLIDE, self.package, slide.slide)
        self._parts.append(part)
        rels = part.rels
        layout = self._layouts[slide.kind]
        _relate(rels, layout, RT.SLIDE_LAYOUT, "rId1", _reference("/ppt/slides", layout.partname))
        for i, url in enumerate(slide.links, 2):
            _relate(rels, url, RT.HYPERLINK, f"rId{i}", url)
        for i, name in enumerate(slide.images, len(slide.links) + 2):
            if name.startswith(CHART_PREFIX):
                _relate(rels, self._chart_part(name), RT.CHART, f"rId{i}", f"../charts/{name}.xml")
            else:
                _relate(rels, self._media_part(name), RT.IMAGE, f"rId{i}", f"../media/{name}")
        if slide.notes is not None:
            notes = _DeflatedPart(PackURI(f"/ppt/notesSlides/notesSlide{n}.xml"), CT.PML_NOTES_SLIDE,
                                  self.package, slide.notes)
            self._parts.append(notes)
            self._has_notes = True
            notes_rels = notes.rels
            _relate(notes_rels, self._notes_master, RT.NOTES_MASTER, "rId1",
                    _reference("/ppt/notesSlides", self._notes_master.partname))
            _relate(notes_rels, part, RT.SLIDE, "rId2", f"../slides/slide{n}.xml")
            _relate(rels, notes, RT.NOTES_SLIDE, f"rId{len(slide.links) + len(slide.images) + 2}",
                    f"../notesSlides/notesSlide{n}.xml")
        rid = f"rId{self._next_rid}"
        self._next_rid += 1
        _relate(self._pres_rels, part, RT.SLIDE, rid, f"slides/slide{n}.xml")
        etree.SubElement(self._sld_list, _SLD_ID, {"id": str(self._next_slide_id), _R_ID: rid})
        self._next_slide_id += 1

    def _media_part(self, name: str) -> Part:
        if name not in self._media:
            if name.startswith(ICON_PREFIX) and name.endswith(".png"):
                from generator import icons

                data = icons.png(name[len(ICON_PREFIX):-len(".png")])
            elif self._logo is not None and name == logo_part(self._logo):
                data = self._logo.data
            elif name.startswith(FIGURE_PREFIX) and self._figures is not None and self._figures.media(name):
                data = self._figures.media(name)[1]
                # A photo is deflated once per process, not once per deck that shows it.
                self._known.setdefault(data, _deflated_media(data))
            else:
                raise ValueError(f"no media part {name}")
            content_type = CT.PNG if name.endswith(".png") else CT.JPEG
            self._media[name] = Part(PackURI(f"/ppt/media/{name}"), content_type, self.package, data)
            self._parts.append(self._media[name])
        return self._media[name]

    def _chart_part(self, name: str) -> Part:
        """A figure's chart part, made by python-pptx (``deck.figures.chart_parts``) with its
        embedded workbook, once per deck however often shown."""
        if name not in self._media:
            from generator.targets.deck.figures import chart_parts

            spec = self._figures.chart_spec(name) if self._figures is not None else None
            if spec is None:
                raise ValueError(f"no chart part {name}")
            part = chart_parts(spec, self.package, f"/ppt/charts/{name}.xml")
            workbook = part.chart_workbook.xlsx_part
            # A part name of its own (python-pptx would number it by looking at every part).
            workbook.partname = PackURI(f"/ppt/embeddings/{name}.xlsx")
            self._media[name] = part
            self._parts += [part, workbook]
        return self._media[name]

    def save(self, title: str, author: str, locale: str) -> bytes:
        """Fixed document properties, the course language as default, and a byte-stable zip."""

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
        if self._has_notes:
            self._list_notes_master()
        return _write_package(self.package._rels, self._parts, self._known)


    def _list_notes_master(self) -> None:
        """``p:notesMasterIdLst``, which python-pptx does not write when it makes the notes master:
        ECMA-376 lists a presentation's notes master there (after the slide masters), and Keynote
        reportedly drops the speaker notes of a deck without it."""
        pres = self._pres_part._element
        if pres.find(qn("p:notesMasterIdLst")) is not None:
            return
        rid = next(r for r, rel in self._pres_rels.items() if rel.reltype == RT.NOTES_MASTER)
        listed = etree.Element(qn("p:notesMasterIdLst"))
        etree.SubElement(listed, qn("p:notesMasterId"), {_R_ID: rid})
        pres.find(qn("p:sldMasterIdLst")).addnext(listed)


@lru_cache(maxsize=32)
def _deflated_media(data: bytes) -> Member:
    return Member.deflate(data)


def template_members(prs: PresentationType) -> dict[bytes, Member]:
    """The parts of a template just opened, deflated, by their content: a deck made from the
    template writes most of them unchanged (all but the presentation and its properties), so a
    process that makes several decks deflates them once."""
    prs.core_properties  # as DeckPackage makes it
    return {blob: Member.deflate(blob) for blob in (part.blob for part in prs.part.package.iter_parts())}


class _DeflatedPart(Part):
    """A part kept as the zip member it is written as (a rendered slide or notes page); python-pptx
    still reads its XML as ``blob``."""

    def __init__(self, partname: PackURI, content_type: str, package, member: Member):
        super().__init__(partname, content_type, package)
        self.member = member

    @property
    def blob(self) -> bytes:
        return self.member.inflate()


class _Known(_Relationship):
    """A relationship whose reference is known when it is made (python-pptx works it out with
    ``os.path.relpath`` each time it is asked, thousands of times for a large deck).

    What writing it reads are plain attributes, not python-pptx's lazy properties: each read of one
    goes through a descriptor, and a deck's relationships are read thousands of times.
    """

    reltype = target_ref = is_external = None  # plain class attributes, so the instance's shadow them

    def __init__(self, base_uri: str, rid: str, reltype: str, target, reference: str):
        external = isinstance(target, str)
        super().__init__(base_uri, rid, reltype, RTM.EXTERNAL if external else RTM.INTERNAL, target)
        self.reltype = reltype
        self.target_ref = reference
        self.is_external = external


def _relate(rels, target, reltype: str, rid: str, reference: str) -> None:
    """Adds to ``rels`` (a part's relationships) the relationship ``rid`` to ``target``."""
    rels._rels[rid] = _Known(rels._base_uri, rid, reltype, target, reference)


@lru_cache(maxsize=64)
def _reference(base: str, partname: str) -> str:
    return PackURI(partname).relative_ref(base)


_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RELS_HEAD = f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<Relationships xmlns=\"{_RELS_NS}\""
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                    "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})
_NOT_PLAIN = re.compile('[&<>"\x00-\x1f\ud800-\udfff\ufffe\uffff]')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _attribute(value: str) -> str:
    """``value`` escaped as lxml escapes an attribute value; like lxml, refuses what XML cannot hold."""
    if _NOT_PLAIN.search(value) is None:  # almost every value: nothing to escape
        return value
    if _NOT_XML.search(value):
        raise ValueError(f"All strings must be XML compatible: {value!r}")
    return value.translate(_ATTRIBUTE_ESCAPES)


@lru_cache(maxsize=1024)
def _rid_order(rid: str) -> tuple[int, str]:
    """python-pptx's order of relationships: by the number of ``rIdN``, other ids first."""
    return int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid


@lru_cache(maxsize=1024)
def _relationship_start(rid: str, reltype: str) -> str:
    """A relationship element up to its target: the same few ids and types recur in every part."""
    return f'<Relationship Id="{_attribute(rid)}" Type="{_attribute(reltype)}" Target="'


def _rels_xml(rels) -> bytes:
    """What python-pptx's ``_Relationships.xml`` writes (through lxml), built as a string: a deck
    has a relationships part per slide and notes page, and lxml's tree building and serialising
    cost more than the rest of writing them. ``tests/targets/test_deck_package.py`` checks it
    against lxml."""
    table = rels._rels
    if not table:
        return f"{_RELS_HEAD}/>".encode()
    out = [_RELS_HEAD, ">"]
    for rid in sorted(table, key=_rid_order):
        rel = table[rid]
        out.append(_relationship_start(rid, rel.reltype))
        out.append(_attribute(rel.target_ref))
        out.append('" TargetMode="External"/>' if rel.is_external else '"/>')
    out.append("</Relationships>")
    return "".join(out).encode()


_DEFAULT_TYPES = frozenset(default_content_types)
_TYPES_HEAD = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
               '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">')


def _content_types_xml(parts) -> bytes:
    """What python-pptx writes as ``[Content_Types].xml`` (through lxml), built as a string like
    the relationships: it has an entry per slide and notes page."""
    # python-pptx's ``_ContentTypesItem._defaults_and_overrides``, without its per-part property
    # lookups: a default entry for each extension whose content type is the usual one, an override
    # for each other part.
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for part in parts:
        name, content_type = part.partname, part.content_type
        ext = posixpath.splitext(name)[1][1:]
        if (ext.lower(), content_type) in _DEFAULT_TYPES:
            defaults[ext.lower()] = content_type
        else:
            overrides[name] = content_type
    out = [_TYPES_HEAD]
    for ext, content_type in sorted(defaults.items()):
        out.append(f'<Default Extension="{_attribute(ext)}" ContentType="{_attribute(content_type)}"/>')
    for partname, content_type in sorted(overrides.items()):
        out.append(f'<Override PartName="{_attribute(partname)}" ContentType="{_attribute(content_type)}"/>')
    out.append("</Types>")
    return "".join(out).encode()


def _write_package(pkg_rels, parts, known: dict[bytes, Member]) -> bytes:
    """The package as a zip, in python-pptx's order: content types, the package's relationships,
    then each part followed by its relationships — deflated unless ``known`` has the member (by
    content: what it holds is right whatever put it there)."""
    deflate = Member.deflate
    zip_ = _ZipWriter()
    zip_.add(CONTENT_TYPES_URI.membername, deflate(_content_types_xml(parts)))
    zip_.add(PACKAGE_URI.rels_uri.membername, deflate(_rels_xml(pkg_rels)))
    for part in parts:
        name = part.partname[1:]
        if isinstance(part, _DeflatedPart):
            zip_.add(name, part.member)
        else:
            blob = part.blob
            zip_.add(name, known.get(blob) or deflate(blob))
        rels = part._rels
        if rels:
            xml = _rels_xml(rels)
            folder, _, file = name.rpartition("/")
            zip_.add(f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels", known.get(xml) or deflate(xml))
    return zip_.close()


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 and written in the same order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    zip_ = _ZipWriter()
    for info in src.infolist():
        zip_.add(info.filename, Member.deflate(src.read(info.filename)))
    return zip_.close()
