"""The PDF converter keeps LibreOffice running (write/pdf.py, write/lo_bridge.py): documents
convert one after another in one LibreOffice, a crashed or hung one is restarted and the
document tried again, a document it cannot open is reported by name while the others convert;
without LibreOffice's Python bridge one ``soffice --convert-to pdf`` call converts the whole
list; a forced rebuild copies the PDF of a .docx whose bytes did not change; ``batch --pdf``
does not convert a pack that is already there with its PDFs.

The PDFs are read back with pypdf: the tests check the text on their pages, Kazakh letters
included. They need LibreOffice and are skipped without it (failed under .ci/run)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from conftest import PDF_SAMPLES, SAMPLES, need_soffice, sample_registry
from pypdf import PdfReader

from packbuilder.batch import UP_TO_DATE, run_batch
from packbuilder.cli import main
from packbuilder.inputs.profile_file import load_profile
from packbuilder.pack.build import build_pack
from packbuilder.write import pdf as pdf_module
from packbuilder.write.pdf import ConversionError, PdfConverter, PdfService


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _docx(path, text: str):
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path


def _office_pids(c: PdfConverter) -> list[int]:
    """The LibreOffice processes of converter ``c``: those of its helper's process group
    (``soffice`` starts ``soffice.bin`` as a child), the helper excepted (Linux's /proc)."""
    helper = c._proc.pid
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == helper and int(stat.parent.name) != helper:  # fields[2]: the process group
            pids.append(int(stat.parent.name))
    assert pids, "no LibreOffice process found"
    return pids


@pytest.fixture(scope="module")
def bridge():
    need_soffice()
    if pdf_module.find_uno_python() is None:
        if os.environ.get("PACKBUILDER_REQUIRE_PDF") == "1":
            pytest.fail(pdf_module.UNO_HINT)
        pytest.skip(pdf_module.UNO_HINT)


def test_one_running_libreoffice_converts_documents_and_workbooks(bridge, tmp_path):
    kk = _docx(tmp_path / "kk.docx", "Сыбайлас жемқорлыққа қарсы саясат: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі")
    ru = _docx(tmp_path / "ru.docx", "Антикоррупционная политика «Общества» & <партнёры>")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Танысу журналы — Журнал ознакомления"
    wb.save(tmp_path / "journal.xlsx")
    with PdfConverter() as c:
        pdfs = [c.convert(kk), c.convert(ru), c.convert(tmp_path / "journal.xlsx", tmp_path / "out" / "j.pdf")]
        assert c.starts == 1 and c.seconds > 0
    assert pdfs == [tmp_path / "kk.pdf", tmp_path / "ru.pdf", tmp_path / "out" / "j.pdf"]
    assert "Сыбайлас жемқорлыққа қарсы саясат: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі" in _pdf_text(pdfs[0])
    assert "Антикоррупционная политика «Общества» & <партнёры>" in _pdf_text(pdfs[1])
    assert "Танысу журналы — Журнал ознакомления" in _pdf_text(pdfs[2])
    assert not c._proc and c._profile is None  # closed: LibreOffice stopped, its profile removed


def test_a_crashed_libreoffice_is_started_again(bridge, tmp_path):
    with PdfConverter() as c:
        c.convert(_docx(tmp_path / "a.docx", "Бірінші құжат"))
        for pid in _office_pids(c):
            os.kill(pid, signal.SIGKILL)
        pdf = c.convert(_docx(tmp_path / "b.docx", "Екінші құжат"))
        assert c.starts == 2
    assert "Екінші құжат" in _pdf_text(pdf)


def test_a_hung_libreoffice_is_killed_and_the_document_tried_again(bridge, tmp_path):
    with PdfConverter(timeout=5) as c:
        c.convert(_docx(tmp_path / "a.docx", "Бірінші құжат"))
        hung = _office_pids(c)
        for pid in hung:
            os.kill(pid, signal.SIGSTOP)
        try:
            pdf = c.convert(_docx(tmp_path / "b.docx", "Второй документ"))
        finally:
            for pid in hung:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        assert c.starts == 2 and not set(hung) & set(_office_pids(c))
    assert "Второй документ" in _pdf_text(pdf)


def test_a_document_libreoffice_cannot_open_is_named_and_the_others_convert(bridge, tmp_path):
    files = [_docx(tmp_path / f"{n}.docx", f"Құжат № {n}") for n in (1, 2, 3)]
    missing = tmp_path / "жоқ.docx"
    with PdfService(jobs=2) as service:
        pdfs, failed = service.convert([files[0], missing, files[1], files[2]])
    assert pdfs == [f.with_suffix(".pdf") for f in files]
    assert [n for f in pdfs for n in (1, 2, 3) if f"Құжат № {n}" in _pdf_text(f)] == [1, 2, 3]
    assert [e.path for e in failed] == [missing]
    assert "жоқ.docx" in str(failed[0]) and isinstance(failed[0], ConversionError)


def test_without_the_bridge_one_soffice_call_converts_the_whole_list(tmp_path, monkeypatch):
    need_soffice()
    monkeypatch.setattr(pdf_module, "find_uno_python", lambda soffice=None: None)
    calls = []
    real_run = subprocess.run

    def run(cmd, *a, **kw):
        calls.append(cmd)
        return real_run(cmd, *a, **kw)

    monkeypatch.setattr(pdf_module.subprocess, "run", run)
    kk = _docx(tmp_path / "kk" / "01-order.docx", "Бұйрық: Қазақстан")
    ru = _docx(tmp_path / "ru" / "01-order.docx", "Приказ: Казахстан")
    with PdfService() as service:
        assert not service.bridge
        pdfs, failed = service.convert([kk, ru])
    assert len([c for c in calls if "--convert-to" in c]) == 1 and failed == []
    assert pdfs == [kk.with_suffix(".pdf"), ru.with_suffix(".pdf")]
    assert "Бұйрық: Қазақстан" in _pdf_text(pdfs[0]) and "Приказ: Казахстан" in _pdf_text(pdfs[1])


def test_a_forced_rebuild_copies_the_pdf_of_an_unchanged_document(bridge, tmp_path, monkeypatch):
    profile = load_profile(SAMPLES / "astana_monitoring_centre.yaml")
    first = build_pack(profile, tmp_path, only=["order", "policy"], pdf=True)
    assert first.warnings == []
    before = {p.relative_to(first.root).as_posix(): p.read_bytes() for p in first.root.rglob("*.pdf")}
    assert sorted(before) == ["kk/01-order.pdf", "kk/03-policy.pdf", "ru/01-order.pdf", "ru/03-policy.pdf"]

    converted = []
    real_convert = PdfService.convert

    def convert(self, files, progress=None):
        converted.extend(p.relative_to(first.root.parent / f".{first.root.name}.partial-{os.getpid()}").as_posix()
                         for p in files)
        return real_convert(self, files, progress)

    monkeypatch.setattr(PdfService, "convert", convert)
    again = build_pack(profile, tmp_path, only=["order", "policy"], pdf=True, force=True)
    assert converted == [] and again.warnings == []
    assert {p.relative_to(again.root).as_posix(): p.read_bytes() for p in again.root.rglob("*.pdf")} == before

    # the head's name is in the order and the policy: both languages' documents change
    data = yaml.safe_load((SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8"))
    data["head"]["name"] = "Жұмабаев Ерлан Серікұлы"
    (tmp_path / "changed.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    build_pack(load_profile(tmp_path / "changed.yaml"), tmp_path, only=["order"], pdf=True, force=True)
    assert sorted(converted) == ["kk/01-order.docx", "ru/01-order.docx"]
    assert "Жұмабаев" in _pdf_text(again.root / "ru" / "01-order.pdf")


def test_batch_does_not_convert_a_pack_already_there_with_its_pdfs(pdf_packs, tmp_path, monkeypatch):
    out = next(iter(pdf_packs.values())).root.parent.parent
    registry = sample_registry(tmp_path)
    monkeypatch.setattr(PdfService, "convert", lambda *a, **k: pytest.fail("converted again"))
    result = run_batch(registry, out, jobs=1, pdf=True)
    assert [o.status for o in result.outcomes] == [UP_TO_DATE] * len(PDF_SAMPLES)
    res = CliRunner().invoke(main, ["batch", str(registry), "-o", str(out), "--pdf", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert f"up to date — {len(PDF_SAMPLES)}" in res.output


def test_a_build_without_the_bridge_says_what_to_install(tmp_path, monkeypatch):
    need_soffice()
    monkeypatch.setattr(pdf_module, "find_uno_python", lambda soffice=None: None)
    result = build_pack(load_profile(SAMPLES / "astana_monitoring_centre.yaml"), tmp_path, only=["order"], pdf=True)
    assert result.warnings == [f"PDFs converted by one soffice call, slower: {pdf_module.UNO_HINT}"]
    assert "apt-get install python3-uno" in result.warnings[0]
    assert "БҰЙРЫҚ" in _pdf_text(result.root / "kk" / "01-order.pdf")
    assert "ПРИКАЗ" in _pdf_text(result.root / "ru" / "01-order.pdf")
