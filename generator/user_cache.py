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


def folder(name: str):
    """``<cache>/modgen/<name>`` as a ``Path``; None: keep nothing (asked not to, or no home directory)."""
    base = base_folder()
    if base is None:
        return None
    from pathlib import Path

    return Path(base) / name


def base_folder() -> str | None:
    """``<cache>/modgen``; None: keep nothing."""
    if os.environ.get("MODGEN_NO_USER_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home in ("~", "/", ""):  # no HOME and no account entry (some containers): nothing to keep
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "modgen")


def private(path: str | os.PathLike, create: bool = False) -> bool:
    """True when ``path`` is a directory (not a link) of this user that nobody else can write to."""
    try:
        if create:
            os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def write(path, data: bytes) -> None:
    """Write ``path`` (a ``pathlib.Path``) in one step (a process reading it sees the old file or the
    new one), or not at all."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
