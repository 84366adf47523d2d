"""The messages of the lower stages (profile, staff file, registry, pack) in the officer's
language: Russian and Kazakh from the catalogs, English as the message ids; field paths kept
0-based, people counted from 1, the YAML line given (issue 19).

These tests need the compiled catalogs holding the part catalogs ``core.kk.po`` and
``core.ru.po`` (``python -m packbuilder.i18n.catalogs merge …; … compile``).
"""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from packbuilder.errors import InputError
from packbuilder.i18n import use_language
from packbuilder.inputs.profile_file import load_profile, validate_profile
from packbuilder.model.profile import Profile, profile_problems, quote

WORDS = {
    # language: (required, employee No. 4, a date that does not exist, the BIN check digit)
    "en": ("is required", "employee No. 4", "is not a date that exists", "fails the BIN check digit"),
    "ru": ("обязательн", "работник № 4", "не существует", "контрольной цифры БИН"),
    "kk": ("міндетті", "№ 4 жұмыскер", "мұндай күн жоқ", "БСН-нің бақылау цифрына"),
}


def _spoil(data: dict) -> dict:
    """A bad BIN, no head, an impossible approval date, the fourth employee without a position."""
    data["organization"]["bin"] = "123456789012"
    data.pop("head")
    data["approval"]["date"] = "2026-02-30"
    data["employees"][3].pop("position")
    return data


def _problems(data: dict, lang: str) -> dict[str, str]:
    with use_language(lang):
        with pytest.raises(InputError) as err:
            validate_profile(data)
        return {p.where: str(p) for p in err.value.problems}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_bad_profile_speaks_the_interface_language(sample_data, lang):
    required, employee, no_date, check_digit = WORDS[lang]
    problems = _problems(_spoil(sample_data), lang)
    assert set(problems) >= {"organization.bin", "head", "approval.date", "employees[3].position"}
    assert required in problems["head"]
    assert check_digit in problems["organization.bin"]
    assert no_date in problems["approval.date"]
    fourth = problems["employees[3].position"]
    assert fourth.startswith("employees[3].position") and employee in fourth and required in fourth
    if lang != "en":
        text = " ".join(problems.values())
        assert not any(w in text for w in ("required", "employee No.", "expected", "Input should"))


@pytest.mark.parametrize("lang, line", [("en", ", line {n}, organization.bin"),
                                        ("ru", ", строка {n}, organization.bin"),
                                        ("kk", ", {n}-жол, organization.bin")])
def test_a_profile_file_gives_the_line_in_the_interface_language(sample_data, write_profile, lang, line):
    sample_data["organization"]["bin"] = "123456789012"
    path = write_profile(sample_data)
    n = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if text.strip().startswith("bin:"))
    with use_language(lang), pytest.raises(InputError) as err:
        load_profile(path)
    assert line.format(n=n) in str(err.value)
    assert str(err.value).startswith(str(path))


def test_the_yaml_line_of_a_hand_written_profile(tmp_path, sample_data):
    text = yaml.safe_dump(sample_data, allow_unicode=True, sort_keys=False).splitlines()
    # put year on line 7: six comment lines before it
    path = tmp_path / "profile.yaml"
    path.write_text("\n".join(["# comment"] * 6 + ["year: 1999"] + [t for t in text if not t.startswith("year:")]),
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_profile(path)
    assert f"{path}, line 7, year: expected a year between 2000 and 2100, got 1999" in str(err.value)
    with use_language("ru"), pytest.raises(InputError) as err:
        load_profile(path)
    assert f"{path}, строка 7, year: ожидается год от 2000 до 2100, указано: 1999" in str(err.value)


def test_a_staff_file_problem_names_its_cell_in_russian(tmp_path, sample_data, write_profile):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    for row in (["name", "position", "hired"], ["Әлиев Марат", "Бухгалтер", "2024-01-01"],
                ["Ким Ольга", "Экономист", "2024-02-31"]):
        ws.append(row)
    wb.save(tmp_path / "staff.xlsx")
    sample_data["employees"] = "staff.xlsx"
    path = write_profile(sample_data)
    with use_language("ru"), pytest.raises(InputError) as err:
        load_profile(path)
    assert "staff.xlsx!Staff!C3: hired: даты '2024-02-31' не существует" in str(err.value)


def test_a_csv_staff_cell_is_named_in_russian_and_kazakh(tmp_path, sample_data, write_profile):
    (tmp_path / "staff.csv").write_text("name,position\nӘлиев Марат,Бухгалтер\nКим Ольга,\n", encoding="utf-8")
    sample_data["employees"] = "staff.csv"
    path = write_profile(sample_data)
    with use_language("ru"), pytest.raises(InputError) as err:
        load_profile(path)
    assert "staff.csv: строка 3, столбец 2: position: обязательное поле" in str(err.value)
    with use_language("kk"), pytest.raises(InputError) as err:
        load_profile(path)
    assert "staff.csv: 3-жол, 2-баған: position: міндетті өріс" in str(err.value)


@pytest.mark.parametrize("change, where, en, ru", [
    (lambda d: d["organization"].__setitem__("governing_body", "x"), "organization.governing_body",
     "expected one of: 'board_of_directors', 'supervisory_board', 'none'",
     "ожидается одно из: 'board_of_directors', 'supervisory_board', 'none'"),
    (lambda d: d.__setitem__("year", 2026.5), "year", "expected a whole number", "ожидается целое число"),
    (lambda d: d["organization"].__setitem__("name", {"kk": ["x"], "ru": "x"}), "organization.name.kk",
     "expected a text", "ожидается текст"),
    (lambda d: d.__setitem__("employees", []), "employees", "must not be empty", "не должно быть пустым"),
    (lambda d: d["organization"].__setitem__("nmae", "x"), "organization.nmae", "unknown key", "неизвестный ключ"),
])
def test_pydantic_errors_become_our_own_words(sample_data, change, where, en, ru):
    change(sample_data)
    with pytest.raises(ValidationError) as err:
        Profile.model_validate(sample_data)
    for lang, words in (("en", en), ("ru", ru)):
        with use_language(lang):
            problems = {p.where: p.message for p in profile_problems(err.value)}
        assert words in problems[where]
        assert "Input should" not in " ".join(problems.values())


def test_a_long_value_is_cut_with_its_length_in_the_interface_language():
    assert quote("x" * 100).endswith("…' (100 characters)")
    with use_language("ru"):
        assert quote("x" * 100).endswith("…' (100 симв.)")
    with use_language("kk"):
        assert quote("x" * 100).endswith("…' (100 таңба)")
