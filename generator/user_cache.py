"""The user's own cache folder: ``$XDG_CACHE_HOME/modgen``, else ``~/.cache/modgen``.

What one modgen process works out and the next can use again — compiled page templates
(``html``), the digest of the generator's own files (``cache.generator_fingerprint``) — is kept
here, like Python's ``__pycache__``: never in the course or in ``OUT``, which may come from someone
else. A folder is used only when it is a real directory of this user that nobody else can write
to; otherwise nothing is read from it or written to it. ``MODGEN_NO_USER_CACHE=1`` keeps nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def folder(name: str) -> Path | None:
    """``<cache>/modgen/<name>``; None: keep nothing (asked not to, or no home directory)."""
    if os.environ.get("MODGEN_NO_USER_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            home = Path.home()
        except RuntimeError:  # no HOME and no account entry (some containers): nothing to keep
            return None
        if home == Path("/"):
            return None
        base = home / ".cache"
    return Path(base) / "modgen" / name


def private(path: Path, create: bool = False) -> bool:
    """True when ``path`` is a directory (not a link) of this user that nobody else can write to."""
    try:
        if create:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def write(path: Path, data: bytes) -> None:
    """Write ``path`` in one step (a process reading it sees the old file or the new one), or not at all."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
