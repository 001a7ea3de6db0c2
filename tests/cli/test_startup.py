"""Start-up: ``modgen --help``, ``modgen validate`` and a build with nothing to do load no output library.

Importing python-pptx, lxml, Jinja, markdown, nh3 or Playwright costs far more than checking a
course, so those are imported by the targets that use them, when they run — not when a build
plans its jobs (which imports every target module) or carries its artifacts over. Timings are
measured by ``bench/run.py`` and ``bench/edit.sh``; this pins the import set, which is what keeps
them short.
"""

import json
import subprocess
import sys

import pytest

from generator.targets import REGISTRY
from tests.conftest import FIXTURES, ROOT

OUTPUT_LIBRARIES = ("pptx", "lxml", "jinja2", "markdown", "nh3", "playwright", "PIL", "markupsafe")

PROBE = """
import json, sys
from generator.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="modgen", standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""

#: As an installed ``modgen`` runs (``generator.cli.main``: no pydantic plugins looked for).
MAIN_PROBE = """
import json, sys
from generator.cli import main
main(sys.argv[1:])
print(json.dumps(sorted(sys.modules)))
"""


def loaded_after(*args: str, probe: str = PROBE) -> set[str]:
    """Every module loaded by ``modgen ARGS``."""
    proc = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def modules_after(*args: str) -> set[str]:
    """The top-level packages loaded by ``modgen ARGS``."""
    return {m.split(".")[0] for m in loaded_after(*args)}


@pytest.mark.parametrize("args", [("--help",), ("validate", str(FIXTURES / "minimal")), ("validate", str(ROOT))],
                         ids=["help", "validate-fixture", "validate-bundled"])
def test_no_output_library_is_imported(args) -> None:
    loaded = modules_after(*args)
    assert "generator" in loaded  # the probe really ran the command
    assert loaded.isdisjoint(OUTPUT_LIBRARIES), sorted(loaded & set(OUTPUT_LIBRARIES))


def test_probe_sees_output_libraries_when_a_build_loads_them(tmp_path) -> None:
    """The probe is able to fail: a build that renders does load the output libraries (one job, so
    it runs in the probed process rather than in a worker)."""
    loaded = modules_after("build", str(FIXTURES / "minimal"), "-o", str(tmp_path / "out"), "--format", "gift",
                           "--lang", "en", "--audience", "enforcement", "-q")
    assert "lxml" in loaded


def test_a_build_with_nothing_to_do_loads_no_output_library(tmp_path) -> None:
    """Every artifact carried over: planning imports every target, and none may import what it
    renders with; the generator's fingerprint reads library versions without importlib.metadata."""
    course, out = str(FIXTURES / "minimal"), tmp_path / "out"
    subprocess.run([sys.executable, "-m", "generator", "build", course, "-o", str(out), "-q"], cwd=ROOT, check=True)
    deck = next(out.glob("pptx/*/*.pptx"))
    inode = deck.stat().st_ino
    loaded = loaded_after("build", course, "-o", str(out), "-q", probe=MAIN_PROBE)
    assert "generator.cache" in loaded and deck.stat().st_ino == inode  # built, by carrying the deck over
    packages = {m.split(".")[0] for m in loaded}
    assert packages.isdisjoint(OUTPUT_LIBRARIES), sorted(packages & set(OUTPUT_LIBRARIES))
    assert "importlib.metadata" not in loaded


def test_validate_does_not_look_for_pydantic_plugins() -> None:
    """The command tells pydantic it has no plugins; looking for them through importlib.metadata
    (with email, zipfile, csv) was a large part of the start-up of ``modgen validate``."""
    proc = subprocess.run([sys.executable, "-c", MAIN_PROBE, "validate", str(ROOT)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert "valid" in proc.stdout
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert "pydantic" in loaded  # the probe really validated
    assert "importlib.metadata" not in loaded and "email" not in loaded


def test_the_plugin_stand_in_hands_anything_else_over_to_pydantics_loader() -> None:
    """A later pydantic asking its plugin loader for more than ``get_plugins`` gets the real thing."""
    probe = ("import sys; from generator.cli import _without_pydantic_plugins; _without_pydantic_plugins()\n"
             "from pydantic.plugin._loader import get_plugins, _plugins\n"
             "print(list(get_plugins()), _plugins)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "None"]  # _plugins: a name only the real loader has


RENDER_PROBE = """
import importlib, json, sys, tempfile
from pathlib import Path
from generator.loader.load import load_course
from generator.targets import Job, load_target
kind, course = sys.argv[1], load_course(Path(sys.argv[2])).course
target = load_target(kind)
for module in target.renders_with:
    importlib.import_module(module)
before = set(sys.modules)
audience = course.audiences[0].id if target.per_audience else None
with tempfile.TemporaryDirectory() as out:
    assert target.build(Job(course.for_audience(audience), course.languages[0], audience, Path(out), kind))
# Packages loaded by the job that no module loaded before it came from (a package's own lazy
# submodules, such as markdown's extensions, cost little).
print(json.dumps(sorted({m.split(".")[0] for m in set(sys.modules) - before} - {m.split(".")[0] for m in before})))
"""


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_a_target_states_the_output_libraries_it_renders_with(kind) -> None:
    """A build imports ``Target.renders_with`` once before forking its workers: a job must then find
    every output library it uses already loaded, or each worker would import it again."""
    proc = subprocess.run([sys.executable, "-c", RENDER_PROBE, kind, str(FIXTURES / "minimal")], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    imported = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert imported.isdisjoint(OUTPUT_LIBRARIES), sorted(imported & set(OUTPUT_LIBRARIES))
