"""SCORM 1.2 and SCORM 2004 4th edition packages (kinds ``scorm12``, ``scorm2004``): the
self-study site as a single SCO, one zip per language and audience.

Package layout::

    imsmanifest.xml         one organization, one item, one SCO resource listing every file
    metadata.xml            SCORM 1.2 only: IMS Metadata with the self-study time (2004: in the manifest)
    scorm.html              launch page: holds the LMS session, shows the site in a frame
    assets/scorm-launch.js  finds the LMS API, initializes, reports, terminates once
    assets/lms-bridge.js    in every site page: passes the site's progress, and the questions
                            just answered, to the launch page
    assets/scorm.css        the launch page's frame fills the window
    index.html, …           the self-study site (generator.targets.site)

The site reports progress through its ``window.modgenProgress`` hook; the launch page turns it
into completion, score (raw/min/max in percent; scaled too in 2004), pass/fail against the course
pass mark, the page as location, and the site's state as suspend data, which it hands back on the
next launch so the learner resumes. Without an LMS API the site runs as the offline site.

Every answered question becomes an interaction (``cmi.interactions.n``: id, type, the learner's
response and the correct-response pattern in the version's syntax, result, latency, and the time
(1.2) or timestamp (2004)) and every assessed course objective a ``cmi.objectives.n`` with its
status and score; the launch page reads both from the catalogue the build writes into it
(``generator.targets.interactions``).

Passing follows the course's one rule (``passing`` in course.yaml, docs/lms.md), the rule of the
site's certificate: the launch page reports the status the site computes. Only when the course is
passed by its score is the pass mark also where each standard puts it in the manifest:
``adlcp:masteryscore`` (1.2) and the primary objective's ``imsss:minNormalizedMeasure`` with
``satisfiedByMeasure`` (2004); with "every quiz passed" there is none, so that no LMS judges by
the score instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from generator import i18n, reading
from generator.model import Course
from generator.targets import Artifact, Fragment, Job, Target, interactions, quizbank
from generator.targets.packaging import Member, decode_named, encode_named, write_members, xml_bytes
from generator.targets.site import Site, json_script, site_files

# lxml is imported by the functions that write XML, not here: a build plans (and a build with
# nothing to do finishes) by importing every target, and must not pay for it
# (tests/cli/test_startup.py).
if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

ASSETS = Path(__file__).resolve().parent / "assets"
LAUNCH = "scorm.html"
SITE_SCRIPTS = ("assets/lms-bridge.js",)
BRIDGE = ASSETS / "lms-bridge.js"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
LOM = "http://ltsc.ieee.org/xsd/LOM"
LOM12_FILE = "metadata.xml"


def launch_page(course: Course, lang: str, version: str) -> bytes:
    """``scorm.html``: the launch page with the site's start page in a full-window frame."""
    from lxml.html import builder as E, tostring

    title = quizbank.words(course.title, lang)
    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            # The same policy as the site: scripts only from this package.
            E.META({"http-equiv": "Content-Security-Policy"},
                   content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'none'"),
            E.TITLE(title),
            E.LINK(rel="stylesheet", href="assets/scorm.css"),
            E.LINK(rel="icon", href="data:,"),  # no favicon request: a package has none to offer
            catalogue_block(course, lang),
            # Not deferred: the session must exist before the site's first page asks for it.
            E.SCRIPT(src="assets/scorm-launch.js"),
        ),
        E.BODY(
            # The launch script opens the page: the start page, or where the last session left off.
            E.IFRAME({"data-src": "index.html"}, title=title, name="course"),
        ),
        lang=i18n.locale(lang), **{"data-scorm": version, "data-pass-mark": str(course.pass_mark)},
    )
    return b"<!DOCTYPE html>\n" + tostring(page, encoding="utf-8", method="html") + b"\n"


def catalogue_block(course: Course, lang: str):
    """The interaction catalogue as a JSON data block (not run, so the page's policy allows it);
    it stands before the launch script, which reads it when it runs."""
    from lxml.html import builder as E

    return E.SCRIPT(str(json_script(interactions.catalogue(course, lang))), type="application/json", id="modgen-lms")


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    from lxml import etree

    node = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def manifest_12(identifier: str, title: str, pass_mark: int | None, files: list[str],
                minutes: int | None = None) -> etree._Element:
    """``imsmanifest.xml`` for SCORM 1.2 (IMS CP 1.1.2 + ADL CP), mastery score = pass mark when the
    course is passed by its score (``None``: no mastery score, see :func:`mastery`)."""
    from lxml import etree

    manifest = etree.Element(f"{{{CP12}}}manifest", {"identifier": identifier, "version": "1.0"},
                             nsmap={None: CP12, "adlcp": ADLCP12, "xsi": XSI})
    manifest.set(f"{{{XSI}}}schemaLocation", f"{CP12} imscp_rootv1p1p2.xsd {ADLCP12} adlcp_rootv1p2.xsd")
    metadata = _sub(manifest, CP12, "metadata")
    _sub(metadata, CP12, "schema", "ADL SCORM")
    _sub(metadata, CP12, "schemaversion", "1.2")
    if minutes:  # the self-study time, in the package's metadata file (ADL's way in 1.2: see lom_12)
        _sub(metadata, ADLCP12, "location", LOM12_FILE)
    organizations = _sub(manifest, CP12, "organizations", default="ORG")
    organization = _sub(organizations, CP12, "organization", identifier="ORG")
    _sub(organization, CP12, "title", title)
    item = _sub(organization, CP12, "item", identifier="ITEM", identifierref="SCO", isvisible="true")
    _sub(item, CP12, "title", title)
    if pass_mark is not None:
        _sub(item, ADLCP12, "masteryscore", str(pass_mark))
    resources = _sub(manifest, CP12, "resources")
    resource = _sub(resources, CP12, "resource", identifier="SCO", type="webcontent", href=LAUNCH)
    resource.set(f"{{{ADLCP12}}}scormtype", "sco")
    for name in files:
        _sub(resource, CP12, "file", href=name)
    return manifest


def lom_12(minutes: int) -> etree._Element:
    """The package's metadata file for SCORM 1.2 (IMS Metadata 1.2.1, which a 1.2 manifest points
    at with ``adlcp:location``): the self-study time (generator.reading) as typicallearningtime."""
    from lxml import etree

    lom = etree.Element(f"{{{IMSMD12}}}lom", nsmap={None: IMSMD12})
    _sub(_sub(_sub(lom, IMSMD12, "educational"), IMSMD12, "typicallearningtime"), IMSMD12, "datetime",
         reading.iso_duration(minutes))
    return lom


def manifest_2004(identifier: str, title: str, pass_mark: int | None, files: list[str],
                  minutes: int | None = None) -> etree._Element:
    """``imsmanifest.xml`` for SCORM 2004 4th edition; when the course is passed by its score, the
    pass mark is the primary objective's minimum normalized measure, satisfied by the reported
    scaled score (``None``: the SCO's own success status decides, see :func:`mastery`)."""
    from lxml import etree

    manifest = etree.Element(f"{{{CP}}}manifest", {"identifier": identifier, "version": "1"},
                             nsmap={None: CP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV,
                                    "imsss": IMSSS, "xsi": XSI})
    manifest.set(f"{{{XSI}}}schemaLocation",
                 f"{CP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
                 f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd")
    metadata = _sub(manifest, CP, "metadata")
    _sub(metadata, CP, "schema", "ADL SCORM")
    _sub(metadata, CP, "schemaversion", "2004 4th Edition")
    if minutes:  # the self-study time (generator.reading), as IEEE LOM states it
        lom = etree.SubElement(metadata, f"{{{LOM}}}lom", nsmap={None: LOM})
        _sub(_sub(_sub(lom, LOM, "educational"), LOM, "typicalLearningTime"), LOM, "duration",
             reading.iso_duration(minutes))
    organizations = _sub(manifest, CP, "organizations", default="ORG")
    organization = _sub(organizations, CP, "organization", identifier="ORG")
    _sub(organization, CP, "title", title)
    item = _sub(organization, CP, "item", identifier="ITEM", identifierref="SCO", isvisible="true")
    _sub(item, CP, "title", title)
    sequencing = _sub(item, IMSSS, "sequencing")
    objectives = _sub(sequencing, IMSSS, "objectives")
    if pass_mark is not None:
        primary = _sub(objectives, IMSSS, "primaryObjective", objectiveID="PRIMARYOBJ", satisfiedByMeasure="true")
        _sub(primary, IMSSS, "minNormalizedMeasure", f"{pass_mark / 100:g}")
    else:
        _sub(objectives, IMSSS, "primaryObjective", objectiveID="PRIMARYOBJ", satisfiedByMeasure="false")
    resources = _sub(manifest, CP, "resources")
    resource = _sub(resources, CP, "resource", identifier="SCO", type="webcontent", href=LAUNCH)
    resource.set(f"{{{ADLCP}}}scormType", "sco")
    for name in files:
        _sub(resource, CP, "file", href=name)
    return manifest


def mastery(course: Course) -> int | None:
    """The pass mark an LMS may judge the course's score by, or ``None`` when the course is passed
    by passing every quiz (``passing: every-quiz``). Then no mastery score is written: an LMS that
    compared the course score with it would call "passed" a learner with five quizzes at 100 % and
    one failed, whom the site (and its certificate) calls not passed. The SCO reports the status
    the site's rule gives (scorm-launch.js)."""
    return course.pass_mark if course.passing == "course-score" else None


def build_package(course: Course, lang: str, audience: str | None, version: str, *,
                  fragment: Fragment | None = None) -> dict[str, bytes]:
    """Every file of the SCORM package (``version`` "1.2" or "2004"): archive name → bytes.

    ``fragment`` keeps each lesson's part of the site between builds (``Job.fragment``); the
    parts are the site's own, so the site and both packages share them.
    """
    files = package_site(course, lang, audience, fragment=fragment)
    files.update(package_own(course, lang, audience, version, sorted(files)))
    return files


def package_site(course: Course, lang: str, audience: str | None, *,
                 fragment: Fragment | None = None) -> dict[str, bytes]:
    """The files both SCORM versions carry alike: the site, with the SCORM scripts, and its assets."""
    files = site_files(course, lang, audience, extra_scripts=SITE_SCRIPTS, fragment=fragment)
    for asset in sorted(ASSETS.iterdir()):
        files[f"assets/{asset.name}"] = asset.read_bytes()
    return files


def package_own(course: Course, lang: str, audience: str | None, version: str, site: list[str]) -> dict[str, bytes]:
    """The files of one SCORM version: its launch page, and its manifest listing every file."""
    files = {LAUNCH: launch_page(course, lang, version)}
    title = quizbank.words(course.title, lang)
    scope = [course.id, lang] + ([audience] if audience else [])
    build = manifest_2004 if version == "2004" else manifest_12
    identifier = quizbank.stable_id(*scope, "scorm2004" if version == "2004" else "scorm12")
    minutes = reading.course_minutes(course, lang)
    if version != "2004":
        files[LOM12_FILE] = xml_bytes(lom_12(minutes))
    files["imsmanifest.xml"] = xml_bytes(build(identifier, title, mastery(course), sorted([*site, *files]), minutes))
    return files


class _Scorm(Target):
    version: ClassVar[str]
    renders_with = Site.renders_with + ("lxml.etree", "lxml.html.builder")

    def build(self, job: Job) -> list[Artifact]:
        # Both versions' site is rendered and compressed once per build (``Job.shared``): the
        # package writer copies the compressed files in (the zip is what ``write_zip`` writes).
        site = decode_named(job.shared("scorm-site", lambda: encode_named(
            {name: Member.deflate(data) for name, data in
             package_site(job.course, job.lang, job.audience, fragment=job.fragment).items()})))
        own = package_own(job.course, job.lang, job.audience, self.version, list(site))
        members = {**site, **{name: Member.deflate(data) for name, data in own.items()}}
        path = write_members(job.dir / f"{job.course.id}-{self.kind}-{job.slug}.zip", members)
        return [job.artifact(path, files=len(members), pass_mark=job.course.pass_mark)]


class Scorm12(_Scorm):
    kind = "scorm12"
    version = "1.2"
    description = "SCORM 1.2 package: the self-study site as one SCO (zip)"


class Scorm2004(_Scorm):
    kind = "scorm2004"
    version = "2004"
    description = "SCORM 2004 4th edition package: the self-study site as one SCO (zip)"
