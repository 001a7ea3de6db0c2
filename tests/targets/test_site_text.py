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


def test_markup_test_finds_markup() -> None:
    """The pattern catches what the home page showed (and lets ordinary text through)."""
    assert MARKUP.search('Je ziet op <a href="summary.html">Mijn voortgang</a> hoe ver je bent.')
    assert MARKUP.search("Tom &amp; Jerry")
    assert not MARKUP.search("a < b and c > d; 3 <= 4; R&D, Q&A")


def test_no_page_of_any_bundled_site_shows_markup(browser, sites) -> None:  # noqa: F811
    found = []
    for site in sites:
        texts = visible_texts(browser, site)
        assert "index.html" in texts and len(texts) > 10
        for name, text in texts.items():
            assert text.strip(), f"{site.name}/{name} shows no text"
            for match in MARKUP.finditer(text):
                found.append(f"{site.name}/{name}: …{text[max(0, match.start() - 40):match.end() + 20]}…")
    assert found == []
