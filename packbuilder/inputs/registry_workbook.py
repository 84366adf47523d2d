"""The registry workbook to fill in Excel (``packbuilder registry init``): every column of
the registry with a note on its header, drop-down lists and a ``help`` sheet. The notes, the
help sheet and the drop-downs' error message are in the interface language
(:mod:`packbuilder.i18n`); the column headers are field paths, the same in every language
(the reader parses them), and so are the sheet names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from packbuilder.i18n import N_, _
from packbuilder.inputs.registry import (
    BIN,
    CHOICES,
    EMPLOYEE_COLUMNS,
    EMPLOYEES,
    ORGANIZATION_COLUMNS,
    ORGANIZATIONS,
    Column,
)

HELP_SHEET = "help"
HELP_HEADERS = (N_("sheet"), N_("column"), N_("required"), N_("what to write"))
"""The columns of the help sheet, translated when written."""


def _value_at(data: Any, path: str) -> Any:
    """The value of a flattened column ``path`` in a nested profile mapping; a text given
    as one string serves both ``.kk`` and ``.ru``; a list of texts becomes lines."""
    node = data
    parts = path.split(".")
    for i, part in enumerate(parts):
        if isinstance(node, list):
            items = [_value_at(x, ".".join(parts[i:])) if isinstance(x, dict) else x for x in node]
            return "\n".join(str(x) for x in items if x is not None) or None
        if not isinstance(node, dict):
            return node if part in ("kk", "ru") else None
        if part not in node:
            return None
        node = node[part]
    if isinstance(node, list):
        return ", ".join(str(x) for x in node) if path == "languages" else "\n".join(map(str, node))
    if isinstance(node, dict):
        return None
    return node


def write_registry(path: str | Path, organizations: list[dict] = ()) -> None:
    """Write a registry workbook to ``path``: sheets ``organizations`` and ``employees``
    with every column of :data:`ORGANIZATION_COLUMNS` / :data:`EMPLOYEE_COLUMNS`, a note on
    each header, drop-down lists for the legal form, governing body and «equated», BIN
    columns formatted as text and date columns as dates, and a sheet ``help`` (notes and
    help in the interface language of the moment, :func:`packbuilder.i18n.ui_language`).

    ``organizations`` are profile mappings (as in a YAML profile; the employees go to the
    employees sheet); none gives the empty registry of ``packbuilder registry init``.
    Raises OSError when the file cannot be written.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    rows_prepared = 2000  # rows given the text/date formats and drop-downs in advance

    def sheet(title: str, columns: tuple[Column, ...], rows: list[list[Any]]):
        ws = wb.create_sheet(title)
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=c, value=col.path)
            cell.font = bold
            if col.required:
                cell.fill = required_fill
            note = _("{note} (required)").format(note=_(col.note)) if col.required else _(col.note)
            if col.path in CHOICES:
                note += "\n" + ", ".join(CHOICES[col.path])
            cell.comment = Comment(note, "packbuilder", width=320, height=120)
            letter = cell.column_letter
            ws.column_dimensions[letter].width = 16 if col.kind in ("bin", "date", "year", "choice") else 30
            fmt = "@" if col.kind in ("bin", "text", "list") else "DD.MM.YYYY" if col.kind == "date" else None
            if fmt:
                ws.column_dimensions[letter].number_format = fmt
            if col.path in CHOICES:
                dv = DataValidation(type="list", formula1='"' + ",".join(CHOICES[col.path]) + '"',
                                    allow_blank=True, showErrorMessage=True)
                dv.error = _("Choose a value from the list")
                dv.add(f"{letter}2:{letter}{rows_prepared}")
                ws.add_data_validation(dv)
        for r, values in enumerate(rows, start=2):
            for c, (col, value) in enumerate(zip(columns, values), start=1):
                cell = ws.cell(row=r, column=c)
                if value is None:
                    continue
                if col.kind == "date":
                    if isinstance(value, str):
                        value = dt.date.fromisoformat(value)
                    cell.value = value
                    cell.number_format = "DD.MM.YYYY"
                elif col.kind == "year" and str(value).isdigit():
                    cell.value = int(value)
                elif col.kind == "choice" and isinstance(value, bool):
                    cell.value = "иә" if value else "жоқ"
                else:
                    cell.value = str(value)
                    cell.data_type = "s"  # a leading = + - @ is never a formula
                    cell.number_format = "@"
                    if "\n" in cell.value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "B2"
        return ws

    org_rows, emp_rows = [], []
    for org in organizations:
        org_rows.append([_value_at(org, col.path) for col in ORGANIZATION_COLUMNS])
        bin_ = _value_at(org, BIN)
        for emp in org.get("employees") or []:
            emp_rows.append([bin_] + [_value_at(emp, col.path) for col in EMPLOYEE_COLUMNS[1:]])
    sheet(ORGANIZATIONS, ORGANIZATION_COLUMNS, org_rows)
    sheet(EMPLOYEES, EMPLOYEE_COLUMNS, emp_rows)
    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append([_(h) for h in HELP_HEADERS])
    for title, columns in ((ORGANIZATIONS, ORGANIZATION_COLUMNS), (EMPLOYEES, EMPLOYEE_COLUMNS)):
        for col in columns:
            note = _(col.note) + ("\n" + ", ".join(CHOICES[col.path]) if col.path in CHOICES else "")
            help_ws.append([title, col.path, _("yes") if col.required else "", note])
    help_ws.append([])
    help_ws.append(["", _("Values every organization shares (parent body, year, approval date) can go into a "
                          "defaults profile instead: packbuilder batch REGISTRY -o OUT --defaults defaults.yaml")])
    for cell in help_ws[1]:
        cell.font = bold
    for letter, width in zip("ABCD", (16, 32, 12, 100)):
        help_ws.column_dimensions[letter].width = width
    for row in help_ws.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(str(path))
