"""The course's term base (``glossary.yaml``): its checks, and its export as TBX or CSV.

The checks report, at the text that breaks it: a forbidden variant (in any language), a term whose
source text uses it but whose translation uses none of the glossary's words for it (a term
translated two ways), and, for terms marked ``exact_case``, a term written in another case
(capitals only where a sentence starts). Matching ignores case and allows a plural or inflected
ending ("fase" matches "fasen"), never the middle of a word.
"""

from __future__ import annotations

import io
import re
from typing import IO

from generator import spreadsheet
from generator.model import Course, Glossary, Term
from generator.problems import Problem
from generator.translate.units import Unit


# Plural and inflected endings of Dutch and English nouns: "dader" matches "daders", "fase" "fasen";
# anything longer is another word ("politie" is not "politiek") and is listed as a variant if meant.
_ENDING = r"(?:s|e|n|en|es|'s|’s)?"
# A forbidden variant ending in this matches every word that begins with it.
PREFIX = "*"


class _Matcher:
    """Every term of a glossary in one language as one regular expression, its words merged into a
    tree by their letters: one pass over a text finds every form and forbidden variant in it (an
    alternative per word, tried at every position, was most of validate's time)."""

    def __init__(self, glossary: Glossary, lang: str):
        self.entries: dict[str, list[tuple[Term, str, bool]]] = {}  # word, lower case → (term, word, forbidden)
        # Forbidden variants written with a final '*' match as the start of any word: "kinderporno*"
        # is also the adjective "kinderpornografische" and the compound "kinderpornosite".
        self.prefixes: dict[str, list[tuple[Term, str, bool]]] = {}
        for term in glossary.terms:
            words = [(form, False) for form in term.forms(lang)]
            words += [(variant, True) for variant in term.forbidden.get(lang, ())]
            for word, forbidden in words:
                if forbidden and word.endswith(PREFIX):
                    self.prefixes.setdefault(_key(word[:-1]), []).append((term, word[:-1], forbidden))
                else:
                    self.entries.setdefault(_key(word), []).append((term, word, forbidden))
        self.pattern = re.compile(r"(?<!\w)(?P<stem>" + _tree(sorted(self.entries)) + ")" + _ENDING + r"(?!\w)",
                                  re.IGNORECASE) if self.entries else None
        self.prefix_pattern = re.compile(r"(?<!\w)(?P<stem>" + _tree(sorted(self.prefixes)) + r")\w*",
                                         re.IGNORECASE) if self.prefixes else None

    def find(self, text: str) -> list[tuple[Term, str, bool, re.Match]]:
        found = []
        if self.pattern is not None:
            found = [(term, word, forbidden, m) for m in self.pattern.finditer(text)
                     for term, word, forbidden in self.entries[_key(m.group("stem"))]]
        if self.prefix_pattern is not None:
            # A word the glossary also lists in full ("kinderpornografie" beside "kinderporno*") is
            # reported once.
            seen = {(term.id, m.start()) for term, _, _, m in found}
            found += [(term, word, forbidden, m) for m in self.prefix_pattern.finditer(text)
                      for term, word, forbidden in self.prefixes[_key(m.group("stem"))]
                      if (term.id, m.start()) not in seen]
        return found


def _key(word: str) -> str:
    return " ".join(word.lower().split())


def _tree(words: list[str]) -> str:
    """A pattern matching exactly ``words`` (lower case), sharing their common beginnings, longest
    match first: "pre-activiteit" is found as itself, not as "pre"."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + pattern(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


# Where a sentence (or a title, a list item, a bold label) starts: a capital is expected there.
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*(?:[-*+]\s+|\d+[.)]\s+)?|\*\*|[\"“„‘'(]\s*)$")


def _case_ok(form: str, text: str, match: re.Match) -> bool:
    written = " ".join(match.group("stem").split())
    if written == form:
        return True
    capitalised = form[:1].upper() + form[1:]
    return written == capitalised and bool(_SENTENCE_START.search(text[max(0, match.start() - 40): match.start()]))


def check_glossary(course: Course, glossary: Glossary, units: dict[str, list[Unit]]) -> list[Problem]:
    """Warnings for the course's use of ``glossary``, each at the text concerned. ``units`` are the
    course's texts from its first language towards each language (itself, for a one-language course)."""
    problems: list[Problem] = []
    source = course.default_language
    matchers = {lang: _Matcher(glossary, lang) for lang in course.languages}
    checked_source: set[str] = set()
    for lang, lang_units in units.items():
        for unit in lang_units:
            source_found = matchers[source].find(unit.source)
            if unit.id not in checked_source:
                checked_source.add(unit.id)
                problems += _word_problems(unit, source, unit.source, source_found)
            if lang == source or not unit.target.strip():
                continue
            target_found = matchers[lang].find(unit.target)
            problems += _word_problems(unit, lang, unit.target, target_found)
            problems += _translated_otherwise(unit, source, lang, source_found, target_found)
    return problems


def _hint(term: Term) -> str:
    here = term.problem("")
    return f"{here.path}:{here.line}: term '{term.id}'"


def _word_problems(unit: Unit, lang: str, text: str, found: list) -> list[Problem]:
    """Forbidden variants, and terms in another case than the glossary's."""
    problems = []
    for term, word, forbidden, match in found:
        if forbidden:
            if unit.id in term.allowed_in:
                continue
            preferred = term.forms(lang)
            instead = f"; write '{preferred[0]}'" if preferred else ""
            problems.append(unit.problem(lang, f"'{match.group()}' is a forbidden variant{instead}",
                                         _hint(term)).as_warning())
        elif term.exact_case and not _case_ok(word, text, match):
            problems.append(unit.problem(
                lang, f"'{match.group()}' is written '{word}' in the glossary (a capital only to start "
                      "a sentence)", _hint(term)).as_warning())
    return problems


def _translated_otherwise(unit: Unit, source: str, lang: str, source_found: list,
                          target_found: list) -> list[Problem]:
    problems = []
    in_target = {term.id for term, _, forbidden, _ in target_found if not forbidden}
    reported: set[str] = set()
    for term, _, forbidden, match in source_found:
        if forbidden or term.id in in_target or term.id in reported or unit.id in term.allowed_in:
            continue
        targets = term.forms(lang)
        if not targets:
            continue
        reported.add(term.id)
        choices = " or ".join(f"'{f}'" for f in targets)
        problems.append(unit.problem(
            lang, f"the {source} text says '{match.group()}', which the glossary translates as {choices}; "
                  f"this {lang} text uses none of them", _hint(term)).as_warning())
    return problems


def glossary_problems(course: Course, glossary: Glossary) -> list[Problem]:
    """Errors in the glossary itself: languages the course lacks, ids used twice, empty words."""
    problems = []
    seen: set[str] = set()
    for i, term in enumerate(glossary.terms):
        if term.id in seen:
            problems.append(term.problem(f"duplicate term id '{term.id}'", "id"))
        seen.add(term.id)
        for key in ("term", "forbidden"):
            for lang in getattr(term, key):
                if lang not in course.languages:
                    problems.append(term.problem(f"'{lang}' is not one of the course's languages "
                                                 f"({', '.join(course.languages)})", (key, lang)))
        for lang in term.term:
            if not all(f.strip() for f in term.forms(lang)) or not term.forms(lang):
                problems.append(term.problem("a term needs words", ("term", lang)))
        for lang, variants in term.forbidden.items():
            if not all(v.removesuffix(PREFIX).strip() for v in variants):
                problems.append(term.problem("a forbidden variant needs words", ("forbidden", lang)))
    return problems


# --- export for CAT tools ----------------------------------------------------------------------

def write_tbx(glossary: Glossary, languages: list[str], stream: IO[bytes], title: str) -> None:
    """TBX-Basic (ISO 30042, the ``martif`` form that memoQ, Trados MultiTerm and OmegaT read):
    one ``termEntry`` per term; accepted words preferred/admitted, forbidden ones deprecated."""
    from lxml import etree

    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = etree.Element("martif", type="TBX-Basic")
    root.set(xml_lang, languages[0])
    header = etree.SubElement(root, "martifHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = f"{title}: term base exported by modgen"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for term in glossary.terms:
        entry = etree.SubElement(body, "termEntry", id=term.id)
        for lang in languages:
            forms, forbidden = term.forms(lang), term.forbidden.get(lang, [])
            if not forms and not forbidden:
                continue
            lang_set = etree.SubElement(entry, "langSet")
            lang_set.set(xml_lang, lang)
            if term.note is not None and term.note.get(lang):
                etree.SubElement(lang_set, "descrip", type="definition").text = term.note.get(lang)
            for i, form in enumerate(forms):
                _tig(lang_set, form, "preferredTerm-admn-sts" if i == 0 else "admittedTerm-admn-sts")
            for form in forbidden:
                _tig(lang_set, form.removesuffix(PREFIX), "deprecatedTerm-admn-sts")
    stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _tig(parent, text: str, status: str) -> None:
    from lxml import etree

    tig = etree.SubElement(parent, "tig")
    etree.SubElement(tig, "term").text = text
    etree.SubElement(tig, "termNote", type="administrativeStatus").text = status


def write_csv(glossary: Glossary, languages: list[str], stream: IO[bytes]) -> None:
    """One row per term: the words per language (variants separated by '; '), the forbidden ones
    per language, the notes. UTF-8 with a header row, as memoQ and Trados import CSV term lists."""
    text = io.StringIO()
    writer = spreadsheet.writer(text)  # a term list is opened in a spreadsheet too
    writer.writerow(["id", *languages, *(f"{l} forbidden" for l in languages), *(f"{l} note" for l in languages)])
    for term in glossary.terms:
        writer.writerow([term.id, *("; ".join(term.forms(l)) for l in languages),
                         *("; ".join(term.forbidden.get(l, [])) for l in languages),
                         *((term.note.get(l) if term.note is not None else "") for l in languages)])
    stream.write(text.getvalue().encode("utf-8"))
