"""`--pdf`: every docx of the sample packs converts to PDF through LibreOffice headless, and
without LibreOffice the build says what to install and still writes the docx and xlsx.

The conversion tests need LibreOffice (`soffice`); they are skipped without it unless
PACKBUILDER_REQUIRE_PDF=1 (set by .ci/run), where a missing LibreOffice fails them."""

from __future__ import annotations

import os
import re

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from packbuilder.cli import main
from packbuilder.inputs.profile_file import load_profile
from packbuilder.pack.build import build_pack
from packbuilder.write import pdf as pdf_module

_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _need_soffice():
    if pdf_module.find_soffice() is None:
        if os.environ.get("PACKBUILDER_REQUIRE_PDF") == "1":
            pytest.fail(pdf_module.INSTALL_HINT)
        pytest.skip("LibreOffice is not installed: " + pdf_module.INSTALL_HINT)


@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital", "escaping"])
def test_every_document_converts_to_pdf(tmp_path, sample):
    _need_soffice()
    profile = load_profile(SAMPLES / f"{sample}.yaml")
    result = build_pack(profile, tmp_path, pdf=True)
    assert result.warnings == []
    docx_files = sorted(result.root.rglob("*.docx"))
    assert len(docx_files) == 2 * 32
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
    assert any("libreoffice-writer-nogui" in w for w in result.warnings)
    assert (result.root / "kk" / "01-order.docx").is_file()
    assert (result.root / "ru" / "06-action_plan.xlsx").is_file()
    assert not list(result.root.rglob("*.pdf"))

    out = tmp_path / "cli"
    res = CliRunner().invoke(main, ["build", str(SAMPLES / "astana_monitoring_centre.yaml"), "-o", str(out),
                                    "--only", "order", "--pdf"])
    assert res.exit_code == 0, res.output
    assert "apt-get install libreoffice-writer-nogui" in res.output
    assert list(out.rglob("01-order.docx")) and not list(out.rglob("*.pdf"))
