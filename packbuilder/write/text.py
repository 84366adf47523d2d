"""The text of a pack file as lines: a paragraph or a table row of a .docx (cells joined by
« | »), a row of a sheet of an .xlsx.

Two ways to the same lines, kept side by side because they must agree (a test holds them
together on every file of the sample packs):

- from what is about to be written: :func:`blocks_lines` (the layout blocks a .docx is
  written from), :func:`xml_lines` (a rendered Word template's ``word/document.xml``) and
  :meth:`packbuilder.write.xlsx.SheetLayout.lines`;
- from a file on disk: :func:`document_lines`, :func:`sheet_lines` (an old pack's files, the
  parity check).

``packbuilder update`` compares the new pack's documents with the old pack's files this way,
so a new document is never read back from disk to learn what was just rendered.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from lxml import etree

from packbuilder.render.layout import Block, Paragraph, Run, Table
from packbuilder.write.oxml import NB_HYPHEN, clean

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LABELLED = ("point", "item")
"""Paragraph kinds written with their label («5.», «–») in front of the text."""


def document_text(path: Path) -> str:
    """All the text of a .docx (body paragraphs and table cells, in order, a line each) or of an
    .xlsx (every cell value of every sheet, a line per row, cells joined by « | »)."""
    return "\n".join(document_lines(path))


def document_lines(path: Path, skip_sheets: tuple[str, ...] = (), spaced: bool = False) -> list[str]:
    """The lines of :func:`document_text`; the xlsx sheets named in ``skip_sheets`` are left
    out; with ``spaced`` a docx line break or tab reads as a space (the words either side
    stay apart). Raises ValueError for a file that is neither .docx nor .xlsx, OSError or
    zipfile.BadZipFile when it cannot be read."""
    path = Path(path)
    if path.suffix == ".xlsx":
        return [line for title, lines in sheet_lines(path) if title not in skip_sheets for line in lines]
    if path.suffix != ".docx":
        raise ValueError(f"{path.name}: not a .docx or .xlsx file")
    with zipfile.ZipFile(path) as z:
        return xml_lines(z.read("word/document.xml"), spaced)


def xml_lines(document_xml: bytes, spaced: bool = False) -> list[str]:
    """The lines of a ``word/document.xml``: each paragraph of the body, each row of each
    table (nested tables' rows included) with its cells' texts joined by « | »; with
    ``spaced`` a ``w:br`` or ``w:tab`` of a run reads as a space, else only ``w:t`` texts
    count (a paragraph's tab stops, ``w:tabs/w:tab``, are not text); a ``w:noBreakHyphen``
    reads as «-»."""
    body = etree.fromstring(document_xml).find(_W + "body")
    tags = (_W + "t", _W + "noBreakHyphen") + ((_W + "br", _W + "tab") if spaced else ())

    def text(el) -> str:
        return "".join((t.text or "") if t.tag == _W + "t" else "-" if t.tag == _W + "noBreakHyphen" else " "
                       for t in el.iter(*tags) if t.tag != _W + "tab" or t.getparent().tag == _W + "r")

    lines = []
    for block in (body if body is not None else ()):
        if block.tag == _W + "p":
            lines.append(text(block))
        elif block.tag == _W + "tbl":
            for row in block.iter(_W + "tr"):
                lines.append(" | ".join(text(c) for c in row if c.tag == _W + "tc"))
    return lines


def sheet_lines(path: Path) -> list[tuple[str, list[str]]]:
    """The sheets of an .xlsx as (title, lines): a line per row, cells joined by « | »."""
    wb = openpyxl.load_workbook(str(path), read_only=True)
    try:
        return [(ws.title, [" | ".join("" if v is None else str(v) for v in row)
                            for row in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


def runs_text(runs: list[Run]) -> str:
    """The text of ``runs`` as a .docx or .xlsx reads back: line breaks and tabs as spaces,
    Word's non-breaking hyphen as «-» (the .xlsx writer writes a plain hyphen)."""
    return "".join(clean(r.text) for r in runs).replace("\n", " ").replace("\t", " ").replace(NB_HYPHEN, "-")


def paragraph_line(block: Paragraph) -> str:
    """The text of ``block`` as written to a .docx and read back with spaces for breaks and
    tabs: the label and a space for a point or item, the signature's two sides a space apart."""
    if block.kind == "signature":
        return runs_text(block.runs) + " " + runs_text(block.right)
    label = clean(block.label + " ") if block.kind in _LABELLED and block.label else ""
    return label.replace("\t", " ") + runs_text(block.runs)


def blocks_lines(blocks: list[Block]) -> list[str]:
    """The lines :func:`document_lines` with ``spaced`` reads from the .docx that
    :class:`packbuilder.write.docx.DocxWriter` writes from ``blocks``, empty lines (page and
    section breaks) left out."""
    lines = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(paragraph_line(block))
        elif isinstance(block, Table):
            ncols = max(len(r) for r in block.rows)
            for row in block.rows:
                lines.append(" | ".join(runs_text(row[c]) if c < len(row) else "" for c in range(ncols)))
    return [line for line in lines if line.replace("|", "").strip()]
