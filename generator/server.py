"""The build server: a warm process in which ``modgen build`` runs, so that a rebuild starts at once.

A fresh ``modgen build`` spends ~0.4 s before it touches an artifact — starting Python, importing
pydantic, python-pptx, lxml and Jinja, compiling page templates — and its workers pay part of it
again. After a one-lesson edit that is half of the build. ``--watch`` removes it for an author who
keeps a watching process open; this removes it for the plain command, as the Gradle daemon and
the Bazel server do for theirs.

How: the first ``modgen build`` that finds no server starts one in the background when it is done
(in its own session, without a terminal). The server imports everything a build uses, runs the
smallest job of every kind once (as the watch loop does), then listens on a Unix socket in a
private folder; while idle, it loads the courses it built, works out their cache keys and opens
their deck templates, so that the next build of each starts with them. A
later ``modgen build`` is a small client (this module, standard library only): it connects, hands
over its arguments, working directory, environment, umask and its standard streams themselves
(file descriptors passed over the socket), and waits for the exit code. For every build the
server forks a child — the zygote pattern: each build starts from the same warm state and nothing
of one build remains in the next. The child takes the client's streams, directory and
environment and runs the ordinary command line (``cli``): the same code, messages, exit codes
and output bytes as a build in the client's own process (``tests/cli/test_server.py``). Ctrl+C on
the client is passed on to the build.

What keeps it correct: a server serves only the Python, library path and generator package it
was started from (the socket's name is a hash of them) and checks the generator's fingerprint
(``cache.generator_fingerprint``: every file of the package and the output libraries' versions)
before every build — if anything changed it says so and exits, and the client builds in its own
process and starts a new server. Who may use it: the socket lives in ``$XDG_RUNTIME_DIR/modgen``
(else the user cache folder), used only while private to this user, and the server checks the
peer's user id. It stops after ``MODGEN_SERVER_IDLE`` seconds without a build (30 minutes).

``MODGEN_SERVER=0`` (or ``modgen build --no-server``) builds in the command's own process and
starts nothing; ``MODGEN_SERVER=1`` uses a server even where ``CI`` is set (where, as for the
Gradle daemon, none is started by default: a CI job builds once). ``modgen server
start|stop|status`` manage it by hand.
"""

from __future__ import annotations

import _socket  # not ``socket``: its enums cost the command more than the rest of the client
import marshal  # the wire format: both ends run the same interpreter (see ``identity``)
import os
import struct
import sys
import time

#: How long an idle server stays, in seconds (``MODGEN_SERVER_IDLE`` overrides).
IDLE_SECONDS = 30 * 60
#: How many courses' files a server keeps loaded (the ones built last).
COURSES_KEPT = 4
PACKAGE = os.path.dirname(os.path.abspath(__file__))
_FALSE = ("0", "no", "off", "false")


# --- the client: runs in every ``modgen build``, so it imports nothing but the standard library ---

def enabled() -> bool:
    """Whether ``modgen build`` uses (and starts) a build server here."""
    setting = os.environ.get("MODGEN_SERVER", "").strip().lower()
    if setting:
        return setting not in _FALSE
    if os.environ.get("CI", "").strip().lower() not in ("", *_FALSE):
        return False
    return hasattr(_socket, "SCM_RIGHTS") and hasattr(os, "fork") and sys.platform.startswith("linux")


def serves(argv: list[str]) -> bool:
    """Whether these command-line arguments are a build the server may run: ``[--verbose] build …``,
    not watching (that is a warm process already) and not asking for help."""
    rest = list(argv)
    while rest and rest[0] == "--verbose":
        rest.pop(0)
    if not rest or rest[0] != "build":
        return False
    return not any(arg in ("--watch", "--no-server", "-h", "--help") for arg in rest[1:])


def identity() -> dict:
    """What a server must share with its client: the same user, machine, interpreter, library path
    and package."""
    # The host: a home folder shared between machines must not lead one machine's commands to
    # another's sockets.
    return {"uid": os.getuid(), "host": os.uname().nodename, "python": sys.executable, "version": sys.version,
            # sys.path[0] is the directory the command was started from (``python -m``) or the
            # script's folder: it differs between commands that import the same things. A server
            # takes the whole path of the command that started it.
            "path": sys.path[1:], "package": PACKAGE,
            "flags": [sys.flags.optimize, sys.flags.isolated, sys.flags.no_site, sys.flags.dev_mode,
                      sys.flags.utf8_mode]}


def folder() -> str | None:
    """The private folder of this user's sockets; None where there is none to trust."""
    from generator import user_cache  # os and stat only

    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and user_cache.private(runtime):
        path = os.path.join(runtime, "modgen")
    else:
        base = user_cache.base_folder()
        if base is None:
            return None
        path = os.path.join(base, "servers")
    return path if user_cache.private(path, create=True) else None


def address() -> str | None:
    """The socket of the server for this interpreter and package (None: no private folder for it)."""
    place = folder()
    if place is None:
        return None
    name = _sha256(marshal.dumps(sorted(identity().items()))).hexdigest()[:20]
    path = os.path.join(place, f"build-{name}.sock")
    return path if len(os.fsencode(path)) < 100 else None  # sun_path holds 108 bytes


def _sha256(data: bytes):
    try:  # the C module alone: hashlib imports more than the client needs
        from _sha2 import sha256  # Python 3.12 and later
    except ImportError:
        try:
            from _sha256 import sha256
        except ImportError:
            from hashlib import sha256
    return sha256(data)


def _connect(path: str, timeout: float | None = None):
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    return sock


def _frame(message: dict) -> bytes:
    data = marshal.dumps(message)
    return struct.pack("!I", len(data)) + data


def _send(sock, message: dict, fds: list[int] = ()) -> None:
    """One message, and with it (in the same call: the kernel attaches them to its first byte) the
    file descriptors ``fds``."""
    frame = _frame(message)
    ancillary = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, struct.pack(f"{len(fds)}i", *fds))] if fds else []
    sent = sock.sendmsg([frame], ancillary)
    if sent < len(frame):
        sock.sendall(frame[sent:])


def _read_exactly(sock, size: int, start: bytes = b"") -> bytes | None:
    data = bytearray(start)
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _replies(sock):
    """The server's replies, one message each, until it closes the connection."""
    while True:
        head = _read_exactly(sock, 4)
        if head is None:
            return
        body = _read_exactly(sock, struct.unpack("!I", head)[0])
        if body is None:
            return
        yield marshal.loads(body)


def ask(op: str, path: str | None = None, timeout: float = 5.0) -> dict | None:
    """Send ``status`` or ``stop`` to this environment's server; None when none answers."""
    path = path or address()
    sock = _connect(path, timeout) if path else None
    if sock is None:
        return None
    try:
        _send(sock, {"op": op, "identity": identity()})
        reply = next(_replies(sock), None)
    except (OSError, ValueError, EOFError):
        return None
    finally:
        sock.close()
    return None if reply is None or "refused" in reply else reply


def run_remotely(argv: list[str]) -> int | None:
    """Run ``modgen ARGV`` in the server; its exit code, or None when no server took it (then the
    caller builds in its own process)."""
    path = address()
    sock = _connect(path) if path else None
    if sock is None:
        return None
    import signal

    umask = os.umask(0o022)
    os.umask(umask)
    streams = [_usable_fd(fd) for fd in (0, 1, 2)]
    request = {"op": "build", "identity": identity(), "argv": [sys.argv[0], *argv], "cwd": os.getcwd(),
               "env": dict(os.environ), "umask": umask,
               "streams": [_stream_settings(s) for s in (sys.stdin, sys.stdout, sys.stderr)]}
    # Ctrl+C and the like go to the build (and its workers, as a terminal would send them); one that
    # comes before the build has started is passed on once it has, or acted on here if none does.
    builder: list[int] = []
    caught: list[int] = []

    def pass_on(signum, frame) -> None:
        if not builder:
            caught.append(signum)
            return
        try:
            os.killpg(builder[0], signum)
        except OSError:
            pass

    previous = {signum: signal.signal(signum, pass_on) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    last = None
    try:
        _send(sock, request, streams)
        replies = _replies(sock)
        first = next(replies, None)
        if first and "pid" in first:
            builder.append(first["pid"])
            for signum in caught:
                pass_on(signum, None)
            last = next(replies, None)
    except (OSError, ValueError, EOFError):
        pass
    finally:
        sock.close()
    for signum, handler in previous.items():
        signal.signal(signum, handler)
    if not builder:  # not taken (no server of this code): nothing was run
        if caught:
            from generator.launch import end_process

            print("Interrupted; the previous output is unchanged.", file=sys.stderr, flush=True)
            end_process(130 if caught[0] == signal.SIGINT else 128 + caught[0])
        return None  # the caller builds
    if last is None or "exit" not in last:
        # The build's process ended without a word (killed): say so, and let the caller build.
        print("modgen: the build server stopped during the build; building here instead.", file=sys.stderr,
              flush=True)
        return None
    return int(last["exit"])


def _usable_fd(fd: int) -> int:
    """``fd``, or a stand-in on /dev/null when the command was started with it closed."""
    try:
        os.fstat(fd)
        return fd
    except OSError:
        return os.open(os.devnull, os.O_RDWR)


def _stream_settings(stream) -> dict | None:
    if stream is None:
        return None
    return {"encoding": getattr(stream, "encoding", None), "errors": getattr(stream, "errors", None),
            "line_buffering": getattr(stream, "line_buffering", False),
            "write_through": getattr(stream, "write_through", False)}


def start_in_background() -> bool:
    """Start a server for this environment, to be ready for the next command; False if none can be."""
    import subprocess

    path = address()
    if path is None or starting(path):  # one still warming up is not started again
        return False
    code = ("import marshal, sys; sys.path[:] = marshal.loads(bytes.fromhex(sys.argv[1])); "
            "from generator.server import serve; serve(sys.argv[2])")
    try:
        subprocess.Popen([sys.executable, "-c", code, marshal.dumps(sys.path).hex(), path], cwd="/",
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
    except OSError:
        return False
    return True


def starting(path: str | None = None) -> bool:
    """Whether a server holds the place at ``path`` (it takes its lock first thing, and answers
    only once it is warm): True while one is starting, or running."""
    import fcntl

    path = path or address()
    if path is None:
        return False
    try:
        lock = _open_lock(path)
    except OSError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(lock, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(lock)


def _open_lock(path: str) -> int:
    """The lock a server holds from its start to its end (``serve``, ``starting``)."""
    return os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)


# --- the server ---

def serve(path: str) -> None:
    """Be the build server at ``path`` until idle, stopped or out of date."""
    import fcntl

    lock = _open_lock(path)
    for _ in range(40):  # a server that was just told it is out of date may still be leaving
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            time.sleep(0.05)
    else:
        return  # another server has this place
    try:
        log = os.open(path + ".log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    except OSError:
        pass
    Server(path, lock).run()


class Server:
    def __init__(self, path: str, lock: int):
        self.path = path
        self.lock = lock
        self.identity = identity()
        self.served = 0
        self.last = time.monotonic()
        self.builds: set[int] = set()
        #: Course folder → its files as last loaded here (``load.FileMemo``) and the cache keys
        #: worked out with them (None when it did not load), most recent last: a build forked from
        #: here parses only the files changed since (``build.PRELOADED``, ``PRELOADED_KEYS``).
        #: Loaded while no build runs, after each build of the course.
        self.courses: dict[str, tuple[dict, object]] = {}
        self.stale: set[str] = set()
        idle = os.environ.get("MODGEN_SERVER_IDLE", "")
        self.idle = float(idle) if idle.replace(".", "", 1).isdigit() else IDLE_SECONDS

    def run(self) -> None:
        import gc
        import signal
        import socket

        from generator.cache import generator_fingerprint

        _warm_up()
        self.fingerprint = generator_fingerprint()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # Bound under another name and renamed into place: a client finds the socket only once the
        # server is warm, and never a half-made one.
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        listener.bind(temporary)
        listener.listen(16)
        os.rename(temporary, self.path)
        self.inode = os.stat(self.path).st_ino
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        gc.freeze()  # what is here now is shared by every build forked from it: leave its pages be
        try:
            while self._wanted():
                if self.stale and not self.builds:
                    self._load_courses()
                # Short waits while a build runs: its course is loaded again as soon as it is done.
                listener.settimeout(0.05 if self.builds else 1.0)
                try:
                    conn, _ = listener.accept()
                except socket.timeout:
                    continue
                with conn:
                    conn.settimeout(10)
                    if not self._answer(conn, listener):
                        break
        finally:
            self._leave(listener)

    def _wanted(self) -> bool:
        self._reap()
        try:
            if os.stat(self.path).st_ino != self.inode:
                return False  # removed, or another server took the place
        except OSError:
            return False
        return bool(self.builds) or time.monotonic() - self.last < self.idle

    def _load_courses(self) -> None:
        from pathlib import Path

        from generator import build, cache, targets
        from generator.loader.load import load_course

        for root in sorted(self.stale):
            memo, keys = self.courses.pop(root, ({}, None))[0], None
            try:
                loaded = load_course(Path(root), memo=memo)
                keys = cache.Keys(loaded)
                request = build.BuildRequest(Path(root), Path(root) / "output")
                for job in build.plan(loaded, request):  # every key: all lessons in every language
                    keys.key(job.kind, job.lang, job.audience, job.part)
                build.prepare(loaded.course, targets.kinds())
            except Exception:  # a course with errors keeps the files that did load; the build says the rest
                pass
            self.courses[root] = (memo, keys)
        self.stale.clear()
        while len(self.courses) > COURSES_KEPT:
            del self.courses[next(iter(self.courses))]

    def _reap(self) -> None:
        for pid in list(self.builds):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.builds.discard(pid)

    def _answer(self, conn, listener) -> bool:
        """Serve one request; False when the server should stop."""
        import socket

        from generator.cache import generator_fingerprint

        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        if struct.unpack("3i", creds)[1] != os.getuid():
            return True  # not ours to serve (the folder is private; this is the second lock)
        try:
            request, fds = _receive(conn)
        except (OSError, ValueError):
            return True
        try:
            if request.get("identity") != self.identity:
                _reply(conn, {"refused": "another interpreter or package"})
                return True
            op = request.get("op")
            if op == "status":
                _reply(conn, {"pid": os.getpid(), "served": self.served, "running": len(self.builds),
                              "courses": sorted(self.courses),
                              "idle_for": round(time.monotonic() - self.last, 1), "stops_after": self.idle,
                              "python": sys.executable, "package": PACKAGE})
                return True
            if op == "stop":
                _reply(conn, {"stopped": os.getpid()})
                return False
            if op != "build" or len(fds) != 3:
                _reply(conn, {"refused": "unknown request"})
                return True
            # Worked out afresh (the function keeps its first answer for the rest of a process).
            if generator_fingerprint.__wrapped__() != self.fingerprint:
                _reply(conn, {"refused": "the generator changed since this server started"})
                return False
            self.last = time.monotonic()
            course = _course_of(request)
            pid = os.fork()
            if pid == 0:
                listener.close()
                os.close(self.lock)
                if course in self.courses:
                    from generator import build

                    memo, keys = self.courses[course]
                    build.PRELOADED = {course: memo}
                    build.PRELOADED_KEYS = {course: keys} if keys is not None else {}
                _run_build(conn, request, fds)  # never returns
            if course is not None:
                self.stale.add(course)
            self.builds.add(pid)
            self.served += 1
            return True
        finally:
            for fd in fds:
                os.close(fd)

    def _leave(self, listener) -> None:
        try:
            if os.stat(self.path).st_ino == self.inode:
                os.unlink(self.path)
        except OSError:
            pass
        listener.close()


def _course_of(request: dict) -> str | None:
    """The course folder the request builds, resolved (as ``cli`` finds it), or None if unclear."""
    from pathlib import Path

    from generator import cli

    args = list(request.get("argv", [])[1:])
    while args and args[0] == "--verbose":
        args.pop(0)
    try:
        params = cli.build.make_context("build", args[1:], resilient_parsing=True).params
        cwd = Path(request["cwd"])
        return str((cwd / cli._course_dir(params.get("course_dir"), cwd)).resolve())
    except Exception:
        return None


def _receive(conn) -> tuple[dict, list[int]]:
    import socket

    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 3)
    try:
        if len(data) < 4:
            raise ValueError("short request")
        body = _read_exactly(conn, struct.unpack("!I", data[:4])[0], data[4:])
        if body is None:
            raise ValueError("short request")
        return marshal.loads(body), list(fds)
    except (ValueError, EOFError, TypeError):
        for fd in fds:
            os.close(fd)
        raise ValueError("not a request") from None


def _reply(conn, message: dict) -> None:
    try:
        conn.sendall(_frame(message))
    except OSError:
        pass


def _run_build(conn, request: dict, fds: list[int]) -> None:
    """In the forked child: become the client's command — its streams, directory, environment,
    umask and arguments — run the command line, report the exit code, end."""
    code = 3
    try:
        import signal

        os.setpgid(0, 0)  # the client passes Ctrl+C to this group: the build and its workers
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.umask(request["umask"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = request["argv"]
        sys.stdin, sys.stdout, sys.stderr = (_stream(fd, settings)
                                             for fd, settings in zip((0, 1, 2), request["streams"]))
        _reply(conn, {"pid": os.getpid()})
        from generator import build, cli

        build.DEFER_REMOVAL = True  # until the command has its answer: see below
        try:
            code = cli._run(request["argv"][1:])
        except BaseException:  # what the command lets through (--verbose): as Python would show it
            import traceback

            traceback.print_exc()
            code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
    except BaseException:  # noqa: BLE001 - whatever happened, the client gets an answer
        code = 3
    finally:
        # Let go of the command's streams first: whoever reads its output waits for their end.
        try:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
        except OSError:
            pass
        _reply(conn, {"exit": code})
        try:  # the command has ended: the previous output can go now
            from generator import build

            build.remove_previous_builds()
        finally:
            os._exit(code)


def _stream(fd: int, settings: dict | None):
    import io

    settings = settings or {}
    mode = "r" if fd == 0 else "w"
    raw = io.FileIO(fd, mode, closefd=False)
    buffered = io.BufferedReader(raw) if fd == 0 else io.BufferedWriter(raw)
    return io.TextIOWrapper(buffered, encoding=settings.get("encoding") or "utf-8",
                            errors=settings.get("errors") or "strict",
                            line_buffering=bool(settings.get("line_buffering")),
                            write_through=bool(settings.get("write_through")))


def _warm_up() -> None:
    """Import what builds use and run the smallest job of every kind on the bundled course, so that
    every forked build starts with it done (see ``build.warm_up``)."""
    from generator import cli  # noqa: F401 - the command line itself, and with it click and the model
    from generator import build as pipeline
    from generator.bundled import bundled_course_dir

    cli._without_pydantic_plugins()
    course = bundled_course_dir()
    if course is not None:
        from pathlib import Path

        pipeline.warm_up(pipeline.BuildRequest(course, Path(course) / "output"))  # writes only to a scratch folder
    for module in ("concurrent.futures", "multiprocessing", "rich.progress"):
        try:
            __import__(module)
        except ImportError:
            pass
