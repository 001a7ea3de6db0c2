"""GIFT: every file parses with the real GIFT parser (npm gift-pegjs) and carries the bank unchanged."""

from __future__ import annotations

import json
import random
import subprocess

import pytest
from lxml import html

from generator.targets import gift, quizbank
from tests.conftest import FIXTURES, ROOT, need_node_module, run_modgen
from tests.targets.bank import category_path, courses, expected, load, norm, views

PARSE = """
const {parse} = require('gift-pegjs');
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', d => input += d);
process.stdin.on('end', () => {
  try { process.stdout.write(JSON.stringify(parse(input))); }
  catch (e) { process.stderr.write(`${e.location ? e.location.start.line + ':' + e.location.start.column + ': ' : ''}${e.message}`); process.exit(1); }
});
"""


def parse_gift(text: str) -> list[dict]:
    """``text`` through gift-pegjs; a parse error fails the test with its location."""
    modules = need_node_module("gift-pegjs").parent
    result = subprocess.run(["node", "-e", PARSE], input=text, capture_output=True, text=True,
                            env={"NODE_PATH": str(modules), "PATH": "/usr/bin:/bin:/usr/local/bin"}, cwd=ROOT)
    assert result.returncode == 0, f"gift-pegjs: {result.stderr}"
    return json.loads(result.stdout)


def _text(formatted: dict | None) -> str:
    if not formatted or not formatted["text"]:
        return ""
    assert formatted["format"] == "html"
    return norm(html.fragment_fromstring(formatted["text"], create_parent="div").text_content())


#: gift-pegjs leaves its escape placeholders in matching responses (PlainText skips its decoder);
#: Moodle decodes them there like everywhere else, so the test decodes them as Moodle does.
PLACEHOLDERS = {"&&092;": "\\", "&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}",
                "&&126;": "~"}


def _subanswer(text: str) -> str:
    for placeholder, char in PLACEHOLDERS.items():
        text = text.replace(placeholder, char)
    return text


def _general(question: dict) -> tuple[str, dict[str, str]]:
    """The explanation and the per-pair/per-step notes that follow it in the general feedback."""
    root = html.fragment_fromstring(question["globalFeedback"]["text"], create_parent="div")
    notes = {}
    for li in root.iter("li"):
        name = li.find("strong").text_content()
        notes[norm(name)] = norm(li.text_content()[len(name) + 2:])
    return norm(root.find("p").text_content()), notes


def to_bank(question: dict, lang: str) -> dict:
    """A parsed GIFT question back into the shape of tests.targets.bank.expected."""
    explanation, notes = _general(question)
    entry = {"stem": _text(question["stem"]), "explanation": explanation}
    kind = question["type"]
    if kind == "MC":
        choices = question["choices"]
        weighted = [c["weight"] for c in choices]
        if any(w is not None for w in weighted):
            assert all(w is not None for w in weighted)
            assert abs(sum(w for w in weighted if w > 0) - 100) < 0.001
            assert abs(sum(w for w in weighted if w < 0) + 100) < 0.001
            entry["kind"] = "multiple"
            entry["answers"] = sorted((_text(c["text"]), c["weight"] > 0, _text(c["feedback"])) for c in choices)
        else:
            assert sum(c["isCorrect"] for c in choices) == 1
            entry["kind"] = "single"
            entry["answers"] = sorted((_text(c["text"]), c["isCorrect"], _text(c["feedback"])) for c in choices)
    elif kind == "TF":
        # Moodle's GIFT: the first feedback is for the wrong answer, the second for the right one
        # (gift-pegjs calls them trueFeedback and falseFeedback by position only).
        wrong, right = _text(question["trueFeedback"]), _text(question["falseFeedback"])
        answer = question["isTrue"]
        entry.update(kind="true-false", answer=answer,
                     feedback_true=right if answer else wrong, feedback_false=wrong if answer else right)
    else:
        assert kind == "Matching"
        pairs = [(_text(p["subquestion"]), _subanswer(p["subanswer"])) for p in question["matchPairs"]]
        positions = [gift.catalog("position", lang, n=n) for n in range(1, len(pairs) + 1)]
        if [r for _, r in pairs] == positions:  # ordering, exported as matching to positions
            entry.update(kind="ordering", steps=[(premise, notes[premise]) for premise, _ in pairs])
        else:
            entry.update(kind="matching", pairs=sorted((p, r, notes[p]) for p, r in pairs))
    return entry


def files():
    for name, path in courses():
        for course, lang, audience in views(path):
            yield pytest.param(course, lang, audience, id=f"{name}-{lang}-{audience}")


@pytest.mark.node
@pytest.mark.parametrize("course,lang,audience", list(files()))
def test_parses_with_gift_pegjs_and_round_trips(course, lang, audience) -> None:
    parsed = parse_gift(gift.build_gift(course, lang, audience))
    modules = quizbank.modules(course, lang)
    assert [q["title"] for q in parsed if q["type"] == "Category"] == \
        [category_path(course, lang, audience, m.title) for m in modules]
    questions = [q for q in parsed if q["type"] != "Category"]
    assert len(questions) == sum(len(m.questions) for m in modules)
    back = {}
    for q in questions:
        assert q["id"].startswith(f"{course.id}.{lang}.")
        back[q["id"].rsplit(".", 1)[1]] = to_bank(q, lang)
    assert back == expected(course, lang)


@pytest.mark.node
def test_escaping_survives_any_mix_of_special_characters() -> None:
    rng = random.Random(6)
    alphabet = "ab ~=#{}:\\[]%->&<>\"'éëïü"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))).strip() or "x" for _ in range(150)]
    questions = []
    for i, text in enumerate(texts):
        answers = (quizbank.Answer("a", text, True, text), quizbank.Answer("b", "b" + text, False, text + "b"))
        q = quizbank.BankQuestion(f"q{i}", "single", text, text, answers=answers)
        questions.append(gift.build_question(q, f"x.q{i}", "en"))
    parsed = parse_gift("\n\n".join(questions) + "\n")
    assert len(parsed) == len(texts)
    for text, q in zip(texts, parsed):
        want = norm(text)
        assert _text(q["stem"]) == want
        assert [(_text(c["text"]), c["isCorrect"], _text(c["feedback"])) for c in q["choices"]] == \
            [(want, True, want), (norm("b" + text), False, norm(text + "b"))]


def test_escape_marks_every_special_character() -> None:
    assert gift.escape("a\\b~c=d#e{f}g:h") == "a\\\\b\\~c\\=d\\#e\\{f\\}g\\:h"
    assert gift.html("A & <b> é") == "A &amp; &lt;b&gt; é"


def test_true_false_feedback_order_follows_moodle() -> None:
    course = load(FIXTURES / "minimal")
    text = gift.build_gift(course.for_audience("prevention"), "en", "prevention")
    # prep-q3: the answer is false; the first feedback goes to learners who answered true (wrong).
    assert "{\nF#No, the municipality can act too.#Right, the municipality can act too.\n" in text


def test_cli_writes_quiz_gift(tmp_path) -> None:
    out = tmp_path / "out"
    run_modgen("build", FIXTURES / "minimal", "-o", out, "--format", "gift", check=True)
    found = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.gift"))
    assert found == [f"gift/{l}-{a}/quiz.gift" for l in ("en", "nl") for a in ("enforcement", "prevention")]
