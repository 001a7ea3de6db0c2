"""Every deck is valid Office Open XML: each XML part of the bundled course's decks (every language,
audience, lesson deck and course deck) and of a fixture deck with every slide kind, against the
ECMA-376 transitional schemas in ``../shared/schemas/ooxml``, with the rules beside them and the
package checks a consumer relies on (``tests/targets/ooxml.py``). And the check can fail: a part
broken on purpose is reported."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from PIL import Image

from generator.build import BuildRequest, build
from generator.loader.load import load_course
from generator.targets.deck.template import LAYOUTS
from tests.conftest import ROOT, need_schemas
from tests.targets import ooxml
from tests.targets.test_deck_logo import with_logo

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
P, A = f"{{{P_NS}}}", f"{{{A_NS}}}"


@pytest.fixture(scope="session")
def schemas() -> Path:
    """The schema folder; compiled once per session (``ooxml.schema`` keeps it)."""
    folder = need_schemas("ooxml", "all.xsd").parent
    ooxml.schema(folder)
    return folder


@pytest.fixture(scope="session")
def bundled_decks(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("ooxml-bundled") / "out"
    build(BuildRequest(ROOT, out, formats=["pptx"]))
    return sorted(out.glob("pptx/*/*.pptx"))


def every_kind_course(course: Path, quiz: str = "reveal") -> Path:
    """The minimal course with what makes the rarer markup: actors' icons (picture bullets and the
    matrix's icons), the organisation's logo (a picture), a key figure, a section's figures (a PNG,
    an SVG, a column and a pie chart: pictures and native charts), every quiz question on a
    slide with its answer revealed on a click (an entrance animation), beside its tables, diagram
    and matrix; with ``quiz="classroom"`` the quiz is the slide that sends the room to the live
    session instead."""
    frame = yaml.safe_load((course / "course.yaml").read_text(encoding="utf-8"))
    for actor, icon in zip(frame["actors"], ["shield", "building-bank"]):
        actor["icon"] = icon
    frame["decks"] = {"quiz": quiz, "questions": "all"}
    (course / "course.yaml").write_text(yaml.safe_dump(frame, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lesson_file = course / "modules" / "01-preparation.yaml"
    lesson = yaml.safe_load(lesson_file.read_text(encoding="utf-8"))
    lesson["facts"].append({"id": "count", "source": "example-study",
                            "figure": {"nl": "12.500", "en": "12,500"},
                            "text": {"nl": "Bij stations werden 12.500 fietsen gestolen.",
                                     "en": "Near stations, 12,500 bicycles were stolen."}})
    (course / "images").mkdir()
    picture = io.BytesIO()
    Image.new("RGB", (320, 200), (31, 58, 95)).save(picture, "PNG")
    (course / "images" / "map.png").write_bytes(picture.getvalue())
    (course / "images" / "steps.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120">'
        '<rect x="10" y="10" width="120" height="100" fill="#1F3A5F"/>'
        '<text x="150" y="60" font-family="Carlito" font-size="20">Station</text></svg>', encoding="utf-8")
    both = lambda nl, en: {"nl": nl, "en": en}  # noqa: E731
    lesson["sections"][0]["figures"] = [
        {"id": "map", "image": "images/map.png", "alt": both("Een kaart van het station.", "A map of the station."),
         "caption": both("Het station", "The station"), "credit": both("Foto: voorbeeld", "Photo: example")},
        {"id": "steps", "image": "images/steps.svg", "alt": both("De stappen.", "The steps.")},
        {"id": "by-place", "source": "example-study", "caption": both("Diefstallen per plek", "Thefts by place"),
         "chart": {"type": "column", "categories": [both("Station", "Station"), both("Winkelcentrum", "Shops")],
                   "series": [{"name": both("Diefstallen", "Thefts"), "values": [12500, 3400]}],
                   "axis": both("diefstallen", "thefts")}},
        {"id": "share", "source": "example-study",
         "chart": {"type": "pie", "categories": ["2019", "2020"],
                   "series": [{"name": both("Aandeel", "Share"), "values": [40.5, 59.5]}]}},
    ]
    lesson_file.write_text(yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with_logo(course, (400, 120))
    return course


@pytest.fixture(scope="session")
def fixture_decks(tmp_path_factory) -> list[Path]:
    """The decks of the fixture course, and its English enforcement decks with the classroom quiz slide."""
    from tests.conftest import FIXTURES

    decks = []
    for quiz, languages in (("reveal", None), ("classroom", ["en"])):
        root = tmp_path_factory.mktemp(f"ooxml-fixture-{quiz}")
        shutil.copytree(FIXTURES / "minimal", root / "course")
        build(BuildRequest(every_kind_course(root / "course", quiz), root / "out", formats=["pptx"],
                           languages=languages, audiences=None if languages is None else ["enforcement"]))
        decks += sorted((root / "out").glob("pptx/*/*.pptx"))
    return decks


def parts(deck: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(deck) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_every_bundled_deck_is_valid_office_open_xml(schemas: Path, bundled_decks: list[Path]) -> None:
    course = load_course(ROOT).course
    assert len(bundled_decks) == len(course.languages) * len(course.audiences) * (len(course.lessons) + 1)
    problems = []
    for deck in bundled_decks:
        problems += ooxml.check(deck.read_bytes(), schemas, deck.relative_to(deck.parents[2]).as_posix())
        # Every XML part is validated: each slide, notes page, relationships part and the rest.
        names = set(parts(deck))
        assert set(ooxml.Package(deck.read_bytes()).xml_parts()) == {n for n in names if n.endswith((".xml", ".rels"))}
    assert problems == []


def test_the_fixture_deck_of_every_slide_kind_is_valid_office_open_xml(schemas: Path, fixture_decks) -> None:
    problems = []
    for deck in fixture_decks:
        problems += ooxml.check(deck.read_bytes(), schemas, deck.relative_to(deck.parents[2]).as_posix())
    assert problems == []
    # The fixture holds the markup it is there for.
    every = b"".join(data for deck in fixture_decks for name, data in parts(deck).items()
                     if name.startswith("ppt/slides/slide"))
    for kind in LAYOUTS:  # every slide kind the decks have
        assert f'<p:cSld name="{kind}">'.encode() in every, kind
    assert b"<a:tbl>" in every  # the native tables (data table and matrix)
    assert b"<a:buBlip>" in every  # the actors' icons as picture bullets
    assert b"<p:pic>" in every  # the logo and the icons in the matrix
    assert b"<p:timing>" in every and b'presetClass="entr"' in every  # the answer's reveal


# --- the check can fail -------------------------------------------------------------------------

def rewrite(deck: dict[str, bytes], changes: dict) -> bytes:
    """``deck`` as a package again, with ``changes``: part name → new bytes, a function of the
    element tree (changed in place), or None (the part left out)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in list(deck.items()) + [(n, c) for n, c in changes.items() if n not in deck]:
            change = changes.get(name, data) if name in changes else data
            if change is None:
                continue
            if callable(change):
                root = etree.fromstring(data)
                change(root)
                change = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            z.writestr(name, change)
    return buf.getvalue()


@pytest.fixture(scope="session")
def lesson_deck(fixture_decks) -> dict[str, bytes]:
    deck = next(d for d in fixture_decks if d.name == "01-preparation.pptx" and d.parent.name == "en-enforcement"
                and "reveal" in d.as_posix())
    return parts(deck)


def slide_of(deck: dict[str, bytes], kind: str) -> str:
    return next(n for n, data in sorted(deck.items()) if n.startswith("ppt/slides/slide")
                and f'<p:cSld name="{kind}">'.encode() in data)


def first(root, path: str):
    found = root.find(path, {"p": P_NS, "a": A_NS})
    assert found is not None, path
    return found


def spr_before_nvspr(root) -> None:
    shape = first(root, ".//p:sp")
    shape.insert(0, first(shape, "p:spPr"))


def unknown_in_tree(root) -> None:
    etree.SubElement(first(root, ".//p:spTree"), f"{P}bogus")


def unknown_in_ext(root) -> None:
    ext_list = etree.SubElement(first(root, "p:cSld"), f"{P}extLst")
    ext = etree.SubElement(ext_list, f"{P}ext", uri="{00000000-0000-0000-0000-000000000001}")
    etree.SubElement(ext, f"{P}bogus")


def ignorable(declared: bool):
    """An element of an unknown namespace that ``mc:Ignorable`` names, its prefix declared or not."""

    def change(root) -> None:
        tree = first(root, ".//p:spTree")
        marked = etree.fromstring(
            f'<p:spTree xmlns:p="{P_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
            + (' xmlns:x9="urn:example:future"' if declared else "") + ' mc:Ignorable="x9"/>')
        for child in list(tree):
            marked.append(child)
        tree.getparent().replace(tree, marked)
        if declared:
            marked.append(etree.fromstring('<x9:later xmlns:x9="urn:example:future"><x9:more/></x9:later>'))
            first(marked, "p:sp").set("{urn:example:future}hint", "1")

    return change


def bullet_size(value: str):
    def change(root) -> None:
        props = first(root, ".//a:p/a:pPr") if root.find(".//a:p/a:pPr", {"a": A_NS}) is not None else None
        if props is None:
            props = etree.Element(f"{A}pPr")
            first(root, ".//a:p").insert(0, props)
        for old in props.findall(f"{A}buSzPct"):
            props.remove(old)
        # a:buSzPct goes after any colour and before typeface and bullet (EG_TextBulletSize)
        at = len([c for c in props if etree.QName(c).localname in ("lnSpc", "spcBef", "spcAft", "buClrTx", "buClr")])
        props.insert(at, etree.Element(f"{A}buSzPct", val=value))

    return change


def test_the_fixture_deck_unbroken_is_clean(schemas: Path, lesson_deck) -> None:
    assert ooxml.check(rewrite(lesson_deck, {}), schemas) == []


@pytest.mark.parametrize("change, expected", [
    (spr_before_nvspr, "This element is not expected"),
    (unknown_in_tree, "bogus"),
    (ignorable(declared=False), "mc:Ignorable names the prefix 'x9', which is not declared"),
    (bullet_size("500000"), "buSzPct"),
    (bullet_size("90"), "buSzPct"),
])
def test_a_part_broken_on_purpose_is_reported(schemas: Path, lesson_deck, change, expected) -> None:
    name = slide_of(lesson_deck, "content")
    problems = ooxml.check(rewrite(lesson_deck, {name: change}), schemas)
    assert problems and all(f": {name}" in p for p in problems), problems
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("change", [unknown_in_ext, ignorable(declared=True), bullet_size("100000"),
                                    bullet_size("100%")],
                         ids=["inside-extLst", "ignorable-declared", "erratum-integer", "percent"])
def test_what_the_rules_beside_the_schemas_allow_passes(schemas: Path, lesson_deck, change) -> None:
    name = slide_of(lesson_deck, "content")
    assert ooxml.check(rewrite(lesson_deck, {name: change}), schemas) == []


def test_a_dangling_relationship_is_reported(schemas: Path, lesson_deck) -> None:
    notes = sorted(n for n in lesson_deck if n.startswith("ppt/notesSlides/notesSlide"))[0]
    problems = ooxml.check(rewrite(lesson_deck, {notes: None}), schemas)
    assert any(f"points at {notes}, which the package does not hold" in p for p in problems), problems

    name = slide_of(lesson_deck, "title")

    def embed_elsewhere(root) -> None:
        first(root, ".//a:blip").set(f"{{{R_NS}}}embed", "rId99")

    problems = ooxml.check(rewrite(lesson_deck, {name: embed_elsewhere}), schemas)
    assert problems == [f"deck: {name}: uses relationship rId99, which its relationships do not have"]


def test_package_rules_are_reported(schemas: Path, lesson_deck) -> None:
    question = slide_of(lesson_deck, "question")

    def lost_target(root) -> None:
        first(root, ".//p:spTgt").set("spid", "999")

    def twice(root) -> None:
        ids = root.findall(f".//{P}cTn")
        ids[-1].set("id", ids[0].get("id"))

    def shape_id_twice(root) -> None:
        shapes = root.findall(f".//{P}cNvPr")
        shapes[-1].set("id", shapes[1].get("id"))

    assert any("an animation targets shape 999" in p for p in ooxml.check(rewrite(lesson_deck, {question: lost_target}),
                                                                          schemas))
    assert any("timing node id 1 used twice" in p
               for p in ooxml.check(rewrite(lesson_deck, {question: twice}), schemas))
    assert any("used by more than one shape" in p
               for p in ooxml.check(rewrite(lesson_deck, {question: shape_id_twice}), schemas))

    def no_notes_master_list(root) -> None:
        root.remove(first(root, "p:notesMasterIdLst"))

    assert ooxml.check(rewrite(lesson_deck, {"ppt/presentation.xml": no_notes_master_list}), schemas) == [
        "deck: ppt/presentation.xml: the deck has notes but no p:notesMasterIdLst"]

    orphan = "ppt/media/stray.png"
    problems = ooxml.check(rewrite(lesson_deck, {orphan: lesson_deck["ppt/media/modgen-logo.png"]}), schemas)
    assert problems == [f"deck: {orphan}: an orphan part (no relationship leads to it)"]

    problems = ooxml.check(rewrite(lesson_deck, {"ppt/extra.unknown": b"x"}), schemas)
    assert "deck: ppt/extra.unknown: no content type" in problems

    # One notes slide claimed by two slides.
    notes_rels = sorted(n for n in lesson_deck if n.startswith("ppt/slides/_rels/"))
    with_notes = [n for n in notes_rels if b"notesSlide" in lesson_deck[n]]
    first_notes = next(r.get("Target") for r in etree.fromstring(lesson_deck[with_notes[0]])
                       if r.get("Type").endswith("/notesSlide"))

    def same_notes(root) -> None:
        for rel in root:
            if rel.get("Type").endswith("/notesSlide"):
                rel.set("Target", first_notes)

    problems = ooxml.check(rewrite(lesson_deck, {with_notes[1]: same_notes}), schemas)
    assert any("a notes slide belongs to exactly one slide" in p for p in problems), problems


def test_the_deck_lists_its_notes_master(fixture_decks) -> None:
    """``p:notesMasterIdLst`` names the presentation's relationship to the notes master."""
    deck = parts(fixture_decks[0])
    pres = etree.fromstring(deck["ppt/presentation.xml"])
    listed = first(pres, "p:notesMasterIdLst/p:notesMasterId").get(f"{{{R_NS}}}id")
    rels = {r.get("Id"): r for r in etree.fromstring(deck["ppt/_rels/presentation.xml.rels"])}
    assert rels[listed].get("Type").endswith("/notesMaster")
    assert [etree.QName(c).localname for c in pres][:3] == ["sldMasterIdLst", "notesMasterIdLst", "sldIdLst"]
