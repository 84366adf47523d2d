"""The batch registry and batch generation: reading the workbook (dates, numeric BINs, empty
cells, duplicates), errors named by sheet and cell, error isolation, the status workbook,
and that a batch-built pack is the pack a single build makes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from conftest import SAMPLES, docx_text

from packbuilder.batch import run_batch
from packbuilder.cli import main
from packbuilder.errors import InputError
from packbuilder.inputs.profile_file import read_profile_data, validate_profile
from packbuilder.inputs.registry import (
    EMPLOYEE_COLUMNS,
    ORGANIZATION_COLUMNS,
    _merge,
    read_registry,
)
from packbuilder.inputs.registry_workbook import write_registry
from packbuilder.pack.build import build_pack, profile_digest

REGISTRY = SAMPLES / "ministry_registry.xlsx"
ERRORS = SAMPLES / "ministry_registry_errors.xlsx"
DEFAULTS = SAMPLES / "ministry_defaults.yaml"
ORG_COL = {c.path: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(ORGANIZATION_COLUMNS)}
EMP_COL = {c.path: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(EMPLOYEE_COLUMNS)}


def _sample_orgs() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((SAMPLES / "ministry").glob("*.yaml"))]


def _status_rows(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path)["status"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture(scope="session")
def ministry_batch(tmp_path_factory):
    """The valid sample registry built with 2 worker processes."""
    out = tmp_path_factory.mktemp("batch")
    return run_batch(REGISTRY, out, defaults=DEFAULTS, jobs=2), out


@pytest.fixture(scope="session")
def errors_batch(tmp_path_factory):
    """The erroneous sample registry built in this process (jobs=1)."""
    out = tmp_path_factory.mktemp("batch-errors")
    return run_batch(ERRORS, out, defaults=DEFAULTS, jobs=1), out


# --- reading the registry ---------------------------------------------------------------------


def test_sample_registry_reads_as_the_yaml_profiles():
    """The workbook, with its Excel quirks, and the folder of YAML profiles give the same
    validated profiles; both are the YAML files merged with the defaults."""
    defaults = read_profile_data(DEFAULTS)
    expected = [profile_digest(validate_profile(_merge(defaults, org))) for org in _sample_orgs()]
    assert len(expected) == 20
    with read_registry(REGISTRY, DEFAULTS) as reg:
        assert [e.problems for e in reg.entries] == [[]] * 20
        assert reg.problems == []
        from_xlsx = [reg.profile(e) for e in reg.entries]
    with read_registry(SAMPLES / "ministry", DEFAULTS) as reg:
        assert [e.source for e in reg.entries][:2] == ["01-050940602947.yaml", "02-961240602220.yaml"]
        from_folder = [profile_digest(reg.profile(e)) for e in reg.entries]
    assert from_folder == expected
    # the xlsx differs from the YAML only where make_registry.py wrote cells like Excel users do
    assert [profile_digest(p) for i, p in enumerate(from_xlsx) if i not in (1, 2)] == \
        [d for i, d in enumerate(expected) if i not in (1, 2)]


def test_spreadsheet_values_are_normalized():
    with read_registry(REGISTRY, DEFAULTS) as reg:
        profiles = [reg.profile(e) for e in reg.entries]
        entries = reg.entries
    ws = openpyxl.load_workbook(REGISTRY)["organizations"]
    # a BIN typed as a number lost its leading zero in the cell, not in the profile
    assert ws[f"{ORG_COL['organization.bin']}21"].value == 10840743701
    assert profiles[19].organization.bin == "010840743701" == entries[19].bin
    # a date serial in a General cell, a real date cell, the defaults' date for the others
    assert ws[f"{ORG_COL['approval.date']}3"].value == 46044
    assert profiles[1].approval.date == dt.date(2026, 1, 22)
    assert profiles[2].approval.date == dt.date(2026, 1, 23)
    assert profiles[0].approval.date == dt.date(2026, 1, 20)
    assert profiles[1].employees[1].hired == dt.date(2021, 9, 1)
    # a cell of spaces is empty
    assert ws[f"{ORG_COL['organization.website']}7"].value == "   "
    assert profiles[5].organization.website is None
    # shared values come from the defaults, lists of departments from lines of a cell
    assert profiles[0].organization.parent_body.ru == "Министерство просвещения Республики Казахстан"
    assert profiles[0].year == 2026
    assert [d.ru for d in profiles[6].departments][:2] == ["Отдел R&D и инноваций", "Проектный офис «EdTech»"]


def _registry(tmp_path, edit=None, orgs=None) -> Path:
    """A registry of the first three sample organizations, changed by ``edit(wb)``."""
    path = tmp_path / "registry.xlsx"
    write_registry(path, orgs or _sample_orgs()[:3])
    if edit:
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
    return path


def test_duplicate_bins_are_an_error_for_both_rows(tmp_path):
    def edit(wb):
        ws = wb["organizations"]
        ws["A4"].value = ws["A2"].value
    with read_registry(_registry(tmp_path, edit), DEFAULTS) as reg:
        first, second, third = reg.entries
        assert [str(p) for p in first.problems] == [
            "organizations!A2: BIN 050940602947 is also in row 4; each organization must have one row"]
        assert [str(p) for p in third.problems] == [
            "organizations!A4: BIN 050940602947 is also in row 2; each organization must have one row"]
        assert second.valid and [e.number for e in reg.valid] == [2]
        # the third organization's staff now belong to no row
        assert len(reg.problems) == 1 and "matches no row of sheet 'organizations'" in reg.problems[0].message


def test_empty_and_bad_cells_are_named_by_sheet_and_cell(tmp_path):
    def edit(wb):
        ws, emp = wb["organizations"], wb["employees"]
        ws[f"{ORG_COL['head.name.ru']}2"].value = "  "              # empty: required
        ws[f"{ORG_COL['organization.governing_body']}3"].value = "board"  # not in the list
        ws[f"{ORG_COL['departments.ru']}4"].value = "Бухгалтерия"   # fewer units than in kk
        emp[f"{EMP_COL['hired']}3"].value = "2024-13-01"
        emp[f"{EMP_COL['equated']}4"].value = "maybe"
        emp[f"{EMP_COL['hired']}5"].value = dt.datetime(2024, 3, 1, 9, 30)  # a time typed with the date
    with read_registry(_registry(tmp_path, edit), DEFAULTS) as reg:
        problems = [[str(p) for p in e.problems] for e in reg.entries]
    assert problems[0] == [
        f"organizations!{ORG_COL['head.name.ru']}2: head.name.ru: is required",
        f"employees!{EMP_COL['hired']}3: hired: '2024-13-01' is not a date that exists",
        f"employees!{EMP_COL['equated']}4: equated: expected true/false, yes/no, иә/жоқ, да/нет or 1/0, got 'maybe'",
    ]
    assert problems[1] == [f"organizations!{ORG_COL['organization.governing_body']}3: organization.governing_body: "
                           f"expected one of: 'board_of_directors', 'supervisory_board', 'none'"]
    assert len(problems[2]) == 1 and problems[2][0].startswith(f"organizations!{ORG_COL['departments.ru']}4: "
                                                               f"departments: 8 units in kk and 1 in ru")


def test_missing_values_point_at_the_defaults_or_the_missing_column(tmp_path):
    def edit(wb):
        ws = wb["organizations"]
        ws.delete_cols(openpyxl.utils.column_index_from_string(ORG_COL["approval.number"]))
        ws.cell(4, openpyxl.utils.column_index_from_string(ORG_COL["year"]) - 1).value = 2026
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text("year: 1999\norganization:\n  parent_body: Министерство\napproval:\n  date: 2026-01-20\n",
                        encoding="utf-8")
    with read_registry(_registry(tmp_path, edit), defaults) as reg:
        first = {str(p) for p in reg.entries[0].problems}
        third = {str(p) for p in reg.entries[2].problems}
    # the registry has no value: the defaults gave the wrong one
    assert "defaults.yaml: year: expected a year between 2000 and 2100, got 1999" in first
    # no column and no default
    assert ("organizations row 2: approval.number: is required; add a column for it or set it in the defaults file"
            in first)
    assert len(first) == 2
    # the registry's own year wins over the defaults'
    assert not any("year" in p for p in third)


def test_defaults_may_not_hold_what_differs_per_organization(tmp_path):
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text("organization:\n  bin: '050940602947'\nemployees: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="organization.bin") as exc:
        read_registry(REGISTRY, defaults)
    assert [p.where for p in exc.value.problems] == ["defaults.yaml: organization.bin", "defaults.yaml: employees"]


def test_unreadable_registries_are_refused(tmp_path):
    bad = tmp_path / "registry.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="cannot read the file as an .xlsx workbook"):
        read_registry(bad)
    wb = openpyxl.Workbook()
    wb.active.title = "organizations"
    wb.active.append(["organization.bin"])
    wb.active.append(["050940602947"])
    wb.save(bad)
    with pytest.raises(InputError, match="has no sheet 'employees'"):
        read_registry(bad)
    with pytest.raises(InputError, match="holds no profiles"):
        read_registry(tmp_path)


# --- building -------------------------------------------------------------------------------


def test_sample_registry_builds_every_organization(ministry_batch):
    result, out = ministry_batch
    assert result.ok and [o.status for o in result.outcomes] == ["done"] * 20
    rows = _status_rows(out / "status.xlsx")
    assert [r["status"] for r in rows] == ["done"] * 20
    assert rows[19]["BIN"] == "010840743701" and rows[19]["registry"] == "organizations row 21"
    assert all(r["files"] == 108 and r["errors"] is None for r in rows)  # 104 documents, 2 calendars, the base, the manifest
    assert rows[6]["organization"] == "«Цифрлық білім беру технологиялары орталығы» АҚ"
    # each pack is the organization's: its name and its ampersand on the first page of the policy
    text = docx_text(out / "200640195858" / "2026" / "ru" / "03-policy.docx")
    assert "АО «Центр цифровых образовательных технологий»" in text
    plan = docx_text(out / "200640195858" / "2026" / "ru" / "09-restrictions.docx")
    assert "Жусупова Динара Сериковна" in plan


def test_batch_pack_is_the_single_build_pack(ministry_batch, tmp_path):
    """Byte for byte: the batch builds with the same function as `build`."""
    _, out = ministry_batch
    defaults = read_profile_data(DEFAULTS)
    org = _sample_orgs()[6]
    single = build_pack(validate_profile(_merge(defaults, org)), tmp_path)
    batch_manifest = json.loads((out / "200640195858" / "2026" / "manifest.json").read_text(encoding="utf-8"))
    single_manifest = json.loads((single.root / "manifest.json").read_text(encoding="utf-8"))
    assert len(batch_manifest["files"]) == 107  # 104 documents, 2 calendars and the base
    assert batch_manifest == single_manifest


def test_erroneous_registry_builds_the_valid_organizations(errors_batch):
    result, out = errors_batch
    statuses = [o.status for o in result.outcomes]
    assert statuses.count("done") == 14 and statuses.count("invalid") == 6
    assert not result.ok
    rows = _status_rows(out / "status.xlsx")
    errors = {r["registry"]: r["errors"] for r in rows if r["status"] == "invalid"}
    assert errors == {
        "organizations row 4": "organizations!A4: organization.bin: '110440252032' fails the BIN check digit; "
                               "check the number",
        "organizations row 6": f"organizations!{ORG_COL['approval.date']}6: approval.date: '31.02.2026' is not a "
                               f"date that exists",
        "organizations row 9": f"organizations!{ORG_COL['organization.legal_form']}9: organization.legal_form: "
                               f"unknown legal form 'ТОО ЛТД'; expected one of: ШЖҚ МКК, ШЖҚ КМК, ШЖҚ РМК, МКҚК, "
                               f"РМҚК, АҚ, КЕАҚ, ЖШС, ҰК, КММ, ММ, РММ",
        "organizations row 11": "organizations!A11: BIN 170340133363 is also in row 12; each organization must "
                                "have one row",
        "organizations row 12": "organizations!A12: BIN 170340133363 is also in row 11; each organization must "
                                "have one row",
        "organizations row 15": f"employees!{EMP_COL['position.ru']}143: position.ru: is required",
    }
    registry_sheet = list(openpyxl.load_workbook(out / "status.xlsx")["registry"].iter_rows(values_only=True))
    assert ("employees!A223", "organization.bin '123456789012' matches no row of sheet 'organizations' "
                              "(1 employee row belongs to no organization)") in registry_sheet
    built = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(built) == 14 and "110440252032" not in built and "170340133363" not in built
    assert not list(out.rglob("*.partial-*"))


def test_a_failing_organization_does_not_stop_the_others(tmp_path):
    """An organization that fails while building (here: a different pack is in its place)
    is reported; the others are built, in a worker pool."""
    registry = _registry(tmp_path)
    out = tmp_path / "out"
    blocked = out / "961240602220" / "2026"
    blocked.mkdir(parents=True)
    (blocked / "notes.txt").write_text("the officer's own file", encoding="utf-8")
    result = run_batch(registry, out, defaults=DEFAULTS, jobs=2)
    assert [o.status for o in result.outcomes] == ["done", "failed", "done"]
    assert "use --force to replace it" in str(result.outcomes[1].problems[0])
    assert (blocked / "notes.txt").read_text(encoding="utf-8") == "the officer's own file"
    # a second run skips the packs that are up to date; --force rebuilds them all
    again = run_batch(registry, out, defaults=DEFAULTS, jobs=1)
    assert [o.status for o in again.outcomes] == ["up to date", "failed", "up to date"]
    forced = run_batch(registry, out, defaults=DEFAULTS, jobs=1, force=True)
    assert [o.status for o in forced.outcomes] == ["done"] * 3
    assert not (blocked / "notes.txt").exists()


def test_cli_batch_and_registry_init(tmp_path):
    runner = CliRunner()
    registry = tmp_path / "registry.xlsx"
    res = runner.invoke(main, ["registry", "init", str(registry)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(registry)
    assert wb.sheetnames == ["organizations", "employees", "help"]
    orgs, emps = wb["organizations"], wb["employees"]
    assert [c.value for c in orgs[1]] == [c.path for c in ORGANIZATION_COLUMNS]
    assert [c.value for c in emps[1]] == [c.path for c in EMPLOYEE_COLUMNS]
    assert orgs["A1"].comment.text == "BIN: 12 digits, as text (required)"  # in the interface language (en)
    assert orgs.column_dimensions["A"].number_format == "@"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in orgs.data_validations.dataValidation}
    assert "ШЖҚ РМК" in lists[f"{ORG_COL['organization.legal_form']}2"]
    assert lists[f"{ORG_COL['organization.governing_body']}2"] == '"board_of_directors,supervisory_board,none"'
    assert runner.invoke(main, ["registry", "init", str(registry)]).exit_code == 1  # no overwrite
    # the empty registry has nobody to build
    res = runner.invoke(main, ["batch", str(registry), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1 and "has no organizations below its header row" in res.output

    def edit(wb):
        wb["organizations"]["A3"].value = "961240602221"
    small = _registry(tmp_path, edit)
    res = runner.invoke(main, ["batch", str(small), "-o", str(tmp_path / "packs"), "--defaults", str(DEFAULTS),
                               "--jobs", "2"])
    assert res.exit_code == 1
    assert "3 organizations: done — 2, invalid — 1; status: " in res.output
    assert "  organizations!A3: organization.bin: '961240602221' fails the BIN check digit" in res.output
    assert "Traceback" not in res.output
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == ["050940602947", "110440252031", "status.xlsx"]


def test_templates_and_base_documents_are_prepared_once_per_process(tmp_path, monkeypatch):
    """A second organization compiles no template, reads no template file and prepares no
    base document: everything is reused from the first."""
    import jinja2

    from packbuilder.write import docx as docx_writer

    defaults = read_profile_data(DEFAULTS)
    first, second = (validate_profile(_merge(defaults, org)) for org in _sample_orgs()[:2])
    build_pack(first, tmp_path)  # warms the caches of this process (other tests may have already)
    compiled, prepared, read = [], [], []
    real_compile = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, *a, **k: compiled.append(a[1] if len(a) > 1 else k.get("name"))
                        or real_compile(self, *a, **k))
    monkeypatch.setattr(docx_writer, "_styled_document", lambda lang: prepared.append(lang))
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real_read(self))
    real_source = jinja2.FileSystemLoader.get_source
    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source",
                        lambda self, env, name: read.append(name) or real_source(self, env, name))
    result = build_pack(second, tmp_path)
    assert len(result.files) == 108  # 104 documents, 2 calendars, the base, the manifest
    assert compiled == [] and prepared == []
    assert [name for name in read if name.endswith(".md")] == []
