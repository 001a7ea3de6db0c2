"""Words the generator itself puts into the material ("Learning objectives", "Continued", …).

Every user-facing string of the generated material exists in every supported language; a test
checks each catalogue. Targets keep their own :class:`Catalog` next to their code and build it from
a plain dict, so adding a target never means editing a shared file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.model import Text

if TYPE_CHECKING:  # pragma: no cover
    import datetime

    from generator.model import Review

SUPPORTED_LANGUAGES = ("nl", "en")

#: BCP 47 tags, for ``<html lang>``, PowerPoint run languages and QTI ``xml:lang``.
LOCALES = {"nl": "nl-NL", "en": "en-GB"}

LANGUAGE_NAMES = {"nl": {"nl": "Nederlands", "en": "Dutch"}, "en": {"nl": "Engels", "en": "English"}}


class Catalog:
    """A table of message id → {language: text}, complete for every supported language."""

    all: list["Catalog"] = []

    def __init__(self, name: str, strings: dict[str, dict[str, str]]):
        self.name = name
        self.strings = strings
        Catalog.all.append(self)

    def __call__(self, key: str, lang: str, **values: object) -> str:
        text = self.strings[key][lang]
        return text.format(**values) if values else text

    def text(self, key: str) -> Text:
        return Text(dict(self.strings[key]))

    def missing(self) -> list[str]:
        """Keys lacking a supported language (a test asserts this is empty)."""
        return [f"{self.name}:{key}:{lang}" for key, texts in self.strings.items()
                for lang in SUPPORTED_LANGUAGES if not texts.get(lang)]


core = Catalog("core", {
    "true": {"nl": "Juist", "en": "True"},
    "false": {"nl": "Onjuist", "en": "False"},
    "content_notice_title": {"nl": "Let op: gevoelig onderwerp", "en": "Content notice"},
    "content_notice": {
        "nl": "Deze module behandelt een onderwerp dat je kan raken. Er worden geen schokkende beelden "
              "getoond of beschreven. Neem een pauze wanneer je dat nodig hebt, en bespreek wat je raakt "
              "met een collega of leidinggevende. Aan het eind van de module staat waar je steun vindt.",
        "en": "This module deals with a subject that may affect you. No distressing images are shown or "
              "described. Take a break whenever you need one, and talk to a colleague or supervisor about "
              "anything that affects you. The end of the module lists where to find support.",
    },
    "support_title": {"nl": "Steun en melden", "en": "Support and reporting"},
    "objectives": {"nl": "Leerdoelen", "en": "Learning objectives"},
    "interventions": {"nl": "Aangrijpingspunten", "en": "Intervention points"},
    "discussion": {"nl": "Bespreken", "en": "Discussion"},
    "vignettes": {"nl": "Casus", "en": "Case study"},
    "facts": {"nl": "Kerncijfers", "en": "Key facts"},
    "takeaways": {"nl": "Samenvatting", "en": "Summary"},
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "source": {"nl": "Bron", "en": "Source"},
    "quiz": {"nl": "Toets jezelf", "en": "Self-check quiz"},
    "minutes": {"nl": "{n} min.", "en": "{n} min"},
    "basis_finding": {"nl": "Bevinding", "en": "Finding"},
    "basis_implication": {"nl": "Implicatie van het onderzoek", "en": "Study implication"},
    "basis_derived": {"nl": "Afgeleid (eigen redenering)", "en": "Derived (course reasoning)"},
    "perspective": {"nl": "Perspectief", "en": "Perspective"},
    # the intervention matrix (generator.matrix): decks, the site's home page, the facilitator guide
    "matrix": {"nl": "Wie kan waar ingrijpen", "en": "Who can intervene where"},
    "matrix_actor": {"nl": "Partij", "en": "Actor"},
    "matrix_caption": {
        "nl": "Aangrijpingspunten per partij en fase van het crime script, voor alle doelgroepen; de letter "
              "noemt de basis.",
        "en": "Intervention points by actor and crime-script phase, for every audience; the letter gives "
              "the basis.",
    },
    "basis_mark_finding": {"nl": "B", "en": "F"},
    "basis_mark_implication": {"nl": "I", "en": "I"},
    "basis_mark_derived": {"nl": "A", "en": "D"},
    "basis_short_finding": {"nl": "bevinding", "en": "finding"},
    "basis_short_implication": {"nl": "implicatie", "en": "implication"},
    "basis_short_derived": {"nl": "afgeleid", "en": "derived"},
    "matrix_legend": {"nl": "{mark} = {basis}", "en": "{mark} = {basis}"},
    "matrix_none": {"nl": "–", "en": "–"},
    # the matrix's last column, for the points of lessons with no phase (a course's conclusions)
    "matrix_across": {"nl": "Over de fasen heen", "en": "Across the phases"},
    "matrix_empty": {"nl": "geen aangrijpingspunt", "en": "no intervention point"},
    "phase": {"nl": "Fase", "en": "Phase"},
    "audience_all": {"nl": "Alle doelgroepen", "en": "All audiences"},
    # review metadata (course.yaml and lessons: ``review:``), shown in the guide, the site and the decks
    "about_course": {"nl": "Over deze cursus", "en": "About this course"},
    "version": {"nl": "Versie", "en": "Version"},
    "owner": {"nl": "Eigenaar", "en": "Owner"},
    "reviewed": {"nl": "Laatst herzien", "en": "Last reviewed"},
    "next_review": {"nl": "Volgende herziening", "en": "Next review"},
    "review_status": {"nl": "Status", "en": "Status"},
    "status_approved": {"nl": "Goedgekeurd", "en": "Approved"},
    "status_draft": {"nl": "Concept", "en": "Draft"},
    "approved_by": {"nl": "Goedgekeurd door", "en": "Approved by"},
    "review_of_modules": {"nl": "Herziening per module", "en": "Review by module"},
    "module": {"nl": "Module", "en": "Module"},
})

_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}


def format_date(value: "datetime.date", lang: str) -> str:
    """A date as readers of ``lang`` write it: 1 december 2026, 1 December 2026. Month names are
    the generator's own (not the machine's locale), so output does not depend on where it is built."""
    months = _MONTHS.get(lang, _MONTHS["en"])
    return f"{value.day} {months[value.month - 1]} {value.year}"


def review_facts(review: "Review | None", version: str | None, lang: str) -> list[tuple[str, str]]:
    """(label, value) rows of a review block in ``lang``, in a fixed order, leaving out what it does
    not say; ``version`` first when given. The guide, the site and the decks show the same rows."""
    rows: list[tuple[str, str]] = []
    if version is not None:
        rows.append((core("version", lang), version))
    if review is None:
        return rows
    if review.owner:
        rows.append((core("owner", lang), review.owner))
    if review.reviewed:
        rows.append((core("reviewed", lang), format_date(review.reviewed, lang)))
    if review.next_review:
        rows.append((core("next_review", lang), format_date(review.next_review, lang)))
    rows.append((core("review_status", lang), core(f"status_{review.status}", lang)))
    if review.approved_by:
        rows.append((core("approved_by", lang), review.approved_by))
    return rows


def core_text(key: str) -> Text:
    return core.text(key)


def locale(lang: str) -> str:
    return LOCALES.get(lang, lang)


def format_number(value: int | float, lang: str) -> str:
    """Numbers as readers of ``lang`` write them: 105.650 in Dutch, 105,650 in English."""
    if isinstance(value, bool):  # pragma: no cover - bools are not table numbers
        return str(value)
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def cell_text(cell: object, lang: str) -> str:
    """A table cell in ``lang``: numbers formatted for the language, text localised."""
    if isinstance(cell, Text):
        return cell.get(lang)
    if isinstance(cell, (int, float)):
        return format_number(cell, lang)
    return str(cell)
