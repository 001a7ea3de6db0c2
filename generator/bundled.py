"""Where the bundled course is: inside the installed package, or at the root of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_course_dir() -> Path | None:
    installed = _PACKAGE / "bundled_course"
    if (installed / "course.yaml").is_file():
        return installed
    # An editable install or a plain checkout: the course lives beside the package.
    checkout = _PACKAGE.parent
    if (checkout / "course.yaml").is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    return None
