"""The door of the classroom server: who may hold a connection open, and for how long.

A laptop serving a room has a few hundred phones to look after and one limit that takes it down
for everyone: the number of open files. Without this, anyone on the network could open a
thousand idle TCP connections (no code needed), reach that limit, and leave joins and the
trainer's page hanging while the event loop writes a traceback for every refused ``accept()``.

What the door does, at the level of the TCP connection, before any request reaches the app:

- a connection must send a complete request head within ``REQUEST_DEADLINE`` seconds of opening
  (and of finishing its previous response): idle and dribbling connections are closed;
- at most ``cap`` connections are open at once, below the open-file limit (counted as they are
  accepted, so that a burst of a thousand never reaches it), and at most ``per_address`` from one
  address; a connection over either limit makes room by closing the oldest connection that has
  not yet sent a request (from that address, for the per-address limit), and is itself closed
  when there is none — an open WebSocket is never closed for a newcomer;
- the soft open-file limit is raised at start-up where the hard limit allows (a Mac terminal
  starts with 256), and errors the event loop cannot hand to anyone are logged at most once per
  ``LOG_EVERY`` seconds each, without a traceback after the first.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections import OrderedDict
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

#: Seconds a connection has to send a complete request head.
REQUEST_DEADLINE = 5.0
#: The open-file limit the server asks for at start-up, when the hard limit allows it.
WANTED_OPEN_FILES = 4096
#: Files kept free for everything but connections: the listening socket, the assets, the results
#: file, the interpreter's own.
RESERVED_FILES = 64
#: Connections one address may hold open: a phone holds one to three (a WebSocket, keep-alive
#: requests); a few dozen phones behind one NAT stay well below.
PER_ADDRESS = 300
LOG_EVERY = 10.0
#: Waiting connections the door closes to make room before their sockets are released (the
#: next turn of the event loop); beyond this, newcomers are turned away until then.
EVICTING_AT_ONCE = 32

log = logging.getLogger("modgen.classroom")


def raise_open_file_limit(wanted: int = WANTED_OPEN_FILES) -> int:
    """Raise the soft open-file limit towards ``wanted`` as far as the hard limit allows; return
    the soft limit in force afterwards (``wanted`` where the platform has no such limit)."""
    try:
        import resource
    except ImportError:  # Windows: no per-process soft limit to raise
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):  # macOS refuses more than kern.maxfilesperproc: keep what we have
            pass
    return wanted if soft == resource.RLIM_INFINITY else soft


def connection_cap(open_files: int) -> int:
    """How many connections the server holds at most with ``open_files`` files allowed."""
    return max(16, open_files - RESERVED_FILES)


class Door:
    """The connections the server holds, and the ones still waiting to send a request."""

    def __init__(self, cap: int, per_address: int = PER_ADDRESS, deadline: float = REQUEST_DEADLINE):
        self.cap = cap
        self.per_address = per_address
        self.deadline = deadline
        self.connections: set = set()  # uvicorn's open connections (the server's state, once serving)
        self.in_flight = 0  # accepted, not yet handed to a protocol
        self.waiting: OrderedDict[Any, str] = OrderedDict()  # protocol → address, oldest first
        self.evicting: set = set()  # closed by the door, their socket not yet released
        self.closed_idle = 0  # connections closed for sending no request in time
        self.turned_away = 0  # connections closed at once: no room for them

    def admit(self) -> bool:
        """A connection the listening socket has just accepted: True when it may stay. Decided
        before asyncio makes a transport of it, so the open files never pass the limit however
        many connections arrive in one go."""
        held = len(self.connections) + self.in_flight - len(self.evicting)
        if held < self.cap or (len(self.evicting) < EVICTING_AT_ONCE and self._evict(None)):
            self.in_flight += 1
            return True
        self.turned_away += 1
        return False

    def open(self, protocol: Any, connections: set) -> bool:
        """A new connection from ``protocol.client`` has its protocol: True when it may stay."""
        self.in_flight = max(0, self.in_flight - 1)
        address = protocol.client[0] if protocol.client else "?"
        from_address = sum(1 for c in connections if c.client and c.client[0] == address)
        if from_address > self.per_address and not self._evict(address):
            self.turned_away += 1
            return False
        return True

    def _evict(self, address: str | None) -> bool:
        for protocol, where in self.waiting.items():
            if address is None or where == address:
                self.evicting.add(protocol)
                protocol.close_idle()
                return True
        return False

    def wait(self, protocol: Any) -> None:
        self.waiting[protocol] = protocol.client[0] if protocol.client else "?"

    def done_waiting(self, protocol: Any) -> None:
        self.waiting.pop(protocol, None)

    def lost(self, protocol: Any) -> None:
        self.done_waiting(protocol)
        self.evicting.discard(protocol)


class Listener(socket.socket):
    """The listening socket, asking the door about each connection it accepts. asyncio calls
    ``accept()`` on the socket it serves; one turned away is closed there and then, so its file
    is never held."""

    door: Door | None = None

    def accept(self):  # type: ignore[override]
        while True:
            conn, address = super().accept()  # BlockingIOError when none is waiting: asyncio's cue
            if self.door is None or self.door.admit():
                return conn, address
            conn.close()


def protocol_for(door: Door) -> type:
    """uvicorn's HTTP protocol with ``door``'s rules (uvicorn takes a protocol class as ``http``)."""

    class DoorProtocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._deadline: asyncio.TimerHandle | None = None
            if not door.open(self, self.connections):
                self.connections.discard(self)
                transport.abort()  # nothing was said on it: no goodbye owed
                return
            self._await_request()

        def _await_request(self) -> None:
            self._cancel_deadline()
            door.wait(self)
            self._deadline = self.loop.call_later(door.deadline, self.close_idle)

        def _cancel_deadline(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            door.done_waiting(self)

        def close_idle(self) -> None:
            self._cancel_deadline()
            door.closed_idle += 1
            if not self.transport.is_closing():
                self.transport.abort()

        def handle_events(self) -> None:
            before = self.cycle
            super().handle_events()
            if self.cycle is not before:  # a complete request head arrived
                self._cancel_deadline()

        def handle_websocket_upgrade(self, event: Any) -> None:
            self._cancel_deadline()
            super().handle_websocket_upgrade(event)

        def on_response_complete(self) -> None:
            # Kept alive, the next request has the same deadline. Armed first: uvicorn goes on to a
            # pipelined request at once, and its head, complete, disarms it again.
            if not self.transport.is_closing():
                self._await_request()
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_deadline()
            door.lost(self)
            super().connection_lost(exc)

    return DoorProtocol


class QuietErrors:
    """An event-loop exception handler that logs each kind of error at most once per
    ``every`` seconds, with its traceback only the first time: a flood of failing ``accept()``
    calls must not fill the disk or the CPU with logging."""

    def __init__(self, every: float = LOG_EVERY):
        self.every = every
        self.last: dict[str, float] = {}
        self.seen: set[str] = set()
        self.suppressed: dict[str, int] = {}

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        message = context.get("message", "error")
        exc = context.get("exception")
        key = f"{message}|{type(exc).__name__ if exc else ''}"
        now = time.monotonic()
        if now - self.last.get(key, -self.every) < self.every:
            self.suppressed[key] = self.suppressed.get(key, 0) + 1
            return
        self.last[key] = now
        more = self.suppressed.pop(key, 0)
        suffix = f" ({more} more like it since)" if more else ""
        if key in self.seen:
            log.error("%s: %s%s", message, exc, suffix)
        else:
            self.seen.add(key)
            log.error("%s%s", message, suffix, exc_info=exc)
