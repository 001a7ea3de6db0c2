"""A classroom session under load: N participants on loopback join and answer Q questions.

Issue 16 asks that one session hold 60 participants. This starts the real ``modgen classroom``
server (a subprocess, with ``--results``) for a course with Q phone-answerable questions, joins N
participants through the join page, and has a trainer move through the questions: on each one
every participant answers at once (the harshest moment of a real session: the room answers
together), then sends the same answer again, which must be refused as a duplicate; the trainer
reveals when the count on the projector reaches N, then moves on. Checked at the end: every
answer counted exactly once, in the trainer's live count and in the results file. Reported: the
answer round trip (send → the server's "accepted"), and how long a new step takes to reach
every phone.

    python bench/classroom_load.py [--participants 60 250 500] [--questions 10] [--write]

``--write`` puts the figures in bench/results.md (its "Classroom" section).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import csv
import io
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

LESSON = "preparation"
#: Seconds the trainer stays on each step after revealing (a room takes half a minute or more).
DWELL = 0.5
SECTION = "## Classroom: one session under load"


def write_course(dest: Path, questions: int) -> Path:
    """The test fixture course, its first lesson's quiz replaced by ``questions`` phone-answerable ones."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", dest)
    lines = ["id: preparation", "lesson: preparation", "questions:"]
    for n in range(1, questions + 1):
        kind = ("single", "multiple", "true-false")[n % 3]
        lines += [f"  - id: load-q{n}", f"    type: {kind}",
                  f"    objective: {('prep-explain', 'prep-intervene')[n % 2]}",
                  "    source: example-study",
                  f"    stem: {{nl: 'Vraag {n} over fietsdiefstal?', en: 'Question {n} about bicycle theft?'}}",
                  "    explanation: {nl: Uitleg., en: Explanation.}"]
        if kind == "true-false":
            lines += ["    answer: true", "    feedback_true: {nl: Ja., en: Yes.}",
                      "    feedback_false: {nl: Nee., en: No.}"]
            continue
        lines.append("    options:")
        for i, letter in enumerate("abcd"):
            lines += [f"      - id: {letter}", f"        text: {{nl: 'Optie {letter}', en: 'Option {letter}'}}",
                      "        feedback: {nl: Uitleg., en: Why.}"]
            if i == 0 or (kind == "multiple" and i == 2):
                lines.append("        correct: true")
    (dest / "quizzes" / "01-preparation.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


@dataclass
class Report:
    participants: int
    questions: int
    join_seconds: float
    round_trips: list[float] = field(default_factory=list)  # seconds, one per answer
    join_times: list[float] = field(default_factory=list)  # seconds, one per phone: form sent → redirect
    step_latencies: list[float] = field(default_factory=list)  # seconds, one per (step, participant)
    refused_duplicates: int = 0
    counted: dict[str, int] = field(default_factory=dict)  # question id → answers in the results file
    live_counts: list[int] = field(default_factory=list)  # the projector's count when the trainer revealed
    total_seconds: float = 0.0

    @staticmethod
    def percentile(values: list[float], p: float) -> float:
        """The nearest-rank percentile: the smallest value at least ``p`` percent of values do not exceed."""
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]

    def problems(self) -> list[str]:
        """What is wrong with the session's counting (an empty list: every answer counted once)."""
        found = []
        if len(self.round_trips) != self.participants * self.questions:
            found.append(f"{len(self.round_trips)} answers accepted, expected {self.participants * self.questions}")
        if self.refused_duplicates != self.participants * self.questions:
            found.append(f"{self.refused_duplicates} duplicates refused, expected {self.participants * self.questions}")
        if len(self.counted) != self.questions or any(n != self.participants for n in self.counted.values()):
            found.append(f"results file counts {self.counted}, expected {self.participants} per question")
        if self.live_counts != [self.participants] * self.questions:
            found.append(f"live counts {self.live_counts}, expected {self.participants} each")
        return found


def post(url: str, fields: dict | None = None, cookie: str | None = None) -> tuple[int, dict]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    data = urllib.parse.urlencode(fields or {}).encode()
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


class Participant:
    """One phone: answers each question once when it appears, then tries again (a double tap)."""

    def __init__(self, number: int, cookie: str, questions: dict[int, list[str]], report: Report,
                 source: str = "127.0.0.1"):
        self.number = number
        self.source = source
        self.cookie = cookie
        self.questions = questions  # step index → choice ids
        self.report = report
        self.answered: set[int] = set()
        self.sent_at = 0.0
        self.step_seen: dict[int, float] = {}
        self.ready = asyncio.Event()

    def choice(self, index: int) -> str:
        ids = self.questions[index]
        return ids[(self.number + index) % len(ids)]

    async def run(self, ws_url: str, origin: str) -> None:
        from websockets.asyncio.client import connect

        async with connect(ws_url, additional_headers={"Cookie": self.cookie}, origin=origin,
                           open_timeout=30, ping_interval=None, local_addr=(self.source, 0)) as ws:
            self.ready.set()
            async for raw in ws:
                message = json.loads(raw)
                kind = message["type"]
                if kind == "step":
                    index = message["index"]
                    self.step_seen.setdefault(index, time.perf_counter())
                    if index in self.questions and index not in self.answered and 'class="answer"' in message["html"]:
                        self.answered.add(index)
                        self.sent_at = time.perf_counter()
                        await ws.send(json.dumps({"type": "answer", "step": index, "choices": [self.choice(index)]}))
                    elif index == max(self.questions) + 1:  # the summary: done
                        return
                elif kind == "accepted":
                    self.report.round_trips.append(time.perf_counter() - self.sent_at)
                    await ws.send(json.dumps({"type": "answer", "step": message["step"],
                                              "choices": [self.choice(message["step"])]}))
                elif kind == "refused" and message["reason"] == "duplicate":
                    self.report.refused_duplicates += 1
                elif kind == "refused":
                    raise AssertionError(f"participant {self.number}: refused {message}")


async def drive(root: str, trainer: str, participants: list[Participant], questions: dict[int, list[str]],
                last_step: int, report: Report) -> None:
    """The trainer: through every step; on a question, reveal once the live count reaches everyone."""
    from websockets.asyncio.client import connect

    n = len(participants)
    loop = asyncio.get_running_loop()
    async with connect(trainer.replace("http://", "ws://") + "/ws", origin=root, open_timeout=30,
                       ping_interval=None) as screen:
        json.loads(await screen.recv())
        for index in range(1, last_step + 1):
            pressed = time.perf_counter()
            await loop.run_in_executor(None, post, trainer + "/next")
            if index in questions:
                answered = 0
                while answered < n:
                    message = json.loads(await asyncio.wait_for(screen.recv(), 60))
                    if message["type"] == "count":
                        answered = message["answered"]
                report.live_counts.append(answered)
                await loop.run_in_executor(None, post, trainer + "/reveal")
            # Faster than any room, but not faster than the per-connection rate limit allows a phone
            # (two messages a question: the answer and its duplicate).
            await asyncio.sleep(DWELL)
            for p in participants:
                if index in p.step_seen:
                    report.step_latencies.append(p.step_seen[index] - pressed)


async def session(root: str, trainer: str, cookies: list[str], questions: dict[int, list[str]], last_step: int,
                  report: Report, sources: list[str]) -> None:
    participants = [Participant(i, c, questions, report, source) for i, (c, source) in enumerate(zip(cookies, sources))]
    ws_url = root.replace("http://", "ws://") + "/ws"
    tasks = [asyncio.create_task(p.run(ws_url, root)) for p in participants]
    await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in participants)), 60)
    await drive(root, trainer, participants, questions, last_step, report)
    await asyncio.wait_for(asyncio.gather(*tasks), 60)


async def join_all(root: str, code: str, sources: list[str], report: Report) -> list[str]:
    """Every phone joins at once; the time each join took is in ``report.join_times``."""

    async def one(n: int, source: str) -> str:
        started = time.perf_counter()
        status, headers = await http(root, "POST", "/join", source=source,
                                     body=urllib.parse.urlencode({"code": code, "nickname": f"P{n}"}).encode())
        assert status == 303, status
        report.join_times.append(time.perf_counter() - started)
        return headers["set-cookie"].split(";", 1)[0]

    return list(await asyncio.gather(*(one(n, source) for n, source in enumerate(sources))))


def run_load(participants: int = 60, questions: int = 10, python: str = sys.executable) -> Report:
    """One session with ``participants`` phones and ``questions`` questions, measured and checked."""
    separate = loopback_addresses()
    if not separate and participants > 100:
        raise SystemExit("more than 100 phones need an address each: 127.x.y.z on loopback (Linux)")
    from generator.classroom.serve import choose
    from generator.classroom.session import Session
    from generator.loader.load import load_course

    with tempfile.TemporaryDirectory() as tmp:
        course_dir = write_course(Path(tmp) / "course", questions)
        course, lesson, lang, audience = choose(load_course(course_dir).course, LESSON, "en", None)
        steps = Session(course, lesson, lang, audience).steps
        asked = {s.index: [c.id for c in s.choices] for s in steps if s.answerable}
        results = Path(tmp) / "results.csv"
        proc = subprocess.Popen([python, "-m", "generator", "classroom", str(course_dir), "--lesson", LESSON,
                                 "--lang", "en", "--port", "0", "--results", str(results)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            trainer = proc.stdout.readline().split(" ", 1)[1].strip()
            root = proc.stdout.readline().split(" ", 1)[1].strip().rstrip("/")
            with urllib.request.urlopen(trainer, timeout=30) as page:
                code = re.search(r'id="session-code">(\d+)<', page.read().decode()).group(1)
            report = Report(participants, questions, 0.0)
            started = time.perf_counter()
            # Every phone joins at the same moment, each from an address of its own (as on a
            # classroom network; see phone_address).
            sources = [phone_address(i) if separate else "127.0.0.1" for i in range(participants)]
            cookies = in_thread(join_all(root, code, sources, report))
            report.join_seconds = time.perf_counter() - started
            # In a thread of its own: the caller may be inside an event loop already (a test
            # process that drives Chromium through Playwright's synchronous API is).
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                pool.submit(lambda: asyncio.run(session(root, trainer, cookies, asked, len(steps) - 1,
                                                        report, sources))).result()
            report.total_seconds = time.perf_counter() - started
            proc.send_signal(2)
            _, err = proc.communicate(timeout=30)
            if proc.returncode != 0:
                raise AssertionError(f"the server ended with {proc.returncode}: {err}")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        for row in csv.DictReader(io.StringIO(results.read_text(encoding="utf-8"))):
            if not row["count"]:
                continue  # answered aloud: no count
            counted = report.counted.setdefault(row["question_id"], 0)
            report.counted[row["question_id"]] = counted + int(row["count"])
        return report


# --- a room joining at once, and people trying to knock the server over -------------------------
#
# Every phone has an address of its own, as on a classroom network: on Linux the whole of
# 127.0.0.0/8 is loopback, so phone n connects from 127.1.x.y. (Not on macOS, whose loopback
# answers 127.0.0.1 only: there these runs are skipped.)


def phone_address(n: int, block: int = 1) -> str:
    return f"127.{block}.{n // 250}.{n % 250 + 1}"


@contextlib.contextmanager
def served(course_dir: Path, *args: str, open_files: tuple[int, int] | None = None):
    """``modgen classroom`` for ``course_dir`` in a subprocess: (process, trainer URL, root URL, code).
    ``open_files``: the (soft, hard) open-file limit it starts with, as a terminal would give it."""
    def limit() -> None:
        if open_files is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_NOFILE, open_files)

    proc = subprocess.Popen([sys.executable, "-m", "generator", "classroom", str(course_dir), "--lesson", LESSON,
                             "--lang", "en", "--port", "0", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            preexec_fn=limit)
    try:
        trainer = proc.stdout.readline().split(" ", 1)[1].strip()
        root = proc.stdout.readline().split(" ", 1)[1].strip().rstrip("/")
        with urllib.request.urlopen(trainer, timeout=30) as page:
            code = re.search(r'id="session-code">(\d+)<', page.read().decode()).group(1)
        yield proc, trainer, root, code
    finally:
        if proc.poll() is None:
            proc.send_signal(2)
            try:
                proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()


async def http(root: str, method: str, path: str, *, source: str, body: bytes = b"",
               cookie: str | None = None, timeout: float = 30) -> tuple[int, dict[str, str]]:
    """One HTTP/1.1 request from ``source``: (status, headers), the body read and dropped."""
    host, port = urllib.parse.urlsplit(root).hostname, urllib.parse.urlsplit(root).port
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port, local_addr=(source, 0)), timeout)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close",
                f"Content-Length: {len(body)}"]
        if body:
            head.append("Content-Type: application/x-www-form-urlencoded")
        if cookie:
            head.append(f"Cookie: {cookie}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    if not raw:
        raise ConnectionResetError("closed without an answer")
    lines = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers


async def join_phone(root: str, code: str, source: str) -> str | None:
    """Join as a phone from ``source``: its cookie, or None when refused."""
    status, headers = await http(root, "POST", "/join", source=source,
                                 body=urllib.parse.urlencode({"code": code}).encode())
    return headers["set-cookie"].split(";", 1)[0] if status == 303 else None


async def open_phone(root: str, cookie: str, source: str):
    """The phone's page and its live channel, open, its first step received."""
    from websockets.asyncio.client import connect

    await http(root, "GET", "/play", source=source, cookie=cookie)
    ws = await connect(root.replace("http://", "ws://") + "/ws", additional_headers={"Cookie": cookie},
                       origin=root, open_timeout=30, ping_interval=None, local_addr=(source, 0))
    assert json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] == "step"
    return ws


@dataclass
class Storm:
    """A room of ``phones`` joining at the same moment, as the trainer's screen sees it."""

    phones: int
    joined: int = 0
    join_seconds: list[float] = field(default_factory=list)  # per phone: join form sent → first step shown
    counts_seen: list[int] = field(default_factory=list)  # the count on the trainer's screen, as it came
    trainer_open: bool = True
    all_seconds: float = 0.0


async def join_storm(trainer: str, root: str, code: str, phones: int) -> Storm:
    from websockets.asyncio.client import connect

    storm = Storm(phones)
    screen = await connect(trainer.replace("http://", "ws://") + "/ws", origin=root, open_timeout=30,
                           ping_interval=None)
    await screen.recv()
    reached, ending = asyncio.Event(), asyncio.Event()

    async def watch() -> None:
        try:
            async for raw in screen:
                message = json.loads(raw)
                if message["type"] == "joined":
                    storm.counts_seen.append(message["count"])
                    if message["count"] >= phones:
                        reached.set()
        finally:
            if not ending.is_set():  # the server closed it: the room's joining knocked it off
                storm.trainer_open = False

    async def phone(n: int):
        source = phone_address(n)
        started = time.perf_counter()
        cookie = await join_phone(root, code, source)
        if cookie is None:
            return None
        ws = await open_phone(root, cookie, source)
        storm.join_seconds.append(time.perf_counter() - started)
        return ws

    watcher = asyncio.create_task(watch())
    started = time.perf_counter()
    sockets = [ws for ws in await asyncio.gather(*(phone(n) for n in range(phones))) if ws is not None]
    storm.joined = len(sockets)
    try:
        await asyncio.wait_for(reached.wait(), 30)
    except asyncio.TimeoutError:
        pass
    storm.all_seconds = time.perf_counter() - started
    storm.trainer_open = storm.trainer_open and screen.close_code is None
    ending.set()
    await screen.close()
    watcher.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets))
    return storm


@dataclass
class Flood:
    """Idle connections opened by someone without the code, and a real phone joining meanwhile."""

    idle: int
    closed_within: list[float] = field(default_factory=list)  # seconds from opening to closed, per connection
    join_seconds: float | None = None


async def idle_flood(root: str, code: str, idle: int, wait: float = 10.0) -> Flood:
    host, port = urllib.parse.urlsplit(root).hostname, urllib.parse.urlsplit(root).port
    flood = Flood(idle)

    async def idler(n: int) -> None:
        started = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection(host, port, local_addr=(phone_address(n, 2), 0))
        except OSError:
            flood.closed_within.append(time.monotonic() - started)  # refused outright: closed too
            return
        try:
            await asyncio.wait_for(reader.read(), wait + 2)
            flood.closed_within.append(time.monotonic() - started)
        except (asyncio.TimeoutError, ConnectionError):
            if not reader.at_eof() and reader.exception() is None:
                return  # still open
            flood.closed_within.append(time.monotonic() - started)
        finally:
            writer.close()

    idlers = [asyncio.create_task(idler(n)) for n in range(idle)]
    await asyncio.sleep(0.5)  # the flood is in
    started = time.perf_counter()
    cookie = await join_phone(root, code, "127.0.0.1")
    if cookie is not None:
        ws = await open_phone(root, cookie, "127.0.0.1")
        flood.join_seconds = time.perf_counter() - started
        await ws.close()
    await asyncio.gather(*idlers)
    return flood


async def one_address_joins(root: str, code: str, joins: int, others: int) -> tuple[int, int]:
    """``joins`` joins from one address, then ``others`` from addresses of their own: how many of
    each got in."""
    async def attempt(source: str) -> str | None:
        try:
            return await join_phone(root, code, source)
        except (OSError, asyncio.TimeoutError):  # over the address's connection limit: reset
            return None

    flood = await asyncio.gather(*(attempt("127.3.0.1") for _ in range(joins)))
    rest = await asyncio.gather(*(join_phone(root, code, phone_address(n, 4)) for n in range(others)))
    return sum(c is not None for c in flood), sum(c is not None for c in rest)


def loopback_addresses() -> bool:
    """True where 127.x.y.z other than 127.0.0.1 can be bound (Linux; not macOS)."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.1.0.1", 0))
            return True
        except OSError:
            return False


def in_thread(coroutine):
    """Run ``coroutine`` in a thread and loop of its own (the caller may be inside a loop already)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def table(reports: "Report | list[Report]") -> list[str]:
    """The figures of one or more runs, a column per number of phones."""
    reports = reports if isinstance(reports, list) else [reports]
    ms = lambda s: f"{1000 * s:.0f}"
    rows = [
        ("participants × questions", lambda r: f"{r.participants} × {r.questions}"),
        ("answers accepted (each counted once)", lambda r: str(len(r.round_trips))),
        ("duplicates refused", lambda r: str(r.refused_duplicates)),
        ("answer round trip, median (ms)", lambda r: ms(statistics.median(r.round_trips))),
        ("answer round trip, p95 (ms)", lambda r: ms(r.percentile(r.round_trips, 95))),
        ("answer round trip, max (ms)", lambda r: ms(max(r.round_trips))),
        ("new step on every phone, p95 (ms)", lambda r: ms(r.percentile(r.step_latencies, 95))),
        ("one join, p95 (ms), all phones joining at once", lambda r: ms(r.percentile(r.join_times, 95))),
        ("all phones joined (s)", lambda r: f"{r.join_seconds:.2f}"),
        ("whole session (s)", lambda r: f"{r.total_seconds:.2f}"),
    ]
    head = "| measure | " + " | ".join(f"{r.participants} phones" for r in reports) + " |"
    lines = [head, "|---|" + "---:|" * len(reports)]
    lines += [f"| {name} | " + " | ".join(value(r) for r in reports) + " |" for name, value in rows]
    return lines


def write_section(path: Path, lines: list[str]) -> None:
    """Replace (or add) this benchmark's section of ``path``, leaving the rest as it is."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start = old.find(SECTION)
    if start >= 0:
        following = old.find("\n## ", start + len(SECTION))
        old = old[:start].rstrip("\n") + ("\n\n" + old[following + 1:] if following >= 0 else "")
    path.write_text(old.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[60, 250, 500])
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="put the figures in bench/results.md")
    args = parser.parse_args()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    reports = []
    for n in args.participants:
        report = run_load(n, args.questions)
        problems = report.problems()
        if problems:
            print("\n".join(problems), file=sys.stderr)
            raise SystemExit(1)
        reports.append(report)
        print("\n".join(table(report)), flush=True)
    lines = table(reports)
    print("\n".join(lines))
    if args.write:
        counts = ", ".join(str(n) for n in args.participants)
        write_section(HERE / "results.md", [
            SECTION, "",
            f"Written by `bench/classroom_load.py` on {time.strftime('%Y-%m-%d')}: {platform.python_implementation()} "
            f"{platform.python_version()}, {os.cpu_count()} cores, load average {load} at start. The server "
            f"(`modgen classroom`, one process) and the phones ({counts}: one asyncio process, real WebSockets, "
            "each phone from a loopback address of its own) share the machine. All phones join at the same "
            "moment; every phone answers the moment a question appears, then sends the same answer again "
            "(refused as a duplicate); the trainer reveals when the count reaches everyone.",
            "", *lines])
        print(f"wrote {HERE / 'results.md'}")


if __name__ == "__main__":
    main()
