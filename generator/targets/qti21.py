"""QTI 2.1 package (kind ``qti21``): every quiz question as an assessment item, an assessment test
per module, and an IMS Content Packaging 1.1 manifest, in one zip per language and audience.

Each item declares its correct response and scores itself (SCORE 1 when the response matches,
else 0; MAXSCORE 1). Feedback is modal feedback driven by the outcome FEEDBACK: for choice
questions it holds the chosen option(s), so each option's feedback shows only when that option was
chosen; for matching and ordering every pair's or step's feedback shows after answering. The
explanation shows for every response. Each test sums its items' scores and sets PASS when
SCORE/MAXSCORE reaches the quiz's pass mark (PASSMARK holds it as a fraction).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from generator import i18n
from generator.shuffle import stable_shuffle
from generator.targets import Artifact, Fragment, Job, Target, made_now, quizbank
from generator.targets.packaging import write_zip, xml_bytes
from generator.targets.quizbank import BankModule, BankQuestion

# lxml is imported by the functions that write XML, not here: a build plans (and a build with
# nothing to do finishes) by importing every target, and must not pay for it
# (tests/cli/test_startup.py).
if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Feedback identifier of the explanation; option identifiers carry a prefix, so they never clash.
EXPLANATION = "EXPLANATION"
#: Prefixes that turn course ids (which may start with a digit) into QTI identifiers.
OPTION, PREMISE, RESPONSE, STEP = "O-", "P-", "R-", "S-"


def _el(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    from lxml import etree

    attrs = {k.rstrip("_"): v for k, v in attrs.items()}
    if parent is None:  # a document root: QTI as the default namespace, as QTI tools expect
        node = etree.Element(f"{{{QTI}}}{tag}", attrs, nsmap={None: QTI, "xsi": XSI})
    else:
        node = etree.SubElement(parent, f"{{{QTI}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _value(parent: etree._Element, tag: str, base_type: str, value: str) -> etree._Element:
    return _el(parent, tag, value, baseType=base_type)


def item_identifier(course_id: str, lang: str, question_id: str) -> str:
    return quizbank.stable_id(course_id, lang, question_id)


def build_item(q: BankQuestion, identifier: str, lang: str) -> etree._Element:
    """One ``assessmentItem`` for ``q``; mixed orders are seeded with the question id as every
    output seeds them (generator/shuffle.py), so a learner sees the options in the same order in
    the site and in the LMS."""
    item = _el(None, "assessmentItem", identifier=identifier, title=q.title, adaptive="false",
               timeDependent="false")
    item.set(XML_LANG, i18n.locale(lang))
    item.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")

    if q.kind in ("single", "true-false"):
        cardinality, base_type = "single", "identifier"
        correct = [OPTION + a.id for a in q.answers if a.correct]
    elif q.kind == "multiple":
        cardinality, base_type = "multiple", "identifier"
        correct = [OPTION + a.id for a in q.answers if a.correct]
    elif q.kind == "matching":
        cardinality, base_type = "multiple", "directedPair"
        correct = [f"{PREMISE}{p.id} {RESPONSE}{p.id}" for p in q.pairs]
    else:
        cardinality, base_type = "ordered", "identifier"
        correct = [STEP + s.id for s in q.steps]
    declaration = _el(item, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType=base_type)
    correct_response = _el(declaration, "correctResponse")
    for value in correct:
        _el(correct_response, "value", value)

    for name, default in (("SCORE", "0"), ("MAXSCORE", "1")):
        outcome = _el(item, "outcomeDeclaration", identifier=name, cardinality="single", baseType="float")
        _el(_el(outcome, "defaultValue"), "value", default)
    _el(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality="multiple", baseType="identifier")

    body = _el(item, "itemBody")
    if q.kind in ("single", "multiple", "true-false"):
        # True/false keeps true before false; other options come in a fixed mixed order, and
        # delivery engines may shuffle further.
        answers = q.answers if q.kind == "true-false" else stable_shuffle(q.answers, q.id)
        interaction = _el(body, "choiceInteraction", responseIdentifier="RESPONSE",
                          shuffle="false" if q.kind == "true-false" else "true",
                          maxChoices="1" if cardinality == "single" else "0")
        _el(interaction, "prompt", q.stem)
        for a in answers:
            _el(interaction, "simpleChoice", a.text, identifier=OPTION + a.id)
    elif q.kind == "matching":
        interaction = _el(body, "matchInteraction", responseIdentifier="RESPONSE", shuffle="true",
                          maxAssociations=str(len(q.pairs)))
        _el(interaction, "prompt", q.stem)
        premises = _el(interaction, "simpleMatchSet")
        for p in q.pairs:
            _el(premises, "simpleAssociableChoice", p.premise, identifier=PREMISE + p.id, matchMax="1")
        responses = _el(interaction, "simpleMatchSet")
        for p in stable_shuffle(q.pairs, q.id):
            _el(responses, "simpleAssociableChoice", p.response, identifier=RESPONSE + p.id, matchMax="1")
    else:
        interaction = _el(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
        _el(interaction, "prompt", q.stem)
        for s in stable_shuffle(q.steps, q.id):
            _el(interaction, "simpleChoice", s.text, identifier=STEP + s.id)

    processing = _el(item, "responseProcessing")
    condition = _el(processing, "responseCondition")
    when = _el(condition, "responseIf")
    match = _el(when, "match")
    _el(match, "variable", identifier="RESPONSE")
    _el(match, "correct", identifier="RESPONSE")
    _value(_el(when, "setOutcomeValue", identifier="SCORE"), "baseValue", "float", "1")
    _value(_el(_el(condition, "responseElse"), "setOutcomeValue", identifier="SCORE"), "baseValue", "float", "0")
    shown = _el(_el(processing, "setOutcomeValue", identifier="FEEDBACK"), "multiple")
    if q.kind in ("single", "multiple", "true-false"):
        _el(shown, "variable", identifier="RESPONSE")
        keyed = [(OPTION + a.id, a.feedback) for a in q.answers]
    elif q.kind == "matching":
        keyed = [(PREMISE + p.id, p.feedback) for p in q.pairs]
    else:
        keyed = [(STEP + s.id, s.feedback) for s in q.steps]
    if q.kind in ("matching", "ordering"):
        for key, _ in keyed:
            _value(shown, "baseValue", "identifier", key)
    _value(shown, "baseValue", "identifier", EXPLANATION)

    for key, feedback in keyed:
        _el(item, "modalFeedback", feedback, outcomeIdentifier="FEEDBACK", showHide="show", identifier=key)
    _el(item, "modalFeedback", q.explanation, outcomeIdentifier="FEEDBACK", showHide="show", identifier=EXPLANATION)
    return item


def build_test(module: BankModule, identifier: str, title: str,
               items: list[tuple[str, str]]) -> etree._Element:
    """One ``assessmentTest``: a single part and section holding ``items`` (identifier, href)."""
    test = _el(None, "assessmentTest", identifier=identifier, title=title)
    test.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
    for name, base_type, default in (("SCORE", "float", "0"), ("MAXSCORE", "float", "0"),
                                     ("PASSMARK", "float", _fraction(module.pass_mark)),
                                     ("PASS", "boolean", "false")):
        outcome = _el(test, "outcomeDeclaration", identifier=name, cardinality="single", baseType=base_type)
        _el(_el(outcome, "defaultValue"), "value", default)
    part = _el(test, "testPart", identifier="part", navigationMode="nonlinear", submissionMode="individual")
    section = _el(part, "assessmentSection", identifier="section", title=title, visible="true")
    for item_id, href in items:
        _el(section, "assessmentItemRef", identifier=item_id, href=href)

    processing = _el(test, "outcomeProcessing")
    for name in ("SCORE", "MAXSCORE"):
        total = _el(_el(processing, "setOutcomeValue", identifier=name), "sum")
        _el(total, "testVariables", variableIdentifier=name)
    condition = _el(processing, "outcomeCondition")
    when = _el(condition, "outcomeIf")
    gte = _el(when, "gte")
    divide = _el(gte, "divide")
    _el(divide, "variable", identifier="SCORE")
    _el(divide, "variable", identifier="MAXSCORE")
    _el(gte, "variable", identifier="PASSMARK")
    _value(_el(when, "setOutcomeValue", identifier="PASS"), "baseValue", "boolean", "true")
    _value(_el(_el(condition, "outcomeElse"), "setOutcomeValue", identifier="PASS"), "baseValue", "boolean", "false")
    return test


def _fraction(percent: int) -> str:
    return f"{percent / 100:g}"


def build_package(course, lang: str, audience: str | None, *, fragment: Fragment = made_now) -> dict[str, bytes]:
    """Every file of the package: archive name → bytes. Each module's items and test are a
    fragment (``Job.fragment``): they read its lesson and quiz only."""
    files: dict[str, bytes] = {}
    resources: list[tuple[str, str, str, list[str]]] = []  # identifier, type, href, dependencies
    scope = [course.id, lang] + ([audience] if audience else [])

    def module_files(module: BankModule) -> bytes:
        texts: dict[str, str] = {}
        found: list[tuple[str, str, str, list[str]]] = []
        refs = []
        for q in module.questions:
            ident = item_identifier(course.id, lang, q.id)
            href = f"items/{q.id}.xml"
            texts[href] = xml_bytes(build_item(q, ident, lang)).decode()
            found.append((ident, "imsqti_item_xmlv2p1", href, []))
            refs.append((ident, f"../{href}"))
        test_id = quizbank.stable_id(*scope, module.id)
        href = f"tests/{module.id}.xml"
        texts[href] = xml_bytes(build_test(module, test_id, module.title, refs)).decode()
        found.append((test_id, "imsqti_test_xmlv2p1", href, [r for r, _ in refs]))
        return json.dumps({"files": texts, "resources": found}, ensure_ascii=False).encode()

    for module in quizbank.modules(course, lang):
        part = json.loads(fragment("qti21:module", module.lesson, lambda module=module: module_files(module)))
        files.update((name, text.encode()) for name, text in part["files"].items())
        resources += [(ident, kind, href, dependencies) for ident, kind, href, dependencies in part["resources"]]
    files["imsmanifest.xml"] = xml_bytes(build_manifest(quizbank.stable_id(*scope, "qti21"), resources))
    return files


def build_manifest(identifier: str, resources: list[tuple[str, str, str, list[str]]]) -> etree._Element:
    """``imsmanifest.xml`` per IMS Content Packaging 1.1: every item and test with its file."""
    from lxml import etree

    nsmap = {None: CP, "xsi": XSI}
    manifest = etree.Element(f"{{{CP}}}manifest", {"identifier": identifier}, nsmap=nsmap)
    manifest.set(f"{{{XSI}}}schemaLocation", f"{CP} {CP_XSD}")
    metadata = etree.SubElement(manifest, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "QTIv2.1 Package"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "1.0.0"
    etree.SubElement(manifest, f"{{{CP}}}organizations")
    holder = etree.SubElement(manifest, f"{{{CP}}}resources")
    for ident, kind, href, dependencies in resources:
        resource = etree.SubElement(holder, f"{{{CP}}}resource",
                                    {"identifier": "RES-" + ident, "type": kind, "href": href})
        etree.SubElement(resource, f"{{{CP}}}file", {"href": href})
        for dependency in dependencies:
            etree.SubElement(resource, f"{{{CP}}}dependency", {"identifierref": "RES-" + dependency})
    return manifest


class Qti21(Target):
    kind = "qti21"
    lesson_fields = quizbank.LESSON_FIELDS
    description = "QTI 2.1 package: items, a test per module, IMS CP manifest (zip)"
    renders_with = ("lxml.etree", "lxml.html.builder")

    def build(self, job: Job) -> list[Artifact]:
        files = build_package(job.course, job.lang, job.audience, fragment=job.fragment)
        path = write_zip(job.dir / f"{job.course.id}-qti21-{job.slug}.zip", files)
        items = sum(1 for name in files if name.startswith("items/"))
        return [job.artifact(path, items=items)]
