"""Reading tables from .xlsx and .csv files, with their cells normalized.

Spreadsheets give dates as serial numbers, numbers as floats (a BIN loses its leading
zeros) and empty cells as None: every value read here is normalized before validation, and
keeps the address of its cell so that an error can name it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _, ngettext
from packbuilder.inputs.encoding import decode_text


@dataclass
class Row:
    """One data row: ``values`` maps a header to its normalized value (empty cells left
    out); ``cells`` maps a header to the cell's address (``Staff!C7`` or ``row 7, col 3``)."""

    number: int
    values: dict[str, Any]
    cells: dict[str, str]


def normalize_cell(value: Any) -> Any:
    """A cell's value as the profile expects it.

    None and blank strings → None; datetime at midnight → date; whole floats → int
    (a BIN stored as a number keeps its digits); strings are stripped.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_table(path: Path, sheet: str | None = None) -> tuple[list[str], list[Row]]:
    """The header (stripped, lower-cased) and the non-empty data rows of a table.

    ``path`` is an .xlsx (the named ``sheet``, or the staff sheet: :func:`_staff_sheet`) or
    a UTF-8 (or Windows-1251) .csv file whose first row is the header. Raises InputError
    naming the file when it cannot be read, a sheet is missing, or the header is empty or
    repeats a column.
    """
    name = path.name
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            header, raw = _read_xlsx(path, sheet)
        elif suffix == ".csv":
            header, raw = _read_csv(path)
        else:
            raise InputError(Problem(name, _("expected an .xlsx or .csv file")))
    except InputError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise InputError(Problem(name, _("cannot read the file ({reason})").format(
            reason=f"{exc.__class__.__name__}: {exc}"))) from None
    except Exception as exc:  # openpyxl raises zipfile/XML errors for a broken workbook
        raise InputError(Problem(name, _("cannot read the file as a workbook ({reason})").format(reason=exc))) from None
    heads = clean_header(header, name)
    rows = []
    for number, cells, addresses in raw:
        values, where = {}, {}
        for i, h in enumerate(heads):
            if not h:
                continue
            v = normalize_cell(cells[i] if i < len(cells) else None)
            where[h] = addresses(i)
            if v is not None:
                values[h] = v
        if values:
            rows.append(Row(number, values, where))
    return heads, rows


def clean_header(header: list, where: str) -> list[str]:
    """Header cells stripped and lower-cased, trailing empty ones dropped.

    Raises InputError naming ``where`` when no column is named or a name repeats.
    """
    heads = [str(h).strip().lower() if h is not None else "" for h in header]
    while heads and not heads[-1]:
        heads.pop()
    if not heads:
        raise InputError(Problem(where, _("the first row must name the columns")))
    seen: set[str] = set()
    for h in heads:
        if h and h in seen:
            raise InputError(Problem(where, _("column '{column}' appears twice in the header").format(column=h)))
        seen.add(h)
    return heads


@dataclass
class Sheet:
    """A sheet read row by row: ``header`` (as :func:`clean_header`), ``letters`` maps a
    header to its column letter, ``rows`` yields (row number, normalized non-empty values)
    for every row that is not empty. Use it as a context manager; the workbook is open
    (and ``rows`` can be read) until the end of the ``with`` block, ``cell()`` works after."""

    name: str
    header: list[str]
    letters: dict[str, str]
    rows: Any
    _wb: Any = None

    def cell(self, column: str, row: int) -> str:
        """The address ``sheet!C7`` of ``column`` (a header) in ``row``."""
        return f"{self.name}!{self.letters[column]}{row}"

    def __enter__(self) -> "Sheet":
        return self

    def __exit__(self, *exc) -> None:
        if self._wb is not None:
            self._wb.close()


def open_sheet(path: Path, sheet: str) -> Sheet:
    """The sheet ``sheet`` of the workbook ``path``, streamed (memory does not grow with
    the number of rows). Raises InputError naming the file when it cannot be read, the
    sheet is missing, or its header is empty or repeats a column."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/XML/OS errors for a broken workbook
        raise InputError(Problem(path.name, _("cannot read the file as an .xlsx workbook ({reason})").format(
            reason=exc))) from None
    if sheet not in wb.sheetnames:
        wb.close()
        raise InputError(Problem(path.name, _("has no sheet '{sheet}' (sheets: {sheets})").format(
            sheet=sheet, sheets=", ".join(wb.sheetnames))))
    it = wb[sheet].iter_rows(values_only=True)
    try:
        heads = clean_header(list(next(it, ())), f"{path.name}!{sheet}")
    except InputError:
        wb.close()
        raise

    def rows():
        for number, cells in enumerate(it, start=2):
            values = {}
            for h, v in zip(heads, cells):
                v = normalize_cell(v)
                if h and v is not None:
                    values[h] = v
            if values:
                yield number, values

    letters = {h: get_column_letter(i + 1) for i, h in enumerate(heads) if h}
    return Sheet(sheet, heads, letters, rows(), wb)


ZIP_MEMBERS = 1000
ZIP_UNCOMPRESSED = 200 * 1024 * 1024
"""An .xlsx is refused before it is opened when it holds more members or more uncompressed
bytes than this (a «zip bomb» of a few KB expanding to gigabytes)."""
STAFF_SHEETS = ("staff", "қызметкерлер", "жұмыскерлер", "сотрудники", "работники")
"""The names of the staff sheet, letter case aside."""


def check_zip(path: Path) -> None:
    """Refuse the zip package ``path`` (.xlsx, .docx) when it is too big to open safely:
    more than :data:`ZIP_MEMBERS` members or :data:`ZIP_UNCOMPRESSED` bytes uncompressed.
    Raises InputError naming the file; zipfile.BadZipFile when it is no zip file."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
    if len(infos) > ZIP_MEMBERS or total > ZIP_UNCOMPRESSED:
        raise InputError(Problem(path.name, _(
            "is too large to open safely ({parts} parts, {mb} MB uncompressed): save it again from Excel").format(
            parts=len(infos), mb=total // (1024 * 1024))))


def _staff_sheet(wb, sheet: str | None, name: str):
    """The sheet to read: ``sheet`` when named; else the visible sheet named Staff
    (:data:`STAFF_SHEETS`), else the active sheet when visible, else the first visible one."""
    if sheet is not None:
        if sheet not in wb.sheetnames:
            raise InputError(Problem(name, _("has no sheet '{sheet}' (sheets: {sheets})").format(
                sheet=sheet, sheets=", ".join(wb.sheetnames))))
        return wb[sheet]
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise InputError(Problem(name, _("has no visible sheet")))
    named = [ws for ws in visible if ws.title.strip().casefold() in STAFF_SHEETS]
    if named:
        return named[0]
    return wb.active if wb.active in visible else visible[0]


def _read_xlsx(path: Path, sheet: str | None):
    """The header and rows of the staff (or named) sheet: a merged cell's value fills every
    cell it covers; a formula whose result Excel did not save is an error naming its cell."""
    check_zip(path)
    wb = load_workbook(path, data_only=True)
    formulas = load_workbook(path, data_only=False)
    try:
        ws = _staff_sheet(wb, sheet, path.name)
        title = ws.title
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        for merged in ws.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    grid[r - 1][c - 1] = value
        unsaved = [cell.coordinate for row in formulas[title].iter_rows() for cell in row
                   if cell.data_type == "f" and grid[cell.row - 1][cell.column - 1] is None]
        if unsaved:
            raise InputError(Problem(f"{path.name}!{title}!{unsaved[0]}", ngettext(
                "a formula whose result was not saved ({n} such cell): open the file in Excel and save it, "
                "or paste the values instead of formulas",
                "a formula whose result was not saved ({n} such cells): open the file in Excel and save it, "
                "or paste the values instead of formulas", len(unsaved)).format(n=len(unsaved))))
        header = grid[0] if grid else []
        raw = [(number, cells, lambda i, n=number: f"{path.name}!{title}!{get_column_letter(i + 1)}{n}")
               for number, cells in enumerate(grid[1:], start=2)]
        return header, raw
    finally:
        wb.close()
        formulas.close()


def _read_csv(path: Path):
    with io.StringIO(decode_text(path.read_bytes(), path.name), newline="") as f:
        sample = f.read(4096)
        f.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(f, dialect)
        header = next(reader, [])
        raw = []
        for number, cells in enumerate(reader, start=2):
            raw.append((number, cells, lambda i, n=number: _("{file}: row {row}, column {column}").format(
                file=path.name, row=n, column=i + 1)))
        return header, raw
