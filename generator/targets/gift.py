"""GIFT (kind ``gift``): one ``quiz.gift`` text file per language and audience, for Moodle's
GIFT import and the many tools that read GIFT.

Layout per module: a ``$CATEGORY:`` line (``$course$/<course title>/<audience>/<module title>``, the
Moodle XML export's category), then per question an ``// [id:…]`` comment (Moodle reads it as the
idnumber), a ``::title::`` (HTML-escaped, as Moodle shows names as HTML), the stem
marked ``[html]`` (answers and feedback inherit that format), and the answers:
``=right#feedback`` / ``~wrong#feedback`` for single choice; ``~%weight%answer#feedback`` for
multiple response (Moodle's fractions: right answers share +100, wrong ones -100); ``{T#…#…}`` /
``{F#…#…}`` for true/false, where the first feedback is shown for the wrong answer and the second
for the right one; ``=premise -> response`` for matching. GIFT has no ordering type that plain
GIFT readers know (Moodle's ordering plugin uses its own ``{>`` syntax), so ordering questions are
exported as matching of each step to its position ("Step 1", …); Moodle imports them as matching
questions. The explanation is the general
feedback (``####``); per-pair and per-step feedback, which GIFT has no place for, follows it as a list.

Escaping: course text is HTML-escaped (``& < >``; a leading ``%`` or ``[``, which GIFT would read
as a weight or a format, as a character reference), then GIFT's special characters
``\\ ~ = # { } :`` get a backslash. The ``$CATEGORY:`` line is written without GIFT escapes (Moodle
reads it raw; its names are HTML-escaped as in Moodle XML), with newlines impossible because quiz
texts are single-line. Moodle's GIFT import sets no combined feedback ("Your answer is correct")
and no "show the number of correct responses": GIFT has no syntax for them.
"""

from __future__ import annotations

from generator.i18n import Catalog
from generator.targets import Artifact, Fragment, Job, Target, made_now, quizbank
from generator.targets.moodle_xml import module_category
from generator.targets.quizbank import BankQuestion

catalog = Catalog("gift")

#: Characters with a meaning in GIFT; the backslash first, so added escapes are not doubled.
SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    """Plain text as GIFT text: every special character preceded by a backslash."""
    return "".join("\\" + c if c in SPECIAL else c for c in text)


#: Characters that mean something at the start of an answer ('%50%' weight, '[html]' format) and
#: have no GIFT escape: written as HTML character references there instead.
LEADING = {"%": "&#37;", "[": "&#91;"}


def html(text: str) -> str:
    """Plain text as GIFT ``[html]`` text, safe at the start of an answer too."""
    marked = quizbank.html_inline(text)
    if marked[:1] in LEADING:
        marked = LEADING[marked[0]] + marked[1:]
    return escape(marked)


def build_question(q: BankQuestion, idnumber: str, lang: str) -> str:
    if q.kind == "ordering":
        q = quizbank.as_matching(q, lambda n: catalog("position", lang, n=n))
    # The title HTML-escaped: Moodle strips tags from a question name and shows it as HTML.
    lines = [f"// [id:{idnumber}]", f"::{escape(quizbank.html_inline(q.title))}::[html]"
                                    f"{escape(quizbank.html_paragraph(q.stem))}{{"]
    general = escape(quizbank.general_feedback_html(q, with_parts=q.kind == "matching"))
    if q.kind == "single":
        lines += [f"{'=' if a.correct else '~'}{html(a.text)}#{html(a.feedback)}" for a in q.answers]
    elif q.kind == "multiple":
        for a, weight in zip(q.answers, quizbank.multiple_response_weights(q)):
            lines.append(f"~%{quizbank.format_percent(weight)}%{html(a.text)}#{html(a.feedback)}")
    elif q.kind == "true-false":
        right = next(a for a in q.answers if a.correct)
        wrong = next(a for a in q.answers if not a.correct)
        lines.append(f"{'T' if right.id == 'true' else 'F'}#{html(wrong.feedback)}#{html(right.feedback)}")
    else:
        lines += [f"={html(p.premise)} -> {escape(p.response)}" for p in q.pairs]
    lines += [f"####{general}", "}"]
    return "\n".join(lines)


def build_gift(course, lang: str, audience: str | None, *, fragment: Fragment = made_now) -> str:
    """The whole GIFT file: per module a category, then its questions, separated by blank lines.
    Each module's blocks are a fragment (``Job.fragment``): they read its lesson and quiz only."""
    def module_blocks(module: quizbank.BankModule) -> bytes:
        # The same category as the Moodle XML export's (GIFT has no category idnumber).
        blocks = [f"$CATEGORY: {module_category(course, lang, audience, module)[0]}"]
        blocks += [build_question(q, quizbank.stable_id(course.id, lang, q.id), lang) for q in module.questions]
        return "\n\n".join(blocks).encode()

    modules = [fragment("gift:module", module.lesson, lambda module=module: module_blocks(module)).decode()
               for module in quizbank.modules(course, lang)]
    return "\n\n".join(modules) + "\n"


class Gift(Target):
    kind = "gift"
    lesson_fields = quizbank.LESSON_FIELDS
    description = "GIFT question file: a category per module, feedback, weights"
    renders_with = ("lxml.html.builder",)

    def build(self, job: Job) -> list[Artifact]:
        text = build_gift(job.course, job.lang, job.audience, fragment=job.fragment)
        path = job.dir / "quiz.gift"
        path.write_text(text, encoding="utf-8", newline="\n")
        questions = text.count("\n// [id:") + text.startswith("// [id:")
        return [job.artifact(path, questions=questions)]
