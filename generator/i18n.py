"""Words the generator itself puts into the material ("Learning objectives", "Continued", …).

Where interface strings live — read this before adding one
-----------------------------------------------------------
Every string is a gettext message in a PO file per domain and language::

    generator/locales/<lang>/LC_MESSAGES/<domain>.po      (lang: nl, en, de, fr)

``msgid`` is the key the code asks for, ``msgstr`` the text a learner or trainer reads; ``{name}``
placeholders are filled with ``str.format``. To add a string, add the same ``msgid`` to the
domain's PO file of **every** shipped language (write the German and French properly: they are
generated material a learner reads) and call ``catalog("key", lang, name=…)``, where ``catalog =
Catalog("<domain>")`` sits next to the code that uses it (a new target adds its own domain: a new PO
file per language, no shared file to edit). ``tests/test_i18n.py`` fails when a key lacks a
language, when a translation drops or invents a placeholder, and when code or a template
(extracted with Babel) asks for a key that no catalogue has.

The PO files are read directly at run time, lazily, one domain and language at a time, rather than
compiled to ``.mo`` at install: an editable install or a plain checkout then cannot run with stale
or missing compiled catalogues, and reading ~130 short messages costs a few milliseconds.

A course may bring or override interface strings in ``COURSE/interface/<lang>.po`` (what
``modgen translate export --interface`` gives a translator and ``translate import`` writes back):
entries there have ``msgctxt "<domain>:<key>"``; they win over the shipped ones, and they let a
course use a language modgen does not ship. :func:`use_course` installs them for the course being
built.

Numbers, dates and lists are formatted by Babel's CLDR data for the language's locale, not by the
machine's locale, so output does not depend on where it is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import datetime

    from generator.model import Review
    from generator.text import Text

LOCALE_DIR = Path(__file__).resolve().parent / "locales"

#: The reference language of the shipped catalogues: its keys are the keys every language needs.
REFERENCE = "en"

#: Languages modgen ships an interface catalogue for (a folder under ``generator/locales``).
SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(sorted(
    (p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir()), key=lambda l: (l != "nl", l != "en", l)))

#: BCP 47 tags, for ``<html lang>``, PowerPoint run languages, QTI ``xml:lang`` and Babel.
LOCALES = {"nl": "nl-NL", "en": "en-GB", "de": "de-DE", "fr": "fr-FR"}

#: The folder of a course's own interface catalogues, one ``<lang>.po`` each.
COURSE_CATALOGUE_DIR = "interface"


def _read_po(path: Path, *, context: bool = False) -> dict:
    """msgid → msgstr of a PO file (or (msgctxt, msgid) → msgstr with ``context``), leaving out
    untranslated and fuzzy entries, as gettext does."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, ignore_obsolete=True)
    found = {}
    for message in catalog:
        if not message.id or message.fuzzy or not isinstance(message.string, str) or not message.string:
            continue
        found[(message.context, message.id) if context else message.id] = message.string
    return found


_shipped: dict[tuple[str, str], dict[str, str]] = {}
#: lang → {(domain, key): text}, from the course being built (:func:`use_course`).
_course: dict[str, dict[tuple[str, str], str]] = {}


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def read_shipped_po(path: Path) -> dict[str, str]:
    """msgid → msgstr of one of modgen's own PO files. A small reader rather than Babel's, whose
    imports (email, …) cost ~80 ms on every start of ``modgen validate``; it reads the subset of
    the format those files use (no plurals; fuzzy and untranslated entries left out), and
    tests/test_i18n.py checks that it reads every shipped file exactly as Babel does."""
    import re

    found: dict[str, str] = {}
    field, fuzzy = None, False
    entry: dict[str, str] = {}

    def unquote(text: str) -> str:
        return re.sub(r'\\(.)', lambda m: _ESCAPES.get(m.group(1), m.group(1)), text.strip()[1:-1])

    def close() -> None:
        if entry.get("msgid") and entry.get("msgstr") and not fuzzy and "msgctxt" not in entry:
            found[entry["msgid"]] = entry["msgstr"]

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if not line and entry:
                close()
                entry, field, fuzzy = {}, None, False
            continue
        if line.startswith('"') and field:
            entry[field] += unquote(line)
            continue
        field, _, value = line.partition(" ")
        entry[field] = unquote(value)
    if entry:
        close()
    return found


def shipped(domain: str, lang: str) -> dict[str, str]:
    """The shipped catalogue of ``domain`` in ``lang`` (empty when there is none)."""
    key = (domain, lang)
    if key not in _shipped:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        _shipped[key] = read_shipped_po(path) if path.is_file() else {}
    return _shipped[key]


def domains() -> list[str]:
    """Every domain of the reference catalogue."""
    return sorted(p.stem for p in (LOCALE_DIR / REFERENCE / "LC_MESSAGES").glob("*.po"))


def course_catalogue_path(root: Path, lang: str) -> Path:
    return root / COURSE_CATALOGUE_DIR / f"{lang}.po"


def read_course_catalogue(path: Path) -> dict[tuple[str, str], str]:
    """(domain, key) → text of a course's ``interface/<lang>.po``; entries without a
    ``domain:key`` context are not interface strings of modgen and are left out."""
    found = {}
    for (context, _source), text in _read_po(path, context=True).items():
        if context and context.startswith("interface:"):  # a translator's file from --interface, as it came back
            domain, _, key = context[len("interface:"):].partition("/")
            found[(domain, key)] = text
        elif context and ":" in context:
            domain, key = context.split(":", 1)
            found[(domain, key)] = text
    return found


def use_course(root: Path | None, languages: list[str] | tuple[str, ...] = ()) -> None:
    """Install the course's own interface catalogues (``COURSE/interface/<lang>.po``) for the
    following lookups, replacing any course's before. A damaged file is reported by validation
    (:func:`catalogue_problems`); here it is simply not used."""
    _course.clear()
    if root is None:
        return
    for lang in languages:
        path = course_catalogue_path(root, lang)
        if path.is_file():
            try:
                _course[lang] = read_course_catalogue(path)
            except Exception:  # noqa: BLE001 - reported by catalogue_problems, with its place
                continue


def lookup(domain: str, key: str, lang: str) -> str | None:
    """An interface string in ``lang``: the course's own, else modgen's."""
    return _course.get(lang, {}).get((domain, key)) or shipped(domain, lang).get(key)


def interface_languages() -> list[str]:
    """Languages with interface text: shipped ones, then those the course brings."""
    return list(SUPPORTED_LANGUAGES) + sorted(set(_course) - set(SUPPORTED_LANGUAGES))


def missing_interface(lang: str) -> list[tuple[str, str]]:
    """(domain, key) of every interface string with no text in ``lang``, shipped or the course's."""
    if lang in SUPPORTED_LANGUAGES and lang not in _course:
        return []  # shipped catalogues are complete (tests/test_i18n.py): no need to read them here
    own = _course.get(lang, {})
    return [(domain, key) for domain in domains() for key in shipped(domain, REFERENCE)
            if not shipped(domain, lang).get(key) and not own.get((domain, key))]


class Catalog:
    """The interface strings of one gettext domain, for every language (see the module's doc)."""

    all: list["Catalog"] = []

    def __init__(self, name: str, pending: dict[str, dict[str, str]] | None = None):
        self.name = name
        #: Strings still written as a dict in Python (``Catalog("x", {key: {lang: text}})``, the old
        #: way): used when no PO file has them, and reported by the catalogue test until they are
        #: moved into the PO files.
        self.pending = pending or {}
        Catalog.all.append(self)

    def get(self, key: str, lang: str) -> str | None:
        own = _course.get(lang)
        if own is not None:
            text = own.get((self.name, key))
            if text:
                return text
        text = shipped(self.name, lang).get(key)
        if text is None and key in self.pending:
            text = self.pending[key].get(lang)
        return text

    def __call__(self, key: str, lang: str, **values: object) -> str:
        text = self.get(key, lang)
        if text is None:
            raise KeyError(f"interface string '{self.name}:{key}' has no text in '{lang}' "
                           f"(generator/locales/{lang}/LC_MESSAGES/{self.name}.po)")
        return text.format(**values) if values else text

    def __contains__(self, key: str) -> bool:
        return key in self.keys()

    def keys(self) -> list[str]:
        return list(dict.fromkeys([*shipped(self.name, REFERENCE), *self.pending]))

    def items(self, lang: str) -> dict[str, str]:
        """key → text of every string in ``lang``."""
        return {key: text for key in self.keys() if (text := self.get(key, lang)) is not None}

    @property
    def strings(self) -> dict[str, dict[str, str]]:
        """key → {language: text} for every interface language."""
        return {key: {lang: text for lang in interface_languages() if (text := self.get(key, lang))}
                for key in self.keys()}

    def text(self, key: str) -> "Text":
        """The string in every interface language, as a course text."""
        from generator.text import Text

        return Text({lang: self(key, lang) for lang in interface_languages() if self.get(key, lang)})

    def missing(self) -> list[str]:
        """Keys lacking a shipped language, and strings still pending in Python (a test asserts
        this is empty)."""
        found = [f"{self.name}:{key}: still in Python; move it to generator/locales/*/LC_MESSAGES/"
                 f"{self.name}.po" for key in self.pending]
        for key in self.keys():
            for lang in SUPPORTED_LANGUAGES:
                if not shipped(self.name, lang).get(key):
                    found.append(f"{self.name}:{key}:{lang}")
        return found


core = Catalog("core")


def babel_locale(lang: str):
    """Babel's locale for a course language (its CLDR data: numbers, dates, lists, names)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale(lang), sep="-")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(lang)
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


def language_name(lang: str, in_lang: str | None = None) -> str:
    """The name of ``lang`` in ``in_lang`` (by default in itself): Nederlands, Deutsch, Français."""
    name = babel_locale(lang).get_language_name(babel_locale(in_lang or lang)) or lang
    return name[:1].upper() + name[1:]


def format_date(value: "datetime.date", lang: str) -> str:
    """A date as readers of ``lang`` write it: 1 december 2026, 1 December 2026, 1. Dezember 2026."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "long", locale=babel_locale(lang))


def format_list(items: list[str], lang: str) -> str:
    """``a, b and c`` as readers of ``lang`` write it (a, b en c; a, b und c; a, b et c)."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(list(items), locale=babel_locale(lang))


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


def core_text(key: str) -> "Text":
    return core.text(key)


def locale(lang: str) -> str:
    return LOCALES.get(lang, lang)


def format_number(value: int | float, lang: str) -> str:
    """Numbers as readers of ``lang`` write them (Babel, CLDR): 105.650 in Dutch and German, 105,650
    in English, 105 650 in French; at most two decimals."""
    if isinstance(value, bool):  # pragma: no cover - bools are not table numbers
        return str(value)
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.##", locale=babel_locale(lang))


def cell_text(cell: object, lang: str) -> str:
    """A table cell in ``lang``: numbers formatted for the language, text localised."""
    if isinstance(cell, (int, float)):
        return format_number(cell, lang)
    if hasattr(cell, "get"):  # a course Text (not imported: the model does not depend on this module)
        return cell.get(lang)
    return str(cell)
