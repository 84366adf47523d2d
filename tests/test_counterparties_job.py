"""The counterparty clause and due diligence checklist, and the compliance officer's job
description (issue 16): content in both languages, profile values, governing-body variants."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, docx_tables

from packbuilder.inputs.profile_file import load_profile
from packbuilder.model.catalogue import BY_ID
from packbuilder.pack.build import build_pack

LANGS = ("kk", "ru")
CLAUSE, CHECKLIST = BY_ID["counterparties"].files()
JOB = BY_ID["officer_job_description"].files()[0]


@pytest.mark.parametrize("lang", LANGS)
def test_clause_has_the_undertakings_termination_and_contacts(packs, lang):
    pack = packs["astana_monitoring_centre"]
    text = pack.text(lang, CLAUSE)
    words = {"kk": ["ұсынбауға, уәде етпеуге, бермеуге", "ресімдеуді жеңілдету", "сыйлықтар",
                    "мүдделер қақтығысы", "сұратуға құқылы", "үш жұмыс күнінен кешіктірмей",
                    "тоқтата тұруға құқылы", "біржақты тәртіппен бас тартуға", "залалдың орнын толтыруды",
                    "24-бабына", "Сыбайлас жемқорлыққа қарсы іс-қимыл туралы"],
             "ru": ["не предлагать, не обещать, не давать", "платежи за упрощение формальностей", "подарки",
                    "конфликте интересов", "вправе запрашивать", "не позднее трех рабочих дней",
                    "приостановить исполнение", "в одностороннем порядке отказаться", "возмещения убытков",
                    "статьей 24 Закона", "О противодействии коррупции"]}[lang]
    for w in words:
        assert w in text, w
    o = pack.profile
    for value in (o.compliance_officer.email, o.organization.hotline.phone, o.organization.hotline.email):
        assert value in text
    points = re.findall(r"^(\d+)\. ", text, re.M)
    assert [int(p) for p in points] == list(range(1, 21))


@pytest.mark.parametrize("lang", LANGS)
def test_checklist_has_at_least_20_questions_with_yes_no_columns(packs, lang):
    pack = packs["astana_monitoring_centre"]
    tables = docx_tables(pack.file(lang, CHECKLIST))
    questions = next(t for t in tables if len(t[0]) == 6)
    yes, no = ("Иә", "Жоқ") if lang == "kk" else ("Да", "Нет")
    assert questions[0][3:5] == [yes, no]
    body = questions[1:]
    assert len(body) >= 20
    assert [r[0] for r in body] == [str(i) for i in range(1, len(body) + 1)]
    assert all(r[2] in (yes, no) and r[3] == r[4] == "" for r in body)
    text = pack.text(lang, CHECKLIST)
    for w in ("goszakup.gov.kz", "kgd.gov.kz", "stat.gov.kz", "office.sud.kz"):
        assert w in text
    officer = pack.profile.compliance_officer
    assert "Келісілді" in text if lang == "kk" else "Согласовано" in text
    assert officer.name[lang].split()[0] in text
    assert ("төмен / орташа / жоғары" if lang == "kk" else "низкий / средний / высокий") in text


@pytest.mark.parametrize("lang", LANGS)
def test_job_description_chapters_qualifications_and_officer(packs, lang):
    pack = packs["astana_monitoring_centre"]
    text = pack.text(lang, JOB)
    chapters = {"kk": ["Жалпы ережелер", "Біліктілік талаптары", "Функциялары", "Міндеттері", "Құқықтары",
                       "Жауапкершілігі", "Өзара қарым-қатынастар", "Қызметті бағалау"],
                "ru": ["Общие положения", "Квалификационные требования", "Функции", "Обязанности", "Права",
                       "Ответственность", "Взаимоотношения", "Оценка деятельности"]}[lang]
    for i, c in enumerate(chapters, start=1):
        assert (f"{i}-тарау. {c}" if lang == "kk" else f"Глава {i}. {c}") in text
    assert ("жоғары білім" if lang == "kk" else "высшее образование") in text
    assert ("кемінде екі жыл" if lang == "kk" else "не менее двух лет") in text
    p = pack.profile
    assert p.compliance_officer.name[lang] in text and p.compliance_officer.position[lang] in text
    assert p.head.name[lang] in text and p.organization.parent_body[lang] in text
    assert ("Лауазымдық нұсқаулықпен таныстым" if lang == "kk" else "С должностной инструкцией ознакомлена") in text
    assert ("контрагенттердің сенімділігін кешенді тексеруді" if lang == "kk"
            else "комплексную проверку благонадежности контрагентов") in text
    assert "12" in text and "20" in text and "60 %" in text


@pytest.fixture(scope="module")
def jsc(tmp_path_factory):
    profile = load_profile(SAMPLES / "jsc_board.yaml")
    res = build_pack(profile, tmp_path_factory.mktemp("jsc"), only=["officer_job_description", "counterparties"])
    return res.root


@pytest.mark.parametrize("lang", LANGS)
def test_subordination_follows_the_governing_body(packs, jsc, lang):
    from conftest import docx_text
    astana = packs["astana_monitoring_centre"].text(lang, JOB)
    hospital = packs["shal_akyn_hospital"].text(lang, JOB)
    board = docx_text(jsc / lang / JOB)
    direct = "тікелей бағынады әрі есеп береді" if lang == "kk" else "непосредственно подчиняется и подотчетен"
    functional = "функционалдық тұрғыдан" if lang == "kk" else "функционально подчиняется"
    assert direct in astana and functional not in astana
    assert functional in hospital and direct not in hospital
    assert functional in board
    assert ("Байқау кеңесі" if lang == "kk" else "Наблюдательн") in hospital
    assert ("Директорлар кеңес" if lang == "kk" else "Совет") in board
