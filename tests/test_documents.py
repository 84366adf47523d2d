"""The documents added to complete the pack (PACK.md): each one's required content, opened
from the built sample packs."""

from __future__ import annotations

import re

import pytest

from packbuilder import legal_calendar as cal
from packbuilder.language import date_dmy

from conftest import docx_tables, xlsx_rows, xlsx_text

LANGS = ("kk", "ru")
COMMITMENT = {"kk": "МІНДЕТТЕМЕ", "ru": "ОБЯЗАТЕЛЬСТВО"}
ART = {  # «article N of the Law» as the templates write it
    "kk": lambda n: f"Заңның {n}-баб",
    "ru": lambda n: f"стать{{}} {n} Закона",
}


def _cites(text: str, lang: str, article: int) -> bool:
    if lang == "kk":
        return re.search(rf"Заңның {article}-баб", text) is not None
    return re.search(rf"стать(?:я|и|е|ей|ёй|ю) {article}(?:\s+Закона|\s+Закона Республики)", text) is not None


@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital", "escaping"])
def test_restrictions_commitment_for_each_equated_employee_and_journal(packs, sample):
    pack = packs[sample]
    equated = [e for e in pack.profile.employees if e.equated]
    assert equated
    for lang in LANGS:
        text = pack.text(lang, "09-restrictions.docx")
        assert _cites(text, lang, 12), lang
        commitments = text.split("\n" + COMMITMENT[lang] + "\n")[1:]
        assert len(commitments) == len(equated), lang
        for e, body in zip(equated, commitments):
            assert e.name[lang] in body and e.position[lang] in body, (lang, e.name[lang])
        # the journal: in the docx and as the xlsx, one row per equated employee, then blank rows
        journal = docx_tables(pack.file(lang, "09-restrictions.docx"))[-1]
        rows = xlsx_rows(pack.file(lang, "09-restrictions.xlsx"))
        header = next(i for i, r in enumerate(rows) if r[0] == "№")
        body = rows[header + 1:]
        assert [r[1] for r in body[:len(equated)]] == [e.name[lang] for e in equated]
        assert [r[2] for r in body[:len(equated)]] == [e.position[lang] for e in equated]
        assert all(r[1] is None for r in body[len(equated):]) and len(body) > len(equated)
        assert len(journal) == len(body) + 1
        assert [r[1] for r in journal[1:len(equated) + 1]] == [e.name[lang] for e in equated]


def test_reports_register_columns_rows_and_approval(packs):
    pack = packs["astana_monitoring_centre"]
    columns = {
        "kk": ["№", "Күні мен уақыты", "Түсу арнасы", "Хабарлаған", "мазмұны", "Кім туралы", "Қабылдаған",
               "нәтижесі", "Уәкілетті органға"],
        "ru": ["№", "Дата и время", "Канал поступления", "Кто сообщил", "содержание", "О ком", "Кем принято",
               "Результат", "уполномоченный орган"],
    }
    for lang in LANGS:
        path = pack.file(lang, "10-reports_register.xlsx")
        assert not path.with_suffix(".docx").exists()
        rows = xlsx_rows(path)
        head = xlsx_text(path)[:600]
        assert pack.profile.approval.number in head and ("9-қосымша" in head or "Приложение 9" in head)
        header = next(r for r in rows if r[0] == "№")
        assert len(header) == 9
        for cell, word in zip(header, columns[lang]):
            assert word in cell, (lang, cell, word)
        numbers = [r[0] for r in rows[rows.index(header) + 1:]]
        assert numbers == list(range(1, 31))
        # the rules of keeping the register, on a second sheet
        rules = xlsx_rows(path, sheet=1)
        assert any("24" in (r[1] or "") for r in rules), lang
