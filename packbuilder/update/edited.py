"""An officer's file read back into layout blocks: the .docx with python-docx, the .xlsx with
openpyxl, so that the three-way merge (:mod:`packbuilder.update.merge`) compares it with
what packbuilder generated block by block.

What an office suite keeps of a document is its text, its paragraphs and table rows, the
paragraph styles and the runs' bold, italic and underline; Word and LibreOffice rewrite the
rest (run boundaries, fonts, style names of their own), so nothing else is read. A point's
label («5.», «–») is read from the start of its text, as packbuilder writes it.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree
from openpyxl.utils.exceptions import InvalidFileException

from packbuilder.pack.revisions import CHANGE_SHEET_TITLE
from packbuilder.render.layout import Block, Paragraph, Run, Table
from packbuilder.write.formats import HEADING_STYLES
from packbuilder.write.xlsx import SheetLayout

UNREADABLE_ERRORS = (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError, etree.LxmlError,
                     InvalidFileException)
"""What python-docx and openpyxl raise for a file that is not (any longer) a Word or Excel
file: saved as .doc, truncated, encrypted, another format under the same name."""
LABEL = re.compile(r"^\s*(\d{1,3}\.|[–-])\s+")
"""A point's («12.») or an item's («–») label at the start of a paragraph's text."""
_KIND_OF_STYLE = {style.lower(): kind for kind, style in HEADING_STYLES.items()}
_KIND_OF_STYLE.update({"heading 1": "title", "heading 2": "chapter", "heading 3": "heading"})


def _runs(p: DocxParagraph) -> list[Run]:
    """The runs of ``p`` (those inside hyperlinks too), merged where their formatting is
    the same; a tab reads as ``\\t``, a line break as ``\\n``."""
    out: list[Run] = []
    for item in p.iter_inner_content():
        for r in getattr(item, "runs", [item]):
            if not r.text:
                continue
            run = Run(r.text, bool(r.bold), bool(r.italic), bool(r.underline))
            if out and (out[-1].bold, out[-1].italic, out[-1].underline) == (run.bold, run.italic, run.underline):
                out[-1] = Run(out[-1].text + run.text, run.bold, run.italic, run.underline)
            else:
                out.append(run)
    return out


def strip_label(runs: list[Run]) -> tuple[str, list[Run]]:
    """(label, runs without it) when the runs' text starts with a point's or item's label
    (:data:`LABEL`), else ("", runs)."""
    text = "".join(r.text for r in runs)
    m = LABEL.match(text)
    if not m:
        return "", runs
    cut, out = m.end(), []
    for r in runs:
        if cut >= len(r.text):
            cut -= len(r.text)
            continue
        out.append(Run(r.text[cut:], r.bold, r.italic, r.underline))
        cut = 0
    return m.group(1).replace("-", "–"), out


def paragraph_block(p: DocxParagraph) -> Paragraph:
    """``p`` as a layout paragraph: a heading by its style (Heading 1–3: title, chapter,
    heading), a point or item by its label, otherwise body text."""
    runs = _runs(p)
    style = (p.style.style_id if p.style is not None else "") or ""
    name = (p.style.name if p.style is not None else "") or ""
    kind = _KIND_OF_STYLE.get(style.lower()) or _KIND_OF_STYLE.get(name.lower())
    if kind:
        return Paragraph(kind, runs)
    label, rest = strip_label(runs)
    if label:
        return Paragraph("item" if label == "–" else "point", rest, label=label)
    return Paragraph("body", runs)


def _cell_runs(tc, parent) -> list[Run]:
    """A table cell's runs, its paragraphs joined by line breaks."""
    out: list[Run] = []
    for p in tc.iterchildren(qn("w:p")):
        runs = _runs(DocxParagraph(p, parent))
        if out and runs:
            out.append(Run("\n"))
        out.extend(runs)
    return out


def docx_blocks(path: Path, lang: str) -> list[Block]:
    """The body of the .docx at ``path`` as layout blocks, without what follows the change
    sheet's heading (:data:`packbuilder.pack.revisions.CHANGE_SHEET_TITLE` of ``lang``):
    a paragraph per ``w:p``, a table per ``w:tbl`` (its rows' cells as runs; rows marked as
    repeated header rows are its header). Raises OSError, ValueError or KeyError
    (python-docx) when the file is not a readable Word document."""
    document = docx.Document(str(path))
    body = document.element.body
    blocks: list[Block] = []
    for el in body.iterchildren():
        if el.tag == qn("w:p"):
            block = paragraph_block(DocxParagraph(el, document))
            if block.text.strip() == CHANGE_SHEET_TITLE[lang]:
                break
            blocks.append(block)
        elif el.tag == qn("w:tbl"):
            rows, header = [], 0
            for tr in el.iter(qn("w:tr")):
                rows.append([_cell_runs(tc, document) for tc in tr.iterchildren(qn("w:tc"))])
                if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None and header == len(rows) - 1:
                    header += 1
            if rows:
                blocks.append(Table(rows, header or 1))
    return blocks


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y}" if value.time() == dt.time() else f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_tables(path: Path, sheets: list[SheetLayout]) -> list[Table]:
    """The tables of the .xlsx at ``path`` that packbuilder wrote as ``sheets``: for each, a
    table of the rows from the first row of its table (``first``; when the header is not
    there, the first row among the next ones that reads as its header: a layout of another
    version, rows inserted above) on, ``ncols`` cells each, values as text (dates
    dd.mm.yyyy), without the lines packbuilder writes under it (:meth:`SheetLayout.after`:
    the signature line, where they still read as written); empty rows at the end beyond the
    rows written are dropped (an office suite may save formatted empty rows); a sheet the
    workbook no longer has gives an empty table.
    Raises OSError or zipfile.BadZipFile when it cannot be read."""
    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        out = []
        for s in sheets:
            rows = []
            if s.title in wb.sheetnames:
                values = list(wb[s.title].iter_rows(min_row=1, max_col=s.ncols, values_only=True))
                rows = [[_cell_text(v) for v in row] + [""] * (s.ncols - len(row)) for row in values]
                header = ["" if v is None else str(v) for v in s.rows[0]] if s.rows else None
                start = s.first - 1
                if header is not None and rows[start:start + 1] != [header]:
                    start = next((i for i in range(max(0, start - 10), min(len(rows), start + 30))
                                  if rows[i] == header), start)
                rows = _without_after(rows[start:], s.after())
                while len(rows) > len(s.rows) and not any(rows[-1]):
                    rows.pop()
            out.append(Table([[[Run(c)] if c else [] for c in row] for row in rows], s.header_rows, sheet=s.title))
        return out
    finally:
        wb.close()


def _without_after(rows: list[list[str]], after: list[list]) -> list[list[str]]:
    """``rows`` without the last run of rows reading as the non-empty rows of ``after``."""
    written = [["" if v is None else str(v) for v in row] for row in after if any(v is not None for v in row)]
    for i in range(len(rows) - len(written), -1, -1):
        if written and rows[i:i + len(written)] == written:
            return rows[:i] + rows[i + len(written):]
    return rows
