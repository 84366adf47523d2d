"""Profile loading and validation: every problem named by its field or cell."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from packbuilder.cli import main
from packbuilder.errors import InputError
from packbuilder.inputs.profile_file import load_profile
from packbuilder.model.bin import bin_check_digit, is_valid_bin
from packbuilder.model.profile import profile_warnings


def _errors(path, match: str) -> list[str]:
    """The problems loading ``path`` raises; ``match`` is a pattern one of them has."""
    with pytest.raises(InputError, match=match) as info:
        load_profile(path)
    return [f"{p.where}: {p.message}" for p in info.value.problems]


def test_bin_check_digit_follows_both_weight_rounds():
    # 1·1+2·2+…+9·9+0·10+1·11 = 296, 296 mod 11 = 10 → second round with 3,4,…,11,1,2:
    # 1·3+2·4+3·5+4·6+5·7+6·8+7·9+8·10+9·11+0·1+1·2 = 377, 377 mod 11 = 3
    assert bin_check_digit("12345678901") == 3
    assert bin_check_digit("00000000001") == 0 + 11 % 11
    assert is_valid_bin("150740099876")
    assert not is_valid_bin("150740099875")
    assert not is_valid_bin("15074009987")
    assert not is_valid_bin("1507400998a6")


def test_samples_are_valid():
    centre = load_profile(SAMPLES / "astana_monitoring_centre.yaml")
    hospital = load_profile(SAMPLES / "shal_akyn_hospital.yaml")
    assert len(centre.employees) >= 30 and len(hospital.employees) >= 30
    assert any(e.equated for e in hospital.employees) and not all(e.equated for e in hospital.employees)
    assert len({e.department.ru for e in centre.employees if e.department}) >= 3
    assert profile_warnings(centre) == []


def test_plain_string_text_serves_both_languages(sample_data, write_profile):
    sample_data["head"]["name"] = "Ахметов Ерлан"
    p = load_profile(write_profile(sample_data))
    assert p.head.name.kk == p.head.name.ru == "Ахметов Ерлан"


@pytest.mark.parametrize("change, where, expected", [
    (lambda d: d["organization"].__setitem__("bin", "123456789012"), "organization.bin", "check digit"),
    (lambda d: d["organization"].__setitem__("bin", "12345"), "organization.bin", "12 digits"),
    (lambda d: d["organization"].__setitem__("legal_form", "ООО"), "organization.legal_form", "unknown legal form"),
    (lambda d: d.pop("head"), "head", "is required"),
    (lambda d: d["approval"].__setitem__("date", "2026-02-30"), "approval.date", "not a date that exists"),
    (lambda d: d["organization"].__setitem__("nmae", "x"), "organization.nmae", "unknown key"),
    (lambda d: d["employees"][3].__setitem__("hired", "31.04.2024"), "employees[3].hired", "not a date that exists"),
    (lambda d: d["employees"][2].__setitem__("equated", "maybe"), "employees[2].equated", "true/false"),
    (lambda d: d["organization"].__setitem__("governing_body", "board"), "organization.governing_body", "board_of_directors"),
    (lambda d: d.__setitem__("year", 26), "year", "between 2000 and 2100"),
])
def test_bad_field_is_named(sample_data, write_profile, change, where, expected):
    change(sample_data)
    errors = _errors(write_profile(sample_data), re.escape(expected))
    assert any(e.startswith(where + ":") and expected in e for e in errors), errors


def test_all_problems_reported_at_once(sample_data, write_profile):
    sample_data["organization"]["bin"] = "1"
    sample_data["head"]["position"] = {"kk": "Директор"}
    sample_data["employees"][0]["name"] = ""
    errors = _errors(write_profile(sample_data), "organization.bin")
    assert {e.split(":")[0] for e in errors} >= {"organization.bin", "head.position.ru", "employees[0].name.kk"}


def test_state_institution_is_accepted_with_a_warning(sample_data, write_profile):
    sample_data["organization"]["legal_form"] = "КММ"
    p = load_profile(write_profile(sample_data))
    assert any("state institution" in str(w) for w in profile_warnings(p))


def test_russian_abbreviation_of_legal_form_is_understood(sample_data, write_profile):
    sample_data["organization"]["legal_form"] = "ТОО"
    assert load_profile(write_profile(sample_data)).organization.legal_form == "ЖШС"


def test_bin_read_as_number_keeps_leading_zero(sample_data, write_profile):
    sample_data["organization"]["bin"] = "040340004569"
    assert not is_valid_bin("040340004569") or True
    # find a valid BIN with a leading zero and give it as a number, as a spreadsheet would
    first = "04034000456"
    check = bin_check_digit(first)
    sample_data["organization"]["bin"] = int(first + str(check))
    assert load_profile(write_profile(sample_data)).organization.bin == first + str(check)


def _staff_xlsx(path, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(header)
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a name typed as text, as Excel keeps it with a leading '
    wb.save(path)


def test_staff_file_values_are_normalized(tmp_path, sample_data, write_profile):
    _staff_xlsx(tmp_path / "staff.xlsx", ["name", "position.kk", "position.ru", "department", "equated", "hired"], [
        ["Әлиев Марат", "Бухгалтер", "Бухгалтер", None, "иә", dt.datetime(2024, 3, 1)],
        ["Ким Ольга", "Экономист", "Экономист", "Бухгалтерия", "нет", 45292],  # a date serial: 2024-01-01
        [None, None, None, None, None, None],  # an empty row is skipped
        ["=SUM(A1:A2)", "Маман", "Специалист", "  ", 1, None],
    ])
    sample_data["employees"] = "staff.xlsx"
    p = load_profile(write_profile(sample_data))
    assert [e.name.kk for e in p.employees] == ["Әлиев Марат", "Ким Ольга", "=SUM(A1:A2)"]
    assert [e.equated for e in p.employees] == [True, False, True]
    assert p.employees[0].hired == dt.date(2024, 3, 1) and p.employees[1].hired == dt.date(2024, 1, 1)
    assert p.employees[0].department is None and p.employees[2].department is None


def test_staff_csv(tmp_path, sample_data, write_profile):
    (tmp_path / "staff.csv").write_text("name;position.kk;position.ru;equated\nӘлиев Марат;Бухгалтер;Бухгалтер;да\n",
                                        encoding="utf-8")
    sample_data["employees"] = "staff.csv"
    p = load_profile(write_profile(sample_data))
    assert p.employees[0].position.ru == "Бухгалтер" and p.employees[0].equated


def test_staff_file_missing_column_is_named(tmp_path, sample_data, write_profile):
    _staff_xlsx(tmp_path / "staff.xlsx", ["name", "department"], [["Әлиев Марат", "Бухгалтерия"]])
    sample_data["employees"] = "staff.xlsx"
    errors = _errors(write_profile(sample_data), "missing column 'position'")
    assert errors == ["staff.xlsx: missing column 'position' (or 'position.kk' and 'position.ru')"]


def test_staff_file_bad_cell_is_named(tmp_path, sample_data, write_profile):
    _staff_xlsx(tmp_path / "staff.xlsx", ["name", "position", "hired"],
                [["Әлиев Марат", "Бухгалтер", "2024-01-01"], ["Ким Ольга", "Экономист", "2024-02-31"]])
    sample_data["employees"] = "staff.xlsx"
    errors = _errors(write_profile(sample_data), "not a date that exists")
    assert len(errors) == 1 and errors[0].startswith("staff.xlsx!Staff!C3:") and "not a date that exists" in errors[0]


def test_unreadable_staff_file(tmp_path, sample_data, write_profile):
    (tmp_path / "staff.xlsx").write_bytes(b"this is not a workbook")
    sample_data["employees"] = "staff.xlsx"
    errors = _errors(write_profile(sample_data), "cannot read")
    assert len(errors) == 1 and errors[0].startswith("staff.xlsx: cannot read")


def test_broken_yaml_names_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("year: 2026\norganization: [unclosed\n", encoding="utf-8")
    errors = _errors(path, "not valid YAML at line")
    assert len(errors) == 1 and "not valid YAML at line" in errors[0]


def test_json_profile(sample_data, tmp_path):
    import json
    path = tmp_path / "p.json"
    path.write_text(json.dumps(sample_data, ensure_ascii=False, default=str), encoding="utf-8")
    assert load_profile(path).organization.bin == sample_data["organization"]["bin"]


@pytest.mark.parametrize("args, expected", [
    (["validate", "missing.yaml"], "missing.yaml: cannot read the profile"),
])
def test_cli_error_is_one_line_without_traceback(args, expected, tmp_path):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output


def test_cli_build_bad_profile_writes_nothing(sample_data, write_profile, tmp_path):
    sample_data["organization"]["bin"] = "123456789012"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(write_profile(sample_data)), "-o", str(out)])
    assert result.exit_code == 1
    assert ", line 15, organization.bin:" in result.output and "error: " in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.rglob("*"))


def test_init_writes_a_starter_that_validates_once_filled(tmp_path):
    runner = CliRunner()
    path = tmp_path / "new.yaml"
    assert runner.invoke(main, ["init", str(path)]).exit_code == 0
    assert runner.invoke(main, ["init", str(path)]).exit_code == 1  # never overwrites
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    for field in ("organization.name.kk", "organization.bin", "head.name", "approval.number"):
        assert f", {field}" in result.output and "error: " in result.output
    text = path.read_text(encoding="utf-8")
    filled = (text.replace('name: {kk: "", ru: ""}', 'name: {kk: "«Тест» ЖШС", ru: "ТОО «Тест»"}', 1)
              .replace('bin: ""', 'bin: "150740099876"')
              .replace('parent_body: {kk: "", ru: ""}', "parent_body: Министерство")
              .replace('address: {kk: "", ru: ""}', "address: Астана")
              .replace('number: ""', 'number: "1-П"')
              .replace('name: ""', 'name: "Ахметов Ерлан"')
              .replace('position: {kk: "", ru: ""}', "position: Бухгалтер"))
    path.write_text(filled, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_cli_list_and_build(tmp_path):
    runner = CliRunner()
    listing = runner.invoke(main, ["list"])
    assert listing.exit_code == 0
    assert "03  policy" in listing.output and "Журнал ознакомления с документами" in listing.output
    for new in ("16  risk_map", "17  equated_positions", "18  gifts", "19  coi_forms", "20  training_tests",
                "21  counterparties", "22  officer_job_description", "23  proof_checklist"):
        assert new in listing.output  # the documents of issue 16
    out = tmp_path / "out"
    args = ["build", str(SAMPLES / "escaping.yaml"), "-o", str(out), "--only", "order", "--lang", "ru"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    root = out / "210140099997" / "2026"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == \
        [".packbuilder/base.json.xz", "manifest.json", "ru/01-order.docx", "ru/calendar.ics"]
    again = runner.invoke(main, args)
    assert again.exit_code == 1 and "--force" in again.output
    assert runner.invoke(main, args + ["--force"]).exit_code == 0
    bad = runner.invoke(main, ["build", str(SAMPLES / "escaping.yaml"), "-o", str(out), "--only", "nonsense"])
    assert bad.exit_code == 2 and "unknown document 'nonsense'" in bad.output
