"""XLIFF 1.2 (``--format xliff12``) and PO through Debian's OmegaT, the free CAT tool an academy
installs with ``apt install omegat``: a project whose translation memory fills a few segments is
translated in OmegaT's console mode, and importing its result changes exactly those texts.
Without OmegaT the OmegaT tests skip (in CI, .ci/run installs it); the XLIFF 1.2 round trip runs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from lxml import etree

from tests.conftest import FIXTURES, need_executable, run_modgen
from tests.translate.conftest import git

MEMORY = {  # source → what the translation memory holds
    "Office staff": "Kantoorpersoneel",
    "Example Agency (2024)": "Voorbeeldbureau (2024)",
    "Report, then delete.": "Eerst melden, dan verwijderen.",
}

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>EN</source_lang>
    <target_lang>NL</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneDutchTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def english_course(tmp_path: Path) -> Path:
    """The plain fixture with Dutch added in progress, committed, so git shows what an import changes."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "plain", course)
    path = course / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, nl]\nin_progress: [nl]"),
                    encoding="utf-8")
    git(course, "init", "-q")
    git(course, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(course, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "course")
    return course


def tmx(memory: dict[str, str]) -> str:
    from xml.sax.saxutils import escape

    units = "".join(f'<tu><tuv xml:lang="EN"><seg>{escape(s)}</seg></tuv><tuv xml:lang="NL"><seg>{escape(t)}</seg>'
                    "</tuv></tu>\n" for s, t in memory.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="modgen-tests" '
            'creationtoolversion="1" segtype="paragraph" o-tmf="none" adminlang="en" srclang="EN" '
            f'datatype="plaintext"/><body>\n{units}</body></tmx>\n')


def translated_in_omegat(exported: Path, tmp_path: Path) -> Path:
    omegat = need_executable("omegat", "omegat")
    project = tmp_path / "omegat-project"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    # tm/auto: a memory OmegaT applies by itself, as a translator's earlier work
    (project / "tm" / "auto" / "memory.tmx").write_text(tmx(MEMORY), encoding="utf-8")
    shutil.copy(exported, project / "source" / exported.name)
    result = subprocess.run([omegat, "--mode=console-translate", str(project)], capture_output=True, text=True,
                            timeout=600, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    stats = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    assert re.search(r"Total:\s+(4[0-9])\s", stats), stats  # OmegaT saw every unit (about 40) as a segment
    return project / "target" / exported.name


def changed_texts(course: Path) -> dict[str, str]:
    """The Dutch texts the import added: the line after each '+ … en: X' is '+ … nl: Y'."""
    diff = git(course, "diff", "-U0", "--", "course.yaml", "modules", "quizzes")
    return dict(re.findall(r"^\+\s*-?\s*en: (.+)\n\+\s*nl: (.+)$", diff, re.M))


def test_omegat_translates_xliff12(tmp_path: Path) -> None:
    course = english_course(tmp_path)
    exported = tmp_path / "nl.xlf"
    run_modgen("translate", "export", course, "--to", "nl", "--format", "xliff12", "-o", exported, check=True)
    result = translated_in_omegat(exported, tmp_path)
    imported = run_modgen("translate", "import", course, result)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert imported.stdout.startswith("Imported 3 changed translations")
    assert changed_texts(course) == MEMORY


def test_omegat_translates_po(tmp_path: Path) -> None:
    course = english_course(tmp_path)
    exported = tmp_path / "nl.po"
    run_modgen("translate", "export", course, "--to", "nl", "--format", "po", "-o", exported, check=True)
    result = translated_in_omegat(exported, tmp_path)
    imported = run_modgen("translate", "import", course, result)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert imported.stdout.startswith("Imported 3 changed translations")
    assert changed_texts(course) == MEMORY


X12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def test_xliff12_round_trip_and_protections(tmp_path: Path) -> None:
    """Without a CAT tool: the 1.2 file carries markdown as tags, comes back, and is checked like 2.1."""
    course = english_course(tmp_path)
    exported = tmp_path / "nl.xlf"
    run_modgen("translate", "export", course, "--to", "nl", "--format", "xliff12", "-o", exported, check=True)
    tree = etree.parse(str(exported))
    units = {u.get("id"): u for u in tree.iter(X12 + "trans-unit")}
    body = units["lesson:signs/sections/pressure/body"]
    assert body.find(X12 + "source").find(X12 + "bpt").text == "**"
    assert all(u.find(X12 + "target").get("state") == "needs-translation" for u in units.values())
    for uid, unit in units.items():
        target = unit.find(X12 + "target")
        target.text = "NL " + (target.text or "")
        target.set("state", "translated")
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    # A translator deleted the bold tags of one unit: as for XLIFF 2.1, the file is refused, nothing written.
    broken = tmp_path / "broken.xlf"
    text = exported.read_text(encoding="utf-8")
    start = text.index('<trans-unit id="lesson:signs/sections/pressure/body"')
    target_at = text.index("<target", start)
    end = text.index("</target>", target_at)
    cut = re.sub(r"<(bpt|ept)[^>]*>\*\*</\1>", "", text[target_at:end])
    broken.write_text(text[:target_at] + cut + text[end:], encoding="utf-8")
    refused = run_modgen("translate", "import", course, broken)
    assert refused.returncode == 1
    assert "'lesson:signs/sections/pressure/body' drops bold text (**)" in refused.stderr
    assert git(course, "status", "--porcelain") == ""
    imported = run_modgen("translate", "import", course, exported)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith(f"Imported {len(units)} changed translations")
    assert run_modgen("validate", course).returncode == 0
