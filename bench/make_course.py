"""Write a synthetic but valid course of N lessons for benchmarks.

    python bench/make_course.py --lessons N OUT_DIR

Every lesson has realistic text lengths (sections with markdown lists and facilitator notes, facts,
a table, intervention points, prompts, a vignette) and a quiz with every question type. The subject
is neutral (a crime script of bicycle theft); the text is deterministic for a given N.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

WORDS_NL = ("fiets station slot stalling toezicht gemeente politie buurt avond melding camera verlichting "
            "route plek dader kans risico aanpak preventie bewoner eigenaar registratie").split()
WORDS_EN = ("bicycle station lock parking oversight council police street evening report camera lighting "
            "route place offender chance risk approach prevention resident owner registration").split()


def sentence(rng: random.Random, words: tuple[str, ...] | list[str], n: int) -> str:
    chosen = [rng.choice(words) for _ in range(n)]
    return " ".join(chosen).capitalize() + "."


def text(rng: random.Random, n: int) -> dict[str, str]:
    seed = rng.random()
    return {"nl": sentence(random.Random(seed), WORDS_NL, n), "en": sentence(random.Random(seed), WORDS_EN, n)}


def bullets(rng: random.Random, count: int, words: int) -> dict[str, str]:
    items = [text(rng, words) for _ in range(count)]
    intro = text(rng, 14)
    return {lang: intro[lang] + "\n\n" + "\n".join(f"- **{i[lang].split()[0]}** {' '.join(i[lang].split()[1:])}"
                                                    for i in items) + "\n" for lang in ("nl", "en")}


def course_yaml(lessons: int) -> dict:
    return {
        "id": f"bench-{lessons}",
        "title": {"nl": f"Benchmarkcursus met {lessons} lessen", "en": f"Benchmark course of {lessons} lessons"},
        "version": "1.0",
        "languages": ["nl", "en"],
        # Generated questions repeat one pattern: the item-writing rules would flag the pattern, not
        # a question an author wrote (docs/authoring.md, "Writing good questions").
        "item_writing": {"skip": {rule: "a synthetic benchmark course: its questions are generated"
                                  for rule in ("truth-value", "stem-clue", "longest-key", "key-position")}},
        "audiences": [{"id": "enforcement", "name": {"nl": "Opsporing", "en": "Enforcement"}},
                      {"id": "prevention", "name": {"nl": "Preventie", "en": "Prevention"}}],
        "phases": [{"id": p, "name": {"nl": nl, "en": en}} for p, nl, en in (
            ("preparation", "Voorbereiding", "Preparation"), ("pre-activity", "Pre-activiteit", "Pre-activity"),
            ("activity", "Activiteit", "Activity"), ("post-activity", "Post-activiteit", "Post-activity"))],
        "perspectives": [{"id": "individual", "name": {"nl": "Individu", "en": "Individual"}},
                         {"id": "organisation", "name": {"nl": "Organisatie", "en": "Organisation"}}],
        "actors": [{"id": "police", "name": {"nl": "Politie", "en": "Police"}},
                   {"id": "municipality", "name": {"nl": "Gemeente", "en": "Municipality"}}],
        "sources": [{"key": "study", "short": {"nl": "Studie (2020)", "en": "Study (2020)"},
                     "citation": {"nl": "Auteur, A. (2020). Een studie. Uitgever.",
                                  "en": "Author, A. (2020). A study. Publisher."}}],
        "support": [{"id": "desk", "name": {"nl": "Servicedesk", "en": "Service desk"},
                     "description": {"nl": "Vragen over de cursus.", "en": "Questions about the course."},
                     "phone": "0800 000 0000"}],
        "session": {"break_after_sensitive": 10},  # every module is sensitive (validate asks for a break)
    }


def lesson_yaml(i: int, rng: random.Random) -> dict:
    lid = f"lesson-{i:04d}"
    phases = ["preparation", "pre-activity", "activity", "post-activity"]
    sections = []
    for s, perspective in enumerate(("individual", "organisation", None)):
        section = {"id": f"s{s}", "title": text(rng, 4), "body": bullets(rng, 4, 12), "notes": text(rng, 40),
                   "minutes": 8, "sources": ["study"]}
        if perspective:
            section["perspective"] = perspective
        sections.append(section)
    return {
        "id": lid,
        "title": text(rng, 5),
        "phase": phases[i % 4],
        "duration": 35,
        "sensitive": True,
        "summary": text(rng, 20),
        "objectives": [{"id": f"{lid}-o{k}", "bloom": "understand", "text": text(rng, 12)} for k in range(3)],
        "sections": sections,
        "facts": [{"id": f"f{k}", "text": text(rng, 16), "source": "study"} for k in range(2)],
        "tables": [{"id": "t", "caption": text(rng, 5), "source": "study",
                    "columns": [text(rng, 1), text(rng, 1), text(rng, 1)],
                    "rows": [[text(rng, 2), rng.randint(100, 100000), rng.randint(1, 50)] for _ in range(5)]}],
        "interventions": [{"id": f"{lid}-ip{k}", "text": text(rng, 18), "actor": ("police", "municipality")[k % 2],
                           "audiences": [("enforcement", "prevention")[k % 2]],
                           "basis": ("finding", "implication", "derived")[k % 3], "source": "study"}
                          for k in range(4)],
        "discussion": [{"id": f"d{k}", "prompt": text(rng, 14), "guidance": text(rng, 25), "minutes": 2}
                       for k in range(2)],
        "vignettes": [{"id": "v", "title": text(rng, 3), "text": text(rng, 60), "questions": [text(rng, 10)],
                       "minutes": 3,
                       "debrief": text(rng, 30)}],
        "takeaways": [text(rng, 10) for _ in range(3)],
        "quiz": lid,
    }


def quiz_yaml(i: int, rng: random.Random) -> dict:
    lid = f"lesson-{i:04d}"

    def base(n: int, objective: int) -> dict:
        return {"id": f"{lid}-q{n}", "objective": f"{lid}-o{objective}", "source": "study",
                "stem": text(rng, 16), "explanation": text(rng, 24)}

    def options(correct: set[int], count: int = 4) -> list[dict]:
        return [{"id": "abcdef"[k], "correct": k in correct, "text": text(rng, 8), "feedback": text(rng, 14)}
                for k in range(count)]

    return {
        "id": lid,
        "lesson": lid,
        "questions": [
            {**base(1, 0), "type": "single", "options": options({0})},
            {**base(2, 1), "type": "multiple", "options": options({0, 2})},
            {**base(3, 2), "type": "true-false", "answer": True, "feedback_true": text(rng, 10),
             "feedback_false": text(rng, 10)},
            {**base(4, 0), "type": "matching", "pairs": [
                {"id": f"p{k}", "premise": text(rng, 3), "response": text(rng, 5), "feedback": text(rng, 8)}
                for k in range(3)]},
            {**base(5, 1), "type": "ordering", "items": [
                {"id": f"i{k}", "text": text(rng, 5), "feedback": text(rng, 8)} for k in range(4)]},
        ],
    }


def write_course(lessons: int, out: Path) -> Path:
    """Write the course into ``out`` (replacing it) and return it."""
    if out.exists():
        shutil.rmtree(out)
    (out / "modules").mkdir(parents=True)
    (out / "quizzes").mkdir()
    rng = random.Random(lessons)

    def dump(path: Path, data: dict) -> None:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")

    dump(out / "course.yaml", course_yaml(lessons))
    for i in range(lessons):
        dump(out / "modules" / f"{i:04d}.yaml", lesson_yaml(i, rng))
        dump(out / "quizzes" / f"{i:04d}.yaml", quiz_yaml(i, rng))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, required=True)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    write_course(args.lessons, args.out)
    print(f"wrote a course of {args.lessons} lessons to {args.out}")


if __name__ == "__main__":
    main()
