"""The bundled course's figures (issue 28): Table 1's members as a native chart, the crime script
with both perspectives per phase (phase names in one size, at least 24 pt, whole words — for any
number of phases), and a figure on every lesson page of the site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def build_deck(root: Path, lang: str = "en") -> Path:
    from generator.loader.load import load_course
    from generator.targets.deck import build_deck as build, template_path

    course = load_course(root).course.for_audience("enforcement")
    data, _ = build(course, lang, template_path(course))
    return data


@pytest.fixture(scope="module")
def bundled_deck(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("deck") / "course.pptx"
    path.write_bytes(build_deck(ROOT))
    return path


def diagram_labels(deck: Path) -> list[list[tuple[str, int]]]:
    """Per crime-script slide, its phase labels as (text, size in hundredths of a point)."""
    from pptx import Presentation

    found = []
    for slide in Presentation(str(deck)).slides:
        if slide._element.find(f"{P}cSld").get("name") != "diagram":
            continue
        labels = []
        for sp in slide._element.iter(f"{P}sp"):
            name = sp.find(f"{P}nvSpPr/{P}cNvPr").get("name")
            if name.startswith("Phase "):
                runs = sp.findall(f".//{A}r")
                labels.append(("".join(r.findtext(f"{A}t") for r in runs), int(runs[0].find(f"{A}rPr").get("sz"))))
        found.append(labels)
    return found


def test_the_course_deck_holds_table_1_as_a_native_chart(bundled_deck: Path) -> None:
    from pptx import Presentation

    charts = {}
    for slide in Presentation(str(bundled_deck)).slides:
        for shape in slide.shapes:
            if shape.has_chart:
                charts[slide.shapes.title.text] = shape.chart
    members = charts["Members per forum studied (Table 1)"]
    assert list(members.plots[0].categories) == ["Forum A", "Forum B", "Forum C", "Forum D"]
    assert list(members.series[0].values) == [105650, 33130, 12215, 14370]


def test_the_crime_script_shows_both_perspectives_per_phase(bundled_deck: Path) -> None:
    from pptx import Presentation

    slides = [s for s in Presentation(str(bundled_deck)).slides
              if s._element.find(f"{P}cSld").get("name") == "diagram"]
    assert len(slides) == 5  # the course's overview and one per phase module
    for slide in slides:
        names = [sp.find(f"{P}nvSpPr/{P}cNvPr").get("name") for sp in slide._element.iter(f"{P}sp")]
        texts = {sp.find(f"{P}nvSpPr/{P}cNvPr").get("name"): "".join(t.text for t in sp.iter(f"{A}t"))
                 for sp in slide._element.iter(f"{P}sp")}
        assert texts["Perspective The individual member"] == "The individual member"
        assert texts["Perspective The forum organisation"] == "The forum organisation"
        assert sum(n.startswith("View 1.") for n in names) == 4 and sum(n.startswith("View 2.") for n in names) == 4
        assert texts["View 1.2"] == "Registers, looks around, meets members"
        assert texts["View 2.4"] == "Guards security, recruits and advertises"
        descr = slide._element.find(f".//{P}grpSp/{P}nvGrpSpPr/{P}cNvPr").get("descr")
        assert "The forum organisation: Preparation – Builds the forum and arranges hosting" in descr


def test_phase_labels_are_one_size_of_at_least_24_pt(bundled_deck: Path) -> None:
    for labels in diagram_labels(bundled_deck):
        assert [text for text, _ in labels] == ["Preparation", "Pre-activity", "Activity", "Post-activity"]
        assert len({size for _, size in labels}) == 1 and labels[0][1] >= 2400, labels


@pytest.mark.parametrize("views", [True, False])
@pytest.mark.parametrize("names", [
    ["Voorbereiding", "Manipulation", "Uitvoering", "Afronding"],
    ["Orientation", "Preparation", "Recruitment", "Manipulation", "Exploitation", "Concealment", "Aftermath"],
])
def test_phase_names_are_never_broken_inside_a_word(names: list[str], views: bool, tmp_path: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", root)
    course = (root / "course.yaml").read_text(encoding="utf-8")
    start, end = course.index("phases:\n"), course.index("perspectives:\n")
    phases = "phases:\n" + "".join(
        f"  - id: {'preparation' if i == 0 else 'activity' if i == 1 else f'p{i}'}\n"
        f"    name: {{nl: {n}, en: {n}}}\n"
        + (f"    views:\n      - perspective: individual\n        text: {{nl: Een lid kiest een plek, en: A member picks a place}}\n"
           if views else "")
        for i, n in enumerate(names))
    (root / "course.yaml").write_text(course[:start] + phases + course[end:], encoding="utf-8")
    for lesson in (root / "modules").glob("*.yaml"):  # the fixture's lessons are in the first two phases
        text = lesson.read_text(encoding="utf-8")
        lesson.write_text(text.replace("phase: pre-activity", "phase: preparation"), encoding="utf-8")
    deck = tmp_path / "course.pptx"
    deck.write_bytes(build_deck(root))
    for labels in diagram_labels(deck):
        assert [text for text, _ in labels] == names  # whole: no zero-width break inside a name
        assert len({size for _, size in labels}) == 1
        if len(names) <= 4 and views:
            assert labels[0][1] >= 2400


def test_every_lesson_page_of_the_bundled_site_shows_a_figure(tmp_path: Path) -> None:
    from tests.targets.site_browser import build

    site = build(ROOT, tmp_path / "site")
    pages = sorted(site.glob("lesson-*.html"))
    assert len(pages) == 6
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<figure class="figure', html), page.name
    intro = (site / "lesson-introduction.html").read_text(encoding="utf-8")
    assert 'id="figure-fora-members"' in intro and "105,650" in intro
