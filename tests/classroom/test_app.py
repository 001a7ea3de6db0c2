"""Every route of the classroom app, and what it does with hostile input (Starlette's test client)."""

from __future__ import annotations

import contextlib
import json

import pytest
from starlette.websockets import WebSocketDisconnect

from generator.classroom import app as classroom_app
from generator.classroom.session import MAX_PARTICIPANTS
from tests.classroom.conftest import client, first_question, go_to, joined


@pytest.fixture
def room(session, app_of):
    return session, app_of(session)


def trainer_url(session, action: str = "") -> str:
    return f"/trainer/{session.trainer_token}" + (f"/{action}" if action else "")


# --- pages ---------------------------------------------------------------------------------------


def test_join_page(room) -> None:
    session, app = room
    response = client(app).get("/")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="en-GB">' in page and 'action="/join"' in page and 'name="code"' in page
    assert session.code not in page  # the code is on the trainer's screen, not on the join page
    assert 'value="123456"' in client(app).get("/?code=123456").text  # the QR code's link fills it in
    assert 'value=""' in client(app).get("/?code=<script>").text


def test_join_then_play(room) -> None:
    session, app = room
    c = client(app)
    response = c.post("/join", data={"code": session.code, "nickname": "Anna"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/play"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    page = c.get("/play")
    assert page.status_code == 200 and "You have joined as Anna." in page.text
    assert "/assets/participant.js" in page.text
    assert c.get("/", follow_redirects=False).headers["location"] == "/play"  # already in
    [participant] = session.participants.values()
    assert participant.nickname == "Anna"


def test_play_without_joining_goes_to_the_join_page(room) -> None:
    _, app = room
    c = client(app)
    assert c.get("/play", follow_redirects=False).headers["location"] == "/"
    c.cookies.set("modgen_classroom", "made-up")
    assert c.get("/play", follow_redirects=False).headers["location"] == "/"


def test_trainer_page_needs_the_token(room) -> None:
    session, app = room
    page = client(app).get(trainer_url(session))
    assert page.status_code == 200
    assert session.code in page.text and 'class="qr"' in page.text and "http://testserver/" in page.text
    for wrong in ("x", session.trainer_token[:-1], session.code, session.trainer_token + "x"):
        assert client(app).get(f"/trainer/{wrong}").status_code == 403
    assert client(app).get("/trainer").status_code == 404


def test_dutch_ui(session, app_of) -> None:
    from tests.classroom.conftest import make_session

    nl = make_session(lang="nl")
    app = app_of(nl)
    assert "Vul de code in" in client(app).get("/").text
    page = client(app).get(trainer_url(nl)).text
    assert '<html lang="nl-NL">' in page and "Doe mee op" in page and "Volgende" in page


def test_qr_code_encodes_the_join_link(room) -> None:
    import segno

    session, app = room
    page = client(app).get(trainer_url(session)).text
    svg = page[page.index("<svg"):page.index("</svg>") + 6]
    assert 'role="img"' in svg and "QR code for http://testserver/" in svg
    assert "http" not in svg.replace("http://testserver/", "")  # drawn here, nothing fetched
    # The same matrix segno makes for the join link: the code in the QR code is the session's.
    expected = segno.make(f"http://testserver/?code={session.code}", error="m").svg_inline(scale=1, border=2)
    path = lambda s: s[s.rindex(' d="') + 4:s.index('"', s.rindex(' d="') + 4)]  # the dark modules
    assert path(svg) == path(expected)


# --- the trainer's actions -----------------------------------------------------------------------


def test_trainer_moves_through_the_steps(room) -> None:
    session, app = room
    c = client(app)
    kinds = []
    for _ in range(len(session.steps)):
        kinds.append(c.post(trainer_url(session, "next")).json())
    assert [k["index"] for k in kinds] == list(range(1, len(session.steps))) + [len(session.steps) - 1]
    assert kinds[-1]["changed"] is False and "Summary" in kinds[-1]["html"]
    back = c.post(trainer_url(session, "previous")).json()
    assert back["index"] == len(session.steps) - 2 and back["changed"]
    assert c.post(trainer_url(session, "reveal")).json()["changed"]  # the matching question
    assert "The correct answer" in c.post(trainer_url(session, "reveal")).json()["html"]


def test_trainer_actions_need_the_token(room) -> None:
    """A participant (with a cookie, without the token) cannot move, reveal or watch the counts."""
    session, app = room
    participant = joined(app, session)
    for action in ("next", "previous", "reveal"):
        assert participant.post(f"/trainer/not-the-token/{action}").status_code == 403
        assert participant.post(f"/trainer/{session.code}/{action}").status_code == 403
        assert participant.get(trainer_url(session, action)).status_code == 405
    assert participant.post(trainer_url(session, "jump")).status_code == 404
    assert session.current == 0 and not session.revealed
    with pytest.raises(WebSocketDisconnect) as denied, participant.websocket_connect("/trainer/not-the-token/ws"):
        pass
    assert denied.value.code == 1008
    # A page elsewhere cannot post to the trainer's URL either, token or not.
    other = client(app).post(trainer_url(session, "next"), headers={"Origin": "http://evil.example"})
    assert other.status_code == 403 and session.current == 0


# --- participants answering ----------------------------------------------------------------------


def test_answer_over_the_live_channel(room) -> None:
    session, app = room
    trainer = client(app)
    anna = joined(app, session, "Anna")
    q = first_question(session)
    with anna.websocket_connect("/ws") as ws, trainer.websocket_connect(trainer_url(session, "ws")) as screen:
        assert ws.receive_json()["index"] == 0 and screen.receive_json()["type"] == "step"
        for _ in range(q):
            trainer.post(trainer_url(session, "next"))
            assert ws.receive_json()["index"] == screen.receive_json()["index"]
        step = session.step
        assert 'class="answer"' in anna.get("/play").text
        ws.send_json({"type": "answer", "step": q, "choices": [step.choices[0].id]})
        update = ws.receive_json()
        assert update["type"] == "step" and "Your answer has been received" in update["html"]
        assert ws.receive_json() == {"type": "accepted", "step": q,
                                     "text": "Your answer has been received. Wait for the trainer to show the answer."}
        count = screen.receive_json()
        assert count["type"] == "count" and count["answered"] == 1 and count["text"] == "1 of 1 have answered"
        ws.send_json({"type": "answer", "step": q, "choices": [step.choices[1].id]})
        assert ws.receive_json()["reason"] == "duplicate"
        revealed = trainer.post(trainer_url(session, "reveal")).json()["html"]
        assert 'class="distribution"' in revealed and session.tally(step).counts[step.choices[0].id] == 1
        mine = ws.receive_json()["html"]
        assert "About your answer" in mine and "Explanation" in mine
        screen.receive_json()
    bert = joined(app, session)
    with bert.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "answer", "step": q, "choices": [step.choices[0].id]})
        assert ws.receive_json()["reason"] == "late"
    assert session.tally(step).answered == 1


def test_reload_keeps_the_answer(room) -> None:
    session, app = room
    q = first_question(session)
    go_to(session, q)
    anna = joined(app, session)
    with anna.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_json({"type": "answer", "step": q, "choices": [session.step.choices[2].id]})
        ws.receive_json(), ws.receive_json()
    page = anna.get("/play").text
    assert 'class="answer"' not in page and "(Your answer)" in page
    with anna.websocket_connect("/ws") as ws:
        assert "(Your answer)" in ws.receive_json()["html"]


@pytest.mark.parametrize("message, reason", [
    ("not json", "malformed"),
    ("[1, 2]", "malformed"),
    ('{"type": "reveal"}', "malformed"),
    ('{"type": "answer", "step": "3", "choices": ["a"]}', "malformed"),
    ('{"type": "answer", "step": true, "choices": ["a"]}', "malformed"),
    ('{"type": "answer", "step": 3, "choices": "a"}', "malformed"),
    ('{"type": "answer", "step": 3, "choices": [1]}', "malformed"),
    ('{"type": "answer", "step": 3, "choices": ["%s"]}' % ("a" * 81), "malformed"),
    ('{"type": "answer", "step": 3, "choices": %s}' % json.dumps(["a"] * 27), "malformed"),
    ('{"type": "answer", "step": 3, "choices": ["%s"]}' % ("a" * 3000), "too_large"),
    ('{"type": "answer", "step": 3, "choices": ["zz"]}', "invalid"),
    ('{"type": "answer", "step": 99999999999999999999, "choices": ["a"]}', "invalid"),
    ('{"type": "answer", "step": 0, "choices": ["a"]}', "invalid"),
    ("\ud800", "malformed"),
])
def test_hostile_messages_are_refused_and_the_session_goes_on(room, message: str, reason: str) -> None:
    session, app = room
    go_to(session, first_question(session))
    anna = joined(app, session)
    with anna.websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_text(message)
        refused = ws.receive_json()
        assert refused["type"] == "refused" and refused["reason"] == reason, refused
        assert refused["text"]
        ws.send_json({"type": "answer", "step": session.current, "choices": [session.step.choices[0].id]})
        assert ws.receive_json()["type"] == "step" and ws.receive_json()["type"] == "accepted"
    assert session.answered(session.step) == 1


def test_binary_frames_are_refused(room) -> None:
    session, app = room
    with joined(app, session).websocket_connect("/ws") as ws:
        ws.receive_json()
        ws.send_bytes(b"\x00\x01")
        assert ws.receive_json()["reason"] == "malformed"


def test_a_flood_is_slowed_down(room) -> None:
    session, app = room
    go_to(session, first_question(session))
    with joined(app, session).websocket_connect("/ws") as ws:
        ws.receive_json()
        for _ in range(40):
            ws.send_text("{}")
        replies = [ws.receive_json() for _ in range(11)]
    assert [r["reason"] for r in replies] == ["malformed"] * 10 + ["too_fast"]  # a burst of 10, then one warning


def test_the_rate_limit_refills() -> None:
    bucket = classroom_app.TokenBucket(rate=1000, burst=2)
    assert bucket.take() and bucket.take() and not bucket.take()
    bucket.stamp -= 1
    assert bucket.take()


def test_live_channel_without_joining(room) -> None:
    _, app = room
    with client(app).websocket_connect("/ws") as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4401  # the page sends its reader to the join page


def test_a_participant_who_never_reads_is_dropped_but_never_the_trainer(room) -> None:
    """A phone that does not read its messages gets a bounded outbox, then the door; the trainer's
    channel has no such limit (a room of phones must not be able to close it), and a burst of
    counts reaches it as one message, the newest."""
    import asyncio

    from generator.classroom.session import Participant

    class Deaf:
        client = None
        closed = None
        sent: list

        async def close(self, code):
            self.closed = code

        async def send_text(self, data):
            self.sent.append(json.loads(data))

    async def go(participant) -> tuple:
        ws = Deaf()
        ws.sent = []
        conn = classroom_app.Connection(ws, participant)
        for i in range(classroom_app.OUTBOX + 5):
            conn.push({"type": "accepted", "step": i})
            conn.push({"type": "count", "answered": i})
        if participant is None:
            conn.close(1000)  # or the writer would wait for more
        await asyncio.wait_for(conn.write(), 1)
        return ws.closed, ws.sent

    # In a thread of its own: a Chromium test earlier in the run leaves Playwright's event loop
    # running in this one, and asyncio.run() refuses to start inside a running loop.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        closed, sent = pool.submit(asyncio.run, go(Participant("p", ""))).result(timeout=30)
        assert closed == 1008 and sent == []
        closed, sent = pool.submit(asyncio.run, go(None)).result(timeout=30)
    assert closed == 1000
    n = classroom_app.OUTBOX + 5
    assert [m["step"] for m in sent if m["type"] == "accepted"] == list(range(n))
    assert [m for m in sent if m["type"] == "count"] == [{"type": "count", "answered": n - 1}]


# --- joining, hostile ----------------------------------------------------------------------------


def test_wrong_codes_are_limited_per_address(room) -> None:
    session, app = room
    c = client(app)
    wrong = "000000" if session.code != "000000" else "111111"
    for _ in range(classroom_app.WRONG_CODES_PER_MINUTE):
        response = c.post("/join", data={"code": wrong})
        assert response.status_code == 403 and "That code is not right" in response.text
    limited = c.post("/join", data={"code": session.code})
    assert limited.status_code == 429 and "Too many attempts" in limited.text
    assert session.participants == {}


def test_join_refuses_oversized_and_odd_bodies(room) -> None:
    session, app = room
    c = client(app)
    assert c.post("/join", content=b"code=" + b"1" * 5000,
                  headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 413
    assert c.post("/join", content=b"\xff\xfe", headers={"content-type": "application/x-www-form-urlencoded"}
                  ).status_code == 400
    assert c.post("/join", content=b"&".join(b"a=%d" % i for i in range(10)),
                  headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 400
    assert c.post("/join", headers={"content-length": "abc"}, content=b"").status_code == 413
    assert c.post("/join", data={"code": session.code}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert session.participants == {}


def test_a_full_session_refuses_joins(room, monkeypatch) -> None:
    session, app = room
    for _ in range(MAX_PARTICIPANTS):
        session.join()
    response = client(app).post("/join", data={"code": session.code})
    assert response.status_code == 503 and "This session is full." in response.text
    assert len(session.participants) == MAX_PARTICIPANTS


def test_nicknames_are_text_not_markup(room) -> None:
    session, app = room
    joined(app, session, '<script>alert(1)</script><img src=x onerror=alert(1)>')
    page = client(app).get(trainer_url(session)).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the server's own files, and the guards ------------------------------------------------------


def test_assets_and_nothing_else(room) -> None:
    _, app = room
    c = client(app)
    for name, kind in classroom_app.ASSETS.items():
        response = c.get(f"/assets/{name}")
        assert response.status_code == 200 and response.headers["content-type"] == kind
        assert response.content == (classroom_app.ASSET_DIR / name).read_bytes()
    for path in ["/assets/../app.py", "/assets/..%2fapp.py", "/assets/%2e%2e/session.py", "/assets/..%5capp.py",
                 "/assets/templates/base.html", "/assets/", "/assets/.", "/assets//etc/passwd",
                 "/assets/%2fetc%2fpasswd", "/assets/classroom.css%00.py", "/../../etc/passwd",
                 "/static/classroom.css", "/templates/base.html", "/generator/classroom/app.py"]:
        response = c.get(path)
        assert response.status_code == 404, path
        assert "import" not in response.text and "root:" not in response.text, path


def test_host_header_is_checked(session, app_of) -> None:
    """A web page on another name (DNS rebinding) reaches no route, and no live channel."""
    app = app_of(session, allowed_hosts={"127.0.0.1:8000", "localhost:8000"})
    good = client(app, base_url="http://127.0.0.1:8000")
    assert good.get("/").status_code == 200
    assert client(app, base_url="http://localhost:8000").get("/").status_code == 200
    for host in ("evil.example", "evil.example:8000", "127.0.0.1:9999", "127.0.0.1"):
        response = good.get(trainer_url(session), headers={"host": host})
        assert response.status_code == 400 and session.trainer_token not in response.text, host
    rebound = client(app, base_url="http://evil.example:8000")
    with pytest.raises(WebSocketDisconnect), rebound.websocket_connect(trainer_url(session, "ws")):
        pass
    assert rebound.post(trainer_url(session, "next")).status_code == 400 and session.current == 0


def test_any_host_when_listening_everywhere(session, app_of) -> None:
    app = app_of(session, allowed_hosts=None)
    assert client(app, base_url="http://192.168.1.20:8000").get("/").status_code == 200


def test_security_headers_on_every_response(room) -> None:
    session, app = room
    c = client(app)
    for response in (c.get("/"), c.get(trainer_url(session)), c.get("/assets/classroom.css"), c.get("/nothing"),
                     c.get("/trainer/wrong")):
        headers = response.headers
        assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")
        assert headers["referrer-policy"] == "same-origin" and headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store" and headers["x-frame-options"] == "DENY"


def test_the_pages_fetch_nothing_from_elsewhere(room) -> None:
    import re

    session, app = room
    c = joined(app, session)
    for page in (c.get("/").text, c.get("/play").text, client(app).get(trainer_url(session)).text):
        sources = re.findall(r'(?:src|href)="([^"]*)"', page)
        assert sources and all(s.startswith("/assets/") or s == "data:," for s in sources), sources


def test_open_connections_are_bounded(room, monkeypatch) -> None:
    session, app = room
    monkeypatch.setattr(classroom_app, "MAX_CONNECTIONS", 2)
    anna = joined(app, session)
    with anna.websocket_connect("/ws") as one, anna.websocket_connect("/ws") as two:
        one.receive_json(), two.receive_json()
        with anna.websocket_connect("/ws") as three:
            with pytest.raises(WebSocketDisconnect) as closed:
                three.receive_json()
        assert closed.value.code == 1013
        one.send_text("{}")
        assert one.receive_json()["reason"] == "malformed"


# --- one person must not lock the room out -------------------------------------------------------


def test_a_newer_tab_closes_the_oldest_beyond_the_limit(room) -> None:
    session, app = room
    anna = joined(app, session)
    limit = classroom_app.TABS_PER_PARTICIPANT
    with contextlib.ExitStack() as stack:
        tabs = [stack.enter_context(anna.websocket_connect("/ws")) for _ in range(limit)]
        for tab in tabs:
            assert tab.receive_json()["type"] == "step"
        newest = stack.enter_context(anna.websocket_connect("/ws"))
        assert newest.receive_json()["type"] == "step"
        with pytest.raises(WebSocketDisconnect) as closed:
            tabs[0].receive_json()
        assert closed.value.code == 4409  # the page says: open in another tab, and stops
        newest.send_text("{}")
        assert newest.receive_json()["reason"] == "malformed"  # the newest works


def test_channels_per_address_are_limited_but_not_the_trainers(room, monkeypatch) -> None:
    session, app = room
    monkeypatch.setattr(classroom_app, "CONNECTIONS_PER_ADDRESS", 2)
    people = [joined(app, session) for _ in range(3)]
    elsewhere = client(app, client=("192.0.2.7", 5000))
    elsewhere.post("/join", data={"code": session.code})
    with people[0].websocket_connect("/ws") as one, people[1].websocket_connect("/ws") as two:
        one.receive_json(), two.receive_json()
        with people[2].websocket_connect("/ws") as three:
            with pytest.raises(WebSocketDisconnect) as closed:
                three.receive_json()
        assert closed.value.code == 1013
        with elsewhere.websocket_connect("/ws") as other:  # another address is not affected
            assert other.receive_json()["type"] == "step"
        with contextlib.ExitStack() as stack:  # nor is the trainer, from the same address
            screens = [stack.enter_context(client(app).websocket_connect(trainer_url(session, "ws")))
                       for _ in range(3)]
            assert all(s.receive_json()["type"] == "step" for s in screens)


def test_joins_per_address_are_limited(room, monkeypatch) -> None:
    """600 joins from one address fill at most JOINS_PER_ADDRESS places; others still join."""
    session, app = room
    monkeypatch.setattr(classroom_app, "JOINS_PER_ADDRESS", 3)
    c = client(app)
    statuses = [c.post("/join", data={"code": session.code}, follow_redirects=False).status_code
                for _ in range(6)]
    assert statuses == [303] * 3 + [429] * 3
    refused = c.post("/join", data={"code": session.code})
    assert "Too many participants have joined from this network address." in refused.text
    other = client(app, client=("192.0.2.8", 5000))
    assert other.post("/join", data={"code": session.code}, follow_redirects=False).status_code == 303
    assert len(session.participants) == 4


def test_the_count_is_of_those_connected_and_reaches_the_trainer_as_small_messages(room) -> None:
    session, app = room
    trainer = client(app)
    anna, ben = joined(app, session, "Anna"), joined(app, session)
    with trainer.websocket_connect(trainer_url(session, "ws")) as screen:
        assert screen.receive_json()["type"] == "step"
        assert 'id="joined">0 participants<' in trainer.get(trainer_url(session)).text  # joined, not connected
        cleo = joined(app, session, "Cleo")
        assert screen.receive_json() == {"type": "nickname", "name": "Cleo"}
        with anna.websocket_connect("/ws") as a:
            a.receive_json()
            assert screen.receive_json() == {"type": "joined", "count": 1, "text": "1 participant"}
            with ben.websocket_connect("/ws") as b:
                b.receive_json()
                assert screen.receive_json()["text"] == "2 participants"
                q = first_question(session)
                for _ in range(q):
                    trainer.post(trainer_url(session, "next"))
                    screen.receive_json()
                for ws in (a, b):  # each step, or (coalesced) the last one only
                    while ws.receive_json()["index"] != q:
                        pass
                a.send_json({"type": "answer", "step": q, "choices": [session.step.choices[0].id]})
                assert [a.receive_json()["type"] for _ in range(2)] == ["step", "accepted"]
                assert screen.receive_json()["text"] == "1 of 2 have answered"
            assert screen.receive_json()["text"] == "1 of 1 have answered"  # Ben has left
        # Anna's phone sleeps: her answer still counts, among those in the room
        assert screen.receive_json()["text"] == "1 of 1 have answered"
        del cleo
