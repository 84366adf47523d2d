"""Writing Office Open XML packages (.docx, .xlsx) reproducibly: fixed zip entry times, so
that equal parts give equal bytes (DESIGN.md «Output»: building the same profile twice gives
the same documents). The document times inside a package are fixed by the core properties
writer, :func:`packbuilder.write.oxml.core_properties_xml`."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def read_parts(data: bytes) -> list[tuple[str, bytes]]:
    """The parts of a package held in ``data``, as (name, bytes) in their zip order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_package(path: Path, parts, replace: dict[str, bytes] | None = None) -> None:
    """Zip ``parts`` ((name, bytes) pairs, in order; ``replace`` maps a name to the bytes
    written instead) to ``path``, every entry deflated with the time 1980-01-01 00:00."""
    replace = replace or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, replace.get(name, data))
