"""Fragments: one lesson's part of a whole-course artifact, kept between builds.

Their use by the targets is checked by the byte-for-byte tests in ``test_cache.py``; here the store
itself: made once, reused while the lesson's inputs (as seen in the fragment's language) and the
stated dependencies are unchanged,
made again when damaged, and carried with a unit that is carried over.
"""

from pathlib import Path

from generator import cache
from generator.loader.load import load_course
from generator.targets import Job


def store(course: Path, previous: Path | None, staging: Path) -> cache.Fragments:
    return cache.Fragments(cache.Keys(load_course(course)), previous, staging)


def job(course: Path, fragments) -> Job:
    return Job(load_course(course).course, "en", None, Path("/nonexistent"), "test", fragments=fragments)


def maker(calls: list, value: bytes):
    def make() -> bytes:
        calls.append(value)
        return value
    return make


def test_a_fragment_is_made_once_then_reused_from_the_previous_build(course_copy, tmp_path) -> None:
    course = course_copy("minimal")
    first, second = tmp_path / "first", tmp_path / "second"
    calls: list = []
    j = job(course, store(course, None, first))
    assert j.fragment("page", "preparation", maker(calls, b"one")) == b"one"
    assert j.fragment("page", "preparation", maker(calls, b"again")) == b"one"  # same build
    assert calls == [b"one"] and len(j.used_fragments) == 2

    j = job(course, store(course, first, second))
    assert j.fragment("page", "preparation", maker(calls, b"two")) == b"one"  # previous build
    assert calls == [b"one"]
    # linked into the new build, so it survives the previous one being replaced
    assert (second / cache.CACHE_DIR / cache.FRAGMENTS / j.used_fragments[0]).is_file()


def test_a_fragment_is_made_again_when_its_inputs_change(course_copy, tmp_path) -> None:
    course = course_copy("minimal")
    first = tmp_path / "first"
    calls: list = []
    job(course, store(course, None, first)).fragment("page", "preparation", maker(calls, b"old"), "next: B")

    # another stated dependency, another name, another lesson: not the same fragment
    j = job(course, store(course, first, tmp_path / "a"))
    assert j.fragment("page", "preparation", maker(calls, b"dep"), "next: C") == b"dep"
    assert j.fragment("guide", "preparation", maker(calls, b"name"), "next: B") == b"name"
    assert j.fragment("page", "activity", maker(calls, b"lesson"), "next: B") == b"lesson"

    # a comment in the lesson's file, or an edit of its Dutch text: not what an English build sees
    lesson = course / "modules" / "01-preparation.yaml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("nl: De voorbereiding,", "nl: De voorbereidingen,") + "\n# edited\n",
                      encoding="utf-8")
    j = job(course, store(course, first, tmp_path / "b"))
    assert j.fragment("page", "preparation", maker(calls, b"dutch"), "next: B") == b"old"

    # an edit of its English text
    lesson.write_text(text.replace("en: Preparation}", "en: The preparation}"), encoding="utf-8")
    j = job(course, store(course, first, tmp_path / "c"))
    assert j.fragment("page", "preparation", maker(calls, b"edited"), "next: B") == b"edited"


def test_a_damaged_fragment_is_made_again_not_trusted(course_copy, tmp_path) -> None:
    course = course_copy("minimal")
    first = tmp_path / "first"
    j = job(course, store(course, None, first))
    j.fragment("page", "preparation", lambda: b"<p>good</p>")
    path = first / cache.CACHE_DIR / cache.FRAGMENTS / j.used_fragments[0]
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"good", b"evil"))
    again = job(course, store(course, first, tmp_path / "second"))
    assert again.fragment("page", "preparation", lambda: b"<p>remade</p>") == b"<p>remade</p>"


def test_carrying_a_unit_carries_its_fragments(course_copy, tmp_path) -> None:
    course = course_copy("minimal")
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    j = job(course, store(course, None, first))
    j.fragment("page", "preparation", lambda: b"kept")
    key = j.used_fragments[0]
    assert store(course, first, second).carry([key])
    assert (second / cache.CACHE_DIR / cache.FRAGMENTS / key).is_file()
    assert not store(course, first, third).carry([key, "0" * 64])  # one missing: unit rebuilt


def test_without_a_store_the_fragment_is_simply_made(course_copy) -> None:
    j = job(course_copy("minimal"), None)
    assert j.fragment("page", "preparation", lambda: b"x") == b"x"
    assert j.used_fragments == []
