"""QTI 2.1 packages: valid against the IMS XSDs, a complete manifest, and nothing lost."""

from __future__ import annotations

import io
import posixpath
import zipfile

import pytest
from lxml import etree

from generator.targets import qti21
from tests.conftest import FIXTURES, need_schemas, run_modgen
from tests.targets.bank import courses, expected, load, views

Q = {"q": qti21.QTI}
CP = {"cp": qti21.CP}


@pytest.fixture(scope="session")
def qti_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(need_schemas("qti21", "qtiv2p1", "imsqti_v2p1.xsd"))))


@pytest.fixture(scope="session")
def cp_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(need_schemas("qti21", "imscp_v1p1.xsd"))))


def packages():
    for name, path in courses():
        for course, lang, audience in views(path):
            yield pytest.param(course, lang, audience, id=f"{name}-{lang}-{audience}")


def _valid(schema: etree.XMLSchema, data: bytes, name: str) -> None:
    doc = etree.parse(io.BytesIO(data))
    assert schema.validate(doc), f"{name}: " + "; ".join(f"{e.line}: {e.message}" for e in schema.error_log)


@pytest.mark.schemas
@pytest.mark.parametrize("course,lang,audience", list(packages()))
def test_every_file_validates_and_manifest_is_complete(course, lang, audience, qti_schema, cp_schema) -> None:
    files = qti21.build_package(course, lang, audience)
    _valid(cp_schema, files["imsmanifest.xml"], "imsmanifest.xml")
    for name, data in files.items():
        if name != "imsmanifest.xml":
            _valid(qti_schema, data, name)

    manifest = etree.fromstring(files["imsmanifest.xml"])
    resources = manifest.findall("cp:resources/cp:resource", CP)
    ids = {r.get("identifier") for r in resources}
    listed = set()
    for r in resources:
        assert r.get("href") in files
        listed |= {f.get("href") for f in r.findall("cp:file", CP)}
        for d in r.findall("cp:dependency", CP):
            assert d.get("identifierref") in ids
    assert listed == set(files) - {"imsmanifest.xml"}
    # Every test's item references resolve to an item file of the package.
    for name, data in files.items():
        if name.startswith("tests/"):
            for ref in etree.fromstring(data).iterfind(".//q:assessmentItemRef", Q):
                assert posixpath.normpath(posixpath.join(posixpath.dirname(name), ref.get("href"))) in files


def parse_item(data: bytes) -> tuple[str, dict]:
    """An item back into the shape of tests.targets.bank.expected."""
    item = etree.fromstring(data)
    correct = [v.text for v in item.iterfind("q:responseDeclaration/q:correctResponse/q:value", Q)]
    feedback = {f.get("identifier"): f.text for f in item.iterfind("q:modalFeedback", Q)}
    assert all(f.get("outcomeIdentifier") == "FEEDBACK" and f.get("showHide") == "show"
               for f in item.iterfind("q:modalFeedback", Q))
    entry = {"explanation": feedback.pop(qti21.EXPLANATION)}
    body = item.find("q:itemBody", Q)
    interaction = body[0]
    entry["stem"] = interaction.find("q:prompt", Q).text
    kind = etree.QName(interaction).localname
    question_id = item.get("identifier").rsplit(".", 1)[1]
    if kind == "choiceInteraction":
        choices = [(c.get("identifier"), c.text) for c in interaction.iterfind("q:simpleChoice", Q)]
        if [i for i, _ in choices] == ["O-true", "O-false"]:
            entry.update(kind="true-false", answer=correct == ["O-true"],
                         feedback_true=feedback["O-true"], feedback_false=feedback["O-false"])
        else:
            entry["kind"] = "single" if interaction.get("maxChoices") == "1" else "multiple"
            entry["answers"] = sorted((text, i in correct, feedback[i]) for i, text in choices)
    elif kind == "matchInteraction":
        premises, responses = [{c.get("identifier"): c.text for c in s}
                               for s in interaction.iterfind("q:simpleMatchSet", Q)]
        entry["kind"] = "matching"
        entry["pairs"] = sorted((premises[p], responses[r], feedback[p]) for p, r in (v.split() for v in correct))
    else:
        assert kind == "orderInteraction"
        texts = {c.get("identifier"): c.text for c in interaction.iterfind("q:simpleChoice", Q)}
        entry["kind"] = "ordering"
        entry["steps"] = [(texts[i], feedback[i]) for i in correct]
    return question_id, entry


@pytest.mark.parametrize("course,lang,audience", list(packages()))
def test_round_trip_loses_nothing(course, lang, audience) -> None:
    files = qti21.build_package(course, lang, audience)
    parsed = dict(parse_item(data) for name, data in files.items() if name.startswith("items/"))
    assert parsed == expected(course, lang)


def test_special_characters_survive_verbatim() -> None:
    course = load(FIXTURES / "special").for_audience("prevention")
    files = qti21.build_package(course, "nl", "prevention")
    _, entry = parse_item(files["items/desk-single.xml"])
    assert entry["stem"] == ("Wat is {stap 1} bij een \"gevonden\" voorwerp ~ à la carte = #1: A & B <c> 'd' "
                             "\\ ]]> é ë ï ü?")
    assert set(files) >= {"items/desk-prevention.xml"}
    assert "items/desk-prevention.xml" not in qti21.build_package(load(FIXTURES / "special").for_audience("enforcement"),
                                                                 "nl", "enforcement")


def test_tests_carry_pass_mark_and_score_processing() -> None:
    course = load(FIXTURES / "minimal")
    files = qti21.build_package(course.for_audience("enforcement"), "en", "enforcement")
    test = etree.fromstring(files["tests/preparation.xml"])
    passmark = test.find("q:outcomeDeclaration[@identifier='PASSMARK']/q:defaultValue/q:value", Q)
    assert passmark.text == "0.5"  # the quiz's own pass mark, 50 %
    other = etree.fromstring(files["tests/activity.xml"])
    assert other.find("q:outcomeDeclaration[@identifier='PASSMARK']/q:defaultValue/q:value", Q).text == "0.6"
    refs = [r.get("identifier") for r in test.iterfind(".//q:assessmentItemRef", Q)]
    assert refs == [f"bike-theft.en.prep-q{n}" for n in range(1, 5)]
    # Each item scores: SCORE set from matching the correct response.
    item = etree.fromstring(files["items/prep-q1.xml"])
    when = item.find("q:responseProcessing/q:responseCondition/q:responseIf", Q)
    assert when.find("q:match/q:correct", Q).get("identifier") == "RESPONSE"
    assert when.find("q:setOutcomeValue", Q).get("identifier") == "SCORE"


def test_identifiers_stay_when_words_change(course_copy) -> None:
    from generator.loader.load import load_course

    root = course_copy("minimal")
    before = qti21.build_package(load_course(root).course, "nl", None)
    quiz = root / "quizzes" / "01-preparation.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("Bij stations", "Bij treinstations"), encoding="utf-8")
    after = qti21.build_package(load_course(root).course, "nl", None)
    ident = lambda files, name: etree.fromstring(files[name]).get("identifier")  # noqa: E731
    for name in before:
        assert ident(before, name) == ident(after, name)
    assert before["items/prep-q1.xml"] != after["items/prep-q1.xml"]


def test_cli_build_writes_deterministic_zip(tmp_path) -> None:
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        run_modgen("build", FIXTURES / "minimal", "-o", out, "--format", "qti21", check=True)
        outs.append(out)
    zips = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*.zip"))
    assert [z.as_posix() for z in zips] == [f"qti21/{l}-{a}/bike-theft-qti21-{l}-{a}.zip"
                                            for l in ("en", "nl") for a in ("enforcement", "prevention")]
    for z in zips:
        assert (outs[0] / z).read_bytes() == (outs[1] / z).read_bytes()
        with zipfile.ZipFile(outs[0] / z) as archive:
            names = archive.namelist()
            assert names == sorted(names)
            assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
