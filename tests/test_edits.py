"""The yearly update over a pack the officer edited: the edits are carried into the new
pack in place, conflicts are reported with both texts, the journals keep their signatures,
and the base the next update merges against stays pristine. Everything is checked by
opening the written files."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from conftest import SAMPLES, docx_text, xlsx_rows
from docx.text.paragraph import Paragraph as DocxParagraph

from packbuilder.errors import InputError
from packbuilder.inputs.profile_file import validate_profile
from packbuilder.pack.base import BASE_PATH, read_base
from packbuilder.pack.build import build_pack
from packbuilder.render.templates import BUILTIN_DIR
from packbuilder.update.carry import (
    ARCHIVE_SHEET,
    CARRIED,
    DISCARDED,
    NOT_CARRIED,
    REGENERATED,
    SAME_TEXT,
    UNREADABLE,
)
from packbuilder.update.old_pack import read_old_pack
from packbuilder.update.yearly import update_pack
from packbuilder.write.text import paragraph_line

ADDED = ("Кәсіпорын жыл сайын сыбайлас жемқорлыққа қарсы ", "ашықтық күнін", " өткізеді.")
CHANGED_12 = "Комплаенс-офицер тоқсан сайын басшыға есеп береді."
OFFICER_RU = "конверт, подарочный сертификат"
TEMPLATE_RU_OLD = "Любая форма такого предложения является основанием"
TEMPLATE_RU_NEW = "Любая форма такого предложения, в том числе через мессенджеры, является основанием"
TEMPLATE_KK_OLD = "сәйкес шешіледі."
TEMPLATE_KK_NEW = "сәйкес комплаенс-қызметтің қорытындысы ескеріле отырып шешіледі."
NEW_HEAD = {"kk": "Нұрланов Ерлан Асқарұлы", "ru": "Нурланов Ерлан Аскарович"}
HIRE = {"kk": "Сапарова Дина Маратқызы", "ru": "Сапарова Дина Маратовна"}
OLD_HEAD_RU = "Сейткали Бауыржан Маратович"
STAYS_RU = "Жаксылыкова Асем Ерлановна"


def next_year(data: dict, year: int = 2027, order: str = "02-02-17/3-1") -> dict:
    """The Astana sample a year on: a new head (the old one left), a lawyer hired."""
    data = copy.deepcopy(data)
    data["year"] = year
    data["head"]["name"] = dict(NEW_HEAD)
    data["approval"] = {"number": order, "date": f"{year}-01-14"}
    old_head = data["employees"].pop(0)
    data["employees"].insert(0, {"name": dict(NEW_HEAD), "position": old_head["position"], "equated": True,
                                 "hired": f"{year - 1}-12-01"})
    data["employees"].append({"name": dict(HIRE), "position": {"kk": "Заңгер", "ru": "Юрист"}, "hired": f"{year}-01-18"})
    return data


def _point(d: docx.document.Document, number: int) -> DocxParagraph:
    return next(p for p in d.paragraphs if p.text.startswith(f"{number}. "))


def _replace_text(p: DocxParagraph, runs: list[tuple[str, dict]]) -> None:
    """Keep the paragraph's first run (its label «N. ») and put ``runs`` after it."""
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    for text, fmt in runs:
        run = p.add_run(text)
        for k, v in fmt.items():
            setattr(run, k, v)


def edit_like_an_officer(root: Path) -> dict[str, str]:
    """Edit last year's pack as an officer would in Word and Excel: in the kk policy add a
    point after point 5 (bold and underlined words), rewrite point 12 (italic), delete
    point 20; in the ru instruction reword point 11; sign two rows of the ru journal.
    Returns the texts of point 20 and of the ru instruction's point 11 as they were."""
    texts = edit_like_an_officer_policy(root)
    path = root / "ru" / "04-instruction.docx"
    d = docx.Document(str(path))
    p11 = _point(d, 11)
    ru_before = p11.text
    assert "конверт" in ru_before and TEMPLATE_RU_OLD in ru_before
    _replace_text(p11, [(ru_before.split(" ", 1)[1].replace("конверт", OFFICER_RU), {})])
    d.save(str(path))

    path = root / "ru" / "08-acknowledgement_journal.xlsx"
    wb = openpyxl.load_workbook(str(path))
    ws = wb["Журнал"]  # after the sheet of the documents acknowledged
    for row in ws.iter_rows():
        for c in row:
            if c.value in (OLD_HEAD_RU, STAYS_RU):
                ws.cell(row=c.row, column=5, value="16.01.2026")
                ws.cell(row=c.row, column=6, value=f"подпись {c.value.split()[0]}")
    wb.save(str(path))
    return texts | {"ru_before": ru_before}


def edit_like_an_officer_policy(root: Path) -> dict[str, str]:
    """The kk policy's edits of :func:`edit_like_an_officer`; returns point 20 as it was."""
    path = root / "kk" / "03-policy.docx"
    d = docx.Document(str(path))
    p6 = _point(d, 6)
    new = copy.deepcopy(p6._p)
    p6._p.addprevious(new)
    _replace_text(DocxParagraph(new, p6._parent), [(ADDED[0], {}), (ADDED[1], {"bold": True}),
                                                    (ADDED[2], {"underline": True})])
    _replace_text(_point(d, 12), [(CHANGED_12, {"italic": True})])
    p20 = _point(d, 20)
    removed = p20.text
    p20._p.getparent().remove(p20._p)
    d.save(str(path))
    return {"removed": removed}


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """Last year's pack built from a copy of the templates, edited by the officer; the ru
    instruction's template then changed in the very point the officer reworded; the update
    with a new head and one hire."""
    base = tmp_path_factory.mktemp("edits")
    templates = base / "templates"
    shutil.copytree(BUILTIN_DIR, templates)
    data = yaml.safe_load((SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8"))
    pristine = build_pack(validate_profile(data, SAMPLES), base / "old", templates_dir=templates).root
    old = base / "officer" / "150740099876" / "2026"
    shutil.copytree(pristine, old)
    texts = edit_like_an_officer(old)
    before = _digests(old)
    instruction = templates / "ru" / "instruction.md"
    text = instruction.read_text(encoding="utf-8")
    assert text.count(TEMPLATE_RU_OLD) == 1
    instruction.write_text(text.replace(TEMPLATE_RU_OLD, TEMPLATE_RU_NEW), encoding="utf-8")
    profile = validate_profile(next_year(data), SAMPLES)
    result = update_pack(profile, old, base / "new", templates_dir=templates)
    return {"old": old, "pristine": pristine, "before": before, "result": result, "root": result.pack.root,
            "templates": templates, "base": base, "data": data, "profile": profile, **texts}


def _points(path: Path) -> dict[int, str]:
    """The numbered points («N. text») of a docx by number (the first of each number)."""
    out: dict[int, str] = {}
    for line in docx_text(path).splitlines():
        m = re.match(r"^(\d+)\. (.*)", line)
        if m:
            out.setdefault(int(m.group(1)), m.group(2))
    return out


def test_officer_points_are_in_the_new_policy_in_place_and_renumbered(edited):
    new = edited["root"] / "kk" / "03-policy.docx"
    old_points = _points(edited["pristine"] / "kk" / "03-policy.docx")
    points = _points(new)
    assert points[5] == old_points[5]
    assert points[6] == "".join(ADDED)
    assert points[7] == old_points[6]  # renumbered after the added point
    assert points[13] == CHANGED_12  # the officer's point 12, one further down
    assert old_points[12] not in points.values()
    removed = edited["removed"].split(" ", 1)[1]
    assert removed not in docx_text(new)
    assert points[20] == old_points[19] and points[21] == old_points[21]  # 20 gone, the rest as it was
    labels = [int(line.split(".", 1)[0]) for line in docx_text(new).splitlines() if re.match(r"^\d+\. ", line)]
    main = [n for n in labels if n > 1 or labels.index(n) == 0]
    assert main[:40] == list(range(1, 41))  # the main list counts 1, 2, 3 … with no gap or repeat


def test_the_officer_formatting_is_kept(edited):
    d = docx.Document(str(edited["root"] / "kk" / "03-policy.docx"))
    added = _point(d, 6)
    runs = [(r.text, bool(r.bold), bool(r.italic), bool(r.underline)) for r in added.runs if r.text]
    assert runs == [("6. ", False, False, False), (ADDED[0], False, False, False), (ADDED[1], True, False, False),
                    (ADDED[2], False, False, True)]
    changed = _point(d, 13)
    assert [(r.text, bool(r.italic)) for r in changed.runs if r.text] == [("13. ", False), (CHANGED_12, True)]
    # the new paragraphs are laid out as points: justified, first-line indent
    assert added.paragraph_format.alignment == changed.paragraph_format.alignment == _point(d, 5).paragraph_format.alignment
    assert added.paragraph_format.first_line_indent == _point(d, 5).paragraph_format.first_line_indent


def test_a_conflict_keeps_the_new_text_and_reports_both(edited):
    new = docx_text(edited["root"] / "ru" / "04-instruction.docx")
    assert TEMPLATE_RU_NEW in new and OFFICER_RU not in new
    [e] = [e for e in edited["result"].edits if e.path == "ru/04-instruction.docx"]
    assert e.outcome == CARRIED and len(e.conflicts) == 1 and not e.carried
    c = e.conflicts[0]
    assert OFFICER_RU in c.ours[0] and TEMPLATE_RU_NEW in c.theirs[0] and TEMPLATE_RU_OLD in c.base[0]
    for lang in ("ru", "kk"):
        report = docx_text(edited["root"] / "changes" / f"{lang}.docx")
        html = re.sub(r"<[^>]+>", "", (edited["root"] / "changes" / f"{lang}.html").read_text(encoding="utf-8"))
        section = report.split("6. Конфликты" if lang == "ru" else "6. Қайшылықтар", 1)[1]
        assert "04-instruction.docx" in section
        assert OFFICER_RU in section and TEMPLATE_RU_NEW in section
        assert OFFICER_RU in html and TEMPLATE_RU_NEW in html
    html = (edited["root"] / "changes" / "ru.html").read_text(encoding="utf-8")
    assert "<strong>подарочный сертификат, </strong>" in html  # the officer's words in bold
    assert "в том числе через мессенджеры, </strong>" in html  # and the new version's


def test_the_report_lists_what_was_carried_per_document_and_language(edited):
    report = docx_text(edited["root"] / "changes" / "ru.docx")
    section = report.split("5. Ваши изменения, перенесенные в новый пакет", 1)[1].split("6. Конфликты", 1)[0]
    assert "03-policy.docx | казахский язык | изменения перенесены (3)" in section
    assert "08-acknowledgement_journal.xlsx | русский язык | изменения перенесены (1); строк в листе «Архив»: 1" \
        in section
    assert "04-instruction.docx | русский язык | конфликтов: 1 (раздел 6)" in section
    assert "Добавлено: 6. " + "".join(ADDED) in section
    assert f"Стало: 12. {CHANGED_12}" in section  # the officer's text as they wrote it
    assert f"Исключено: {edited['removed']}" in section
    assert "(03-policy) изменен только на казахском языке; текст на русском языке не изменялся" in section
    assert "(08-acknowledgement_journal) изменен" not in section  # a journal is signed in one language
    kk = docx_text(edited["root"] / "changes" / "kk.docx")
    assert "03-policy.docx | қазақ тілі | өзгерістер көшірілді (3)" in kk
    assert "тек қазақ тіліндегі мәтіні өзгертілген; орыс тіліндегі мәтіні өзгертілмеген" in kk


def test_the_change_sheet_records_the_carried_edits(edited):
    kk = docx_text(edited["root"] / "kk" / "03-policy.docx").split("ӨЗГЕРІСТЕР ПАРАҒЫ", 1)[1]
    assert "Комплаенс-офицер алдыңғы редакцияға енгізген өзгерістер сақталды." in kk
    ru = docx_text(edited["root"] / "ru" / "03-policy.docx").split("ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ", 1)[1]
    assert "Сохранены изменения, внесенные комплаенс-офицером в предыдущую редакцию." in ru
    other = docx_text(edited["root"] / "ru" / "05-coi_policy.docx").split("ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ", 1)[1]
    assert "Сохранены изменения" not in other


def test_the_journal_keeps_signatures_of_those_still_employed_and_archives_leavers(edited):
    path = edited["root"] / "ru" / "08-acknowledgement_journal.xlsx"
    rows = {r[1]: r for r in xlsx_rows(path, sheet=1) if r and r[1]}
    assert rows[STAYS_RU][4:6] == ["16.01.2026", "подпись Жаксылыкова"]
    assert rows[NEW_HEAD["ru"]][4:6] == [None, None]  # the new head's row is not the old head's
    assert OLD_HEAD_RU not in rows
    assert rows[HIRE["ru"]][0] == len([r for r in rows.values() if isinstance(r[0], int)])  # numbered to the end
    wb = openpyxl.load_workbook(str(path))
    assert wb.sheetnames == ["Документы", "Журнал", ARCHIVE_SHEET["ru"], "Лист изменений"]
    archive = [list(r) for r in wb[ARCHIVE_SHEET["ru"]].iter_rows(values_only=True)]
    assert [1, OLD_HEAD_RU, "Директор", None, "16.01.2026", "подпись Сейткали", None] in archive
    # the docx journal was not edited: nobody signed it, no archive
    assert "подпись Жаксылыкова" not in docx_text(edited["root"] / "ru" / "08-acknowledgement_journal.docx")


def test_the_old_pack_is_untouched_and_the_new_base_is_pristine(edited):
    assert _digests(edited["old"]) == edited["before"]
    base = read_base(edited["root"] / BASE_PATH)
    lines = [paragraph_line(b) for b in base["kk/03-policy"] if hasattr(b, "kind")]
    assert not any(ADDED[1] in line for line in lines) and not any(CHANGED_12 in line for line in lines)
    manifest = json.loads((edited["root"] / "manifest.json").read_text(encoding="utf-8"))
    assert BASE_PATH in [f["path"] for f in manifest["files"]]
    size = sum(p.stat().st_size for p in edited["root"].rglob("*") if p.is_file())
    assert (edited["root"] / BASE_PATH).stat().st_size < 0.10 * size


def test_edits_stay_carried_the_year_after(edited, tmp_path):
    """The 2027 pack's base is the templates' text, so the officer's 2026 edits are still
    edits against it in 2028, and are carried again."""
    profile = validate_profile(next_year(edited["data"], 2028, "02-02-17/1-1"), SAMPLES)
    result = update_pack(profile, edited["root"], tmp_path, templates_dir=edited["templates"])
    points = _points(result.pack.root / "kk" / "03-policy.docx")
    assert points[6] == "".join(ADDED) and points[13] == CHANGED_12
    [e] = [e for e in result.edits if e.path == "kk/03-policy.docx"]
    assert e.outcome == CARRIED and len(e.carried) == 3


def test_discard_edits_builds_from_the_templates_only(edited, tmp_path):
    result = update_pack(edited["profile"], edited["old"], tmp_path, templates_dir=edited["templates"],
                         discard_edits=True)
    text = docx_text(result.pack.root / "kk" / "03-policy.docx")
    assert "".join(ADDED) not in text and CHANGED_12 not in text
    assert {e.path: e.outcome for e in result.edits} == {
        "kk/03-policy.docx": DISCARDED, "ru/04-instruction.docx": DISCARDED,
        "ru/08-acknowledgement_journal.xlsx": DISCARDED}
    wb = openpyxl.load_workbook(str(result.pack.root / "ru" / "08-acknowledgement_journal.xlsx"))
    assert ARCHIVE_SHEET["ru"] not in wb.sheetnames
    assert "не перенесены: пакет сформирован только по шаблонам (--discard-edits)" in \
        docx_text(result.pack.root / "changes" / "ru.docx")
    # the documents read as those of an update from the unedited pack (the change sheets
    # differ: they compare with the files as the officer had them)
    clean = update_pack(edited["profile"], edited["pristine"], tmp_path / "clean", templates_dir=edited["templates"])
    assert clean.edits == []
    for rel in ("kk/03-policy.docx", "ru/04-instruction.docx"):
        assert docx_text(clean.pack.root / rel).split("ӨЗГЕРІСТЕР ПАРАҒЫ")[0].split("ЛИСТ РЕГИСТРАЦИИ")[0] == \
            docx_text(result.pack.root / rel).split("ӨЗГЕРІСТЕР ПАРАҒЫ")[0].split("ЛИСТ РЕГИСТРАЦИИ")[0]
    assert xlsx_rows(clean.pack.root / "ru" / "08-acknowledgement_journal.xlsx") == \
        xlsx_rows(result.pack.root / "ru" / "08-acknowledgement_journal.xlsx")


def test_an_old_pack_without_its_base_has_it_rendered_again(edited, tmp_path):
    old = tmp_path / "old" / "150740099876" / "2026"
    shutil.copytree(edited["old"], old)
    (old / BASE_PATH).unlink()
    result = update_pack(edited["profile"], old, tmp_path / "new", templates_dir=edited["templates"])
    assert read_old_pack(old).base is None
    outcomes = {e.path: (e.outcome, len(e.carried)) for e in result.edits}
    assert outcomes["kk/03-policy.docx"] == (CARRIED, 3)
    assert _points(result.pack.root / "kk" / "03-policy.docx")[6] == "".join(ADDED)


def test_deleted_and_resaved_files_are_not_refused(edited, tmp_path):
    old = tmp_path / "old" / "150740099876" / "2026"
    shutil.copytree(edited["pristine"], old)
    (old / "kk" / "07-training_schedule" / "protocol-03.docx").unlink()
    d = docx.Document(str(old / "ru" / "03-policy.docx"))
    d.save(str(old / "ru" / "03-policy.docx"))  # saved again by Word: other bytes, the same text
    (old / "kk" / "05-coi_policy.docx").write_bytes(b"\xd0\xcf\x11\xe0 saved as an old .doc")
    (old / "kk" / "06-action_plan.xlsx").write_bytes(b"PK\x03\x04 truncated")
    result = update_pack(edited["profile"], old, tmp_path / "new", templates_dir=edited["templates"])
    outcomes = {e.path: (e.outcome, e.reason) for e in result.edits}
    assert outcomes == {"kk/07-training_schedule/protocol-03.docx": (REGENERATED, ""),
                        "ru/03-policy.docx": (SAME_TEXT, ""),
                        "kk/05-coi_policy.docx": (NOT_CARRIED, UNREADABLE),
                        "kk/06-action_plan.xlsx": (NOT_CARRIED, UNREADABLE)}
    assert (result.pack.root / "kk" / "07-training_schedule" / "protocol-03.docx").is_file()
    report = docx_text(result.pack.root / "changes" / "ru.docx")
    assert "05-coi_policy.docx | казахский язык | не перенесены: файл не открывается как документ Word или Excel" \
        in report
    assert "07-training_schedule/protocol-03.docx | казахский язык | файл был удален; сформирован заново" in report


def test_a_damaged_manifest_is_still_refused(edited, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(edited["old"], old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["profile"]["head"]["name"]["ru"] = "Другой"
    (old / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match="profile: does not match the profile_digest"):
        update_pack(edited["profile"], old, tmp_path / "new")
    manifest = json.loads((edited["old"] / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][0]["path"] = "../../etc/passwd"
    (old / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match="lists a file outside the pack: '../../etc/passwd'"):
        read_old_pack(old)
    (old / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable manifest"):
        read_old_pack(old)
    assert not (tmp_path / "new").exists()


def _soffice() -> str | None:
    found = shutil.which("soffice")
    if not found and os.environ.get("PACKBUILDER_REQUIRE_PDF"):
        pytest.fail("LibreOffice (soffice) is required: PACKBUILDER_REQUIRE_PDF is set")
    return found


def test_edits_saved_by_libreoffice_are_carried(edited, tmp_path):
    """LibreOffice rewrites runs, styles and the whole package when it saves: the merge
    reads the text and the emphasis, which it keeps."""
    soffice = _soffice()
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    old = tmp_path / "old" / "150740099876" / "2026"
    shutil.copytree(edited["old"], old)
    out = tmp_path / "lo"
    for rel in ("kk/03-policy.docx", "ru/04-instruction.docx"):
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", "docx", "--outdir", str(out / rel.split("/")[0]), str(old / rel)],
                       check=True, capture_output=True, timeout=180)
        resaved = out / rel
        with zipfile.ZipFile(resaved) as z:
            assert b"LibreOffice" in z.read("docProps/app.xml")
        shutil.copy(resaved, old / rel)
    result = update_pack(edited["profile"], old, tmp_path / "new", templates_dir=edited["templates"])
    points = _points(result.pack.root / "kk" / "03-policy.docx")
    assert points[6] == "".join(ADDED) and points[13] == CHANGED_12
    d = docx.Document(str(result.pack.root / "kk" / "03-policy.docx"))
    assert [r.text for r in _point(d, 6).runs if r.bold] == [ADDED[1]]
    [e] = [e for e in result.edits if e.path == "ru/04-instruction.docx"]
    assert len(e.conflicts) == 1 and OFFICER_RU in e.conflicts[0].ours[0]


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _revision_texts(path: Path) -> list[tuple[bool, str, str]]:
    """Each body paragraph of a redline: (marked with w:ins/w:del, text with the changes
    accepted, text with them rejected). A paragraph whose mark is deleted (a paragraph
    removed, ``w:pPr/w:rPr/w:del``) runs on into the next one once the changes are accepted,
    as Word joins them; one whose mark is inserted, once they are rejected."""
    from lxml import etree
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(W + "body")
    out = []
    for p in body.iterchildren(W + "p"):
        marked = any(True for _ in p.iter(W + "ins", W + "del"))
        glyph = {W + "br": "\n", W + "tab": "\t", W + "noBreakHyphen": "-"}
        pieces = [(t, t.text or "" if t.tag in (W + "t", W + "delText") else glyph[t.tag],
                   {a.tag for a in t.iterancestors()})
                  for t in p.iter(W + "t", W + "delText", W + "br", W + "tab", W + "noBreakHyphen")
                  if t.getparent().tag in (W + "r",)]
        accepted = "".join(text for t, text, up in pieces if t.tag != W + "delText" and W + "del" not in up)
        rejected = "".join(text for t, text, up in pieces if W + "ins" not in up)
        mark = p.find(f"{W}pPr/{W}rPr")
        joins = (mark is not None and mark.find(W + "del") is not None,
                 mark is not None and mark.find(W + "ins") is not None)
        out.append((marked, accepted, rejected, joins))
    merged: list[tuple[bool, str, str]] = []
    carry = (False, "", "", (False, False))
    for i, (marked, accepted, rejected, joins) in enumerate(out):
        if carry[3][0] or carry[3][1]:
            marked = marked or carry[0]
            accepted = (carry[1] if carry[3][0] else "") + accepted
            rejected = (carry[2] if carry[3][1] else "") + rejected
        if (joins[0] or joins[1]) and i + 1 < len(out):
            carry = (marked, accepted if joins[0] else "", rejected if joins[1] else "", joins)
            if joins[0] and not joins[1]:
                merged.append((True, None, rejected))  # its own paragraph only when rejected
            elif joins[1] and not joins[0]:
                merged.append((True, accepted, None))
            continue
        carry = (False, "", "", (False, False))
        merged.append((marked, accepted, rejected))
    return merged


def test_a_redline_marks_exactly_the_changed_paragraphs(edited, tmp_path):
    """The kk policy of a pack holding only it, edited by the officer: its redline is the
    new document with tracked changes against the officer's file, and LibreOffice opens it."""
    data = yaml.safe_load((SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8"))
    old = build_pack(validate_profile(data, SAMPLES), tmp_path / "old", languages=["kk"], only=["policy"]).root
    edited_texts = edit_like_an_officer_policy(old)
    templates = tmp_path / "templates"
    shutil.copytree(BUILTIN_DIR, templates)
    policy = templates / "kk" / "policy.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace(TEMPLATE_KK_OLD, TEMPLATE_KK_NEW), encoding="utf-8")
    result = update_pack(edited["profile"], old, tmp_path / "new", templates_dir=templates, redlines=True)
    redline = result.pack.root / "changes" / "redline" / "kk" / "03-policy.docx"
    assert sorted(p.relative_to(result.pack.root).as_posix() for p in (result.pack.root / "changes").rglob("*.docx")
                  if "redline" in p.parts) == ["changes/redline/kk/03-policy.docx"]
    manifest = json.loads((result.pack.root / "manifest.json").read_text(encoding="utf-8"))
    assert {"path": "changes/redline/kk/03-policy.docx", "document": "redline", "lang": "kk",
            "sha256": hashlib.sha256(redline.read_bytes()).hexdigest()} in manifest["files"]
    assert "changes/redline/kk/03-policy.docx" in docx_text(result.pack.root / "changes" / "kk.docx")

    old_lines = [p.text for p in docx.Document(str(old / "kk" / "03-policy.docx")).paragraphs]
    new_lines = [p.text for p in docx.Document(str(result.pack.root / "kk" / "03-policy.docx")).paragraphs]
    paragraphs = _revision_texts(redline)
    assert [a for _, a, _ in paragraphs if a is not None] == new_lines  # accepting every change gives the new one
    marked = [(a, r) for m, a, r in paragraphs if m]
    unmarked = [a for m, a, _ in paragraphs if not m]
    assert marked and all(a != r for a, r in marked)
    assert all(a in old_lines for a in unmarked if a.strip())  # what is not marked was there last year
    changed = {a for a in new_lines if a not in old_lines}
    assert changed == {a for a, _ in marked if a}  # and every new or changed paragraph is marked
    assert any(TEMPLATE_KK_NEW in (a or "") and TEMPLATE_KK_OLD in (r or "") for a, r in marked)
    assert "".join(ADDED) in " ".join(unmarked)  # the officer's own point is theirs already: not a change
    assert not any(edited_texts["removed"] in (a or "") or edited_texts["removed"] in (r or "") for a, r in marked)
    soffice = _soffice()
    if soffice:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(redline)],
                       check=True, capture_output=True, timeout=180)
        assert (tmp_path / "pdf" / "03-policy.pdf").read_bytes()[:5] == b"%PDF-"
