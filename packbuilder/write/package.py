"""Writing Office Open XML packages (.docx, .xlsx) reproducibly: fixed zip entry times and
fixed document times, so that equal content gives equal bytes (DESIGN.md «Output»:
building the same profile twice gives the same documents)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def read_parts(data: bytes) -> list[tuple[str, bytes]]:
    """The parts of a package held in ``data``, as (name, bytes) in their zip order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def fixed_core_times(core_xml: bytes, stamp: dt.date) -> bytes:
    """``docProps/core.xml`` with its created and modified times set to ``stamp`` (midnight UTC)."""
    fixed = stamp.strftime("%Y-%m-%dT00:00:00Z").encode()
    return _CORE_TIMES.sub(rb"\g<1>" + fixed + rb"\g<2>", core_xml)


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
