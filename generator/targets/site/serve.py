"""Live preview for authors (``modgen serve``): build the site, serve it, rebuild on every change.

The site is built into a temporary folder with one extra script, ``__modgen__/live.js``, which
polls ``__modgen__/version`` and reloads the page after a rebuild. A course with errors does not
stop the server: the last good site stays up, the problems are printed to stderr and shown over
the page as ``path:line:column: message`` lines until the author fixes them.
"""

from __future__ import annotations

import http.server
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path
from typing import Callable, TextIO
from urllib.parse import unquote, urlsplit

from generator.targets.site import ASSETS, CSP, build_site

LIVE = "__modgen__"


class UsageProblem(Exception):
    """A request the preview cannot serve (a language or audience the course does not have)."""


class Preview:
    """The state of one preview: the current site folder, its version, and the course's problems."""

    def __init__(self, course_dir: Path, lang: str | None, audience: str | None, *, err: TextIO = sys.stderr,
                 log: TextIO = sys.stdout):
        self.course_dir = Path(course_dir)
        self.lang = lang
        self.audience = audience
        self.err = err
        self.log = log
        self.work = Path(tempfile.mkdtemp(prefix="modgen-serve-"))
        self.site: Path | None = None
        self.version = 0
        self.problems: list[str] = []
        self._builds = 0
        self._lock = threading.Lock()

    def rebuild(self) -> bool:
        """Build the site again; on problems keep the last good one. True when the build succeeded."""
        from generator.loader.load import load_course
        from generator.problems import CourseError

        with self._lock:
            self._builds += 1
            dest = self.work / f"build-{self._builds}"
            started = time.monotonic()
            try:
                course = load_course(self.course_dir).course
                lang, audience = self._choose(course)
                build_site(course.for_audience(audience), lang, audience, dest, extra_scripts=(f"{LIVE}/live.js",))
            except CourseError as exc:
                return self._failed([p.format() for p in exc.problems], dest)
            except UsageProblem as exc:
                if self._builds == 1:  # a wrong --lang or --audience: the author must restart anyway
                    shutil.rmtree(dest, ignore_errors=True)
                    raise
                return self._failed([str(exc)], dest)
            except Exception as exc:  # an internal bug must not take the preview down either
                return self._failed([f"modgen: internal error: {type(exc).__name__}: {exc}"], dest)
            old, self.site = self.site, dest
            self.problems = []
            self.version += 1
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            print(f"Built the site ({lang}{'-' + audience if audience else ''}) in "
                  f"{time.monotonic() - started:.1f} s", file=self.log, flush=True)
            return True

    def _choose(self, course) -> tuple[str, str | None]:
        lang = self.lang or course.default_language
        if lang not in course.languages:
            raise UsageProblem(f"language {lang} is not in the course (it has {', '.join(course.languages)})")
        known = [a.id for a in course.audiences]
        audience = self.audience or (known[0] if known else None)
        if audience is not None and audience not in known:
            raise UsageProblem(f"audience {audience} is not in the course"
                               + (f" (it has {', '.join(known)})" if known else " (it has none)"))
        return lang, audience

    def _failed(self, problems: list[str], dest: Path) -> bool:
        shutil.rmtree(dest, ignore_errors=True)
        self.problems = problems
        self.version += 1
        for line in problems:
            print(line, file=self.err, flush=True)
        n = len(problems)
        print(f"Build failed with {n} error{'s' if n != 1 else ''}; still serving the last good site.",
              file=self.err, flush=True)
        return False

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    # --- what the handler serves ---------------------------------------------------------------

    def status_json(self) -> bytes:
        return json.dumps({"version": self.version, "problems": self.problems}).encode("utf-8")

    def error_page(self) -> bytes:
        """The page shown while there has never been a good build: the problems, and the live script."""
        lines = "\n".join(escape(p) for p in self.problems)
        return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">'
                f'<title>modgen serve: the course has errors</title>'
                f'<script src="/{LIVE}/live.js" defer></script></head>'
                f'<body><main><h1>The course has errors</h1><pre>{lines}</pre>'
                f'<p>Fix them and save: this page reloads by itself.</p></main></body></html>\n').encode("utf-8")


def _handler(preview: Preview) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.site or preview.work), **kwargs)

        def log_message(self, format: str, *args) -> None:  # the terminal is for the author's problems
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == f"/{LIVE}/version":
                return self._send(preview.status_json(), "application/json")
            if path in (f"/{LIVE}/live.js", f"/{LIVE}/live.css"):
                kind = "text/javascript" if path.endswith(".js") else "text/css"
                return self._send((ASSETS / "live" / path.rsplit("/", 1)[1]).read_bytes(), kind)
            if preview.site is None:
                return self._send(preview.error_page(), "text/html; charset=utf-8", status=503)
            return super().do_GET()

        def _send(self, body: bytes, kind: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(course_dir: Path, lang: str | None = None, audience: str | None = None, port: int = 8000, *,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve a live preview of the site on 127.0.0.1 until interrupted (Ctrl+C).

    ``port`` 0 picks a free port. ``on_ready`` receives the URL once the server listens.
    """
    from generator.watch import Saves

    preview = Preview(course_dir, lang, audience)
    saves = Saves(course_dir)
    try:
        preview.rebuild()
    except UsageProblem:
        preview.close()
        raise
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(preview))
    httpd.daemon_threads = True
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    stop = threading.Event()
    watching = threading.Event()

    def watch() -> None:
        for _ in saves.watch(stop, watching.set):
            preview.rebuild()

    def terminate(signum, frame) -> None:  # `kill` stops the preview as cleanly as Ctrl+C does
        raise KeyboardInterrupt

    previous_handler = signal.signal(signal.SIGTERM, terminate)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    watching.wait(timeout=10)  # "watching" only once it is (see Saves)
    print(f"Serving {url} — watching {course_dir} (Ctrl+C to stop)", file=preview.log, flush=True)
    if on_ready is not None:
        on_ready(url)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        stop.set()
        httpd.server_close()
        watcher.join(timeout=2)
        preview.close()
