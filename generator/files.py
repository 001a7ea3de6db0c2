"""Files modgen writes outside a build's ``OUT`` (an exchange file, a diff, a report, the classroom's
results): the two rules every such write follows.

- **Never over the course.** An output named like a course file (``-o course.yaml``, ``-o
  modules/x.yaml``, a link to one) would destroy what it was made from, or add a file the next load
  reads as a lesson: :func:`course_file_problem` says why a path may not be written, for a usage
  error before anything is done (``build`` refuses such an ``OUT`` the same way).
- **Whole, and as the user's other files.** :func:`replace_file` writes beside the target and
  renames over it (a reader sees the old file or the new one, never half), with the mode the
  user's umask gives a new file — not the 0600 of a temporary file, which would keep a report from
  the colleagues it is for.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

#: The course's own files at its top, besides course.yaml: written only by the commands meant to.
COURSE_TOP_FILES = ("course.yaml", "glossary.yaml", "translations.lock")
COURSE_FOLDERS = ("modules", "quizzes")


def course_file_problem(out: Path, course_root: Path, also: Iterable[str] = ()) -> str | None:
    """Why ``out`` (a file to write) may not be written for the course at ``course_root``, or None.

    Refused: the course's top files, anything inside its ``modules/`` and ``quizzes/``, and the
    course-relative paths in ``also`` (its deck template and logo) — compared after links are
    resolved, so a link to a course file is refused too."""
    try:
        target = out.resolve()
        root = course_root.resolve()
    except (OSError, RuntimeError):  # a loop of links: nothing to write there either
        return f"{out} cannot be resolved to a file"
    try:
        inside = target.relative_to(root)
    except ValueError:
        return None
    parts = inside.parts
    if not parts:
        return f"{out} is the course folder"
    if (len(parts) == 1 and parts[0] in COURSE_TOP_FILES) or parts[0] in COURSE_FOLDERS:
        return f"{out} is a file of the course in {course_root}; write the output elsewhere"
    for name in also:
        try:
            if (root / name).resolve() == target:
                return f"{out} is a file of the course in {course_root}; write the output elsewhere"
        except (OSError, RuntimeError):
            continue
    return None


def course_folder_problem(out: Path, course_root: Path) -> str | None:
    """Why ``out`` (a folder to write files into) may not be used for the course at ``course_root``:
    inside its ``modules/`` or ``quizzes/``, where a stray file could be read as part of the course."""
    try:
        inside = out.resolve().relative_to(course_root.resolve())
    except ValueError:
        return None
    except (OSError, RuntimeError):
        return f"{out} cannot be resolved to a folder"
    if inside.parts and inside.parts[0] in COURSE_FOLDERS:
        return f"{out} is inside the course's {inside.parts[0]}/ folder; write the output elsewhere"
    return None


def umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def replace_file(path: Path, data: bytes, *, sync: bool = False) -> None:
    """``path`` replaced by ``data`` in one step, with the mode a new file of the user gets (0666
    less the umask); ``sync``: on disk before it takes the old file's place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
