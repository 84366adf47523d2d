"""Building packs: open every generated docx and xlsx and check what it says."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import openpyxl
import pytest
from conftest import SAMPLES, docx_tables, docx_text, xlsx_rows, xlsx_text

from packbuilder.errors import InputError
from packbuilder.inputs.profile_file import load_profile
from packbuilder.model import legal_calendar as cal
from packbuilder.model.catalogue import CATALOGUE
from packbuilder.pack.build import build_pack
from packbuilder.render.language import date_attr, initials
from packbuilder.render.templates import BUILTIN_DIR

LANGS = ("kk", "ru")
LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|\{:|:::|[\ue000\ue001]")


def _docx_files(pack, lang):
    return sorted((pack.root / lang).rglob("*.docx"))


def test_every_document_in_both_languages(packs):
    pack = packs["astana_monitoring_centre"]
    for lang in LANGS:
        names = {p.relative_to(pack.root / lang).as_posix() for p in (pack.root / lang).rglob("*.*")}
        expected = {name for doc in CATALOGUE for name in doc.files()} | {"calendar.ics"}
        assert names == expected, (lang, sorted(names ^ expected))
    # the 15 documents of PACK.md's table, then the 8 of issue 16 (risk map … proof checklist)
    assert len(CATALOGUE) == 23 and CATALOGUE[15].id == "risk_map" and CATALOGUE[-1].id == "proof_checklist"
    assert "07-training_schedule/protocol-12.docx" in expected
    assert "15-compliance_report/quarterly-4.docx" in expected
    # the contract's examples of DESIGN.md
    assert (pack.root / "kk" / "03-policy.docx").is_file()
    assert (pack.root / "kk" / "07-training_schedule").is_dir()


def test_manifest_lists_every_file_with_its_digest(packs):
    pack = packs["shal_akyn_hospital"]
    m = pack.manifest
    on_disk = {p.relative_to(pack.root).as_posix() for p in pack.root.rglob("*") if p.is_file()} - {"manifest.json"}
    assert {f["path"] for f in m["files"]} == on_disk
    for f in m["files"]:
        assert hashlib.sha256((pack.root / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    assert m["bin"] == pack.profile.organization.bin and m["year"] == 2026
    assert len(m["profile_digest"]) == 64 and len(m["template_digest"]) == 64
    assert m["version"] and m["complete"] is True


@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital"])
def test_approval_block_and_names_in_every_approved_document(packs, sample):
    pack = packs[sample]
    p = pack.profile
    for doc in CATALOGUE:
        if doc.id == "order":
            continue
        for lang in LANGS:
            for main in doc.files():
                if "/protocol-" in main:  # a protocol of an event held: a record, on the form of annex 6
                    continue
                text = pack.text(lang, main) if main.endswith(".docx") else xlsx_text(pack.file(lang, main))
                head = text[:600]
                assert p.organization.name[lang] in text, (doc.id, lang)
                if doc.approval == "own":  # approved on its own date: no annex of the order above it
                    assert p.approval.number not in head and "қосымша" not in head[:200] \
                        and "Приложение" not in head[:200], (main, lang)
                    continue
                assert p.approval.number in head and date_attr(p.approval.date, lang) in head, (doc.id, lang)
                word = {"annex": "БЕКІТІЛДІ" if lang == "kk" else doc.approved_ru,
                        "form": "Нысан" if lang == "kk" else "Форма"}[doc.approval]
                assert word in head and sum(w in head for w in ("БЕКІТІЛДІ", "БЕКІТЕМІН", "УТВЕРЖД")) == \
                    (doc.approval == "annex"), (main, lang)  # one approval, never two stacked
                if lang == "kk":
                    assert f"{doc.annex}-қосымша" in head, doc.id
                else:
                    assert f"Приложение {doc.annex}" in head, doc.id
            main = doc.files()[0]
            text = pack.text(lang, main) if main.endswith(".docx") else xlsx_text(pack.file(lang, main))
            short = p.organization.short_name[lang]
            assert (f"(бұдан әрі – {short})" if lang == "kk" else f"(далее – {short})") in text, doc.id


def test_order_approves_every_annex(packs):
    pack = packs["astana_monitoring_centre"]
    for lang in LANGS:
        text = pack.text(lang, "01-order.docx")
        assert pack.profile.head.position[lang] in text
        assert pack.profile.compliance_officer.name[lang] in text
        for doc in CATALOGUE[1:]:
            if doc.annex is None:  # the internal analysis: its own order, note and plan, later in the year
                assert doc.title(lang, 2026) not in text and doc.order_title(lang, 2026) not in text
            else:
                assert f"{doc.order_title(lang, 2026)} " + ("согласно приложению " if lang == "ru" else "") in text \
                    or f"{doc.annex}-қосымшаға сәйкес {doc.order_title(lang, 2026)}" in text, (lang, doc.id)
        assert ("БҰЙЫРАМЫН" if lang == "kk" else "ПРИКАЗЫВАЮ") in text
        # 3 calendar days (the Agency's «3 күн мерзімде»), the last day named
        assert ("3 күн ішінде" if lang == "kk" else "в течение 3 дней") in text
        assert "жұмыс күні ішінде (соңғы" not in text and "рабочих дней со дня подписания" not in text


@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital", "escaping"])
def test_no_leftover_template_tags(packs, sample):
    pack = packs[sample]
    values = sorted(_strings(pack.profile.model_dump()), key=len, reverse=True)

    def strip_values(text):
        for v in values:  # the escaping sample's values hold tags on purpose: they are data
            text = text.replace(v, "")
        return text
    for lang in LANGS:
        for f in _docx_files(pack, lang):
            text = strip_values(docx_text(f))
            m = LEFTOVERS.search(text)
            assert m is None, (f.name, text[max(0, m.start() - 80):m.end() + 80])
        for f in sorted((pack.root / lang).rglob("*.xlsx")):
            for row in xlsx_rows(f):
                for v in row:
                    if isinstance(v, str):
                        assert not LEFTOVERS.search(strip_values(v)), (f.name, v)


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def _journal_names(rows, first_col="№"):
    """Employee names of a journal table: the rows below the header whose № is a number."""
    header_at = next(i for i, r in enumerate(rows) if r and str(r[0]).strip() == first_col)
    return [r[1] for r in rows[header_at + 1:] if r and r[0] not in (None, "") and str(r[0]).isdigit()]


@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital"])
def test_acknowledgement_journal_rows_equal_the_staff(packs, sample):
    pack = packs[sample]
    for lang in LANGS:
        staff = [e.name[lang] for e in pack.profile.employees]
        positions = [e.position[lang] for e in pack.profile.employees]
        documents = xlsx_rows(pack.file(lang, "08-acknowledgement_journal.xlsx"), sheet=0)
        annexes = [d for d in CATALOGUE if d.annex is not None and d.id != "acknowledgement_journal"]
        assert [r[1] for r in documents if r and isinstance(r[0], int)] == \
            [d.order_title(lang, pack.profile.year) for d in annexes]  # the documents with their approval
        assert all(pack.profile.approval.number in r[2] for r in documents if r and isinstance(r[0], int))
        rows = xlsx_rows(pack.file(lang, "08-acknowledgement_journal.xlsx"), sheet=1)
        assert _journal_names(rows) == staff
        data = [r for r in rows if r and isinstance(r[0], int)]
        assert [r[2] for r in data[:len(staff)]] == positions
        table = docx_tables(pack.file(lang, "08-acknowledgement_journal.docx"))[1]
        assert _journal_names(table) == staff
        ws = openpyxl.load_workbook(pack.file(lang, "08-acknowledgement_journal.xlsx")).worksheets[1]
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows


def test_action_plan_xlsx_is_the_docx_table(packs):
    pack = packs["astana_monitoring_centre"]
    for lang in LANGS:
        table = max(docx_tables(pack.file(lang, "06-action_plan.docx")), key=len)
        rows = xlsx_rows(pack.file(lang, "06-action_plan.xlsx"))
        header_at = next(i for i, r in enumerate(rows) if r and r[0] == "№")
        sheet = [[("" if v is None else str(v)) for v in r] for r in rows[header_at:]]
        assert sheet[:len(table)] == [[c.replace("\n", "\n") for c in row] for row in table]
        # under the table, after an empty row, the note on deadlines and the officer's signature line,
        # as under the docx table
        officer = pack.profile.compliance_officer
        assert len(sheet) == len(table) + 3 and not any(sheet[len(table)])
        assert sheet[len(table) + 1][0].startswith("Ескертпе:" if lang == "kk" else "Примечание:")
        assert [c for c in sheet[-1] if c] == [officer.position[lang], initials(officer.name[lang], lang)]
        assert len(table) >= 20
        text = "\n".join(" | ".join(r) for r in table)
        assert "07.12.2026" in text and "01.04.2026" in text  # 05.12.2026 is a Saturday
        assert "20" in text and "ISO 37001" in text


def test_training_protocols_on_working_days_with_attendance(packs):
    pack = packs["shal_akyn_hospital"]
    dates = cal.event_dates(2026, pack.profile.approval.date)
    for lang in LANGS:
        schedule = pack.text(lang, "07-training_schedule/schedule.docx")
        for n, d in enumerate(dates, start=1):
            assert d.strftime("%d.%m.%Y") in schedule
            path = pack.file(lang, f"07-training_schedule/protocol-{n:02d}.docx")
            text = docx_text(path)
            assert pack.profile.compliance_officer.name[lang] in text or \
                pack.profile.compliance_officer.name[lang].split()[0] in text
            assert pack.profile.organization.city[lang] in text
            tables = docx_tables(path)
            attendance = max(tables, key=len)
            assert _journal_names(attendance) == [e.name[lang] for e in pack.profile.employees]


def test_escaping_values_are_data(packs):
    pack = packs["escaping"]
    name = "ТОО «A & B» <Test> \"x\" 'y' *z* _w_ {{ 7*7 }}"
    assert pack.profile.organization.name.kk == name
    for lang in LANGS:
        for f in _docx_files(pack, lang):
            text = docx_text(f)
            assert name in text, f.name
            assert "«A & B» <Test> \"x\" 'y' 49" not in text
        for f in sorted((pack.root / lang).rglob("*.xlsx")):
            wb = openpyxl.load_workbook(f)
            values = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
            assert any(c.value == name for c in values), f.name
            for c in values:
                if isinstance(c.value, str) and c.value.startswith(("=", "@")):
                    assert c.data_type == "s", (f.name, c.value)
        journal = openpyxl.load_workbook(pack.file(lang, "08-acknowledgement_journal.xlsx")).worksheets[1]
        cells = [c for row in journal.iter_rows() for c in row]
        assert any(c.value == "=SUM(A1:A2)" and c.data_type == "s" for c in cells)
        assert any(c.value == "@cmd" and c.data_type == "s" for c in cells)


def test_same_profile_gives_same_files(tmp_path):
    profile = load_profile(SAMPLES / "escaping.yaml")
    a = build_pack(profile, tmp_path / "a", only=["order", "action_plan", "acknowledgement_journal"])
    b = build_pack(profile, tmp_path / "b", only=["order", "action_plan", "acknowledgement_journal"])
    files_a = {p.relative_to(a.root): p.read_bytes() for p in a.root.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b.root): p.read_bytes() for p in b.root.rglob("*") if p.is_file()}
    assert files_a == files_b


def test_existing_pack_needs_force(tmp_path):
    profile = load_profile(SAMPLES / "escaping.yaml")
    res = build_pack(profile, tmp_path, only=["order"], languages=["ru"])
    with pytest.raises(InputError, match="--force"):
        build_pack(profile, tmp_path, only=["order"])
    res2 = build_pack(profile, tmp_path, only=["order"], languages=["kk"], force=True)
    assert res2.root == res.root
    assert (res.root / "kk" / "01-order.docx").exists() and not (res.root / "ru").exists()
    m = json.loads((res.root / "manifest.json").read_text(encoding="utf-8"))
    assert m["documents"] == ["order"] and m["languages"] == ["kk"] and m["complete"] is False


def test_failed_build_leaves_nothing(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(BUILTIN_DIR / "kk", templates / "kk")
    shutil.copytree(BUILTIN_DIR / "ru", templates / "ru")
    broken = templates / "ru" / "policy.md"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n{{ no_such_variable }}\n", encoding="utf-8")
    profile = load_profile(SAMPLES / "escaping.yaml")
    out = tmp_path / "out"
    with pytest.raises(InputError, match="no_such_variable") as info:
        build_pack(profile, out, templates_dir=templates)
    assert "policy.md" in str(info.value) and "no_such_variable" in str(info.value)
    assert [p for p in out.rglob("*") if p.is_file()] == []
    # an existing pack survives a failed --force rebuild untouched
    good = build_pack(profile, out, only=["order"])
    before = (good.root / "kk" / "01-order.docx").read_bytes()
    with pytest.raises(InputError, match="no_such_variable"):
        build_pack(profile, out, templates_dir=templates, force=True)
    assert (good.root / "kk" / "01-order.docx").read_bytes() == before
    assert sorted(p.name for p in good.root.parent.iterdir()) == ["2026"]


def test_sandbox_blocks_python_internals(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(BUILTIN_DIR / "kk", templates / "kk")
    (templates / "kk" / "order.md").write_text("{{ org.__class__.__mro__ }}\n", encoding="utf-8")
    profile = load_profile(SAMPLES / "escaping.yaml")
    with pytest.raises(InputError, match="not allowed in a template.*__class__"):
        build_pack(profile, tmp_path / "out", languages=["kk"], only=["order"], templates_dir=templates)


def test_profile_without_optional_fields_and_with_a_board(tmp_path, sample_data, write_profile):
    d = sample_data
    d["organization"]["governing_body"] = "board_of_directors"
    for key in ("website", "hotline", "address"):
        d["organization"].pop(key, None)
    for key in ("phone", "email"):
        d["compliance_officer"].pop(key, None)
    d["departments"] = []
    for e in d["employees"]:
        e.pop("department", None)
    profile = load_profile(write_profile(d))
    res = build_pack(profile, tmp_path / "out")
    for lang, board in (("kk", "Директорлар кеңес"), ("ru", "Совет")):
        for name in ("02-compliance_regulation.docx", "03-policy.docx", "05-coi_policy.docx"):
            assert board in docx_text(res.root / lang / name), (lang, name)
