"""Moodle imports what the course means: Moodle 4.5.6's own import code (``../shared/moodle-import``)
run on every bundled Moodle XML and GIFT export and on a fixture with every question type and
special characters, and what Moodle stores compared with the model question by question; what a
re-import does; which Moodle versions need which option. docs/lms.md ("Moodle") says what these
tests show."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import etree

from generator.build import BuildRequest, build
from generator.loader.load import load_course
from generator.targets import quizbank
from tests.conftest import FIXTURES, ROOT
from tests.targets.moodle_import import differences, first_import, module_questions, moodle, need_moodle

FORMATS = {"xml": ("moodle-xml", "quiz.xml"), "gift": ("gift", "quiz.gift")}


def build_banks(course: Path, out: Path) -> Path:
    build(BuildRequest(course, out, formats=["moodle-xml", "gift"]))
    return out


def export(out: Path, fmt: str, lang: str, audience: str | None) -> Path:
    kind, name = FORMATS[fmt]
    return out / kind / (f"{lang}-{audience}" if audience else lang) / name


def views(course_dir: Path):
    course = load_course(course_dir).course
    return course, [(lang, a.id) for lang in course.languages for a in course.audiences] or \
        [(lang, None) for lang in course.languages]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    return build_banks(ROOT, tmp_path_factory.mktemp("moodle-bundled") / "out")


def special_course(course: Path, ordering: str | None = None) -> Path:
    """The special-characters fixture (every question type; & < > quotes, Dutch letters, GIFT's
    special characters in every text), with a '/' in the module's title as well — Moodle reads '/'
    as a category separator — and ``moodle.ordering`` when given."""
    shutil.copytree(FIXTURES / "special", course)
    lesson = course / "modules" / "01-desk.yaml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("'The desk: ", "'The desk / counter: ").replace("'De balie: ", "'De balie / kast: "),
                      encoding="utf-8")
    assert "desk / counter" in lesson.read_text(encoding="utf-8")
    if ordering:
        frame = course / "course.yaml"
        frame.write_text(frame.read_text(encoding="utf-8") + f"moodle:\n  ordering: {ordering}\n", encoding="utf-8")
    return course


@pytest.fixture(scope="module")
def special(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("moodle-special")
    return build_banks(special_course(root / "course"), root / "out")


@pytest.fixture(scope="module")
def special_as_matching(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("moodle-special-matching")
    return build_banks(special_course(root / "course", "matching"), root / "out")


def narrowed(course_dir: Path, audience: str | None):
    course = load_course(course_dir).course
    return course.for_audience(audience) if audience else course


BUNDLED = [(fmt, lang, audience) for lang, audience in views(ROOT)[1] for fmt in FORMATS]


@pytest.mark.parametrize("fmt, lang, audience", BUNDLED, ids=[f"{f}-{l}-{a}" for f, l, a in BUNDLED])
def test_every_bundled_export_imports_as_the_course_means(bundled: Path, fmt: str, lang: str, audience) -> None:
    need_moodle()
    saved = first_import(moodle((fmt, export(bundled, fmt, lang, audience))))
    course = narrowed(ROOT, audience)
    assert saved["saved_count"] == len(saved["questions"]) > 0
    assert differences(saved["questions"], course, lang, audience, fmt=fmt) == []


SPECIAL = [(fmt, lang, audience) for lang in ("nl", "en") for audience in ("enforcement", "prevention")
           for fmt in FORMATS]


@pytest.mark.parametrize("fmt, lang, audience", SPECIAL, ids=[f"{f}-{l}-{a}" for f, l, a in SPECIAL])
def test_every_question_type_and_special_characters_come_through(special: Path, fmt: str, lang: str,
                                                                 audience: str) -> None:
    need_moodle()
    saved = first_import(moodle((fmt, export(special, fmt, lang, audience))))
    course = narrowed(special.parent / "course", audience)
    kinds = {q.kind for quiz in course.quizzes for q in quiz.questions}
    assert kinds == {"single", "multiple", "true-false", "matching", "ordering"}
    assert differences(saved["questions"], course, lang, audience, fmt=fmt) == []
    if fmt == "gift":  # GIFT has no syntax for these: Moodle's defaults
        for q in saved["questions"]:
            options = next(iter(q["options"].values()))
            assert options.get("shownumcorrect", 0) == 0 and options.get("correctfeedback", "") == ""
    # The category names survive Moodle's cleaning: '/' read as part of the name, tags not stripped.
    module = saved["questions"][0]["category"][-1]
    assert module == {"en": 'The desk / counter: "ideas" &amp; &lt;rules&gt;',
                      "nl": 'De balie / kast: "ïdeeën" &amp; &lt;regels&gt;'}[lang]


def test_moodle_xml_and_gift_of_a_module_land_in_the_same_category(special: Path) -> None:
    need_moodle()
    xml, gift = runs(moodle(("xml", export(special, "xml", "nl", "prevention")),
                            ("gift", export(special, "gift", "nl", "prevention"))))
    assert xml["result"] and gift["result"] and gift["categories_created"] == []
    assert [q["category"] for q in gift["questions"]] == [q["category"] for q in xml["questions"]]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_ordering_as_matching_imports_as_the_course_means(special_as_matching: Path, lang: str) -> None:
    need_moodle()
    saved = first_import(moodle(("xml", export(special_as_matching, "xml", lang, "enforcement"))))
    course = narrowed(special_as_matching.parent / "course", "enforcement")
    assert "ordering" not in {q["qtype"] for q in saved["questions"]}
    assert differences(saved["questions"], course, lang, "enforcement", fmt="xml", ordering="matching") == []


# --- the comparison can fail ----------------------------------------------------------------------

def broken_xml(source: Path, target: Path, change) -> Path:
    doc = etree.parse(str(source), etree.XMLParser(strip_cdata=False))
    change(doc.getroot())
    target.write_bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))
    return target


def question(root, idnumber: str):
    return next(q for q in root.iter("question") if q.findtext("idnumber") == idnumber)


def fraction_off(root) -> None:
    wrong = next(a for a in question(root, "special-chars.en.desk-multiple").iter("answer")
                 if a.get("fraction") == "-100")
    wrong.set("fraction", "-50")  # still one of Moodle's fractions, so Moodle takes it


def feedback_lost(root) -> None:
    answer = question(root, "special-chars.en.desk-single").find("answer")
    answer.find("feedback/text").text = ""


def step_feedback_lost(root) -> None:
    general = question(root, "special-chars.en.desk-order").find("generalfeedback/text")
    general.text = etree.CDATA(re.sub(r"<ul>.*</ul>", "", general.text))


def true_false_penalty(root) -> None:
    question(root, "special-chars.en.desk-tf").find("penalty").text = "0.3333333"


@pytest.mark.parametrize("change, expected", [
    (fraction_off, "special-chars.en.desk-multiple: fraction of 'Opinion ~ feeling': Moodle stored -0.5"),
    (feedback_lost, "special-chars.en.desk-single: texts and feedback"),
    (step_feedback_lost, "special-chars.en.desk-order: texts and feedback"),
    (true_false_penalty, "special-chars.en.desk-tf: penalty: Moodle stored 0.3333333, the course means 1.0"),
])
def test_a_wrong_export_fails_the_comparison(special: Path, tmp_path: Path, change, expected: str) -> None:
    need_moodle()
    wrong = broken_xml(export(special, "xml", "en", "enforcement"), tmp_path / "quiz.xml", change)
    saved = first_import(moodle(("xml", wrong)))
    found = differences(saved["questions"], narrowed(special.parent / "course", "enforcement"), "en",
                        "enforcement", fmt="xml")
    assert len(found) >= 1 and all(line.startswith(expected.split(":")[0]) for line in found), found
    assert any(line.startswith(expected) for line in found), found


def test_a_lost_gift_feedback_fails_the_comparison(special: Path, tmp_path: Path) -> None:
    need_moodle()
    text = export(special, "gift", "en", "enforcement").read_text(encoding="utf-8")
    wrong = tmp_path / "quiz.gift"
    wrong.write_text(text.replace("#No\\: \\{no\\} private use.", "#"), encoding="utf-8")
    assert wrong.read_text(encoding="utf-8") != text
    saved = first_import(moodle(("gift", wrong)))
    found = differences(saved["questions"], narrowed(special.parent / "course", "enforcement"), "en",
                        "enforcement", fmt="gift")
    assert [line.split(":")[0] for line in found] == ["special-chars.en.desk-single"], found


# --- re-import ------------------------------------------------------------------------------------

def runs(document: dict) -> list[dict]:
    return [run["save"] for run in document["runs"]]


def test_a_second_import_adds_every_question_again_without_its_idnumber(bundled: Path) -> None:
    """Moodle never updates a question on import: the same file twice gives every question twice,
    in the same categories, the second time without its idnumber."""
    need_moodle()
    lang, audience = views(ROOT)[1][0]
    quiz = export(bundled, "xml", lang, audience)
    document = moodle(("xml", quiz), ("xml", quiz), ("gift", export(bundled, "gift", lang, audience)))
    first, again, gift = runs(document)
    n = first["saved_count"]
    assert all(run["result"] and run["exception"] is None for run in (first, again, gift))
    assert again["saved_count"] == gift["saved_count"] == n
    assert again["categories_created"] == gift["categories_created"] == []  # GIFT lands in the same categories
    assert [q["idnumber"] for q in again["questions"] + gift["questions"]] == [None] * 2 * n
    assert [q["category"] for q in gift["questions"]] == [q["category"] for q in first["questions"]]
    database = document["database"]
    assert (database["question_count"], database["questions_with_idnumber"]) == (3 * n, n)


def test_audiences_and_languages_imported_into_one_course_stay_apart(bundled: Path) -> None:
    need_moodle()
    every = views(ROOT)[1]
    document = moodle(*[("xml", export(bundled, "xml", lang, audience)) for lang, audience in every])
    saved = runs(document)
    assert all(run["result"] and run["exception"] is None for run in saved)
    total = sum(run["saved_count"] for run in saved)
    assert document["database"]["questions_with_idnumber"] == document["database"]["question_count"] == total
    modules = [{tuple(q["category"]) for q in run["questions"]} for run in saved]
    for n, mine in enumerate(modules):
        assert all(mine.isdisjoint(other) for other in modules[n + 1:])
    idnumbers = [c["idnumber"] for c in document["database"]["categories"] if c["idnumber"]]
    assert len(idnumbers) == len(set(idnumbers)) == sum(len(m) for m in modules)


def test_a_new_title_makes_new_categories_and_the_import_succeeds(special: Path, tmp_path: Path) -> None:
    need_moodle()
    course = special_course(tmp_path / "course")
    lesson = course / "modules" / "01-desk.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("desk / counter", "front desk"), encoding="utf-8")
    renamed = build_banks(course, tmp_path / "out")
    document = moodle(("xml", export(special, "xml", "en", "enforcement")),
                      ("xml", export(renamed, "xml", "en", "enforcement")))
    first, second = runs(document)
    assert second["result"] and second["exception"] is None
    assert [c["path"][-1] for c in second["categories_created"]] == ['The front desk: "ideas" &amp; &lt;rules&gt;']
    # The questions keep their idnumbers: each category holds them once.
    assert [q["idnumber"] for q in second["questions"]] == [q["idnumber"] for q in first["questions"]]


def test_a_category_renamed_in_moodle_makes_the_next_xml_import_fail(special: Path, tmp_path: Path) -> None:
    """What docs/lms.md warns of: Moodle finds a category by its name; under a new name (a teacher's
    rename) it makes the file's category again, with the idnumber the renamed one holds, and the
    database refuses it — nothing of that import is saved."""
    need_moodle()
    quiz = export(special, "xml", "en", "enforcement")

    def teacher_renames(root) -> None:
        path = root.find("question/category/text")
        path.text = path.text.rsplit("/", 1)[0] + "/Week 1"

    as_renamed = broken_xml(quiz, tmp_path / "renamed.xml", teacher_renames)
    gift = export(special, "gift", "en", "enforcement")
    first, again, then_gift = runs(moodle(("xml", as_renamed), ("xml", quiz), ("gift", gift)))
    assert first["result"] is True
    assert again["result"] is False and again["saved_count"] == 0
    assert again["exception"]["class"] == "dml_write_exception"
    assert "idnumber" in again["exception"]["debuginfo"]
    # GIFT carries no category idnumber: the same questions import, into the file's category made anew.
    assert then_gift["result"] is True and then_gift["saved_count"] == first["saved_count"]


# --- Moodle versions ------------------------------------------------------------------------------

def test_moodle_without_the_ordering_type_saves_nothing_of_the_default_xml(bundled: Path) -> None:
    """Moodle 4.3 and older without the qtype_ordering plugin (the harness's 4.3-no-ordering
    profile): with the import form's default *Stop on error* nothing is imported; with *No* every
    question but the ordering ones."""
    need_moodle()
    lang, audience = views(ROOT)[1][0]
    course = narrowed(ROOT, audience)
    ordering = sum(q.kind == "ordering" for quiz in course.quizzes for q in quiz.questions
                   if getattr(q, "scored", True))
    assert ordering > 0
    quiz = export(bundled, "xml", lang, audience)
    (run,) = moodle(("xml", quiz), profile="4.3-no-ordering")["runs"]
    assert run["save"]["result"] is False and run["save"]["saved_count"] == 0
    refused = [m for m in run["parse"]["messages"] if m["kind"] == "error"]
    assert len(refused) == ordering and all("ordering is not supported" in m["message"] for m in refused)
    (run,) = moodle(("xml", quiz), profile="4.3-no-ordering", stop_on_error=False)["runs"]
    assert run["save"]["result"] is True
    assert run["save"]["saved_count"] == sum(len(q) for _, q in module_questions(course, lang)) - ordering


def test_ordering_as_matching_and_gift_import_whole_without_the_ordering_type(special_as_matching: Path,
                                                                             special: Path) -> None:
    need_moodle()
    course = narrowed(special.parent / "course", "enforcement")
    for fmt, out in (("xml", special_as_matching), ("gift", special)):
        saved = first_import(moodle((fmt, export(out, fmt, "en", "enforcement")), profile="4.3-no-ordering"))
        assert differences(saved["questions"], course, "en", "enforcement", fmt=fmt, ordering="matching") == []


def test_idnumbers_are_moodle_s_size_and_unique_per_course_audience_and_language(bundled: Path) -> None:
    found = []
    for lang, audience in views(ROOT)[1]:
        root = etree.parse(str(export(bundled, "xml", lang, audience))).getroot()
        found += [q.findtext("idnumber") for q in root.iter("question") if q.get("type") == "category"]
    assert len(found) == len(set(found)) and all(len(i) <= 100 for i in found)
    course = load_course(ROOT).course
    assert all(i.startswith(quizbank.stable_id(course.id)) for i in found)
