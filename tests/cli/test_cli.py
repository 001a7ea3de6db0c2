"""The modgen command line as an author uses it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import cache
from tests.conftest import FIXTURES, ROOT, run_modgen

COMMANDS = ["validate", "build", "init", "schema", "formats"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_on_every_command(command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    result = run_modgen(*args)
    assert result.returncode == 0, result.stderr
    assert "Usage: modgen" in result.stdout


def test_validate_ok_exit_0() -> None:
    result = run_modgen("validate", FIXTURES / "minimal")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "bike-theft 0.1: 2 lessons, 2 quizzes, 5 questions — valid"


def test_usage_error_exit_2(tmp_path: Path) -> None:
    result = run_modgen("build", FIXTURES / "minimal", "-o", tmp_path / "out", "--format", "pdf-magic")
    assert result.returncode == 2
    assert "unknown format pdf-magic" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_modgen("build", FIXTURES / "minimal", "-o", tmp_path / "out", "--lang", "fr")
    assert result.returncode == 2
    assert "language fr is not in the course (it has nl, en)" in result.stderr


def test_missing_course_dir_is_content_error(tmp_path: Path) -> None:
    result = run_modgen("validate", tmp_path / "nowhere")
    assert result.returncode == 1
    assert "course directory does not exist" in result.stderr


@pytest.mark.parametrize("kind, lesson", [("plain", "01-introduction"), ("crime-script", "01-preparation")])
def test_init_then_build(kind: str, lesson: str, tmp_path: Path) -> None:
    course = tmp_path / "x"
    run_modgen("init", course, "--kind", kind, check=True)
    # The YAML language server reads YAML 1.1 as modgen does (`No` is false), editors indent with spaces.
    assert json.loads((course / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.yamlVersion"] == "1.1"
    assert "indent_style = space" in (course / ".editorconfig").read_text(encoding="utf-8")
    for f in ("course.yaml", f"modules/{lesson}.yaml", f"quizzes/{lesson}.yaml"):
        first = (course / f).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema_ref = first.split("=", 1)[1]
        assert (course / f).parent.joinpath(schema_ref).resolve().is_file()
    result = run_modgen("validate", "--strict", course)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    result = run_modgen("build", course, "-o", out)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["course"] == "my-course"
    assert manifest["version"] == "0.1"
    assert ("phases:" in (course / "course.yaml").read_text(encoding="utf-8")) == (kind == "crime-script")
    for artifact in manifest["artifacts"]:
        assert (out / artifact["path"]).exists()


def test_init_refuses_non_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = run_modgen("init", tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_build_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    run_modgen("build", FIXTURES / "minimal", "-o", a, check=True)
    run_modgen("build", FIXTURES / "minimal", "-o", b, check=True)
    # All but the record of what this machine saw of the files: their inodes and times differ.
    stats = Path(cache.CACHE_DIR, cache.STATS)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.relative_to(a) != stats)
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.relative_to(b) != stats)
    assert files_a == files_b and (a / stats).is_file()
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_manifest_shape(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_modgen("build", FIXTURES / "minimal", "-o", out, check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"course", "version", "artifacts", "warnings"}
    for artifact in manifest["artifacts"]:
        assert {"kind", "lang", "audience", "path", "bytes"} <= set(artifact)
        assert artifact["lang"] in ("nl", "en")
        assert artifact["bytes"] > 0


def test_build_refuses_course_dir_as_output(course_copy) -> None:
    root = course_copy("minimal")
    result = run_modgen("build", root, "-o", root)
    assert result.returncode == 2
    assert "holds the course itself" in result.stderr
    assert (root / "course.yaml").is_file()


def test_failed_build_keeps_previous_output(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    out = tmp_path / "out"
    run_modgen("build", root, "-o", out, check=True)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "modules" / "01-preparation.yaml").write_text("id: [broken\n", encoding="utf-8")
    result = run_modgen("build", root, "-o", out)
    assert result.returncode == 1
    assert "Build: found 1 problem; nothing was built, the previous output is unchanged." in result.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_json_schema_validates_course_files(tmp_path: Path) -> None:
    run_modgen("schema", "-o", tmp_path, check=True)
    schemas = {name: json.loads((tmp_path / f"{name}.schema.json").read_text()) for name in ("course", "lesson", "quiz")}
    for course_dir in (ROOT, FIXTURES / "minimal"):
        if not (course_dir / "course.yaml").exists():
            continue
        jsonschema.validate(yaml.safe_load((course_dir / "course.yaml").read_text()), schemas["course"])
        for f in sorted((course_dir / "modules").glob("*.yaml")):
            jsonschema.validate(yaml.safe_load(f.read_text()), schemas["lesson"])
        for f in sorted((course_dir / "quizzes").glob("*.yaml")):
            jsonschema.validate(yaml.safe_load(f.read_text()), schemas["quiz"])
    glossary = json.loads((tmp_path / "glossary.schema.json").read_text())
    jsonschema.validate(yaml.safe_load((ROOT / "glossary.yaml").read_text()), glossary)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"terms": [{"id": "x", "term": {"nl": "x"}, "forbiden": {}}]}, glossary)


def test_json_schema_rejects_a_typo(tmp_path: Path) -> None:
    run_modgen("schema", "-o", tmp_path, check=True)
    schema = json.loads((tmp_path / "lesson.schema.json").read_text())
    lesson = yaml.safe_load((FIXTURES / "minimal" / "modules" / "01-preparation.yaml").read_text())
    lesson["objectivs"] = lesson.pop("objectives")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(lesson, schema)


def test_catalogues_complete() -> None:
    import generator.targets as targets
    from generator.i18n import Catalog

    for kind in targets.kinds():
        targets.load_target(kind)
    assert Catalog.all
    assert [m for c in Catalog.all for m in c.missing()] == []


def test_build_without_course_dir_uses_bundled_course(tmp_path: Path) -> None:
    """In a folder without course.yaml, `modgen build` builds the bundled course."""
    result = run_modgen("build", "--format", "moodle-xml", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["course"] == "csem-darkweb-crime-script"
    assert "No course.yaml in this folder: using the bundled course" in result.stderr


def test_validate_says_when_it_checks_the_bundled_course(tmp_path: Path) -> None:
    """An author in the wrong folder must not take the bundled course's "valid" for their own."""
    result = run_modgen("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No course.yaml in this folder: using the bundled course" in result.stderr


def test_build_of_a_named_course_writes_beside_it(course_copy, tmp_path: Path) -> None:
    """`modgen build ../mycourse` builds into ../mycourse/output, not into the current folder's
    output (which may hold another course's build), and says where to start reading."""
    root = course_copy("minimal")
    here = tmp_path / "elsewhere"
    (here / "output").mkdir(parents=True)
    (here / "output" / "keep.txt").write_text("another course's build", encoding="utf-8")
    result = run_modgen("build", root, "--format", "site", "--lang", "en", cwd=here)
    assert result.returncode == 0, result.stderr
    assert json.loads((root / "output" / "manifest.json").read_text(encoding="utf-8"))["course"] == "bike-theft"
    assert (here / "output" / "keep.txt").read_text(encoding="utf-8") == "another course's build"
    assert f"Open {root / 'output' / 'site'}" in result.stdout


def test_wheel_carries_the_bundled_course() -> None:
    """pyproject maps the root course into the package, so `pip install` + `modgen build` works anywhere."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert mapping == {"course.yaml": "generator/bundled_course/course.yaml",
                       "modules": "generator/bundled_course/modules",
                       "quizzes": "generator/bundled_course/quizzes",
                       "translations.lock": "generator/bundled_course/translations.lock",
                       "glossary.yaml": "generator/bundled_course/glossary.yaml"}
    for source in mapping:
        assert (ROOT / source).exists()


def test_the_command_ends_its_process_with_every_line_written_and_its_exit_code(tmp_path: Path) -> None:
    """``modgen`` ends its process itself (``cli.end_process``, no interpreter teardown): what it
    printed into a pipe (block-buffered: no PYTHONUNBUFFERED) must all arrive, and the exit code
    must be the command's."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(ROOT)
    formats = subprocess.run([sys.executable, "-m", "generator", "formats"], cwd=ROOT, capture_output=True,
                             text=True, env=env)
    assert formats.returncode == 0
    from generator.targets import REGISTRY

    assert [line.split()[0] for line in formats.stdout.splitlines()] == list(REGISTRY)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "course.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "validate", str(broken)], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("course.yaml:") and result.stderr.rstrip().endswith("Validation: found 1 problem.")
