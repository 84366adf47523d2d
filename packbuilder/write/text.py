"""The text of a written pack file, as lines: a paragraph or a table row of a .docx, a row
of a sheet of an .xlsx. What ``update`` compares between two versions of a document and the
parity check reads.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def document_text(path: Path) -> str:
    """All the text of a .docx (body paragraphs and table cells, in order, a line each) or of an
    .xlsx (every cell value of every sheet, a line per row, cells joined by « | »)."""
    return "\n".join(document_lines(path))


def document_lines(path: Path, skip_sheets: tuple[str, ...] = (), spaced: bool = False) -> list[str]:
    """The lines of :func:`document_text`; the xlsx sheets named in ``skip_sheets`` are left
    out; with ``spaced`` a docx line break or tab reads as a space (the words either side
    stay apart). Raises ValueError for a file that is neither .docx nor .xlsx."""
    path = Path(path)
    if path.suffix == ".xlsx":
        return [line for title, lines in sheet_lines(path) if title not in skip_sheets for line in lines]
    if path.suffix != ".docx":
        raise ValueError(f"{path.name}: not a .docx or .xlsx file")
    body = docx.Document(str(path)).element.body
    tags = (_W + "t", _W + "br", _W + "tab") if spaced else (_W + "t",)

    def text(el) -> str:
        return "".join((t.text or "") if t.tag == _W + "t" else " " for t in el.iter(*tags))

    lines = []
    for block in body.iterchildren():
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
