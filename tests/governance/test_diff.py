"""``modgen diff``: the semantic diff of two versions of a course (folders or git revisions), per
language and word by word, with the slides, pages and exports each change touches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from generator.build import BuildRequest, build
from generator.governance.diff import word_diff
from tests.conftest import run_modgen
from tests.governance.conftest import git
from tests.targets.site_browser import Watch, browser  # noqa: F401 - the fixture

FIXTURES = Path(__file__).resolve().parent / "fixtures"
V1, V2 = FIXTURES / "v1", FIXTURES / "v2"

#: What changed from v1 to v2, exactly: (change, path, field, language, old, new).
EXPECTED = [
    ("changed", [], "version", None, "0.1", "0.2"),
    ("changed", [["lesson", "preparation"], ["objective", "prep-intervene"]], "text", "en",
     "Recognise an intervention point in the preparation.", "Recognise an intervention point during the preparation."),
    ("added", [["lesson", "preparation"], ["section", "timing"]], None, "nl", None, "Het moment"),
    ("added", [["lesson", "preparation"], ["section", "timing"]], None, "en", None, "The moment"),
    ("changed", [["lesson", "preparation"], ["intervention point", "prep-lighting"]], "text", "nl",
     "Betere verlichting en bewaakte stallingen bij stations.",
     "Betere verlichting en meer bewaakte stallingen bij stations."),
    ("changed", [["lesson", "preparation"], ["intervention point", "prep-lighting"]], "text", "en",
     "Better lighting and guarded parking near stations.", "Better lighting and more guarded parking near stations."),
    ("changed", [["lesson", "preparation"]], "review.reviewed", None, "2026-02-01", "2026-11-20"),
    ("changed", [["lesson", "preparation"]], "review.next_review", None, "2026-12-31", "2027-11-20"),
    ("changed", [["quiz", "preparation"], ["question", "prep-q1"]], "stem", "en",
     "Where do most bicycle thefts happen?", "Where do most bicycle thefts take place?"),
    ("changed", [["quiz", "preparation"], ["question", "prep-q2"], ["answer", "c"]], "text", "nl",
     "Een boete achteraf", "Een boete na afloop"),
    ("changed", [["quiz", "preparation"], ["question", "prep-q2"], ["answer", "c"]], "text", "en",
     "A fine afterwards", "A fine after the event"),
    ("added", [["quiz", "preparation"], ["question", "prep-q5"]], None, "nl", None,
     "Verlichting bij stations is een maatregel van de gemeente."),
    ("added", [["quiz", "preparation"], ["question", "prep-q5"]], None, "en", None,
     "Lighting near stations is a measure of the municipality."),
    ("removed", [["quiz", "preparation"], ["question", "prep-q3"]], None, "nl",
     "Alleen de politie kan ingrijpen in de voorbereiding.", None),
    ("removed", [["quiz", "preparation"], ["question", "prep-q3"]], None, "en",
     "Only the police can intervene in the preparation.", None),
]


def as_rows(data: dict) -> list[tuple]:
    return [(c["change"], c["path"], c["field"], c["lang"], c["old"], c["new"]) for c in data["changes"]]


def diff_json(*args: str, **kw) -> dict:
    result = run_modgen("diff", *map(str, args), "--format", "json", **kw)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def v1_to_v2() -> dict:
    return diff_json(V1, V2)


def test_the_diff_names_exactly_what_changed_in_both_languages(v1_to_v2: dict) -> None:
    assert as_rows(v1_to_v2) == EXPECTED
    assert v1_to_v2["different"] is True
    assert (v1_to_v2["old"]["version"], v1_to_v2["new"]["version"]) == ("0.1", "0.2")
    questions = {step[1] for c in v1_to_v2["changes"] for step in c["path"] if step[0] == "question"}
    assert questions == {"prep-q1", "prep-q2", "prep-q3", "prep-q5"}
    # prep-q1 changed in English only: the Dutch stem is no change.
    assert [c["lang"] for c in v1_to_v2["changes"] if ["question", "prep-q1"] in c["path"]] == ["en"]


def test_a_changed_text_is_shown_word_by_word(v1_to_v2: dict) -> None:
    stem = next(c for c in v1_to_v2["changes"] if c["field"] == "stem")
    assert stem["words"] == [["=", "Where do most bicycle thefts "], ["-", "happen"], ["+", "take place"], ["=", "?"]]
    assert word_diff("a b c", "a x c") == [("=", "a "), ("-", "b"), ("+", "x"), ("=", " c")]
    # The pieces join back into either text.
    old = "".join(t for op, t in word_diff("Een boete achteraf.", "Een hoge boete na afloop.") if op != "+")
    assert old == "Een boete achteraf."


def test_same_course_no_changes_and_exit_codes(tmp_path: Path) -> None:
    same = run_modgen("diff", V1, V1, "--exit-code")
    assert same.returncode == 0, same.stderr
    assert "No changes." in same.stdout
    different = run_modgen("diff", V1, V2)
    assert different.returncode == 0
    assert "~ stem [en]: Where do most bicycle thefts [-happen-]{+take place+}?" in different.stdout
    assert "- removed [nl]: Alleen de politie kan ingrijpen in de voorbereiding." in different.stdout
    assert run_modgen("diff", V1, V2, "--exit-code").returncode == 1


def test_a_reformatted_file_is_no_change(tmp_path: Path) -> None:
    copy = tmp_path / "course"
    shutil.copytree(V1, copy)
    quiz = copy / "quizzes" / "01-preparation.yaml"
    quiz.write_text("# a comment that changes nothing\n" + quiz.read_text(encoding="utf-8").replace(
        "        text: {nl: Bij stations, en: Near stations}",
        "        text:\n          en: Near stations\n          nl: 'Bij stations'"), encoding="utf-8")
    assert diff_json(V1, copy)["changes"] == []


def test_each_change_names_the_outputs_it_touches(v1_to_v2: dict) -> None:
    by_subject = {(tuple(map(tuple, c["path"])), c["field"], c["lang"]): c["touches"] for c in v1_to_v2["changes"]}
    stem = by_subject[((("quiz", "preparation"), ("question", "prep-q1")), "stem", "en")]
    assert stem["site"] == ["site/en-enforcement/quiz-preparation.html", "site/en-prevention/quiz-preparation.html"]
    assert {"qti21", "moodle-xml", "gift", "scorm12", "scorm2004", "print-quiz", "answer-key",
            "facilitator-guide"} <= set(stem)
    assert all(d["deck"].startswith("pptx/en-") for d in stem["pptx"])  # the English decks only
    objective = by_subject[((("lesson", "preparation"), ("objective", "prep-intervene")), "text", "en")]
    # The paper quiz reads a lesson's id, title, quiz and phase only: an objective is not on it.
    assert "print-quiz" not in objective and "answer-key" in objective and "gift" not in objective
    point = by_subject[((("lesson", "preparation"), ("intervention point", "prep-lighting")), "text", "nl")]
    # The point is for the prevention audience: the enforcement lesson deck and lesson page do not
    # show it; the intervention matrix, the whole course in every build, does on the home pages (a
    # point without a label by its text). The decks' matrix shows marks, its sentences are the guide's.
    assert [d["deck"] for d in point["pptx"]] == ["pptx/nl-prevention/01-preparation.pptx",
                                                  "pptx/nl-prevention/course.pptx"]
    assert point["site"] == ["site/nl-enforcement/index.html", "site/nl-prevention/index.html",
                             "site/nl-prevention/lesson-preparation.html"]
    review = by_subject[((("lesson", "preparation"),), "review.next_review", None)]
    assert review["site"] == [f"site/{f}/sources.html" for f in
                              ("en-enforcement", "en-prevention", "nl-enforcement", "nl-prevention")]
    assert {d["deck"] for d in review["pptx"]} == {f"pptx/{f}/01-preparation.pptx" for f in
                                                   ("en-enforcement", "en-prevention", "nl-enforcement", "nl-prevention")}
    assert all(d["slides"] == [1] for d in review["pptx"])  # the title slide's notes


def slide_texts(path: Path) -> list[str]:
    texts = []
    for slide in Presentation(str(path)).slides:
        parts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        parts.append(slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
        texts.append("\n".join(parts))
    return texts


def test_the_slides_named_are_the_slides_the_builds_changed(v1_to_v2: dict, tmp_path: Path) -> None:
    """Build both versions for real and read the decks: the slides the diff names for a change are
    exactly the slides that differ and show the text, old on the old side and new on the new."""
    for version, out in ((V1, tmp_path / "old"), (V2, tmp_path / "new")):
        build(BuildRequest(version, out, formats=["pptx"], languages=["en"], audiences=["enforcement"]))
    # The diff's slide lists are the built decks' slides, one for one, titles included.
    from generator.governance.touches import deck_slides
    from generator.loader.load import load_course

    planned = deck_slides(load_course(V2).course.for_audience("enforcement"), "en")
    for name, slides in planned.items():
        built = Presentation(str(tmp_path / "new" / "pptx" / "en-enforcement" / name)).slides
        assert [s.title for s in slides] == [slide.shapes.title.text for slide in built], name
    old = slide_texts(tmp_path / "old" / "pptx" / "en-enforcement" / "01-preparation.pptx")
    new = slide_texts(tmp_path / "new" / "pptx" / "en-enforcement" / "01-preparation.pptx")
    stem = next(c for c in v1_to_v2["changes"] if c["field"] == "stem")
    deck = next(d for d in stem["touches"]["pptx"] if d["deck"] == "pptx/en-enforcement/01-preparation.pptx")
    showing = [n for n, text in enumerate(new, 1) if "Where do most bicycle thefts take place?" in text]
    assert deck["slides"] == showing and len(showing) == 1  # the question, whose answer shows on a click
    for n in showing:
        before = next(t for t in old if "Where do most bicycle thefts happen?" in t
                      and t.split("\n")[0] == new[n - 1].split("\n")[0])
        assert before != new[n - 1]
    deck_summary = next(d for d in v1_to_v2["decks"] if d["deck"] == "pptx/en-enforcement/01-preparation.pptx")
    assert len(new) == len(old) + 1 and deck_summary["added"] == [8]  # the new section "The moment"
    assert new[7].startswith("The moment")
    changed = [n for n in range(1, len(new) + 1) if n not in deck_summary["added"]]
    # Every slide the diff calls unchanged is byte-for-byte the same text in both builds.
    aligned = [new[n - 1] for n in changed]
    kept = [n for n, text in zip(changed, aligned) if n not in deck_summary["changed"]]
    for n in kept:
        assert new[n - 1] in old


def test_a_diff_of_git_revisions_is_the_diff_of_the_folders(repository: Path, v1_to_v2: dict) -> None:
    course = repository / "course"
    by_tag = diff_json("v1.0", "HEAD", "--course", course)
    assert as_rows(by_tag) == EXPECTED
    assert (by_tag["old"]["label"], by_tag["new"]["label"]) == ("v1.0", "HEAD")
    assert by_tag["changes"] == v1_to_v2["changes"]
    # Inside the course folder, COURSE_DIR is the current directory; NEW defaults to the folder as it is.
    (course / "quizzes" / "02-activity.yaml").write_text(
        (course / "quizzes" / "02-activity.yaml").read_text(encoding="utf-8").replace(
            "en: Ride away", "en: Leave the scene"), encoding="utf-8")
    working = diff_json("HEAD", cwd=course)
    assert as_rows(working) == [("changed", [["quiz", "activity"], ["question", "act-q1"], ["answer", "leave"]],
                                 "text", "en", "Ride away", "Leave the scene")]
    assert as_rows(diff_json("HEAD~1", "HEAD", cwd=course)) == EXPECTED


def test_a_revision_that_does_not_exist_is_a_usage_error(repository: Path) -> None:
    result = run_modgen("diff", "v9.9", "--course", repository / "course")
    assert result.returncode == 2
    assert "'v9.9' is neither a course folder nor a revision of" in result.stderr
    assert "Traceback" not in result.stderr
    option = run_modgen("diff", "--course", repository / "course", "--", "--output=/tmp/x")
    assert option.returncode == 2
    assert "is not a course folder or a git revision" in option.stderr


def test_a_broken_file_in_an_old_revision_is_located_in_that_revision(repository: Path) -> None:
    course = repository / "course"
    lesson = course / "modules" / "02-activity.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("duration: 20", "duration: twenty"), encoding="utf-8")
    git(repository, "commit", "-q", "-am", "broken")
    result = run_modgen("diff", "HEAD", "v1.0", "--course", course)
    assert result.returncode == 1
    assert result.stderr.startswith("HEAD:modules/02-activity.yaml:4:11: duration: ")
    assert "Traceback" not in result.stderr


HOSTILE = '<script>alert("stem")</script><img src=x onerror=alert(1)> & "quotes"'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    copy = tmp_path / "hostile"
    shutil.copytree(V2, copy)
    quiz = copy / "quizzes" / "01-preparation.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(
        "en: Where do most bicycle thefts take place?", f"en: {json.dumps(HOSTILE)}"), encoding="utf-8")
    return copy


def test_the_html_page_escapes_hostile_text(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "diff.html"
    result = run_modgen("diff", V1, hostile, "--format", "html", "-o", out)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#34;stem&#34;)&lt;/script&gt;" in page
    assert "default-src 'none'" in page  # and no script could run even if one got in


def test_the_html_page_shows_the_changes_in_a_browser(browser, hostile: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "diff.html"
    run_modgen("diff", V1, hostile, "--format", "html", "-o", out, check=True)
    page = browser.new_page()
    watch = Watch(out.parent.as_uri()).attach(page)
    page.goto(out.as_uri())
    stem = page.locator(".change[data-field='stem'][data-lang='en'] .text")
    assert "".join(stem.locator("del").all_inner_texts()) == "Where do most bicycle thefts happen?"
    assert "".join(stem.locator("ins").all_inner_texts()) == HOSTILE
    removed = page.locator(".change[data-path='quiz preparation › question prep-q3'][data-lang='nl'] del")
    assert removed.inner_text() == "Alleen de politie kan ingrijpen in de voorbereiding."
    assert page.evaluate("document.scripts.length") == 0
    assert page.locator("table.decks tbody tr").count() == 12
    watch.assert_clean()
    page.close()


def with_extra_lesson(tmp_path: Path) -> Path:
    """v1 with a third lesson (and its quiz), a longer first lesson and prep-q3's answer turned round."""
    course = tmp_path / "extra"
    shutil.copytree(V1, course)
    lesson = (course / "modules" / "02-activity.yaml").read_text(encoding="utf-8")
    (course / "modules" / "03-extra.yaml").write_text(
        lesson.replace("id: activity", "id: extra").replace("act-order", "extra-order")
        .replace("quiz: activity", "quiz: extra").replace("De diefstal", "Het vervolg")
        .replace("The theft", "The aftermath"), encoding="utf-8")
    quiz = (course / "quizzes" / "02-activity.yaml").read_text(encoding="utf-8")
    (course / "quizzes" / "03-extra.yaml").write_text(
        quiz.replace("id: activity", "id: extra").replace("lesson: activity", "lesson: extra")
        .replace("act-order", "extra-order").replace("act-q1", "extra-q1"), encoding="utf-8")
    first = course / "modules" / "01-preparation.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("duration: 30", "duration: 35"), encoding="utf-8")
    quiz_file = course / "quizzes" / "01-preparation.yaml"
    quiz_file.write_text(quiz_file.read_text(encoding="utf-8").replace("    answer: false", "    answer: true"),
                         encoding="utf-8")
    return course


def test_lessons_added_and_removed_and_values_that_every_language_shares(tmp_path: Path) -> None:
    extra = with_extra_lesson(tmp_path)
    forward = diff_json(V1, extra)
    assert as_rows(forward) == [
        ("changed", [["lesson", "preparation"]], "duration", None, "30", "35"),
        ("changed", [["quiz", "preparation"], ["question", "prep-q3"]], "answer", None, "false", "true"),
        ("added", [["lesson", "extra"]], None, "nl", None, "Het vervolg"),
        ("added", [["lesson", "extra"]], None, "en", None, "The aftermath"),
        ("added", [["quiz", "extra"]], None, None, None, "extra"),
    ]
    decks = {d["deck"]: d for d in forward["decks"]}
    assert decks["pptx/en-enforcement/03-extra.pptx"]["added"] == list(range(1, 8))  # one slide per quiz question
    answer = forward["changes"][1]["touches"]["pptx"]
    # The answer slide marks the right answer: that slide, in every language.
    assert {d["deck"].split("/")[1] for d in answer} == {"en-enforcement", "en-prevention", "nl-enforcement",
                                                         "nl-prevention"}
    backward = diff_json(extra, V1)
    assert [(c["change"], c["path"]) for c in backward["changes"]][-3:] == [
        ("removed", [["lesson", "extra"]]), ("removed", [["lesson", "extra"]]), ("removed", [["quiz", "extra"]])]
    gone = {d["deck"]: d for d in backward["decks"]}["pptx/nl-prevention/03-extra.pptx"]
    assert gone["removed"] == list(range(1, 8)) and gone["changed"] == gone["added"] == []


def test_every_package_that_holds_the_site_is_known_to_the_diff() -> None:
    """A package with the site inside is touched when the site is; a new one must be listed."""
    import inspect

    from generator import targets
    from generator.governance.touches import HOLD_THE_SITE

    wrapping = {kind for kind in targets.kinds() if kind != "site"
                and "site_files(" in inspect.getsource(inspect.getmodule(type(targets.load_target(kind))))}
    assert wrapping == set(HOLD_THE_SITE)
