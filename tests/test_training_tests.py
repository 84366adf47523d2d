"""The training tests (issue 16): the question bank with its answer key, the test sheet and the
results record. Pass mark 60 % (anti-corruption standard, order № 230 of 18.09.2025, pp. 30–31)."""

from __future__ import annotations

import re

import pytest

from packbuilder.model.catalogue import BY_ID
from packbuilder.model.training import PASS_MARK_PERCENT, SHEET_QUESTIONS, min_correct
from tests.conftest import docx_tables

BANK, SHEET, RESULTS = BY_ID["training_tests"].files()
LETTERS = {"kk": "аәбв", "ru": "абвг"}
SAMPLES = ("astana_monitoring_centre", "shal_akyn_hospital")


def _questions(text: str, lang: str) -> list[tuple[int, list[str]]]:
    """(number, option letters) of every question paragraph «N. …?» and its options «а) …»."""
    out: list[tuple[int, list[str]]] = []
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"^(\d+)\. (.*)\?$", line)
        if m:
            out.append((int(m.group(1)), []))
        elif out and re.match(rf"^[{LETTERS[lang]}]\) ", line):
            out[-1][1].append(line[0])
    return out


def _key(pack, lang: str) -> list[tuple[str, str]]:
    """(number, letter) rows of the bank's answer key table."""
    key = next(t for t in docx_tables(pack.file(lang, BANK)) if t[0][0] in ("№ вопроса", "Сұрақтың №"))
    return [(r[0], r[1]) for r in key[1:]]


def test_pass_mark_constants():
    assert PASS_MARK_PERCENT == 60 and min_correct(20) == 12 and min_correct(25) == 15 and min_correct(24) == 15


@pytest.mark.parametrize("sample", SAMPLES)
def test_bank_numbers_questions_with_options_and_an_answer_key(packs, sample):
    pack = packs[sample]
    keys = {}
    for lang in ("kk", "ru"):
        text = pack.text(lang, BANK)
        body = text.split("Ключ правильных ответов" if lang == "ru" else "Дұрыс жауаптардың кілті")[0]
        qs = [q for q in _questions(body, lang) if q[1]]
        n = len(qs)
        assert n >= 30
        assert [q[0] for q in qs] == list(range(1, n + 1))
        assert all(3 <= len(opts) <= 4 and opts == list(LETTERS[lang][:len(opts)]) for _, opts in qs)
        key = _key(pack, lang)
        assert [int(k[0]) for k in key] == list(range(1, n + 1))
        assert all(k[1] in qs[i][1] for i, k in enumerate(key))
        keys[lang] = [LETTERS[lang].index(k[1]) for k in key]
    assert keys["kk"] == keys["ru"]


@pytest.mark.parametrize("sample", SAMPLES)
def test_bank_uses_the_packs_values(packs, sample):
    pack = packs[sample]
    p = pack.profile
    for lang in ("kk", "ru"):
        text = pack.text(lang, BANK)
        assert "комплаенс-офицер " + p.compliance_officer.name[lang] in text
        days = "3 күн ішінде" if lang == "kk" else "в течение 3 дней"
        assert days in text
        assert p.organization.name[lang] in text
        if p.organization.hotline and p.organization.hotline.phone:
            assert p.organization.hotline.phone in text
        assert "1424" in text and ("12-бабы" if lang == "kk" else "статья 12") in text


@pytest.mark.parametrize("sample", SAMPLES)
def test_sheet_states_the_pass_mark_and_has_its_questions(packs, sample):
    pack = packs[sample]
    need = min_correct(SHEET_QUESTIONS)
    for lang in ("kk", "ru"):
        text = pack.text(lang, SHEET)
        assert f"{PASS_MARK_PERCENT} " in text and str(need) in text
        if lang == "ru":
            assert f"не менее {need} правильных ответов из {SHEET_QUESTIONS}" in text
        else:
            assert f"{SHEET_QUESTIONS} сұрақтың кемінде {need} сұрағына" in text
        qs = [q for q in _questions(text, lang) if q[1]]
        assert [q[0] for q in qs] == list(range(1, SHEET_QUESTIONS + 1))
        grid = [t for t in docx_tables(pack.file(lang, SHEET)) if len(t[0]) == 8][0]
        numbers = sorted(int(c) for r in grid[1:] for c in r[::2])
        assert numbers == list(range(1, SHEET_QUESTIONS + 1))
    # the same questions on both sheets: the same number of options each
    assert ([len(o) for _, o in _questions(pack.text("kk", SHEET), "kk") if o]
            == [len(o) for _, o in _questions(pack.text("ru", SHEET), "ru") if o])


@pytest.mark.parametrize("sample", SAMPLES)
def test_results_list_every_employee_in_order(packs, sample):
    pack = packs[sample]
    for lang in ("kk", "ru"):
        table = [t for t in docx_tables(pack.file(lang, RESULTS)) if len(t[0]) == 9][0]
        rows = [r for r in table[1:] if r[0]]
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (str(i), e.name[lang], e.position[lang]) for i, e in enumerate(pack.profile.employees, start=1)]
        text = pack.text(lang, RESULTS)
        assert f"{PASS_MARK_PERCENT} " in text
        assert ("бір ай ішінде" if lang == "kk" else "в течение одного месяца") in text
        assert pack.profile.compliance_officer.name[lang] in text
