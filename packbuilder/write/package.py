"""Writing Office Open XML packages (.docx, .xlsx) reproducibly: fixed zip entry times, so
that equal parts give equal bytes (building the same profile twice gives the same documents). The document times inside a package are fixed by the core properties
writer, :func:`packbuilder.write.oxml.core_properties_xml`.

The zip is written here rather than by :mod:`zipfile`, byte for byte as ``zipfile`` writes it
(``tests/test_package.py`` compares the two), because ``zipfile`` deflates every part again
for every file: a part prepared once (:func:`prepare`), as the parts of the styled base that
every docx of a language shares (most of a package's bytes), is deflated once per process.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_TIME, _DOS_DATE = 0, (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_VERSION = 20  # the zip version needed to extract a deflated entry, as zipfile writes it
_SYSTEM = 0 if sys.platform == "win32" else 3  # the «made by» system, as zipfile writes it
_MODE = 0o644 << 16  # the entry's Unix permissions: rw-r--r--
_UTF8_NAME = 0x800
_LIMIT = (1 << 31) - 1  # zipfile's ZIP64_LIMIT: bigger packages would need zip64 records
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Part:
    """A package part ready to be zipped: its ``name``, its bytes ``data``, their CRC-32
    ``crc`` and their raw deflate stream ``deflated`` (zlib's default level, as zipfile
    writes them)."""

    name: str
    data: bytes
    crc: int
    deflated: bytes


def prepare(name: str, data: bytes) -> Part:
    """The part ``name`` holding ``data``, deflated: for parts written into many packages."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Part(name, data, zlib.crc32(data), compressor.compress(data) + compressor.flush())


def read_parts(data: bytes) -> list[tuple[str, bytes]]:
    """The parts of a package held in ``data``, as (name, bytes) in their zip order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_package(path: Path, parts: Iterable[tuple[str, bytes] | Part],
                  replace: dict[str, bytes] | None = None) -> None:
    """Zip ``parts`` (in order: (name, bytes) pairs, or :class:`Part` prepared beforehand;
    ``replace`` maps a name to the bytes written instead) to ``path``, every entry deflated
    with the time 1980-01-01 00:00. Raises ValueError for a part of 2 GiB or more, or more
    than 65535 parts (zip64 records are not written)."""
    replace = replace or {}
    central = []
    offset = 0
    with open(path, "wb") as f:
        for part in parts:
            name = part.name if isinstance(part, Part) else part[0]
            if name in replace:
                part = prepare(name, replace[name])
            elif not isinstance(part, Part):
                part = prepare(*part)
            if len(part.data) * 1.05 > _LIMIT or offset > _LIMIT:
                raise ValueError(f"{path}: {name} is too big for a zip without zip64 records")
            try:
                encoded, flags = name.encode("ascii"), 0
            except UnicodeEncodeError:
                encoded, flags = name.encode("utf-8"), _UTF8_NAME
            sizes = (part.crc, len(part.deflated), len(part.data), len(encoded))
            header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                                 *sizes, 0)
            f.write(header + encoded)
            f.write(part.deflated)
            central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, flags, zipfile.ZIP_DEFLATED,
                                         _DOS_TIME, _DOS_DATE, *sizes, 0, 0, 0, 0, _MODE, offset) + encoded)
            offset += len(header) + len(encoded) + len(part.deflated)
        if len(central) > 0xFFFF or offset > _LIMIT:
            raise ValueError(f"{path}: more than 65535 parts or 2 GiB need zip64 records")
        directory = b"".join(central)
        f.write(directory)
        f.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))
