"""The gifts notification form and register, and the conflict-of-interest forms (issue 16):
the pack's gift deadlines (one working day to notify, seven calendar days to transfer:
templates instruction.md ch. 6, ethics_code.md, standard seed 002 ch. 3 §4), the dative
addressee, the 30-row register, the approval as a form; the COI forms' key content (seed 002
ch. 3, seed 001 group 4 task 8)."""

from __future__ import annotations

import pytest
from conftest import docx_tables, xlsx_rows, xlsx_text

from packbuilder.model.catalogue import BY_ID
from packbuilder.render.context import _person, organization_context

LANGS = ("kk", "ru")


def pack_org_gen(pack) -> str:
    return organization_context(pack.profile, "ru")["name_gen"]


SAMPLES = ("astana_monitoring_centre", "shal_akyn_hospital", "escaping")


def _file(doc_id: str, ext: str, part: str = "") -> str:
    return next(f for f in BY_ID[doc_id].files() if f.endswith(ext) and part in f)


def _approval(pack, lang, text):
    """The form's approval block: the order's number and Нысан / Форма."""
    head = [line.strip() for line in text.replace("\u2011", "-").split("\n")[:12]]
    assert ("Нысан" if lang == "kk" else "Форма") in head
    assert any(pack.profile.approval.number in line for line in head)


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("lang", LANGS)
def test_gift_rules_form_and_register(packs, sample, lang):
    pack = packs[sample]
    text = pack.text(lang, _file("gifts", ".docx"))
    _approval(pack, lang, text)
    org = pack.profile.organization.name[lang]
    officer = _person(pack.profile.compliance_officer, lang)
    if lang == "ru":
        assert "в течение одного рабочего дня" in text
        assert "семи календарных дней" in text
        assert f"{officer['position_dat']}{pack_org_gen(pack)}{officer['initials_dat']}" in text  # the dative
        assert "Уведомление о получении подарка" in text
        for word in ("протокольн", "командировк", "служебной зависимости", "выкуп", "на баланс"):
            assert word in text
    else:
        assert "бір жұмыс күні ішінде" in text
        assert "күнтізбелік жеті күн ішінде" in text
        # «… комплаенс-офицері Г.Қ. Ибраеваға»
        assert f"{org}{officer['position_poss']}{officer['initials_dat']}" in text
        assert "Сыйлық алу туралы хабарлама" in text
        assert "қызметкер" not in text
    assert "Закон" in text or "Заң" in text


@pytest.mark.parametrize("lang", LANGS)
def test_gift_register_sheet(packs, lang):
    pack = packs["astana_monitoring_centre"]
    rows = xlsx_rows(pack.file(lang, _file("gifts", ".xlsx")), sheet=0)
    header = next(r for r in rows if r and r[0] == "№")
    cells = [c for c in header if c]
    assert len(cells) == 7
    expected = (("Дата получения", "Даритель", "стоимость", "Решение", "Подпись")
                if lang == "ru" else ("Сыйлық алынған күн", "Сыйлық беруші", "құны", "Шешім", "қолы"))
    for word in expected:
        assert any(word in str(c) for c in cells), word
    start = rows.index(header) + 1
    assert [r[0] for r in rows[start:start + 30]] == list(range(1, 31))
    rules = xlsx_text(pack.file(lang, _file("gifts", ".xlsx")))
    assert ("Правила ведения журнала" if lang == "ru" else "Журналды жүргізу қағидалары") in rules


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("lang", LANGS)
def test_relatives_declaration(packs, sample, lang):
    pack = packs[sample]
    name = _file("coi_forms", ".docx", "relatives")
    text = pack.text(lang, name)
    _approval(pack, lang, text)
    header = docx_tables(pack.file(lang, name))[0][0]
    if lang == "ru":
        assert header[1].startswith("Степень родства") and "подчиненность" in header[4]
        head = _person(pack.profile.head, "ru")
        assert f"{head['position_dat']}{pack_org_gen(pack)}{head['initials_dat']}" in text
        assert "свойственник" in text and "статьей 26" in text
        assert "Обязуюсь в случае изменения" in text
    else:
        assert header[1].startswith("Туыстық") and "бағыныстылық" in header[4]
        head = _person(pack.profile.head, "kk")
        assert f"{head['position_poss']}{head['initials_dat']}" in text and "жекжат" in text and "26-бап" in text
        assert "міндеттенемін" in text
    assert len(docx_tables(pack.file(lang, name))[0]) == 6


@pytest.mark.parametrize("lang", LANGS)
def test_no_conflict_statement_has_the_recusal_undertaking(packs, lang):
    pack = packs["astana_monitoring_centre"]
    text = pack.text(lang, _file("coi_forms", ".docx", "statement"))
    _approval(pack, lang, text)
    if lang == "ru":
        assert "заявить самоотвод" in text and "не участвовать в обсуждении, голосовании" in text
    else:
        assert "өзіме-өзім қарсылық білдіруге" in text and "дауыс беруге" in text


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("lang", LANGS)
def test_settled_certificate_names_the_year_and_period(packs, sample, lang):
    pack = packs[sample]
    name = _file("coi_forms", ".docx", "settled")
    text = pack.text(lang, name)
    year = pack.profile.year
    _approval(pack, lang, text)
    assert f"01.01.{year}" in text and f"31.12.{year}" in text
    assert pack.profile.compliance_officer.name[lang].split()[0] in text
    if lang == "ru":
        assert f"Справка об урегулированных конфликтах интересов за {year} год" in text
        assert "не выявлялись" in text and "СОГЛАСОВАНО" in text
    else:
        assert f"{year} жылы реттелген мүдделер қақтығыстары туралы анықтама" in text
        assert "анықталған жоқ" in text and "КЕЛІСІЛДІ" in text
    table = docx_tables(pack.file(lang, name))[0]
    assert len(table) == 6 and len(table[0]) == 8
