"""The course says what it is: a course without phases and without sensitive lessons gets none of
the bundled course's crime-script framing or sensitive-content scaffolding, in any output; the
bundled course (phases, sensitive lessons) still gets both.

What a reader sees is checked: every text file and every member of every zip (packages, decks),
leaving out what is code rather than wording — stylesheets and scripts (class names such as
``.crime-script``), ``<style>`` blocks, ids and class names, shape names in decks, and the deck
template's layout definitions (a layout is named "Crime Script" in the template whether or not a
slide uses it)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from tests.conftest import FIXTURES, ROOT, run_modgen

FRAMING = re.compile(r"crime.?script|Cornish|criminal process", re.I)
SENSITIVE = re.compile(r"content notice|may affect you|can affect you|distressing|abuse|wellbeing|"
                       r"looking after yourself|support and reporting|sensitive", re.I)
CODE = (".css", ".js", ".png", ".jpg", ".svg", ".ttf", ".woff2", ".woff")


def _shown(name: str, data: bytes) -> str:
    if name.endswith(CODE) or re.search(r"ppt/(slideLayouts|slideMasters|theme)/", name):
        return ""
    text = data.decode("utf-8", "ignore")
    if name.endswith((".html", ".htm")):  # ids and class names are code; styles too
        text = re.sub(r'\s(id|class|aria-labelledby|href)="[^"]*"', "", re.sub(r"<style.*?</style>", "", text, flags=re.S))
    if name.endswith(".xml") and "ppt/" in name:  # shape names (the diagram's group) are not on the slide
        text = re.sub(r'\sname="[^"]*"', "", text)
    return text


def words_in(out: Path, pattern: re.Pattern) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file() or ".cache" in path.parts or path.name == "manifest.json":
            continue
        data = path.read_bytes()
        members = [(path.name, data)]
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(path) as z:
                members = [(f"{path.name}!{n}", z.read(n)) for n in z.namelist()]
        for name, content in members:
            for match in pattern.finditer(_shown(name, content)):
                found.setdefault(match.group(0).lower(), set()).add(name)
    return found


def test_a_plain_course_has_no_crime_script_or_sensitive_wording(tmp_path: Path) -> None:
    out = tmp_path / "out"
    built = run_modgen("build", FIXTURES / "plain", "-o", out)
    assert built.returncode == 0, built.stderr
    assert len(list(out.rglob("*"))) > 20  # every format was built
    assert words_in(out, FRAMING) == {}
    assert words_in(out, SENSITIVE) == {}
    assert not list(out.rglob("support.html"))


def test_the_bundled_course_keeps_its_framing_and_scaffolding(tmp_path: Path) -> None:
    out = tmp_path / "out"
    built = run_modgen("build", ROOT, "-o", out, "--lang", "en", "--audience", "prevention",
                       "--format", "site,facilitator-guide")
    assert built.returncode == 0, built.stderr
    assert {"crime script"} <= set(words_in(out, FRAMING))
    shown = set(words_in(out, SENSITIVE))
    assert {"content notice", "looking after yourself", "support and reporting"} <= shown
    assert list(out.rglob("support.html"))


def test_a_course_names_its_own_process(tmp_path: Path) -> None:
    """A course with phases that names its process ('process:') is not framed as a crime script:
    its name heads the phase chain, the diagram, the dividers, and the matrix caption says 'phase'."""
    import shutil

    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    path = course / "course.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Fietsdiefstal als crime script", "Fietsdiefstal").replace(
        "Bicycle theft as a crime script", "Bicycle theft").replace("# A small but complete course used by the tests: a crime script of bicycle theft.\n", "")
    text = text.replace("phases:\n", "process: {nl: de weg van een fietsdief, en: the way of a bicycle thief}\nphases:\n", 1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    built = run_modgen("build", course, "-o", out, "--format", "site,pptx,facilitator-guide")
    assert built.returncode == 0, built.stderr
    assert words_in(out, FRAMING) == {}
    shown = words_in(out, re.compile(r"the way of a bicycle thief|de weg van een fietsdief", re.I))
    assert {"the way of a bicycle thief", "de weg van een fietsdief"} <= set(shown)
    start = (out / "site" / "en-enforcement" / "index.html").read_text(encoding="utf-8")
    assert ">The way of a bicycle thief</h2>" in start and "The course follows the way of a bicycle thief in 4 phases" in start


def test_the_study_is_named_only_where_the_course_cites_one(course_copy, tmp_path) -> None:
    """The notes say "a finding of the study" where every finding and implication cites one source,
    and "of the sources" where they cite more than one (issue 31)."""
    from pptx import Presentation

    def notes(root) -> str:
        out = tmp_path / root.name / "out"
        run_modgen("build", root, "-o", out, "--format", "pptx", "--lang", "en", "--audience", "enforcement",
                   check=True)
        deck = Presentation(next(out.rglob("course.pptx")))
        return "\n".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)

    one = course_copy("minimal")
    assert "a finding of the study" in notes(one) and "of the sources" not in notes(one)
    two = tmp_path / "two"
    shutil.copytree(one, two)
    course = two / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace("support:\n", (
        "  - key: second-study\n    citation: {nl: 'Tweede, B. (2021). Nog een studie.', en: 'Second, B. (2021). "
        "Another study.'}\n    short: {nl: Tweede (2021), en: Second (2021)}\nsupport:\n"), 1), encoding="utf-8")
    lesson = two / "modules" / "01-preparation.yaml"
    text = lesson.read_text(encoding="utf-8")
    derived = "    basis: derived\n"
    assert text.count(derived) == 1  # the fixture's derived point becomes an implication of a second study
    lesson.write_text(text.replace(derived, "    basis: implication\n    source: second-study\n"), encoding="utf-8")
    assert "a finding of the sources" in notes(two) and "of the study" not in notes(two)
