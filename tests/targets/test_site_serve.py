"""``modgen serve``: a live preview that rebuilds on save and survives broken course files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.targets.site_browser import browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def status(url: str) -> dict:
    return json.loads(fetch(url + "__modgen__/version")[1])


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the preview")


@pytest.fixture
def preview(course_copy, tmp_path: Path):
    course = course_copy("minimal")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(course), "--port", "0", "--lang", "en",
         "--audience", "enforcement"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = None
    for line in proc.stdout:
        if line.startswith("Serving "):
            url = line.split()[1]
            break
    assert url and url.startswith("http://127.0.0.1:"), "the preview did not start"
    yield course, url, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


def test_serve_rebuilds_on_save_and_survives_errors(preview, browser) -> None:  # noqa: F811
    course, url, proc = preview
    lesson = course / "modules" / "02-activity.yaml"
    code, html = fetch(url + "lesson-activity.html")
    assert code == 200 and "A theft happens in a few short steps." in html
    assert '<script src="__modgen__/live.js" defer></script>' in html

    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url + "lesson-activity.html")
    version = status(url)["version"]

    # An edit: the server rebuilds and the open page reloads by itself.
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("a few short steps", "three short steps"),
                      encoding="utf-8")
    wait_for(lambda: status(url)["version"] > version)
    assert "A theft happens in three short steps." in fetch(url + "lesson-activity.html")[1]
    page.locator("main", has_text="three short steps").wait_for(timeout=15000)  # CSP forbids wait_for_function

    # A broken file: the problem shows over the page; the last good site is still served.
    good = lesson.read_text(encoding="utf-8")
    lesson.write_text(good.replace("duration: 20", "duration: [twenty"), encoding="utf-8")
    problems = wait_for(lambda: status(url)["problems"])
    assert problems[0].startswith("modules/02-activity.yaml:"), problems
    page.wait_for_selector("#modgen-problems", timeout=15000)
    overlay = page.locator("#modgen-problems").inner_text()
    assert problems[0] in overlay
    assert page.locator("#modgen-problems").get_attribute("role") == "alert"
    assert "three short steps" in fetch(url + "lesson-activity.html")[1]
    assert proc.poll() is None, "the server died on a content error"

    # Fixed again: the overlay goes, the page is current.
    lesson.write_text(good.replace("three short steps", "four short steps"), encoding="utf-8")
    wait_for(lambda: not status(url)["problems"])
    page.locator("main", has_text="four short steps").wait_for(timeout=15000)
    assert page.locator("#modgen-problems").count() == 0
    assert errors == []
    page.close()

    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert problems[0] in err  # the same problem was printed in the terminal
    assert "Build failed with 1 error; still serving the last good site." in err
    assert "Traceback" not in err


def test_serve_first_build_broken_then_fixed(course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    quiz = course / "quizzes" / "02-activity.yaml"
    good = quiz.read_text(encoding="utf-8")
    quiz.write_text(good.replace("lesson: activity", "lesson: nowhere"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(course), "--port", "0"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        url = next(line.split()[1] for line in proc.stdout if line.startswith("Serving "))
        code, html = fetch(url + "index.html")
        assert code == 503 and "The course has errors" in html and "quizzes/02-activity.yaml:" in html
        quiz.write_text(good, encoding="utf-8")
        wait_for(lambda: not status(url)["problems"])
        code, html = fetch(url + "index.html")
        assert code == 200 and "Fietsdiefstal als crime script" in html
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0 and "Traceback" not in err


def test_serve_refuses_unknown_language(course_copy) -> None:
    from tests.conftest import run_modgen

    result = run_modgen("serve", course_copy("minimal"), "--port", "0", "--lang", "fr")
    assert result.returncode == 2
    assert "language fr is not in the course (it has nl, en)" in result.stderr
