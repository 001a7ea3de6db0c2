"""The deck package's own zip writer: byte for byte what the writer it replaced (python-pptx's
package writer with ``zipfile.writestr`` and lxml, kept below as ``reference_write``) makes of the
same package, for every deck of the bundled course and the fixtures."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import _Relationships
from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from pptx.opc.serialized import _ContentTypesItem

from generator.loader.load import load_course
from generator.targets.deck import build_deck, package, template_path
from generator.targets.deck.package import (FRAGMENT_FORMAT, Member, RenderedSlide, _relate, _rels_xml,
                                            _ZipWriter, decode, decode_members, encode, encode_members)
from tests.conftest import FIXTURES, ROOT

# --- the writer decks had before, for comparison ------------------------------------------------

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


class _FixedZip:
    """The zip writer decks had: every entry dated 1980-01-01, mode 0o644, through ``writestr``."""

    def __init__(self, file):
        self.zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED)

    def write(self, membername: str, blob: bytes) -> None:
        info = zipfile.ZipInfo(membername, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, blob)


def lxml_rels_xml(rels) -> bytes:
    root = etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS})
    numbered = sorted((int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid) for rid in rels.keys())
    for _, rid in numbered:
        rel = rels[rid]
        attrs = {"Id": rid, "Type": rel.reltype, "Target": rel.target_ref}
        if rel.is_external:
            attrs["TargetMode"] = RTM.EXTERNAL
        etree.SubElement(root, f"{{{_RELS_NS}}}Relationship", attrs)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def lxml_content_types_xml(parts) -> bytes:
    defaults, overrides = _ContentTypesItem(parts)._defaults_and_overrides
    root = etree.Element(f"{{{_TYPES_NS}}}Types", nsmap={None: _TYPES_NS})
    for ext, content_type in sorted(defaults.items()):
        etree.SubElement(root, f"{{{_TYPES_NS}}}Default", Extension=ext, ContentType=content_type)
    for partname, content_type in sorted(overrides.items()):
        etree.SubElement(root, f"{{{_TYPES_NS}}}Override", PartName=partname, ContentType=content_type)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def reference_write(pkg_rels, parts) -> bytes:
    """The package as the old writer wrote it: every part's content (``blob``) deflated by zipfile."""
    buf = io.BytesIO()
    phys = _FixedZip(buf)
    phys.write(CONTENT_TYPES_URI.membername, lxml_content_types_xml(parts))
    phys.write(PACKAGE_URI.rels_uri.membername, lxml_rels_xml(pkg_rels))
    for part in parts:
        phys.write(part.partname.membername, part.blob)
        if part._rels:
            phys.write(part.partname.rels_uri.membername, lxml_rels_xml(part._rels))
    phys.zip.close()
    return buf.getvalue()


@pytest.fixture
def compared(monkeypatch) -> list[tuple[bytes, bytes]]:
    """Every package saved from now on, as (new writer's bytes, old writer's bytes)."""
    pairs: list[tuple[bytes, bytes]] = []
    write = package._write_package

    def both(pkg_rels, parts, known):
        new = write(pkg_rels, parts, known)
        pairs.append((new, reference_write(pkg_rels, parts)))
        return new

    monkeypatch.setattr(package, "_write_package", both)
    return pairs


# --- every deck -----------------------------------------------------------------------------------

def every_deck(root: Path):
    """Each deck of the course at ``root`` (lesson decks and the course deck, every language and
    audience), and the course decks again from a fragment store, all of whose fragments are reused."""
    loaded = load_course(root).course
    for lang in loaded.languages:
        for audience in [a.id for a in loaded.audiences] or [None]:
            course = loaded.for_audience(audience) if audience else loaded
            template = template_path(course)
            for number, lesson in enumerate(course.lessons, 1):
                yield build_deck(course, lang, template, lesson=lesson, number=number)[0]
            clean = build_deck(course, lang, template)[0]
            yield clean
            store: dict = {}

            def fragment(name, lesson_id, make, *depends):
                key = (name, lesson_id, repr(depends))
                if key not in store:
                    store[key] = make()
                return store[key]

            assert build_deck(course, lang, template, fragment=fragment)[0] == clean
            reused = build_deck(course, lang, template, fragment=fragment)[0]
            assert reused == clean
            yield reused


@pytest.mark.parametrize("root", [ROOT, FIXTURES / "special", FIXTURES / "minimal"], ids=["bundled", "special", "minimal"])
def test_every_deck_is_the_old_writers_bytes(root: Path, compared) -> None:
    decks = list(every_deck(root))
    assert len(compared) >= len(decks) > 4
    for new, old in compared:
        assert new == old
    for deck in decks:
        with zipfile.ZipFile(io.BytesIO(deck)) as z:
            assert z.testzip() is None
            assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in z.infolist())
        assert len(Presentation(io.BytesIO(deck)).slides) > 0


# --- relationships and members --------------------------------------------------------------------

AWKWARD = ["https://example.org/?a=1&b=2", 'https://example.org/"quoted"', "https://example.org/<tag>",
           "https://example.org/it's", "https://example.org/a\tb", "https://example.org/a\nb\rc",
           "https://voorbeeld.nl/fiets-é-ß-€", "https://example.org/😀", "mailto:x@example.org?subject=a%20b&body=c",
           "https://example.org/&amp;already", "https://example.org/]]>"]


def test_relationships_are_what_lxml_writes() -> None:
    rels = _Relationships("/ppt/slides")
    assert _rels_xml(rels) == lxml_rels_xml(rels)  # none: an empty element
    for i, url in enumerate(AWKWARD, 2):
        _relate(rels, url, RT.HYPERLINK, f"rId{i}", url)
    _relate(rels, None, RT.SLIDE_LAYOUT, "rId1", "../slideLayouts/slideLayout1.xml")
    _relate(rels, None, RT.NOTES_SLIDE, "rId10", "../notesSlides/notesSlide3.xml")  # after rId9, before rId11
    _relate(rels, None, RT.IMAGE, "image", "../media/modgen-logo.png")  # not numbered: first
    assert _rels_xml(rels) == lxml_rels_xml(rels)


@pytest.mark.parametrize("bad", ["https://example.org/\x00", "https://example.org/\x0b", "https://example.org/\ufffe"])
def test_a_target_xml_cannot_hold_is_refused_as_lxml_refuses_it(bad: str) -> None:
    rels = _Relationships("/ppt/slides")
    _relate(rels, bad, RT.HYPERLINK, "rId2", bad)
    with pytest.raises(ValueError):
        lxml_rels_xml(rels)
    with pytest.raises(ValueError):
        _rels_xml(rels)


def zipfile_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    phys = _FixedZip(buf)
    for name, blob in members:
        phys.write(name, blob)
    phys.zip.close()
    return buf.getvalue()


def own_bytes(members: list[tuple[str, bytes]]) -> bytes:
    writer = _ZipWriter()
    for name, blob in members:
        writer.add(name, Member.deflate(blob))
    return writer.close()


def test_members_are_deflated_as_zipfile_deflates_them() -> None:
    members = [("empty.xml", b""), ("ppt/slides/slide1.xml", b"<a>" + b"text " * 5000 + b"</a>"),
               ("ppt/média/ünïcode-naam.xml", "é€😀".encode() * 100), ("random.bin", bytes(range(256)) * 300)]
    assert own_bytes(members) == zipfile_bytes(members)
    with zipfile.ZipFile(io.BytesIO(own_bytes(members))) as z:
        assert z.testzip() is None
        assert [z.read(name) for name, _ in members] == [blob for _, blob in members]


def test_more_members_than_a_zip_counts_get_zip64_end_records() -> None:
    members = [(f"m{i}.xml", b"") for i in range(0x10000 + 5)]
    data = own_bytes(members)
    assert data == zipfile_bytes(members)
    assert b"PK\x06\x06" in data[-200:]
    assert len(zipfile.ZipFile(io.BytesIO(data)).infolist()) == len(members)


def test_a_zip_needing_zip64_headers_is_written_by_zipfile(monkeypatch) -> None:
    # Members and offsets past the limit (lowered here) need ZIP64 extra fields; zipfile writes those.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 3000)
    small = [(f"m{i}.xml", b"<a/>" * 50) for i in range(40)]  # the offsets pass the limit
    large = [("big.xml", bytes(range(256)) * 20)]  # a member does
    for members in (small, large):
        data = own_bytes(members)
        assert data == zipfile_bytes(members)
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_fragments_give_back_the_slides_and_members_they_were_given() -> None:
    slides = [RenderedSlide.of("title", b"<slide>\xc3\xa9</slide>", ["https://example.org/?a=1&b=\n"], None, ["logo.png"]),
              RenderedSlide.of("content", b"<slide/>", [], b"<notes>\xe2\x82\xac</notes>")]
    found, extra = decode(encode(slides, titles=["T\n1", "€"], final=["T\n1", "€"]))
    assert found == slides and extra == {"titles": ["T\n1", "€"], "final": ["T\n1", "€"]}
    assert found[0].xml == "<slide>é</slide>".encode() and found[1].notes_xml == "<notes>€</notes>".encode()
    members = [(b"<Relationships/>", Member.deflate(b"<Relationships/>")), (b"", Member.deflate(b""))]
    assert decode_members(encode_members(members)) == members
    with pytest.raises(ValueError):
        decode(encode(slides, titles=[], final=[]) + b"x")
    assert "zlib" in FRAGMENT_FORMAT  # another zlib may deflate to other bytes: its fragments are not used


def test_a_template_without_a_notes_master_gets_one_related_once(course_copy) -> None:
    """python-pptx's stock template has no notes master: the deck makes one, which takes a
    relationship id of the presentation before the slides are numbered."""
    from tests.targets.test_deck_template import four_by_three_template, use_template

    course = course_copy("minimal")
    (course / "branding").mkdir()
    use_template(course, four_by_three_template(course / "branding" / "org.pptx"))
    loaded = load_course(course).course.for_audience("enforcement")
    deck = build_deck(loaded, "en", template_path(loaded))[0]
    prs = Presentation(io.BytesIO(deck))
    rels = prs.part.rels
    assert len([rel for rel in rels.values() if rel.reltype == RT.NOTES_MASTER]) == 1
    assert len([rel for rel in rels.values() if rel.reltype == RT.SLIDE]) == len(prs.slides) > 20
    assert all(s.notes_slide.part.part_related_by(RT.NOTES_MASTER) is prs.notes_master.part
               for s in prs.slides if s.has_notes_slide)
