"""Tables marked ``::: sheet`` → an .xlsx workbook ready to print and sign (openpyxl).

Names are written as text, never as formulas (a name starting with = + - @). Each sheet is
laid out for A4 landscape: the approval block at the top right, the sheet's heading (title
bold, then the organization), the table with its header rows repeated on every page, and,
under a signed table, the signature line of the person who keeps it. Rows get the height
their wrapped text needs, since neither Excel nor LibreOffice grows a row when printing a
file they did not lay out themselves; rows filled in by hand are tall enough to sign in.

Widths and the print scale (the arithmetic of :func:`print_fit`):

- An Excel column width ``w`` is in characters of the workbook's Normal font (its maximum
  digit width, the cell padding included; ECMA-376 part 1, §18.3.1.13): Excel draws it
  ``trunc(((256·w + trunc(128/7))/256)·7)`` ≈ 7·w pixels at 96 dpi, 7 px being the maximum
  digit width of Calibri 11 and of Times New Roman 11 alike, so 7 × 25.4 / 96 = 1.852 mm a
  unit at 100 %. LibreOffice draws a unit of a Times New Roman Normal font as 5.5 pt =
  1.940 mm (measured: LibreOffice 7.4, Liberation Serif, 10 units = 55.0 pt). The workbook's Normal font is set
  to Times New Roman 11, the cells' font: with openpyxl's Calibri Normal font a machine
  without Calibri (LibreOffice falling back to DejaVu Sans) drew a unit 2.47 mm wide and
  printed the journals at 73 %.
- :data:`UNIT_MM` takes the wider of the two, 1.940 mm, so that a sheet computed to fit one
  page wide fits in both (in Excel it then takes 95 % of the width it is given).
- A4 landscape is 297 mm wide; with left and right margins of 0.5 in (12.7 mm) each,
  :data:`PRINTABLE_MM` = 271.6 mm; less a 2 % reserve for the rounding of widths to pixels
  and twips (140 units, 770.0 pt, printed one column over onto a second page in
  LibreOffice: 769.9 pt fit), :data:`USABLE_MM` = 266.2 mm, that is 137.2 units at 100 %;
  the columns of a table share :data:`TOTAL_WIDTH` = 136 of them in proportion to its
  ``::: widths``.
- scale = min(100, ⌊100 × 266.2 / (1.940 × Σw)⌋) %, set explicitly (no fit-to-width). Never
  below :data:`MIN_SCALE` (85 %): a table that would need less (many columns at their
  minimum width) has its widest columns narrowed, wrapping more, until it fits at 85 %.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.borders import DEFAULT_BORDER
from openpyxl.styles.named_styles import NamedStyle, NamedStyleList
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break as RowBreak

from packbuilder.i18n import _
from packbuilder.render.layout import Block, Paragraph, Table
from packbuilder.write.oxml import NB_HYPHEN, fixed_core_times
from packbuilder.write.package import read_parts, write_package

FONT = "Times New Roman"
FONT_SIZE = 11
"""The font of every cell, in points; the heading lines are 12 pt."""
HEADING_SIZE = 12
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 297.0, 210.0
"""A4 landscape."""
MARGIN_LR_IN = 0.5
MARGIN_TB_IN = 0.6
"""Page margins, inches (what openpyxl and the file store): left and right, top and bottom."""
PRINTABLE_MM = PAGE_WIDTH_MM - 2 * MARGIN_LR_IN * 25.4
"""271.6 mm: the width a sheet prints across."""
USABLE_MM = 0.98 * PRINTABLE_MM
"""266.2 mm: the printable width less a 2 % reserve for rounding (module docstring)."""
UNIT_MM = 5.5 * 25.4 / 72
"""1.940 mm: a unit of column width on paper at 100 % (module docstring)."""
TOTAL_WIDTH = math.floor(USABLE_MM / UNIT_MM) - 1
"""136: units of column width across the usable width of A4 landscape at 100 % (137.2),
less one for the widths rounded to 0.1 unit."""
MIN_SCALE = 85
"""The smallest print scale, per cent: 11 pt text prints no smaller than 9.35 pt."""
MIN_WIDTH = 5.0
"""The narrowest column, units."""
MIN_NARROWED = 10.0
"""The narrowest :func:`print_fit` makes a column it narrows: about 8 characters a line."""

LINE_HEIGHT = 15
"""Points per line of 11 pt text in a wrapped cell (Times New Roman's 12.65 pt line and room)."""
HEADING_LINE_HEIGHT = 16
"""Points per line of a 12 pt heading line."""
ENTRY_ROW_HEIGHT = 26.0
"""The least height of a row written or signed by hand: 9 mm = 25.5 pt, rounded up."""
TEXT_ROW_HEIGHT = 18.0
"""The least height of a body row of a table printed as it is (the plan): 6.4 mm."""
HEADER_ROW_HEIGHT = 20.0
"""The least height of a header row."""
SPACER_HEIGHT = 15.0
"""The empty row above a table and above its signature line."""
KEEP_ROWS = 2
"""Body rows that go to the next page with the signature line when it would not fit under them."""

_SIGNED_COLUMN = re.compile(r"подпис|қолы", re.IGNORECASE)
"""A header cell asking for a signature: «Подпись», «Подпись работника», «(Ф.И.О., подпись)»,
«Қолы», «Жұмыскердің қолы»."""
_BLANK_LINE = "___"


def _sheet_title(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in '[]:*?/\\' else ch for ch in name)[:31] or "Sheet"
    title, i = clean, 2
    while title in used:
        suffix = f" ({i})"
        title = clean[:31 - len(suffix)] + suffix
        i += 1
    used.add(title)
    return title


_WORD = re.compile(r"(\s*)([^\s-]+-?|-)")
"""A piece a line may break after, with the spaces before it: a word, or a part of a
hyphenated word up to its hyphen (Excel and LibreOffice break after a hyphen)."""


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (Excel's
    column width unit), counting its line breaks; an estimate on the safe side: words are
    wrapped as a line holds them, a line holding (width - 2) / 1.05 characters, in bold
    (width - 2) / 1.1 (two units for the cell's padding); a word longer than a line is
    broken where the line ends.

    Measured on the 1 750 table cells of the three sample packs (Times New Roman 11 as
    Liberation Serif's advance widths lay it out, wrapped at Excel's 7 px a unit less 5 px
    of padding, and at LibreOffice's 5.5 pt): no cell takes more lines than this counts,
    where one unit of padding undercounts «Хирургиялық бөлімше» in 21 units and «Жауапты
    орындаушы» in bold in 20.6 (wide letters; 0.475 em a character on average, 0.514 for
    nine strings in ten; in bold 0.508 and 0.557), and 1.0 a character 17 cells."""
    room = (width - 2) / (1.1 if bold else 1.05)  # characters a line holds
    room = max(room, 1.0)
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0.0
        for m in _WORD.finditer(part):
            size = len(m.group(2))
            space = 1 if m.group(1) and used else 0
            if used and used + space + size <= room:
                used += space + size
                continue
            if used:
                lines += 1
            extra = max(0, math.ceil(size / room) - 1)
            lines += extra
            used = size - extra * room
        total += lines
    return max(total, 1)


def filled_by_hand(rows: list[list[str]], header_rows: int) -> bool:
    """Whether a table (cell texts ``rows``, the first ``header_rows`` the header) is a form
    written or signed by hand — a journal, a register, a change sheet: a header cell asks for
    a signature (:data:`_SIGNED_COLUMN`), or a body cell is left blank to fill in (empty, or
    a blank line «___»). Its body rows are then at least :data:`ENTRY_ROW_HEIGHT` high."""
    if any(_SIGNED_COLUMN.search(c) for row in rows[:header_rows] for c in row):
        return True
    return any(not c.strip() or _BLANK_LINE in c for row in rows[header_rows:] for c in row)


def header_fit(widths: list[float], header: list[list[str]]) -> list[float]:
    """``widths`` (units) with every column wide enough for the longest word of its
    ``header`` cells in bold (1.1 units a character and two for the padding, as
    :func:`wrapped_lines` counts), so that no header word is broken: what the narrow
    columns gain is taken from the others in proportion to what they have over their own
    need; the sum stays the same when it can."""
    need = [max([len(w) * 1.1 + 2 for row in header for w in re.split(r"[\s/]+", row[c] if c < len(row) else "")]
                + [MIN_WIDTH]) for c in range(len(widths))]
    short = sum(max(0.0, n - w) for w, n in zip(widths, need))
    slack = sum(max(0.0, w - n) for w, n in zip(widths, need))
    if not short:
        return list(widths)
    take = min(1.0, short / slack) if slack else 0.0
    return [round(n if w < n else w - (w - n) * take, 1) for w, n in zip(widths, need)]


def print_fit(widths: list[float]) -> tuple[list[float], int]:
    """The column ``widths`` (units) as printed and the print scale (per cent) that puts them
    one page wide on A4 landscape: scale = min(100, ⌊100 × :data:`USABLE_MM` /
    (:data:`UNIT_MM` × Σ widths)⌋). When that is below :data:`MIN_SCALE`, the widest columns
    are narrowed to one width (no narrower than :data:`MIN_NARROWED`, nor than they were)
    so that the sum fits at :data:`MIN_SCALE`; if even that does not fit (dozens of
    columns), the scale stays at :data:`MIN_SCALE` and the sheet prints more than a page wide."""

    def scale_of(ws: list[float]) -> int:
        return min(100, math.floor(100 * USABLE_MM / (UNIT_MM * sum(ws))))

    if scale_of(widths) >= MIN_SCALE:
        return list(widths), scale_of(widths)
    limit = USABLE_MM * 100 / (UNIT_MM * MIN_SCALE)  # the widest sum that prints at 85 %
    ordered = sorted(widths, reverse=True)
    cap = MIN_NARROWED
    for k in range(1, len(ordered) + 1):  # cap the k widest columns at one width
        rest = sum(ordered[k:])
        c = (limit - rest) / k
        if k == len(ordered) or c >= ordered[k]:
            cap = max(MIN_NARROWED, math.floor(c * 10) / 10)
            break
    fitted = [min(w, cap) if w > cap else w for w in widths]
    return fitted, max(MIN_SCALE, scale_of(fitted))


@dataclass
class SheetLayout:
    """Where everything of one sheet goes, before any formatting: the sheet ``title``,
    ``ncols`` columns of ``widths`` units (Excel's column width: :func:`print_fit`) printed
    at ``scale`` per cent; the ``approval`` paragraphs in rows 1, 2, … from column
    ``ncols - span + 1`` to ``ncols`` (merged); the ``heading`` lines in the rows after them
    across every column (merged; the first is the title, bold); then, after an empty row,
    the table from row ``first``: ``rows`` of cell values (an int for a number of up to 4
    digits outside the ``header_rows``, else the text), every row ``ncols`` long; ``form``
    when it is filled in by hand (:func:`filled_by_hand`). A signed table is followed by an
    empty row, the ``footer`` lines («Ответственный за ведение журнала:») and the
    ``signature`` line (position, a line to sign on, initials)."""

    title: str
    ncols: int
    widths: list[float]
    approval: list[str]
    span: int
    heading: list[str]
    first: int
    rows: list[list[str | int]]
    header_rows: int
    form: bool = False
    scale: int = 100
    footer: list[str] = field(default_factory=list)
    signature: tuple[str, str] | None = None

    def signature_columns(self) -> tuple[int, int]:
        """(a, b): the signature line's position is in columns 1..a, the line to sign on in
        a+1..b, the initials from b+1 (1-based): the position takes the columns up to 30 %
        of the width, the line the next ones up to 15 % more."""
        total = sum(self.widths)
        cum = [sum(self.widths[:i + 1]) for i in range(self.ncols)]
        a = next((i + 1 for i, x in enumerate(cum) if x >= 0.3 * total), self.ncols)
        a = max(1, min(a, self.ncols - 2))
        b = next((i + 1 for i, x in enumerate(cum) if i + 1 > a and x - cum[a - 1] >= 0.15 * total), self.ncols)
        return a, max(a + 1, min(b, self.ncols - 1))

    def after(self) -> list[list[str | None]]:
        """The rows under the table, each ``ncols`` values: none for a table not signed;
        else an empty row, the footer lines, the signature line."""
        if self.signature is None:
            return []
        out: list[list[str | None]] = [[None] * self.ncols]
        out += [[line] + [None] * (self.ncols - 1) for line in self.footer]
        position, initials = self.signature
        if self.ncols < 3:
            return out + [[f"{position} ____________ {initials}"] + [None] * (self.ncols - 1)]
        b = self.signature_columns()[1]
        return out + [[position] + [None] * (b - 1) + [initials] + [None] * (self.ncols - b - 1)]

    def cells(self) -> list[list[str | int | None]]:
        """Every row of the sheet from row 1 as ``ncols`` values, None for an empty cell."""
        out: list[list[str | int | None]] = []
        for text in self.approval:
            out.append([None] * (self.ncols - self.span) + [text] + [None] * (self.span - 1))
        for line in self.heading:
            out.append([line] + [None] * (self.ncols - 1))
        out.append([None] * self.ncols)
        return out + [list(row) for row in self.rows] + self.after()

    def lines(self) -> list[str]:
        """The sheet's text as :func:`packbuilder.write.text.sheet_lines` reads it back from
        the file: a line per row, cells joined by « | », empty cells as ""."""
        return [" | ".join("" if v is None else str(v) for v in row) for row in self.cells()]


def _own_heading(blocks: list[Block], at: int) -> list[str]:
    """The heading of the table ``blocks[at]`` when it has one of its own right above it: a
    chapter or heading paragraph with only centred paragraphs between it and the table
    (``### Журнал …`` and the organization, the change sheet's title and the document's):
    those lines, in order; else []."""
    i = at - 1
    while i >= 0 and isinstance(blocks[i], Paragraph) and blocks[i].kind == "body" and "center" in blocks[i].classes:
        i -= 1
    if i < 0 or not (isinstance(blocks[i], Paragraph) and blocks[i].kind in ("chapter", "heading")):
        return []
    return [b.text for b in blocks[i:at] if b.text.strip()]


def _signature_after(blocks: list[Block], at: int) -> tuple[list[str], tuple[str, str] | None]:
    """(footer lines, (position, initials)) of the table ``blocks[at]`` when a ``::: signature``
    line follows it with only plain paragraphs between (they are the footer); else ([], None)."""
    footer = []
    for b in blocks[at + 1:]:
        if isinstance(b, Paragraph) and b.kind == "signature":
            return footer, ("".join(r.text for r in b.runs), "".join(r.text for r in b.right))
        if not isinstance(b, Paragraph) or b.kind != "body":
            break
        footer.append(b.text)
    return [], None


def workbook_layout(blocks: list[Block], heading: list[str],
                    approval: list[str] | tuple[str, ...] = ()) -> list[SheetLayout]:
    """The :class:`SheetLayout` of each table of ``blocks`` with a ``sheet`` name, in order
    (the sheet titles made valid and unique).

    ``heading`` are the document's heading lines (its title, the organization): a sheet's
    heading, unless its table has a heading of its own right above it in ``blocks``
    (:func:`_own_heading`: the restrictions journal, the change sheet), which then comes
    first, followed by the document's lines other than its title that it does not hold.
    A table followed by a ``::: signature`` line (:func:`_signature_after`) is signed: the
    sheet ends with it. Raises ValueError when no table has a sheet name."""
    if not any(isinstance(b, Table) and b.sheet for b in blocks):
        raise ValueError(_("the document has no table marked '::: sheet'"))
    doc_title = next((b.text for b in blocks if isinstance(b, Paragraph) and b.kind == "title"), None)
    used: set[str] = set()
    out = []
    for at, table in enumerate(blocks):
        if not (isinstance(table, Table) and table.sheet):
            continue
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
        widths = header_fit([max(MIN_WIDTH, round(TOTAL_WIDTH * w / total, 1)) for w in rel],
                            texts[:table.header_rows])
        widths, scale = print_fit(widths)
        own = _own_heading(blocks, at)
        lines = own + [line for line in heading if line != doc_title and line not in own] if own else list(heading)
        footer, signature = _signature_after(blocks, at)
        out.append(SheetLayout(
            title=_sheet_title(table.sheet, used), ncols=ncols, widths=widths,
            approval=list(approval), span=min(ncols, max(2, (ncols + 1) // 2)), heading=lines,
            first=len(approval) + len(lines) + 2, rows=rows, header_rows=table.header_rows,
            form=filled_by_hand(texts, table.header_rows), scale=scale,
            footer=footer, signature=signature))
    return out


def write_xlsx(blocks: list[Block], path: Path, heading: list[str], created: dt.date,
               approval: list[str] | tuple[str, ...] = ()) -> None:
    """Write the tables of ``blocks`` that have a ``sheet`` name as sheets of ``path``, laid
    out by :func:`workbook_layout` (the paragraphs around them give a sheet its own heading
    and its signature line).

    ``approval`` are the approval block's paragraphs («… бұйрығына N-қосымша», «БЕКІТІЛДІ»;
    a paragraph may hold line breaks), put at the top right of each sheet; ``heading`` are
    the document's lines centred above each table (title, organization).
    Raises ValueError when no table has a sheet name.
    """
    wb = Workbook()
    wb.remove(wb.active)
    _normal_font(wb)
    for layout in workbook_layout(blocks, heading, approval):
        _write_sheet(wb.create_sheet(layout.title), layout)
    stamp = dt.datetime(created.year, created.month, created.day)
    wb.properties.creator = "packbuilder"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps the save time: fix it, write the file once
    parts = read_parts(buf.getvalue())
    write_package(path, parts, {"docProps/core.xml": fixed_core_times(dict(parts)["docProps/core.xml"], created)})


def _normal_font(wb: Workbook) -> None:
    """Make Times New Roman 11 the workbook's Normal font (the first font, which Excel and
    LibreOffice measure column widths by) instead of openpyxl's Calibri. openpyxl has no
    public setting for it: its font list and Normal style are replaced before any cell is
    styled."""
    normal = Font(name=FONT, sz=FONT_SIZE, family=1)
    wb._fonts = IndexedList([normal])
    wb._named_styles = NamedStyleList()
    wb.add_named_style(NamedStyle(font=copy(normal), border=copy(DEFAULT_BORDER), builtinId=0))


def _width(ws, first: int, last: int) -> float:
    """The width of columns ``first``..``last`` (1-based) of ``ws``, units."""
    return sum(ws.column_dimensions[get_column_letter(c)].width for c in range(first, last + 1))


def row_height(texts: list[str], widths: list[float], bold: bool, least: float) -> float:
    """The height of a table row, points: :data:`LINE_HEIGHT` a line of its longest cell
    (``texts`` in columns ``widths`` units wide, :func:`wrapped_lines`), at least ``least``."""
    lines = max(wrapped_lines(t, w, bold=bold) for t, w in zip(texts, widths))
    return max(least, float(LINE_HEIGHT * lines))


def page_starts(heights: list[float], titles: tuple[int, int], scale: int, room: float = 1.0,
                breaks: tuple[int, ...] = ()) -> list[int]:
    """The rows (1-based) that begin a page when rows of ``heights`` points (row 1 first)
    print at ``scale`` % on A4 landscape with the margins of every sheet, the rows
    ``titles`` (first, last) repeated at the top of every page after the first, and a
    manual page break after each row of ``breaks``; ``room`` is the share of the page's
    height counted (less than 1 to leave a reserve). A page holds :data:`PAGE_HEIGHT_MM`
    less the top and bottom margins, 508.9 pt of rows at 100 %; a row is never split (Excel
    and LibreOffice move a row that does not fit to the next page; LibreOffice 7.4 breaks
    the sample journals exactly there)."""
    page = (PAGE_HEIGHT_MM / 25.4 - 2 * MARGIN_TB_IN) * 72 * room * 100 / scale
    repeated = sum(heights[titles[0] - 1:titles[1]])
    starts, used = [1], 0.0
    for r, h in enumerate(heights, start=1):
        top = repeated if len(starts) > 1 else 0
        if (r - 1 in breaks and r > 1) or (used + h > page and used > top):
            starts.append(r)
            used = repeated
        used += h
    return starts


def _keep_signature_with_table(ws, layout: SheetLayout, last_body: int, last: int) -> None:
    """When the rows from the table's last body row ``last_body`` to the signature line in
    row ``last`` would not print on one page (at the full page height or with a 3 % reserve
    for the apps' rounding of row heights), break the page before the last
    :data:`KEEP_ROWS` body rows, so that the signature line is never printed alone under a
    repeated header."""
    heights = [ws.row_dimensions[r].height or SPACER_HEIGHT for r in range(1, last + 1)]
    titles = (layout.first, layout.first + layout.header_rows - 1)
    split = any(last_body < start <= last
                for room in (1.0, 0.97) for start in page_starts(heights, titles, layout.scale, room))
    keep = min(KEEP_ROWS, len(layout.rows) - layout.header_rows - 1)
    if split and keep > 0:
        ws.row_breaks.append(RowBreak(id=last_body - keep))  # a break after that row


def _write_sheet(ws, layout: SheetLayout) -> None:
    """Fill ``ws`` with ``layout``: fonts, borders, merged cells, row heights for the
    wrapped text (at least :data:`ENTRY_ROW_HEIGHT` for the body rows of a form, at least
    :data:`TEXT_ROW_HEIGHT` for other body rows, at least :data:`HEADER_ROW_HEIGHT` for the
    header rows, sized in bold), the signature line, and the print setup: A4 landscape at
    ``layout.scale`` %, the header rows repeated on every page, centred, page numbers."""
    ncols = layout.ncols
    for c, width in enumerate(layout.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    total = sum(layout.widths)
    r = 1
    span = layout.span
    for block in layout.approval:
        cell = ws.cell(row=r, column=ncols - span + 1, value=block)
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=block.isupper())
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        if span > 1:
            ws.merge_cells(start_row=r, start_column=ncols - span + 1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = LINE_HEIGHT * wrapped_lines(block, _width(ws, ncols - span + 1, ncols))
        r += 1
    for i, line in enumerate(layout.heading):
        title = i == 0
        cell = ws.cell(row=r, column=1, value=line)
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=HEADING_SIZE, bold=title)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        # 12 pt text is 12/11 as wide as the 11 pt the estimate counts in
        lines = wrapped_lines(line, total * 11 / HEADING_SIZE, bold=title)
        ws.row_dimensions[r].height = max(18, HEADING_LINE_HEIGHT * lines)
        r += 1
    ws.row_dimensions[r].height = SPACER_HEIGHT
    r += 1
    least = ENTRY_ROW_HEIGHT if layout.form else TEXT_ROW_HEIGHT
    for i, row in enumerate(layout.rows):
        header = i < layout.header_rows
        for c, value in enumerate(row):
            cell = ws.cell(row=r, column=c + 1)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # '=SUM(…)' in a name stays text
            cell.font = Font(name=FONT, size=FONT_SIZE, bold=header)
            cell.border = _BORDER
            cell.alignment = _CENTER if header or cell.data_type == "n" else _WRAP
        ws.row_dimensions[r].height = row_height([str(v) for v in row], layout.widths, header,
                                                 HEADER_ROW_HEIGHT if header else least)
        r += 1
    last = _write_signature(ws, layout, r)
    if last:
        _keep_signature_with_table(ws, layout, r - 1, last)
    header_end = layout.first + layout.header_rows - 1
    ws.print_title_rows = f"{layout.first}:{header_end}"
    ws.freeze_panes = ws.cell(row=header_end + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = layout.scale
    ws.page_setup.fitToWidth = None
    ws.page_setup.fitToHeight = None
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_LR_IN
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TB_IN
    ws.oddFooter.center.text = "&P / &N"


def _write_signature(ws, layout: SheetLayout, r: int) -> int:
    """The rows of :meth:`SheetLayout.after` from row ``r`` (the row after the table): the
    footer lines across the sheet, then the signature line — the position on the left, a
    line to sign on (the bottom border of the cells between), the initials after it, in
    bold as in the .docx, the row :data:`ENTRY_ROW_HEIGHT` high at least. Returns the row
    of the signature line, 0 when the table is not signed."""
    rows = layout.after()
    if not rows:
        return 0
    ncols = layout.ncols
    total = sum(layout.widths)
    ws.row_dimensions[r].height = SPACER_HEIGHT
    r += 1
    for line in layout.footer:
        cell = ws.cell(row=r, column=1, value=line)
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=FONT_SIZE)
        cell.alignment = Alignment(horizontal="left", vertical="bottom", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = max(18, LINE_HEIGHT * wrapped_lines(line, total))
        r += 1
    values = rows[-1]
    bottom = Alignment(horizontal="left", vertical="bottom", wrap_text=True)
    if ncols < 3:
        cell = ws.cell(row=r, column=1, value=values[0])
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=True)
        cell.alignment = bottom
        if ncols > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = max(ENTRY_ROW_HEIGHT, LINE_HEIGHT * wrapped_lines(values[0], total, True))
        return r
    a, b = layout.signature_columns()
    for first, last, value in ((1, a, values[0]), (b + 1, ncols, values[b])):
        cell = ws.cell(row=r, column=first, value=value)
        cell.data_type = "s"
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=True)
        cell.alignment = bottom
        if last > first:
            ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
    for c in range(a + 1, b + 1):
        ws.cell(row=r, column=c).border = Border(bottom=_THIN)
    ws.row_dimensions[r].height = max(ENTRY_ROW_HEIGHT,
                                      LINE_HEIGHT * wrapped_lines(values[0], _width(ws, 1, a), bold=True))
    return r
