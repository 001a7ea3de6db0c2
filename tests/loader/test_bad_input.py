"""Every kind of bad input an author can write gives one exact message at one exact place.

Each case edits a copy of the minimal fixture course, runs the real CLI, and pins the message line,
exit code 1, and the absence of a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_modgen

LESSON = "modules/01-preparation.yaml"
QUIZ = "quizzes/01-preparation.yaml"


def replace(path: str, old: str, new: str, count: int = 1):
    def edit(root: Path) -> None:
        p = root / path
        text = p.read_text(encoding="utf-8")
        assert old in text, f"fixture changed: {old!r} not in {path}"
        p.write_text(text.replace(old, new, count), encoding="utf-8")
    return edit


def write(path: str, content: bytes):
    def edit(root: Path) -> None:
        (root / path).write_bytes(content)
    return edit


ALIAS_BOMB = b"""id: bomb
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""

CASES = {
    "syntax-error": (
        replace(LESSON, "duration: 30", "duration: [30"),
        "modules/01-preparation.yaml:5:10: YAML syntax error: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence)"),
    "tab-indentation": (
        replace(LESSON, "  - id: prep-explain", "\t- id: prep-explain"),
        "modules/01-preparation.yaml:10:1: tab character used for indentation — YAML allows only spaces for "
        "indentation"),
    "duplicate-key": (
        replace(LESSON, "duration: 30\n", "duration: 30\nduration: 45\n"),
        "modules/01-preparation.yaml:5:1: duplicate key 'duration' (first defined on line 4) — YAML keeps only "
        "one of them; remove or rename one"),
    "unknown-field": (
        replace(LESSON, "objectives:", "objectivs:"),
        "modules/01-preparation.yaml:9:1: unknown field 'objectivs' — did you mean 'objectives'?"),
    "wrong-type": (
        replace(LESSON, "duration: 30", "duration: half an hour"),
        "modules/01-preparation.yaml:4:11: duration: Input should be a valid integer, unable to parse string "
        "as an integer"),
    "missing-required-field": (
        replace(LESSON, "duration: 30\n", ""),
        "modules/01-preparation.yaml:1:1: missing required field 'duration'"),
    "missing-field-in-list-item": (
        replace(QUIZ, "    objective: prep-explain\n    source: example-study\n    stem:\n      nl: Waar",
                "    source: example-study\n    stem:\n      nl: Waar"),
        "quizzes/01-preparation.yaml:5:5: missing required field 'objective' in questions.0"),
    "unknown-reference": (
        replace(LESSON, "actor: municipality", "actor: mayor"),
        "modules/01-preparation.yaml:69:5: unknown actor 'mayor' — known: municipality, police"),
    "objective-without-question": (
        replace(QUIZ, "objective: prep-intervene", "objective: prep-explain", 2),
        "modules/01-preparation.yaml:15:5: objective 'prep-intervene' is not assessed by any question — add a "
        "question with 'objective: prep-intervene'"),
    "wrong-number-of-correct-options": (
        replace(QUIZ, "      - id: b\n        text: {nl: Bij scholen",
                "      - id: b\n        correct: true\n        text: {nl: Bij scholen"),
        "quizzes/01-preparation.yaml:12:5: single-choice question 'prep-q1' has 2 correct options; it needs "
        "exactly 1 — use type: multiple for more than one correct answer"),
    "missing-translation": (
        replace(LESSON, "      en: Explain which steps come before a theft.\n", ""),
        "modules/01-preparation.yaml:12:5: missing translation: no 'en' text"),
    "plain-string-in-bilingual-course": (
        replace(LESSON, "title: {nl: De voorbereiding, en: Preparation}", "title: De voorbereiding"),
        "modules/01-preparation.yaml:2:1: missing translation: plain text in a course in nl, en — write it as "
        "{nl: …, en: …}"),
    "latin-1-file": (
        write(LESSON, "id: preparation\ntitle: {nl: Caf\u00e9, en: Cafe}\n".encode("latin-1")),
        "modules/01-preparation.yaml:2:16: file is not UTF-8 (byte 0xe9 cannot be decoded) — save the file as "
        "UTF-8; it looks like Latin-1 or Windows-1252"),
    "empty-file": (
        write(LESSON, b"# nothing yet\n\n"),
        "modules/01-preparation.yaml:1:1: file is empty — a course file must hold a mapping of fields"),
    "alias-bomb": (
        write(LESSON, ALIAS_BOMB),
        "modules/01-preparation.yaml:7:1: file expands to more than 200,000 values (aliases that repeat "
        "aliases?) — write the content out without nested aliases"),
    "top-level-list": (
        write(LESSON, b"- id: preparation\n- title: x\n"),
        "modules/01-preparation.yaml:1:1: the top level must be a mapping of fields, but this file holds a "
        "list — is this a course YAML file?"),
    "not-yaml-at-all": (
        write(LESSON, b"This is a note to myself about the lesson.\nNothing structured here.\n"),
        "modules/01-preparation.yaml:1:1: the top level must be a mapping of fields, but this file holds plain "
        "text — is this a course YAML file?"),
    "comma-inside-flow-mapping": (
        replace(QUIZ, 'feedback: {nl: "Klopt, dat blijkt uit de studie."', "feedback: {nl: Klopt, dat blijkt"),
        "quizzes/01-preparation.yaml:16:19: questions.0.options.0.feedback: 'dat blijkt' is not a language "
        "code; a comma or colon inside {nl: …, en: …} splits the text — put the text in quotes"),
    "unknown-question-type": (
        replace(QUIZ, "type: single", "type: essay"),
        "quizzes/01-preparation.yaml:6:11: unknown question type 'essay' — use one of 'single', 'multiple', "
        "'true-false', 'matching', 'ordering'"),
    "duplicate-question-id": (
        replace(QUIZ, "id: prep-q2", "id: prep-q1"),
        "quizzes/01-preparation.yaml:26:5: duplicate question id 'prep-q1' (first used at "
        "quizzes/01-preparation.yaml:5)"),
    "unknown-source-key": (
        replace(LESSON, "sources: [example-study]", "sources: [exampel-study]"),
        "modules/01-preparation.yaml:25:15: unknown source 'exampel-study' — did you mean 'example-study'?"),
    "finding-without-source": (
        replace(LESSON, "    basis: implication\n    source: example-study\n", "    basis: implication\n"),
        "modules/01-preparation.yaml:71:5: an intervention point with basis 'implication' needs a 'source' — "
        "cite where the study says it, or mark it 'derived'"),
    "invalid-id": (
        replace(LESSON, "id: preparation\n", "id: Preparation Phase\n"),
        "modules/01-preparation.yaml:1:5: id: String should match pattern '^[a-z0-9][a-z0-9_.-]*$' — ids use "
        "lower-case letters, digits, '-', '_' and '.'"),
    "unsupported-language": (
        replace("course.yaml", "languages: [nl, en]", "languages: [nl, en, de]"),
        "course.yaml:10:21: language 'de' is not supported by the generator's built-in texts — supported: nl, en"),
    "control-character": (
        replace(LESSON, "nl: Hoe een dief zich voorbereidt, en waar je kunt ingrijpen.", 'nl: "Hoe een\\u202e dief"'),
        "modules/01-preparation.yaml:7:7: text contains the invisible control character U+202E — remove it; "
        "it can hide or reorder text in the output"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_pinned(case: str, course_copy) -> None:
    edit, expected = CASES[case]
    root = course_copy("minimal")
    edit(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert expected in lines, "\n".join(lines)


def test_all_problems_at_once_sorted(course_copy) -> None:
    root = course_copy("minimal")
    replace(LESSON, "objectives:", "objectivs:")(root)
    replace(QUIZ, "type: single", "type: essay")(root)
    replace("course.yaml", "pass_mark: 60", "pass_mark: sixty")(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1
    problem_lines = [l for l in result.stderr.splitlines() if l[:1] in "cmq" and ".yaml:" in l]
    assert [l.split(":")[0] for l in problem_lines] == [
        "course.yaml", "modules/01-preparation.yaml", "quizzes/01-preparation.yaml"]
    assert result.stderr.splitlines()[-1] == "Validation aborted with 3 errors."


def test_strict_turns_warnings_into_errors(course_copy) -> None:
    root = course_copy("minimal")
    replace(QUIZ, "      - id: c\n        text: {nl: Een boete", "      - id: c\n        correct: true\n"
            "        text: {nl: Een boete")(root)
    lenient = run_modgen("validate", root)
    assert lenient.returncode == 0, lenient.stderr
    assert "warning: every option of multiple-response question 'prep-q2' is correct" in lenient.stderr
    strict = run_modgen("validate", "--strict", root)
    assert strict.returncode == 1
    assert "every option of multiple-response question 'prep-q2' is correct" in strict.stderr
    assert "warning:" not in strict.stderr
