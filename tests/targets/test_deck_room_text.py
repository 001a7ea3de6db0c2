"""The room's own text (issue 27): a section's ``slide:`` points, the quiz's ``room:`` versions,
``session.start`` — and ``validate`` saying, at the line, what would not fit one slide."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation

from generator.build import BuildRequest, build
from generator.loader.load import load_course
from tests.bad_inputs.catalogue import replace
from tests.conftest import run_modgen

LONG = " ".join(["Een zin van zeven woorden over fietsen."] * 12)
LONG_EN = " ".join(["A sentence of seven words about bicycles."] * 12)
POINTS = "slide:\n      nl: |\n        - Plekken met veel fietsen\n        - Weinig toezicht\n      en: |\n" \
         "        - Places with many bicycles\n        - Little oversight\n    "


def slide_titled(deck: Path, title: str):
    return [s for s in Presentation(deck).slides if s.shapes.title is not None and s.shapes.title.text == title]


def long_body(root: Path) -> None:
    replace("modules/01-preparation.yaml", "    body:\n      nl: |\n        Een dief kiest",
            f"    body:\n      nl: |\n        {LONG}\n\n        Een dief kiest")(root)
    replace("modules/01-preparation.yaml", "      en: |\n        A thief picks",
            f"      en: |\n        {LONG_EN}\n\n        A thief picks")(root)


def test_a_long_section_without_slide_points_is_warned_at_its_body_and_not_with_them(course_copy) -> None:
    root = course_copy("minimal")
    long_body(root)
    result = run_modgen("validate", root)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    line = next(l for l in out.splitlines() if "'individual'" in l)
    assert line.startswith("modules/01-preparation.yaml:26:5: warning: section 'individual' would not fit one slide")
    assert "'slide:'" in line
    replace("modules/01-preparation.yaml", "    body:\n      nl: |\n        Een zin", f"    {POINTS}body:\n"
            "      nl: |\n        Een zin")(root)
    result = run_modgen("validate", root)
    assert "'individual'" not in result.stdout + result.stderr


def test_slide_points_go_on_the_slide_and_the_body_to_the_notes(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    long_body(root)
    replace("modules/01-preparation.yaml", "    body:\n      nl: |\n        Een zin", f"    {POINTS}body:\n"
            "      nl: |\n        Een zin")(root)
    build(BuildRequest(root, tmp_path / "out", formats=["pptx"], languages=["en"]))
    slides = slide_titled(tmp_path / "out/pptx/en-enforcement/01-preparation.pptx", "The individual")
    assert len(slides) == 1  # one slide, no continuation
    content = next(s for s in slides[0].shapes if s.name == "Content").text_frame.text
    assert "Places with many bicycles" in content and "Little oversight" in content
    assert "seven words" not in content
    notes = slides[0].notes_slide.notes_text_frame.text
    assert "A sentence of seven words about bicycles." in notes and "A thief picks a place" in notes
    assert "Ask the group which places they know." in notes  # the author's notes stay


def test_room_versions_of_a_question_are_what_the_slide_shows(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    replace("quizzes/01-preparation.yaml", "    stem:\n      nl: Waar gebeuren",
            "    room: {nl: Waar de meeste diefstallen?, en: Where most thefts?}\n    stem:\n      nl: Waar gebeuren")(root)
    replace("quizzes/01-preparation.yaml", "        text: {nl: Bij scholen, en: Near schools}",
            "        text: {nl: Bij scholen, en: Near schools}\n        room: {nl: Scholen, en: Schools}")(root)
    build(BuildRequest(root, tmp_path / "out", formats=["pptx", "site"], languages=["en"]))
    deck = Presentation(tmp_path / "out/pptx/en-enforcement/01-preparation.pptx")
    texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides]
    shown = next(t for t in texts if "Where most thefts?" in t)
    assert "Schools" in shown and "Near schools" not in shown and "Near stations" in shown
    assert not any("Where do most bicycle thefts happen?" in t for t in texts)
    # The self-study quiz keeps the full text.
    site = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html"))
    assert "Where do most bicycle thefts happen?" in site and "Where most thefts?" not in site


def test_a_long_in_room_question_is_warned_until_it_has_room_versions(course_copy) -> None:
    root = course_copy("minimal")
    long_option = " ".join(["een lange uitleg"] * 8)
    replace("quizzes/01-preparation.yaml", "        text: {nl: Bij scholen, en: Near schools}",
            f"        text: {{nl: Bij scholen {long_option}, en: Near schools {long_option}}}")(root)
    replace("quizzes/01-preparation.yaml", "        text: {nl: Thuis, en: At home}",
            f"        text: {{nl: Thuis {long_option}, en: At home {long_option}}}")(root)
    result = run_modgen("validate", root)
    out = result.stdout + result.stderr
    line = next(l for l in out.splitlines() if "'prep-q1'" in l)
    assert line.startswith("quizzes/01-preparation.yaml:") and "in-room question 'prep-q1' would not fit" in line
    assert "'room:'" in line
    replace("quizzes/01-preparation.yaml", f"        text: {{nl: Bij scholen {long_option}, en: Near schools {long_option}}}",
            f"        text: {{nl: Bij scholen {long_option}, en: Near schools {long_option}}}\n"
            "        room: {nl: Scholen, en: Schools}")(root)
    replace("quizzes/01-preparation.yaml", f"        text: {{nl: Thuis {long_option}, en: At home {long_option}}}",
            f"        text: {{nl: Thuis {long_option}, en: At home {long_option}}}\n"
            "        room: {nl: Thuis, en: At home}")(root)
    result = run_modgen("validate", root)
    assert "'prep-q1'" not in result.stdout + result.stderr


def test_session_start_is_a_clock_time(course_copy) -> None:
    root = course_copy("minimal")
    replace("course.yaml", "session:\n", "session:\n  start: 09:30\n")(root)  # unquoted: YAML 1.1 says 570
    assert load_course(root).course.session.start == "09:30"
    assert load_course(root).course.session.start_minutes() == 570
    replace("course.yaml", "start: 09:30", "start: '25:00'")(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1 and "course.yaml:49:" in result.stdout + result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# --- one slide per idea ------------------------------------------------------------------------


def slides_of(root: Path, tmp_path: Path, deck: str = "01-preparation.pptx"):
    build(BuildRequest(root, tmp_path / "out", formats=["pptx"], languages=["en"], audiences=["enforcement"]))
    return list(Presentation(tmp_path / "out/pptx/en-enforcement" / deck).slides)


def test_a_matching_question_is_one_slide_with_two_columns(minimal_course, tmp_path: Path) -> None:
    from tests.conftest import FIXTURES
    from tests.targets.test_deck import slide_kind

    slides = slides_of(FIXTURES / "minimal", tmp_path)
    matching = next(s for s in slides if s.shapes.title.text == "Question 4 of 4")
    content = [sh for sh in matching.shapes if sh.name == "Content"]
    assert len(content) == 3  # the stem and how to answer, then the items left and the answers right
    stem, left, right = content
    assert stem.top + stem.height <= left.top and left.top == right.top and left.left + left.width < right.left
    assert left.text_frame.text.split("\n") == ["Police", "Municipality"]
    assert sorted(right.text_frame.text.split("\n")) == ["Lighting", "Patrols"]
    assert any(sh.name == "Answer" for sh in matching.shapes)  # the reveal on the same slide
    assert sum(slide_kind(s) == "question" for s in slides) == 4  # one slide per question


def test_a_question_too_long_even_at_the_least_size_is_split_by_meaning(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    long = " ".join(["a long explanation that goes on"] * 14)
    for option in ("Near schools", "At home", "Near stations"):
        replace("quizzes/01-preparation.yaml", f"en: {option}}}", f"en: {option} {long}}}")(root)
    slides = slides_of(root, tmp_path)
    titles = [s.shapes.title.text for s in slides]
    assert "Question 1 of 4" in titles and "Answers to question 1" in titles
    assert titles.index("Answers to question 1") == titles.index("Question 1 of 4") + 1


def test_a_wide_table_is_one_slide_turned_or_split_by_columns_with_its_row_labels(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    # Ten columns whose headings are single long words: too wide side by side, read turned.
    columns = "".join(f"      - {{nl: Meetmoment{y}, en: Measurement{y}}}\n" for y in range(2001, 2011))
    replace("modules/01-preparation.yaml", "      - {nl: Aantal, en: Number}\n", columns)(root)
    cells = ", ".join(str(1000 + i) for i in range(10))
    replace("modules/01-preparation.yaml", "[{nl: Station, en: Station}, 12500]",
            f"[{{nl: Station, en: Station}}, {cells}]")(root)
    replace("modules/01-preparation.yaml", "[{nl: Winkelcentrum, en: Shopping centre}, 3400]",
            f"[{{nl: Winkelcentrum, en: Shopping centre}}, {cells}]")(root)
    slides = [s for s in slides_of(root, tmp_path) if s.shapes.title.text.startswith("Thefts by place")]
    assert len(slides) == 1  # eleven columns, two rows: turned, one slide
    table = next(sh for sh in slides[0].shapes if sh.has_table).table
    assert [c.text for c in table.rows[0].cells] == ["Place", "Station", "Shopping centre"]
    assert table.cell(1, 0).text == "Measurement2001" and table.cell(1, 1).text == "1,000"
    # numbers right-aligned
    assert table.cell(1, 1).text_frame.paragraphs[0]._p.pPr.get("algn") == "r"


def test_a_table_too_wide_to_turn_is_split_by_columns_repeating_the_row_labels(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    columns = "".join(f"      - {{nl: Jaar {y}, en: Year {y}}}\n" for y in range(2001, 2021))
    replace("modules/01-preparation.yaml", "      - {nl: Aantal, en: Number}\n", columns)(root)
    cells = ", ".join(str(100000 + i) for i in range(20))
    rows = "".join(f"      - [{{nl: Plek {n}, en: Place {n}}}, {cells}]\n" for n in range(1, 8))
    replace("modules/01-preparation.yaml", "      - [{nl: Station, en: Station}, 12500]\n", rows)(root)
    replace("modules/01-preparation.yaml", "      - [{nl: Winkelcentrum, en: Shopping centre}, 3400]\n", "")(root)
    slides = [s for s in slides_of(root, tmp_path) if s.shapes.title.text.startswith("Thefts by place")]
    assert 1 < len(slides) <= 5
    for slide in slides:
        table = next(sh for sh in slide.shapes if sh.has_table).table
        assert [table.cell(r, 0).text for r in range(len(table.rows))] == ["Place"] + [f"Place {n}" for n in range(1, 8)]
    shown = [c.text for s in slides for c in next(sh for sh in s.shapes if sh.has_table).table.rows[0].cells][1:]
    assert [x for x in shown if x != "Place"] == [f"Year {y}" for y in range(2001, 2021)]


def test_a_case_is_its_situation_with_the_task_then_its_questions(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    replace("modules/01-preparation.yaml", "    debrief:", "    task: {nl: Eén advies, en: One advice}\n    debrief:")(root)
    slides = slides_of(root, tmp_path)
    case = [s for s in slides if s.shapes.title.text.startswith("Case: The station")]
    assert [s.shapes.title.text for s in case] == ["Case: The station", "Case: The station — questions"]
    text = next(sh for sh in case[0].shapes if sh.name == "Content").text_frame.text
    assert "Task: groups of 4–6 · 4 min · One advice" in text
    assert "Who can act here?" in next(sh for sh in case[1].shapes if sh.name == "Content").text_frame.text
    assert "Debrief:" in case[1].notes_slide.notes_text_frame.text


def test_every_slide_but_the_title_has_its_number_from_the_layout(tmp_path: Path) -> None:
    from tests.conftest import FIXTURES

    slides = slides_of(FIXTURES / "minimal", tmp_path, "course.pptx")
    for n, slide in enumerate(slides):
        numbers = [sh for sh in slide.shapes if sh.is_placeholder and sh.placeholder_format.type is not None
                   and sh.placeholder_format.type.name == "SLIDE_NUMBER"]
        assert len(numbers) == (0 if n == 0 else 1), n
        if numbers:
            assert numbers[0]._element.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}fld").get(
                "type") == "slidenum"


def test_objectives_or_takeaways_too_long_for_one_slide_are_warned_at_their_key(course_copy) -> None:
    root = course_copy("minimal")
    long = " ".join(["een lange uitleg van het leerdoel"] * 9)
    replace("modules/01-preparation.yaml", "      nl: Uitleggen welke stappen aan een diefstal voorafgaan.",
            f"      nl: Uitleggen welke stappen aan een diefstal voorafgaan, {long}.")(root)
    result = run_modgen("validate", root)
    out = result.stdout + result.stderr
    line = next(l for l in out.splitlines() if "objectives of module 'preparation'" in l)
    assert line.startswith("modules/01-preparation.yaml:9:1: warning: the objectives of module 'preparation' "
                           "would not fit one slide: ")
    assert result.returncode == 0 and run_modgen("validate", "--strict", root).returncode == 0  # advice, for now
