"""What a learner reads on the bundled course's sites, read as a learner's browser shows it.

Every page of every site of the bundled course (each language and audience) is opened in Chromium
and its visible text (``innerText``) is checked: markup that reaches the reader as text — a tag, an
entity escaped twice — is a defect the HTML itself hides (the page is valid, the text is wrong).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.targets.site_browser import browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

#: Markup shown as text: a tag (``<a href=…>``, ``</a>``, ``<br>``), or an entity shown as written.
MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def bundled_sites(dest: Path) -> list[Path]:
    """Every site of the bundled course, one per language and audience, built into ``dest``."""
    from generator.loader.load import load_course
    from generator.targets.site import build_site

    course = load_course(ROOT).course
    sites = []
    for lang in course.languages:
        for audience in [a.id for a in course.audiences] or [None]:
            site = dest / f"{lang}-{audience or 'all'}"
            build_site(course.for_audience(audience), lang, audience, site)
            sites.append(site)
    return sites


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> list[Path]:
    return bundled_sites(tmp_path_factory.mktemp("bundled-sites"))


def visible_texts(browser, site: Path, width: int = 1366, height: int = 768) -> dict[str, str]:  # noqa: F811
    """Each page of ``site`` (file name → its ``innerText``), with every disclosure opened so that
    what a learner can unfold is read too."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        texts = {}
        for file in sorted(site.glob("*.html")):
            page.goto(file.as_uri())
            page.wait_for_load_state("load")
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            texts[file.name] = page.evaluate("() => document.body.innerText")
        return texts
    finally:
        context.close()


@pytest.fixture(scope="module")
def pages(browser, sites) -> dict[Path, dict[str, str]]:  # noqa: F811
    """Every site's pages as a learner reads them (site → file name → innerText)."""
    return {site: visible_texts(browser, site) for site in sites}


def trainer_sentences(lang: str) -> list[str]:
    """The sentences of every text the bundled course writes for a trainer (speaker notes, the
    guidance of discussion prompts, the debriefs of cases, the notes of the day and its breaks, an
    author's own slide notes), as plain words: what must never reach a learner's page."""
    from generator.loader.load import load_course
    from generator.model import DiscussionPrompt, Section, Session, SessionBreak, SlideNotes, Vignette, texts

    course = load_course(ROOT).course
    trainer = {(Section, "notes"), (DiscussionPrompt, "guidance"), (Vignette, "debrief"), (Session, "notes"),
               (SessionBreak, "notes")} | {(SlideNotes, f) for f in SlideNotes.model_fields}
    found = []
    for node in [course, *course.lessons]:
        for owner, field, value in texts(node):
            if (type(owner), field[0]) in trainer:
                found.append(value.get(lang))
    sentences = []
    for text in found:
        plain = re.sub(r"[*_`#>]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", text)
        for sentence in re.split(r"(?<=[.!?])\s+|\n\s*[-*\d.]*\s*", plain):
            words = sentence.split()
            if len(words) >= 6:
                sentences.append(" ".join(words))
    return sentences


def test_markup_test_finds_markup() -> None:
    """The pattern catches what the home page showed (and lets ordinary text through)."""
    assert MARKUP.search('Je ziet op <a href="summary.html">Mijn voortgang</a> hoe ver je bent.')
    assert MARKUP.search("Tom &amp; Jerry")
    assert not MARKUP.search("a < b and c > d; 3 <= 4; R&D, Q&A")


def test_no_page_of_any_bundled_site_shows_markup(pages) -> None:
    found = []
    for site, texts in pages.items():
        assert "index.html" in texts and len(texts) > 10
        for name, text in texts.items():
            assert text.strip(), f"{site.name}/{name} shows no text"
            for match in MARKUP.finditer(text):
                found.append(f"{site.name}/{name}: …{text[max(0, match.start() - 40):match.end() + 20]}…")
    assert found == []


def test_no_trainer_text_of_the_bundled_course_reaches_a_learner(pages) -> None:
    """The guidance, debriefs and notes are the trainer's ("Let participants…", "Expect…"): the
    site shows the learner's own text (``reflection``) and never a sentence of the trainer's."""
    found = []
    checked = 0
    for site, texts in pages.items():
        lang = site.name.split("-")[0]
        sentences = trainer_sentences(lang)
        assert len(sentences) > 50  # the bundled course has trainer text to keep out
        for name, text in texts.items():
            flat = " ".join(text.split())
            for sentence in sentences:
                checked += 1
                if sentence in flat:
                    found.append(f"{site.name}/{name}: {sentence[:80]}")
    assert checked and found == []


def test_the_learner_reads_the_reflection_texts(pages) -> None:
    """Every prompt and case of the bundled course has learner text, and the site shows it."""
    from generator.loader.load import load_course

    course = load_course(ROOT).course
    for site, texts in pages.items():
        lang, audience = site.name.split("-", 1)
        for lesson in course.for_audience(audience).lessons:
            page = " ".join(texts[f"lesson-{lesson.id}.html"].split())
            for item in [*lesson.discussion, *lesson.vignettes]:
                assert item.reflection is not None, item.id
                first = " ".join(item.reflection.get(lang).split()[:8])
                assert first in page, (site.name, lesson.id, item.id)
