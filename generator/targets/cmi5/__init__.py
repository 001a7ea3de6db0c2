"""cmi5 course package (kind ``cmi5``): the self-study site as one assignable unit (AU) that
reports to the LMS's LRS in xAPI, one zip per language and audience.

Package layout::

    cmi5.xml                the course structure: the course, its objectives, one AU
    cmi5.html               the AU's launch page: holds the cmi5 session, shows the site in a frame
    assets/cmi5-launch.js   the launch sequence, the statements, the state document
    assets/cmi5.css         the launch page's bar (exit) and frame
    assets/lms-bridge.js    in every site page: passes progress and answers to the launch page
    index.html, …           the self-study site (generator.targets.site)

One AU for the whole course, not one per lesson: the site is one piece — its navigation, the
"continue" button, the summary and the certificate cross lessons, and its progress is one state.
cmi5 gives each AU its own launch, session and authorisation token, and an AU cannot open another,
so AUs per lesson would cut the site into separate pieces the learner enters one by one from the
LMS. The lesson detail is not lost: each lesson objective is an objective of the course structure
(referenced by the AU), and every answered question is an ``answered`` statement naming its
question and objective.

The AU is judged as the SCORM packages are: completed when every lesson was opened and every quiz
has a finished attempt, passed by the course's one rule for passing (``passing``: every quiz
passed, or the score over all quizzes at the course pass mark, which the course structure then
offers as ``masteryScore``); a ``masteryScore`` the LMS sets in ``LMS.LaunchData`` is applied too.

The xAPI part is written by hand in ``cmi5-launch.js`` (about two hundred lines: four kinds of
request) rather than bundled from ``@xapi/cmi5``: that library brings axios, deepmerge and uuid and
would need a bundler in the project's build to become one file a strict ``script-src 'self'`` page
can load; its own statement building would still have to be adapted to send what is described
here (answered statements with the interaction definition, failed only at the session's end so
that a retry that passes in the same session does not send both). What is sent is checked by
the tests against a real validator (Learning Locker's ``xapi-validation``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator import i18n, reading
from generator.model import Course
from generator.targets import Artifact, Fragment, Job, Target, interactions, quizbank
from generator.targets.packaging import Member, write_members, xml_bytes
from generator.targets.scorm import BRIDGE, SITE_SCRIPTS, catalogue_block
from generator.targets.site import Site, json_script, site_files

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

ASSETS = Path(__file__).resolve().parent / "assets"
LAUNCH = "cmi5.html"
CS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

words = i18n.Catalog("cmi5")


def _hours(minutes: int, lang: str) -> str:
    hours, rest = divmod(minutes, 60)
    return words("hours_minutes", lang, h=hours, m=rest) if hours else words("minutes_only", lang, m=rest)


def course_iri(course: Course, lang: str, audience: str | None) -> str:
    """The course's IRI in the course structure: made of course ids, the same on every build."""
    return ":".join(["urn:modgen", course.id, lang] + ([audience] if audience else []))


def question_iri(course: Course, question_id: str) -> str:
    """A question's activity id in ``answered`` statements: the same in every language and
    audience, so answers to one question gather under one activity (names per language)."""
    return f"urn:modgen:{course.id}:question:{question_id}"


def objective_iri(course: Course, objective_id: str) -> str:
    return f"urn:modgen:{course.id}:objective:{objective_id}"


def activity_definitions(course: Course, lang: str) -> dict[str, dict]:
    """Each question as an xAPI interaction activity: id and definition (name, interaction type,
    correct-response pattern, and the components — choices, source/target, steps — with their
    texts), for the ``answered`` statements."""
    tag = i18n.locale(lang)
    bank = {q.id: q for module in quizbank.modules(course, lang) for q in module.questions}
    found = {}
    for item in interactions.interactions(course):
        q = bank.get(item.question)
        if q is None:
            continue
        definition: dict = {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "name": {tag: q.title}, "description": {tag: q.stem},
            "interactionType": item.type, "correctResponsesPattern": [item.pattern2004],
        }
        if item.type == "choice":
            definition["choices"] = [{"id": a.id, "description": {tag: a.text}} for a in q.answers]
        elif item.type == "sequencing":
            definition["choices"] = [{"id": s.id, "description": {tag: s.text}} for s in q.steps]
        elif item.type == "matching":
            definition["source"] = [{"id": p.id, "description": {tag: p.premise}} for p in q.pairs]
            definition["target"] = [{"id": p.id, "description": {tag: p.response}} for p in q.pairs]
        found[item.question] = {"id": question_iri(course, item.question), "definition": definition,
                                "objective": objective_iri(course, item.objective)}
    return found


def launch_page(course: Course, lang: str, audience: str | None) -> bytes:
    """``cmi5.html``: a bar with the exit button over the site's frame. The frame gets its page
    only once the session is set up (or found missing), so the site's first page can resume."""
    from lxml.html import builder as E, tostring

    title = quizbank.words(course.title, lang)
    settings = {"passMark": course.pass_mark, "rule": course.passing, "locale": i18n.locale(lang),
                "questions": activity_definitions(course, lang),
                "closed": words("closed", lang), "offline": words("offline", lang)}
    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            # The site's policy, but for connect-src: the LRS is wherever the LMS says it is.
            E.META({"http-equiv": "Content-Security-Policy"},
                   content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src *; object-src 'none'; base-uri 'none'; form-action 'none'"),
            E.TITLE(title),
            E.LINK(rel="stylesheet", href="assets/cmi5.css"),
            E.LINK(rel="icon", href="data:,"),
            catalogue_block(course, lang),
            E.SCRIPT(str(json_script(settings)), type="application/json", id="modgen-cmi5"),
            E.SCRIPT(src="assets/cmi5-launch.js"),
        ),
        E.BODY(
            E.DIV(E.P("", id="cmi5-status", role="status"),
                  E.BUTTON(words("exit", lang), type="button", id="cmi5-exit", hidden="hidden"),
                  {"class": "cmi5-bar"}),
            E.IFRAME({"data-src": "index.html"}, title=title, name="course"),
        ),
        lang=i18n.locale(lang),
    )
    return b"<!DOCTYPE html>\n" + tostring(page, encoding="utf-8", method="html") + b"\n"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    from lxml import etree

    node = etree.SubElement(parent, f"{{{CS}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _text(parent: etree._Element, tag: str, text: str, lang: str) -> None:
    _sub(_sub(parent, tag), "langstring", text, lang=i18n.locale(lang))


def course_structure(course: Course, lang: str, audience: str | None) -> etree._Element:
    """``cmi5.xml``: the course, the lesson objectives that questions assess, and the one AU
    (moveOn CompletedAndPassed; masteryScore = the course pass mark when the course is passed by its
    score)."""
    from lxml import etree

    iri = course_iri(course, lang, audience)
    title = quizbank.words(course.title, lang)
    description = quizbank.words(course.description or course.subtitle or course.title, lang)
    root = etree.Element(f"{{{CS}}}courseStructure", nsmap={None: CS})
    head = _sub(root, "course", id=iri)
    _text(head, "title", title, lang)
    _text(head, "description", description, lang)
    assessed = {q.objective for quiz in course.quizzes for q in quiz.scored}
    objectives = [o for lesson in course.lessons for o in lesson.objectives if o.id in assessed]
    if objectives:
        listed = _sub(root, "objectives")
        for objective in objectives:
            node = _sub(listed, "objective", id=objective_iri(course, objective.id))
            text = quizbank.words(objective.text, lang)
            _text(node, "title", text, lang)
            _text(node, "description", text, lang)
    # A mastery score only when the course is passed by its score: the LMS hands it to the AU,
    # which must then judge by it (see generator.targets.scorm.mastery).
    scored = {"masteryScore": f"{course.pass_mark / 100:g}"} if course.passing == "course-score" else {}
    au = _sub(root, "au", id=f"{iri}:au", moveOn="CompletedAndPassed", **scored, launchMethod="AnyWindow")
    _text(au, "title", title, lang)
    # The course structure has no field for a duration: the self-study time (generator.reading)
    # goes into the AU's description, which LMSs show to a learner choosing what to launch.
    _text(au, "description", f"{description} {words('self_study', lang, time=_hours(reading.course_minutes(course, lang), lang))}",
          lang)
    if objectives:
        refs = _sub(au, "objectives")
        for objective in objectives:
            _sub(refs, "objective", idref=objective_iri(course, objective.id))
    _sub(au, "url", LAUNCH)
    return root


def build_package(course: Course, lang: str, audience: str | None, *,
                  fragment: Fragment | None = None) -> dict[str, bytes]:
    """Every file of the cmi5 package: archive name → bytes."""
    files = site_files(course, lang, audience, extra_scripts=SITE_SCRIPTS, fragment=fragment)
    files["assets/lms-bridge.js"] = BRIDGE.read_bytes()
    for asset in sorted(ASSETS.iterdir()):
        files[f"assets/{asset.name}"] = asset.read_bytes()
    files[LAUNCH] = launch_page(course, lang, audience)
    files["cmi5.xml"] = xml_bytes(course_structure(course, lang, audience))
    return files


class Cmi5(Target):
    kind = "cmi5"
    description = "cmi5 course package: the self-study site as one AU reporting in xAPI (zip)"
    renders_with = Site.renders_with + ("lxml.etree", "lxml.html.builder")

    def build(self, job: Job) -> list[Artifact]:
        files = build_package(job.course, job.lang, job.audience, fragment=job.fragment)
        members = {name: Member.deflate(data) for name, data in files.items()}
        path = write_members(job.dir / f"{job.course.id}-cmi5-{job.slug}.zip", members)
        return [job.artifact(path, files=len(members), pass_mark=job.course.pass_mark)]
