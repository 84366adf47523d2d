"""The yearly update: next year's pack from last year's, the change sheets, the journals'
marks and the change report, opened and read."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from conftest import SAMPLES, docx_tables, docx_text, xlsx_rows

from packbuilder.cli import main
from packbuilder.errors import InputError
from packbuilder.model import acts
from packbuilder.inputs.profile_file import validate_profile
from packbuilder.pack.build import build_pack
from packbuilder.pack.revisions import CHANGE_SHEET_NAME, CHANGE_SHEET_TITLE
from packbuilder.render.templates import BUILTIN_DIR
from packbuilder.update.diff import body_lines, file_text, paragraph_diff
from packbuilder.update.yearly import read_old_pack, update_pack

BIN = "150740099876"
EDIT_OLD = "сәйкес шешіледі."
EDIT_NEW = "сәйкес комплаенс-қызметтің қорытындысы ескеріле отырып шешіледі."
NEW_HEAD = {"kk": "Нұрланов Ерлан Асқарұлы", "ru": "Нурланов Ерлан Аскарович"}
HIRE = {"kk": "Сапарова Дина Маратқызы", "ru": "Сапарова Дина Маратовна"}
OLD_HEAD = {"kk": "Сейткали Бауыржан Маратұлы", "ru": "Сейткали Бауыржан Маратович"}


def _digests(root: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def _next_year(data: dict) -> dict:
    """The Astana sample one year on: a new head (the old one left, the new one hired),
    a lawyer hired, a new approving order."""
    data = copy.deepcopy(data)
    data["year"] = 2027
    data["head"]["name"] = dict(NEW_HEAD)
    data["approval"] = {"number": "02-02-17/3-1", "date": "2027-01-14"}
    old_head = data["employees"].pop(0)
    assert old_head["name"] == OLD_HEAD
    data["employees"].insert(0, {"name": dict(NEW_HEAD), "position": old_head["position"], "equated": True,
                                 "hired": "2026-12-01"})
    data["employees"].append({"name": dict(HIRE), "position": {"kk": "Заңгер", "ru": "Юрист"},
                              "department": {"kk": "Әкімшілік-құқықтық бөлім", "ru": "Административно-правовой отдел"},
                              "hired": "2027-01-18"})
    return data


@pytest.fixture(scope="module")
def updated(tmp_path_factory):
    """Last year's pack built from a copy of the templates, one template edited (point 73
    of the Kazakh policy), then the update; with the old pack's files as they were."""
    base = tmp_path_factory.mktemp("update")
    templates = base / "templates"
    shutil.copytree(BUILTIN_DIR, templates)
    data = yaml.safe_load((SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8"))
    old_profile = validate_profile(data, SAMPLES)
    old = build_pack(old_profile, base / "old", templates_dir=templates).root
    before = _digests(old)
    policy = templates / "kk" / "policy.md"
    text = policy.read_text(encoding="utf-8")
    assert text.count(EDIT_OLD) == 1
    policy.write_text(text.replace(EDIT_OLD, EDIT_NEW), encoding="utf-8")
    st = policy.stat()
    os.utime(policy, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    new_profile = validate_profile(_next_year(data), SAMPLES)
    # The Concept 2022–2026 is not cited in 2027, which changes the policy and four other
    # documents of every 2027 pack (test_cli_update_on_the_samples sees it); these tests
    # follow one template edit alone, so the act stays in force here.
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(acts.ACT_VALIDITY, "concept", (None, None))
        result = update_pack(new_profile, old, base / "new", templates_dir=templates)
    return {"old": old, "before": before, "result": result, "root": result.pack.root, "templates": templates,
            "base": base, "data": data}


def _report(u, lang: str) -> str:
    return docx_text(u["root"] / "changes" / f"{lang}.docx")


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def test_update_builds_next_year_and_never_touches_the_old_pack(updated):
    u = updated
    assert u["root"] == u["base"] / "new" / BIN / "2027"
    assert _digests(u["old"]) == u["before"]  # same bytes, same times, no file added or removed
    manifest = json.loads((u["root"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["year"] == 2027
    old_manifest = (u["old"] / "manifest.json").read_bytes()
    assert manifest["previous"] == {"year": 2026, "manifest_sha256": hashlib.sha256(old_manifest).hexdigest()}
    for path in ("changes/kk.docx", "changes/kk.html", "changes/ru.docx", "changes/ru.html"):
        entry = next(f for f in manifest["files"] if f["path"] == path)
        assert entry["sha256"] == hashlib.sha256((u["root"] / path).read_bytes()).hexdigest()
    assert "2027 жылға арналған" in docx_text(u["root"] / "kk" / "06-action_plan.docx")


def test_manifest_records_template_version_and_every_template_digest(updated):
    u = updated
    old = json.loads((u["old"] / "manifest.json").read_text(encoding="utf-8"))
    new = json.loads((u["root"] / "manifest.json").read_text(encoding="utf-8"))
    version = (BUILTIN_DIR / "VERSION").read_text(encoding="utf-8").strip()
    assert old["template_version"] == new["template_version"] == version
    for lang in ("kk", "ru"):
        files = {p.name for p in (u["templates"] / lang).glob("*.md")}
        assert set(new["templates"][lang]) == files  # every template a pack is rendered from
        for name, digest in new["templates"][lang].items():
            assert digest == hashlib.sha256((u["templates"] / lang / name).read_bytes()).hexdigest()
    changed = {(lang, name) for lang in ("kk", "ru") for name in new["templates"][lang]
               if old["templates"][lang][name] != new["templates"][lang][name]}
    assert changed == {("kk", "policy.md")}


def test_report_names_exactly_the_profile_changes(updated):
    c = updated["result"].changes
    assert [f.path for f in c.fields] == ["head.name", "approval.number", "approval.date"]
    assert [e.name.kk for e in c.hired] == [NEW_HEAD["kk"], HIRE["kk"]]
    assert [e.name.kk for e in c.left] == [OLD_HEAD["kk"]]
    assert not (c.moved or c.newly_equated or c.no_longer_equated or c.departments_added or c.departments_removed)
    titles = {"kk": ("Басшы", "Бекіту туралы бұйрық", "Жұмысқа қабылданғандар (2)", "Жұмыстан босатылғандар (1)"),
              "ru": ("Руководитель", "Приказ об утверждении", "Приняты на работу (2)", "Уволены (1)")}
    absent = {"kk": ("Комплаенс-офицер\n", "Құрылымдық бөлімшелер\n", "ауыстырылғандар", "алғаш рет жатқызылғандар (",
                     "қатарынан шығарылғандар", "өзге мәліметтер"),
              "ru": ("Комплаенс-офицер\n", "Структурные подразделения\n", "Переведены", "Впервые отнесены",
                     "Исключены из числа", "Иные сведения")}
    for lang in ("kk", "ru"):
        text = _report(updated, lang)
        profile = _section(text, titles[lang][0], "\n2. ")
        for title in titles[lang]:
            assert title + "\n" in profile, (lang, title)
        for title in absent[lang]:
            assert title not in profile, (lang, title)
        head = _section(profile, titles[lang][0] + "\n", titles[lang][1] + "\n")
        assert f"{OLD_HEAD[lang]} | {NEW_HEAD[lang]}" in head
        rows = [r for r in docx_tables(updated["root"] / "changes" / f"{lang}.docx")
                if r[0][-1].startswith(("Ознакомить", "Құжаттармен танысу"))][0]
        assert [r[1] for r in rows[1:]] == [NEW_HEAD[lang] + (" (приравненное лицо)" if lang == "ru"
                                                              else " (теңестірілген адам)"), HIRE[lang]]
        # hired 01.12.2026, before the order of 14.01.2027: three working days from the order;
        # hired 18.01.2027 (Monday): 21.01.2027
        assert [r[4:] for r in rows[1:]] == [["01.12.2026", "15.01.2027" + (" дейін" if lang == "kk" else "")],
                                             ["18.01.2027", "21.01.2027" + (" дейін" if lang == "kk" else "")]]
        assert "02-02-17/4-1 | 02-02-17/3-1" in profile and "15.01.2026 | 14.01.2027" in profile


def test_report_names_the_template_edit_and_its_paragraph(updated):
    chapters = {"kk": ("\n2. Шаблондардағы өзгерістер", "\n3. Пакет құжаттары", "\n4. Құжаттар мәтініндегі"),
                "ru": ("\n2. Изменения шаблонов", "\n3. Документы пакета", "\n4. Изменения текстов")}
    for lang, edited, unchanged in (("kk", "өзгертілді", "өзгерген жоқ"), ("ru", "изменен", "без изменений")):
        text = _report(updated, lang)
        second, third, fourth = chapters[lang]
        templates = _section(text, second, third)
        rows = [line for line in templates.splitlines() if line[:1].isdigit()]
        assert len(rows) == 2 and rows[1].startswith("1 | policy.md | ") and f"| {edited} |" in rows[1], rows
        documents = _section(text, third, fourth)
        policy = next(line for line in documents.splitlines() if "| 03-policy.docx |" in line)
        assert policy.split(" | ")[2].startswith(edited) and policy.endswith(f"| {unchanged}")
        details = text[text.index(fourth):]
        kk_policy = _section(details, "03-policy.docx – " + ("қазақ тілі" if lang == "kk" else "казахский язык"),
                             "\n0")
        assert "73. Саясатта реттелмеген мәселелер" in kk_policy and EDIT_NEW in kk_policy
        assert ("03-policy.docx – " + ("орыс тілі" if lang == "kk" else "русский язык")) not in details


def test_paragraph_diff_of_the_edited_policy(updated):
    u = updated
    old = body_lines(file_text(u["old"] / "kk" / "03-policy.docx"), "kk", "БЕКІТІЛДІ")
    new = body_lines(file_text(u["root"] / "kk" / "03-policy.docx"), "kk", "БЕКІТІЛДІ")
    diff = paragraph_diff(old, new)
    assert not diff.added and not diff.removed and len(diff.changed) == 1
    assert diff.changed[0][0].endswith(EDIT_OLD) and diff.changed[0][1].endswith(EDIT_NEW)
    assert diff.changed_points == {73} and diff.other == 0
    assert u["result"].diffs["ru/03-policy.docx"].differs is False
    assert u["result"].diffs["kk/03-policy.docx"].differs is True


def _change_sheet(path: Path, lang: str) -> list[list[str]]:
    rows = docx_tables(path)[-1]
    assert CHANGE_SHEET_TITLE[lang] in docx_text(path).splitlines()
    return [r for r in rows[1:] if any(c.strip() for c in r)]


def test_change_sheets_carried_over_and_extended(updated):
    u = updated
    for lang in ("kk", "ru"):
        old_rows = _change_sheet(u["old"] / lang / "03-policy.docx", lang)
        rows = _change_sheet(u["root"] / lang / "03-policy.docx", lang)
        assert len(old_rows) == 1 and rows[0] == old_rows[0]
        assert rows[0][0] == "1" and "15.01.2026 № 02-02-17/4-1" in rows[0][1]
        assert rows[1][0] == "2" and "14.01.2027 № 02-02-17/3-1" in rows[1][1]
        first, new = {"kk": ("Бастапқы редакция, 2026", "Жаңа редакция, 2027 жылға бекітілді. Өзгертілген тармақтар: 73."),
                      "ru": ("Первоначальная редакция, утверждена на 2026", "Новая редакция, утверждена на 2027 год. "
                                                                           "Изменены пункты: 73.")}[lang]
        assert rows[0][2].startswith(first) and rows[1][2] == new
        assert rows[1][3].startswith({"kk": "Г.Қ. Ибраева", "ru": "Г.К. Ибраева"}[lang])
        # the gifts form and register name neither the year nor the head: same text
        gifts = _change_sheet(u["root"] / lang / "18-gifts.docx", lang)
        assert gifts[1][2] == {"kk": "Редакция 2027 жылға мәтіні өзгертілмей қайта бекітілді.",
                               "ru": "Редакция переутверждена на 2027 год без изменения текста."}[lang]
        # the conflict-of-interest policy addresses its notice to the head by name: a new head, a new text
        coi = _change_sheet(u["root"] / lang / "05-coi_policy.docx", lang)
        assert coi[1][2].startswith({"kk": "Жаңа редакция", "ru": "Новая редакция"}[lang])
        # the order approves, it is not approved: no change sheet
        assert CHANGE_SHEET_TITLE[lang] not in docx_text(u["root"] / lang / "01-order.docx")
        # the xlsx journals carry it as a sheet of their own
        wb = openpyxl.load_workbook(u["root"] / lang / "10-reports_register.xlsx")
        sheet = [r for r in wb[CHANGE_SHEET_NAME[lang]].iter_rows(values_only=True) if r[0] in (1, 2)]
        assert [r[0] for r in sheet] == [1, 2] and "02-02-17/3-1" in sheet[1][1]
    manifest = json.loads((u["root"] / "manifest.json").read_text(encoding="utf-8"))
    revisions = manifest["revisions"]["03-policy"]
    assert [r["version"] for r in revisions] == [1, 2] and revisions[1]["changed"] == [73]


def test_journals_mark_joiners_and_their_deadline(updated):
    u = updated
    for lang, note in (("kk", "Жаңа жұмыскер"), ("ru", "Новый работник")):
        rows = xlsx_rows(u["root"] / lang / "08-acknowledgement_journal.xlsx", sheet=1)
        header = next(i for i, r in enumerate(rows) if r[0] == "№")
        staff = [r for r in rows[header + 1:] if r[1]]
        marked = {r[1]: r[-1] for r in staff if r[-1]}
        assert set(marked) == {NEW_HEAD[lang], HIRE[lang]}
        assert marked[HIRE[lang]].startswith(note) and "18.01.2027" in marked[HIRE[lang]]
        # 3 days: hired on Monday 18.01 → Thursday 21.01; the order of Thursday 14.01 → Friday 15.01 (17.01 is a Sunday)
        assert "21.01.2027" in marked[HIRE[lang]] and "15.01.2027" in marked[NEW_HEAD[lang]]
        text = docx_text(u["root"] / lang / "08-acknowledgement_journal.docx")
        assert ("7. 2026 жылға арналған" if lang == "kk" else "7. Работники, принятые на работу после") in text
        # the restrictions journal: the new director is equated and new
        journal = xlsx_rows(u["root"] / lang / "09-restrictions.xlsx")
        notes = {r[1]: r[-1] for r in journal if r[1] and r[-1] and r[0] != "№"}
        assert list(notes) == [NEW_HEAD[lang]] and notes[NEW_HEAD[lang]].startswith(
            {"kk": "Жаңа жұмыскер", "ru": "Новый работник"}[lang])
        # last year's journal had no such marks
        old = xlsx_rows(u["old"] / lang / "08-acknowledgement_journal.xlsx", sheet=1)
        assert not [r for r in old[header + 1:] if r[1] and r[-1]]


def test_report_html_matches_and_escapes(updated, tmp_path):
    u = updated
    for lang in ("kk", "ru"):
        page = (u["root"] / "changes" / f"{lang}.html").read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
        assert NEW_HEAD[lang] in page and OLD_HEAD[lang] in page and "<table>" in page
        assert "policy.md" in page and "<strong>" in page and ":::" not in page and "\ue000" not in page
    # a value with markup characters stays text in the page
    data = _next_year(u["data"])
    data["employees"][-1]["name"] = {"kk": "<b>Ағаш & *Бұтақ*</b>", "ru": "<b>Ағаш & *Бұтақ*</b>"}
    data["approval"]["number"] = "5-<i>"
    result = update_pack(validate_profile(data, SAMPLES), u["old"], tmp_path, templates_dir=u["templates"])
    page = (result.pack.root / "changes" / "ru.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Ағаш &amp; *Бұтақ*&lt;/b&gt;" in page and "5-&lt;i&gt;" in page and "<b>Ағаш" not in page
    assert "<b>Ағаш & *Бұтақ*</b>" in _report({"root": result.pack.root}, "ru")


def test_newly_equated_and_moved_employee(updated, tmp_path):
    u = updated
    data = copy.deepcopy(u["data"])
    data["year"] = 2027
    data["approval"] = {"number": "7", "date": "2027-01-20"}
    lawyer = next(e for e in data["employees"] if e["name"]["kk"] == "Тұрсынов Дәурен Асқарұлы")
    assert not lawyer.get("equated")
    lawyer.update(position={"kk": "Бас заңгер", "ru": "Главный юрист"}, equated=True)
    result = update_pack(validate_profile(data, SAMPLES), u["old"], tmp_path, templates_dir=BUILTIN_DIR)
    c = result.changes
    assert [e.name.ru for e in c.newly_equated] == ["Турсынов Даурен Аскарович"]
    assert [(m.old.position.ru, m.new.position.ru) for m in c.moved] == [("Юрист", "Главный юрист")]
    assert not (c.hired or c.left) and [f.path for f in c.fields] == ["approval.number", "approval.date"]
    journal = xlsx_rows(result.pack.root / "ru" / "09-restrictions.xlsx")
    notes = {r[1]: r[-1] for r in journal if r[1] and r[-1] and r[0] != "№"}
    # 20.01.2027 is a Wednesday: the third day after is Saturday 23.01, so the last day is Friday 22.01
    assert notes == {"Турсынов Даурен Аскарович": "Впервые в числе приравненных лиц; обязательство – до 22.01.2027"}
    text = _report({"root": result.pack.root}, "ru")
    assert "Впервые отнесены к приравненным лицам (1)" in text and "Переведены" in text
    assert "Юрист, Административно-правовой отдел | Главный юрист, Административно-правовой отдел" in text


def _copy_pack(u, tmp_path) -> Path:
    copy_root = tmp_path / "old" / BIN / "2026"
    shutil.copytree(u["old"], copy_root)
    return copy_root


def test_only_a_damaged_manifest_refuses_the_old_pack(updated, tmp_path):
    u = updated
    old = _copy_pack(u, tmp_path)
    (old / "ru" / "03-policy.docx").write_bytes((old / "ru" / "03-policy.docx").read_bytes() + b"\0")
    (old / "kk" / "07-training_schedule" / "protocol-03.docx").unlink()
    states = read_old_pack(old).states  # changed and missing files are classified, not refused
    assert states["ru/03-policy.docx"] == "edited" and states["kk/07-training_schedule/protocol-03.docx"] == "deleted"
    assert states["kk/03-policy.docx"] == "unchanged"
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["profile"]["head"]["name"]["ru"] = "Другой"
    (old / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match="profile: does not match the profile_digest"):
        read_old_pack(old)
    # the command line says so and exits 1, writing nothing
    runner = CliRunner()
    profile_path = tmp_path / "profile.yaml"
    profile_path.write_text(yaml.safe_dump(_next_year(u["data"]), allow_unicode=True), encoding="utf-8")
    res = runner.invoke(main, ["update", str(profile_path), "--from", str(old), "-o", str(tmp_path / "new")])
    assert res.exit_code == 1 and f"error: {old / 'manifest.json'}: profile: does not match" in res.output
    assert not (tmp_path / "new").exists()
    (old / "manifest.json").unlink()
    with pytest.raises(InputError, match="no manifest"):
        update_pack(validate_profile(_next_year(u["data"]), SAMPLES), old, tmp_path / "new")
    with pytest.raises(InputError, match=re.escape(f"packs below it: {u['old']}")):
        read_old_pack(u["old"].parent.parent)


def test_update_refuses_what_would_be_wrong(updated, tmp_path):
    u = updated
    data = _next_year(u["data"])
    same_order = copy.deepcopy(data)
    same_order["approval"] = copy.deepcopy(u["data"]["approval"])
    with pytest.raises(InputError, match=r"^approval: still the old pack's order № 02-02-17/4-1 of 15\.01\.2026"):
        update_pack(validate_profile(same_order, SAMPLES), u["old"], tmp_path)
    other = copy.deepcopy(data)
    other["organization"]["bin"] = "200640195858"
    with pytest.raises(InputError, match="^organization.bin: 200640195858 is not the old pack's organization"):
        update_pack(validate_profile(other, SAMPLES), u["old"], tmp_path)
    with pytest.raises(InputError, match="^--year: 2025 is before the old pack's plan year 2026"):
        update_pack(validate_profile(data, SAMPLES), u["old"], tmp_path, year=2025)
    same_year = copy.deepcopy(data)
    same_year["approval"]["date"] = "2026-06-01"
    with pytest.raises(InputError, match="would replace the old pack"):
        update_pack(validate_profile(same_year, SAMPLES), u["old"], u["old"].parent.parent, year=2026)
    assert not list(tmp_path.iterdir())


def test_cli_update_on_the_samples(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(main, ["build", str(SAMPLES / "astana_monitoring_centre.yaml"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["update", str(SAMPLES / "astana_monitoring_centre_2027.yaml"),
                               "--from", str(out / BIN / "2026"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    # 104 documents, 2 calendars, the base, the manifest, the report in 4 files and 82
    # redlines: every document but the 22 whose text did not change (the report tells which)
    assert f"built {out / BIN / '2027'}: 194 files" in res.output
    # the Concept 2022–2026 is cited in 2026, not in 2027: the change report shows the policy changed
    assert "Концепция антикоррупционной политики" in docx_text(out / BIN / "2026" / "ru" / "03-policy.docx")
    assert "Концепци" not in docx_text(out / BIN / "2027" / "ru" / "03-policy.docx")
    assert (out / BIN / "2027" / "changes" / "redline" / "ru" / "03-policy.docx").is_file()
    assert "changes: 3 profile fields, 2 hired, 1 left, 1 moved, 1 newly equated;" in res.output
    assert "your edits" not in res.output  # the old pack was not edited
    assert (out / BIN / "2027" / "changes" / "kk.html").is_file()
    redlines = sorted((out / BIN / "2027" / "changes" / "redline").rglob("*.docx"))
    assert len(redlines) == 82 and out / BIN / "2027" / "changes" / "redline" / "ru" / "01-order.docx" in redlines
    assert "changes/redline/ru/01-order.docx" in docx_text(out / BIN / "2027" / "changes" / "ru.docx")
    text = docx_text(out / BIN / "2027" / "changes" / "kk.docx")
    assert "Бас заңгер" in text and "Сапарова Дина Маратқызы" in text


def test_plain_rebuild_of_an_updated_pack_warns_that_history_restarts(updated, tmp_path):
    u = updated
    target = tmp_path / BIN / "2027"
    shutil.copytree(u["root"], target)
    profile = validate_profile(_next_year(u["data"]), SAMPLES)
    result = build_pack(profile, tmp_path, force=True, only=["policy"], languages=["ru"])
    assert [w for w in result.warnings if "change sheets had 2 editions" in w and "the 2026 pack" in w]
    rows = _change_sheet(target / "ru" / "03-policy.docx", "ru")
    assert [r[0] for r in rows] == ["1"]
    assert not build_pack(profile, tmp_path, force=True, only=["policy"], languages=["ru"]).warnings
