"""Zip containers from outside (a deck template; any zip modgen reads): checked before any member is
read, and read within bounds.

A zip says in its central directory how many members it has and how large each is once inflated;
those numbers are read first and bounded (``limits.MAX_ZIP_*``), so a 1 MB file holding a 1 GiB
member is refused in milliseconds instead of being inflated into memory. The directory may lie:
members are inflated a chunk at a time and a member that inflates to more than it declared is
refused as soon as it does.
"""

from __future__ import annotations

import io
import zipfile

from generator import limits

_CHUNK = 1 << 20


class ZipProblem(ValueError):
    """Why a zip cannot be read; ``str()`` is the sentence, naming the file as shown to the user."""


class NotAZip(ZipProblem):
    """The file is no zip archive at all (or its directory is unreadable)."""


class BoundedZip:
    """A zip whose directory was checked against the limits; :meth:`read` inflates within them."""

    def __init__(self, data: bytes, shown: str):
        self.shown = shown
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise NotAZip(f"'{shown}' is not a zip archive ({exc})") from None
        infos = self._zip.infolist()
        if len(infos) > limits.MAX_ZIP_ENTRIES:
            raise ZipProblem(f"'{shown}' holds {len(infos):,} files, more than the limit of "
                             f"{limits.MAX_ZIP_ENTRIES:,}")
        total = 0
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            total += info.file_size
            if total > limits.MAX_ZIP_UNCOMPRESSED:
                raise ZipProblem(f"'{shown}' unpacks to more than {limits.MAX_ZIP_UNCOMPRESSED:,} bytes, the "
                                 f"limit (its part '{info.filename}' alone is {info.file_size:,} bytes)")
            if (info.file_size > limits.MAX_ZIP_RATIO_FROM
                    and info.file_size > limits.MAX_ZIP_RATIO * max(info.compress_size, 1)):
                raise ZipProblem(f"'{shown}': its part '{info.filename}' unpacks {info.file_size:,} bytes from "
                                 f"{info.compress_size:,}, more than {limits.MAX_ZIP_RATIO} times its size (a zip "
                                 f"bomb?)")
            if info.filename in self._infos:
                raise ZipProblem(f"'{shown}' holds two parts named '{info.filename}'")
            self._infos[info.filename] = info
        self._inflated = 0

    def names(self) -> list[str]:
        return list(self._infos)

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """Member ``name`` inflated; :class:`ZipProblem` when it inflates to more than it declared,
        when all members read so far exceed the limit, or when it is damaged."""
        info = self._infos[name]
        chunks, size = [], 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if size > info.file_size:
                        raise ZipProblem(f"'{self.shown}': its part '{name}' unpacks to more than the "
                                         f"{info.file_size:,} bytes it declares — the file is damaged or hostile")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError,
                EOFError, OSError) as exc:
            if isinstance(exc, ZipProblem):
                raise
            raise ZipProblem(f"'{self.shown}': its part '{name}' cannot be unpacked ({exc})") from None
        self._inflated += size
        if self._inflated > limits.MAX_ZIP_UNCOMPRESSED:
            raise ZipProblem(f"'{self.shown}' unpacks to more than {limits.MAX_ZIP_UNCOMPRESSED:,} bytes, the limit")
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()


def check_zip_file(path, shown: str) -> None:
    """Raises :class:`ZipProblem` when the zip file ``path`` is beyond the limits (size on disk, then
    its directory): what ``validate`` checks without reading any member."""
    size = path.stat().st_size
    if size > limits.MAX_ASSET_BYTES:
        raise ZipProblem(f"'{shown}' is {size:,} bytes, more than the limit of {limits.MAX_ASSET_BYTES:,}")
    BoundedZip(path.read_bytes(), shown).close()
