"""The proof checklist (annex «proof_checklist»): a row for every task of the Agency's guide
that applies to a quasi-state organization, with what to upload, the pack's file, who signs
and the date in the plan year, in both languages, as a Word table and an Excel sheet."""

from __future__ import annotations

import pytest
from conftest import docx_tables, xlsx_rows

from packbuilder.model import legal_calendar as cal
from packbuilder.model.catalogue import BY_ID

DOC = BY_ID["proof_checklist"]
DOCX, XLSX = DOC.files()
SAMPLES = ("astana_monitoring_centre", "shal_akyn_hospital")

TASK = {"kk": "{n}-міндет", "ru": "задача {n}"}
GROUP = {"kk": "№ {g} жобалар тобы", "ru": "Группа проектов № {g}"}
# row number → (group, task number as the guide numbers it, the catalogue ids whose files the row names)
ROWS = {
    1: (4, 1, ["policy", "order"]),
    2: (4, 2, ["action_plan", "order"]),
    3: (4, 3, ["instruction", "order"]),
    4: (4, 4, ["coi_policy", "order"]),
    5: (4, 5, ["risk_analysis"]),
    7: (4, 6, ["acknowledgement_journal"]),
    8: (4, 7, ["restrictions", "equated_positions"]),
    22: (4, 10, ["reports_register", "reporting_procedure"]),
}


def _flat(cell: str) -> str:
    """A cell's text with the line breaks that split a path after its folder joined again."""
    return cell.replace("/\n", "/").replace("\n", " ")


def _table(pack, lang):
    tables = docx_tables(pack.file(lang, DOCX))
    table = next(t for t in tables if len(t[0]) == 7)
    return [[_flat(c) for c in row] for row in table]


def _dmy(d) -> str:
    return d.strftime("%d.%m.%Y")


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_row_for_every_task_of_the_guide_with_its_file(packs, sample, lang):
    pack = packs[sample]
    table = _table(pack, lang)
    header, rows = table[0], table[1:]
    assert len(rows) == 24 and [r[0] for r in rows] == [str(n) for n in range(1, 25)]
    assert "ЖБАЖ" in header[2] if lang == "kk" else "ИСПУ" in header[2]
    assert header[6] == ("Енгізу туралы белгі" if lang == "kk" else "Отметка о внесении")
    for n, (group, task, ids) in ROWS.items():
        row = rows[n - 1]
        assert GROUP[lang].format(g=group) in row[1] and TASK[lang].format(n=task) in row[1], (n, row[1])
        for doc_id in ids:
            for name in BY_ID[doc_id].files():
                if doc_id == "coi_forms":
                    continue
                assert name in row[3], (n, name, row[3])
        assert row[6] == ""  # the box to tick
    # the group 1 project 2 row, and the ISO standard's project 2
    assert GROUP[lang].format(g=1) in rows[5][1]
    assert ("2-жоба" if lang == "kk" else "проект 2") in rows[22][1] and TASK[lang].format(n=1) in rows[22][1]
    assert ("2-жоба" if lang == "kk" else "проект 2") in rows[23][1] and TASK[lang].format(n=2) in rows[23][1]
    # task 8: only the certificate of conflicts settled
    settled = [f for f in BY_ID["coi_forms"].files() if "settled" in f]
    assert TASK[lang].format(n=8) in rows[8][1] and settled[0] in rows[8][3]
    # the annex numbers and titles of the order
    annex = {d.id: d.annex for d in BY_ID.values()}
    word = "{n}-қосымша" if lang == "kk" else "Приложение {n}"
    assert word.format(n=annex["policy"]) in rows[0][3]
    assert BY_ID["policy"].title(lang, pack.profile.year) in rows[0][3]
    # task 9: one row per training event, its protocol and its date and time
    protocols = [f for f in BY_ID["training_schedule"].files() if "protocol" in f]
    dates = cal.event_dates(pack.profile.year, pack.profile.approval.date)
    for i, row in enumerate(rows[9:21]):
        assert TASK[lang].format(n=9) in row[1].lower() and f"№ {i + 1}" in row[1]
        assert protocols[i] in row[3]
        assert f"{_dmy(dates[i])}, {cal.EVENT_TIME}" in row[5]
    assert BY_ID["training_schedule"].files()[0] in rows[9][3]


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_dates_counts_and_signatories_come_from_the_profile(packs, sample, lang):
    pack = packs[sample]
    p = pack.profile
    rows = _table(pack, lang)[1:]
    ra = cal.risk_analysis_schedule(p.year)
    ack = cal.acknowledgement_deadline(p.approval.date)
    assert _dmy(p.approval.date) in rows[0][5] and _dmy(cal.quarters(p.year)[0]["end"]) in rows[0][5]
    assert _dmy(cal.next_plan_deadline(p.year)) in rows[1][5]
    for key in ("start", "note_by", "plan_by", "upload_by"):
        assert _dmy(ra[key]) in rows[4][5], key
    assert _dmy(ra["documents_by"]) in rows[5][5]
    assert _dmy(ack) in rows[6][5] and _dmy(ack) in rows[7][5]
    for d in cal.quarterly_deadlines(p.year):
        assert _dmy(d) in rows[8][5] and _dmy(d) in rows[21][5]
    assert _dmy(cal.quarters(p.year)[3]["end"]) in rows[22][5]
    assert _dmy(cal.iso_training_deadline(p.year)) in rows[23][5]
    count = cal.iso_training_count(len(p.employees))
    assert f"{count} " in rows[23][2] and str(len(p.employees)) in rows[23][2]
    assert f"({len(p.employees)})" in rows[6][2]
    assert f"({sum(e.equated for e in p.employees)})" in rows[7][2]
    head = p.head.name[lang].split()[0]
    officer = p.compliance_officer.name[lang].split()[0]
    assert head in rows[0][4] and officer in rows[6][4] and officer in rows[9][4] and head in rows[9][4]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_intro_facts_only_rule_iso_count_and_officers_signature(packs, lang):
    pack = packs["astana_monitoring_centre"]
    p = pack.profile
    text = pack.text(lang, DOCX)
    assert text.startswith(p.organization.name[lang] if lang == "kk" else "Приложение")
    assert f"{DOC.annex}-қосымша" in text if lang == "kk" else f"Приложение {DOC.annex}" in text
    assert p.approval.number in text
    assert ("«фактілер жоқ»" if lang == "kk" else "«фактов нет»") in text
    assert "Easy Project" in text and "calendar.ics" in text
    count = cal.iso_training_count(len(p.employees))
    assert count == 7 and len(p.employees) == 34
    assert (f"кемінде {count} жұмыскер" if lang == "kk" else f"не менее {count} работников") in text
    assert "ISO 37001" in text and ("ҚР СТ 3049-2017" if lang == "kk" else "СТ РК 3049-2017") in text
    assert (f"{cal.yearly_report_deadline(p.year):%d.%m.%Y}") in text
    assert p.compliance_officer.name[lang].split()[0] in text.split(("Тізбені жасаған" if lang == "kk"
                                                                   else "Перечень составил"))[1]
    if lang == "kk":
        assert "қызметкер" not in text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_workbook_holds_the_same_rows(packs, lang):
    pack = packs["astana_monitoring_centre"]
    docx_rows = _table(pack, lang)[1:]
    sheet = xlsx_rows(pack.file(lang, XLSX))
    numbered = [r for r in sheet if r and isinstance(r[0], (int, str)) and str(r[0]).isdigit()]
    by_number = {int(r[0]): r for r in numbered}
    assert sorted(by_number)[:24] == list(range(1, 25))
    for n in range(1, 25):
        assert _flat(str(by_number[n][3] or "")) == docx_rows[n - 1][3]


def test_kk_and_ru_have_the_same_rows_and_files(packs):
    pack = packs["shal_akyn_hospital"]
    kk, ru = _table(pack, "kk"), _table(pack, "ru")
    assert len(kk) == len(ru)
    for a, b in zip(kk[1:], ru[1:]):
        assert a[0] == b[0]
        names = lambda s: sorted(w for w in s.split() if w.endswith((".docx", ".xlsx")))  # noqa: E731
        assert names(a[3]) == names(b[3])


def test_iso_training_count_is_twenty_per_cent_rounded_up():
    assert [cal.iso_training_count(n) for n in (0, 1, 5, 6, 11, 15, 34, 140)] == [0, 1, 1, 2, 3, 3, 7, 28]
