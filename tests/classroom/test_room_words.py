"""The room's own words (open answers, questions to the trainer with upvotes, scales), the
trainer's console (moderation, removing a participant, locking the door, the timer), and what each
new route and message does with hostile input — through Starlette's test client."""

from __future__ import annotations

import csv
import io
import json

import pytest
from starlette.websockets import WebSocketDisconnect

from generator.classroom import app as classroom_app
from generator.classroom.session import MAX_QUESTION, MAX_WORDS, WORDS_PER_STEP, write_results
from generator.classroom.words import WordFilter
from tests.classroom.conftest import client, go_to, joined, make_room_session


@pytest.fixture
def room(tmp_path, app_of):
    session = make_room_session(tmp_path / "course")
    return session, app_of(session)


def base(session) -> str:
    return f"/trainer/{session.trainer_token}"


def moderate(c, session, action: str, item: str = ""):
    return c.post(base(session) + "/moderate", data={"action": action, "id": item})


def step_of(session, kind: str) -> int:
    return next(s.index for s in session.steps if s.kind == kind)


def receive(ws, kind: str, limit: int = 10) -> dict:
    """The next message of ``kind`` (others, such as a new count, are passed over)."""
    for _ in range(limit):
        message = ws.receive_json()
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} message")


# --- the word filter -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed, allowed", [
    ("Bij het station", True), ("Scunthorpe", True), ("Wat een dag!", True), ("classic", True),
    ("shit", False), ("SH1T", False), ("sh!t", False), ("f.u.c.k", False), ("fuuuuck", False), ("kút", False),
    ("de boef", False), ("Een domme  agent!", False), ("een domme vraag, agent", True),
])
def test_the_word_filter(typed: str, allowed: bool) -> None:
    assert WordFilter(["boef", "domme agent"]).allows(typed) is allowed


def test_a_nickname_with_a_blocked_word_is_refused_and_the_code_kept(room) -> None:
    session, app = room
    response = client(app).post("/join", data={"code": session.code, "nickname": "de Boef"})
    assert response.status_code == 400 and "That nickname cannot be used" in response.text
    assert f'value="{session.code}"' in response.text and session.participants == {}


# --- open answers on a discussion step -----------------------------------------------------------


def test_open_answers_are_held_until_the_trainer_shows_them(room) -> None:
    session, app = room
    trainer = client(app)
    anna, ben = joined(app, session), joined(app, session)
    discussion = step_of(session, "discussion")
    go_to(session, discussion)
    with anna.websocket_connect("/ws") as a, ben.websocket_connect("/ws") as b, \
            trainer.websocket_connect(base(session) + "/ws") as screen, \
            trainer.websocket_connect(base(session) + "/console/ws") as console:
        assert 'class="words"' in a.receive_json()["html"] and b.receive_json()
        assert screen.receive_json()["type"] == "step" and receive(console, "console")
        a.send_json({"type": "words", "step": discussion, "text": "  Bij het   station  "})
        received = receive(a, "received")
        assert received["kind"] == "words" and "The trainer chooses" in received["text"]
        b.send_json({"type": "words", "step": discussion, "text": "bij het station"})
        receive(b, "received")
        held = receive(console, "console")["html"]
        assert held.count("(held)") == 2 and "Bij het station" in held
        assert "Bij het station" not in trainer.get(base(session)).text  # not on the projector
        first = next(iter(session.words))
        shown = moderate(trainer, session, "show-words", first)
        assert shown.status_code == 200 and "(shown)" in shown.json()["html"]
        step = receive(screen, "step")["html"]
        assert '<ul class="words-shown"' in step and "Bij het station" in step
        moderate(trainer, session, "show-words", list(session.words)[1])
        assert moderate(trainer, session, "cloud").status_code == 200
        cloud = receive(screen, "step")["html"]
        while cloud.count("size-2") == 0:  # the same answer from two people: one term, larger
            cloud = receive(screen, "step")["html"]
        assert '<ul class="cloud"' in cloud and cloud.count("<li") == 1
        moderate(trainer, session, "hide-words", first)
        moderate(trainer, session, "list")
        step = receive(screen, "step")["html"]
        while "cloud" in step:
            step = receive(screen, "step")["html"]
        assert step.count("bij het station") == 1 and "Bij het station" not in step
        # The phones never see the room's texts: only the trainer's screen does.
        a.send_json({"type": "answer", "step": 0, "choices": ["x"]})
        assert receive(a, "refused")["reason"] == "invalid"


@pytest.mark.parametrize("message, reason", [
    ({"type": "words", "step": "2", "text": "x"}, "malformed"),
    ({"type": "words", "step": 2, "text": 5}, "malformed"),
    ({"type": "words", "step": 2}, "malformed"),
    ({"type": "words", "step": 2, "text": "x" * (MAX_WORDS + 1)}, "too_large"),
    ({"type": "words", "step": 2, "text": "   "}, "invalid"),
    ({"type": "words", "step": 2, "text": "\u0000\u200b\u0007"}, "invalid"),
    ({"type": "words", "step": 0, "text": "hello"}, "invalid"),  # not a discussion step
    ({"type": "words", "step": 99, "text": "hello"}, "invalid"),
    ({"type": "words", "step": 2, "text": "what a shit place"}, "blocked"),
    ({"type": "words", "step": 2, "text": "de BOEF"}, "blocked"),
    ({"type": "ask", "text": 1}, "malformed"),
    ({"type": "ask"}, "malformed"),
    ({"type": "ask", "text": "x" * (MAX_QUESTION + 1)}, "too_large"),
    ({"type": "ask", "text": ""}, "invalid"),
    ({"type": "ask", "text": "f.u.c.k this"}, "blocked"),
    ({"type": "upvote", "question": 1}, "malformed"),
    ({"type": "upvote", "question": "q" * 21}, "malformed"),
    ({"type": "upvote", "question": "q999"}, "invalid"),
    ({"type": "upvote"}, "malformed"),
])
def test_hostile_texts_are_refused_and_nothing_is_kept(room, message: dict, reason: str) -> None:
    session, app = room
    go_to(session, step_of(session, "discussion"))
    assert step_of(session, "discussion") == 2
    anna = joined(app, session)
    with anna.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json(message)
        refused = ws.receive_json()
        assert refused["type"] == "refused" and refused["reason"] == reason, refused
        assert refused["text"]
    assert session.words == {} and session.questions == {}


def test_open_answers_are_limited_per_step_and_in_rate(room, monkeypatch) -> None:
    session, app = room
    monkeypatch.setattr(classroom_app, "TEXT_BURST", WORDS_PER_STEP + 1.0)
    discussion = step_of(session, "discussion")
    go_to(session, discussion)
    anna = joined(app, session)
    with anna.websocket_connect("/ws") as ws:
        ws.receive_json()
        for n in range(WORDS_PER_STEP):
            ws.send_json({"type": "words", "step": discussion, "text": f"answer {n}"})
            assert receive(ws, "received")
        ws.send_json({"type": "words", "step": discussion, "text": "one more"})
        assert receive(ws, "refused")["reason"] == "too_many"
        ws.send_json({"type": "ask", "text": "a question"})  # the burst is spent
        assert receive(ws, "refused")["reason"] == "too_fast"
    assert len(session.words) == WORDS_PER_STEP and session.questions == {}
    session.next()
    late = session.add_words(session.participants[next(iter(session.participants))], discussion, "late")
    assert late[0].value == "late"


# --- questions to the trainer, upvoted ------------------------------------------------------------


def test_questions_to_the_trainer_are_moderated_then_upvoted(room) -> None:
    session, app = room
    trainer = client(app)
    anna, ben = joined(app, session, "Anna"), joined(app, session)
    with anna.websocket_connect("/ws") as a, ben.websocket_connect("/ws") as b, \
            trainer.websocket_connect(base(session) + "/ws") as screen:
        a.receive_json(), b.receive_json(), screen.receive_json()
        a.send_json({"type": "ask", "text": "Who do I call first?"})
        assert "The trainer chooses which questions" in receive(a, "received")["text"]
        a.send_json({"type": "ask", "text": "And after that?"})
        receive(a, "received")
        [first, second] = list(session.questions)
        b.send_json({"type": "upvote", "question": first})  # held: nothing to vote on yet
        assert receive(b, "refused")["reason"] == "invalid"
        assert moderate(trainer, session, "show-question", first).status_code == 200
        listed = receive(b, "questions")["items"]
        assert listed == [{"id": first, "text": "Who do I call first?", "votes": 0, "mine": False}]
        assert "Anna" not in json.dumps(listed)  # anonymous: no author, no nickname
        b.send_json({"type": "upvote", "question": first})
        assert receive(b, "questions")["items"][0] == {"id": first, "text": "Who do I call first?", "votes": 1,
                                                      "mine": True}
        b.send_json({"type": "upvote", "question": first})
        assert receive(b, "refused")["reason"] == "duplicate"
        moderate(trainer, session, "show-question", second)
        assert [q["id"] for q in receive(b, "questions")["items"]] == [first, second]  # most votes first
        moderate(trainer, session, "questions-on")
        step = receive(screen, "step")["html"]
        while "room-questions" not in step:
            step = receive(screen, "step")["html"]
        assert "Questions from the room" in step and step.index("Who do I call first?") < step.index("And after")
        moderate(trainer, session, "answered-question", first)
        assert [q["id"] for q in receive(b, "questions")["items"]] == [second]
        trainer.post(base(session) + "/next")  # a new step: the projector shows the step again
        assert session.questions_on_screen is False


# --- the console: routes, removal, the door, the timer -------------------------------------------


def test_the_console_needs_the_token_and_same_origin(room) -> None:
    session, app = room
    c = client(app)
    page = c.get(base(session) + "/console")
    assert page.status_code == 200 and "console" in page.text and "/assets/console.js" in page.text
    assert "Close joining" in page.text
    assert c.get("/assets/console.js").status_code == 200
    assert c.get("/trainer/guess/console").status_code == 403
    participant = joined(app, session)
    assert participant.post("/trainer/guess/moderate", data={"action": "lock"}).status_code == 403
    assert c.post(base(session) + "/moderate", data={"action": "lock"},
                  headers={"Origin": "http://evil.example"}).status_code == 403
    with pytest.raises(WebSocketDisconnect) as denied, c.websocket_connect("/trainer/guess/console/ws"):
        pass
    assert denied.value.code == 1008
    assert not session.locked


@pytest.mark.parametrize("body, status", [
    ({"action": "explode"}, 400),
    ({"action": "show-words", "id": "w" * 21}, 400),
    ({"action": "show-words", "id": "w999"}, 404),
    ({"action": "show-question", "id": "nope"}, 404),
    ({"action": "remove", "id": "99999"}, 404),
    ({"action": "remove", "id": "-1"}, 404),
    ({"action": "remove", "id": "1" * 10}, 404),
    ({"action": "timer", "id": "7"}, 404),
    ({"action": "timer", "id": "99999999"}, 404),
    ({"action": "timer", "id": ""}, 404),
    ({}, 400),
])
def test_hostile_moderation_is_refused(room, body: dict, status: int) -> None:
    session, app = room
    assert client(app).post(base(session) + "/moderate", data=body).status_code == status
    assert session.timer_end is None and not session.locked


def test_moderation_bodies_are_bounded(room) -> None:
    session, app = room
    c = client(app)
    headers = {"content-type": "application/x-www-form-urlencoded"}
    assert c.post(base(session) + "/moderate", content=b"action=lock&id=" + b"1" * 1000,
                  headers=headers).status_code == 413
    assert c.post(base(session) + "/moderate", content=b"\xff\xfe", headers=headers).status_code == 400
    assert c.post(base(session) + "/moderate", content=b"a=1&b=2&c=3", headers=headers).status_code == 400
    assert not session.locked


def test_the_trainer_removes_a_participant_and_locks_the_door(room) -> None:
    session, app = room
    trainer = client(app)
    anna, ben = joined(app, session, "Anna"), joined(app, session, "Ben")
    question = next(s.index for s in session.steps if s.kind == "question")
    go_to(session, question)
    with anna.websocket_connect("/ws") as a, ben.websocket_connect("/ws") as b:
        a.receive_json(), b.receive_json()
        for ws in (a, b):
            ws.send_json({"type": "answer", "step": question, "choices": [session.step.choices[0].id]})
            receive(ws, "accepted")
        assert session.answered(session.step) == 2
        console = trainer.get(base(session) + "/console").text
        assert "Anna" in console and "Ben" in console
        ben_handle = next(p.handle for p in session.participants.values() if p.nickname == "Ben")
        ben_id = next(p.id for p in session.participants.values() if p.nickname == "Ben")
        assert ben_id not in console  # the console names people by a number, never their secret id
        assert moderate(trainer, session, "remove", str(ben_handle)).status_code == 200
        with pytest.raises(WebSocketDisconnect) as removed:
            for _ in range(5):
                b.receive_json()
        assert removed.value.code == 4403
        assert session.answered(session.step) == 1
    assert ben.get("/play", follow_redirects=False).headers["location"] == "/"
    assert moderate(trainer, session, "lock").status_code == 200
    refused = client(app).post("/join", data={"code": session.code})
    assert refused.status_code == 403 and "Joining is closed." in refused.text
    assert "Joining is closed." in trainer.get(base(session)).text or session.step.kind != "start"
    moderate(trainer, session, "unlock")
    assert client(app).post("/join", data={"code": session.code}, follow_redirects=False).status_code == 303


def test_the_timer_reaches_every_screen_and_ends_with_the_step(room) -> None:
    session, app = room
    trainer = client(app)
    anna = joined(app, session)
    with anna.websocket_connect("/ws") as a, trainer.websocket_connect(base(session) + "/ws") as screen:
        a.receive_json(), screen.receive_json()
        assert moderate(trainer, session, "timer", "60").status_code == 200
        assert receive(a, "timer")["seconds"] in (59, 60) and receive(screen, "timer")["seconds"] in (59, 60)
        trainer.post(base(session) + "/next")
        assert receive(a, "timer") == {"type": "timer", "seconds": None}
        assert receive(screen, "timer") == {"type": "timer", "seconds": None}


# --- scales, before and after --------------------------------------------------------------------


def test_a_scale_asked_at_the_start_and_the_end_is_compared(room, tmp_path) -> None:
    session, app = room
    trainer = client(app)
    people = [joined(app, session) for _ in range(3)]
    first, last = [s.index for s in session.steps if s.kind == "scale"]
    assert session.steps[last].before == first
    go_to(session, first)
    with __import__("contextlib").ExitStack() as stack:
        phones = [stack.enter_context(p.websocket_connect("/ws")) for p in people]
        for ws, point in zip(phones, ["2", "2", "3"]):
            html = ws.receive_json()["html"]
            assert 'type="radio"' in html and "Not at all" in html and "Completely" in html
            ws.send_json({"type": "answer", "step": first, "choices": [point]})
            receive(ws, "accepted")
        phones[0].send_json({"type": "answer", "step": first, "choices": ["6"]})  # no sixth point
        assert receive(phones[0], "refused")["reason"] == "invalid"
        phones[0].send_json({"type": "answer", "step": first, "choices": ["3"]})
        assert receive(phones[0], "refused")["reason"] == "duplicate"
        revealed = trainer.post(base(session) + "/reveal").json()["html"]
        assert "Average: 2.3" in revealed and "Poll (start)" in revealed
        go_to(session, last)
        for ws, point in zip(phones, ["4", "5", "4"]):
            ws.send_json({"type": "answer", "step": last, "choices": [point]})
            receive(ws, "accepted")
        compared = trainer.post(base(session) + "/reveal").json()["html"]
        assert "Average: 2.3 at the start, 4.3 now" in compared and "Poll (end)" in compared
    path = tmp_path / "results.csv"
    write_results(session, path)
    rows = [r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))) if r["kind"].startswith("scale")]
    start = {r["option"]: r["count"] for r in rows if r["kind"] == "scale-start"}
    end = {r["option"]: r["count"] for r in rows if r["kind"] == "scale-end"}
    assert start == {"1": "0", "2": "2", "3": "1", "4": "0", "5": "0"}
    assert end == {"1": "0", "2": "0", "3": "0", "4": "2", "5": "1"}
    assert rows[0]["text"] == "I know where to report a bicycle theft." and rows[0]["option_text"] == "Not at all"


def test_open_answers_are_in_the_results_only_when_asked_and_nicknames_never(room, tmp_path) -> None:
    session, app = room
    discussion = step_of(session, "discussion")
    go_to(session, discussion)
    anna = session.join("Anna Secret")
    _, words = session.add_words(anna, discussion, "Near the station")
    _, held = session.add_words(anna, discussion, "Held back")
    words.shown = True
    without, with_words = tmp_path / "a.csv", tmp_path / "b.csv"
    write_results(session, without)
    write_results(session, with_words, open_answers=True)
    assert "Near the station" not in without.read_text(encoding="utf-8")
    text = with_words.read_text(encoding="utf-8")
    assert "Near the station" in text and "Held back" not in text  # only what the trainer showed
    assert "Anna" not in text and anna.id not in text
    assert classroom_app.MODERATION >= {"show-words", "remove", "lock", "timer"}


def test_a_bad_scale_or_word_list_is_reported_where_it_is(tmp_path) -> None:
    from tests.classroom.conftest import room_course
    from tests.conftest import run_modgen

    course = room_course(tmp_path / "course")
    module = course / "modules" / "01-preparation.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("    points: 5\n", "    points: 11\n    ask: twice\n"),
                      encoding="utf-8")
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("[boef, domme agent]", "[boef, '']"), encoding="utf-8")
    result = run_modgen("validate", course)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("modules/01-preparation.yaml:") and "points" in line and "10" in line for line in lines)
    assert any(line.startswith("modules/01-preparation.yaml:") and "'start', 'end' or 'both'" in line for line in lines)
    assert any(line.startswith("course.yaml:52:") and "classroom" in line for line in lines), result.stderr
