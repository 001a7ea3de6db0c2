"""The generator's fingerprint (part of every cache key) changes with any file of the generator and
with the version of any output library, though it is no longer worked out from scratch by every
build: the digest of the files is kept in the user's cache under their stat data, and library
versions are read beside the libraries, without importlib.metadata."""

from __future__ import annotations

import os
import shutil
from importlib import metadata
from pathlib import Path

import pytest

from generator import cache


@pytest.fixture
def user_cache(tmp_path, monkeypatch) -> Path:
    """A user cache folder of this test's own; files count as settled as soon as written."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("MODGEN_NO_USER_CACHE", raising=False)
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    return tmp_path / "cache" / "modgen" / "generator"


def package(root: Path) -> Path:
    files = {"__init__.py": "x = 1\n", "targets/deck/default.pptx": "template", "targets/site/page.html": "<p>",
             "__pycache__/__init__.cpython-311.pyc": "bytecode", "targets/old.pyc": "bytecode"}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def edit_keeping_size_and_mtime(path: Path, text: str) -> None:
    """Change the content in place, then set the modification time back (``os.utime``)."""
    st = path.stat()
    assert len(text) == st.st_size
    with open(path, "r+") as f:
        f.write(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns and path.stat().st_size == st.st_size


def test_the_digest_is_kept_and_trusted_while_no_file_changed(tmp_path, user_cache) -> None:
    pkg = package(tmp_path / "pkg")
    digest = cache.package_digest(pkg)
    memo = next(user_cache.iterdir())
    assert oct(user_cache.stat().st_mode & 0o777) == "0o700"
    # Proof that the kept digest is what a second process uses: plant another one.
    signature = memo.read_text().split()[0]
    memo.write_text(f"{signature} {'0' * 64}\n")
    assert cache.package_digest(pkg) == "0" * 64

    edit_keeping_size_and_mtime(pkg / "targets/site/page.html", "<b>")  # its change time moved
    changed = cache.package_digest(pkg)
    assert changed not in ("0" * 64, digest)
    assert cache.package_digest(pkg) == changed  # kept again


def test_the_digest_covers_every_file_but_bytecode(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MODGEN_NO_USER_CACHE", "1")
    pkg = package(tmp_path / "pkg")
    digest = cache.package_digest(pkg)
    (pkg / "__pycache__" / "other.cpython-311.pyc").write_text("more bytecode")
    (pkg / "targets" / "old.pyc").write_text("changed bytecode")
    assert cache.package_digest(pkg) == digest
    (pkg / "targets" / "deck" / "fonts").mkdir()
    (pkg / "targets" / "deck" / "fonts" / "font.ttf").write_text("glyphs")
    with_font = cache.package_digest(pkg)
    assert with_font != digest
    (pkg / "targets" / "deck" / "fonts" / "font.ttf").write_text("Glyphs")
    assert cache.package_digest(pkg) not in (digest, with_font)
    (pkg / "targets" / "deck" / "fonts" / "font.ttf").rename(pkg / "targets" / "deck" / "fonts" / "other.ttf")
    assert cache.package_digest(pkg) not in (digest, with_font)


def test_a_digest_is_not_kept_while_a_file_may_still_change_unseen(tmp_path, user_cache, monkeypatch) -> None:
    """A file changed again within its time stamp's tick keeps its stat: a digest made of files
    that changed moments ago is not kept."""
    monkeypatch.setattr(cache, "SETTLED_NS", 3_000_000_000)
    cache.package_digest(package(tmp_path / "pkg"))
    assert not user_cache.exists() or not any(user_cache.iterdir())


def test_a_cache_folder_others_can_write_to_is_not_trusted(tmp_path, user_cache) -> None:
    pkg = package(tmp_path / "pkg")
    digest = cache.package_digest(pkg)
    memo = next(user_cache.iterdir())
    memo.write_text(f"{memo.read_text().split()[0]} {'0' * 64}\n")
    user_cache.chmod(0o777)
    try:
        assert cache.package_digest(pkg) == digest
    finally:
        user_cache.chmod(0o700)


def test_library_versions_are_those_importlib_metadata_reads() -> None:
    for distribution, module in cache.LIBRARIES.items():
        assert cache.library_version(distribution, module) == metadata.version(distribution), distribution


def fake_library(site: Path, version: str) -> None:
    for old in site.glob("*.dist-info"):
        shutil.rmtree(old)
    (site / "fakelib").mkdir(exist_ok=True)
    (site / "fakelib" / "__init__.py").write_text("")
    info = site / f"Fake_Lib-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: Fake-Lib\nVersion: {version}\n\nVersion: 0.0 in the text\n")


def test_the_fingerprint_changes_with_a_library_version_and_a_generator_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MODGEN_NO_USER_CACHE", "1")
    site = tmp_path / "site-packages"
    site.mkdir()
    fake_library(site, "1.0")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(cache, "LIBRARIES", {**cache.LIBRARIES, "fake-lib": "fakelib"})
    monkeypatch.setattr(cache, "PACKAGE", package(tmp_path / "generator"))
    assert cache.library_version("fake-lib", "fakelib") == "1.0"
    first = cache.generator_fingerprint.__wrapped__()

    fake_library(site, "1.1")
    assert cache.library_version("fake-lib", "fakelib") == "1.1"
    second = cache.generator_fingerprint.__wrapped__()
    assert second != first

    (cache.PACKAGE / "targets" / "site" / "page.html").write_text("<p>changed")
    assert cache.generator_fingerprint.__wrapped__() not in (first, second)
    assert cache.library_version("not-installed-anywhere", "not_installed_anywhere") == "-"
