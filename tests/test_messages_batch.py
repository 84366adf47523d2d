"""The batch, the registry and its workbook in the officer's language: the status workbook's
headers and statuses, the registry's problems and help sheet in Kazakh and Russian, and the
batch's worker processes speaking the language of the run that started them."""

from __future__ import annotations

import openpyxl
import pytest
import yaml
from conftest import SAMPLES

from packbuilder.batch import (
    CANCELLED,
    DONE,
    FAILED,
    INVALID,
    UP_TO_DATE,
    BatchResult,
    Outcome,
    run_batch,
    status_label,
    write_status,
)
from packbuilder.errors import Problem
from packbuilder.i18n import use_language
from packbuilder.inputs.registry import Entry, read_registry
from packbuilder.inputs.registry_workbook import write_registry

DEFAULTS = SAMPLES / "ministry_defaults.yaml"


def _sample_orgs(n: int) -> list[dict]:
    files = sorted((SAMPLES / "ministry").glob("*.yaml"))[:n]
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files]


def _status_result(tmp_path) -> BatchResult:
    """A result with one organization in each status, and one problem of the registry."""
    outcomes = [Outcome(Entry(i, f"organizations row {i + 1}", f"00000000000{i}", f"org {i}"), status,
                        [Problem("organizations!A3", "bad")] if status == INVALID else [])
                for i, status in enumerate((DONE, UP_TO_DATE, FAILED, INVALID, CANCELLED), start=1)]
    return BatchResult(outcomes, [Problem("employees!A9", "lost")], tmp_path / "status.xlsx")


STATUS_XLSX = {
    "ru": (["№", "реестр", "БИН", "организация", "статус", "ошибки", "предупреждения", "файлы", "секунды", "пакет"],
           ["готово", "актуален", "ошибка сборки", "ошибки в данных", "отменено"],
           ["где", "проблема"]),
    "kk": (["№", "тізілім", "БСН", "ұйым", "күйі", "қателер", "ескертулер", "файлдар", "секунд", "пакет"],
           ["дайын", "өзекті", "құрастыру қатесі", "деректерде қате", "тоқтатылды"],
           ["қайда", "мәселе"]),
}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_status_workbook_headers_and_statuses_in_the_interface_language(tmp_path, lang):
    result = _status_result(tmp_path)
    with use_language(lang):
        write_status(result)
    wb = openpyxl.load_workbook(result.status_path)
    assert wb.sheetnames == ["status", "registry"]  # sheet names stay: macros may use them
    rows = list(wb["status"].iter_rows(values_only=True))
    headers, statuses, registry_headers = STATUS_XLSX[lang]
    assert list(rows[0]) == headers
    assert [r[4] for r in rows[1:]] == statuses
    assert list(next(wb["registry"].iter_rows(values_only=True))) == registry_headers
    # the codes themselves do not change with the language
    assert [o.status for o in result.outcomes] == [DONE, UP_TO_DATE, FAILED, INVALID, CANCELLED]


def test_status_label_follows_the_language():
    assert status_label(DONE) == "done"  # the tests' interface language is English
    with use_language("ru"):
        assert status_label(INVALID) == "ошибки в данных"
    with use_language("kk"):
        assert status_label(UP_TO_DATE) == "өзекті"
    assert status_label("something else") == "something else"


def test_registry_problems_in_russian(tmp_path):
    path = tmp_path / "registry.xlsx"
    write_registry(path, _sample_orgs(3))
    wb = openpyxl.load_workbook(path)
    wb["organizations"]["A4"].value = wb["organizations"]["A2"].value  # the same BIN twice
    wb.save(path)
    with use_language("ru"), read_registry(path, DEFAULTS) as reg:
        first, _second, third = reg.entries
        assert first.source == "organizations, строка 2"
        assert [str(p) for p in first.problems] == [
            "organizations!A2: БИН 050940602947 есть также в строке 4; у каждой организации должна "
            "быть одна строка"]
        assert [str(p) for p in third.problems] == [
            "organizations!A4: БИН 050940602947 есть также в строке 2; у каждой организации должна "
            "быть одна строка"]
        # the third organization's staff belong to no row now: a problem of the registry, counted in Russian
        (lost,) = reg.problems
        assert lost.message.startswith("organization.bin '110440252031' не совпадает ни с одной строкой листа "
                                       "'organizations' (")
        assert lost.message.endswith(" работников не относятся ни к одной организации)")


def test_registry_help_sheet_in_kazakh(tmp_path):
    path = tmp_path / "registry.xlsx"
    with use_language("kk"):
        write_registry(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["organizations", "employees", "help"]
    orgs, help_ws = wb["organizations"], wb["help"]
    assert orgs["A1"].value == "organization.bin"  # the headers are field paths in every language
    assert orgs["A1"].comment.text == "БСН: 12 сан, мәтін пішімінде (міндетті)"
    rows = list(help_ws.iter_rows(values_only=True))
    assert list(rows[0]) == ["парақ", "баған", "міндетті", "не көрсету керек"]
    by_column = {(r[0], r[1]): r for r in rows[1:] if r and r[1]}
    assert by_column[("organizations", "head.name.kk")][2:] == (
        "иә", "Басшының тегі, аты, әкесінің аты, қазақша")
    assert by_column[("employees", "hired")][3] == "Жұмысқа қабылданған күні (КК.АА.ЖЖЖЖ)"
    assert "defaults профилінде" in rows[-1][1]
    errors = {dv.error for dv in orgs.data_validations.dataValidation}
    assert errors == {"Тізімнен мән таңдаңыз"}


def test_the_batch_workers_speak_the_language_of_the_run(tmp_path):
    """A registry of three: one invalid (found while reading, in this process) and two whose
    pack folders hold someone else's files (found by the worker processes building them): with
    two workers, every problem is in Russian, though the workers' environment says English."""
    path = tmp_path / "registry.xlsx"
    write_registry(path, _sample_orgs(3))
    wb = openpyxl.load_workbook(path)
    wb["organizations"]["A3"].value = "961240602221"  # fails the BIN check digit
    wb.save(path)
    out = tmp_path / "out"
    for bin_ in ("050940602947", "110440252031"):
        (out / bin_ / "2026").mkdir(parents=True)
        (out / bin_ / "2026" / "notes.txt").write_text("the officer's own file", encoding="utf-8")
    with use_language("ru"):
        result = run_batch(path, out, defaults=DEFAULTS, jobs=2)
    assert [o.status for o in result.outcomes] == [FAILED, INVALID, FAILED]
    for o in (result.outcomes[0], result.outcomes[2]):
        (problem,) = o.problems
        assert problem.message == ("здесь уже есть пакет, собранный из других данных или шаблонов; чтобы "
                                   "заменить его, используйте --force")
    assert "organizations!A3" in str(result.outcomes[1].problems[0])
    rows = list(openpyxl.load_workbook(result.status_path)["status"].iter_rows(values_only=True))
    assert [r[4] for r in rows[1:]] == ["ошибка сборки", "ошибки в данных", "ошибка сборки"]
    assert rows[1][1] == "organizations, строка 2"


def test_template_check_problems_in_the_language_of_each_check(tmp_path):
    """The check of a folder of template overrides is kept for the process, once per interface
    language: the same folder checked in English and then in Russian answers in each."""
    from packbuilder.authoring.check import preflight
    from packbuilder.errors import InputError

    (tmp_path / "en").mkdir()
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "polcy.md").write_text("text", encoding="utf-8")
    with pytest.raises(InputError) as en:
        preflight(tmp_path)
    with use_language("ru"), pytest.raises(InputError) as ru:
        preflight(tmp_path)
    assert "not a language folder: templates go in kk/ and ru/" in str(en.value)
    assert [p.message for p in ru.value.problems] == [
        "это не папка языка: шаблоны кладутся в kk/ и ru/",
        "встроенного шаблона с именем 'polcy' нет, поэтому этот файл ничего не заменит; возможно, имелся в виду "
        "policy.md? Имена шаблонов — те, что выгружает `packbuilder templates export`",
    ]
