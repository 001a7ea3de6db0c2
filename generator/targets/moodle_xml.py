"""Moodle XML (kind ``moodle-xml``): one ``quiz.xml`` per language and audience for Moodle's
question bank import (Question bank → Import → Moodle XML format).

The structure follows what Moodle's importer reads (``question/format/xml/format.php`` and the
question types' import hooks), and Moodle 4.5's own import code is run on every export in the
tests (``tests/targets/test_moodle_import.py``). A category question per module
(``$course$/<course title>/<audience>/<module title>``), then its questions: ``multichoice``
(single and multiple response; multiple response with grade fractions from Moodle's list, correct
answers sharing +100 % and wrong ones -100 %), ``truefalse`` (answers ``true`` and ``false``;
penalty 1, as Moodle's own form sets it: after a wrong first try only the right answer is left),
``matching`` (``subquestion``) and ``ordering`` (core since Moodle 4.4, the ``qtype_ordering``
plugin before). Matching and ordering store no feedback per pair or step, so theirs follows the
explanation in the general feedback, as in the GIFT export. With ``moodle: ordering: matching``
(course.yaml) ordering questions are written as matching of each step to its position, as GIFT
does: Moodle 4.3 and older without the plugin refuse the ordering type, and with the import form's
default *Stop on error* the whole import then saves nothing.

Re-import, as Moodle does it: a category is found by its name under its parent, and no question
is ever updated. Importing a file again adds every question again, into the same categories, and
without its ``idnumber`` (Moodle keeps a question's idnumber unique within its category); to
replace a bank, delete the old questions or categories first (docs/lms.md). Idnumbers: a question
``<course>.<lang>.<question>``; a module's category ``<course>.<lang>.<audience>.<module>.<digest
of its path>``, unique per course, language and audience, and new with every new title — a
category idnumber already in the course makes Moodle refuse the whole import (a database error),
which an unchanged idnumber on a renamed category would.

Category and question names are HTML-escaped: Moodle strips tags from them
(``clean_param(PARAM_TEXT)``) and shows them as HTML, so an unescaped ``<rules>`` would be lost, and
the Moodle XML and GIFT imports of a module would land in different categories.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from generator.i18n import Catalog
from generator.targets import Artifact, Fragment, Job, Target, made_now, quizbank
from generator.targets.packaging import xml_bytes
from generator.targets.quizbank import BankQuestion

# lxml is imported by the functions that write XML, not here: a build plans (and a build with
# nothing to do finishes) by importing every target, and must not pay for it
# (tests/cli/test_startup.py).
if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

catalog = Catalog("moodle-xml")

#: The penalty for each wrong try in Moodle's interactive and adaptive modes: Moodle's default (one
#: third), and for true/false 1, as Moodle's own form sets it — a second try of two options is no test.
PENALTY = {"true-false": "1"}
DEFAULT_PENALTY = "0.3333333"


def category_path(*names: str) -> str:
    """A Moodle category path under the course: each name HTML-escaped (Moodle strips tags from a
    category name and shows it as HTML), a '/' inside a name written '//', as Moodle reads it."""
    return "/".join(["$course$"] + [quizbank.html_inline(n).replace("/", "//") for n in names])


def module_category(course, lang: str, audience: str | None, module: quizbank.BankModule) -> tuple[str, str]:
    """A module's category path and idnumber (the GIFT export writes the same path). The audience is
    a level of the path, so that the banks of two audiences imported into one Moodle course stay
    apart; the idnumber holds a digest of the path, so that a new title makes a new category
    instead of a second category with the old idnumber, which Moodle refuses."""
    import hashlib

    names = [quizbank.words(course.title, lang)]
    if audience is not None:
        names.append(next(quizbank.words(a.name, lang) for a in course.audiences if a.id == audience))
    path = category_path(*names, module.title)
    digest = hashlib.sha256(path.encode()).hexdigest()[:8]
    scope = [course.id, lang] + ([audience] if audience else [])
    return path, quizbank.stable_id(*scope, module.id, digest)


def _text(parent: etree._Element, tag: str, text: str, fmt: str | None = "html") -> etree._Element:
    from lxml import etree

    node = etree.SubElement(parent, tag, {"format": fmt} if fmt else {})
    etree.SubElement(node, "text").text = _cdata(text) if fmt == "html" else text
    return node


def _cdata(html: str) -> str | etree.CDATA:
    """HTML in a CDATA section, as Moodle writes it, so the file stays readable; text that holds
    ']]>' (which would end the section) is escaped instead."""
    from lxml import etree

    return etree.CDATA(html) if html and "]]>" not in html else html


def _field(parent: etree._Element, tag: str, value: str) -> None:
    from lxml import etree

    etree.SubElement(parent, tag).text = value


def _answer(parent: etree._Element, fraction: str, text: str, feedback: str, fmt: str | None = "html") -> None:
    from lxml import etree

    answer = etree.SubElement(parent, "answer", {"fraction": fraction, **({"format": fmt} if fmt else {})})
    etree.SubElement(answer, "text").text = _cdata(text) if fmt == "html" else text
    _text(answer, "feedback", quizbank.html_inline(feedback) if feedback else "")


def _combined_feedback(question: etree._Element, lang: str, shownumcorrect: bool) -> None:
    from lxml import etree

    for tag, key in (("correctfeedback", "correct"), ("partiallycorrectfeedback", "partial"),
                     ("incorrectfeedback", "incorrect")):
        _text(question, tag, quizbank.html_paragraph(catalog(key, lang)))
    if shownumcorrect:
        # Multiple choice and matching read the element's presence, ordering its value (empty: off).
        etree.SubElement(question, "shownumcorrect").text = "1"


def build_question(q: BankQuestion, idnumber: str, lang: str, ordering: str = "ordering") -> etree._Element:
    """One question; ``ordering="matching"`` writes an ordering question as matching (``moodle.ordering``)."""
    from lxml import etree

    if q.kind == "ordering" and ordering == "matching":
        from generator.targets.gift import catalog as gift_catalog

        q = quizbank.as_matching(q, lambda n: gift_catalog("position", lang, n=n))
    qtype = {"single": "multichoice", "multiple": "multichoice", "true-false": "truefalse",
             "matching": "matching", "ordering": "ordering"}[q.kind]
    question = etree.Element("question", {"type": qtype})
    etree.SubElement(etree.SubElement(question, "name"), "text").text = quizbank.html_inline(q.title)
    _text(question, "questiontext", quizbank.html_paragraph(q.stem))
    _text(question, "generalfeedback", quizbank.general_feedback_html(q, with_parts=q.kind in ("matching", "ordering")))
    _field(question, "defaultgrade", "1")
    _field(question, "penalty", PENALTY.get(q.kind, DEFAULT_PENALTY))
    _field(question, "hidden", "0")
    _field(question, "idnumber", idnumber)

    if q.kind in ("single", "multiple"):
        _field(question, "single", "true" if q.kind == "single" else "false")
        _field(question, "shuffleanswers", "true")
        _field(question, "answernumbering", "abc")
        _field(question, "showstandardinstruction", "0")
        _combined_feedback(question, lang, shownumcorrect=q.kind == "multiple")
        weights = (quizbank.multiple_response_weights(q) if q.kind == "multiple"
                   else [100.0 if a.correct else 0.0 for a in q.answers])
        for a, weight in zip(q.answers, weights):
            _answer(question, quizbank.format_percent(weight), quizbank.html_inline(a.text), a.feedback)
    elif q.kind == "true-false":
        # Moodle matches the answers on the literal words 'true' and 'false'.
        for a in q.answers:
            _answer(question, "100" if a.correct else "0", a.id, a.feedback, fmt="moodle_auto_format")
    elif q.kind == "matching":
        _field(question, "shuffleanswers", "true")
        _combined_feedback(question, lang, shownumcorrect=True)
        for p in q.pairs:
            sub = _text(question, "subquestion", quizbank.html_inline(p.premise))
            etree.SubElement(etree.SubElement(sub, "answer"), "text").text = p.response
    else:
        _field(question, "layouttype", "VERTICAL")
        _field(question, "selecttype", "ALL")
        _field(question, "selectcount", "0")
        _field(question, "gradingtype", "ABSOLUTE_POSITION")
        _field(question, "showgrading", "SHOW")
        _field(question, "numberingstyle", "none")
        _combined_feedback(question, lang, shownumcorrect=True)
        # The ordering type keeps the correct position of each item in its 'fraction', and no
        # feedback per item (the steps' feedback is in the general feedback).
        for position, s in enumerate(q.steps, start=1):
            _answer(question, f"{position}.0000000", quizbank.html_inline(s.text), "")
    return question


@lru_cache(maxsize=1)
def _parser() -> etree.XMLParser:
    """Reads a module's questions back from its fragment as they were written (CDATA sections kept)."""
    from lxml import etree

    return etree.XMLParser(strip_cdata=False, resolve_entities=False, no_network=True)


def build_quiz(course, lang: str, audience: str | None, *, fragment: Fragment = made_now) -> etree._Element:
    """The whole ``<quiz>``: a category and its questions per module. Each module's part is a
    fragment (``Job.fragment``): it reads its lesson and quiz only."""
    from lxml import etree

    quiz = etree.Element("quiz")
    ordering = course.moodle.ordering

    def module_part(module: quizbank.BankModule) -> bytes:
        part = etree.Element("quiz")
        part.append(etree.Comment(f" {module.id} "))
        category = etree.SubElement(part, "question", {"type": "category"})
        path, idnumber = module_category(course, lang, audience, module)
        etree.SubElement(etree.SubElement(category, "category"), "text").text = path
        _text(category, "info", "")
        _field(category, "idnumber", idnumber)
        for q in module.questions:
            part.append(build_question(q, quizbank.stable_id(course.id, lang, q.id), lang, ordering))
        return etree.tostring(part, encoding="utf-8")

    for module in quizbank.modules(course, lang):
        part = etree.fromstring(fragment("moodle-xml:module", module.lesson, lambda module=module: module_part(module)),
                                _parser())
        # An empty <text></text> reads back as no text at all, which would be written <text/>;
        # Moodle writes (and every <text> here holds) a text, empty or not.
        for node in part.iter("text"):
            if node.text is None and len(node) == 0:
                node.text = ""
        quiz.extend(list(part))
    return quiz


class MoodleXml(Target):
    kind = "moodle-xml"
    lesson_fields = quizbank.LESSON_FIELDS
    description = "Moodle XML question bank: a category per module, feedback, fractions"
    renders_with = ("lxml.etree", "lxml.html.builder")

    def build(self, job: Job) -> list[Artifact]:
        quiz = build_quiz(job.course, job.lang, job.audience, fragment=job.fragment)
        path = job.dir / "quiz.xml"
        path.write_bytes(xml_bytes(quiz))
        questions = sum(1 for q in quiz.iterfind("question") if q.get("type") != "category")
        return [job.artifact(path, questions=questions)]
