"""The batch registry: every subordinate organization a parent body builds packs for.

A registry is an .xlsx workbook (``packbuilder registry init`` writes an empty one):

- sheet ``organizations``: one row per organization, columns named by profile field paths
  (``organization.bin``, ``organization.name.kk``, ``head.name.ru``, ``approval.date`` …;
  :data:`ORGANIZATION_COLUMNS`); ``departments.kk``/``departments.ru`` hold one unit per
  line of the cell (or separated by «;»), ``languages`` «kk, ru»;
- sheet ``employees``: one row per employee, keyed by ``organization.bin``, the other
  columns those of a staff file (:data:`EMPLOYEE_COLUMNS`).

A folder of profiles (``*.yaml``, ``*.yml``, ``*.json``, each as ``packbuilder build``
takes it) is a registry too. An optional defaults profile holds what every organization
shares (parent body, plan year, approval date); a registry value wins over a default.

Cells are normalized before validation (date serials, BINs read as
numbers, empty cells), and every problem names the sheet and cell it comes from. Two rows
with the same BIN are an error for both. Employee rows are spooled to a temporary SQLite
file while the registry is read, so memory does not grow with the size of the registry.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import sqlite3
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import N_, _, ngettext
from packbuilder.inputs.profile_file import nest, read_profile_data, validate_profile
from packbuilder.inputs.spreadsheet import Sheet, open_sheet
from packbuilder.model.bin import normalize_bin
from packbuilder.model.legal_forms import LEGAL_FORMS
from packbuilder.model.profile import GOVERNING_BODIES, Profile

ORGANIZATIONS = "organizations"
EMPLOYEES = "employees"
BIN = "organization.bin"
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Column:
    """A registry column: its field path, whether every organization needs a value (in the
    registry or the defaults), the kind of value (text, date, bin, list, choice) and the
    note shown on its header and in the help sheet (an English message id, written in the
    interface language: ``_(column.note)``)."""

    path: str
    required: bool
    kind: str
    note: str


ORGANIZATION_COLUMNS: tuple[Column, ...] = (
    Column("organization.bin", True, "bin", N_("BIN: 12 digits, as text")),
    Column("organization.name.kk", True, "text", N_("Full official name with the legal form, in Kazakh")),
    Column("organization.name.ru", True, "text", N_("Full official name with the legal form, in Russian")),
    Column("organization.short_name.kk", True, "text",
           N_("Short name used after the first mention, in Kazakh («бұдан әрі – …»): Кәсіпорын, Қоғам, Орталық")),
    Column("organization.short_name.ru", True, "text",
           N_("Short name used after the first mention, in Russian («далее – …»): Предприятие, Общество, Центр")),
    Column("organization.legal_form", True, "choice", N_("Legal form, from the list")),
    Column("organization.city.kk", True, "text", N_("City, in Kazakh: Астана қаласы")),
    Column("organization.city.ru", True, "text", N_("City, in Russian: город Астана")),
    Column("organization.address.kk", False, "text", N_("Address, in Kazakh")),
    Column("organization.address.ru", False, "text", N_("Address, in Russian")),
    Column("organization.parent_body.kk", True, "text",
           N_("Authorized body that receives the reports, in Kazakh; usually in the defaults file")),
    Column("organization.parent_body.ru", True, "text",
           N_("Authorized body that receives the reports, in Russian; usually in the defaults file")),
    Column("organization.governing_body", False, "choice",
           N_("board_of_directors (board of directors), supervisory_board (supervisory board), none (none)")),
    Column("organization.website", False, "text", N_("Website: https://…")),
    Column("organization.hotline.phone", False, "text", N_("Hotline phone")),
    Column("organization.hotline.email", False, "text", N_("Hotline e-mail")),
    Column("head.name.kk", True, "text", N_("Full name of the head, in Kazakh")),
    Column("head.name.ru", True, "text", N_("Full name of the head, in Russian")),
    Column("head.position.kk", True, "text", N_("Position of the head, in Kazakh: Директор, Басқарма төрағасы")),
    Column("head.position.ru", True, "text",
           N_("Position of the head, in Russian: Директор, Председатель правления")),
    Column("compliance_officer.name.kk", True, "text", N_("Full name of the compliance officer, in Kazakh")),
    Column("compliance_officer.name.ru", True, "text", N_("Full name of the compliance officer, in Russian")),
    Column("compliance_officer.position.kk", True, "text",
           N_("Position of the compliance officer, in Kazakh: Комплаенс-офицер")),
    Column("compliance_officer.position.ru", True, "text",
           N_("Position of the compliance officer, in Russian: Комплаенс-офицер")),
    Column("compliance_officer.phone", False, "text", N_("Phone of the compliance officer")),
    Column("compliance_officer.email", False, "text", N_("E-mail of the compliance officer")),
    Column("approval.number", True, "text", N_("Number of the order approving the pack")),
    Column("approval.date", True, "date", N_("Date of the order (DD.MM.YYYY); usually in the defaults file")),
    Column("year", True, "year", N_("Plan year; usually in the defaults file")),
    Column("languages", False, "list", N_("kk, ru (both by default)")),
    Column("departments.kk", False, "list", N_("Structural units, in Kazakh: one per line of the cell (Alt+Enter) "
                                               "or separated by «;»")),
    Column("departments.ru", False, "list", N_("Structural units, in Russian, in the same order: one per line of "
                                               "the cell (Alt+Enter) or separated by «;»")),
)

EMPLOYEE_COLUMNS: tuple[Column, ...] = (
    Column("organization.bin", True, "bin", N_("BIN of the organization, as in sheet organizations")),
    Column("name.kk", True, "text", N_("Full name of the employee, in Kazakh")),
    Column("name.ru", True, "text", N_("Full name of the employee, in Russian")),
    Column("position.kk", True, "text", N_("Position, in Kazakh")),
    Column("position.ru", True, "text", N_("Position, in Russian")),
    Column("department.kk", False, "text", N_("Structural unit, in Kazakh")),
    Column("department.ru", False, "text", N_("Structural unit, in Russian")),
    Column("equated", False, "choice", N_("иә/жоқ or да/нет: equated to persons authorized to perform state "
                                          "functions")),
    Column("hired", False, "date", N_("Date of hiring (DD.MM.YYYY)")),
)

CHOICES: dict[str, tuple[str, ...]] = {
    "organization.legal_form": tuple(LEGAL_FORMS),
    "organization.governing_body": GOVERNING_BODIES,
    "equated": ("иә", "жоқ", "да", "нет"),
}


@dataclass
class Entry:
    """One organization of a registry.

    ``number`` is its 1-based position, ``source`` where it is (``organizations!7`` or a
    profile's file name), ``bin`` and ``name`` as read (for the status workbook; either may
    be empty when missing), ``problems`` what keeps it from being built (empty when valid).
    """

    number: int
    source: str
    bin: str
    name: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when the organization can be built."""
        return not self.problems


class Registry:
    """A registry read and validated: ``entries`` in registry order, ``problems`` that
    belong to no organization (employee rows whose BIN matches none). ``profile_json(e)``
    is the validated profile of a valid entry as JSON (``Profile.model_validate_json``
    reads it back). Close it (or use ``with``) to remove its temporary spool.
    """

    def __init__(self):
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self._dir = tempfile.TemporaryDirectory(prefix="packbuilder-registry-")
        self._db = sqlite3.connect(Path(self._dir.name) / "spool.sqlite")
        self._db.execute("CREATE TABLE employees (bin TEXT, row INTEGER, data TEXT)")
        self._db.execute("CREATE TABLE profiles (number INTEGER PRIMARY KEY, json TEXT)")

    def __enter__(self) -> "Registry":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Remove the temporary spool."""
        self._db.close()
        self._dir.cleanup()

    @property
    def valid(self) -> list[Entry]:
        """The entries that can be built."""
        return [e for e in self.entries if e.valid]

    def profile_json(self, entry: Entry) -> str:
        """The validated profile of ``entry`` as JSON. Raises KeyError for an invalid entry."""
        row = self._db.execute("SELECT json FROM profiles WHERE number = ?", (entry.number,)).fetchone()
        if row is None:
            raise KeyError(entry.number)
        return row[0]

    def profile(self, entry: Entry) -> Profile:
        """The validated :class:`Profile` of ``entry``."""
        return Profile.model_validate_json(self.profile_json(entry))

    def _store(self, entry: Entry, profile: Profile) -> None:
        self._db.execute("INSERT INTO profiles VALUES (?, ?)", (entry.number, profile.model_dump_json()))

    def _employees(self, bin_: str) -> Iterator[tuple[int, dict]]:
        for row, data in self._db.execute("SELECT row, data FROM employees WHERE bin = ? ORDER BY row", (bin_,)):
            yield row, json.loads(data)


def read_registry(path: str | Path, defaults: str | Path | None = None) -> Registry:
    """Read and validate every organization of the registry at ``path`` (an .xlsx workbook
    or a folder of profiles), with the shared values of the ``defaults`` profile.

    Nothing is rendered. Problems of single organizations go into their entries; raises
    InputError (naming the file, sheet or column) only when the registry or the defaults
    cannot be read at all.
    """
    path = Path(path)
    base = _read_defaults(Path(defaults)) if defaults else ({}, "")
    if path.is_dir():
        reader = _read_folder
    elif not path.exists():
        raise InputError(Problem(str(path), _("no such registry file or folder")))
    elif path.suffix.lower() != ".xlsx":
        raise InputError(Problem(str(path), _("a registry is an .xlsx workbook or a folder of profiles")))
    else:
        reader = _read_workbook
    reg = Registry()
    try:
        reader(reg, path, *base)
    except BaseException:
        reg.close()
        raise
    return reg


# --- defaults ------------------------------------------------------------------------------


def _read_defaults(path: Path) -> tuple[dict, str]:
    if not path.exists():
        raise InputError(Problem(str(path), _("no such defaults file")))
    data = read_profile_data(path)
    org = data.get("organization")
    problems = []
    if isinstance(org, dict) and "bin" in org:
        problems.append(Problem(f"{path.name}: organization.bin", _(
            "differs for every organization: give it in the registry, not in the defaults")))
    if "employees" in data:
        problems.append(Problem(f"{path.name}: employees", _(
            "differ for every organization: list them in the registry's employees sheet, not in the defaults")))
    if problems:
        raise InputError(problems)
    return data, path.name


def _merge(base: dict, over: dict) -> dict:
    """``over`` on top of ``base``: mappings are merged key by key, anything else replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _has_path(data: Any, path: str) -> bool:
    for part in re.split(r"\.|\[\d+\]", path):
        if not part:
            continue
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


# --- a folder of profiles --------------------------------------------------------------------


def _read_folder(reg: Registry, folder: Path, defaults: dict, defaults_name: str) -> None:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in PROFILE_SUFFIXES and p.is_file())
    if not files:
        raise InputError(Problem(str(folder), _("holds no profiles (*.yaml, *.yml, *.json)")))
    bins: Counter = Counter()
    loaded = []
    for number, f in enumerate(files, start=1):
        entry = Entry(number, f.name, "", "")
        reg.entries.append(entry)
        try:
            own = read_profile_data(f)
        except InputError as exc:
            entry.problems = exc.problems
            continue
        data = _merge(defaults, own)
        org = data.get("organization") if isinstance(data.get("organization"), dict) else {}
        entry.bin = normalize_bin(org.get("bin", "")) if org.get("bin") is not None else ""
        entry.name = _display_name(org.get("name"))
        bins[entry.bin] += 1
        loaded.append((entry, f, own, data))
    for entry, f, own, data in loaded:
        if entry.bin and bins[entry.bin] > 1:
            others = [e.source for e in reg.entries if e.bin == entry.bin and e is not entry]
            entry.problems.append(Problem(f"{f.name}: organization.bin", _(
                "BIN {bin} is also in {files}; each organization must appear once").format(
                bin=entry.bin, files=", ".join(others))))
            continue
        try:
            profile = validate_profile(data, f.parent)
        except InputError as exc:
            entry.problems = [_locate_in_file(p, f.name, own, defaults, defaults_name) for p in exc.problems]
            continue
        reg._store(entry, profile)
    reg._db.commit()


def _locate_in_file(p: Problem, name: str, own: dict, defaults: dict, defaults_name: str) -> Problem:
    """A problem of the profile file ``name`` (``own`` its data) placed in that file, or in
    the defaults file when the value came from there."""
    where = p.where
    if defaults_name and where and _has_path(defaults, where) and not _has_path(own, where):
        return Problem(f"{defaults_name}: {where}", p.message)
    if "!" in where or where == "employees":
        return p  # a staff file's cell, or the staff file itself
    return Problem(f"{name}: {where}" if where else name, p.message)


# --- a workbook -------------------------------------------------------------------------------


def _read_workbook(reg: Registry, path: Path, defaults: dict, defaults_name: str) -> None:
    with open_sheet(path, ORGANIZATIONS) as orgs:
        if BIN not in orgs.header:
            raise InputError(Problem(f"{ORGANIZATIONS}!A1", _(
                "needs a column '{column}' (see `packbuilder registry init`)").format(column=BIN)))
        org_rows = list(orgs.rows)
    if not org_rows:
        raise InputError(Problem(f"{path.name}!{ORGANIZATIONS}", _("has no organizations below its header row")))
    with open_sheet(path, EMPLOYEES) as emps:
        key = BIN if BIN in emps.header else "bin" if "bin" in emps.header else None
        if key is None:
            raise InputError(Problem(f"{EMPLOYEES}!A1", _(
                "needs a column '{column}' naming each employee's organization").format(column=BIN)))
        employee_bins: dict[str, int] = {}
        batch = []
        for number, values in emps.rows:
            raw = values.pop(key, None)
            if not values:
                continue
            bin_ = normalize_bin(raw) if raw is not None else ""
            employee_bins.setdefault(bin_, number)
            batch.append((bin_, number, json.dumps(values, default=_json_date, ensure_ascii=False)))
            if len(batch) >= 1000:
                reg._db.executemany("INSERT INTO employees VALUES (?, ?, ?)", batch)
                batch.clear()
        reg._db.executemany("INSERT INTO employees VALUES (?, ?, ?)", batch)
        reg._db.execute("CREATE INDEX employees_bin ON employees (bin, row)")

    org_bins = Counter(normalize_bin(v[BIN]) for _, v in org_rows if BIN in v)
    for bin_, row in employee_bins.items():
        if bin_ not in org_bins:
            count = reg._db.execute("SELECT COUNT(*) FROM employees WHERE bin = ?", (bin_,)).fetchone()[0]
            if bin_:
                message = ngettext(
                    "organization.bin '{bin}' matches no row of sheet '{sheet}' ({n} employee row belongs to no "
                    "organization)",
                    "organization.bin '{bin}' matches no row of sheet '{sheet}' ({n} employee rows belong to no "
                    "organization)", count)
            else:
                message = ngettext(
                    "an empty organization.bin matches no row of sheet '{sheet}' ({n} employee row belongs to no "
                    "organization)",
                    "an empty organization.bin matches no row of sheet '{sheet}' ({n} employee rows belong to no "
                    "organization)", count)
            reg.problems.append(Problem(emps.cell(key, row), message.format(bin=bin_, sheet=ORGANIZATIONS, n=count)))

    for number, (row, values) in enumerate(org_rows, start=1):
        entry = Entry(number, _("{sheet} row {row}").format(sheet=ORGANIZATIONS, row=row), "", _display_name(
            {"kk": values.get("organization.name.kk", values.get("organization.name")),
             "ru": values.get("organization.name.ru", values.get("organization.name"))}))
        reg.entries.append(entry)
        if BIN not in values:
            entry.problems.append(Problem(orgs.cell(BIN, row), "organization.bin: " + _("is required")))
            continue
        entry.bin = normalize_bin(values[BIN])
        if org_bins[entry.bin] > 1:
            others = [str(r) for r, v in org_rows if r != row and BIN in v and normalize_bin(v[BIN]) == entry.bin]
            entry.problems.append(Problem(orgs.cell(BIN, row), ngettext(
                "BIN {bin} is also in row {rows}; each organization must have one row",
                "BIN {bin} is also in rows {rows}; each organization must have one row", len(others)).format(
                bin=entry.bin, rows=", ".join(others))))
            continue
        _validate_row(reg, entry, row, values, orgs, emps, defaults, defaults_name)
    reg._db.commit()


def _json_date(value: Any) -> str:
    """A date cell for the spool: ISO text; a date with a time of day keeps only its day."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _split_list(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[\n;]", str(value)) if part.strip()]


def _validate_row(reg: Registry, entry: Entry, row: int, values: dict, orgs: Sheet, emps: Sheet,
                  defaults: dict, defaults_name: str) -> None:
    record = nest(values)
    problems: list[Problem] = []
    if "languages" in record and isinstance(record["languages"], str):
        record["languages"] = [x for x in re.split(r"[\s,;]+", record["languages"]) if x]
    deps = record.get("departments")
    if isinstance(deps, dict):
        kk, ru = _split_list(deps.get("kk", "")), _split_list(deps.get("ru", ""))
        if len(kk) != len(ru):
            column = "departments.ru" if "departments.ru" in orgs.letters else "departments.kk"
            problems.append(Problem(orgs.cell(column, row), "departments: " + _(
                "{kk} units in kk and {ru} in ru; give each unit in both languages, in the same order").format(
                kk=len(kk), ru=len(ru))))
        record["departments"] = [{"kk": a, "ru": b} for a, b in zip(kk, ru)]
    elif isinstance(deps, str):
        record["departments"] = _split_list(deps)
    employee_rows = []
    employees = []
    for number, data in reg._employees(entry.bin):
        employee_rows.append(number)
        employees.append(nest(data))
    data = _merge(defaults, record)
    if employees:
        data["employees"] = employees
    try:
        profile = validate_profile(data)
    except InputError as exc:
        problems.extend(_locate(p, row, values, orgs, emps, employee_rows, entry.bin, defaults, defaults_name)
                        for p in exc.problems)
        profile = None
    if any(p.where == orgs.cell(BIN, row) for p in problems):
        # a mistyped BIN leaves the organization without its employee rows: one cause, one error
        problems = [p for p in problems if p.where != EMPLOYEES]
    if problems:
        entry.problems = problems
        return
    reg._store(entry, profile)


def _column_for(path: str, letters: dict[str, str]) -> str | None:
    """The registry column that holds field ``path`` (or a part of it)."""
    if path in letters:
        return path
    for h in letters:
        if h.startswith(path + "."):
            return h
    for h in letters:
        if path.startswith(h + ".") or path.startswith(h + "["):
            return h
    return None


def _locate(p: Problem, row: int, values: dict, orgs: Sheet, emps: Sheet, employee_rows: list[int],
            bin_: str, defaults: dict, defaults_name: str) -> Problem:
    """A validation problem of one organization (``p.where`` a field path) placed at its
    cell (``values`` are the row's non-empty cells), at the defaults file's key when the
    value came from there, or at the row when the registry has no column for it."""
    path = p.where
    if not path and "approval.date" in p.message:
        path = "approval.date"
    m = re.match(r"employees\[(\d+)\]\.?(.*)", path)
    if m:
        i, sub = int(m.group(1)), m.group(2)
        erow = employee_rows[i] if i < len(employee_rows) else None
        column = _column_for(sub, emps.letters) if sub else None
        if erow is not None and column:
            return Problem(emps.cell(column, erow), f"{sub}: {p.message}")
        if erow is not None:
            if sub:
                message = _("{field} (no column {field}): {message}").format(field=sub, message=p.message)
            else:
                message = _("the row: {message}").format(message=p.message)
            return Problem(f"{EMPLOYEES}!{erow}", message)
    if path == "employees":
        return Problem(EMPLOYEES, _(
            "no employee rows with organization.bin {bin}; list the organization's staff in sheet '{sheet}'").format(
            bin=bin_, sheet=EMPLOYEES))
    column = _column_for(path, orgs.letters) if path else None
    if column and column in values:
        return Problem(orgs.cell(column, row), f"{path}: {p.message}")
    if defaults_name and path and _has_path(defaults, path):
        return Problem(f"{defaults_name}: {path}", p.message)
    if column:  # the cell is empty
        return Problem(orgs.cell(column, row), f"{path}: {p.message}")
    if path and p.message == _("is required"):
        message = _("{field}: is required; add a column for it or set it in the defaults file").format(field=path)
    else:
        message = f"{path}: {p.message}" if path else p.message
    return Problem(_("{sheet} row {row}").format(sheet=ORGANIZATIONS, row=row), message)


def _display_name(name: Any) -> str:
    if isinstance(name, dict):
        return str(name.get("kk") or name.get("ru") or "")
    return str(name or "")


# --- writing a registry ----------------------------------------------------------------------
