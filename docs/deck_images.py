"""Render one slide of each kind of the bundled course's decks to PNG for docs/decks.md.

    python docs/deck_images.py        # needs LibreOffice (soffice) and pdftoppm

Builds the English enforcement decks, converts them to PDF with LibreOffice and writes
``docs/img/deck-<kind>.png`` at 50 dpi (small files: these are for reading, not printing).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pptx import Presentation  # noqa: E402

from generator.build import BuildRequest, build  # noqa: E402

KINDS = ["title", "welcome", "notice", "agenda", "objectives", "diagram", "content", "figure", "facts", "table", "interventions",
         "matrix", "discussion", "vignette", "question", "question-alone", "question-answers", "summary", "sources",
         "support", "section", "break", "closing"]
#: Quiz slides: a question on one slide with its answer box, and a question split in two — the
#: question alone, then its answers on one slide with the answer box.
WHOLE, ANSWERS = re.compile(r"Question \d+ of \d+"), re.compile(r"Answers to question \d+")


def quiz_kind(slide) -> str:
    """``question`` for a question on one slide with its answer, ``question-answers`` for the one
    slide of a split question's answers (the slide before it is the question alone), else ""."""
    title = slide.shapes.title.text
    if not any(shape.name == "Answer" for shape in slide.shapes):
        return ""
    return "question" if WHOLE.fullmatch(title) else "question-answers" if ANSWERS.fullmatch(title) else ""


def main() -> None:
    out_dir = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build(BuildRequest(ROOT, tmp / "out", formats=["pptx"], languages=["en"], audiences=["enforcement"]))
        decks = sorted((tmp / "out" / "pptx" / "en-enforcement").glob("*.pptx"))
        wanted: dict[str, tuple[Path, int]] = {}
        seen: dict[str, int] = {}
        for deck in decks:
            for number, slide in enumerate(Presentation(deck).slides, 1):
                kind = slide._element.find(
                    "{http://schemas.openxmlformats.org/presentationml/2006/main}cSld").get("name")
                # The table of the introduction is the one the docs promise; the rest: first found.
                # The second section slide: a module with a phase, whose divider names it.
                second_section = kind == "section" and seen.get(kind) == 1
                if kind == "question":
                    kind = quiz_kind(slide)
                    if not kind:
                        continue
                seen[kind] = seen.get(kind, 0) + 1
                if kind == "question-answers" and kind not in wanted:
                    wanted["question-alone"] = (deck, number - 1)
                # The agenda: the day's, in the course deck, with its clock times.
                day_agenda = kind == "agenda" and deck.name == "course.pptx" and wanted.get(kind, (deck,))[0] != deck
                if (kind not in wanted or (kind == "diagram" and deck.name.startswith("02")) or second_section
                        or day_agenda):
                    wanted[kind] = (deck, number)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp / "pdf"), *map(str, decks)], check=True, capture_output=True)
        for kind in KINDS:
            deck, number = wanted[kind]
            pdf = tmp / "pdf" / (deck.stem + ".pdf")
            stem = tmp / f"deck-{kind}"
            subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(number), "-l", str(number), "-singlefile",
                            str(pdf), str(stem)], check=True)
            shutil.copyfile(f"{stem}.png", out_dir / f"deck-{kind}.png")
            print(out_dir / f"deck-{kind}.png")


if __name__ == "__main__":
    main()
