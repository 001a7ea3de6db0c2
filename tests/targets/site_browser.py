"""What the site's browser tests share: a real Chromium, built sites, and a watch on each page.

The watch records every request that leaves the site folder, every console error (CSP violations
are console errors in Chromium), uncaught exceptions and dialogs, so a test can assert there were
none.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import need_executable

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def build(course_dir: Path, dest: Path, lang: str = "en", audience: str | None = "enforcement") -> Path:
    """Build one site of the course in ``course_dir`` into ``dest``; return ``dest``."""
    from generator.loader.load import load_course
    from generator.targets.site import build_site

    course = load_course(course_dir).course
    if audience is not None and course.audience(audience) is None:
        audience = course.audiences[0].id if course.audiences else None
    build_site(course.for_audience(audience), lang, audience, dest)
    return dest


_shared: dict = {}


def _close_shared() -> None:
    if "browser" in _shared:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Chromium for the whole session.

    Test modules import this fixture by name, which makes pytest create one instance per module;
    Playwright's sync API allows only one running instance, so they all share the same browser,
    closed when the test process ends.
    """
    executable = need_executable("chromium", "chromium")
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(executable_path=executable, headless=True,
                                                                  args=CHROMIUM_ARGS)
        atexit.register(_close_shared)
    yield _shared["browser"]


@dataclass
class Watch:
    """Everything a page did that a private, offline, script-safe site must never do."""

    root: str  # URL prefix of the site folder
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page) -> "Watch":
        page.on("request", self._request)
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

        def dialog(d) -> None:
            self.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        return self

    def _request(self, request) -> None:
        url = request.url
        if not url.startswith(self.root) and not url.startswith("data:"):
            self.outside.append(url)

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests outside the site folder: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


def open_page(context, root_url: str, name: str) -> tuple:
    page = context.new_page()
    watch = Watch(root_url).attach(page)
    page.goto(root_url + name)
    page.wait_for_load_state("load")
    return page, watch


class StaticServer:
    """A plain static web server on 127.0.0.1 for one folder (what an intranet server would be).

    ``paths`` records every path asked for, including what the page's own events never show
    (the browser's favicon requests).
    """

    def __init__(self, folder: Path):
        self.paths: list[str] = []
        handler = functools.partial(_QuietHandler, self.paths, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> "StaticServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, paths: list[str], *args, **kwargs):
        self.paths = paths
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.paths.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args) -> None:
        pass


def show_question(page, qid: str) -> None:
    """Bring question ``qid`` of a one-question-per-screen quiz into view, as a learner does: with the
    "Next question" / "Previous question" buttons."""
    box = page.locator(f'[data-question="{qid}"]')
    for button in ("#quiz-next", "#quiz-prev"):
        for _ in range(60):
            if box.is_visible():
                return
            if not page.locator(button).is_visible():
                break
            page.locator(button).click()
    assert box.is_visible(), f"question {qid} never came into view"


def to_result(page) -> None:
    """Open the results screen of a finished quiz (a no-op when it already shows)."""
    if page.locator("#quiz-to-result").is_visible():
        page.locator("#quiz-to-result").click()
    assert page.locator("#quiz-result").is_visible()


def go_to(frame, url: str) -> None:
    """Load ``url`` in a page or frame (the site inside an LMS package's launch page)."""
    frame.goto(url)
    frame.wait_for_load_state("load")


def answer_in(frame, qid: str, label: str | None = None, selects: dict[str, str] | None = None) -> None:
    """Answer question ``qid`` as a learner: bring it into view, tick the options labelled
    ``label`` ("A|B" for several) or choose ``selects`` (premise → response), and check it."""
    show_question(frame, qid)  # one question shows at a time
    box = frame.locator(f'[data-question="{qid}"]')
    if label:
        for one in label.split("|"):
            box.get_by_label(one).check()
    for premise, response in (selects or {}).items():
        box.get_by_label(premise).select_option(label=response)
    box.get_by_role("button", name="Check answer").click()
