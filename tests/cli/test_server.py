"""The build server (``generator/server.py``) as an author meets it: the real ``modgen`` command in
subprocesses, a real server process, each test with its own private socket folder.

What must hold: a build run in the server is the build the command would have run itself — same
output bytes, same messages and exit codes, same refusal to damage the previous output — and a
server is only used while it runs the very code the command would run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from generator import server
from tests.conftest import FIXTURES, ROOT
from tests.test_cache import edit, tree

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the build server runs on Linux")

TIMEOUT = 90  # seconds: a busy machine


class Modgen:
    """``modgen`` commands in one environment: its own socket folder, the server switched on."""

    def __init__(self, tmp_path: Path, pythonpath: Path = ROOT, **env: str):
        # A socket's path must be short (108 bytes): not under pytest's deep tmp_path.
        run_dir = Path(tempfile.mkdtemp(prefix="mg-run-"))
        self.env = {**os.environ, "PYTHONPATH": str(pythonpath), "XDG_RUNTIME_DIR": str(run_dir),
                    "MODGEN_SERVER": "1", "MODGEN_SERVER_IDLE": "300", **env}
        self.env = {k: v for k, v in self.env.items() if v is not None}
        self.run_dir = run_dir

    def __call__(self, *args: str, **env: str | None) -> subprocess.CompletedProcess:
        merged = {k: v for k, v in {**self.env, **env}.items() if v is not None}
        # Started outside the checkout: ``python -m`` puts the working directory first on the path.
        return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=self.run_dir, env=merged,
                              capture_output=True, text=True, timeout=TIMEOUT)

    def status(self) -> dict | None:
        """The server's own account (pid, builds run), or None when none runs."""
        text = self("server", "status").stdout
        found = re.search(r"process (\d+)\): (\d+) builds run, (\d+) courses? kept loaded", text)
        return {"pid": int(found[1]), "served": int(found[2]), "kept": int(found[3])} if found else None

    def wait_until_kept(self, courses: int) -> None:
        """Until the server has loaded the courses it built (it does so when no build runs)."""
        deadline = time.monotonic() + TIMEOUT
        while self.status()["kept"] < courses:
            assert time.monotonic() < deadline, "the server did not keep the course loaded"
            time.sleep(0.05)

    def wait_for_server(self) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            status = self.status()
            if status:
                return status
            time.sleep(0.2)
        raise AssertionError(f"no build server within {TIMEOUT} s; its log: {self.logs()}")

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.run_dir.rglob("*.log"))

    def stop(self) -> None:
        status = self.status()
        self("server", "stop")
        if status:
            _gone(status["pid"])


def _gone(pid: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # our own child (a server started by this test process) is reaped here
            if os.waitpid(pid, os.WNOHANG)[0]:
                return True
        except ChildProcessError:
            pass
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return False


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc: the build server runs on Linux only)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def modgen(tmp_path):
    made: list[Modgen] = []

    def make(**kwargs) -> Modgen:
        made.append(Modgen(tmp_path, **kwargs))
        return made[-1]

    yield make
    for each in made:
        each.stop()
        shutil.rmtree(each.run_dir, ignore_errors=True)


@pytest.fixture
def course(tmp_path) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", dest)
    return dest


def test_a_build_in_the_server_is_the_build_the_command_would_make(modgen, course, tmp_path) -> None:
    run = modgen()
    started = run("server", "start")
    assert started.returncode == 0, started.stderr
    assert run.status()["served"] == 0

    served = run("build", course, "-o", tmp_path / "served")
    assert served.returncode == 0, served.stderr
    assert run.status()["served"] == 1  # it really ran there
    # the command's own output reached the command's own stdout (the pipe was handed over)
    assert re.fullmatch(rf"Built \d+ artifacts into {re.escape(str(tmp_path / 'served'))}/ \(see .*\)\n",
                        served.stdout)
    here = run("build", course, "-o", tmp_path / "here", MODGEN_SERVER="0")
    assert here.returncode == 0 and here.stdout == served.stdout.replace("served", "here")
    assert run.status()["served"] == 1
    assert tree(tmp_path / "served") == tree(tmp_path / "here")

    # An edit, rebuilt incrementally in the server (parsing only the edited file, the others kept
    # from the first build), against a clean build in the command's process.
    run.wait_until_kept(1)
    edit(course / "modules" / "02-activity.yaml", "A theft happens in a few short steps.",
         "A theft happens in a few short steps, often at night.")
    assert run("build", course, "-o", tmp_path / "served", "-q").returncode == 0
    assert run.status()["served"] == 2
    assert run("build", course, "-o", tmp_path / "clean", "-q", "--no-server").returncode == 0
    assert run.status()["served"] == 2  # --no-server built in the command's process
    assert tree(tmp_path / "served") == tree(tmp_path / "clean")
    # The previous output, swapped out, is deleted once the command has its answer.
    deadline = time.monotonic() + TIMEOUT
    while list(tmp_path.glob(".served.*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(tmp_path.glob(".served.*"))


def test_errors_and_exit_codes_are_the_commands_own(modgen, course, tmp_path) -> None:
    run = modgen()
    run("server", "start")
    out = tmp_path / "out"
    assert run("build", course, "-o", out).returncode == 0
    manifest = (out / "manifest.json").read_bytes()

    run.wait_until_kept(1)  # the broken file must be reported, not hidden by the kept one
    lesson = course / "modules" / "02-activity.yaml"
    good = lesson.read_text(encoding="utf-8")
    lesson.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    broken = run("build", course, "-o", out)
    here = run("build", course, "-o", out, "--no-server")
    assert broken.returncode == here.returncode == 1
    assert broken.stderr == here.stderr
    assert re.search(r"modules/02-activity\.yaml:\d+:\d+: ", broken.stderr)
    assert (out / "manifest.json").read_bytes() == manifest  # the last good build is untouched

    lesson.write_text(good, encoding="utf-8")
    usage = run("build", course, "-o", out, "--lang", "xx")
    assert usage.returncode == 2 and "language xx is not in the course" in usage.stderr
    assert run.status()["served"] == 3  # the first build, the broken one, the bad --lang


def _building_in_server(modgen, tmp_path: Path) -> tuple[Modgen, subprocess.Popen, Path]:
    """A running server, and a command whose build (of a course large enough to take a while)
    has begun writing its output in it."""
    big = tmp_path / "big"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_course.py"), "--lessons", "40", str(big)],
                   check=True, capture_output=True)
    run = modgen()
    run("server", "start")
    out = tmp_path / "out"
    command = subprocess.Popen([sys.executable, "-m", "generator", "build", str(big), "-o", str(out)],
                               cwd=run.run_dir, env=run.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + TIMEOUT
    while not list(tmp_path.glob(".out.building-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(".out.building-*")), "the build never started"
    return run, command, out


def test_ctrl_c_on_the_command_stops_the_build_in_the_server(modgen, tmp_path) -> None:
    run, command, out = _building_in_server(modgen, tmp_path)
    command.send_signal(signal.SIGINT)
    stdout, stderr = command.communicate(timeout=TIMEOUT)
    assert command.returncode == 130, stderr
    assert "Interrupted; the previous output is unchanged." in stderr
    assert not out.exists()
    deadline = time.monotonic() + TIMEOUT
    while list(tmp_path.glob(".out.building-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(tmp_path.glob(".out.building-*"))  # the build cleaned up after itself
    assert run.status()["served"] == 1


def test_a_build_whose_process_dies_is_built_again_by_the_command(modgen, tmp_path) -> None:
    """The server's child is killed mid-build: the command says so and builds in its own process."""
    run, command, out = _building_in_server(modgen, tmp_path)
    children = _children(run.status()["pid"])
    assert children
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    stdout, stderr = command.communicate(timeout=TIMEOUT * 3)
    assert command.returncode == 0, stderr
    assert "the build server stopped during the build; building here instead" in stderr
    assert json.loads((out / "manifest.json").read_text())["artifacts"]


def test_a_dead_servers_socket_is_replaced(modgen, course, tmp_path) -> None:
    run = modgen()
    run("server", "start")
    dead = run.status()["pid"]
    os.kill(dead, signal.SIGKILL)
    assert _gone(dead)
    assert list(run.run_dir.rglob("*.sock"))  # left behind
    built = run("build", course, "-o", tmp_path / "out", "-q")  # refused connection: built here
    assert built.returncode == 0, built.stderr
    assert run.wait_for_server()["pid"] != dead  # and a new server took the socket's place
    assert run("build", course, "-o", tmp_path / "out", "-q").returncode == 0
    assert run.status()["served"] == 1


def test_a_server_of_other_code_is_not_used(modgen, course, tmp_path) -> None:
    """Changing any file of the generator makes a running server step aside."""
    copy = tmp_path / "code"
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    run = modgen(pythonpath=copy)
    run("server", "start")
    first = run.status()
    out = tmp_path / "out"
    assert run("build", course, "-o", out, "-q").returncode == 0
    assert run.status()["served"] == 1

    gift = copy / "generator" / "targets" / "gift.py"
    gift.write_text(gift.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    rebuilt = run("build", course, "-o", out, "-q")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _gone(first["pid"])  # the old server left instead of building with old code
    assert json.loads((out / "manifest.json").read_text())["artifacts"]
    # The command built in its own process and started a server of the new code.
    assert run.wait_for_server()["pid"] != first["pid"]


def test_the_first_build_starts_a_server_for_the_next_and_it_leaves_when_idle(modgen, course, tmp_path) -> None:
    run = modgen(MODGEN_SERVER=None, CI=None, MODGEN_SERVER_IDLE="3")
    assert run.status() is None
    first = run("build", course, "-o", tmp_path / "out")
    assert first.returncode == 0
    assert "Started a build server" in first.stderr  # a process left behind is not a secret
    status = run.wait_for_server()
    assert status["served"] == 0
    assert run("build", course, "-o", tmp_path / "out", "-q").returncode == 0
    assert run.status()["served"] == 1
    assert _gone(status["pid"], timeout=30)  # idle for 3 s
    assert run.status() is None


def test_builds_while_the_server_warms_up_start_no_second_one(modgen, course, tmp_path) -> None:
    run = modgen(MODGEN_SERVER=None, CI=None)
    first = run("build", course, "-o", tmp_path / "a")
    second = run("build", course, "-o", tmp_path / "b")  # most likely before the server is ready
    assert first.returncode == second.returncode == 0
    assert "Started a build server" in first.stderr
    status = run.wait_for_server()
    assert "Started a build server" not in second.stderr, "a second server was started"

    def servers() -> list[int]:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = cmdline.read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "generator.server import serve" in text and str(run.run_dir) in text:
                found.append(int(cmdline.parent.name))
        return found

    deadline = time.monotonic() + 10
    while len(servers()) != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert servers() == [status["pid"]]


def test_stop_reaches_a_server_still_warming_up(modgen, course, tmp_path) -> None:
    run = modgen(MODGEN_SERVER=None, CI=None)
    assert "Started a build server" in run("build", course, "-o", tmp_path / "out").stderr
    stopped = run("server", "stop")  # at once: the server is not listening yet
    assert re.fullmatch(r"Stopped the build server \(process \d+\)\.\n", stopped.stdout), stopped.stdout
    assert run.status() is None


@pytest.mark.parametrize("env", [{"MODGEN_SERVER": "0"}, {"MODGEN_SERVER": None, "CI": "true"}],
                         ids=["MODGEN_SERVER=0", "CI"])
def test_no_server_is_started_when_switched_off(modgen, course, tmp_path, env) -> None:
    run = modgen(**env)
    assert run("build", course, "-o", tmp_path / "out", "-q").returncode == 0
    time.sleep(2)  # a server started now would have created its lock by then
    assert not list(run.run_dir.rglob("*")), list(run.run_dir.rglob("*"))
    assert run.status() is None


def test_a_served_build_costs_the_command_no_heavy_import(modgen, course, tmp_path) -> None:
    """The point of the server: the command itself imports neither click nor pydantic nor yaml."""
    run = modgen()
    run("server", "start")
    probe = ("import json, sys; from generator import server; "
             "code = server.run_remotely(sys.argv[1:]); print(json.dumps([code, sorted(sys.modules)]))")
    proc = subprocess.run([sys.executable, "-c", probe, "build", str(course), "-o", str(tmp_path / "out"), "-q"],
                          cwd=ROOT, env=run.env, capture_output=True, text=True, timeout=TIMEOUT)
    code, modules = json.loads(proc.stdout.splitlines()[-1])
    assert code == 0, proc.stderr
    assert (tmp_path / "out" / "manifest.json").is_file()
    heavy = {m.split(".")[0] for m in modules} & {"click", "pydantic", "yaml", "pptx", "lxml", "jinja2", "rich"}
    assert not heavy


@pytest.fixture
def short_tmp():
    """A folder with a short path: a socket's path must fit in 108 bytes."""
    path = Path(tempfile.mkdtemp(prefix="mg-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_deferred_removal_of_the_previous_output(course, tmp_path, monkeypatch) -> None:
    """The server's build deletes the output it replaced after answering the command; until then it
    lies beside OUT under a name the next build cleans up should the process die first."""
    from generator import build as pipeline

    out = tmp_path / "out"
    pipeline.build(pipeline.BuildRequest(course, out))
    monkeypatch.setattr(pipeline, "DEFER_REMOVAL", True)
    pipeline.build(pipeline.BuildRequest(course, out))
    left = list(tmp_path.glob(".out.building-*"))
    assert len(left) == 1 and (left[0] / "manifest.json").is_file()  # the previous build, whole
    pipeline.remove_previous_builds()
    assert not left[0].exists()
    # one left by a process that died: the next build removes it (the old-style name too)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    for name in (f".out.building-{dead}", f".out.old-{dead}"):
        (tmp_path / name).mkdir()
    monkeypatch.setattr(pipeline, "DEFER_REMOVAL", False)
    pipeline.build(pipeline.BuildRequest(course, out))
    assert not list(tmp_path.glob(".out.*"))


def test_a_build_forked_from_the_server_parses_only_the_files_changed_since(course, tmp_path, monkeypatch) -> None:
    """``build.PRELOADED``: the server's files of a course, by its resolved folder, used by a build
    that names the course by another path (here relative to its working directory)."""
    from generator import build as pipeline
    from generator import cache
    from generator.loader import load

    kept: dict = {}
    first = load.load_course(course.resolve(), memo=kept)
    earlier = cache.Keys(first)
    jobs = pipeline.plan(first, pipeline.BuildRequest(course, tmp_path / "x"))
    for job in jobs:
        earlier.key(job.kind, job.lang, job.audience, job.part)
    monkeypatch.setattr(pipeline, "PRELOADED", {str(course.resolve()): kept})
    monkeypatch.setattr(pipeline, "PRELOADED_KEYS", {str(course.resolve()): earlier})
    parsed: list[str] = []
    read_yaml = load.read_yaml
    monkeypatch.setattr(load, "read_yaml", lambda path, display, raw=None: parsed.append(display)
                        or read_yaml(path, display, raw))
    monkeypatch.chdir(tmp_path)
    edit(course / "modules" / "02-activity.yaml", "A theft happens in a few short steps.",
         "A theft happens in a few short steps, often at night.")
    pipeline.build(pipeline.BuildRequest(Path("course"), Path("out")))
    assert parsed == ["modules/02-activity.yaml"]
    # The keys taken over from the earlier load are the keys worked out afresh.
    now = load.load_course(course.resolve(), memo=dict(kept))
    assert [cache.Keys(now, earlier).key(j.kind, j.lang, j.audience, j.part) for j in jobs] == \
        [cache.Keys(now).key(j.kind, j.lang, j.audience, j.part) for j in jobs]
    monkeypatch.setattr(pipeline, "PRELOADED", {})
    monkeypatch.setattr(pipeline, "PRELOADED_KEYS", {})
    pipeline.build(pipeline.BuildRequest(Path("course"), Path("clean")))
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_the_socket_folder_must_be_private(short_tmp, tmp_path, monkeypatch) -> None:
    shared = short_tmp / "run"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
    monkeypatch.setenv("XDG_CACHE_HOME", str(short_tmp / "cache"))
    monkeypatch.delenv("MODGEN_NO_USER_CACHE", raising=False)
    # a runtime folder others can write to is passed over for the private cache folder
    servers = short_tmp / "cache" / "modgen" / "servers"
    assert server.folder() == str(servers)
    assert server.address().startswith(str(servers / "build-"))
    servers.chmod(0o755)
    assert server.folder() is None and server.address() is None  # not private: no server at all
    monkeypatch.setenv("MODGEN_NO_USER_CACHE", "1")
    assert server.folder() is None
    # a path too long for a socket: no server rather than a socket somewhere else
    monkeypatch.delenv("MODGEN_NO_USER_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ("deep" * 20)))
    assert server.folder() is not None and server.address() is None


@pytest.mark.parametrize("argv, served", [
    (["build"], True), (["--verbose", "build", "course", "-o", "x"], True), (["build", "--watch"], False),
    (["build", "--no-server"], False), (["build", "--help"], False), (["validate"], False), ([], False),
    (["server", "start"], False)])
def test_which_commands_the_server_runs(argv, served) -> None:
    assert server.serves(argv) is served
