"""Rebuild the sample registries from the profiles in samples/ministry/:

- ministry_registry.xlsx: the 20 organizations, all valid. Some cells are written the way
  Excel users leave them, to show that the registry copes: a BIN with a leading zero typed
  as a number, an approval date as a date serial in a General cell, a hiring date as a
  serial, a cell holding only spaces.
- ministry_registry_errors.xlsx: the same with deliberate errors, for the README's example
  of a failed batch (each is listed in ERRORS below).

Run from the project root: python samples/make_registry.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from packbuilder.inputs.registry import (  # noqa: E402
    EMPLOYEE_COLUMNS,
    ORGANIZATION_COLUMNS,
    write_registry,
)

SAMPLES = ROOT / "samples"
ORG_COL = {c.path: i + 1 for i, c in enumerate(ORGANIZATION_COLUMNS)}
EMP_COL = {c.path: i + 1 for i, c in enumerate(EMPLOYEE_COLUMNS)}


def serial(d: dt.date) -> int:
    """Excel's serial number of a date."""
    return (d - dt.date(1899, 12, 30)).days


def organizations() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((SAMPLES / "ministry").glob("*.yaml"))]


def employee_rows(ws, bin_: str) -> list[int]:
    return [r for r in range(2, ws.max_row + 1) if str(ws.cell(r, 1).value) == bin_]


def spreadsheet_quirks(wb, orgs: list[dict]) -> None:
    """Cells as Excel users leave them; all must still read as valid."""
    ws, emp = wb["organizations"], wb["employees"]
    row20 = 21
    ws.cell(row20, ORG_COL["organization.bin"]).value = int(orgs[19]["organization"]["bin"])  # 010840743701 → 10840743701
    ws.cell(row20, ORG_COL["organization.bin"]).number_format = "General"
    cell = ws.cell(3, ORG_COL["approval.date"])
    cell.value = serial(dt.date(2026, 1, 22))  # 46044, a date typed into a General cell
    cell.number_format = "General"
    ws.cell(4, ORG_COL["approval.date"]).value = dt.date(2026, 1, 23)
    ws.cell(4, ORG_COL["approval.date"]).number_format = "DD.MM.YYYY"
    assert "website" not in orgs[5]["organization"]
    ws.cell(7, ORG_COL["organization.website"]).value = "   "  # a cell of spaces is empty
    first = employee_rows(emp, orgs[1]["organization"]["bin"])[1]
    emp.cell(first, EMP_COL["hired"]).value = serial(dt.date(2021, 9, 1))
    emp.cell(first, EMP_COL["hired"]).number_format = "General"


ERRORS = [
    "organizations row 4: BIN with a wrong check digit",
    "organizations rows 11 and 12: the same BIN twice (both are reported, neither built)",
    "organizations row 6: approval.date 31.02.2026, a date that does not exist",
    "organizations row 9: an unknown legal form",
    "employees: an employee of organization 14 without a Russian position",
    "employees: a row whose BIN matches no organization",
]


def deliberate_errors(wb, orgs: list[dict]) -> None:
    ws, emp = wb["organizations"], wb["employees"]
    bin_col = ORG_COL["organization.bin"]
    b = str(ws.cell(4, bin_col).value)
    ws.cell(4, bin_col).value = b[:11] + str((int(b[11]) + 1) % 10)
    ws.cell(12, bin_col).value = ws.cell(11, bin_col).value
    ws.cell(6, ORG_COL["approval.date"]).value = "31.02.2026"
    ws.cell(9, ORG_COL["organization.legal_form"]).value = "ТОО ЛТД"
    row = employee_rows(emp, orgs[13]["organization"]["bin"])[2]
    emp.cell(row, EMP_COL["position.ru"]).value = None
    orphan = emp.max_row + 1
    emp.cell(orphan, 1).value = "123456789012"
    emp.cell(orphan, EMP_COL["name.kk"]).value = "Оспанов Ерік Маратұлы"
    emp.cell(orphan, EMP_COL["name.ru"]).value = "Оспанов Ерик Маратович"
    emp.cell(orphan, EMP_COL["position.kk"]).value = "Инженер"
    emp.cell(orphan, EMP_COL["position.ru"]).value = "Инженер"


def main() -> None:
    orgs = organizations()
    for name, edits in (("ministry_registry.xlsx", [spreadsheet_quirks]),
                        ("ministry_registry_errors.xlsx", [spreadsheet_quirks, deliberate_errors])):
        path = SAMPLES / name
        write_registry(path, orgs)
        wb = load_workbook(path)
        for edit in edits:
            edit(wb, orgs)
        wb.save(path)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
