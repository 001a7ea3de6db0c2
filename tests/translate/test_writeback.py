"""Writing translations into a course file: the changed values and nothing else, in any layout."""

from __future__ import annotations

import difflib
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.loader.yaml_source import read_yaml
from generator.translate.writeback import Change, WritebackError, rewrite, rewrite_file
from tests.conftest import FIXTURES


def data(text: str):
    doc, problems = read_yaml(None, "t.yaml", text.encode("utf-8"))
    assert doc is not None and not problems, problems
    return doc.data


def changed(before: str, after: str) -> list[str]:
    """Lines removed or added, as ``git diff`` shows them."""
    return [l for l in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if l[:1] in "+-" and not l.startswith(("+++", "---"))]


def test_another_layout_keeps_its_indentation_and_wrapped_quotes() -> None:
    """The stress fixture indents lists at column 0 and wraps quoted strings: ruamel.yaml alone
    would rewrite most of the file."""
    text = (FIXTURES / "stress/quizzes/01-garden.yaml").read_text(encoding="utf-8")
    after = rewrite(text, [Change(("questions", 0, "options", 1, "feedback"), "en", "Short: new feedback"),
                           Change(("questions", 0, "options", 1, "text"), "nl", "Optie 2")], "q.yaml")
    old = ("        what they harvested in the shared notebook, tidy the tool shed, and'\n"
           "    feedback:\n"
           "      en: Feedback Volunteers water the beds in the early morning, check the ra\n"
           "  - id: o3\n")
    assert old in text  # first in question 0, which the changes are for
    # The new Dutch is quoted like the English beside it; nothing else moves.
    assert after == text.replace(old, "        what they harvested in the shared notebook, tidy the tool shed, and'\n"
                                      "      nl: 'Optie 2'\n"
                                      "    feedback:\n"
                                      "      en: 'Short: new feedback'\n"
                                      "  - id: o3\n", 1)
    expected = data(text)
    expected["questions"][0]["options"][1]["feedback"]["en"] = "Short: new feedback"
    expected["questions"][0]["options"][1]["text"]["nl"] = "Optie 2"
    assert data(after) == expected


def test_a_wrapped_quoted_text_is_replaced_whole() -> None:
    text = (FIXTURES / "stress/quizzes/01-garden.yaml").read_text(encoding="utf-8")
    after = rewrite(text, [Change(("questions", 0, "stem"), "en", "Which is right?")], "q.yaml")
    lines = changed(text, after)
    assert lines[-1] == "+    en: 'Which is right?'" and len(lines) == 7  # six lines out, one in, quoted as before


def test_comments_blank_lines_and_flow_mappings() -> None:
    text = ("# head\n"
            "name: {nl: Activiteit, en: Activity}  # the phase\n"
            "body:\n"
            "  nl: |\n"
            "    Regel.\n"
            "  en: |\n"
            "    Line.\n"
            "\n"
            "  # a comment after a blank line\n"
            "note:\n"
            "  nl: Kort  # keep me\n"
            "  en: Short  # and me\n")
    after = rewrite(text, [Change(("name",), "en", "Activity, the core"), Change(("name",), "de", "yes"),
                           Change(("body",), "en", "Line one.\n\nLine two.\n"),
                           Change(("note",), "en", "no")], "t.yaml")
    assert after == ("# head\n"
                     "name: {nl: Activiteit, en: 'Activity, the core', de: 'yes'}  # the phase\n"
                     "body:\n"
                     "  nl: |\n"
                     "    Regel.\n"
                     "  en: |\n"
                     "    Line one.\n"
                     "\n"
                     "    Line two.\n"
                     "\n"
                     "  # a comment after a blank line\n"
                     "note:\n"
                     "  nl: Kort  # keep me\n"
                     "  en: 'no'  # and me\n")
    assert data(after)["note"]["en"] == "no" and data(after)["name"]["de"] == "yes"  # not booleans


def test_windows_line_ends_and_a_byte_order_mark_stay() -> None:
    raw = "\ufeffid: x\r\ntitle:\r\n  nl: Titel\r\n  en: Title\r\n".encode("utf-8")
    after = rewrite_file(raw, [Change(("title",), "en", "New title")], "t.yaml")
    assert after == "\ufeffid: x\r\ntitle:\r\n  nl: Titel\r\n  en: New title\r\n".encode("utf-8")


def test_a_text_shared_through_an_alias_is_refused() -> None:
    text = "a: &same\n  nl: Ja\n  en: Yes\nb: *same\n"
    with pytest.raises(WritebackError, match="would change other values"):
        rewrite(text, [Change(("a",), "en", "Sure")], "t.yaml")


# Each style an author writes a text in: quoted, | block, >- block, plain, flow mapping.
LESSON = """\
# A lesson in every style.
title:
  nl: "Fase 2: pre-activiteit"
  en: "Phase 2: Pre-activity"
summary:
  nl: >-
    Een nieuw lid meldt zich aan, kijkt rond en leert het forum kennen: waar wat te vinden is,
    welke regels gelden.
  en: >-
    A new member signs up, looks around and gets to know the forum: where things are, which
    rules apply.
sections:
  - id: where
    title:
      nl: Waar staan we?
      en: Where are we?  # asked at the start
    body:
      nl: |
        Het forum bestaat.

        - **Lid:** aanmelden.
      en: |
        The forum exists.

        - **Member:** signing up.
    name: {nl: Activiteit, en: Activity}
"""
PLACES = [("title",), ("summary",), ("sections", 0, "title"), ("sections", 0, "body"), ("sections", 0, "name")]

translation = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp"),
                                    include_characters="\n"), min_size=1, max_size=200).filter(str.strip).map(
    # translate import hands the writer NFC text, as the loader reads it (workflow.py): '豈' (U+F900)
    # would read back as U+8C48 and be refused as a change to the value.
    lambda s: unicodedata.normalize("NFC", s)).filter(str.strip)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), value=translation)
def test_any_translation_reads_back_as_written_and_touches_only_its_value(place, value) -> None:
    after = rewrite(LESSON, [Change(place, "en", value)], "lesson.yaml")
    got = data(after)
    node = got
    for step in place:
        node = node[step]
    written = node["en"]
    # The value as written, give or take the final line break that a | block keeps.
    assert written.rstrip("\n") == value.rstrip("\n")
    before = data(LESSON)
    target = before
    for step in place:
        target = target[step]
    target["en"] = written
    assert got == before
    # Lines outside the value are the author's: the comments and the Dutch beside it stay. (An
    # added line may start with '#': inside a block the value's own text can.)
    assert not any(l[1:].lstrip().startswith(("nl:", "#")) for l in changed(LESSON, after) if l[0] == "-")
    assert "# asked at the start" in after
