"""The catalogue of broken and hostile course variants.

Each case is an edit of a copy of the minimal fixture course and the exact line ``modgen validate``
must print for it (file, line, column, message, hint). ``test_catalogue.py`` runs them all through
the real CLI. Add a case here for every new kind of bad input.
"""

from __future__ import annotations

from pathlib import Path

import os

from generator.icons import NAMES as ICONS

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
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    return edit


def symlink(path: str, target: str):
    """``path`` in the course becomes a link to ``target`` (relative to the course's parent)."""
    def edit(root: Path) -> None:
        outside = root.parent / target
        outside.parent.mkdir(parents=True, exist_ok=True)
        if not outside.exists():
            outside.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        link = root / path
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists():
            link.unlink()
        os.symlink(outside, link)
    return edit


def both(*edits):
    def edit(root: Path) -> None:
        for e in edits:
            e(root)
    return edit


def branding(yaml_text: str):
    return replace("course.yaml", "pass_mark: 60\n", "pass_mark: 60\nbranding:\n" + yaml_text)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def png_header(width: int, height: int) -> bytes:
    """The first bytes of a PNG declaring ``width`` × ``height`` pixels (no pixel data follows)."""
    import struct
    import zlib

    ihdr = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
            + b"\0\0\0\0IEND\xaeB`\x82")


def jpeg_header(width: int, height: int) -> bytes:
    """The first bytes of a baseline JPEG declaring ``width`` × ``height`` pixels."""
    import struct

    return (b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\1\1\0\0\1\0\1\0\0"
            + b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\1\x11\0" + b"\xff\xd9")
DEEP = b"id: deep\nx: " + b"[" * 60 + b"]" * 60 + b"\n"
# The pure-Python composer overflowed Python's stack near a thousand levels ("internal error").
DEEP_FLOW = b"id: deep\nx: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"
DEEP_BLOCK = b"id: deep\n" + b"".join(b" " * i + b"k:\n" for i in range(1500)) + b" " * 1500 + b"v\n"
MANY_QUESTIONS = ("id: preparation\nlesson: preparation\nquestions:\n" + "".join(
    f"  - {{id: q{i}, type: true-false, objective: prep-explain, source: example-study, stem: {{nl: a, en: a}}, "
    f"answer: true, feedback_true: {{nl: a, en: a}}, feedback_false: {{nl: a, en: a}}, "
    f"explanation: {{nl: a, en: a}}}}\n" for i in range(1001))).encode()


def template_with(members: dict[str, bytes], level: int = 9) -> bytes:
    """The default deck template with ``members`` added (deflated at ``level``)."""
    import io
    import zipfile

    from generator.targets.deck.template import DEFAULT_TEMPLATE

    buf = io.BytesIO()
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED,
                                                                    compresslevel=level) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
        for name, data in members.items():
            out.writestr(name, data)
    return buf.getvalue()


def template_case(members: dict[str, bytes]):
    return both(branding("  template: branding/org.pptx\n"), lambda root: write("branding/org.pptx",
                                                                                template_with(members))(root))


ALIAS_BOMB = b"""id: bomb
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""

# 120 kB: one text of 100,000 characters repeated by 5,000 aliases — 500 MB of text once expanded,
# within the budget of values (5,002).
ALIAS_TEXT_BOMB = ("id: preparation\nsummary: &t " + "x" * 100_000 + "\nnotes: [" + ", ".join(["*t"] * 5000)
                   + "]\n").encode()
# 1.2 MB of text written out, no alias: under the file size limit, over a lesson's text budget.
LONG_LESSON = ("id: preparation\n" + "".join(f"text{i}: {'y' * 190_000}\n" for i in range(6))).encode()

# translations.lock in the line format modgen writes, but of 17 MB.
HUGE_LOCK = b"source: nl\nen:\n" + b"".join(b'  lesson:x/sections/s%d/body: "0123456789abcdef"\n' % i
                                               for i in range(400_000))


def quiz_questions(*questions: str):
    """Questions (flow-style YAML, one a line) added at the top of the minimal course's first quiz."""
    return replace(QUIZ, "questions:\n", "questions:\n" + "".join(f"  - {q}\n" for q in questions))


def single(qid: str, key: tuple[str, str], *others: tuple[str, str]) -> str:
    """A single-choice question whose first option is the key; texts as (nl, en)."""
    options = ", ".join(
        f"{{id: {chr(ord('a') + i)}, {'correct: true, ' if i == 0 else ''}text: {{nl: '{nl}', en: '{en}'}}, "
        f"feedback: {{nl: x, en: x}}}}" for i, (nl, en) in enumerate((key, *others)))
    return (f"{{id: {qid}, type: single, objective: prep-explain, source: example-study, "
            f"stem: {{nl: Waar?, en: Where?}}, options: [{options}], explanation: {{nl: x, en: x}}}}")


def true_false(qid: str, answer: bool) -> str:
    return (f"{{id: {qid}, type: true-false, objective: prep-explain, source: example-study, "
            f"stem: {{nl: Stelling {qid}., en: Statement {qid}.}}, answer: {str(answer).lower()}, "
            "feedback_true: {nl: x, en: x}, feedback_false: {nl: x, en: x}, explanation: {nl: x, en: x}}")


# Item-writing warnings (generator/checks_items.py): ``validate`` prints them, ``--strict`` fails.
# Each case breaks one rule of docs/authoring.md, "Writing good questions".
ITEM_WRITING_CASES = {
    "longest-key": (
        quiz_questions(*(single(f"long-q{i}", ("Bij het drukke station", "Near the busy station"), ("Thuis", "At home"),
                                ("Op school", "At school"))
                         for i in range(3))),
        "quizzes/01-preparation.yaml:4:1: warning: quiz 'preparation': the correct option is the longest in 4 of 4 "
        "single-choice questions (nl; chance gives about 1.3) — a learner who picks the longest option scores: write "
        "options of comparable length and form (rule 'longest-key')"),
    "key-position": (
        # With these ids the shuffle shows the key (option a) first every time.
        quiz_questions(*(single(f"pos-q{i}", ("Eerste", "First"), ("Tweede", "Other"))
                         for i in (0, 1, 2, 5, 8, 9))),
        "quizzes/01-preparation.yaml:4:1: warning: quiz 'preparation': the correct option is shown as A in 7 of 7 "
        "single-choice questions (chance gives about 3.3) — every output shows options in one order mixed by the "
        "question and option ids (generator/shuffle.py): rename an option id to move a key (rule 'key-position')"),
    "truth-value": (
        quiz_questions(*(true_false(f"tf-q{i}", False) for i in range(5))),
        "quizzes/01-preparation.yaml:4:1: warning: quiz 'preparation': 6 of 6 true/false questions have the answer "
        "'false' — a learner who always answers the same scores: rewrite some statements so that the other answer is "
        "right (rule 'truth-value')"),
    "stem-clue": (
        replace(QUIZ, "text: {nl: Bij stations, en: Near stations}", "text: {nl: Bij stations, en: Near stations where bicycles "
                "stand}"),
        "quizzes/01-preparation.yaml:15:9: warning: question 'prep-q1': the correct option repeats the stem's "
        "'bicycle' and no other option does (en) — a learner can match words instead of understanding: reword the "
        "key, or let a distractor use the word too (rule 'stem-clue')"),
    "negative-stem": (
        replace(QUIZ, "nl: Waar gebeuren de meeste fietsdiefstallen?", "nl: Waar gebeuren fietsdiefstallen niet?"),
        "quizzes/01-preparation.yaml:9:5: warning: question 'prep-q1': the stem is negative ('niet') without "
        "emphasis (nl) — word it positively, or make the negation stand out: **niet** or NIET (rule 'negative-stem')"),
    "all-none-above": (
        replace(QUIZ, "text: {nl: Thuis, en: At home}", "text: {nl: Thuis, en: None of the above}"),
        "quizzes/01-preparation.yaml:21:9: warning: question 'prep-q1': option 'c' is 'None of the above' (en) — "
        "options are shown in a mixed order, and recognising a non-answer tests nothing: write a plausible option "
        "instead (rule 'all-none-above')"),
    "short-distractor": (
        replace(QUIZ, "text: {nl: Bij stations, en: Near stations}",
                "text: {nl: Bij stations, en: At railway stations and at the bus stations next to them}"),
        "quizzes/01-preparation.yaml:18:9: warning: question 'prep-q1': option 'b' has 2 words, less than half of "
        "the correct option's 11 (en) — a short distractor is easy to rule out: write it as completely as the key "
        "(rule 'short-distractor')"),
    "scored-check": (
        replace(QUIZ, "  - id: prep-q1\n    type: single\n", "  - id: prep-q1\n    type: single\n    check: true\n"),
        "quizzes/01-preparation.yaml:7:5: warning: question 'prep-q1' is an in-lesson check and a scored quiz "
        "item: learners meet it, with its answer, before the quiz — write a separate check item with 'scored: "
        "false', and keep this one for the quiz (rule 'scored-check')"),
}


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
        "quizzes/01-preparation.yaml:5:5: missing required field 'objective' in question 1 'prep-q1'"),
    "unknown-reference": (
        replace(LESSON, "actor: municipality", "actor: mayor"),
        "modules/01-preparation.yaml:69:5: unknown actor 'mayor' — known: municipality, police"),
    "unknown-icon": (
        replace("course.yaml", "{nl: Politie, en: Police}\n", "{nl: Politie, en: Police}\n    icon: sheild\n"),
        f"course.yaml:33:11: unknown icon 'sheild' (known: {', '.join(ICONS)}) — did you mean 'shield'?"),
    "unknown-icon-path": (
        replace("course.yaml", "{nl: Politie, en: Police}\n", "{nl: Politie, en: Police}\n    icon: ../../LICENSE\n"),
        f"course.yaml:33:11: unknown icon '../../LICENSE' (known: {', '.join(ICONS)})"),
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
        "modules/01-preparation.yaml:12:5: missing translation: no 'en' text in 'text'"),
    "plain-string-in-bilingual-course": (
        replace(LESSON, "title: {nl: De voorbereiding, en: Preparation}", "title: De voorbereiding"),
        "modules/01-preparation.yaml:2:1: missing translation: no 'en' text — a plain text is in nl, the course's "
        "first language; write it as {nl: …, en: …}"),
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
    "alias-text-bomb": (
        write(LESSON, ALIAS_TEXT_BOMB),
        "modules/01-preparation.yaml:3:1: file holds more than 1,000,000 characters of text once its aliases are "
        "expanded — split it into smaller lessons, and write repeated text out instead of repeating an alias"),
    "lesson-text-over-budget": (
        write(LESSON, LONG_LESSON),
        "modules/01-preparation.yaml:7:1: file holds more than 1,000,000 characters of text once its aliases are "
        "expanded — split it into smaller lessons, and write repeated text out instead of repeating an alias"),
    "translations-lock-too-large": (
        write("translations.lock", HUGE_LOCK),
        "translations.lock:1:1: file is 21,088,905 bytes, more than the limit of 16,777,216 — run 'modgen "
        "translate confirm' to write the lock again"),
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
        "quizzes/01-preparation.yaml:16:19: question 1 'prep-q1', option 1 'a', feedback: 'dat blijkt' is not a language "
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
        replace("course.yaml", "languages: [nl, en]", "languages: [nl, en, sv]"),
        "course.yaml:10:21: modgen has no interface strings in 'sv' (it ships nl, en, de, fr) — run 'modgen translate "
        "export --interface --to sv -o sv.po', have it translated, and import it into interface/sv.po"),
    "control-character": (
        replace(LESSON, "nl: Hoe een dief zich voorbereidt, en waar je kunt ingrijpen.", 'nl: "Hoe een\\u202e dief"'),
        "modules/01-preparation.yaml:7:7: text contains the invisible control character U+202E — remove it; "
        "it can hide or reorder text in the output"),

    # --- hostile input: files that try to reach outside the course or exhaust resources ---------
    "template-path-traversal": (
        branding("  template: ../../etc/org.pptx\n"),
        "course.yaml:49:3: '../../etc/org.pptx' points outside the course directory"),
    "template-absolute-path": (
        branding("  template: /etc/org.pptx\n"),
        "course.yaml:49:3: '/etc/org.pptx' is an absolute path; use a path inside the course directory"),
    "template-not-a-zip": (
        both(branding("  template: branding/org.pptx\n"), write("branding/org.pptx", b"<html>not a deck</html>")),
        "course.yaml:49:3: 'branding/org.pptx' is not a real PPTX file"),
    "template-missing": (
        branding("  template: branding/org.pptx\n"),
        "course.yaml:49:3: file 'branding/org.pptx' does not exist"),
    "logo-not-an-image": (
        both(branding("  logo: logo.png\n"), write("logo.png", b"#!/bin/sh\necho hi\n")),
        "course.yaml:49:3: 'logo.png' is not a real PNG file"),
    "logo-damaged-png": (
        both(branding("  logo: logo.png\n"), write("logo.png", PNG)),
        "course.yaml:49:3: 'logo.png' is a damaged PNG image: its size cannot be read"),
    "logo-svg-refused": (
        both(branding("  logo: logo.svg\n"), write("logo.svg", b"<svg onload='alert(1)'/>")),
        "course.yaml:49:3: 'logo.svg' must be one of: .png, .jpg, .jpeg"),
    "logo-symlink-outside": (
        both(branding("  logo: logo.png\n"), symlink("logo.png", "elsewhere/logo.png")),
        "course.yaml:49:3: 'logo.png' points outside the course directory"),
    "logo-too-large": (
        both(branding("  logo: logo.png\n"), write("logo.png", PNG + b"\0" * (21 * 1024 * 1024))),
        "course.yaml:49:3: 'logo.png' is 22,020,168 bytes, more than the limit of 20,971,520"),
    "template-zip-bomb": (
        template_case({"ppt/media/image1.png": bytes(100 * 1024 * 1024)}),
        "course.yaml:49:3: 'branding/org.pptx' unpacks to more than 67,108,864 bytes, the limit (its part "
        "'ppt/media/image1.png' alone is 104,857,600 bytes)"),
    "template-compression-ratio": (
        template_case({"ppt/media/image1.png": bytes(8 * 1024 * 1024)}),
        "course.yaml:49:3: 'branding/org.pptx': its part 'ppt/media/image1.png' unpacks 8,388,608 bytes from "
        "8,157, more than 100 times its size (a zip bomb?)"),
    "template-too-many-parts": (
        template_case({f"customXml/item{i}.xml": b"" for i in range(4_000)}),
        "course.yaml:49:3: 'branding/org.pptx' holds 4,036 files, more than the limit of 4,000"),
    "logo-100000-pixels-square": (
        both(branding("  logo: logo.png\n"), write("logo.png", png_header(100_000, 100_000))),
        "course.yaml:49:3: 'logo.png' is 100,000 × 100,000 pixels, more than the limit of 16,384 pixels a "
        "side — scale it down"),
    "logo-too-many-pixels": (
        both(branding("  logo: logo.png\n"), write("logo.png", png_header(16_000, 16_000))),
        "course.yaml:49:3: 'logo.png' has 256,000,000 pixels (16,000 × 16,000), more than the limit of "
        "40,000,000 — scale it down"),
    "logo-jpeg-too-wide": (
        both(branding("  logo: logo.jpg\n"), write("logo.jpg", jpeg_header(65_000, 10))),
        "course.yaml:49:3: 'logo.jpg' is 65,000 × 10 pixels, more than the limit of 16,384 pixels a side — "
        "scale it down"),
    "logo-jpeg-named-png": (
        both(branding("  logo: logo.png\n"), write("logo.png", jpeg_header(100, 100))),
        "course.yaml:49:3: 'logo.png' is not a real PNG file"),
    "course-file-symlink-outside": (
        symlink("modules/03-evil.yaml", "elsewhere/secret.yaml"),
        "modules/03-evil.yaml:1:1: course file is a link pointing outside the course directory"),
    "huge-file": (
        write(LESSON, b"id: preparation\n# " + b"x" * (3 * 1024 * 1024) + b"\n"),
        "modules/01-preparation.yaml:1:1: file is 3,145,747 bytes, more than the limit of 2,097,152 — split it "
        "into smaller files"),
    "very-long-string": (
        replace(LESSON, "nl: Hoe een dief zich voorbereidt, en waar je kunt ingrijpen.", "nl: " + "a" * 250_000),
        "modules/01-preparation.yaml:7:7: text of 250,000 characters is longer than the limit of 200,000"),
    "deep-nesting": (
        write(LESSON, DEEP),
        "modules/01-preparation.yaml:2:43: values are nested more than 40 levels deep"),
    "deep-nesting-flow-100000": (
        write(LESSON, DEEP_FLOW),
        "modules/01-preparation.yaml:2:43: values are nested more than 40 levels deep"),
    "deep-nesting-block": (
        write(LESSON, DEEP_BLOCK),
        "modules/01-preparation.yaml:42:41: values are nested more than 40 levels deep"),
    "lone-surrogate-escape": (
        replace(LESSON, "nl: Hoe een dief zich voorbereidt, en waar je kunt ingrijpen.",
                'nl: "Hoe een dief \\ud800 zich voorbereidt."'),
        "modules/01-preparation.yaml:7:7: text contains the lone surrogate escape U+D800, which is not a "
        "character — write the character itself, or \\U0001F600 for characters beyond U+FFFF"),
    "integer-5000-digits": (
        replace(LESSON, "duration: 30", "duration: " + "9" * 5000),
        "modules/01-preparation.yaml:4:11: number of 5,000 characters is longer than the limit of 100 — no "
        "course value needs a number this long"),
    "integer-million-digits": (
        replace(LESSON, "duration: 30", "duration: " + "9" * 1_000_000),
        "modules/01-preparation.yaml:4:11: number of 1,000,000 characters is longer than the limit of 100 — no "
        "course value needs a number this long"),
    "float-5000-digits": (
        replace("course.yaml", "pass_mark: 60", "pass_mark: 6." + "0" * 5000),
        "course.yaml:47:12: number of 5,002 characters is longer than the limit of 100 — no "
        "course value needs a number this long"),
    "too-many-questions": (
        write(QUIZ, MANY_QUESTIONS),
        "quizzes/01-preparation.yaml:4:3: questions: List should have at most 1000 items after validation, not "
        "1001"),
    "merge-key": (
        replace(LESSON, "phase: preparation\n", "phase: preparation\nextra: &x {a: 1}\nmore:\n  <<: *x\n"),
        "modules/01-preparation.yaml:6:3: merge keys ('<<') are not supported — write the fields out; course "
        "files are read by people"),
    "two-documents": (
        replace(LESSON, "phase: preparation\n", "phase: preparation\n---\nid: other\n"),
        "modules/01-preparation.yaml:5:1: file holds more than one YAML document — remove the '---' separator"),
    "null-byte-escape": (
        replace(LESSON, "nl: Hoe een dief zich voorbereidt, en waar je kunt ingrijpen.", 'nl: "Hoe\\0 een dief"'),
        "modules/01-preparation.yaml:7:7: text contains the invisible control character U+0000 — remove it; "
        "it can hide or reorder text in the output"),
    "raw-nul-byte": (
        replace(LESSON, "phase: preparation", "phase: prep\0aration"),
        "modules/01-preparation.yaml:3:12: the file contains the control character U+0000, which YAML does not "
        "allow — remove it; is this a text file?"),
    "escape-sequence-in-key": (
        replace(LESSON, "phase: preparation\n", 'phase: preparation\n"x\\e[2J\\x1e": 1\n'),
        "modules/01-preparation.yaml:4:1: unknown field 'x\\u001b[2J\\u001e' — known fields: audiences, id, title, "
        "phase, duration, durations, sensitive, summary, objectives, sections, facts, tables, interventions, "
        "discussion, vignettes, scales, takeaways, quiz, review, notes"),
    "binary-file": (
        write(LESSON, PNG),
        "modules/01-preparation.yaml:1:1: file is not UTF-8 (byte 0x89 cannot be decoded) — save the file as "
        "UTF-8; it looks like Latin-1 or Windows-1252"),
    "complex-key": (
        replace(LESSON, "phase: preparation\n", "phase: preparation\n? [a, b]\n: c\n"),
        "modules/01-preparation.yaml:4:3: a key must be a plain name, not a list or mapping"),
    # --- more content errors -------------------------------------------------------------------
    "pass-mark-out-of-range": (
        replace("course.yaml", "pass_mark: 60", "pass_mark: 150"),
        "course.yaml:47:12: pass_mark: Input should be less than or equal to 100"),
    "list-expected": (
        replace(LESSON, "takeaways:\n  - ", "takeaways: \n  "),
        "modules/01-preparation.yaml:100:3: takeaways: Input should be a valid list"),
    "unknown-bloom-level": (
        replace(LESSON, "bloom: apply", "bloom: memorise"),
        "modules/01-preparation.yaml:16:12: objective 2 'prep-intervene', bloom: Input should be 'remember', 'understand', "
        "'apply', 'analyse', 'evaluate' or 'create', got 'memorise'"),
    "invalid-colour": (
        branding("  colours: {primary: '#12345'}\n"),
        "course.yaml:49:22: branding, colours, primary: String should match pattern '^#[0-9A-Fa-f]{6}$'"),
    "quiz-for-unknown-lesson": (
        replace("quizzes/02-activity.yaml", "lesson: activity", "lesson: activty"),
        "quizzes/02-activity.yaml:2:1: unknown lesson 'activty' — did you mean 'activity'?"),
    "duplicate-lesson-id": (
        replace("modules/02-activity.yaml", "id: activity\n", "id: preparation\n"),
        "modules/02-activity.yaml:1:1: duplicate lesson id 'preparation' (first used at "
        "modules/01-preparation.yaml:1)"),
    "duplicate-option-id": (
        replace(QUIZ, "      - id: b\n        text: {nl: Bij scholen", "      - id: a\n        text: {nl: Bij scholen"),
        "quizzes/01-preparation.yaml:17:9: duplicate answer id 'a' (first used at quizzes/01-preparation.yaml:13)"),
    "unknown-audience": (
        replace(LESSON, "audiences: [prevention]", "audiences: [preventoin]"),
        "modules/01-preparation.yaml:70:17: unknown audience 'preventoin' — did you mean 'prevention'?"),
    "version-as-number": (
        replace("course.yaml", 'version: "0.1"', "version: 0.10"),
        "course.yaml:9:10: version: expected text, got the number 0.1 — put the value in quotes"),
}


# --- figures (issue 28): every bad picture or chart is a located error, never left out ---------

def figure(yaml_text: str, *files: tuple[str, bytes]):
    """The first section of the lesson gets ``figures:`` (line 26; its first item on line 27) with
    ``yaml_text``, and the course the ``files``."""
    return both(replace(LESSON, "    sources: [example-study]\n    body:",
                        "    sources: [example-study]\n    figures:\n" + yaml_text + "    body:"),
                *(write(path, data) for path, data in files))


def body_image(nl: str, en: str, *files: tuple[str, bytes]):
    """Markdown images at the end of the first section's body, after a blank line below its list
    (the Dutch one on line 33, the English one on line 40)."""
    return both(replace(LESSON, "        - winkelcentra\n", "        - winkelcentra\n\n        " + nl + "\n"),
                replace(LESSON, "        - shopping centres\n", "        - shopping centres\n\n        " + en + "\n"),
                *(write(path, data) for path, data in files))


GOOD_PNG = png_header(40, 20)
ALT = "        alt: {nl: Een stalling, en: A bicycle park}\n"

FIGURE_CASES = {
    "figure-image-missing": (
        figure("      - id: park\n        image: images/park.png\n" + ALT),
        "modules/01-preparation.yaml:28:16: file 'images/park.png' does not exist"),
    "figure-image-remote": (
        figure("      - id: park\n        image: https://example.org/park.png\n" + ALT),
        "modules/01-preparation.yaml:28:16: picture 'https://example.org/park.png' is on the internet; a course "
        "shows only files inside its folder — download it into the course (check its licence) and give its path, "
        "e.g. images/x.png"),
    "figure-image-outside": (
        figure("      - id: park\n        image: ../park.png\n" + ALT),
        "modules/01-preparation.yaml:28:16: '../park.png' points outside the course directory"),
    "figure-image-bomb": (
        # 30 bytes of header declaring 100,000 x 100,000 pixels: refused before anything decodes it.
        figure("      - id: park\n        image: images/park.png\n" + ALT, ("images/park.png", png_header(100_000, 100_000))),
        "modules/01-preparation.yaml:28:16: 'images/park.png' is 100,000 × 100,000 pixels, more than the limit of "
        "16,384 pixels a side — scale it down"),
    "figure-image-too-many-pixels": (
        figure("      - id: park\n        image: images/park.png\n" + ALT, ("images/park.png", png_header(9000, 9000))),
        "modules/01-preparation.yaml:28:16: 'images/park.png' has 81,000,000 pixels (9,000 × 9,000), more than the "
        "limit of 40,000,000 — scale it down"),
    "figure-image-too-large-file": (
        figure("      - id: park\n        image: images/park.png\n" + ALT,
               ("images/park.png", GOOD_PNG + b"\0" * (21 * 1024 * 1024))),
        "modules/01-preparation.yaml:28:16: 'images/park.png' is 22,020,141 bytes, more than the limit of "
        "20,971,520"),
    "figure-image-mislabelled": (
        figure("      - id: park\n        image: images/park.jpg\n" + ALT, ("images/park.jpg", GOOD_PNG)),
        "modules/01-preparation.yaml:28:16: 'images/park.jpg' is not a real JPG file"),
    "figure-image-not-an-image": (
        figure("      - id: park\n        image: images/park.png\n" + ALT, ("images/park.png", b"#!/bin/sh\necho hi\n")),
        "modules/01-preparation.yaml:28:16: 'images/park.png' is not a real PNG file"),
    "figure-image-damaged": (
        figure("      - id: park\n        image: images/park.png\n" + ALT, ("images/park.png", PNG)),
        "modules/01-preparation.yaml:28:16: 'images/park.png' is a damaged PNG image: its size cannot be read"),
    "figure-svg-script": (
        figure("      - id: park\n        image: images/park.svg\n" + ALT,
               ("images/park.svg", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2">'
                                   b'<script>alert(1)</script></svg>')),
        "modules/01-preparation.yaml:28:16: 'images/park.svg' holds a script (<script>), which an SVG figure may "
        "not: draw it with shapes and text only"),
    "figure-svg-event-handler": (
        figure("      - id: park\n        image: images/park.svg\n" + ALT,
               ("images/park.svg", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2" onload="x()"/>')),
        "modules/01-preparation.yaml:28:16: 'images/park.svg' has an event handler (onload), which is a script"),
    "figure-svg-external-reference": (
        figure("      - id: park\n        image: images/park.svg\n" + ALT,
               ("images/park.svg", b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
                                   b'xlink" viewBox="0 0 4 2"><use xlink:href="https://example.org/a.svg#x"/></svg>')),
        "modules/01-preparation.yaml:28:16: 'images/park.svg' refers to another file or address "
        "(https://example.org/a.svg#x); an SVG figure must be self-contained"),
    "figure-svg-entities": (
        figure("      - id: park\n        image: images/park.svg\n" + ALT,
               ("images/park.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                   b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"><text>&x;</text></svg>')),
        "modules/01-preparation.yaml:28:16: 'images/park.svg' declares a DOCTYPE or entities; save the SVG "
        "without them (plain SVG)"),
    "figure-image-without-alt": (
        figure("      - id: park\n        image: images/park.png\n", ("images/park.png", GOOD_PNG)),
        "modules/01-preparation.yaml:27:9: section 1 'individual', figure 1 'park': an image needs 'alt': what it shows, for "
        "readers who cannot see it"),
    "figure-alt-missing-language": (
        figure("      - id: park\n        image: images/park.png\n        alt: {nl: Een stalling}\n",
               ("images/park.png", GOOD_PNG)),
        "modules/01-preparation.yaml:29:9: missing translation: no 'en' text in 'alt'"),
    "figure-alt-is-file-name": (
        figure("      - id: park\n        image: images/park.png\n        alt: {nl: park.png, en: A bicycle park}\n",
               ("images/park.png", GOOD_PNG)),
        "modules/01-preparation.yaml:29:15: the alt text is the file name; say what the picture shows"),
    "figure-image-and-chart": (
        figure("      - id: park\n        image: images/park.png\n" + ALT
               + "        chart: {type: bar, categories: [a], series: [{name: {nl: n, en: n}, values: [1]}]}\n",
               ("images/park.png", GOOD_PNG)),
        "modules/01-preparation.yaml:27:9: section 1 'individual', figure 1 'park': a figure has either 'image: path' or "
        "'chart:', not both and not neither"),
    "chart-values-count": (
        figure("      - id: thefts\n        chart:\n          type: column\n          categories: [Station, Centre]\n"
               "          series:\n            - name: {nl: Diefstallen, en: Thefts}\n"
               "              values: [12500, 3400, 7]\n"),
        "modules/01-preparation.yaml:33:15: 3 values for 2 categories: a chart needs one number per category "
        "— categories: Station, Centre"),
    "chart-value-not-a-number": (
        figure("      - id: thefts\n        chart:\n          type: column\n          categories: [Station, Centre]\n"
               "          series:\n            - name: {nl: Diefstallen, en: Thefts}\n"
               "              values: [12500, '3,400']\n"),
        "modules/01-preparation.yaml:33:31: section 1 'individual', figure 1 'thefts', chart, series 1, value 2: expected a number "
        "without quotes or thousands separators, got '3,400'"),
    "chart-pie-two-series": (
        figure("      - id: thefts\n        chart:\n          type: pie\n          categories: [Station, Centre]\n"
               "          series:\n            - {name: {nl: a, en: a}, values: [1, 2]}\n"
               "            - {name: {nl: b, en: b}, values: [3, 4]}\n"),
        "modules/01-preparation.yaml:31:11: a pie chart shows one series, not 2 — use a bar or column chart to "
        "compare series"),
    "markdown-image-remote": (
        body_image("![Een stalling](https://example.org/park.png)", "![A bicycle park](https://example.org/park.png)"),
        "modules/01-preparation.yaml:33:9: picture 'https://example.org/park.png' is on the internet; a course "
        "shows only files inside its folder — download it into the course (check its licence) and give its path, "
        "e.g. images/x.png"),
    "markdown-image-without-alt": (
        body_image("![](images/park.png)", "![A bicycle park](images/park.png)", ("images/park.png", GOOD_PNG)),
        "modules/01-preparation.yaml:33:9: picture 'images/park.png' has no alt text — write what it shows "
        "between the brackets: ![A forum's ranks, from newcomer to administrator](images/ranks.png)"),
    "markdown-image-missing": (
        body_image("![Een stalling](images/park.png)", "![A bicycle park](images/park.png)"),
        "modules/01-preparation.yaml:27:7: file 'images/park.png' does not exist"),
    "markdown-image-differs-per-language": (
        body_image("![Een stalling](images/park.png)", "![A bicycle park](images/other.png)",
                   ("images/park.png", GOOD_PNG), ("images/other.png", GOOD_PNG)),
        "modules/01-preparation.yaml:26:5: the languages of this text show different pictures (nl: images/park.png; "
        "en: images/other.png) — every language shows the same files, in the same order"),
    "markdown-image-outside-a-section": (
        replace(LESSON, "      en: Most thefts happen near stations.",
                "      en: Most thefts happen near stations. ![A station](images/station.png)"),
        "modules/01-preparation.yaml:50:5: a picture in this text would be left out: pictures belong to a section "
        "— move it to a section's body or its 'figures:'"),
}
CASES.update(FIGURE_CASES)

# The ten mistakes authors make most (issue 31), each with a message in plain words at the line
# that holds it; validate also quotes that line with a caret under the column (tests/cli).
CASES.update({
    "missing-colon": (
        replace("course.yaml", 'version: "0.1"', 'version "0.1"'),
        "course.yaml:9:1: missing ':' after the key on this line — write 'key: value' with a space after the "
        "colon; a text over several lines starts with '|' or '>'"),
    "no-correct-option": (
        replace(QUIZ, "      - id: a\n        correct: true\n", "      - id: a\n"),
        "quizzes/01-preparation.yaml:12:5: single-choice question 'prep-q1' has 0 correct options; it needs "
        "exactly 1 — mark the right option with 'correct: true'"),
    "unquoted-no": (
        replace(QUIZ, "text: {nl: Thuis, en: At home}", "text: {nl: Nee, en: No}"),
        "quizzes/01-preparation.yaml:21:29: question 1 'prep-q1', option 3 'c', text (en): the unquoted word 'No' "
        "is read as false, not as text (in YAML, yes/no/on/off/true/false without quotes are true or false) — "
        'put it in quotes: "No"'),
    "impossible-date": (
        replace(LESSON, "duration: 30\n", "duration: 30\nreview:\n  reviewed: 2026-02-30\n"),
        "modules/01-preparation.yaml:6:13: review, reviewed: '2026-02-30' is not a date in the calendar "
        "(YYYY-MM-DD: year, month 01-12, day of that month)"),
})

#: The ten most common author mistakes and the case that pins each one's message.
COMMON_MISTAKES = {
    "tab": "tab-indentation",
    "missing colon": "missing-colon",
    "misspelled key": "unknown-field",
    "no correct option": "no-correct-option",
    "two correct on single choice": "wrong-number-of-correct-options",
    "unknown reference": "unknown-reference",
    "missing translation": "missing-translation",
    "duplicate id": "duplicate-question-id",
    "unquoted No": "unquoted-no",
    "wrong date": "impossible-date",
}
