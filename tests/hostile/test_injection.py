"""Classic payloads in every text field of a course, built into every format: no script runs, no
dialog opens, XML stays well-formed, GIFT still parses — and the payloads arrive as plain text.

Also: the text that must simply work (UTF-8 with BOM, CRLF, NFD diacritics, emoji, zero-width
characters, right-to-left script, very long words) builds and round-trips into every format.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from tests.conftest import FIXTURES, need_node_module, run_modgen
from tests.targets.site_browser import Watch, browser  # noqa: F401 - pytest fixture

MARK = "window.__pwned=1"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f"[click](javascript:{MARK})",
    f"</textarea><svg onload={MARK}>",
    f"]]><x>{MARK}</x>",
    "{=~#:} \\ -> %50% // $CATEGORY:",
    f'" onmouseover="{MARK}" x="',
    f"</script><script>{MARK}</script>",
    "&amp; &lt;b&gt; &#60;script&#62;",
]
GOOD_TEXT = [
    "Fie\u0308ts",  # NFD: e + combining diaeresis; the course stores NFC "Fiëts"
    "zero\u200bwidth",
    "\u05e9\u05dc\u05d5\u05dd right-to-left",
    "emoji \U0001F6B2",
    "Hoogstwaarschijnlijk" * 12,  # one very long word
]


def _edit_texts(node, values: list[str], counter: list[int]):
    """Append a payload to every localised text (a mapping of nl/en to strings)."""
    if isinstance(node, dict):
        if node and set(node) <= {"nl", "en"} and all(isinstance(v, str) for v in node.values()):
            value = values[counter[0] % len(values)]
            counter[0] += 1
            return {k: f"{v} {value}" for k, v in node.items()}
        return {k: _edit_texts(v, values, counter) for k, v in node.items()}
    if isinstance(node, list):
        return [_edit_texts(v, values, counter) for v in node]
    return node


def _variant(tmp_path: Path, values: list[str], *, bom_crlf: bool = False) -> Path:
    root = tmp_path / "course"
    for src in (FIXTURES / "minimal").rglob("*.yaml"):
        rel = src.relative_to(FIXTURES / "minimal")
        data = _edit_texts(yaml.safe_load(src.read_text(encoding="utf-8")), values, [0])
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        if bom_crlf:
            raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
        else:
            raw = text.encode("utf-8")
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(raw)
    return root


def _build(root: Path, out: Path, *extra: str) -> dict:
    result = run_modgen("build", root, "-o", out, "--lang", "en", "--audience", "enforcement", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _unpacked(out: Path, tmp_path: Path) -> Path:
    """OUT with every zip (SCORM, QTI, decks) unpacked beside it, for reading and browsing."""
    for archive in list(out.rglob("*.zip")) + list(out.rglob("*.pptx")):
        with zipfile.ZipFile(archive) as z:
            z.extractall(archive.with_name(archive.name + ".d"))
    return out


def _all_text(out: Path) -> str:
    parts = []
    for p in sorted(out.rglob("*")):
        if p.is_file() and p.suffix in (".html", ".xml", ".gift", ".txt", ".json", ".js", ".rels"):
            parts.append(p.read_text(encoding="utf-8", errors="strict"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    out = tmp / "out"
    _build(_variant(tmp, PAYLOADS), out)
    return _unpacked(out, tmp)


def test_every_format_was_built(hostile_build: Path) -> None:
    from generator.targets import kinds

    manifest = json.loads((hostile_build / "manifest.json").read_text(encoding="utf-8"))
    assert {a["kind"] for a in manifest["artifacts"]} == set(kinds())


def test_xml_stays_well_formed(hostile_build: Path) -> None:
    xml_files = [p for p in hostile_build.rglob("*") if p.suffix in (".xml", ".rels") and p.is_file()]
    assert len(xml_files) > 10
    for p in xml_files:
        etree.parse(str(p))  # raises on any break-out


def test_payloads_arrive_as_text(hostile_build: Path) -> None:
    """The payload words survive (escaped), so nothing was silently dropped either."""
    text = _all_text(hostile_build)
    assert MARK in text
    assert "onerror=" in text  # as escaped text, e.g. &lt;img src=x onerror=…


@pytest.mark.node
def test_gift_still_parses(hostile_build: Path) -> None:
    modules = need_node_module("gift-pegjs").parent
    script = ("const p=require('gift-pegjs');let s='';process.stdin.on('data',d=>s+=d);"
              "process.stdin.on('end',()=>{console.log(JSON.stringify(p.parse(s).length))})")
    gifts = list(hostile_build.rglob("*.gift"))
    assert gifts
    for gift in gifts:
        result = subprocess.run(["node", "-e", script], input=gift.read_text(encoding="utf-8"),
                                capture_output=True, text=True, cwd=modules.parent)
        assert result.returncode == 0, result.stderr
        # one question per bank question plus one category line per module
        assert int(result.stdout) == 5 + 2


@pytest.mark.browser
def test_no_script_runs_in_any_page(hostile_build: Path, browser) -> None:  # noqa: F811
    pages = sorted(p for p in hostile_build.rglob("*.html"))
    assert len(pages) > 10
    context = browser.new_context()
    try:
        for path in pages:
            page = context.new_page()
            watch = Watch(root=path.parent.as_uri()).attach(page)
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            pwned = page.evaluate("() => window.__pwned")
            injected = page.evaluate(
                "() => [...document.querySelectorAll('script:not([src]):not([type=\"application/json\"]), [onerror], [onload], [onmouseover]')]"
                ".filter(e => (e.textContent + (e.getAttribute('onerror')||'') + (e.getAttribute('onload')||'')"
                " + (e.getAttribute('onmouseover')||'')).includes('__pwned')).length")
            links = page.evaluate("() => [...document.querySelectorAll('a[href^=\"javascript:\"]')].length")
            assert pwned is None, f"script ran in {path}"
            assert injected == 0 and links == 0, f"payload became markup in {path}"
            assert watch.dialogs == [], f"dialog opened in {path}"
            page.close()
    finally:
        context.close()


def test_good_text_builds_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(_variant(tmp_path, GOOD_TEXT, bom_crlf=True), out)
    _unpacked(out, tmp_path)
    text = _all_text(out)
    assert unicodedata.normalize("NFC", "Fie\u0308ts") in text
    assert "Fie\u0308ts" not in text  # stored as NFC everywhere
    for value in GOOD_TEXT[1:4]:
        assert value in text, value
    slides = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.pptx.d/ppt/slides/*.xml"))
    assert "emoji \U0001F6B2" in slides
    site = "".join(p.read_text(encoding="utf-8") for p in (out / "site").rglob("*.html"))
    assert GOOD_TEXT[4] in site  # the long word is kept whole (CSS wraps it, the text is intact)
