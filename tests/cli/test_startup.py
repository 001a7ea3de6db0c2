"""Start-up: ``modgen --help`` and ``modgen validate`` load no output library.

Importing python-pptx, lxml, Jinja, markdown, nh3 or Playwright costs far more than checking a
course, so those are imported by the targets that use them, when they run. Timings are measured by
``bench/run.py``; this pins the import set, which is what keeps them short.
"""

import json
import subprocess
import sys

import pytest

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


def modules_after(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return {m.split(".")[0] for m in json.loads(proc.stdout.strip().splitlines()[-1])}


@pytest.mark.parametrize("args", [("--help",), ("validate", str(FIXTURES / "minimal")), ("validate", str(ROOT))],
                         ids=["help", "validate-fixture", "validate-bundled"])
def test_no_output_library_is_imported(args) -> None:
    loaded = modules_after(*args)
    assert "generator" in loaded  # the probe really ran the command
    assert loaded.isdisjoint(OUTPUT_LIBRARIES), sorted(loaded & set(OUTPUT_LIBRARIES))


def test_probe_sees_output_libraries_when_a_build_loads_them(tmp_path) -> None:
    """The probe is able to fail: a build that renders markdown does load the output libraries."""
    loaded = modules_after("build", str(FIXTURES / "minimal"), "-o", str(tmp_path / "out"), "--format", "gift",
                           "--lang", "en", "-q")
    assert "markdown" in loaded or "nh3" in loaded or "lxml" in loaded


MAIN_PROBE = """
import json, sys
from generator.cli import main
main(sys.argv[1:])
print(json.dumps(sorted(sys.modules)))
"""


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
