"""The classroom web app: the trainer's view, the participants' view, and the live channel between.

Routes (everything else is 404):

- ``GET /`` join page; ``POST /join`` checks the session code and gives the browser a participant
  id (an HttpOnly cookie); ``GET /play`` the participant's page; ``WS /ws`` their live channel:
  the server pushes each step as HTML, the participant sends ``{"type": "answer", ...}``.
- ``GET /trainer/<token>`` the projector view; ``WS /trainer/<token>/ws`` its live channel (answer
  counts); ``POST /trainer/<token>/{next,previous,reveal}`` the trainer's actions. Without the
  token: 403.
- ``GET /assets/<name>`` the package's own stylesheet and scripts, by name from a fixed list.

The guards: the Host header must name the address the server is bound to (a web page elsewhere
cannot reach it through DNS rebinding) unless it listens on every interface; a WebSocket or a POST
from another origin is refused; request bodies and messages have a size limit, and each live
connection a rate limit; wrong session codes are limited per address. Every handler is async, so
the session is only ever touched from the event loop.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any, Callable, Collection
from urllib.parse import parse_qs, urlsplit

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from generator import html
from generator.classroom import text
from generator.classroom.session import (CODE_DIGITS, MAX_NICKNAME, MAX_QUESTION, MAX_WORDS, Participant,
                                        Session, Step, Verdict, write_results)
from generator.i18n import core_text, format_number
from generator.model import Matching, Ordering
from generator.shuffle import shown_responses, shown_steps

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSET_DIR = HERE / "assets"
#: What ``/assets/`` serves: these files, by name; nothing else on disk is reachable.
ASSETS = {"classroom.css": "text/css; charset=utf-8", "participant.js": "text/javascript; charset=utf-8",
          "trainer.js": "text/javascript; charset=utf-8", "console.js": "text/javascript; charset=utf-8"}

COOKIE = "modgen_classroom"
MAX_BODY = 2048  # bytes of a join form
MAX_MESSAGE = 2048  # characters of one WebSocket message; an answer needs a few dozen, a question a few hundred
MAX_CHOICES = 26
#: A connection may send RATE messages per second, in bursts of up to BURST.
RATE, BURST = 5.0, 10.0
#: Texts (open answers, questions) one participant may send: one every 5 seconds, 3 at once.
TEXT_RATE, TEXT_BURST = 0.2, 3.0
#: What the trainer's console may ask for (POST /trainer/<token>/moderate).
MODERATION = frozenset({"show-words", "hide-words", "show-question", "hide-question", "answered-question",
                        "remove", "lock", "unlock", "cloud", "list", "questions-on", "questions-off", "timer",
                        "timer-stop"})
CONSOLE_EVERY = 0.2  # seconds between two renders of the trainer's console
TIMER_SECONDS = frozenset({30, 60, 120, 180, 300, 600})
#: Wrong session codes an address may try per minute.
WRONG_CODES_PER_MINUTE = 10
OUTBOX = 64  # messages waiting for one slow phone before it is dropped (never the trainer's)
#: Kinds of message of which only the newest is worth sending (see Outbox).
REPLACED = frozenset({"step", "count", "joined", "console", "questions", "timer"})
MAX_CONNECTIONS = 1000  # open participants' WebSockets (the trainer's do not count)
#: Limits a real room never reaches but one person with the code would: open WebSockets per
#: address (a few dozen phones behind one NAT stay below it), tabs per participant (a newer one
#: closes the oldest, as a phone that reconnects before the server noticed it had gone needs),
#: and participants joined per address.
CONNECTIONS_PER_ADDRESS = 200
TABS_PER_PARTICIPANT = 4
JOINS_PER_ADDRESS = 100
SAVE_AFTER = 1.0  # seconds from an answer to the results file holding it
BODY_SECONDS = 5.0  # to send a join form, once its request head has arrived

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # the trainer's URL holds the token: never pass it on
    # (not no-referrer: with it a browser sends "Origin: null" on a POST, and the origin check fails)
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
]


class Guard:
    """ASGI middleware: the Host check and the security headers on every response."""

    def __init__(self, app: Any, allowed_hosts: set[str] | None):
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        host = next((v.decode("latin-1").lower() for k, v in scope["headers"] if k == b"host"), "")
        if self.allowed is not None and host not in self.allowed:
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await Response("Invalid host header", 400, media_type="text/plain")(scope, receive, send)

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + HEADERS}
            await send(message)

        await self.app(scope, receive, with_headers)


class TokenBucket:
    """At most ``rate`` events per second on average, ``burst`` at once."""

    def __init__(self, rate: float = RATE, burst: float = BURST):
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Outbox:
    """What waits to be sent on one connection. A newer message of a kind that replaces the last
    (a step, a count) takes the place of the one still waiting, so a burst of 250 joins is one
    count on the trainer's screen, not 250. ``limit``: how many may wait before the reader is
    judged not to read and the connection is let go; None for the trainer's own channel, which a
    phone must never be able to close."""

    def __init__(self, limit: int | None):
        self.limit = limit
        self.items: deque = deque()
        self.ready = asyncio.Event()
        try:
            self.loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self.loop = None

    def put(self, message: dict | None) -> None:
        kind = message.get("type") if message else None
        if kind in REPLACED:
            for i, waiting in enumerate(self.items):
                if waiting is not None and waiting.get("type") == kind:
                    del self.items[i]
                    break
        if self.limit is not None and len(self.items) >= self.limit:
            self.items.clear()  # a client that does not read: let it go rather than hold memory
            message = None
        self.items.append(message)
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        if self.loop is None or here is self.loop:
            self.ready.set()
        else:  # pushed from another event loop's thread (the test client runs one per connection)
            self.loop.call_soon_threadsafe(self.ready.set)

    async def get(self) -> dict | None:
        while not self.items:
            self.ready.clear()
            await self.ready.wait()
        return self.items.popleft()


class Connection:
    """One open WebSocket: what is waiting to be sent on it, and its rate limit."""

    def __init__(self, ws: WebSocket, participant: Participant | None, console: bool = False):
        self.ws = ws
        self.participant = participant
        self.console = console  # the trainer's console rather than the projector
        self.address = ws.client.host if ws.client else "?"
        self.outbox = Outbox(OUTBOX if participant is not None else None)
        self.bucket = TokenBucket()
        self.last_slow_down = 0.0
        self.close_code = 1008

    @property
    def trainer(self) -> bool:
        return self.participant is None

    def push(self, message: dict) -> None:
        self.outbox.put(message)

    def close(self, code: int) -> None:
        """Close after what is waiting has been sent (a reason the page can show, for instance)."""
        self.close_code = code
        self.outbox.put(None)

    async def write(self) -> None:
        try:
            while True:
                message = await self.outbox.get()
                if message is None:
                    await self.ws.close(code=self.close_code)
                    return
                await self.ws.send_text(json.dumps(message))
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the other end has gone: its reader ends the connection


_FIGURE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}


class Views:
    """The pages and step fragments, rendered in the session's language."""

    def __init__(self, session: Session, participant_url: str, connected: Callable[[], Collection[str]]):
        self.session = session
        self.connected = connected  # the ids of the participants with a live channel open
        self.lang = lang = session.lang
        self.participant_url = participant_url
        self.env = html.environment(TEMPLATES, session.course, lang,
                                    label=lambda key, **values: text(key, lang, **values),
                                    core_notice=core_text("content_notice"))
        self.env.filters.update(md_inline=self._md_inline)
        self.assets = self._brand_assets()
        self.common = dict(session=session, lesson=session.lesson, code_digits=CODE_DIGITS,
                           max_nickname=MAX_NICKNAME, max_words=MAX_WORDS, max_question=MAX_QUESTION,
                           participant_url=participant_url,
                           support=session.course.support, logo=self.logo)

    def _brand_assets(self) -> dict[str, tuple[bytes, str]]:
        """The course's branding as assets: its colours as a stylesheet of custom properties (the
        Content-Security-Policy allows no inline style), and its logo, when it has one."""
        from generator.images import read_logo

        colours = self.session.course.branding.colours  # checked as #rrggbb by the model
        css = f":root {{ --primary: {colours.primary}; --accent: {colours.accent}; }}\n"
        assets = {"brand.css": (css.encode(), "text/css; charset=utf-8")}
        self.logo = None
        found = read_logo(self.session.course)
        if found is not None:
            name = f"logo.{found.ext}"
            media = {"png": "image/png", "jpeg": "image/jpeg"}  # the only kinds a logo may be
            assets[name] = (found.data, media.get(found.ext, "application/octet-stream"))
            organisation = self.session.course.branding.organisation
            alt = (organisation or self.session.course.title).get(self.lang)
            self.logo = dict(name=name, width=found.width, height=found.height, alt=alt)
        # The lesson's pictures, when the session shows them (``--figures``): by content, like the site's.
        from generator.figure_html import figure_view

        self.figures = {}
        for step in self.session.steps:
            if step.kind == "figure":
                view = figure_view(self.session.course, step.figure, self.lang)
                if view.file:
                    view.src = "/assets/" + view.file.replace("figures/", "figure-")
                    assets[view.src[len("/assets/"):]] = (view.data, _FIGURE_TYPES[view.file.rsplit(".", 1)[1]])
                self.figures[step.index] = view
        return assets

    def _md_inline(self, value) -> Markup:
        rendered = html.markdown_html(value.get(self.lang) if value is not None else "")
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            rendered = rendered[3:-4]
        return Markup(rendered)

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**self.common, **context)

    def qr_svg(self) -> Markup:
        import segno

        qr = segno.make(self.join_link(), error="m")
        label = text("qr_label", self.lang, url=self.participant_url)
        svg = qr.svg_inline(scale=1, border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr",
                            title=label)
        return Markup(svg.replace("<svg ", '<svg role="img" aria-label="{}" '.format(Markup.escape(label)), 1))

    def join_link(self) -> str:
        """What the QR code opens: the join page with the code filled in."""
        return f"{self.participant_url}?code={self.session.code}"

    def step_title(self, step: Step) -> str:
        lang = self.lang
        if step.kind in ("question", "matching", "group-question"):
            if step.total:
                return text("question_of", lang, n=step.number, total=step.total)
            return text("question_n", lang, n=step.number)
        if step.kind == "discussion":
            return text("discussion", lang)
        if step.kind == "vignette":
            return text("case", lang, title=step.vignette.title.get(lang))
        if step.kind == "summary":
            return text("summary", lang)
        if step.kind == "figure":
            view = self.figures[step.index]
            return view.caption or text("figure", lang)
        if step.kind == "scale":
            if step.scale.ask != "both":
                return text("scale_title", lang)
            return text("scale_title_" + self.session.scale_phase(step), lang)
        return text("start", lang)

    def step_context(self, step: Step) -> dict:
        session = self.session
        context = dict(step=step, revealed=session.is_revealed(step), title=self.step_title(step),
                       figure=self.figures.get(step.index),
                       position=text("step_of", self.lang, n=step.index + 1, total=len(session.steps)))
        question = step.question
        if isinstance(question, Matching):
            responses = shown_responses(question)  # the deck's letters
            letters = {p.id: chr(ord("A") + i) for i, p in enumerate(responses)}
            context.update(premises=question.pairs, responses=responses, letters=letters)
        elif isinstance(question, Ordering):
            shown = shown_steps(question)
            context.update(shown=shown, letters={x.id: chr(ord("A") + i) for i, x in enumerate(shown)})
        return context

    def answered_text(self, step: Step) -> str:
        """"12 of 20 have answered": of those in the room now — the connected, and anyone who
        answered this question before their phone went to sleep —, not of everyone who ever joined,
        so that a trainer waiting for "20 of 20" is not kept waiting by someone who has left."""
        answered = self.session.answered_ids(step)
        total = len(answered | set(self.connected()))
        return text("answered", self.lang, n=len(answered), total=total)

    def joined_text(self) -> str:
        n = len(self.connected())
        return text("joined_one", self.lang) if n == 1 else text("joined", self.lang, n=n)

    def mean_text(self, step: Step) -> str | None:
        mean = self.session.mean(step)
        return None if mean is None else format_number(round(mean, 1), self.lang)

    def scale_context(self, step: Step) -> dict:
        if step.kind != "scale":
            return {}
        context: dict[str, Any] = dict(mean=self.mean_text(step) or "–", before=None)
        if step.before is not None:
            first = self.session.steps[step.before]
            context["before"] = dict(tally=self.session.tally(first), mean=self.mean_text(first) or "–")
        return context

    def shown_words(self, step: Step) -> list:
        """The open answers the trainer shows: as a list, or as a cloud of (term, size 1–5), the
        same answer from several people one term, larger."""
        shown = self.session.words_for(step, shown_only=True)
        if not self.session.cloud:
            return shown
        counts: dict[str, list] = {}
        for words in shown:
            entry = counts.setdefault(words.text.casefold(), [words.text, 0])
            entry[1] += 1
        return [(term, min(5, n)) for term, n in sorted(counts.values(), key=lambda e: (-e[1], e[0].casefold()))]

    def trainer_step(self) -> str:
        session = self.session
        step = session.step
        tallies = {s.index: session.tally(s) for s in session.steps if s.answerable}
        context = self.step_context(step)
        if session.questions_on_screen:
            context["title"] = text("room_questions", self.lang)
        return self.render("trainer_step.html", **context, tally=tallies.get(step.index),
                           tallies=tallies, answered_text=self.answered_text(step), joined_text=self.joined_text(),
                           nicknames=session.nicknames(), qr=self.qr_svg() if step.kind == "start" else "",
                           shown_words=self.shown_words(step) if step.open_answers else [], cloud=session.cloud,
                           questions_on_screen=session.questions_on_screen, room_questions=session.shown_questions(),
                           **self.scale_context(step))

    def participant_step(self, participant: Participant) -> str:
        step = self.session.step
        picked = participant.answers.get(step.index)
        matched = dict(c.split(">", 1) for c in picked or () if ">" in c)  # premise → response picked
        return self.render("participant_step.html", **self.step_context(step), picked=picked, matched=matched,
                           **self.scale_context(step))

    def console(self, handles: dict[str, int]) -> str:
        """The trainer's console: what the room typed, held for moderation, and the room's door."""
        session = self.session
        step = session.step
        people = sorted(session.participants.values(), key=lambda p: p.handle)
        return self.render("console_body.html", step=step, title=self.step_title(step),
                           words=session.words_for(step) if step.open_answers else [],
                           questions=sorted(session.questions.values(), key=lambda q: int(q.id[1:])),
                           people=people, connected=handles, cloud=session.cloud,
                           questions_on_screen=session.questions_on_screen)

    def console_page(self) -> str:
        return self.render("console.html", base=f"/trainer/{self.session.trainer_token}",
                           console_html=Markup(self.console({})))

    def trainer_page(self) -> str:
        return self.render("trainer.html", step_html=Markup(self.trainer_step()),
                           base=f"/trainer/{self.session.trainer_token}")

    def participant_page(self, participant: Participant) -> str:
        return self.render("play.html", participant=participant, step_html=Markup(self.participant_step(participant)))

    def join_page(self, code: str = "", error: str | None = None) -> str:
        return self.render("join.html", code=code, error=error)


class Classroom:
    """The app's state besides the session: open connections, who is connected, and the
    per-address counters."""

    def __init__(self, session: Session, participant_url: str, results: Path | None = None,
                 open_answers: bool = False):
        self.session = session
        self.results = results
        self.open_answers = open_answers
        self.save_pending: asyncio.TimerHandle | None = None
        self.connections: set[Connection] = set()
        self.tabs: dict[str, list[Connection]] = {}  # participant id → their open channels, oldest first
        self.from_address: Counter[str] = Counter()  # participants' open channels per address
        self.joins_from: Counter[str] = Counter()  # participants joined per address
        self.wrong_codes: dict[str, deque] = {}
        self.text_buckets: dict[str, TokenBucket] = {}  # per participant, over all their tabs
        self.console_pending: asyncio.TimerHandle | None = None
        self.views = Views(session, participant_url, connected=self.tabs.keys)

    # --- the results file, kept current ------------------------------------------------------

    def save(self) -> None:
        """Write the results file now (a step changed): a session killed a moment later keeps it."""
        if self.save_pending is not None:
            self.save_pending.cancel()
            self.save_pending = None
        if self.results is not None:
            write_results(self.session, self.results, open_answers=self.open_answers)

    def save_soon(self) -> None:
        """Write the results file within a second (answers coming in): once, however many arrive."""
        if self.results is not None and self.save_pending is None:
            self.save_pending = asyncio.get_running_loop().call_later(SAVE_AFTER, self.save)

    # --- who is connected ----------------------------------------------------------------------

    def admit(self, conn: Connection) -> int | None:
        """Add a new channel, or return the close code that refuses it. The trainer's is never refused."""
        if conn.participant is not None:
            if sum(1 for c in self.connections if not c.trainer) >= MAX_CONNECTIONS:
                return 1013
            if self.from_address[conn.address] >= CONNECTIONS_PER_ADDRESS:
                return 1013
            tabs = self.tabs.setdefault(conn.participant.id, [])
            while len(tabs) >= TABS_PER_PARTICIPANT:
                tabs.pop(0).close(4409)  # the oldest tab: a phone reconnecting leaves one behind
            tabs.append(conn)
            self.from_address[conn.address] += 1
            if len(tabs) == 1:
                self.connections.add(conn)
                self.push_counts()
                return None
        self.connections.add(conn)
        return None

    def leave(self, conn: Connection) -> None:
        if conn not in self.connections:
            return
        self.connections.discard(conn)
        if conn.participant is None:
            return
        self.from_address[conn.address] -= 1
        if self.from_address[conn.address] <= 0:
            del self.from_address[conn.address]
        tabs = self.tabs.get(conn.participant.id, [])
        if conn in tabs:
            tabs.remove(conn)
        if not tabs:
            self.tabs.pop(conn.participant.id, None)
            self.push_counts()

    # --- broadcasting ------------------------------------------------------------------------

    def step_message(self, conn: Connection) -> dict:
        if conn.console:
            return self.console_message()
        session = self.session
        view = self.views.participant_step(conn.participant) if conn.participant else self.views.trainer_step()
        return {"type": "step", "index": session.current, "title": self.views.step_title(session.step), "html": view}

    def push_step(self) -> None:
        for conn in list(self.connections):
            conn.push(self.step_message(conn))

    def to_trainer(self, message: dict) -> None:
        for conn in self.connections:
            if conn.trainer and not conn.console:
                conn.push(message)

    def console_message(self) -> dict:
        return {"type": "console", "html": self.views.console(self.tabs)}

    def push_console(self) -> None:
        """The console again, soon: at most five times a second, however busy the room is."""
        if self.console_pending is None and any(c.console for c in self.connections):
            self.console_pending = asyncio.get_running_loop().call_later(CONSOLE_EVERY, self._send_console)

    def _send_console(self) -> None:
        self.console_pending = None
        message = self.console_message()
        for conn in self.connections:
            if conn.console:
                conn.push(message)

    def push_projector(self) -> None:
        """The projector's step again (what it shows of the room's words changed)."""
        for conn in self.connections:
            if conn.trainer and not conn.console:
                conn.push(self.step_message(conn))

    def questions_message(self, participant: Participant) -> dict:
        items = [{"id": q.id, "text": q.text, "votes": q.votes, "mine": participant.id in q.voters}
                 for q in self.session.shown_questions()]
        return {"type": "questions", "items": items}

    def push_questions(self) -> None:
        for conn in self.connections:
            if conn.participant is not None:
                conn.push(self.questions_message(conn.participant))

    def timer_message(self) -> dict:
        end = self.session.timer_end
        return {"type": "timer", "seconds": None if end is None else max(0, round(end - time.monotonic()))}

    def push_timer(self) -> None:
        message = self.timer_message()
        for conn in self.connections:
            if not conn.console:
                conn.push(message)

    def remove(self, participant_id: str) -> bool:
        """The trainer removes a participant: their channels close (the page says so), their
        answers and texts go, and their cookie no longer lets them in."""
        participant = self.session.remove(participant_id)
        if participant is None:
            return False
        for conn in list(self.tabs.get(participant_id, [])):
            conn.close(4403)
        if self.joins_from[participant.address] > 0:
            self.joins_from[participant.address] -= 1
        return True

    def moderate(self, action: str, item: str) -> bool:
        """One of the console's actions; False when it names nothing there is."""
        session = self.session
        if action in ("show-words", "hide-words"):
            words = session.words.get(item)
            if words is None:
                return False
            words.shown = action == "show-words"
            self.push_projector()
        elif action in ("show-question", "hide-question", "answered-question"):
            question = session.questions.get(item)
            if question is None:
                return False
            question.status = {"show-question": "shown", "hide-question": "hidden"}.get(action, "answered")
            self.push_questions()
            self.push_projector()
        elif action == "remove":
            handle = int(item) if item.isdigit() and len(item) < 7 else -1
            found = next((p.id for p in session.participants.values() if p.handle == handle), None)
            if found is None or not self.remove(found):
                return False
            self.push_counts()
            self.push_questions()
            self.push_projector()
        elif action in ("lock", "unlock"):
            session.locked = action == "lock"
            self.push_projector()
        elif action in ("cloud", "list"):
            session.cloud = action == "cloud"
            self.push_projector()
        elif action in ("questions-on", "questions-off"):
            session.questions_on_screen = action == "questions-on"
            self.push_projector()
        elif action == "timer":
            seconds = int(item) if item.isdigit() and len(item) < 5 else 0
            if seconds not in TIMER_SECONDS:
                return False
            session.timer_end = time.monotonic() + seconds
            self.push_timer()
        elif action == "timer-stop":
            session.timer_end = None
            self.push_timer()
        else:
            return False
        self.push_console()
        return True

    def push_counts(self) -> None:
        """The live counts on the trainer's screen, as small messages: the number connected (the
        welcome screen's), and how many have answered the question on the screen."""
        step = self.session.step
        connected = len(self.tabs)
        self.session.note_connected(connected)
        self.push_console()
        if step.kind == "start":
            self.to_trainer({"type": "joined", "count": connected, "text": self.views.joined_text()})
        elif step.answerable:
            self.to_trainer({"type": "count", "text": self.views.answered_text(step),
                             "answered": self.session.answered(step), "joined": connected})

    # --- wrong codes -------------------------------------------------------------------------

    def may_try(self, address: str) -> bool:
        now = time.monotonic()
        tries = self.wrong_codes.get(address)
        if tries is None:
            return True
        while tries and now - tries[0] > 60:
            tries.popleft()
        if not tries:
            del self.wrong_codes[address]
        return len(tries) < WRONG_CODES_PER_MINUTE

    def wrong_code(self, address: str) -> None:
        if len(self.wrong_codes) > 10_000:  # an address flood must not grow this without end
            self.wrong_codes.clear()
        self.wrong_codes.setdefault(address, deque()).append(time.monotonic())


def _same_origin(headers) -> bool:
    """True unless an Origin header names another host than the request's own Host."""
    origin = headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


async def _bounded_body(request: Request, limit: int = MAX_BODY) -> bytes | None:
    """The request body, or None when it is longer than ``limit`` (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return body


def create_app(session: Session, *, participant_url: str, allowed_hosts: set[str] | None,
               results: Path | None = None, open_answers: bool = False) -> Any:
    """The ASGI app for ``session``. ``allowed_hosts``: the Host header values to accept
    (``host:port``), or None to accept any (a server listening on every interface). ``results``:
    the file to keep the results in as the session goes (with the room's own words when
    ``open_answers``)."""
    room = Classroom(session, participant_url, results, open_answers)
    views = room.views
    lang = session.lang

    def page(body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(body, status)

    def plain(key: str, status: int) -> Response:
        return Response(text(key, lang), status, media_type="text/plain; charset=utf-8")

    def participant_of(cookies) -> Participant | None:
        return session.participant(cookies.get(COOKIE))

    async def join_form(request: Request) -> Response:
        if participant_of(request.cookies) is not None:
            return RedirectResponse("/play", 303)
        code = request.query_params.get("code", "")
        return page(views.join_page(code=code if code.isdigit() and len(code) == CODE_DIGITS else ""))

    async def join(request: Request) -> Response:
        if not _same_origin(request.headers):
            return plain("forbidden", 403)
        address = request.client.host if request.client else "?"
        if not room.may_try(address):
            return page(views.join_page(error=text("too_many_tries", lang)), 429)
        try:  # the head came in time (the door sees to that); the body must follow
            body = await asyncio.wait_for(_bounded_body(request), BODY_SECONDS)
        except asyncio.TimeoutError:
            return plain("refused_too_slow", 408)
        if body is None:
            return plain("refused_too_large", 413)
        try:
            fields = parse_qs(body.decode("utf-8"), max_num_fields=4)
        except (UnicodeDecodeError, ValueError):
            return page(views.join_page(error=text("wrong_code", lang)), 400)
        code = (fields.get("code") or [""])[0]
        nickname = (fields.get("nickname") or [""])[0]
        if not session.code_matches(code):
            room.wrong_code(address)
            return page(views.join_page(error=text("wrong_code", lang)), 403)
        if session.locked:
            return page(views.join_page(error=text("joining_closed", lang)), 403)
        if session.full:
            return page(views.join_page(error=text("session_full", lang)), 503)
        if room.joins_from[address] >= JOINS_PER_ADDRESS:  # one person must not fill the room
            return page(views.join_page(error=text("too_many_joins", lang)), 429)
        if not session.nickname_allowed(nickname):
            return page(views.join_page(code=code, error=text("nickname_blocked", lang)), 400)
        room.joins_from[address] += 1
        participant = session.join(nickname, address)
        if participant.nickname:  # the count follows when the phone opens its channel
            room.to_trainer({"type": "nickname", "name": participant.nickname})
        room.push_console()
        response = RedirectResponse("/play", 303)
        response.set_cookie(COOKIE, participant.id, httponly=True, samesite="strict", path="/")
        return response

    async def play(request: Request) -> Response:
        participant = participant_of(request.cookies)
        if participant is None:
            return RedirectResponse("/", 303)
        return page(views.participant_page(participant))

    async def trainer(request: Request) -> Response:
        if not session.token_matches(request.path_params["token"]):
            return plain("forbidden", 403)
        return page(views.trainer_page())

    async def trainer_action(request: Request) -> Response:
        if not session.token_matches(request.path_params["token"]) or not _same_origin(request.headers):
            return plain("forbidden", 403)
        action = request.path_params["action"]
        if action == "next":
            changed = session.next()
        elif action == "previous":
            changed = session.previous()
        elif action == "reveal":
            changed = session.reveal()
        elif action == "moderate":
            return await moderate(request)
        else:
            return plain("not_found", 404)
        if changed:
            session.note_connected(len(room.tabs))
            session.questions_on_screen = False  # a new step is what the room should see
            if session.timer_end is not None:  # a timer belongs to its step
                session.timer_end = None
                room.push_timer()
            room.push_step()
            room.save()
        return JSONResponse({"index": session.current, "changed": changed, "title": views.step_title(session.step),
                             "html": views.trainer_step()})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name in views.assets:
            data, media_type = views.assets[name]
            return Response(data, media_type=media_type)
        if name not in ASSETS:
            return plain("not_found", 404)
        return Response((ASSET_DIR / name).read_bytes(), media_type=ASSETS[name])

    async def not_found(request: Request, exc: Exception) -> Response:
        return plain("not_found", 404)

    async def live(ws: WebSocket, participant: Participant | None, console: bool = False) -> None:
        await ws.accept()
        conn = Connection(ws, participant, console)
        refused = room.admit(conn)
        if refused is not None:
            return await ws.close(code=refused)
        writer = asyncio.create_task(conn.write())
        conn.push(room.step_message(conn))
        if participant is not None and session.shown_questions():
            conn.push(room.questions_message(participant))
        if session.timer_end is not None and not console:
            conn.push(room.timer_message())
        try:
            while True:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if participant is not None:
                    handle(conn, message)
        except WebSocketDisconnect:
            pass
        finally:
            room.leave(conn)
            writer.cancel()

    def refuse(conn: Connection, reason: str) -> None:
        conn.push({"type": "refused", "reason": reason, "text": text(f"refused_{reason}", lang)})

    def handle(conn: Connection, message: dict) -> None:
        """One message from a participant: an answer, or something refused without harm."""
        if not conn.bucket.take():
            now = time.monotonic()
            if now - conn.last_slow_down > 1:  # one reply a second, not one per flooded message
                conn.last_slow_down = now
                refuse(conn, "too_fast")
            return
        raw = message.get("text")
        if raw is None:
            return refuse(conn, "malformed")  # binary frames: nothing we speak
        if len(raw) > MAX_MESSAGE:
            return refuse(conn, "too_large")
        try:
            data = json.loads(raw)
        except ValueError:
            return refuse(conn, "malformed")
        kind = data.get("type") if isinstance(data, dict) else None
        if kind in ("words", "ask", "upvote"):
            return handle_text(conn, kind, data)
        if kind != "answer":
            return refuse(conn, "malformed")
        step, choices = data.get("step"), data.get("choices")
        if (type(step) is not int or not isinstance(choices, list) or len(choices) > MAX_CHOICES
                or not all(isinstance(c, str) and len(c) <= 80 for c in choices)):
            return refuse(conn, "malformed")
        verdict = session.answer(conn.participant, step, choices)
        if verdict is not Verdict.ACCEPTED:
            return refuse(conn, verdict.value)
        for other in room.connections:  # the same participant in another tab sees it too
            if other.participant is conn.participant:
                other.push(room.step_message(other))
        conn.push({"type": "accepted", "step": step, "text": text("answer_received", lang)})
        room.push_counts()
        room.save_soon()

    def handle_text(conn: Connection, kind: str, data: dict) -> None:
        """What a participant types (an open answer, a question to the trainer) or an upvote."""
        participant = conn.participant
        if kind == "upvote":
            question = data.get("question")
            if not isinstance(question, str) or len(question) > 20:
                return refuse(conn, "malformed")
            verdict = session.upvote(participant, question)
            if verdict is not Verdict.ACCEPTED:
                return refuse(conn, verdict.value)
            room.push_questions()
            if session.questions_on_screen:
                room.push_projector()
            return room.push_console()
        typed, limit = data.get("text"), MAX_WORDS if kind == "words" else MAX_QUESTION
        if not isinstance(typed, str) or (kind == "words" and type(data.get("step")) is not int):
            return refuse(conn, "malformed")
        if len(typed) > limit:
            return refuse(conn, "too_large")
        bucket = room.text_buckets.setdefault(participant.id, TokenBucket(TEXT_RATE, TEXT_BURST))
        if not bucket.take():
            return refuse(conn, "too_fast")
        if kind == "words":
            verdict, _ = session.add_words(participant, data["step"], typed)
        else:
            verdict, _ = session.ask(participant, typed)
        if verdict is not Verdict.ACCEPTED:
            return refuse(conn, verdict.value)
        conn.push({"type": "received", "kind": kind,
                   "text": text("words_received" if kind == "words" else "question_received", lang)})
        room.push_console()
        room.save_soon()

    async def moderate(request: Request) -> Response:
        """The console's actions: a form of ``action`` and ``id``, checked against fixed lists."""
        try:
            body = await asyncio.wait_for(_bounded_body(request, 256), BODY_SECONDS)
        except asyncio.TimeoutError:
            return plain("refused_too_slow", 408)
        if body is None:
            return plain("refused_too_large", 413)
        try:
            fields = parse_qs(body.decode("utf-8"), max_num_fields=2)
        except (UnicodeDecodeError, ValueError):
            return plain("refused_malformed", 400)
        action = (fields.get("action") or [""])[0]
        item = (fields.get("id") or [""])[0]
        if action not in MODERATION or len(item) > 20:
            return plain("refused_malformed", 400)
        if not room.moderate(action, item):
            return plain("not_found", 404)
        room.save_soon()
        return JSONResponse({"html": views.console(room.tabs)})

    async def console(request: Request) -> Response:
        if not session.token_matches(request.path_params["token"]):
            return plain("forbidden", 403)
        return page(views.console_page())

    async def console_socket(ws: WebSocket) -> None:
        if not session.token_matches(ws.path_params["token"]) or not _same_origin(ws.headers):
            return await ws.close(code=1008)
        await live(ws, None, console=True)

    async def participant_socket(ws: WebSocket) -> None:
        if not _same_origin(ws.headers):
            return await ws.close(code=1008)
        participant = participant_of(ws.cookies)
        if participant is None:  # accepted first, so the page can tell and send its reader to the join page
            await ws.accept()
            return await ws.close(code=4401)
        await live(ws, participant)

    async def trainer_socket(ws: WebSocket) -> None:
        if not session.token_matches(ws.path_params["token"]) or not _same_origin(ws.headers):
            return await ws.close(code=1008)  # before accepting: the handshake ends in 403
        await live(ws, None)

    routes = [
        Route("/", join_form, methods=["GET"]),
        Route("/join", join, methods=["POST"]),
        Route("/play", play, methods=["GET"]),
        WebSocketRoute("/ws", participant_socket),
        Route("/trainer/{token}", trainer, methods=["GET"]),
        Route("/trainer/{token}/console", console, methods=["GET"]),
        WebSocketRoute("/trainer/{token}/console/ws", console_socket),
        Route("/trainer/{token}/{action}", trainer_action, methods=["POST"]),
        WebSocketRoute("/trainer/{token}/ws", trainer_socket),
        Route("/assets/{name}", asset, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found})
    app.state.room = room
    return Guard(app, allowed_hosts)
