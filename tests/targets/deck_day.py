"""The measure of a day's deck (issue 27): what a trainer running the whole course in a room
gets, read from the built deck and its LibreOffice rendering. ``measure`` returns the numbers and
the breaches; ``tests/targets/test_deck_day.py`` holds the targets; ``python -m
tests.targets.deck_day OUT_DIR`` prints the numbers of every course deck in a build."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

EMU_PER_PT = 12700
TOLERANCE = 2.0
MIN_SIZE, MIN_SOURCE, MIN_DIAGRAM = 18.0, 12.0, 16.0
MAX_WORDS = 60
CONTINUED = re.compile(r"\((vervolg|continued)( \d+)?\)")
ANSWERS_PART = re.compile(r"^(Antwoorden bij vraag|Answers to question) \d+")
MINUTES = re.compile(r"^(?:Tijd|Time): (\d+) (?:minuten|minutes|minuut|minute)\.$", re.M)
#: Slides whose notes may repeat another's: the same kind of housekeeping.
HOUSEKEEPING = {"break", "support", "sources"}


@dataclass
class DayMeasure:
    deck: str
    slides: int = 0
    teaching_minutes: int = 0
    continuations: int = 0
    minutes_in_notes: int = 0
    breaches: dict[str, list[str]] = field(default_factory=dict)

    @property
    def per_hour(self) -> float:
        return self.slides / (self.teaching_minutes / 60) if self.teaching_minutes else 0.0

    @property
    def continued_share(self) -> float:
        return self.continuations / self.slides if self.slides else 0.0

    def add(self, what: str, text: str) -> None:
        self.breaches.setdefault(what, []).append(text)

    def summary(self) -> str:
        counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(self.breaches.items())) or "no breaches"
        return (f"{self.deck}: {self.slides} slides, {self.teaching_minutes} min teaching, "
                f"{self.per_hour:.1f} slides/h, {self.continuations} continuations ({self.continued_share:.0%}), "
                f"minutes in notes {self.minutes_in_notes}; {counts}")


def kind_of(slide) -> str:
    return slide._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}cSld").get("name") or "?"


def _boxes(shapes, group: str | None = None) -> list[tuple[str, str | None, bool, tuple[float, float, float, float]]]:
    out = []
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            out += _boxes(shape.shapes, group or shape.name)
            continue
        if shape.width is None or shape.left is None:  # a placeholder placed by its layout
            continue
        x, y = shape.left / EMU_PER_PT, shape.top / EMU_PER_PT
        grid = getattr(shape, "has_table", False) or getattr(shape, "has_chart", False)
        out.append((shape.name, group, grid, (x, y, x + shape.width / EMU_PER_PT, y + shape.height / EMU_PER_PT)))
    return out


def measure(deck: Path, pdf: Path, course, lang: str) -> DayMeasure:
    """The numbers and breaches of the whole-course ``deck`` of ``course`` (narrowed to its
    audience) in ``lang``, rendered as ``pdf``."""
    import pdfplumber

    from generator.session import asked_in_room, session_plan

    prs = Presentation(deck)
    slides = list(prs.slides)
    m = DayMeasure(f"{deck.parent.name}/{deck.name}", slides=len(slides))
    m.teaching_minutes = sum(module.minutes for module in session_plan(course))
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in slides]
    kinds = [kind_of(s) for s in slides]
    notes = [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in slides]
    m.continuations = sum(1 for t in titles if CONTINUED.search(t))
    # Tables: each of the course's on one slide.
    for lesson in course.lessons:
        for table in lesson.tables:
            caption = table.caption.get(lang)
            shown = [t for t in titles if t.startswith(caption)]
            if len(shown) != 1:
                m.add("table not on one slide", f"{caption}: {len(shown)} slides")
    # Questions: whole, never a question alone and its answers after it.
    for n, title in enumerate(titles, 1):
        if ANSWERS_PART.match(title):
            m.add("question split", f"slide {n}: {title}")
    asked = sum(len(asked_in_room(q, all_questions=course.decks.questions == "all")) for q in course.quizzes)
    if course.decks.quiz in ("reveal", "questions") and sum(k == "question" for k in kinds) < asked:
        m.add("question missing", f"{sum(k == 'question' for k in kinds)} question slides for {asked} questions")
    # Support: every contact whole on one slide, with its name.
    support = [s for s, k in zip(slides, kinds) if k == "support"]
    for resource in course.support:
        name = resource.name.get(lang)
        for contact in filter(None, (resource.phone, resource.url)):
            if not any(name in _text(s) and contact in _text(s) for s in support):
                m.add("contact split", f"{name}: {contact}")
    # Slide numbers: every slide but the title, from the layout's placeholder.
    for n, slide in enumerate(slides, 1):
        has = any(sh.is_placeholder and sh._element.ph.get("type") == "sldNum" for sh in slide.shapes)
        if has != (n > 1):
            m.add("slide number", f"slide {n} ({kinds[n - 1]}): {'has' if has else 'lacks'} a number")
    # Notes: each slide's own (housekeeping and continuations excepted); minutes add up.
    seen: dict[str, int] = {}
    for n, (text, kind, title) in enumerate(zip(notes, kinds, titles), 1):
        if not text.strip():
            m.add("notes missing", f"slide {n} ({kind}): {title}")
            continue
        if kind in HOUSEKEEPING or CONTINUED.search(title):
            continue
        if text in seen:
            m.add("notes repeated", f"slide {n} repeats slide {seen[text]}: {title}")
        seen.setdefault(text, n)
    m.minutes_in_notes = sum(int(x) for text in notes for x in MINUTES.findall(text))
    if m.minutes_in_notes != m.teaching_minutes:
        m.add("minutes", f"notes give {m.minutes_in_notes} min, the plan {m.teaching_minutes}")
    # The rendering: type sizes and words outside tables and charts.
    with pdfplumber.open(pdf) as doc:
        if len(doc.pages) != len(slides):
            m.add("render", f"{len(slides)} slides but {len(doc.pages)} pages")
            return m
        for n, (slide, page) in enumerate(zip(slides, doc.pages), 1):
            scale = float(page.width) / (prs.slide_width / EMU_PER_PT)
            boxes = [(name, group, grid, tuple(v * scale for v in b)) for name, group, grid, b in _boxes(slide.shapes)]

            def holder(x: float, y: float):
                inside = [b for b in boxes if b[3][0] - TOLERANCE <= x <= b[3][2] + TOLERANCE
                          and b[3][1] - TOLERANCE <= y <= b[3][3] + TOLERANCE]
                return min(inside, key=lambda b: (b[3][2] - b[3][0]) * (b[3][3] - b[3][1]), default=None)

            small = set()
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                size = float(ch["size"]) / scale
                found = holder((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
                name, group = (found[0], found[1]) if found else ("?", None)
                if found is None and ch["top"] > page.height * 0.9:
                    continue  # the slide number: placed by the layout, no box of its own on the slide
                # The source line and the slide number (the template's, for the trainer) from 12 pt.
                least = (MIN_SOURCE if name in ("Source", "Slide number") else MIN_DIAGRAM if group == "Crime script"
                         else MIN_SIZE)
                if size < least - 0.05:
                    small.add((name, round(size, 1)))
            for name, size in sorted(small):
                m.add("type under 18 pt", f"slide {n} ({kinds[n - 1]}): {size} pt in {name!r}")
            words = 0
            for w in page.extract_words():
                if not any(c.isalnum() for c in w["text"]):
                    continue
                found = holder((w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2)
                if found is None and w["top"] > page.height * 0.9:
                    continue  # the slide number
                if found is not None and found[2]:
                    continue  # inside a table or a chart
                words += 1
            if words > MAX_WORDS:
                m.add("over 60 words", f"slide {n} ({kinds[n - 1]}): {words} words: {titles[n - 1]}")
    return m


def _text(slide) -> str:
    return " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def measure_build(out: Path, pdf_dir: Path) -> list[DayMeasure]:
    """Every course deck in the build ``out``, rendered with LibreOffice into ``pdf_dir``."""
    import shutil

    from generator.loader.load import load_course
    from tests.conftest import ROOT
    from tests.targets.deck_pdf import render

    course = load_course(ROOT).course
    decks = sorted(out.glob("pptx/*/course.pptx"))
    pdfs = render(shutil.which("soffice"), decks, pdf_dir)
    found = []
    for deck in decks:
        lang, audience = deck.parent.name.split("-", 1)
        found.append(measure(deck, pdfs[deck], course.for_audience(audience), lang))
    return found


if __name__ == "__main__":  # pragma: no cover - a tool for the report
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for day in measure_build(Path(sys.argv[1]), Path(tmp)):
            print(day.summary())
            for what, items in sorted(day.breaches.items()):
                for item in items[:int(sys.argv[2]) if len(sys.argv) > 2 else 3]:
                    print(f"  {what}: {item}")
