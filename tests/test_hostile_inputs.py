"""Hostile and careless input files: each gives a clear error naming the file and field or
line, exit 1, no traceback, in well under a second."""

from __future__ import annotations

import time

import yaml
from click.testing import CliRunner
from conftest import SAMPLES

from packbuilder.cli import main

BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
approval:
  date: *i
"""


def _validate(path):
    start = time.monotonic()
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert time.monotonic() - start < 5, "a hostile input must be refused at once"
    assert "Traceback" not in result.output and not isinstance(result.exception, (AttributeError, MemoryError))
    return result


def _sample() -> dict:
    return yaml.safe_load((SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8"))


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    result = _validate(path)
    assert result.exit_code == 1
    assert f"error: {path}: not valid YAML at line 5, column 8" in result.output  # where it grows too far
    assert "the aliases (*name) expand to more than 10000 values" in result.output
    assert len(result.output) < 400


def test_a_key_given_twice_is_an_error_naming_both_lines(tmp_path):
    path = tmp_path / "twice.yaml"
    text = (SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8")
    text = text.replace("  bin: ", "  bin: '200640195858'\n  bin: ", 1)
    path.write_text(text, encoding="utf-8")
    result = _validate(path)
    assert result.exit_code == 1
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "bin: '200640195858'" in row)
    assert f"the key 'bin' is given twice (also at line {line}): keep one" in result.output


def test_utf16_and_binary_profiles_say_what_to_do(tmp_path):
    text = (SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes(text.encode("utf-16"))
    result = _validate(utf16)
    assert result.exit_code == 1
    assert f"error: {utf16}: is saved as UTF-16 (Unicode): save it as UTF-8 (Excel: «CSV UTF-8»" in result.output
    binary = tmp_path / "photo.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = _validate(binary)
    assert result.exit_code == 1 and "is not a text file (it holds binary data)" in result.output


def test_a_windows_1251_staff_file_is_read_with_a_warning(tmp_path):
    data = _sample()
    staff = tmp_path / "staff.csv"
    rows = ["name;position;equated", "Иванов Иван Иванович;Директор;да", "Петрова Анна Сергеевна;Бухгалтер;нет"]
    staff.write_bytes("\r\n".join(rows).encode("cp1251"))
    data["employees"] = "staff.csv"
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = _validate(profile)
    assert result.exit_code == 0, result.output
    assert "warning: staff.csv: read as Windows-1251, not UTF-8: check its Kazakh letters" in result.output
    assert "2 employees (1 equated)" in result.output  # «да» read as yes: the Cyrillic is right


def test_invisible_and_noncharacter_texts_name_their_field(tmp_path):
    data = _sample()
    data["head"]["name"]["ru"] = "Сейткали\ufffe Бауыржан"
    data["organization"]["short_name"] = "\u200b\u200b\u2060"
    data["approval"]["date"] = "x" * 10_000
    data["compliance_officer"]["position"] = "Комплаенс-офицер " * 2000
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = _validate(path)
    assert result.exit_code == 1
    assert "head.name.ru: holds a character that is not text (U+FFFE, U+FFFF or another noncharacter)" \
        in result.output
    assert "organization.short_name" in result.output and "holds no visible character" in result.output
    assert "compliance_officer.position.kk: is longer than 1000 characters: shorten it" in result.output
    line = next(row for row in result.output.splitlines() if "approval.date" in row)
    assert line.endswith("…' (10000 characters)") and len(line) < 200 + len(str(path))


def _staff_profile(tmp_path, workbook) -> object:
    data = _sample()
    path = tmp_path / "staff.xlsx"
    workbook.save(path)
    data["employees"] = "staff.xlsx"
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return profile


def _rows(ws, rows):
    for row in rows:
        ws.append(row)


def test_the_staff_sheet_is_the_visible_one_and_merged_cells_fill_their_rows(tmp_path):
    import openpyxl

    from packbuilder.inputs.profile_file import load_profile
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "Old"
    _rows(old, [["name", "position"], ["Бывший Работник", "Кассир"]])
    old.sheet_state = "hidden"
    staff = wb.create_sheet("Staff")
    _rows(staff, [["name", "position", "department"], ["Иванов Иван Иванович", "Юрист", "Правовой отдел"],
                  ["Петров Пётр Петрович", "Юрист", None], ["Сидорова Анна Олеговна", "Директор", "Дирекция"]])
    staff.merge_cells("C2:C3")  # one department for two rows
    wb.active = 0
    profile = load_profile(_staff_profile(tmp_path, wb))
    assert [e.name.ru for e in profile.employees] == ["Иванов Иван Иванович", "Петров Пётр Петрович",
                                                      "Сидорова Анна Олеговна"]
    assert [e.department.ru for e in profile.employees] == ["Правовой отдел", "Правовой отдел", "Дирекция"]


def test_a_formula_without_its_saved_result_is_an_error_naming_the_cell(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    _rows(ws, [["name", "position", "equated"], ["Иванов Иван Иванович", "Юрист", "=1=1"]])
    result = _validate(_staff_profile(tmp_path, wb))
    assert result.exit_code == 1
    assert "staff.xlsx!Staff!C2: a formula whose result was not saved (1 such cell): open the file in Excel" \
        in result.output


def test_a_zip_bomb_staff_file_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    import openpyxl

    from packbuilder.inputs import spreadsheet
    monkeypatch.setattr(spreadsheet, "ZIP_UNCOMPRESSED", 2000)  # the limit made small: a real bomb is GBs
    wb = openpyxl.Workbook()
    _rows(wb.active, [["name", "position"]] + [[f"Работник {i}", "Юрист " * 20] for i in range(200)])
    result = _validate(_staff_profile(tmp_path, wb))
    assert result.exit_code == 1
    assert "staff.xlsx: is too large to open safely" in result.output and "save it again from Excel" in result.output


def test_a_word_template_too_large_to_open_is_refused(tmp_path, monkeypatch, packs):
    import pytest

    from packbuilder.errors import InputError
    from packbuilder.inputs import spreadsheet
    from packbuilder.pack.build import render_pack
    templates = tmp_path / "T" / "ru"
    templates.mkdir(parents=True)
    (templates / "policy.docx").write_bytes(packs["astana_monitoring_centre"].file("ru", "03-policy.docx").read_bytes())
    monkeypatch.setattr(spreadsheet, "ZIP_UNCOMPRESSED", 2000)  # the limit made small: a real bomb is GBs
    with pytest.raises(InputError, match=r"policy\.docx: is too large to open safely"):
        render_pack(packs["astana_monitoring_centre"].profile, ["ru"], ["policy"], tmp_path / "T")
    from packbuilder.authoring.check import check_templates
    report = check_templates(tmp_path / "T")  # `templates check` refuses it before reading a part
    assert any("policy.docx" in p.where and "too large to open safely" in p.message for p in report.problems)
    (templates / "policy.docx").write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match=r"policy\.docx: is not a Word document \(\.docx\)"):
        render_pack(packs["astana_monitoring_centre"].profile, ["ru"], ["policy"], tmp_path / "T")


def test_a_file_of_an_old_pack_that_is_a_symbolic_link_refuses_the_update(tmp_path, packs):
    import shutil

    import pytest

    from packbuilder.errors import InputError
    from packbuilder.update.old_pack import read_old_pack
    old = tmp_path / "old"
    shutil.copytree(packs["escaping"].root, old)
    (old / "kk" / "03-policy.docx").unlink()
    (old / "kk" / "03-policy.docx").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match=r"kk/03-policy\.docx: is a symbolic link \(or lies outside the pack\)"):
        read_old_pack(old)
