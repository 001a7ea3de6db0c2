"""The term base: ``validate`` reports forbidden variants, terms translated another way and terms
in the wrong case, at the text; ``translate glossary`` exports it as TBX and CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from translate.storage import tbx as tt_tbx

from tests.conftest import ROOT, run_modgen

ACTIVITY = "modules/03-activity.yaml"


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (found once) in ``path``; return the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def warnings(course: Path) -> list[str]:
    result = run_modgen("validate", course)
    assert result.returncode == 0, result.stderr
    # The slide-fit advice (#27) is not about words: it goes while the bundled course gets its slide points.
    return [line for line in result.stderr.splitlines()
            if ": warning: " in line and "would not fit one slide" not in line]


def test_the_bundled_course_passes_its_own_glossary() -> None:
    assert (ROOT / "glossary.yaml").is_file()
    result = run_modgen("validate", "--strict", ROOT)
    assert result.returncode == 0, result.stderr


def test_a_module_title_in_another_style_is_reported(bundled: Path) -> None:
    """The bundled course once titled its modules 'Fase 2: pre-activiteit' but 'Fase 3 — Activiteit'."""
    line = replace_once(bundled / ACTIVITY, '  nl: "Fase 3: activiteit"\n  en: "Phase 3: Activity"\n',
                        "  nl: Fase 3 — Activiteit\n  en: Phase 3 — Activity\n")
    found = [w for w in warnings(bundled) if "stale translation" not in w]  # the Dutch changed too
    term_line = next(i for i, l in enumerate((bundled / "glossary.yaml").read_text().splitlines(), 1)
                     if "id: phase-activity" in l)
    assert found == [
        f"{ACTIVITY}:{line}:3: warning: 'Activiteit' is written 'activiteit' in the glossary (a capital only to "
        f"start a sentence) — glossary.yaml:{term_line}: term 'phase-activity'",
        f"{ACTIVITY}:{line + 1}:3: warning: 'Activity' is written 'activity' in the glossary (a capital only to "
        f"start a sentence) — glossary.yaml:{term_line}: term 'phase-activity'",
    ]
    assert run_modgen("validate", "--strict", bundled).returncode == 1


def test_a_forbidden_variant_is_reported_where_it_stands(bundled: Path) -> None:
    line = replace_once(bundled / "course.yaml", "  en: Child sexual exploitation material fora on the Darkweb",
                        "  en: Child pornography fora on the Darkweb")
    found = warnings(bundled)
    assert len(found) == 2
    assert found[0].startswith(f"course.yaml:{line}:3: warning: 'Child pornography' is a forbidden variant; "
                               "write 'child sexual exploitation material' — glossary.yaml:")
    # …and the Dutch term is no longer translated as the glossary says.
    assert found[1].startswith(
        f"course.yaml:{line}:3: warning: the nl text says 'materiaal van seksueel kindermisbruik', which the "
        "glossary translates as 'child sexual exploitation material' or 'child sexual abuse material' or 'CSEM' "
        "or 'CSAM'; this en text uses none of them")



def test_adjective_and_compound_forms_of_a_forbidden_term_are_reported(bundled: Path) -> None:
    """The language review found "kinderpornografisch materiaal" passing: the source's own adjective
    ("kinderpornografische fora") is the likeliest slip. 'kinderporno*' forbids every such word."""
    line = replace_once(bundled / "course.yaml", "  nl: Fora voor materiaal van seksueel kindermisbruik op het Darkweb\n"
                        "  en: Child sexual exploitation material fora on the Darkweb",
                        "  nl: Kinderpornografische fora op het Darkweb\n  en: Child pornographic fora on the Darkweb")
    found = [w for w in warnings(bundled) if "stale translation" not in w]
    assert f"course.yaml:{line}:3: warning: 'Kinderpornografische' is a forbidden variant; write 'materiaal van " \
        "seksueel kindermisbruik'" in [w.split(" — ")[0] for w in found], found
    assert f"course.yaml:{line + 1}:3: warning: 'Child pornographic' is a forbidden variant; write 'child sexual " \
        "exploitation material'" in [w.split(" — ")[0] for w in found], found
    assert run_modgen("validate", "--strict", bundled).returncode == 1

def test_the_terminology_note_may_name_the_legal_term(bundled: Path) -> None:
    replace_once(bundled / "glossary.yaml", "    allowed_in: [lesson:introduction/sections/terminology/body]\n", "")
    found = warnings(bundled)
    assert [w.split(": warning: ")[1].split(" — ")[0] for w in found] == [
        "'kinderpornografie' is a forbidden variant; write 'materiaal van seksueel kindermisbruik'",
        "'child pornography' is a forbidden variant; write 'child sexual exploitation material'",
    ]
    assert all(w.startswith("modules/00-introduction.yaml:") for w in found)


def test_a_term_translated_another_way(bundled: Path) -> None:
    path = bundled / "modules/02-pre-activity.yaml"
    text = path.read_text(encoding="utf-8")
    old = "police, prosecution, policy makers, probation, therapists and helplines can intervene."
    line = replace_once(path, old, old.replace("probation", "parole officers"))
    en_line = next(i for i in range(line, 0, -1) if text.splitlines()[i - 1].strip().startswith("en:"))
    found = warnings(bundled)
    assert len(found) == 1
    assert found[0].startswith(
        f"modules/02-pre-activity.yaml:{en_line}:3: warning: the nl text says 'reclassering', which the glossary "
        "translates as 'probation'; this en text uses none of them — glossary.yaml:")


def test_a_broken_glossary_is_an_error_located_in_it(bundled: Path) -> None:
    path = bundled / "glossary.yaml"
    line = replace_once(path, "    forbidden: {nl: [preactiviteit", "    forbiden: {nl: [preactiviteit")
    other = replace_once(path, "    term: {nl: hulplijn, en: helpline}", "    term: {nl: hulplijn, de: Hilfe}")
    result = run_modgen("validate", bundled)
    assert result.returncode == 1
    assert f"glossary.yaml:{line}:5: unknown field 'forbiden' — did you mean 'forbidden'?" in result.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("forbiden:", "forbidden:"), encoding="utf-8")
    result = run_modgen("validate", bundled)
    assert result.returncode == 1
    assert f"glossary.yaml:{other}:" in result.stderr
    assert "'de' is not one of the course's languages (nl, en)" in result.stderr


def test_tbx_export_is_read_by_translate_toolkit(tmp_path: Path) -> None:
    out = tmp_path / "course.tbx"
    result = run_modgen("translate", "glossary", ROOT, "-o", out)
    assert result.returncode == 0, result.stderr
    store = tt_tbx.tbxfile.parsefile(str(out))
    entries = {u.getid(): u for u in store.units}
    terms = (ROOT / "glossary.yaml").read_text(encoding="utf-8").count("\n  - id: ")
    assert len(entries) == terms == int(result.stdout.split()[1])
    csam = entries["csam"]
    nl = [(t.text, t.administrative_status) for t in csam.get_source_terms()]
    assert nl[0] == ("materiaal van seksueel kindermisbruik", "preferredTerm-admn-sts")
    assert ("kinderpornografie", "deprecatedTerm-admn-sts") in nl
    en = [(t.text, t.administrative_status) for t in csam.get_target_terms("en")]
    assert en[0] == ("child sexual exploitation material", "preferredTerm-admn-sts")
    assert ("CSAM", "admittedTerm-admn-sts") in en and ("child pornography", "deprecatedTerm-admn-sts") in en
    assert [t.text for t in entries["probation"].get_target_terms("en")] == ["probation"]


def test_csv_export(tmp_path: Path) -> None:
    out = tmp_path / "course.csv"
    run_modgen("translate", "glossary", ROOT, "--format", "csv", "-o", out, check=True)
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert list(rows[0]) == ["id", "nl", "en", "nl forbidden", "en forbidden", "nl note", "en note"]
    probation = next(r for r in rows if r["id"] == "probation")
    assert (probation["nl"], probation["en"]) == ("reclassering", "probation")
    csam = next(r for r in rows if r["id"] == "csam")
    assert csam["en"].split("; ") == ["child sexual exploitation material", "child sexual abuse material", "CSEM", "CSAM"]
    assert csam["nl forbidden"] == "kinderporno*; kinderporno; kinderpornografie"  # "*": every word beginning so


def test_a_course_without_a_glossary(course_copy, tmp_path: Path) -> None:
    result = run_modgen("translate", "glossary", course_copy("minimal"), "-o", tmp_path / "x.tbx")
    assert result.returncode == 2
    assert "the course has no glossary.yaml" in result.stderr
