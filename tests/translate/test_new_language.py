"""Adding a language as authors do (course.yaml ``in_progress``): the translation starts at once,
the complete languages keep building, a release waits for the new one; plain texts are the first
language, so a one-language course gets a second without a text rewritten by hand."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import yaml
from lxml import etree

from tests.conftest import FIXTURES, run_modgen
from tests.translate.conftest import git

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"


def add_language(course: Path, lang: str) -> None:
    """What the author writes: the language added to 'languages' and marked in progress."""
    text = (course / "course.yaml").read_text(encoding="utf-8")
    found = re.search(r"^languages: \[(.*)\]$", text, re.M)
    assert found
    text = text.replace(found.group(0), f"languages: [{found.group(1)}, {lang}]\nin_progress: [{lang}]")
    (course / "course.yaml").write_text(text, encoding="utf-8")


def translate_xliff(path: Path, prefix: str) -> int:
    """A translator's work: every segment gets a target (the source, marked), inline codes kept."""
    tree = etree.parse(str(path))
    count = 0
    for segment in tree.iter(f"{{{XLIFF}}}segment"):
        source = segment.find(f"{{{XLIFF}}}source")
        old = segment.find(f"{{{XLIFF}}}target")
        if old is not None:
            segment.remove(old)
        target = copy.deepcopy(source)
        target.tag = f"{{{XLIFF}}}target"
        target.text = prefix + (target.text or "")
        segment.append(target)
        segment.set("state", "translated")
        count += 1
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return count


def same_but_translated(before, after) -> bool:
    if isinstance(before, str) and isinstance(after, dict):
        return after == {"en": before, "nl": "NL " + before.lstrip()} or after.get("en") == before
    if isinstance(before, dict) and isinstance(after, dict):
        return set(after) == set(before) and all(same_but_translated(v, after[k]) for k, v in before.items())
    if isinstance(before, list) and isinstance(after, list):
        return len(before) == len(after) and all(map(same_but_translated, before, after))
    return before == after


def test_german_added_to_the_bundled_course(bundled: Path, tmp_path: Path) -> None:
    add_language(bundled, "de")
    validated = run_modgen("validate", bundled)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "language 'de' is in progress and not built" in validated.stderr

    # While German is out for translation, the complete languages build, and say what de lacks.
    out = tmp_path / "out"
    built = run_modgen("build", bundled, "-o", out, "--format", "site", "--lang", "nl,en")
    assert built.returncode == 0, built.stderr
    assert "language 'de' is in progress and not built" in built.stderr
    default = run_modgen("build", bundled, "-o", tmp_path / "all", "--format", "moodle-xml")
    assert default.returncode == 0, default.stderr
    assert {a["lang"] for a in __import__("json").loads((tmp_path / "all" / "manifest.json").read_text())["artifacts"]} \
        == {"nl", "en"}
    # Asked for by name, or for a release, the incomplete language is refused, with what it lacks.
    asked = run_modgen("build", bundled, "-o", tmp_path / "de", "--format", "site", "--lang", "de")
    assert asked.returncode == 1 and "missing translation: no 'de' text" in asked.stderr
    release = run_modgen("build", bundled, "-o", tmp_path / "rel", "--format", "moodle-xml", "--release")
    assert release.returncode == 1 and "language 'de' is in progress" in release.stderr
    assert not (tmp_path / "rel").exists()

    # The translation round: export at once, translate, import.
    xlf = tmp_path / "de.xlf"
    run_modgen("translate", "export", bundled, "--to", "de", "--from", "en", "-o", xlf, check=True)
    assert translate_xliff(xlf, "DE ") > 500
    imported = run_modgen("translate", "import", bundled, xlf)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert run_modgen("validate", bundled).returncode == 0
    built = run_modgen("build", bundled, "-o", out, "--format", "site", "--lang", "de")
    assert built.returncode == 0, built.stderr
    pages = sorted((out / "site").glob("de-*/*.html"))
    lesson = next(p for p in pages if "Lernziele" in p.read_text(encoding="utf-8"))
    html = lesson.read_text(encoding="utf-8")
    assert 'lang="de-DE"' in html
    assert "DE " in html  # the imported German course text
    # German interface strings and German number formats (the bundled course's table figures).
    site = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "Zusammenfassung" in site and "Quellen" in site
    cells = re.findall(r'<td class="num">([^<]*)</td>', site)
    assert "105.650" in cells and not any("," in c for c in cells)  # 105,650 in English


def test_a_second_language_for_a_one_language_course(tmp_path: Path) -> None:
    """The plain fixture is English only, every text plain: adding nl needs no text rewritten."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "plain", course)
    git(course, "init", "-q")
    git(course, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(course, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "course")
    add_language(course, "nl")
    assert run_modgen("validate", course).returncode == 0
    out = tmp_path / "out"
    english = run_modgen("build", course, "-o", out, "--format", "site")
    assert english.returncode == 0, english.stderr
    assert (out / "site" / "en-staff").is_dir() and not (out / "site" / "nl-staff").exists()

    xlf = tmp_path / "nl.xlf"
    exported = run_modgen("translate", "export", course, "--to", "nl", "-o", xlf)
    assert exported.returncode == 0, exported.stderr
    units = translate_xliff(xlf, "NL ")
    assert units > 30
    assert run_modgen("translate", "import", course, xlf).returncode == 0
    # Every plain text became {en: the same text, nl: its translation}; nothing else changed.
    for path in sorted((FIXTURES / "plain").rglob("*.yaml")):
        before = yaml.safe_load(path.read_text(encoding="utf-8"))
        after = yaml.safe_load((course / path.relative_to(FIXTURES / "plain")).read_text(encoding="utf-8"))
        if path.name == "course.yaml":
            assert (before.pop("languages"), after.pop("languages"), after.pop("in_progress")) == (["en"], ["en", "nl"], ["nl"])
        assert same_but_translated(before, after), path
    assert run_modgen("validate", course).returncode == 0
    built = run_modgen("build", course, "-o", out, "--format", "site")
    assert built.returncode == 0, built.stderr
    dutch = "".join(p.read_text(encoding="utf-8") for p in (out / "site" / "nl-staff").glob("*.html"))
    assert "Leerdoelen" in dutch and "NL Spotting phishing email" in dutch
