"""A command does its job and ends: after ``modgen build`` no modgen process remains.

Trainers run modgen on managed workstations, where a process that outlives its command is a
surprise (and a question for the security officer). The build used to leave a build server behind;
this test looks for anything the command leaves, however it got away: by its session, by a marker
in the environment every child inherits, and by the course path on its command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT


def _processes() -> dict[int, tuple[int, bytes, bytes]]:
    """pid → (session id, command line, environment) of every process we may read."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours
            continue
        # The command name (field 2) may hold spaces and parentheses: count from its closing one.
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[3]), cmdline, environ)
    return found


def _commands() -> list[list[str]]:
    """Both ways in: ``python -m generator``, and the installed ``modgen`` script beside this Python
    (``make test`` installs it; a bare checkout has only the module)."""
    script = Path(sys.executable).with_name("modgen")
    return [[sys.executable, "-m", "generator"]] + ([[str(script)]] if script.exists() else [])


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc to read the process table")
@pytest.mark.parametrize("command", _commands(), ids=lambda c: "script" if len(c) == 1 else "module")
def test_build_leaves_no_process_behind(tmp_path: Path, command: list[str]) -> None:
    course = tmp_path / f"course-{uuid.uuid4().hex}"
    shutil.copytree(FIXTURES / "minimal", course)
    marker = uuid.uuid4().hex
    # As on a trainer's workstation: no CI variable (a process that stays behind might stay off in CI).
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PYTHONPATH=str(ROOT), MODGEN_TEST_MARKER=marker)
    # Twice: the second build is the one that found an earlier build's output (the old server
    # started after the first build and served the second).
    for _ in range(2):
        proc = subprocess.Popen([*command, "build", str(course), "-o", str(tmp_path / "out"), "-q"],
                                cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        assert not err.strip(), "a quiet build that succeeds prints nothing"
        left = {pid: cmdline.replace(b"\0", b" ").decode(errors="replace")
                for pid, (session, cmdline, environ) in _processes().items()
                if pid != os.getpid() and (session == proc.pid or marker.encode() in environ
                                           or course.name.encode() in cmdline)}
        assert left == {}, f"modgen left processes behind: {left}"
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_the_build_server_is_gone() -> None:
    """No ``modgen server`` command, no ``--no-server`` option: a plain build runs in its own process."""
    from click.testing import CliRunner

    from generator.cli import cli

    runner = CliRunner()
    assert "server" not in cli.commands
    result = runner.invoke(cli, ["build", "--help"])
    assert result.exit_code == 0 and "--no-server" not in result.output
    assert not (ROOT / "generator" / "server.py").exists() and not (ROOT / "generator" / "launch.py").exists()
