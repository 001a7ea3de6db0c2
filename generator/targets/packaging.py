"""Zip packages and XML files whose bytes depend only on their content.

Every packaged export (QTI, SCORM) is written through here: entries sorted by name, a fixed
timestamp and fixed permissions, so the same course gives the same bytes on every build.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

# lxml is imported by the functions that write XML, not here: a build plans (and a build with
# nothing to do finishes) by importing every target, and must not pay for it
# (tests/cli/test_startup.py).
if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree

#: The earliest time a zip entry can hold; any fixed value would do.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_zip(path: Path, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` (archive name → bytes) to ``path`` deterministically."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, so the permissions above mean the same everywhere
            archive.writestr(info, files[name])
    return path


def xml_bytes(root: etree._Element) -> bytes:
    """An element as a UTF-8 XML document with declaration, indented."""
    from lxml import etree

    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
