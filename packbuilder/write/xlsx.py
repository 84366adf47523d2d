"""Tables marked ``::: sheet`` → an .xlsx workbook ready to print (openpyxl).

Names are written as text, never as formulas (a name starting with = + - @); each sheet prints on
A4 landscape, one page wide, repeating its header row on every page.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from packbuilder.render.layout import Table
from packbuilder.write.oxml import NB_HYPHEN, fixed_core_times
from packbuilder.write.package import read_parts, write_package

FONT = "Times New Roman"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOTAL_WIDTH = 150  # characters across a landscape A4 sheet


def _sheet_title(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in '[]:*?/\\' else ch for ch in name)[:31] or "Sheet"
    title, i = clean, 2
    while title in used:
        suffix = f" ({i})"
        title = clean[:31 - len(suffix)] + suffix
        i += 1
    used.add(title)
    return title


LINE_HEIGHT = 15  # points per line of 11 pt text


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (Excel's
    column width unit), counting its line breaks; an estimate on the safe side."""
    per_char = 1.0 if bold else 0.9
    return sum(max(1, math.ceil(len(part) * per_char / max(width - 1, 1))) for part in text.split("\n")) or 1


@dataclass
class SheetLayout:
    """Where everything of one sheet goes, before any formatting: the sheet ``title``,
    ``ncols`` columns of ``widths`` characters; the ``approval`` paragraphs in rows 1, 2, …
    from column ``ncols - span + 1`` to ``ncols`` (merged); the ``heading`` lines in the rows
    after them across every column (merged); then, after an empty row, the table from row
    ``first``: ``rows`` of cell values (an int for a number of up to 4 digits outside the
    ``header_rows``, else the text), every row ``ncols`` long."""

    title: str
    ncols: int
    widths: list[float]
    approval: list[str]
    span: int
    heading: list[str]
    first: int
    rows: list[list[str | int]]
    header_rows: int

    def cells(self) -> list[list[str | int | None]]:
        """Every row of the sheet from row 1 as ``ncols`` values, None for an empty cell."""
        out: list[list[str | int | None]] = []
        for text in self.approval:
            out.append([None] * (self.ncols - self.span) + [text] + [None] * (self.span - 1))
        for line in self.heading:
            out.append([line] + [None] * (self.ncols - 1))
        out.append([None] * self.ncols)
        return out + [list(row) for row in self.rows]

    def lines(self) -> list[str]:
        """The sheet's text as :func:`packbuilder.write.text.sheet_lines` reads it back from
        the file: a line per row, cells joined by « | », empty cells as ""."""
        return [" | ".join("" if v is None else str(v) for v in row) for row in self.cells()]


def workbook_layout(tables: list[Table], heading: list[str],
                    approval: list[str] | tuple[str, ...] = ()) -> list[SheetLayout]:
    """The :class:`SheetLayout` of each table with a ``sheet`` name, in order (the sheet
    titles made valid and unique). Raises ValueError when no table has a sheet name."""
    tables = [t for t in tables if t.sheet]
    if not tables:
        raise ValueError("the document has no table marked '::: sheet'")
    used: set[str] = set()
    out = []
    for table in tables:
        texts = [[c.replace(NB_HYPHEN, "-") for c in row] for row in table.text_rows()]  # Excel: a plain hyphen
        ncols = max(len(r) for r in texts)
        rel = table.widths or [1.0] * ncols
        total = sum(rel)
        rows: list[list[str | int]] = []
        for i, row in enumerate(texts):
            cells: list[str | int] = []
            for c in range(ncols):
                text = row[c] if c < len(row) else ""
                short_number = text.isdigit() and len(text) <= 4 and i >= table.header_rows
                cells.append(int(text) if short_number else text)
            rows.append(cells)
        out.append(SheetLayout(
            title=_sheet_title(table.sheet, used), ncols=ncols,
            widths=[max(5.0, round(TOTAL_WIDTH * w / total, 1)) for w in rel],
            approval=list(approval), span=min(ncols, max(2, (ncols + 1) // 2)), heading=list(heading),
            first=len(approval) + len(heading) + 2, rows=rows, header_rows=table.header_rows))
    return out


def write_xlsx(tables: list[Table], path: Path, heading: list[str], created: dt.date,
               approval: list[str] | tuple[str, ...] = ()) -> None:
    """Write ``tables`` (those with a ``sheet`` name) as sheets of ``path``, laid out by
    :func:`workbook_layout`.

    ``approval`` are the approval block's paragraphs («… бұйрығына N-қосымша», «БЕКІТІЛДІ»;
    a paragraph may hold line breaks), put at the top right of each sheet; ``heading`` are
    the lines centred above each table (title, organization).
    Raises ValueError when no table has a sheet name.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for layout in workbook_layout(tables, heading, approval):
        _write_sheet(wb.create_sheet(layout.title), layout)
    stamp = dt.datetime(created.year, created.month, created.day)
    wb.properties.creator = "packbuilder"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps the save time: fix it, write the file once
    parts = read_parts(buf.getvalue())
    write_package(path, parts, {"docProps/core.xml": fixed_core_times(dict(parts)["docProps/core.xml"], created)})


def _write_sheet(ws, layout: SheetLayout) -> None:
    """Fill ``ws`` with ``layout``: fonts, borders, merged cells, row heights for the
    wrapped text, and the print setup (A4 landscape, one page wide, header rows repeated)."""
    ncols = layout.ncols
    for c, width in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    r = 1
    span = layout.span
    for block in layout.approval:
        cell = ws.cell(row=r, column=ncols - span + 1, value=block)
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=11, bold=block.isupper())
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        if span > 1:
            ws.merge_cells(start_row=r, start_column=ncols - span + 1, end_row=r, end_column=ncols)
        capacity = sum(ws.column_dimensions[get_column_letter(c)].width
                       for c in range(ncols - span + 1, ncols + 1))
        ws.row_dimensions[r].height = LINE_HEIGHT * wrapped_lines(block, capacity)
        r += 1
    for line in layout.heading:
        cell = ws.cell(row=r, column=1, value=line)
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=12, bold=(r == 1))
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = max(18, (LINE_HEIGHT + 1) * wrapped_lines(line, TOTAL_WIDTH, bold=True))
        r += 1
    r += 1
    for i, row in enumerate(layout.rows):
        header = i < layout.header_rows
        for c, value in enumerate(row):
            cell = ws.cell(row=r, column=c + 1)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # '=SUM(…)' in a name stays text
            cell.font = Font(name=FONT, size=11, bold=header)
            cell.border = _BORDER
            cell.alignment = _CENTER if header or cell.data_type == "n" else _WRAP
        # Excel and LibreOffice do not grow a row to its wrapped text when printing a file
        # they did not lay out themselves: give each row the height its longest cell needs.
        lines = max(wrapped_lines(str(row[c]), ws.column_dimensions[get_column_letter(c + 1)].width, bold=header)
                    for c in range(ncols))
        ws.row_dimensions[r].height = LINE_HEIGHT * lines
        r += 1
    header_end = layout.first + layout.header_rows - 1
    ws.print_title_rows = f"{layout.first}:{header_end}"
    ws.freeze_panes = ws.cell(row=header_end + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&P / &N"
