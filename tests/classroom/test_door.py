"""The door of the classroom server (generator/classroom/door.py): idle and dribbling connections
closed, connections capped below the open-file limit, forwarded headers ignored — against the real
server on loopback. The room-sized runs (250 phones, 1,000 idle connections, 600 joins from one
address) are in test_load.py."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

from generator.classroom import door
from tests.classroom.conftest import Server
from tests.classroom.test_serve import MINIMAL, request
from tests.conftest import ROOT


def address_of(server: Server) -> tuple[str, int]:
    host, port = server.root.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (reading EOF or a reset), or None if it did not."""
    sock.settimeout(seconds)
    started = time.monotonic()
    try:
        while sock.recv(4096):
            pass
    except (ConnectionResetError, BrokenPipeError):
        pass
    except TimeoutError:
        return None
    return time.monotonic() - started


def test_idle_and_dribbling_connections_are_closed(server_of) -> None:
    server = server_of(MINIMAL)
    where = address_of(server)
    idle = socket.create_connection(where)
    dribbling = socket.create_connection(where)
    dribbling.sendall(b"GET / HTTP/1.1\r\nHost: ")  # and never the rest of the head
    kept_alive = socket.create_connection(where)
    host = f"{where[0]}:{where[1]}".encode()
    kept_alive.sendall(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
    kept_alive.settimeout(10)
    assert kept_alive.recv(100).startswith(b"HTTP/1.1 200")
    kept_alive.sendall(b"GET / HTTP/1.1\r\n")  # a second request, started and never finished
    for sock in (idle, dribbling, kept_alive):
        took = closed_within(sock, door.REQUEST_DEADLINE + 3)
        assert took is not None and took < door.REQUEST_DEADLINE + 3
        sock.close()
    assert request(server.participants)[0] == 200  # and the server goes on
    code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err, err


def test_a_join_form_sent_too_slowly_is_refused(server_of) -> None:
    server = server_of(MINIMAL, "--lang", "en")
    where = address_of(server)
    host = f"{where[0]}:{where[1]}".encode()
    sock = socket.create_connection(where)
    sock.sendall(b"POST /join HTTP/1.1\r\nHost: " + host + b"\r\nContent-Type: application/x-www-form-urlencoded"
                 b"\r\nContent-Length: 20\r\n\r\ncode=")  # the head, then a body that never comes
    sock.settimeout(15)
    started = time.monotonic()
    answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 10
    sock.close()
    assert server.stop()[0] == 0


def test_forwarded_headers_are_not_trusted(server_of) -> None:
    """X-Forwarded-For from loopback used to bypass the wrong-code limit: it is ignored."""
    from generator.classroom.app import WRONG_CODES_PER_MINUTE

    server = server_of(MINIMAL)
    statuses = [request(server.root + "/join", {"code": "x"}, headers={"X-Forwarded-For": f"10.0.0.{i}",
                                                                      "Forwarded": f"for=10.0.1.{i}"})[0]
                for i in range(WRONG_CODES_PER_MINUTE + 2)]
    assert statuses == [403] * WRONG_CODES_PER_MINUTE + [429] * 2
    assert server.stop()[0] == 0


class FakeProtocol:
    def __init__(self, address: str):
        self.client = (address, 1234)
        self.closed = False

    def close_idle(self) -> None:
        self.closed = True


def test_over_the_cap_the_oldest_waiting_connection_makes_room() -> None:
    gate = door.Door(cap=3, per_address=2)
    gate.connections = open_ = set()

    def arrive(address: str, waiting: bool = True) -> tuple[FakeProtocol, bool]:
        protocol = FakeProtocol(address)
        stays = gate.admit()
        if stays:
            open_.add(protocol)
            stays = gate.open(protocol, open_)
        if stays and waiting:
            gate.wait(protocol)
        for p in [p for p in open_ if p.closed]:  # the event loop's next turn: their sockets released
            open_.discard(p), gate.lost(p)
        if not stays:
            open_.discard(protocol)
        return protocol, stays

    a1, _ = arrive("10.0.0.1")
    a2, _ = arrive("10.0.0.1", waiting=False)  # sent its request: never closed for a newcomer
    a3, stays = arrive("10.0.0.1")  # over the per-address limit: the oldest waiting one from there goes
    assert stays and a1.closed and not a2.closed
    b1, _ = arrive("10.0.0.2", waiting=False)
    b2, stays = arrive("10.0.0.3")  # over the cap: the oldest waiting connection of all goes
    assert stays and a3.closed
    gate.done_waiting(b2)  # b2 sends its request
    c1, stays = arrive("10.0.0.4")  # over the cap, nobody waiting: turned away
    assert not stays and gate.turned_away == 1 and not (a2.closed or b1.closed or b2.closed)
    assert len(open_) == 3


def test_the_open_file_limit_is_raised_where_allowed() -> None:
    import resource

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    script = ("import resource; from generator.classroom.door import raise_open_file_limit as r; "
              "resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1])); "
              "print(r(), resource.getrlimit(resource.RLIMIT_NOFILE)[0])")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    expected = min(door.WANTED_OPEN_FILES, hard) if hard != resource.RLIM_INFINITY else door.WANTED_OPEN_FILES
    assert out.split() == [str(expected), str(expected)]
    assert door.connection_cap(256) == 256 - door.RESERVED_FILES


def test_a_flood_of_loop_errors_is_logged_once_per_interval(caplog) -> None:
    quiet = door.QuietErrors(every=60)
    error = OSError(24, "Too many open files")
    with caplog.at_level("ERROR", logger="modgen.classroom"):
        for _ in range(1000):
            quiet(None, {"message": "socket.accept() out of system resource", "exception": error})
    assert len(caplog.records) == 1 and caplog.records[0].exc_info is not None
    assert re.search("out of system resource", caplog.records[0].getMessage())
