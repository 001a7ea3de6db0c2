"""``modgen classroom`` as a trainer runs it: a real uvicorn server in a subprocess."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import signal
import socket
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from generator.classroom import serve
from tests.classroom.conftest import make_session
from tests.conftest import FIXTURES, run_modgen

MINIMAL = FIXTURES / "minimal"


def request(url: str, data: dict | None = None, headers: dict | None = None):
    """(status, headers, body) of a GET, or of a form POST when ``data`` is given; no redirects followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode()


def join(server, nickname: str = "") -> str:
    """Join through the real join page; the participant cookie as a Cookie header value."""
    trainer_page = request(server.trainer)[2]
    code = re.search(r'id="session-code">(\d+)<', trainer_page).group(1)
    status, headers, _ = request(server.root + "/join", {"code": code, "nickname": nickname})
    assert status == 303, status
    return headers["set-cookie"].split(";", 1)[0]


def live(server, cookie: str):
    from websockets.sync.client import connect

    return connect(server.root.replace("http://", "ws://") + "/ws", additional_headers={"Cookie": cookie},
                   origin=server.root, open_timeout=10)


def test_prints_two_lines_and_stops_cleanly_on_ctrl_c(server_of) -> None:
    server = server_of(MINIMAL, "--lang", "en")
    assert re.fullmatch(r"Trainer: http://127\.0\.0\.1:\d+/trainer/[A-Za-z0-9_-]{32}\n", server.lines[0])
    assert re.fullmatch(r"Participants: http://127\.0\.0\.1:\d+/\n", server.lines[1])
    assert request(server.participants)[0] == 200
    assert request(server.trainer)[0] == 200
    assert request(server.root + "/trainer/guess")[0] == 403
    code, out, err = server.stop()
    assert code == 0, err
    assert out == "" and "Traceback" not in err and "Session ended." in err
    assert "nothing is written to disk" in err
    assert server.left_behind() == []
    with pytest.raises(OSError):
        urllib.request.urlopen(server.participants, timeout=2)


def test_sigterm_with_open_connections_also_ends_cleanly(server_of) -> None:
    server = server_of(MINIMAL)
    with live(server, join(server)) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "step"
        code, _, err = server.stop(signal.SIGTERM)
    assert code == 0 and "Traceback" not in err, err
    assert server.left_behind() == []


def test_results_file_holds_the_counts(server_of, tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    server = server_of(MINIMAL, "--lang", "en", "--results", str(results))
    cookies = [join(server, name) for name in ("Anna", "Bert", "")]
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(live(server, c)) for c in cookies]
        answer_question_1(server, sockets, results)
    code, _, err = server.stop()
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(results.read_text(encoding="utf-8"))))
    first = [(r["option_id"], r["count"]) for r in rows if r["question"] == "1"]
    choices = [c.id for c in make_session(lang="en").steps[3].choices]
    assert first == [(choices[0], "2"), (choices[1], "1"), (choices[2], "0")]
    assert "Anna" not in results.read_text() and f"Wrote the results to {results}." in err


def answer_question_1(server, sockets, results: Path) -> None:
    for ws in sockets:
        json.loads(ws.recv(timeout=10))
    for _ in range(3):  # start → discussion → case → question 1
        request(server.trainer + "/next", {})
    for ws in sockets:
        for _ in range(3):
            step = json.loads(ws.recv(timeout=10))
    assert step["title"].startswith("Question 1 of ")
    index = step["index"]
    assert index == 3
    session = make_session(lang="en")  # the same course: the same choices in the same order
    choices = [c.id for c in session.steps[index].choices]
    for ws, pick in zip(sockets, [choices[0], choices[0], choices[1]]):
        ws.send(json.dumps({"type": "answer", "step": index, "choices": [pick]}))
        assert json.loads(ws.recv(timeout=10))["type"] == "step"
        assert json.loads(ws.recv(timeout=10))["type"] == "accepted"
    sockets[0].send(json.dumps({"type": "answer", "step": index, "choices": [choices[1]]}))
    assert json.loads(sockets[0].recv(timeout=10))["reason"] == "duplicate"


def counts_in(results: Path, question: str = "1") -> list[tuple[str, str]]:
    rows = csv.DictReader(io.StringIO(results.read_text(encoding="utf-8")))
    return [(r["option_id"], r["count"]) for r in rows if r["question"] == question]


def test_the_results_survive_a_kill_mid_session(server_of, tmp_path: Path) -> None:
    """kill -9 (a laptop that crashes, a terminal closed): the results file is complete up to the
    moment before — answers within a second, every step the trainer moved through."""
    import time

    results = tmp_path / "results.csv"
    server = server_of(MINIMAL, "--lang", "en", "--results", str(results))
    assert results.exists()  # there from the start, with its header
    cookies = [join(server, name) for name in ("Anna", "Bert", "")]
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(live(server, c)) for c in cookies]
        answer_question_1(server, sockets, results)
        choices = [c.id for c in make_session(lang="en").steps[3].choices]
        deadline = time.monotonic() + 10
        while counts_in(results)[:2] != [(choices[0], "2"), (choices[1], "1")] and time.monotonic() < deadline:
            time.sleep(0.2)  # written within a second of the answers, before any step changes
        assert counts_in(results)[:2] == [(choices[0], "2"), (choices[1], "1")]
        request(server.trainer + "/reveal", {})
        request(server.trainer + "/next", {})
        server.proc.kill()
        server.proc.communicate(timeout=10)
    rows = list(csv.DictReader(io.StringIO(results.read_text(encoding="utf-8"))))
    first = [r for r in rows if r["question"] == "1"]
    assert [(r["option_id"], r["count"], r["answered"], r["connected"]) for r in first] == [
        (choices[0], "2", "3", "3"), (choices[1], "1", "3", "3"), (choices[2], "0", "3", "3")]
    assert first[0]["text"] and first[0]["option_text"] and first[0]["date"]
    assert "Anna" not in results.read_text() and not [p for p in tmp_path.iterdir() if p != results]


def test_an_oversized_frame_closes_that_connection_only(server_of) -> None:
    from websockets.exceptions import ConnectionClosed

    server = server_of(MINIMAL)
    cookie = join(server)
    with live(server, cookie) as big, live(server, cookie) as small:
        big.recv(timeout=10), small.recv(timeout=10)
        big.send("x" * (serve.WS_MAX_SIZE + 1))
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                big.recv(timeout=10)
        assert closed.value.rcvd.code == 1009  # uvicorn: message too big
        small.send("not json")
        assert json.loads(small.recv(timeout=10))["reason"] == "malformed"
        assert request(server.participants)[0] == 200
    code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err, err


def test_the_real_server_checks_the_host_header(server_of) -> None:
    server = server_of(MINIMAL)
    port = urllib.parse.urlsplit(server.root).port
    assert request(server.root + "/", headers={"Host": "evil.example"})[0] == 400
    assert request(server.root + "/", headers={"Host": f"localhost:{port}"})[0] == 200
    assert server.stop()[0] == 0


def test_usage_errors(tmp_path: Path) -> None:
    result = run_modgen("classroom", MINIMAL, "--lesson", "nowhere")
    assert result.returncode == 2 and "no lesson nowhere (the lessons are: preparation, activity)" in result.stderr
    result = run_modgen("classroom", MINIMAL, "--lesson", "preparation", "--results-open-answers")
    assert result.returncode == 2 and "give --results FILE.csv" in result.stderr
    result = run_modgen("classroom", MINIMAL, "--lesson", "preparation", "--lang", "fr")
    assert result.returncode == 2 and "language fr is not in the course (it has nl, en)" in result.stderr
    result = run_modgen("classroom", MINIMAL, "--lesson", "preparation", "--audience", "judges")
    assert result.returncode == 2 and "audience judges is not in the course" in result.stderr
    result = run_modgen("classroom", MINIMAL, "--lesson", "preparation", "--results", tmp_path / "no" / "r.csv")
    assert result.returncode == 2 and "is not a folder" in result.stderr
    result = run_modgen("classroom", MINIMAL)
    assert result.returncode == 2 and "Missing option '--lesson'" in result.stderr
    for result in (run_modgen("classroom", MINIMAL, "--lesson", "nowhere"),):
        assert "Traceback" not in result.stderr


def test_a_busy_port_is_a_usage_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run_modgen("classroom", MINIMAL, "--lesson", "preparation", "--port", port)
    assert result.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_course_is_reported_with_its_location(course_copy) -> None:
    course = course_copy("minimal")
    lesson = course / "modules" / "01-preparation.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("duration:", "duration: [", 1), encoding="utf-8")
    result = run_modgen("classroom", course, "--lesson", "preparation")
    assert result.returncode == 1 and "modules/01-preparation.yaml:" in result.stderr
    assert "Traceback" not in result.stderr


def test_help() -> None:
    result = run_modgen("classroom", "--help")
    assert result.returncode == 0
    for words in ("--lesson ID", "--host", "0.0.0.0", "--results FILE.csv", "Ctrl+C", "docs/classroom.md"):
        assert words in result.stdout, words


def test_addresses() -> None:
    session = make_session()
    local = serve.addresses(session, "127.0.0.1", 8123)
    assert local.trainer == f"http://127.0.0.1:8123/trainer/{session.trainer_token}"
    assert local.participants == "http://127.0.0.1:8123/"
    assert local.allowed_hosts == {"127.0.0.1:8123", "localhost:8123"}
    room = serve.addresses(session, "0.0.0.0", 8123)
    assert room.allowed_hosts is None  # every interface: phones use whatever address they were given
    assert re.fullmatch(r"http://\d+\.\d+\.\d+\.\d+:8123/", room.participants)
    assert serve.addresses(session, "192.168.5.5", 80).allowed_hosts == {"192.168.5.5:80"}
    assert serve.addresses(session, "::1", 80).participants == "http://[::1]:80/"
