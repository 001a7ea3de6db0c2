"""What a deck template offers (layouts, placeholders, notes page) is worked out once and kept in
the user's cache: a fresh process reads it instead of going through python-pptx again. A deck
made from the kept analysis must be the deck made without it, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.loader.load import load_course
from generator.targets import deck
from generator.targets.deck import build_deck, template_path
from generator.targets.deck import template as template_module
from tests.conftest import FIXTURES
from tests.targets.test_deck_template import four_by_three_template, use_template

@pytest.fixture
def user_cache(tmp_path, monkeypatch) -> Path:
    """A private user cache folder of this test's own; counts analyses done with python-pptx."""
    folder = tmp_path / "xdg"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("MODGEN_NO_USER_CACHE", raising=False)
    return folder / "modgen" / "deck-templates"


@pytest.fixture
def analyses(monkeypatch) -> list[str]:
    done: list[str] = []
    choose_all = template_module.choose_all

    def spy(prs, shown):
        done.append(shown)
        return choose_all(prs, shown)

    monkeypatch.setattr(template_module, "choose_all", spy)
    return done


def decks(course_dir: Path) -> list[bytes]:
    """A lesson deck and the course deck, as a fresh process makes them (nothing in memory)."""
    deck._prepared.cache_clear()
    course = load_course(course_dir).course.for_audience("enforcement")
    template = template_path(course)
    return [build_deck(course, "en", template, lesson=course.lessons[0], number=1)[0],
            build_deck(course, "en", template)[0]]


def templated_course(tmp_path: Path) -> Path:
    """The minimal course laid out by an organisation's 4:3 template."""
    course = tmp_path / "templated"
    shutil.copytree(FIXTURES / "minimal", course)
    (course / "branding").mkdir()
    use_template(course, four_by_three_template(course / "branding" / "org.pptx"))
    return course


@pytest.mark.parametrize("which", ["default", "organisation"])
def test_the_kept_analysis_gives_the_same_decks(which, course_copy, tmp_path, user_cache, analyses, monkeypatch) -> None:
    course = course_copy("minimal") if which == "default" else templated_course(tmp_path)
    worked_out = decks(course)
    assert len(analyses) == 1 and len(list(user_cache.iterdir())) == 1
    kept = decks(course)
    assert len(analyses) == 1  # read from the user cache, not worked out again
    assert kept == worked_out
    monkeypatch.setenv("MODGEN_NO_USER_CACHE", "1")
    assert decks(course) == worked_out
    assert len(analyses) == 2


def test_another_template_is_not_served_the_kept_analysis(course_copy, tmp_path, user_cache, analyses) -> None:
    decks(course_copy("minimal"))
    templated = templated_course(tmp_path)
    decks(templated)
    assert len(analyses) == 2 and len(list(user_cache.iterdir())) == 2


@pytest.mark.parametrize("damage", [b"", b"{", b'{"choices": {}}', b'{"choices": 1, "notes": ["<a", 0]}'])
def test_a_damaged_entry_is_worked_out_again(damage, course_copy, user_cache, analyses) -> None:
    course = course_copy("minimal")
    worked_out = decks(course)
    [entry] = user_cache.iterdir()
    entry.write_bytes(damage)
    assert decks(course) == worked_out
    assert len(analyses) == 2


def test_a_cache_folder_others_can_write_to_is_not_used(course_copy, user_cache, analyses) -> None:
    course = course_copy("minimal")
    worked_out = decks(course)
    user_cache.chmod(0o777)
    assert decks(course) == worked_out
    assert decks(course) == worked_out
    assert len(analyses) == 3


@pytest.mark.parametrize("which", ["default", "organisation"])
def test_a_template_opened_in_advance_gives_the_same_decks(which, tmp_path, monkeypatch) -> None:
    """``DeckTarget.prepare`` (the watch loop, while it waits for a save): the next deck
    takes the template already opened, and is the deck it would have been."""
    monkeypatch.setattr(deck, "_SPARES", {})
    course_dir = FIXTURES / "minimal" if which == "default" else templated_course(tmp_path)
    fresh = decks(course_dir)
    opened: list[str] = []
    open_template = template_module.open_template
    monkeypatch.setattr(template_module, "open_template",
                        lambda path, shown=None: opened.append(str(path)) or open_template(path, shown))
    course = load_course(course_dir).course
    deck.DeckTarget().prepare(course)
    assert len(opened) == 1 and len(deck._SPARES) == 1
    opened.clear()
    assert decks(course_dir) == fresh
    assert not deck._SPARES  # taken by the first deck: the second opened its own
    # the analysis (its cache cleared by ``decks``) and the second deck: not the first deck
    assert opened.count(str(template_path(course)[0])) == 2
