"""A build that carries everything over from the cache writes the same manifest bytes as a clean
build (artifact details read back from the cache index must not change their order)."""

from generator.build import BuildRequest, build


def test_fully_cached_build_writes_the_clean_manifest(course_copy, tmp_path) -> None:
    course = course_copy("minimal")
    out, clean = tmp_path / "out", tmp_path / "clean"
    request = BuildRequest(course, out, formats=["facilitator-guide", "pptx"], languages=["en"])
    build(request)
    build(request)  # everything carried over
    build(BuildRequest(course, clean, formats=["facilitator-guide", "pptx"], languages=["en"]))
    assert (out / "manifest.json").read_bytes() == (clean / "manifest.json").read_bytes()
