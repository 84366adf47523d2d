"""`--pdf`: every docx of the sample packs converts to PDF through LibreOffice headless, and
without LibreOffice the build says what to install and still writes the docx and xlsx; a PDF
whose fonts are wrong is not written, and the build says which and why.

The conversion tests need LibreOffice (`soffice`); they are skipped without it unless
PACKBUILDER_REQUIRE_PDF=1 (set by .ci/run), where a missing LibreOffice fails them. The sample
packs are converted once per session (the `pdf_packs` fixture, shared with test_pages.py)."""

from __future__ import annotations

import re

import docx
import pytest
from click.testing import CliRunner
from conftest import SAMPLES, need_soffice

from packbuilder.cli import main
from packbuilder.inputs.profile_file import load_profile
from packbuilder.pack.build import build_pack
from packbuilder.write import pdf as pdf_module

_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital", "escaping"])
def test_every_document_converts_to_pdf(pdf_packs, sample):
    result = pdf_packs[sample]
    assert result.warnings == []
    docx_files = sorted(result.root.rglob("*.docx"))
    assert len(docx_files) == 2 * 45
    listed = set(result.files)
    for d in docx_files:
        pdf = d.with_suffix(".pdf")
        assert pdf.is_file(), f"LibreOffice could not convert {d.relative_to(result.root)}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF"), pdf
        assert len(_PAGE.findall(data)) >= 1, pdf
        assert pdf.relative_to(result.root).as_posix() in listed
    # the multi-page documents stay multi-page: a failed layout would collapse them
    for lang in ("kk", "ru"):
        policy = (result.root / lang / "03-policy.pdf").read_bytes()
        assert len(_PAGE.findall(policy)) >= 8, lang


def test_without_libreoffice_the_build_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    profile = load_profile(SAMPLES / "astana_monitoring_centre.yaml")
    result = build_pack(profile, tmp_path, pdf=True, only=["order", "action_plan"])
    assert result.warnings == [f"no PDF written: {pdf_module.INSTALL_HINT}"]
    assert "libreoffice-writer-nogui fonts-liberation2" in result.warnings[0]
    assert (result.root / "kk" / "01-order.docx").is_file()
    assert (result.root / "ru" / "06-action_plan.xlsx").is_file()
    assert not list(result.root.rglob("*.pdf"))

    out = tmp_path / "cli"
    res = CliRunner().invoke(main, ["build", str(SAMPLES / "astana_monitoring_centre.yaml"), "-o", str(out),
                                    "--only", "order", "--pdf"])
    assert res.exit_code == 0, res.output
    assert "apt-get install libreoffice-writer-nogui" in res.output
    assert list(out.rglob("01-order.docx")) and not list(out.rglob("*.pdf"))


def _times_docx(path, runs):
    """A one-page .docx in Times New Roman with a paragraph per (text, font or None) of ``runs``."""
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    for text, font in runs:
        run = d.add_paragraph().add_run(text)
        if font:
            run.font.name = font
    d.save(str(path))
    return path


def test_the_fonts_of_a_pdf_are_listed_per_page_and_a_foreign_font_is_a_problem(tmp_path):
    need_soffice()
    good = _times_docx(tmp_path / "good.docx", [("Қазақстан Республикасы: ӘәҒғҚқҢңӨөҰұҮүҺһІі", None)])
    bad = _times_docx(tmp_path / "bad.docx", [("Қазақ тілі", None), ("Сан-серифпен жазылған", "DejaVu Sans")])
    good_pdf, bad_pdf = pdf_module.convert_to_pdf([good, bad])
    assert pdf_module.pdf_fonts(good_pdf) == {1: {"LiberationSerif"}}
    assert pdf_module.font_problems(good_pdf) == []
    assert pdf_module.pdf_fonts(bad_pdf) == {1: {"LiberationSerif", "DejaVuSans"}}
    assert pdf_module.font_problems(bad_pdf) == [
        "page 1: DejaVuSans for «Сан-серифпен жазылған» is not Liberation Serif or Times New Roman"]


def test_a_font_problem_names_the_page_the_font_and_a_fallback():
    font = pdf_module.PdfFont
    assert pdf_module.font_problem(2, font("LiberationSerif-BoldItalic", True)) is None
    assert pdf_module.font_problem(2, font("TimesNewRomanPS-BoldMT", True)) is None
    assert pdf_module.font_problem(3, font("LiberationSerif", False)) == "page 3: LiberationSerif (not embedded)"
    # what Liberation Serif 1.x does to Kazakh text: its missing letters drawn in DejaVu Serif
    assert pdf_module.font_problem(1, font("DejaVuSerif-Bold", True), "ққәі") == (
        "page 1: glyphs ә қ і fell back to DejaVuSerif-Bold; install fonts-liberation2")
    assert pdf_module.font_problem(4, font("LiberationSans", True), "Arial text") == (
        "page 4: LiberationSans for «Arial text» is not Liberation Serif or Times New Roman")
    assert pdf_module.is_serif("Times New Roman,Bold") and not pdf_module.is_serif("TimesNewRomanish")


def test_a_pdf_with_a_foreign_font_is_not_written_and_the_build_says_why(tmp_path, monkeypatch):
    need_soffice()
    convert = pdf_module.PdfService.convert

    def with_a_sans_run(self, files, progress=None):
        # the Kazakh order gets a run in DejaVu Sans before LibreOffice converts it
        order = next(f for f in files if f.as_posix().endswith("kk/01-order.docx"))
        d = docx.Document(str(order))
        d.add_paragraph().add_run("Қосымша мәтін").font.name = "DejaVu Sans"
        d.save(str(order))
        return convert(self, files, progress)

    monkeypatch.setattr(pdf_module.PdfService, "convert", with_a_sans_run)
    profile = load_profile(SAMPLES / "astana_monitoring_centre.yaml")
    result = build_pack(profile, tmp_path, pdf=True, only=["order"])
    assert len(result.warnings) == 1
    assert re.fullmatch(r"kk/01-order\.pdf: PDF not written, its fonts are wrong: page \d+: DejaVuSans for "
                        r"«Қосымша мәтін» is not Liberation Serif or Times New Roman", result.warnings[0])
    assert not (result.root / "kk" / "01-order.pdf").exists()
    assert (result.root / "kk" / "01-order.docx").is_file()
    assert (result.root / "ru" / "01-order.pdf").is_file()
    assert "kk/01-order.pdf" not in result.files and "ru/01-order.pdf" in result.files
    manifest = (result.root / "manifest.json").read_text(encoding="utf-8")
    assert "kk/01-order.pdf" not in manifest and "ru/01-order.pdf" in manifest
