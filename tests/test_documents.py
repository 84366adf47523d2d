"""The documents added to complete the pack (PACK.md): each one's required content, opened
from the built sample packs."""

from __future__ import annotations

import re

import pytest
from conftest import docx_tables, xlsx_rows, xlsx_text

from packbuilder.model import legal_calendar as cal
from packbuilder.render.language import date_dmy, initials, lower_first

LANGS = ("kk", "ru")
COMMITMENT = {"kk": "МІНДЕТТЕМЕ", "ru": "ОБЯЗАТЕЛЬСТВО"}


def _cites(text: str, lang: str, article: int) -> bool:
    if lang == "kk":
        return re.search(rf"Заңның {article}-баб", text) is not None
    return re.search(rf"стать(?:я|и|е|ей|ёй|ю) {article}(?:\s+Закона|\s+Закона Республики)", text) is not None


KEEPER = {"kk": "Журналды жүргізуге жауапты:", "ru": "Ответственный за ведение журнала:"}


def _signed_by_the_officer(pack, lang: str, blank: list, keeper: list, signature: list) -> bool:
    """Whether the last three rows of a journal sheet are an empty row, «Ответственный за
    ведение журнала:» and the signature line of the profile's compliance officer."""
    officer = pack.profile.compliance_officer
    return (not any(blank) and [c for c in keeper if c] == [KEEPER[lang]]
            and [c for c in signature if c] == [officer.position[lang], initials(officer.name[lang], lang)])


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
            # the position mid-sentence, lower-cased: «(лауазымы – директор», «(должность – директор»
            assert e.name[lang] in body and lower_first(e.position[lang]) in body, (lang, e.name[lang])
        # the journal: in the docx and as the xlsx, one row per equated employee, then blank rows
        *_, journal, change_sheet = docx_tables(pack.file(lang, "09-restrictions.docx"))  # the change sheet ends it
        assert change_sheet[1][0] == "1" and pack.profile.approval.number in change_sheet[1][1]
        *rows, blank, keeper, signature = xlsx_rows(pack.file(lang, "09-restrictions.xlsx"))
        assert _signed_by_the_officer(pack, lang, blank, keeper, signature)
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
        *rows, blank, keeper, signature = xlsx_rows(path)
        assert _signed_by_the_officer(pack, lang, blank, keeper, signature)
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


def _headings(path, level=2):
    import docx
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == f"Heading {level}"]


def test_standard_follows_seed_002(packs):
    pack = packs["astana_monitoring_centre"]
    phrases = {
        "kk": ["Заңның 10-бабы", "60 пайыз", "үш жұмыс күні ішінде", "он жұмыс күні ішінде", "үш айдан",
               "Мүдделер қақтығысын", "сыйлық", "қонақжайлылық"],
        "ru": ["статья 10", "60 %", "трех рабочих дней", "десяти рабочих дней", "трех месяцев",
               "конфликт интересов", "подар", "представительское гостеприимство"],
    }
    for lang in LANGS:
        path = pack.file(lang, "13-standard.docx")
        text = pack.text(lang, "13-standard.docx")
        assert len(_headings(path)) == 9, lang  # the chapters of seed 002, adapted
        for phrase in phrases[lang]:
            assert phrase in text, (lang, phrase)
        assert pack.profile.compliance_officer.name[lang] in text
        assert "№ 285" in text  # the recommendations on anti-corruption standards, from the acts table


def test_ethics_code_chapters_rules_and_commitment_form(packs):
    pack = packs["shal_akyn_hospital"]
    for lang in LANGS:
        path = pack.file(lang, "12-ethics_code.docx")
        text = pack.text(lang, "12-ethics_code.docx")
        assert len(_headings(path)) == 8, lang
        assert ("Мүдделер қақтығысын анықтау және реттеу саясаты" if lang == "kk"
                else "Политик") in text
        assert re.search("«нөлдік» төзімділік" if lang == "kk" else "«?нулевой»? терпимости", text), lang
        assert pack.profile.organization.governing_body == "supervisory_board"
        assert ("Байқау кеңес" if lang == "kk" else "Наблюдательн") in text
        # the annex: the employee's commitment to observe the code
        tail = text[text.rindex("1-қосымша" if lang == "kk" else "Приложение 1"):]
        assert ("Форма" if lang == "ru" else "Нысан") in tail


def test_risk_analysis_order_working_group_schedule_note_and_plan(packs):
    pack = packs["astana_monitoring_centre"]
    p = pack.profile
    ra = cal.risk_analysis_schedule(p.year)
    for lang in LANGS:
        folder = "14-risk_analysis"
        order = pack.text(lang, f"{folder}/1-order.docx")
        assert re.search("8-бабының 5-тармағ" if lang == "kk" else "пункт[а]? 5 статьи 8", order), lang
        group, schedule = docx_tables(pack.file(lang, f"{folder}/1-order.docx"))[:2]
        group_text = "\n".join(" | ".join(r) for r in group)
        assert p.compliance_officer.name[lang] in group_text
        for dep in p.departments:
            assert dep[lang] in group_text, (lang, dep[lang])
        # one member per department, its head from the staff list where it shows one
        rows = {r[4]: r for r in group[1:] if len(r) == 5}
        bekova = next(e for e in p.employees if e.name.ru == "Бекова Айнур Талгатовна")
        assert rows[bekova.department[lang]][2:4] == [bekova.name[lang], bekova.position[lang]]
        assert all("_" not in cell for r in group for cell in r)  # cells to fill stay empty, no underscores
        schedule_text = "\n".join(" | ".join(r) for r in schedule)
        for key in ("documents_by", "note_by", "upload_by"):
            assert date_dmy(ra[key]) in schedule_text or date_dmy(ra[key]) in order, (lang, key)
        note = pack.file(lang, f"{folder}/2-analytical_note.docx")
        chapters = _headings(note)
        assert len(chapters) == 11  # introduction, the nine directions of seed 001, conclusions
        words = {"kk": ["құқықтық актілер", "Ішкі құжаттар", "Персоналды басқару", "Мүдделер қақтығыс",
                        "көрсетілетін қызметтер", "Рұқсат беру", "Бақылау", "Ұйымдастырушылық-басқарушылық",
                        "Қаржы-шаруашылық"],
                 "ru": ["правовых актах", "внутренних документах", "управлением персоналом",
                        "конфликтом интересов", "услуг", "разрешительн", "контрольн",
                        "организационно-управленческ", "финансово-хозяйственн"]}[lang]
        for chapter, word in zip(chapters[1:10], words):
            assert word.lower() in chapter.lower(), (lang, chapter, word)
        plan = docx_tables(pack.file(lang, f"{folder}/3-elimination_plan.docx"))[0]
        assert len(plan) == 1 + 9 and len(plan[0]) == 6


def test_compliance_report_quarterly_and_yearly_with_their_deadlines(packs):
    from packbuilder.render.language import date_long
    pack = packs["astana_monitoring_centre"]
    p = pack.profile
    events = cal.event_dates(p.year, p.approval.date)
    for lang in LANGS:
        for q in cal.quarters(p.year):
            text = pack.text(lang, f"15-compliance_report/quarterly-{q['n']}.docx")
            assert date_long(q["deadline"], lang) in text, (lang, q["n"])
            assert p.organization.parent_body[lang] in text
            in_quarter = [d for d in events if (d.month - 1) // 3 + 1 == q["n"]]
            others = [d for d in events if d not in in_quarter]
            assert all(date_dmy(d) in text for d in in_quarter), (lang, q["n"])
            # the events table of the quarter lists exactly the quarter's events
            tables = docx_tables(pack.file(lang, f"15-compliance_report/quarterly-{q['n']}.docx"))
            dated = [t for t in tables if any(date_dmy(d) in " ".join(r) for d in events for r in t)]
            listed = {date_dmy(d) for d in events for r in dated[0] if date_dmy(d) in " ".join(r)}
            assert listed == {date_dmy(d) for d in in_quarter}, (lang, q["n"])
            assert others
        yearly = pack.text(lang, "15-compliance_report/yearly.docx")
        assert date_long(cal.yearly_report_deadline(p.year), lang) in yearly
        assert all(date_dmy(d) in yearly for d in events)
        assert str(p.year + 1) in yearly  # proposals for next year's plan


def test_reporting_procedure_channels_deadlines_protection_and_form(packs):
    pack = packs["astana_monitoring_centre"]
    p = pack.profile
    for lang in LANGS:
        text = pack.text(lang, "11-reporting_procedure.docx")
        assert _cites(text, lang, 24), lang
        assert p.organization.hotline.phone in text and p.organization.hotline.email in text
        assert p.compliance_officer.name[lang] in text and "1424" in text
        register = "Сыбайлас жемқорлық құқық бұзушылықтар туралы хабарламаларды тіркеу журнал" if lang == "kk" \
            else "Журнал регистрации сообщений о коррупционных правонарушениях"
        assert register.lower() in text.lower(), lang
        assert ("үш жыл" if lang == "kk" else "трех лет") in text  # protection of the reporter, seed 002 p. 43
        assert ("талон" if lang == "kk" else "Талон") in text  # the annex: report form and receipt slip


def test_reporting_procedure_without_a_hotline_names_the_other_channels(tmp_path, sample_data, write_profile):
    from packbuilder.inputs.profile_file import load_profile
    from packbuilder.pack.build import build_pack
    sample_data["organization"].pop("hotline")
    profile = load_profile(write_profile(sample_data))
    root = build_pack(profile, tmp_path, only=["reporting_procedure"]).root
    for lang in LANGS:
        text = (root / lang / "11-reporting_procedure.docx")
        body = __import__("conftest").docx_text(text)
        assert "1424" in body and profile.compliance_officer.name[lang] in body
        assert "None" not in body and "тел. ," not in body


def test_progress_bar_total_is_the_number_of_files_written(packs):
    from packbuilder.model.catalogue import count_files as _count_files
    pack = packs["astana_monitoring_centre"]
    written = [f for f in pack.manifest["files"] if f["document"] not in ("base", "calendar")]
    assert _count_files((), ["kk", "ru"]) == len(written) == 104  # 52 files per language
    assert [f["path"] for f in pack.manifest["files"] if f["document"] == "calendar"] == \
        ["kk/calendar.ics", "ru/calendar.ics"]
    assert _count_files(("compliance_report",), ["ru"]) == 5
    assert _count_files(("risk_analysis", "reports_register"), ["kk"]) == 4


def test_russian_verbs_agree_with_the_person_and_the_website_is_named(packs):
    """«выступил(а)» and «Докладчик разъяснил» are written in the form that fits the officer,
    a woman by her patronymic (Канатовна); «(при его наличии)» is gone when the website is known."""
    pack = packs["astana_monitoring_centre"]
    protocol = pack.text("ru", "07-training_schedule/protocol-01.docx")
    assert "Ибраева Гульнар Канатовна выступила с докладом" in protocol
    assert "Г.К. Ибраева разъяснила положения" in protocol and "Докладчик" not in protocol
    assert "Г.Қ. Ибраева" in pack.text("kk", "07-training_schedule/protocol-01.docx")
    assert "С приказом ознакомлена:" in pack.text("ru", "01-order.docx")
    for name in ("01-order.docx", "09-restrictions.docx", "07-training_schedule/protocol-05.docx"):
        assert "(а)" not in pack.text("ru", name), name
    policy = pack.text("ru", "03-policy.docx")
    assert "через информационные стенды и интернет-ресурс Предприятия (https://cmor-astana.kz)." in policy
    assert "(при его наличии)" not in policy


def test_the_verb_form_for_both_stays_where_the_name_does_not_tell():
    from packbuilder.render.language import female
    assert female("Ибраева Гульнар Канатовна") is True and female("Сейткали Бауыржан Маратович") is False
    assert female("Ибраева Гүлнар Қанатқызы") is True and female("Сейтқали Бауыржан Маратұлы") is False
    assert female("Ким Ольга") is None and female("Ли Вэй Цзюнь") is None
