"""``modgen translate export``: every text of the course, once, readable by a real consumer."""

from __future__ import annotations

from pathlib import Path

import pytest
from translate.storage import po as tt_po
from translate.storage import xliff2 as tt_xliff2

from generator.loader.load import load_course
from generator.model import ANY_LANGUAGE, texts
from generator.translate import po, xliff
from generator.translate.units import course_units
from tests.conftest import ROOT, run_modgen


def course_texts_with_dutch(root: Path) -> int:
    """Texts of the course with a Dutch text, counted on the model (not by the exporter)."""
    course = load_course(root).course
    return sum(1 for tree in [course, *course.lessons, *course.quizzes]
               for _, _, text in texts(tree) if ANY_LANGUAGE not in text.root and text.root.get("nl", "").strip())


def test_xliff_export_is_read_by_translate_toolkit(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.xlf"
    result = run_modgen("translate", "export", bundled, "--to", "en", "-o", out)
    assert result.returncode == 0, result.stderr
    store = tt_xliff2.Xliff2File.parsefile(str(out))
    units = [u for u in store.units if u.source]
    assert len(units) == course_texts_with_dutch(bundled) > 900
    assert store.getsourcelanguage() == "nl" and store.gettargetlanguage() == "en"
    by_id = {u.getid(): u for u in units}
    body = by_id["lesson:pre-activity:sections:preact-where:body"]
    assert "pre-activiteit" in body.source
    assert body.target.startswith("The forum exists")
    # translate-toolkit looks for notes inside the segment; XLIFF 2 puts them on the unit.
    notes = " ".join(body.getunitelement().itertext())
    assert "slide body, site page" in notes
    assert "modules/02-pre-activity.yaml:" in notes
    assert all(u.istranslated() for u in units)  # the bundled course is fully translated


def test_po_export_is_read_by_translate_toolkit(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.po"
    assert run_modgen("translate", "export", bundled, "--to", "en", "--format", "po", "-o", out).returncode == 0
    store = tt_po.pofile.parsefile(str(out))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == course_texts_with_dutch(bundled)
    contexts = {u.getcontext() for u in units}
    assert "lesson:pre-activity/sections/preact-where/body" in contexts
    assert len(contexts) == len(units)
    phase = next(u for u in units if u.getcontext() == "course:phases/pre-activity/name")
    assert phase.source == "Pre-activiteit" and phase.target == "Pre-activity"
    assert any(f.startswith("max-length:") for f in phase.typecomments[0].strip("#, \n").split(", "))


def test_unit_ids_use_the_authors_ids(bundled: Path) -> None:
    course = load_course(bundled).course
    ids = [u.id for u in course_units(course, "nl", "en")]
    assert len(ids) == len(set(ids))
    assert "course:title" in ids
    assert "course:sources/vdbruggen-blokland/citation" in ids
    assert "lesson:pre-activity/sections/preact-where/body" in ids
    assert any(i.startswith("quiz:pre-activity/questions/") and i.endswith("/feedback") for i in ids)
    assert any(i.startswith("lesson:") and "/takeaways/0" in i for i in ids)  # no ids there: positions


def test_an_actor_s_icon_is_a_name_not_a_text_to_translate(tmp_path: Path) -> None:
    course = load_course(ROOT).course
    assert all(a.icon for a in course.actors)  # the bundled actors have icons ...
    ids = [u.id for u in course_units(course, "nl", "en")]
    assert "course:actors/police/name" in ids
    assert not [i for i in ids if i.endswith("/icon")]  # ... which are no unit
    out = tmp_path / "en.xlf"
    run_modgen("translate", "export", ROOT, "--to", "en", "-o", out, check=True)
    assert "shield-heart" not in out.read_text(encoding="utf-8")


def test_export_is_deterministic(bundled: Path, tmp_path: Path) -> None:
    for fmt in ("xliff", "po"):
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        run_modgen("translate", "export", bundled, "--to", "en", "--format", fmt, "-o", a, check=True)
        run_modgen("translate", "export", bundled, "--to", "en", "--format", fmt, "-o", b, check=True)
        assert a.read_bytes() == b.read_bytes()


def test_markdown_markup_becomes_inline_codes_and_comes_back_exactly(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.xlf"
    run_modgen("translate", "export", bundled, "--to", "en", "-o", out, check=True)
    raw = out.read_text(encoding="utf-8")
    assert '<pc id="1" dataRefStart="d1" dataRefEnd="d1" type="fmt" subType="xlf:b"' in raw
    back = {u.id: u for u in xliff.read(out, "en.xlf").units}
    course = load_course(bundled).course
    units = course_units(course, "nl", "en")
    assert len(back) == len(units)
    for unit in units:  # every text, markup and line breaks included, survives the trip
        assert back[unit.id].source == unit.source, unit.id
        assert back[unit.id].target == unit.target, unit.id
    assert any("](https://" in u.source for u in units)
    assert 'type="link" dispStart="[" dispEnd="](https://www.eokm.nl)"' in raw


def test_po_reads_back_exactly(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.po"
    run_modgen("translate", "export", bundled, "--to", "en", "--format", "po", "-o", out, check=True)
    back = {u.id: u for u in po.read(out, "en.po").units}
    for unit in course_units(load_course(bundled).course, "nl", "en"):
        assert (back[unit.id].source, back[unit.id].target) == (unit.source, unit.target), unit.id


@pytest.mark.parametrize("args, message", [
    (("--to", "de"), "'de' is not one of the course's languages"),
    (("--to", "nl"), "--to and --from are both 'nl'"),
])
def test_export_refuses_a_wrong_language(args, message, tmp_path: Path) -> None:
    result = run_modgen("translate", "export", ROOT, *args, "-o", tmp_path / "x.xlf")
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "x.xlf").exists()


def test_every_text_of_the_bundled_course_says_where_it_appears() -> None:
    """A model field without a description in units._WHERE would reach the translator as
    'course material': every field the bundled course uses has its own."""
    from generator.translate.units import context

    course = load_course(ROOT).course
    vague = [u.id for u in course_units(course, "nl", "en") if "course material" in context(course, u).note]
    assert vague == []
