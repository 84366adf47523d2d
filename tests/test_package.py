"""Packages are zipped byte for byte as zipfile zips them (packbuilder/write/package.py),
with parts deflated beforehand or when written."""

from __future__ import annotations

import io
import zipfile

import pytest

from packbuilder.write.docx import DocxWriter
from packbuilder.write.package import ZIP_TIME, prepare, read_parts, write_package


def zipfile_bytes(parts: list[tuple[str, bytes]]) -> bytes:
    """``parts`` zipped by zipfile as packbuilder wrote packages before it had its own writer."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


PARTS = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", "<w:t>Қазақ тілі</w:t>".encode() * 500),
         ("empty.xml", b""), ("docProps/Ақпарат.xml", b"<x/>")]


def test_a_package_is_zipped_as_zipfile_zips_it(tmp_path):
    write_package(tmp_path / "a.docx", PARTS)
    assert (tmp_path / "a.docx").read_bytes() == zipfile_bytes(PARTS)


def test_prepared_parts_and_replaced_parts_give_the_same_bytes(tmp_path):
    write_package(tmp_path / "a.docx", [prepare(n, d) for n, d in PARTS], {"empty.xml": b"<full/>"})
    assert (tmp_path / "a.docx").read_bytes() == zipfile_bytes([(n, b"<full/>" if n == "empty.xml" else d)
                                                                 for n, d in PARTS])


def test_a_docx_reads_back_part_for_part(tmp_path):
    path = tmp_path / "b.docx"
    base = DocxWriter("kk").base.parts
    write_package(path, base)
    assert read_parts(path.read_bytes()) == [(p.name, p.data) for p in base]
    assert path.read_bytes() == zipfile_bytes([(p.name, p.data) for p in base])


def test_a_part_of_2_gib_is_refused(tmp_path):
    class Huge(bytes):
        def __len__(self):
            return 1 << 31
    huge = prepare("big.xml", b"")
    object.__setattr__(huge, "data", Huge())
    with pytest.raises(ValueError, match="too big for a zip without zip64"):
        write_package(tmp_path / "c.docx", [huge])
