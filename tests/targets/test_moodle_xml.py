"""Moodle XML: the structure Moodle's importer reads (question/format/xml/format.php), fractions
from Moodle's list, and every question, answer and feedback back out unchanged."""

from __future__ import annotations

import re

import pytest
from lxml import etree, html

from generator.targets import moodle_xml, quizbank
from generator.targets.packaging import xml_bytes
from tests.conftest import FIXTURES, run_modgen
from tests.targets.bank import category_path, courses, expected, load, norm, views

#: Text formats format.php's trans_format() knows; anything else it imports as html with a warning.
FORMATS = {"moodle_auto_format", "html", "plain_text", "wiki_like", "markdown"}
QTYPES = {"category", "multichoice", "truefalse", "matching", "ordering"}


def quizzes():
    for name, path in courses():
        for course, lang, audience in views(path):
            yield pytest.param(course, lang, audience, id=f"{name}-{lang}-{audience}")


def _doc(course, lang, audience) -> etree._Element:
    # Through bytes, as Moodle sees the file.
    return etree.fromstring(xml_bytes(moodle_xml.build_quiz(course, lang, audience)))


def _html_text(node: etree._Element | None) -> str:
    """The text of a <text> holding HTML, as a reader sees it."""
    source = node.findtext("text") if node is not None else ""
    return norm(html.fragment_fromstring(source, create_parent="div").text_content()) if source else ""


def _text(node: etree._Element, path: str) -> str:
    value = node.find(path)
    return value.findtext("text").strip() if value is not None else ""


def parse_question(q: etree._Element) -> tuple[str, dict]:
    """A <question> back into the shape of tests.targets.bank.expected, checking Moodle's rules."""
    qtype = q.get("type")
    for tag in ("questiontext", "generalfeedback"):
        assert q.find(tag).get("format") in FORMATS
    general = html.fragment_fromstring(q.find("generalfeedback").findtext("text"), create_parent="div")
    entry = {"stem": _html_text(q.find("questiontext")), "explanation": norm(general.find("p").text_content())}
    answers = q.findall("answer")
    for a in answers:
        assert a.find("feedback").get("format") in FORMATS
    if qtype == "multichoice":
        single = q.findtext("single") == "true"
        fractions = [float(a.get("fraction")) for a in answers]
        allowed = set(quizbank.MOODLE_FRACTIONS) | {0.0}
        assert all(abs(f) in allowed for f in fractions), fractions
        if single:
            assert sorted(fractions)[-1] == 100 and sum(f == 100 for f in fractions) == 1
        else:
            # Moodle's form insists the positive grades add up to 100 %; wrong ones share -100 %.
            assert abs(sum(f for f in fractions if f > 0) - 100) < 0.001
            assert abs(sum(f for f in fractions if f < 0) + 100) < 0.001
        entry["kind"] = "single" if single else "multiple"
        entry["answers"] = sorted((_html_text(a), float(a.get("fraction")) > 0, _html_text(a.find("feedback")))
                                  for a in answers)
    elif qtype == "truefalse":
        by_word = {a.findtext("text"): a for a in answers}
        assert set(by_word) == {"true", "false"}  # format.php matches these literal words
        assert sorted(a.get("fraction") for a in answers) == ["0", "100"]
        entry.update(kind="true-false", answer=by_word["true"].get("fraction") == "100",
                     feedback_true=_html_text(by_word["true"].find("feedback")),
                     feedback_false=_html_text(by_word["false"].find("feedback")))
    elif qtype == "matching":
        subs = q.findall("subquestion")
        assert len(subs) >= 2
        notes = {norm(li.find("strong").text_content()): norm(li.text_content()[len(li.find("strong").text_content()) + 2:])
                 for li in general.iter("li")}
        pairs = []
        for sub in subs:
            premise = _html_text(sub)
            pairs.append((premise, sub.find("answer").findtext("text").strip(), notes[premise]))
        entry.update(kind="matching", pairs=sorted(pairs))
    else:
        assert qtype == "ordering"
        assert q.findtext("selecttype") == "ALL" and q.findtext("layouttype") == "VERTICAL"
        ranked = sorted(answers, key=lambda a: float(a.get("fraction")))
        assert [float(a.get("fraction")) for a in ranked] == list(range(1, len(answers) + 1))
        # qtype_ordering stores no feedback per item: the steps' feedback is in the general feedback.
        assert all(_html_text(a.find("feedback")) == "" for a in answers)
        notes = {norm(li.find("strong").text_content()): norm(li.text_content()[len(li.find("strong").text_content()) + 2:])
                 for li in general.iter("li")}
        entry.update(kind="ordering", steps=[(_html_text(a), notes[_html_text(a)]) for a in ranked])
    return q.findtext("idnumber"), entry


@pytest.mark.parametrize("course,lang,audience", list(quizzes()))
def test_round_trip_and_importer_rules(course, lang, audience) -> None:
    doc = _doc(course, lang, audience)
    assert doc.tag == "quiz"
    questions = doc.findall("question")
    assert {q.get("type") for q in questions} <= QTYPES
    parsed, categories, idnumbers = {}, [], []
    for q in questions:
        idnumber = q.findtext("idnumber")
        assert idnumber and len(idnumber) <= 100
        idnumbers.append(idnumber)
        if q.get("type") == "category":
            categories.append(q.find("category").findtext("text"))
            continue
        assert q.find("name").findtext("text").strip()
        assert q.findtext("defaultgrade") == "1"
        ident, entry = parse_question(q)
        parsed[ident.rsplit(".", 1)[1]] = entry
    assert parsed == expected(course, lang)
    assert len(idnumbers) == len(set(idnumbers))
    assert categories == [category_path(course, lang, audience, m.title) for m in quizbank.modules(course, lang)]


def test_category_per_module_holds_its_questions() -> None:
    course = load(FIXTURES / "minimal")
    doc = _doc(course.for_audience("enforcement"), "en", "enforcement")
    order = [(q.get("type"), q.findtext("idnumber")) for q in doc.findall("question")]
    # A category's idnumber ends in a digest of its path: a new title, a new category (Moodle
    # refuses a second category with an idnumber the course has).
    order = [(kind, re.sub(r"\.[0-9a-f]{8}$", ".<digest>", ident) if kind == "category" else ident)
             for kind, ident in order]
    assert order == [
        ("category", "bike-theft.en.enforcement.preparation.<digest>"),
        ("multichoice", "bike-theft.en.prep-q1"), ("multichoice", "bike-theft.en.prep-q2"),
        ("truefalse", "bike-theft.en.prep-q3"), ("matching", "bike-theft.en.prep-q4"),
        ("category", "bike-theft.en.enforcement.activity.<digest>"), ("ordering", "bike-theft.en.act-q1"),
    ]
    assert doc.find("question").find("category").findtext("text") == \
        "$course$/Bicycle theft as a crime script/Enforcement/Preparation"


def test_fractions_follow_moodle_list() -> None:
    q = quizbank.BankQuestion("q", "multiple", "s", "e", answers=tuple(
        quizbank.Answer(str(i), str(i), i < 3, "f") for i in range(7)))
    assert [quizbank.format_percent(w) for w in quizbank.multiple_response_weights(q)] == \
        ["33.33333"] * 3 + ["-25"] * 4
    assert quizbank.format_percent(quizbank.share(7)) == "14.28571"
    assert moodle_xml.category_path("A/B", "C & <d>") == "$course$/A//B/C &amp; &lt;d&gt;"


def test_special_characters_are_kept_and_xml_stays_well_formed() -> None:
    course = load(FIXTURES / "special").for_audience("prevention")
    data = xml_bytes(moodle_xml.build_quiz(course, "nl", "prevention"))
    doc = etree.fromstring(data)
    single = next(q for q in doc.findall("question") if q.findtext("idnumber") == "special-chars.nl.desk-single")
    assert _html_text(single.find("questiontext")) == ("Wat is {stap 1} bij een \"gevonden\" voorwerp ~ à la carte "
                                                       "= #1: A & B <c> 'd' \\ ]]> é ë ï ü?")
    # HTML escaping turns ']]>' into ']]&gt;', so the CDATA section Moodle writes stays closed.
    assert "<![CDATA[<p>Wat is {stap 1} bij een \"gevonden\" voorwerp ~ à la carte = #1: A &amp; B &lt;c&gt; " \
           "'d' \\ ]]&gt; é ë ï ü?</p>]]>" in data.decode()


def test_cli_writes_quiz_xml(tmp_path) -> None:
    out = tmp_path / "out"
    run_modgen("build", FIXTURES / "minimal", "-o", out, "--format", "moodle-xml", check=True)
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xml"))
    assert files == [f"moodle-xml/{l}-{a}/quiz.xml" for l in ("en", "nl") for a in ("enforcement", "prevention")]


def test_ordering_as_matching_for_moodle_without_the_ordering_type(tmp_path) -> None:
    """``moodle: ordering: matching``: each step matched to its position, as in GIFT, with the
    steps' feedback after the explanation (tests/targets/test_moodle_import.py imports it)."""
    from generator.model import Moodle

    course = load(FIXTURES / "minimal").model_copy(update={"moodle": Moodle(ordering="matching")})
    doc = _doc(course.for_audience("enforcement"), "en", "enforcement")
    assert not [q for q in doc.iter("question") if q.get("type") == "ordering"]
    steps = next(q for q in doc.iter("question") if q.findtext("idnumber") == "bike-theft.en.act-q1")
    assert steps.get("type") == "matching" and steps.findtext("penalty") == "0.3333333"
    assert "<strong>Open the lock</strong>: This comes next." in steps.find("generalfeedback").findtext("text")
    assert [(_html_text(s), s.find("answer").findtext("text")) for s in steps.findall("subquestion")] == [
        ("Choose a place", "Step 1"), ("Open the lock", "Step 2"), ("Ride away", "Step 3")]


def test_an_unknown_ordering_choice_is_a_located_error(course_copy) -> None:
    course = course_copy("minimal")
    path = course / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "moodle:\n  ordering: plugin\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    result = run_modgen("validate", course)
    assert result.returncode == 1
    assert re.search(rf"^course\.yaml:{line}:\d+: .*'ordering' or 'matching'", result.stderr, re.M), result.stderr
    assert "Traceback" not in result.stderr
