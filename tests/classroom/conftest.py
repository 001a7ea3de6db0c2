"""What the classroom tests share: a session of the fixture course's first lesson, and its app."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES


def make_session(lesson: str = "preparation", lang: str = "en", audience: str | None = "enforcement", **kw):
    from generator.classroom.serve import choose
    from generator.classroom.session import Session
    from generator.loader.load import load_course

    course, chosen, lang, audience = choose(load_course(FIXTURES / "minimal").course, lesson, lang, audience)
    return Session(course, chosen, lang, audience, **kw)


@pytest.fixture
def session():
    return make_session()


def first_question(session) -> int:
    return next(s.index for s in session.steps if s.kind == "question")


def go_to(session, index: int) -> None:
    while session.current < index:
        session.next()


@pytest.fixture
def app_of():
    """``app_of(session)``: the classroom app for ``session`` as the test client reaches it."""
    from generator.classroom.app import create_app

    def make(session, allowed_hosts=frozenset({"testserver"})):
        return create_app(session, participant_url="http://testserver/",
                          allowed_hosts=set(allowed_hosts) if allowed_hosts is not None else None)

    return make


def client(app, **kw):
    import warnings

    with warnings.catch_warnings():
        # Starlette now suggests the httpx2 fork for its test client; httpx itself works the same.
        warnings.filterwarnings("ignore", message="Using `httpx`")
        from starlette.testclient import TestClient

    return TestClient(app, **kw)


def joined(app, session, nickname: str = ""):
    """A test client that has joined ``session`` (it carries the participant cookie)."""
    c = client(app)
    response = c.post("/join", data={"code": session.code, "nickname": nickname}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/play"
    return c


class Server:
    """``modgen classroom`` running in a subprocess, as a trainer starts it."""

    def __init__(self, course, *args: str, lesson: str = "preparation", cwd=None):
        import os
        import subprocess
        import sys
        import uuid

        from tests.conftest import ROOT

        self.marker = uuid.uuid4().hex
        env = {**os.environ, "PYTHONPATH": str(ROOT), "MODGEN_TEST_MARKER": self.marker}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "classroom", str(course), "--lesson", lesson, "--port", "0", *args],
            cwd=cwd or ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            start_new_session=True)
        self.lines = [self.proc.stdout.readline(), self.proc.stdout.readline()]
        if not all(line.strip() for line in self.lines):
            self.proc.kill()
            raise AssertionError(f"the server did not start: {self.lines} {self.proc.communicate()}")
        self.trainer = self.lines[0].split(" ", 1)[1].strip()
        self.participants = self.lines[1].split(" ", 1)[1].strip()
        self.root = self.participants.rstrip("/")
        self.token = self.trainer.rsplit("/", 1)[1]

    def stop(self, signal_number: int | None = None, timeout: float = 20) -> tuple[int, str, str]:
        import signal

        self.proc.send_signal(signal_number or signal.SIGINT)
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=10)

    def left_behind(self) -> list[int]:
        """Processes still carrying this server's marker (it and anything it started)."""
        from pathlib import Path

        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if self.marker.encode() in (entry / "environ").read_bytes():
                        found.append(int(entry.name))
                except OSError:
                    continue
        return found


@pytest.fixture
def server_of():
    """``server_of(course, *args)``: a started server, stopped (killed if need be) after the test."""
    started: list[Server] = []

    def start(course, *args: str, **kw) -> Server:
        server = Server(course, *args, **kw)
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


SCALES = """scales:
  - id: confidence
    statement:
      nl: Ik weet waar ik fietsdiefstal kan melden.
      en: I know where to report a bicycle theft.
    low: {nl: Helemaal niet, en: Not at all}
    high: {nl: Helemaal wel, en: Completely}
    points: 5
"""


def room_course(dest):
    """The fixture course with what the room's own words need: a scale asked at the start and
    the end of the first lesson, and words of the course's own that the room may not use."""
    import shutil

    shutil.copytree(FIXTURES / "minimal", dest)
    module = dest / "modules" / "01-preparation.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("discussion:\n", SCALES + "discussion:\n", 1),
                      encoding="utf-8")
    course = dest / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + "classroom:\n  blocked_words: [boef, domme agent]\n",
                      encoding="utf-8")
    return dest


def make_room_session(dest, lang: str = "en", **kw):
    from generator.classroom.serve import choose
    from generator.classroom.session import Session
    from generator.loader.load import load_course

    loaded = load_course(room_course(dest))
    assert not [p for p in loaded.problems if p.severity == "error"] if hasattr(loaded, "problems") else True
    course, chosen, lang, audience = choose(loaded.course, "preparation", lang, "enforcement")
    return Session(course, chosen, lang, audience, **kw)
