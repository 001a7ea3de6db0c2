"""The pptx target: decks read back with python-pptx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from generator.build import BuildRequest, build
from tests.conftest import FIXTURES

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def minimal_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("decks") / "out"
    build(BuildRequest(FIXTURES / "minimal", out, formats=["pptx"]))
    return out


def slide_kind(slide) -> str:
    return slide._element.find(qn("p:cSld")).get("name")


def shape_text(shape) -> list[str]:
    """Paragraph texts of a shape (and of a group's children), zero-width spaces removed."""
    out = []
    if shape.shape_type is not None and shape.shape_type == 6:  # group
        for child in shape.shapes:
            out += shape_text(child)
    elif shape.has_text_frame:
        out += [p.text.replace("\u200b", "") for p in shape.text_frame.paragraphs if p.text]
    elif getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            out.append(" | ".join(c.text for c in row.cells))
    return out


def slide_lines(slide) -> list[str]:
    lines = []
    for shape in slide.shapes:
        if shape == slide.shapes.title or shape.name == "Slide number":
            continue
        lines += shape_text(shape)
    return lines


def notes_text(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def test_manifest_lists_a_deck_per_lesson_and_one_per_course(minimal_build: Path) -> None:
    manifest = json.loads((minimal_build / "manifest.json").read_text())
    decks = [a for a in manifest["artifacts"] if a["kind"] == "pptx"]
    assert len(decks) == 2 * 2 * 3  # languages × audiences × (2 lessons + course)
    for entry in decks:
        prs = Presentation(minimal_build / entry["path"])
        assert entry["slides"] == len(prs.slides)
        assert entry["lesson"] in ("preparation", "activity", None)
    paths = {d["path"] for d in decks}
    assert "pptx/nl-enforcement/01-preparation.pptx" in paths
    assert "pptx/en-prevention/course.pptx" in paths


def test_every_deck_reads_back_with_unique_titles_language_and_no_autofit(minimal_build: Path) -> None:
    for path in sorted(minimal_build.glob("pptx/*/*.pptx")):
        locale = "nl-NL" if "/nl-" in path.as_posix() else "en-GB"
        prs = Presentation(path)
        assert prs.slide_width * 9 == prs.slide_height * 16, path  # 16:9
        titles = []
        for slide in prs.slides:
            assert slide.shapes.title is not None and slide.shapes.title.text.strip(), (path, slide_kind(slide))
            titles.append(slide.shapes.title.text)
            xml = slide._element
            for rpr in xml.iter(f"{A}rPr", f"{A}endParaRPr"):
                assert rpr.get("lang") == locale
            for body_pr in xml.iter(f"{A}bodyPr"):
                if body_pr.getparent().tag != qn("p:txBody"):
                    continue  # table cells: they grow with their text, no autofit exists there
                assert body_pr.find(f"{A}noAutofit") is not None
                assert body_pr.find(f"{A}normAutofit") is None
        assert len(titles) == len(set(titles)), path
        # No pictures anywhere: text stays text.
        assert not [s for slide in prs.slides for s in slide.shapes if s.shape_type == 13]


def test_lesson_deck_has_every_slide_kind_in_order(minimal_build: Path) -> None:
    prs = Presentation(minimal_build / "pptx/en-enforcement/01-preparation.pptx")
    kinds = [slide_kind(s) for s in prs.slides]
    assert kinds == [
        "title", "notice", "agenda", "objectives", "diagram", "content", "content", "facts", "table",
        "interventions", "discussion", "vignette", "vignette",  # the case, then its questions
        "question", "question", "question", "question",
        "summary", "sources", "support", "break",
    ]


def test_prevention_deck_leaves_out_enforcement_items(minimal_build: Path) -> None:
    prs = Presentation(minimal_build / "pptx/en-prevention/01-preparation.pptx")
    titles = [s.shapes.title.text for s in prs.slides]
    assert "The organisation" not in titles  # an enforcement-only section
    interventions = next(s for s in prs.slides if slide_kind(s) == "interventions")
    assert "Municipality" in slide_lines(interventions)
    assert "Police" not in slide_lines(interventions)


def test_speaker_notes_carry_facilitator_notes_timing_and_sources(minimal_build: Path) -> None:
    prs = Presentation(minimal_build / "pptx/en-enforcement/01-preparation.pptx")
    section = next(s for s in prs.slides if s.shapes.title.text == "The individual")
    notes = notes_text(section)
    assert "Ask the group which places they know." in notes
    assert "Time: 10 minutes." in notes
    assert "Example, A. (2020). Mapping bicycle theft." in notes
    question = next(s for s in prs.slides if slide_kind(s) == "question")
    assert "Explanation: Stations have many bicycles and little oversight." in notes_text(question)
    for slide in prs.slides:
        if slide_kind(slide) in ("title", "notice", "agenda", "content", "table", "question",
                                 "discussion", "vignette", "support", "diagram"):
            assert notes_text(slide).strip(), slide.shapes.title.text


def test_table_is_native_with_localised_numbers(minimal_build: Path) -> None:
    for lang, number in (("nl", "12.500"), ("en", "12,500")):
        prs = Presentation(minimal_build / f"pptx/{lang}-enforcement/01-preparation.pptx")
        slide = next(s for s in prs.slides if slide_kind(s) == "table")
        tables = [s for s in slide.shapes if s.has_table]
        assert len(tables) == 1
        table = tables[0].table
        assert len(table.rows) == 3 and len(table.columns) == 2
        assert table.cell(1, 1).text == number
        assert table.cell(0, 0).text == ("Plek" if lang == "nl" else "Place")


def test_crime_script_is_a_group_of_shapes_with_alt_text(minimal_build: Path) -> None:
    prs = Presentation(minimal_build / "pptx/en-enforcement/01-preparation.pptx")
    slide = next(s for s in prs.slides if slide_kind(s) == "diagram")
    groups = [s for s in slide.shapes if s.shape_type == 6]
    assert len(groups) == 1
    group = groups[0]
    descr = group._element.find(f"{qn('p:nvGrpSpPr')}/{qn('p:cNvPr')}").get("descr")
    assert descr.startswith("Crime script in 4 phases: Preparation, Pre-activity, Activity, Post-activity.")
    assert "This module: Preparation." in descr
    names = [c.name for c in group.shapes]
    assert [n for n in names if n.startswith("Phase ")] == ["Phase 1", "Phase 2", "Phase 3", "Phase 4"]
    assert "Lane Individual" in names and "Lane Organisation" in names
    phases = [c for c in group.shapes if c.name.startswith("Phase ")]
    fills = [str(c.fill.fore_color.rgb) for c in phases]
    assert fills[0] == "C8102E" and len(set(fills[1:])) == 1 and fills[1] != fills[0]
    # left to right, in course order
    assert [c.left for c in phases] == sorted(c.left for c in phases)


def test_course_deck_holds_every_module_with_unique_titles(minimal_build: Path) -> None:
    prs = Presentation(minimal_build / "pptx/nl-enforcement/course.pptx")
    kinds = [slide_kind(s) for s in prs.slides]
    # The day's arc: its opening once, no housekeeping per module, the close at the end.
    assert kinds[:5] == ["title", "welcome", "notice", "agenda", "diagram"]
    assert kinds.count("section") == 2
    assert kinds.count("notice") == 1 and kinds.count("agenda") == 1 and kinds.count("support") == 1
    assert kinds[-4:] == ["matrix", "sources", "support", "closing"]
    titles = [s.shapes.title.text for s in prs.slides]
    assert "Leerdoelen (module 1)" in titles and "Leerdoelen (module 2)" in titles


def test_two_builds_are_byte_identical(minimal_build: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(BuildRequest(FIXTURES / "minimal", again, formats=["pptx"]))
    first = sorted(minimal_build.glob("pptx/*/*.pptx"))
    assert first
    for path in first:
        assert (again / path.relative_to(minimal_build)).read_bytes() == path.read_bytes(), path


def test_adding_slides_never_scans_the_package(monkeypatch, minimal_course) -> None:
    """The linear-time path: no package-wide partname search, no relationship scan per slide."""
    from pptx.opc.package import OpcPackage, _Relationships

    from generator.targets.deck import build_deck, template_path

    def refuse(*args, **kwargs):
        raise AssertionError("package-wide partname search used")

    matching = _Relationships._get_matching

    def small_only(self, *args, **kwargs):
        # A slide's own few relationships may be searched; the presentation's (one per slide) not.
        assert len(self) < 15, "relationship scan over a collection that grows with the deck"
        return matching(self, *args, **kwargs)

    monkeypatch.setattr(OpcPackage, "next_partname", refuse)
    monkeypatch.setattr(_Relationships, "_get_matching", small_only)
    data, slides = build_deck(minimal_course, "en", template_path(minimal_course))
    assert slides > 20 and data[:2] == b"PK"


def test_lessons_of_a_deck_are_in_course_order(minimal_build: Path) -> None:
    prs = Presentation(minimal_build / "pptx/en-enforcement/course.pptx")
    sections = [s.shapes.title.text for s in prs.slides if slide_kind(s) == "section"]
    assert sections == ["Preparation", "The theft"]


def test_notes_master_and_slide_parts_are_valid(minimal_build: Path) -> None:
    import zipfile

    with zipfile.ZipFile(minimal_build / "pptx/en-enforcement/01-preparation.pptx") as z:
        names = z.namelist()
        assert all(z.getinfo(n).date_time == (1980, 1, 1, 0, 0, 0) for n in names)
        types = z.read("[Content_Types].xml").decode()
    slides = [n for n in names if n.startswith("ppt/slides/slide")]
    notes = [n for n in names if n.startswith("ppt/notesSlides/notesSlide")]
    assert len(slides) == 21 and 0 < len(notes) <= 21
    for n in slides + notes:
        assert f'PartName="/{n}"' in types
    assert Emu(Presentation(minimal_build / "pptx/en-enforcement/01-preparation.pptx").slide_width).inches > 13


#: Golden text of the first slide of each kind (en, enforcement): title, shape texts, notes.
GOLDEN = {
    "title": ("Preparation", ["Bicycle theft as a crime script", "Module 1 · 30 min"],
              ["How a thief prepares, and where one can intervene.", "Duration: 30 minutes.", "Version: 0.1"]),
    "notice": ("Content notice", [
        "This module deals with a subject that may affect you. No distressing images are shown or described. "
        "Take a break whenever you need one, and talk to a colleague or supervisor about anything that "
        "affects you. The end of the module lists where to find support."],
        ["Read this notice aloud. Point out breaks, that anyone may sit out a discussion, and the support "
         "listed at the end of the module.", "Time: 1 minute."]),
    "agenda": ("Agenda", ["The individual – 10 min", "The organisation – 5 min", "Discussion – 4 min",
                          "Case: The station – 4 min", "Self-check quiz – 3 min", "Summary – 3 min", "Break – 10 min"],
               ["Tell the group what this module holds: Discussion (4 min); Case: The station (4 min); "
                "Self-check quiz (3 min); Summary (3 min).", "A break of 10 minutes follows.",
                "Duration: 30 minutes."]),
    "objectives": ("Learning objectives", ["Explain which steps come before a theft.",
                                           "Recognise an intervention point in the preparation."],
                   ["Read out the learning objectives: by the end of this module, participants can do this. "
                    "Every question of the self-check quiz belongs to one of these 2 objectives.",
                    "How a thief prepares, and where one can intervene."]),
    "diagram": ("The crime script: Preparation",
                ["Preparation", "Pre-activity", "Activity", "Post-activity", "Individual", "The individual",
                 "Organisation", "The organisation"],
                ["The crime script (Cornish, 1994) breaks the process into phases. The highlighted phase is "
                 "this module's."]),
    "content": ("The individual", ["A thief picks a place where many bicycles are parked.", "stations",
                                   "shopping centres", "Source: Example (2020)"],
                ["Ask the group which places they know.", "Time: 10 minutes.", "Sources:",
                 "– Example, A. (2020). Mapping bicycle theft. Journal of Examples, 1(1), 1–10."]),
    "facts": ("Key facts", ["Most thefts happen near stations. – Example (2020)"],
              ["Sources:", "– Example, A. (2020). Mapping bicycle theft. Journal of Examples, 1(1), 1–10."]),
    "table": ("Thefts by place", ["Place | Number", "Station | 12,500", "Shopping centre | 3,400",
                                  "Source: Example (2020)"],
              ["Thefts by place", "Sources:",
               "– Example, A. (2020). Mapping bicycle theft. Journal of Examples, 1(1), 1–10."]),
    "interventions": ("Intervention points", ["Police", "Targeted patrols at busy parking places. – Derived (course "
                                                        "reasoning)"],
                      ["For each intervention point, name who can act and what it rests on: a finding of the "
                       "study, an implication the study itself states, or derived: this course's own reasoning, "
                       "to be tested together against practice.",
                       "Police: Targeted patrols at busy parking places. (Basis: Derived (course reasoning))"]),
    "discussion": ("Discussion", ["Which places in your area carry the most risk?"],
                   ["1. Where the discussion should go: Let participants name places and link them to the "
                    "findings.", "Time: 4 minutes."]),
    "vignette": ("Case: The station", ["Task: groups of 4–6 · 4 min · bring one answer per question",
                                       "Bicycles disappear from a small station every week."],
                 ["Case: The station", "Read the case aloud or have it read. Split the room into groups of 4 to 6; "
                  "say how much time "
                  "they have and what they produce.", "What each group produces: bring one answer per question",
                  "Time: 4 minutes."]),
    "question": ("Question 1 of 4", ["Where do most bicycle thefts happen?", "Near stations", "At home",
                                     "Near schools", "Answer: A", "Source: Example (2020)"],
                 ["Self-check quiz: every question of the quiz is on the slides.",
                  "Let the group answer first, then click to show the answer.",
                  "Learning objective: Explain which steps come before a theft.", "Time: 1 minute.",
                  "Answer: A. Near stations",
                  "Explanation: Stations have many bicycles and little oversight.", "Feedback per answer:",
                  "A. Right, the study shows this.", "B. No, home is least common.", "C. No, schools are less common.",
                  "Sources:", "– Example, A. (2020). Mapping bicycle theft. Journal of Examples, 1(1), 1–10."]),
    "summary": ("Summary", ["Theft starts with choosing a place."],
                ["Sum up the module with these points. Ask which point helps the group most in their own work, "
                 "and what is still unclear.", "Check the module's objectives with the group:",
                 "– Explain which steps come before a theft.", "– Recognise an intervention point in the preparation.",
                 "Time: 3 minutes."]),
    "sources": ("Sources", ["Example, A. (2020). Mapping bicycle theft. Journal of Examples, 1(1), 1–10."],
                ["The facts in this module come from these sources; the numbers are the sources' own. Point out "
                 "that participants can read them for themselves."]),
    "support": ("Support and reporting", ["Service desk", "Phone: 0800 000 0000 · https://example.org/help"],
                ["Take a moment to check how the group is doing and point to this help.",
                 "Service desk: Questions about this course"]),
    "section": ("Preparation", ["Crime script, phase 1 of 4: Preparation", "Module 1 · 30 min",
                                "Sensitive subject: feel free to take a step back"],
                ["How a thief prepares, and where one can intervene.", "Duration: 30 minutes.",
                 "Briefly recall the content notice from the start of the day: anyone who needs a moment may "
                 "leave the room; the support is on the last slides.", "Time: 1 minute."]),
    "break": ("Break", ["10 minutes", "Then: module 2"],
              ["Announce the break: 10 minutes. Say when the group starts again.",
               "This module dealt with a heavy subject: say that anyone who wants a word can come to you during "
               "the break, and point once more to the support on the previous slide."]),
}


@pytest.mark.parametrize("kind", sorted(GOLDEN))
def test_golden_text_per_slide_kind(minimal_build: Path, kind: str) -> None:
    decks = ["01-preparation.pptx", "course.pptx"]
    slide = next(s for d in decks for s in Presentation(minimal_build / "pptx/en-enforcement" / d).slides
                 if slide_kind(s) == kind)
    assert (slide.shapes.title.text, slide_lines(slide), notes_text(slide).split("\n")) == GOLDEN[kind]


def test_quiz_answers_for_matching_ordering_and_true_false(minimal_build: Path) -> None:
    """The answer box names the letters shown on the same slide."""
    slides = list(Presentation(minimal_build / "pptx/en-enforcement/course.pptx").slides)
    by_title = {s.shapes.title.text: s for s in slides}
    answer = lambda slide: next(sh.text_frame.text for sh in slide.shapes if sh.name == "Answer")
    tf = by_title["Question 3 of 4 (module 1)"]
    assert slide_lines(tf)[1:3] == ["True", "False"] and answer(tf) == "Answer: B"
    matching = by_title["Question 4 of 4 (module 1)"]
    lines = slide_lines(matching)
    assert lines[:4] == ["Match each party to a measure.", "Match each number to a letter.", "Police", "Municipality"]
    # Police – Patrols, Municipality – Lighting: the responses are lettered in the order shown.
    responses = lines[4:6]
    letter = {text: chr(ord("A") + i) for i, text in enumerate(responses)}
    assert answer(matching) == f"Answer: 1–{letter['Patrols']}, 2–{letter['Lighting']}"
    ordering = by_title["Question 1 of 1 (module 2)"]
    shown = slide_lines(ordering)[2:5]
    assert shown != ["Choose a place", "Open the lock", "Ride away"]  # shuffled
    letters = ", ".join(chr(ord("A") + shown.index(step)) for step in ["Choose a place", "Open the lock", "Ride away"])
    assert answer(ordering) == f"Answer: {letters}"


def test_control_characters_in_course_text_do_not_break_the_deck(minimal_course) -> None:
    """The loader refuses control characters; the deck writer drops them anyway (defence in depth)."""
    import io

    from generator.model import Text
    from generator.targets.deck import build_deck, template_path

    lesson = minimal_course.lessons[0]
    section = lesson.sections[0].model_copy(update={"body": Text({"nl": "x", "en": "A \x0cbody\x01 *here*\x08."})})
    odd = lesson.model_copy(update={"title": Text({"nl": "x", "en": "Prepa\x0bration\x1b"}), "sections": [section]})
    course = minimal_course.model_copy(update={"lessons": [odd]})
    data, _ = build_deck(course, "en", template_path(course), lesson=odd, number=1)
    prs = Presentation(io.BytesIO(data))
    assert prs.slides[0].shapes.title.text == "Preparation"
