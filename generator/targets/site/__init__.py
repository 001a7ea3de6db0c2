"""The self-study site: an offline, accessible HTML course with self-check quizzes.

One site per language and audience under ``OUT/site/<lang>-<audience>/``. It opens from
``file://`` and from any static web server, makes no request outside its own folder, and runs
under a strict Content-Security-Policy: the only scripts are files in ``assets/``, and the quiz
data travels as JSON in ``<script type="application/json">`` blocks that are never executed.

Pages (flat, so every link and asset path is relative to the site root)::

    index.html            start: objectives, the crime script as SVG with a text equivalent, modules
    notice-<lesson>.html  content notice shown before a sensitive lesson
    lesson-<lesson>.html  one lesson
    quiz-<lesson>.html    the lesson's self-check quiz
    summary.html          progress and certificate of completion
    sources.html          every source cited
    support.html          help and reporting resources
    assets/               site.css, theme.css (course colours), site.js

Hook for LMS wrappers (SCORM)
-----------------------------
``build_site(course, lang, audience, dest, extra_scripts=("assets/lms-bridge.js",))`` adds deferred
scripts to every page *before* ``site.js``; the wrapper copies its files into ``dest`` itself.
Such a script may define ``window.modgenProgress``; ``site.js`` then uses it as follows::

    window.modgenProgress = {
      // optional: the saved progress (e.g. cmi.suspend_data); a string replaces localStorage
      restore() { return "…" | null },
      // called after every change of progress (lesson visited, question checked, reset)
      report({lesson,   // id of the lesson this page belongs to, or null
              quiz,     // id of the quiz on this page, or null
              score, max, passed,   // this quiz's latest finished attempt, or null
              totals: {score, max, lessons, lessonsVisited, quizzes, quizzesPassed,
                       completed, passed},  // the whole course as this learner stands
              suspend}) // the whole progress state as a string, to hand back via restore()
    }

All progress goes through one object in ``site.js`` (``Progress``), which reads and writes
``localStorage`` under ``modgen:<course>:<lang>:<audience>`` unless ``restore()`` supplies state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from generator import i18n, reading
from generator.i18n import Catalog
from generator.model import Course, Lesson, Matching, Ordering, Quiz, Text, TrueFalse
from generator.shuffle import shown_options, shown_responses, shown_steps
from generator.targets import Artifact, Fragment, Job, Target, made_now

# Jinja, markdown and markupsafe are imported where pages are rendered, not here: a build plans
# (and a build with nothing to do finishes) by importing every target, and must not pay for them
# (tests/cli/test_startup.py).
if TYPE_CHECKING:  # pragma: no cover
    from markupsafe import Markup

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
ASSETS = PACKAGE / "assets"

#: Strict: scripts and styles only from files of the site itself. ``img-src data:`` admits nothing
#: the site needs today but keeps a pasted logo working; everything else is closed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'none'")

ui = Catalog("site")


@dataclass(frozen=True)
class Page:
    """One page of the site: its file, its title and which nav entry it belongs to."""

    file: str
    title: str
    kind: str  # start, notice, lesson, quiz, summary, sources, support
    nav: str  # start, summary, sources, support, or "" for lesson pages


def build_site(course: Course, lang: str, audience: str | None, dest: Path, *,
               extra_scripts: Iterable[str] = (), fragment: Fragment | None = None) -> Path:
    """Write the whole site for ``lang`` and ``audience`` into ``dest``; return ``dest/index.html``.

    ``course`` must already be narrowed to ``audience`` (``course.for_audience``). ``extra_scripts``
    are site-relative URLs loaded (deferred, in order) before ``assets/site.js`` on every page; see
    the module docstring for the ``window.modgenProgress`` hook they may define. ``fragment`` keeps
    each lesson's part of the pages between builds (``Job.fragment``). Same input, same bytes.
    """
    dest = Path(dest)
    files = site_files(course, lang, audience, extra_scripts=extra_scripts, fragment=fragment)
    for folder in sorted({(dest / name).parent for name in files}):
        folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (dest / name).write_bytes(data)
    return dest / "index.html"


def site_files(course: Course, lang: str, audience: str | None, *, extra_scripts: Iterable[str] = (),
               fragment: Fragment | None = None) -> dict[str, bytes]:
    """Every file of the site (path relative to its root → bytes), as ``build_site`` writes them."""
    return _SiteWriter(course, lang, audience, tuple(extra_scripts), fragment or made_now).files()


class Site(Target):
    kind = "site"
    description = "offline self-study website with self-check quizzes (one per language and audience)"
    renders_with = ("generator.html", "generator.images", "generator.targets.site.crime_script",
                    "generator.figures", "generator.figure_html", "generator.chart_svg")

    def build(self, job: Job) -> list[Artifact]:
        index = build_site(job.course, job.lang, job.audience, job.dir, fragment=job.fragment)
        pages = sorted(p.name for p in job.dir.glob("*.html"))
        return [job.artifact(job.dir, index=index.relative_to(job.out).as_posix(), pages=len(pages))]


def lesson_file(lesson: Lesson) -> str:
    return f"lesson-{lesson.id}.html"


def notice_file(lesson: Lesson) -> str:
    return f"notice-{lesson.id}.html"


def quiz_file(lesson: Lesson) -> str:
    return f"quiz-{lesson.id}.html"


def entry_file(lesson: Lesson) -> str:
    """Where links to a lesson lead: its content notice first when the lesson is sensitive."""
    return notice_file(lesson) if lesson.sensitive else lesson_file(lesson)


def inline_checks(lesson: Lesson, quiz: Quiz | None) -> dict[str, list]:
    """The quiz questions marked ``check:`` that the lesson page asks inline, by the id of the section
    they follow ("" when the lesson has no sections: they come after the objectives).

    ``check: <section id>`` places a question after that section; ``check: true`` spreads the
    questions so marked evenly over the sections, so retrieval practice comes between the reading
    rather than after all of it (one check in a lesson of five sections follows the second).
    """
    if quiz is None:
        return {}
    sections = [s.id for s in lesson.sections]
    placed: dict[str, list] = {}
    spread = [q for q in quiz.questions if q.check_at is True]
    for i, q in enumerate(spread):
        at = sections[max(0, min(len(sections) - 1, (i + 1) * len(sections) // (len(spread) + 1) - 1))] \
            if sections else ""
        placed.setdefault(at, []).append(q)
    for q in quiz.questions:
        if isinstance(q.check_at, str) and q.check_at in sections:
            placed.setdefault(q.check_at, []).append(q)
    order = {at: i for i, at in enumerate([""] + sections)}
    return {at: placed[at] for at in sorted(placed, key=order.__getitem__)}


def json_script(value: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``</script>``, no ``<!--``."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def safe_url(url: str | None) -> str:
    """``url`` when it is a web, mail or phone link; "" otherwise (no ``javascript:`` from course files)."""
    if not url:
        return ""
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    return url if scheme in ("http", "https", "mailto", "tel") else ""


class _SiteWriter:
    """Renders one site into memory.

    A lesson's pages are its content notice, its lesson page and its quiz page. Their main content
    (and the quiz's data) is a fragment: it depends on that lesson's files, on the course file and
    on the lesson's number only, and is shared by the site and the SCORM packages, whose pages
    differ only in their head. What shows other lessons — the pager, the data for ``site.js`` (every
    lesson's title and quiz) — and the course's own pages are rendered around them on every build.
    """

    def __init__(self, course: Course, lang: str, audience: str | None, extra_scripts: tuple[str, ...],
                 fragment: Fragment):
        from generator import html
        from generator.figure_html import figure_views

        self.course = course
        self.lang = lang
        self.audience = audience
        self.extra_scripts = extra_scripts
        self.fragment = fragment
        self.lessons = course.lessons
        self.numbers = {lesson.id: n for n, lesson in enumerate(self.lessons, start=1)}
        self.env = html.environment(
            TEMPLATES, course, lang,
            s=lambda key, **kw: ui(key, lang, **kw),
            entry_file=entry_file, lesson_file=lesson_file, quiz_file=quiz_file, notice_file=notice_file,
            lesson_number=self.lesson_number, cite=self.cite, logo=self.logo(),
            self_study=lambda lesson: reading.module_minutes(course, lesson, lang),
            quiz_minutes=lambda quiz: reading.quiz_minutes(quiz, lang),
            course_time=self.course_time,
            xref_href=lambda lesson, section: (f"{lesson_file(lesson)}#section-{section}" if section
                                               else entry_file(lesson)),
            figures=lambda section: figure_views(course, section, lang),
        )
        self.env.filters["safe_url"] = safe_url
        self._files: dict[str, bytes] = {}
        self._shared_data = self.shared_data()
        self._shared_json: dict[str, Markup] | None = None

    def t(self, value: Text | str | None) -> str:
        if value is None:
            return ""
        return value.get(self.lang) if isinstance(value, Text) else str(value)

    def s(self, key: str, **values: object) -> str:
        return ui(key, self.lang, **values)

    def logo(self) -> dict | None:
        """The organisation's logo in the header: its file in ``assets``, its alternative text (the
        organisation, else the course title) and its size, so the page does not shift as it loads."""
        from generator.images import read_logo

        found = read_logo(self.course)
        if found is None:
            return None
        organisation = self.course.branding.organisation
        return {"file": f"assets/logo.{found.ext}", "data": found.data, "width": found.width,
                "height": found.height, "alt": self.t(organisation) if organisation else self.t(self.course.title)}

    def notice(self) -> Text:
        """The content notice for one reader on their own: the course's self-study notice, else its
        content notice (written for the room too), else the built-in one."""
        return self.course.self_study_notice or self.course.content_notice or i18n.core_text("content_notice")

    def course_time(self) -> str:
        """The self-study time of the whole course, in hours and minutes."""
        hours, minutes = divmod(reading.course_minutes(self.course, self.lang), 60)
        return self.s("hours_minutes", h=hours, m=minutes) if hours else self.s("minutes_only", m=minutes)

    def lesson_number(self, lesson: Lesson) -> int:
        return self.numbers[lesson.id]

    # --- writing -----------------------------------------------------------------------------

    def files(self) -> dict[str, bytes]:
        from markupsafe import Markup

        from generator.targets.site.crime_script import crime_script_svg

        for name in ("site.css", "site.js", "icon.svg"):
            self._files[f"assets/{name}"] = (ASSETS / name).read_bytes()
        self._files["assets/theme.css"] = theme_css(self.course).encode()
        logo = self.env.globals["logo"]
        if logo is not None:
            self._files[logo["file"]] = logo["data"]
        from generator.figure_html import course_images

        self._files.update(course_images(self.course))  # written every build: lesson parts may be kept
        from generator.matrix import intervention_matrix

        self.render("start.html", Page("index.html", self.t(self.course.title), "start", "start"),
                    crime_script=crime_script_svg(self.course, self.lang, self.s),
                    matrix=intervention_matrix(self.course), lesson_by_id={l.id: l for l in self.lessons})
        for i, lesson in enumerate(self.lessons):
            neighbours = dict(previous=self.lessons[i - 1] if i else None,
                              next=self.lessons[i + 1] if i + 1 < len(self.lessons) else None)
            title = self.t(lesson.title)
            parts = self.lesson_parts(lesson)
            if "notice" in parts:
                self.render("page.html", Page(notice_file(lesson), title, "notice", ""), lesson=lesson,
                            main=Markup(parts["notice"]), pager=False)
            self.render("page.html", Page(lesson_file(lesson), title, "lesson", ""), lesson=lesson,
                        main=Markup(parts["lesson"]), lesson_head=Markup(parts["lessonHead"]),
                        lesson_toc=Markup(parts["lessonToc"]), checks_data=parts["checksData"], pager=True,
                        **neighbours)
            if "quiz" in parts:
                self.render("page.html", self.quiz_page(lesson), lesson=lesson, main=Markup(parts["quiz"]), pager=True,
                            quiz_data=parts["quizData"], **neighbours)
        self.render("summary.html", Page("summary.html", self.s("summary_title"), "summary", "summary"))
        self.render("sources.html", Page("sources.html", self.s("nav_sources"), "sources", "sources"),
                    cited=self.cited_sources(), **self.about())
        if self.course.sensitive and self.course.support:  # support scaffolding only for a sensitive subject
            self.render("support.html", Page("support.html", i18n.core("support_title", self.lang), "support", "support"))
        return self._files

    def quiz_page(self, lesson: Lesson) -> Page:
        return Page(quiz_file(lesson), self.s("quiz_title", title=self.t(lesson.title)), "quiz", "")

    def lesson_parts(self, lesson: Lesson) -> dict[str, Any]:
        """The main content of ``lesson``'s pages (``notice``, ``lesson``, ``quiz``) and its quiz's
        data (``quizData``), kept between builds as one fragment. They read that lesson, its quiz,
        the course file and the lesson's number (stated: it moves when lessons before it come or go).
        """
        quiz = self.course.quiz_for(lesson)

        def render(template: str, **context: Any) -> str:
            return self.env.get_template(template).render(lesson=lesson, **context)

        def make() -> bytes:
            checks = inline_checks(lesson, quiz)
            parts: dict[str, Any] = {
                "lessonHead": render("lesson_head.html"),
                "lessonToc": render("lesson_toc.html", toc=self.contents(lesson, quiz)),
                "lesson": render("lesson.html", quiz=quiz, groups=self.intervention_groups(lesson),
                                 checks_after={at: [q.id for q in qs] for at, qs in checks.items()}),
                "checksData": [self.question_data(quiz, q) for qs in checks.values() for q in qs],
            }
            if lesson.sensitive:
                parts["notice"] = render("notice.html",
                                         notice=self.notice())
            if quiz is not None:
                parts["quiz"] = render("quiz.html", page=self.quiz_page(lesson), quiz=quiz,
                                       pass_mark=self.course.quiz_pass_mark(quiz))
                parts["quizData"] = self.quiz_data(lesson, quiz)
            return json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()

        return json.loads(self.fragment("site:lesson", lesson.id, make, self.lesson_number(lesson)))

    def render(self, template: str, page: Page, lesson: Lesson | None = None, quiz_data: dict | None = None,
               checks_data: list | None = None, **context: Any) -> None:
        from markupsafe import Markup

        text = self.env.get_template(template).render(
            page=page, lessons=self.lessons, lesson=lesson, csp=Markup(CSP), extra_scripts=self.extra_scripts,
            audience=self.course.audience(self.audience), language_name=i18n.language_name(self.lang),
            data_json=self.page_json(lesson, quiz_data, checks_data), **context)
        self._files[page.file] = text.encode()

    # --- data for the templates and for site.js ------------------------------------------------

    def shared_data(self) -> dict:
        return {
            "storageKey": f"modgen:{self.course.id}:{self.lang}:{self.audience or '-'}",
            "lessons": [
                {"id": x.id, "title": self.t(x.title), "href": entry_file(x),
                 "quiz": x.quiz if self.course.quiz_for(x) is not None else None,
                 "questions": len(q.scored) if (q := self.course.quiz_for(x)) is not None else 0,
                 "passMark": self.course.quiz_pass_mark(q) if q is not None else None}
                for x in self.lessons
            ],
            # The one rule for passing the course (certificate and LMS alike): see Course.passing.
            "passing": {"rule": self.course.passing, "passMark": self.course.pass_mark},
            # A lesson in steps (course.yaml site.steps): site.js opens its parts one by one.
            "steps": self.course.site.steps,
            "text": {key[3:]: text for key, text in ui.items(self.lang).items() if key.startswith("js_")}
            | {key: text for key, text in ui.items(self.lang).items()
               if key.startswith("status_") or key in ("yes", "no", "no_quiz", "not_taken", "reset_done", "continue",
                                                       "certificate_date", "see_certificate", "part_of", "continue_to",
                                                       "certificate_score", "certificate_learner", "course_progress",
                                                       "module_done", "module_open")},
        }

    def page_data(self, lesson: Lesson | None, quiz_data: dict | None = None) -> dict:
        """What site.js needs on every page: where to keep progress, the lessons, its texts; on a
        quiz page, the quiz."""
        data = {**self._shared_data, "lesson": lesson.id if lesson is not None else None}
        if quiz_data is not None:
            data["quiz"] = quiz_data
        return data

    def page_json(self, lesson: Lesson | None, quiz_data: dict | None = None, checks_data: list | None = None) -> Markup:
        """``json_script(self.page_data(lesson, quiz_data))``, with what every page shares written once.

        ``json_script`` sorts keys (checks, lesson, lessons, passing, quiz, steps, storageKey, text) and escapes single
        characters, so the page's JSON is its parts' JSON joined in that order."""
        from markupsafe import Markup

        if self._shared_json is None:
            self._shared_json = {key: json_script(value) for key, value in self._shared_data.items()}
        shared = self._shared_json
        quiz = f',"quiz":{json_script(quiz_data)}' if quiz_data is not None else ""
        checks = f'"checks":{json_script(checks_data)},' if checks_data else ""
        return Markup(f'{{{checks}"lesson":{json_script(lesson.id if lesson is not None else None)},'
                      f'"lessons":{shared["lessons"]},"passing":{shared["passing"]}{quiz},"steps":{shared["steps"]},'
                      f'"storageKey":{shared["storageKey"]},'
                      f'"text":{shared["text"]}}}')

    def quiz_data(self, lesson: Lesson, quiz: Quiz) -> dict:
        return {"id": quiz.id, "lesson": lesson.id, "passMark": self.course.quiz_pass_mark(quiz),
                "questions": [self.question_data(quiz, q) for q in quiz.scored]}

    def question_data(self, quiz: Quiz, q: Any) -> dict:
        """One question as site.js reads it (its options in their first, build-time shuffled order)."""
        item: dict[str, Any] = {"id": q.id, "type": q.kind, "stem": self.t(q.stem),
                                "explanation": self.t(q.explanation), "source": self.source_short(q.source)}
        if isinstance(q, Matching):
            item["pairs"] = [{"id": p.id, "premise": self.t(p.premise), "response": self.t(p.response),
                              "feedback": self.t(p.feedback)} for p in q.pairs]
            item["order"] = [p.id for p in shown_responses(q)]
        elif isinstance(q, Ordering):
            item["items"] = [{"id": x.id, "text": self.t(x.text), "feedback": self.t(x.feedback)} for x in q.items]
            item["order"] = [x.id for x in shown_steps(q)]
        else:
            options = q.choices() if isinstance(q, TrueFalse) else q.options
            item["options"] = [{"id": o.id, "text": self.t(o.text), "correct": o.correct,
                                "feedback": self.t(o.feedback)} for o in options]
            # The first attempt shows the order of every other output (generator/shuffle.py); the
            # site shows no letters, so later attempts may mix again.
            item["order"] = [o.id for o in shown_options(q)]
        return item

    def cite(self, keys: Iterable[str]) -> str:
        """The short forms of the sources ``keys`` name, for a "Source: …" line."""
        return "; ".join(self.source_short(k) for k in dict.fromkeys(keys) if self.course.source(k))

    def source_short(self, key: str | None) -> str:
        source = self.course.source(key) if key else None
        return self.t(source.short) if source is not None else ""

    def contents(self, lesson: Lesson, quiz: Quiz | None) -> list[tuple[str, str]]:
        """The lesson page's parts as (anchor, title), in page order, for its "On this page" list."""
        core = lambda key: i18n.core(key, self.lang)  # noqa: E731
        parts = [("objectives", core("objectives"))] if lesson.objectives else []
        parts += [(f"section-{s.id}", self.t(s.title)) for s in lesson.sections]
        parts += [("facts", self.s("facts_and_tables"))] if lesson.facts or lesson.tables else []
        parts += [("interventions", core("interventions"))] if lesson.interventions else []
        parts += [("vignettes", core("vignettes"))] if lesson.vignettes else []
        parts += [("reflection", self.s("reflection"))] if lesson.discussion else []
        parts += [("takeaways", core("takeaways"))] if lesson.takeaways else []
        parts += [("quiz-cta", self.s("quiz_cta_title"))] if quiz is not None else []
        parts += [("support", core("support_title"))] if lesson.sensitive and self.course.support else []
        return parts

    def intervention_groups(self, lesson: Lesson) -> list[tuple[Any, list]]:
        """Intervention points grouped by actor, in the order the course lists its actors."""
        order = {a.id: i for i, a in enumerate(self.course.actors)}
        groups: dict[str, list] = {}
        for point in lesson.interventions:
            groups.setdefault(point.actor, []).append(point)
        return [(self.course.actor(actor), points)
                for actor, points in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))]

    def about(self) -> dict[str, Any]:
        """What the sources page says about the course itself: its version and review, and the
        review of each lesson that has a review block of its own (the others are governed by the
        course's)."""
        course = self.course
        modules = [(lesson, i18n.review_facts(lesson.review, None, self.lang))
                   for lesson in self.lessons if lesson.review is not None]
        return {"about": i18n.review_facts(course.review, course.version, self.lang),
                "module_reviews": modules}

    def cited_sources(self) -> dict[str, list[Lesson]]:
        """For each source key, the lessons that cite it (for the sources page)."""
        cited: dict[str, list[Lesson]] = {}
        for lesson in self.lessons:
            keys = [k for s in lesson.sections for k in s.sources]
            keys += [f.source for f in lesson.facts] + [t.source for t in lesson.tables]
            keys += [p.source for p in lesson.interventions if p.source]
            quiz = self.course.quiz_for(lesson)
            keys += [q.source for q in quiz.questions] if quiz else []
            for key in dict.fromkeys(keys):
                cited.setdefault(key, []).append(lesson)
        return cited


# --- colours -------------------------------------------------------------------------------------

PAGE_BACKGROUND = "#F6F7F9"


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(colour: str, background: str = PAGE_BACKGROUND, ratio: float = 4.5) -> str:
    """``colour``, darkened just enough to reach ``ratio`` against ``background`` (WCAG AA text)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    while True:
        candidate = f"#{r:02X}{g:02X}{b:02X}"
        if contrast(candidate, background) >= ratio + 0.05 or (r, g, b) == (0, 0, 0):
            return candidate
        r, g, b = (int(c * 0.92) for c in (r, g, b))


def theme_css(course: Course) -> str:
    """The course's brand colours as CSS variables, adjusted so text in them stays readable."""
    colours = course.branding.colours
    return (":root {\n"
            f"  --primary: {readable(colours.primary)};\n"
            f"  --accent: {readable(colours.accent)};\n"
            "}\n")
