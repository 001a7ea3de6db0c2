"""Run a classroom session on uvicorn until Ctrl+C, and say where to find it.

The socket is bound here, before uvicorn starts, so that ``--port 0`` can print the port it got
and a port in use is a usage error rather than a log line. Ctrl+C (or SIGTERM) ends the session:
uvicorn closes the open connections, the aggregate results are written when asked for, and the
command exits 0.
"""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from generator.classroom.door import Door, Listener, QuietErrors, connection_cap, protocol_for, raise_open_file_limit
from generator.classroom.session import Session, write_results

#: The largest WebSocket frame uvicorn reads before it closes the connection (1009); the app
#: refuses anything over its own, much smaller, limit before that with a message.
WS_MAX_SIZE = 64 * 1024
ANY_HOST = ("0.0.0.0", "::")


class UsageProblem(Exception):
    """A request the session cannot serve: an unknown lesson, language or audience, a busy port."""


@dataclass(frozen=True)
class Addresses:
    trainer: str
    participants: str
    allowed_hosts: set[str] | None


def _url_host(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def lan_address() -> str:
    """This machine's address on the network its default route leads to (nothing is sent:
    connecting a UDP socket only picks the route), or 127.0.0.1 without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, never answered
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def addresses(session: Session, host: str, port: int) -> Addresses:
    """What to print and which Host headers to accept for a server bound to ``host:port``."""
    if host in ANY_HOST:
        shown, allowed = lan_address(), None  # reached by whatever name the room uses
    else:
        shown = host
        names = {host, "localhost"} if host in ("127.0.0.1", "::1", "localhost") else {host}
        allowed = {f"{_url_host(name)}:{port}" for name in names}
    root = f"http://{_url_host(shown)}:{port}"
    return Addresses(f"{root}/trainer/{session.trainer_token}", f"{root}/", allowed)


def choose(course, lesson_id: str, lang: str | None, audience: str | None):
    """The lesson (as ``audience`` sees it), the language and the audience the session is for."""
    from generator.i18n import missing_interface

    lang = lang or course.default_language
    if lang not in course.languages:
        raise UsageProblem(f"language {lang} is not in the course (it has {', '.join(course.languages)})")
    if missing_interface(lang):
        raise UsageProblem(f"modgen's interface has no '{lang}' catalogue: add interface/{lang}.po to the course "
                           f"(modgen translate export --interface --to {lang})")
    known = [a.id for a in course.audiences]
    audience = audience or (known[0] if known else None)
    if audience is not None and audience not in known:
        raise UsageProblem(f"audience {audience} is not in the course"
                           + (f" (it has {', '.join(known)})" if known else " (it has none)"))
    narrowed = course.for_audience(audience)
    lesson = narrowed.lesson(lesson_id)
    if lesson is None:
        ids = [x.id for x in narrowed.lessons]
        where = f" for audience {audience}" if audience and course.lesson(lesson_id) else ""
        raise UsageProblem(f"no lesson {lesson_id}{where} (the lessons are: {', '.join(ids)})")
    return narrowed, lesson, lang, audience


def bind(host: str, port: int) -> Listener:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = Listener(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageProblem(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(1024)  # a room joins at once: 250 phones must not find the queue full
    sock.set_inheritable(True)
    return sock


def run(course_dir: Path, lesson_id: str, *, lang: str | None = None, audience: str | None = None,
        host: str = "127.0.0.1", port: int = 8000, results: Path | None = None, all_questions: bool = False,
        figures: bool = False,
        open_answers: bool = False,
        out: TextIO = sys.stdout,
        err: TextIO = sys.stderr, on_ready: Callable[[Addresses], None] | None = None) -> Session:
    """Serve one session of ``lesson_id`` until interrupted; return the session as it ended."""
    import uvicorn

    from generator.classroom.app import create_app
    from generator.loader.load import load_course

    course = load_course(Path(course_dir)).course
    narrowed, lesson, lang, audience = choose(course, lesson_id, lang, audience)
    if results is not None and not Path(results).parent.is_dir():
        raise UsageProblem(f"cannot write results to {results}: {Path(results).parent} is not a folder")
    session = Session(narrowed, lesson, lang, audience, all_questions=all_questions, figures=figures)
    sock = bind(host, port)
    where = addresses(session, host, sock.getsockname()[1])
    app = create_app(session, participant_url=where.participants, allowed_hosts=where.allowed_hosts,
                     results=results, open_answers=open_answers)
    if results is not None:
        write_results(session, Path(results), open_answers=open_answers)  # there from the start
    door = Door(connection_cap(raise_open_file_limit()))
    # proxy_headers off: no proxy stands between the phones and the laptop, so an X-Forwarded-For
    # header is only ever someone pretending to be another address.
    config = uvicorn.Config(app, http=protocol_for(door), log_level="warning", access_log=False, lifespan="off",
                            ws="websockets-sansio", ws_max_size=WS_MAX_SIZE, timeout_graceful_shutdown=2,
                            server_header=False, proxy_headers=False)
    server = uvicorn.Server(config)
    door.connections = server.server_state.connections
    sock.door = door

    async def serve() -> None:
        asyncio.get_running_loop().set_exception_handler(QuietErrors())
        await server.serve(sockets=[sock])
    print(f"Trainer: {where.trainer}", file=out, flush=True)
    print(f"Participants: {where.participants}", file=out, flush=True)
    print(f"Console (what the room types, who is in; on your own screen, not the projector): "
          f"{where.trainer}/console", file=err, flush=True)
    print(f"Session code {session.code}. Ctrl+C ends the session"
          + (f"; the results are kept in {results} as it goes." if results else "; nothing is written to disk."),
          file=err, flush=True)
    if on_ready is not None:
        on_ready(where)
    def terminate(signum, frame) -> None:  # `kill` ends the session as cleanly as Ctrl+C does
        raise KeyboardInterrupt

    previous_handler = signal.signal(signal.SIGTERM, terminate)
    try:
        asyncio.run(serve())
    except KeyboardInterrupt:  # uvicorn raises the captured signal again once it has stopped
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        sock.close()
    if results is not None:
        write_results(session, Path(results), open_answers=open_answers)
        print(f"Wrote the results to {results}.", file=err, flush=True)
    print("Session ended.", file=err, flush=True)
    return session
