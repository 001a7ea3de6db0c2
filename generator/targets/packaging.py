"""Zip packages and XML files whose bytes depend only on their content.

Every packaged export (QTI, SCORM) is written through here: entries sorted by name, a fixed
timestamp and fixed permissions, so the same course gives the same bytes on every build.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
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


class Member:
    """A zip member's content as ``zipfile`` stores it with ``ZIP_DEFLATED`` at the default level
    (raw deflate from the same ``zlib.compressobj`` parameters), with its CRC-32 and size: what
    :class:`_ZipWriter` copies into a deck as it is."""

    __slots__ = ("data", "crc", "size")

    def __init__(self, data: bytes, crc: int, size: int):
        self.data = data
        self.crc = crc
        self.size = size

    @classmethod
    def deflate(cls, blob: bytes) -> Member:
        # The calls zipfile makes for one writestr (compress once, then flush), so the same bytes.
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        return cls(compressor.compress(blob) + compressor.flush(), zlib.crc32(blob), len(blob))

    def inflate(self) -> bytes:
        return zlib.decompress(self.data, -15)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Member) and (self.data, self.crc, self.size) == (other.data, other.crc, other.size)

    def __repr__(self) -> str:
        return f"Member({self.size} bytes, crc {self.crc:08x})"


def write_members(path: Path, members: Mapping[str, Member]) -> Path:
    """Write already deflated ``members`` (archive name → member) to ``path``: the bytes
    ``write_zip`` writes for their contents, without compressing them again."""
    zip_ = ZipWriter()
    for name in sorted(members):
        zip_.add(name, members[name])
    path.write_bytes(zip_.close())
    return path


def encode_named(members: Mapping[str, Member]) -> bytes:
    """Named members as bytes, to keep between jobs (``Job.shared``): a line of JSON (each name,
    CRC, size and deflated length), then the deflated bytes."""
    head = json.dumps([[name, m.crc, m.size, len(m.data)] for name, m in members.items()]).encode()
    return b"".join([head, b"\n", *(m.data for m in members.values())])


def decode_named(data: bytes) -> dict[str, Member]:
    end = data.index(b"\n")
    at = end + 1
    members = {}
    for name, crc, size, length in json.loads(data[:end]):
        members[name] = Member(data[at:at + length], crc, size)
        at += length
    if at != len(data):
        raise ValueError(f"named members with {len(data) - at} bytes too many")
    return members


# The records zipfile writes for a ZipInfo dated 1980-01-01 00:00 with mode 0o644, stored with
# ZIP_DEFLATED by ``writestr`` into a seekable file (so no data descriptor, and the local header
# holds the CRC and sizes): its formats and field values, taken from zipfile where it has them.
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
_END = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive
_END64 = struct.Struct("<4sQ2H2L4Q")  # zipfile.structEndArchive64
_END64_LOCATOR = struct.Struct("<4sLQL")  # zipfile.structEndArchive64Locator
_INFO = zipfile.ZipInfo("member", date_time=(1980, 1, 1, 0, 0, 0))
# A new ZipInfo's: what zipfile writes for a deflated member (0 reserved, internal attributes, disk).
_CREATE_VERSION, _CREATE_SYSTEM, _EXTRACT_VERSION = _INFO.create_version, _INFO.create_system, _INFO.extract_version
_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1
_DOS_TIME = 0
_MODE = 0o644 << 16
_UTF8_NAME = 0x800  # the flag zipfile sets for a name that is not ASCII


class ZipWriter:
    """Writes a zip of deflated members, byte for byte what ``zipfile.ZipFile(f, "w", ZIP_DEFLATED)``
    writes for the same members with ``writestr`` (see ``_FixedZip`` in
    ``tests/targets/test_deck_package.py``, which the tests compare it with) — without compressing
    them again, and without zipfile's per-member work (two local headers, a writer object, seeks).

    A member or zip of 2 GiB or more would need ZIP64 fields in its headers; such a zip is written
    by zipfile itself (from the members inflated again), as before.
    """

    def __init__(self):
        self.chunks: list[bytes] = []
        self.central: list[bytes] = []
        self.offset = 0
        self.members: list[tuple[str, Member]] = []
        self.large = False

    def add(self, name: str, member: Member) -> None:
        self.members.append((name, member))
        if name.isascii():
            encoded, flags = name.encode(), 0
        else:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        data, size, crc, offset = member.data, member.size, member.crc, self.offset
        length = len(data)
        # zipfile starts a ZIP64 local header when the size could pass the limit once compressed.
        limit = zipfile.ZIP64_LIMIT
        if size * 1.05 > limit or length > limit or offset > limit:
            self.large = True
        header = _LOCAL.pack(b"PK\x03\x04", _EXTRACT_VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                             crc, length, size, len(encoded), 0)
        self.chunks += (header, encoded, data)
        self.central += (_CENTRAL.pack(b"PK\x01\x02", _CREATE_VERSION, _CREATE_SYSTEM, _EXTRACT_VERSION, 0, flags,
                                       zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, crc, length, size, len(encoded),
                                       0, 0, 0, 0, _MODE, offset), encoded)
        self.offset = offset + len(header) + len(encoded) + length

    def close(self) -> bytes:
        """The zip: the members, the central directory and its end record."""
        if self.large:
            return _zipfile_write(self.members)
        central = b"".join(self.central)
        count, size, offset = len(self.members), len(central), self.offset
        if offset + size > zipfile.ZIP64_LIMIT:
            return _zipfile_write(self.members)
        end = []
        if count > 0xFFFF:  # zipfile's ZIP_FILECOUNT_LIMIT: the count goes into ZIP64 end records
            end.append(_END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, offset))
            end.append(_END64_LOCATOR.pack(b"PK\x06\x07", 0, offset + size, 1))
            count = 0xFFFF
        end.append(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, offset, 0))
        return b"".join([*self.chunks, central, *end])


def _zipfile_write(members: list[tuple[str, Member]]) -> bytes:
    """The zip as zipfile writes it, for what :class:`ZipWriter` does not write itself."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, member in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _MODE
            z.writestr(info, member.inflate())
    return out.getvalue()


def xml_bytes(root: etree._Element) -> bytes:
    """An element as a UTF-8 XML document with declaration, indented."""
    from lxml import etree

    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
