"""Shared fixtures: the sample packs are built once per test session and opened by the tests."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

# The tests read the messages in English (the message ids); tests of the Kazakh and Russian
# interface choose their language themselves. Set before packbuilder is imported.
os.environ["PACKBUILDER_UI_LANG"] = "en"

import docx  # noqa: E402
import openpyxl  # noqa: E402
import pytest  # noqa: E402

from packbuilder.batch import run_batch  # noqa: E402
from packbuilder.inputs.profile_file import load_profile  # noqa: E402
from packbuilder.pack.build import PackResult, build_pack  # noqa: E402
from packbuilder.write import pdf as pdf_module  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    """All text of a docx, read here with the standard library (not packbuilder's reader):
    each body paragraph's ``w:t`` texts on a line (a non-breaking hyphen ``w:noBreakHyphen``
    as «-»), each table row on a line with its cells' texts joined by « | »."""
    with zipfile.ZipFile(path) as z:
        body = ElementTree.fromstring(z.read("word/document.xml")).find(W + "body")

    def text(el) -> str:
        return "".join(t.text or "" if t.tag == W + "t" else "-" for t in el.iter()
                       if t.tag in (W + "t", W + "noBreakHyphen"))

    lines = []
    for block in body:
        if block.tag == W + "p":
            lines.append(text(block))
        elif block.tag == W + "tbl":
            lines.extend(" | ".join(text(c) for c in row if c.tag == W + "tc") for row in block.iter(W + "tr"))
    return "\n".join(lines)


def docx_tables(path: Path) -> list[list[list[str]]]:
    """The tables of a docx as rows of cell texts."""
    d = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def xlsx_text(path: Path) -> str:
    """All cell values of every sheet of an xlsx, a line per row, cells joined by « | »."""
    wb = openpyxl.load_workbook(str(path))
    return "\n".join(" | ".join("" if v is None else str(v) for v in row)
                     for ws in wb.worksheets for row in ws.iter_rows(values_only=True))


def xlsx_rows(path: Path, sheet: int = 0) -> list[list]:
    """The rows of a sheet as lists of values (None for empty cells)."""
    wb = openpyxl.load_workbook(str(path))
    ws = wb.worksheets[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


class Pack:
    """A built pack: its folder, manifest and profile."""

    def __init__(self, root: Path, profile):
        self.root = root
        self.profile = profile
        self.manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))

    def file(self, lang: str, name: str) -> Path:
        return self.root / lang / name

    def text(self, lang: str, name: str) -> str:
        return docx_text(self.file(lang, name))


@pytest.fixture(scope="session")
def packs(tmp_path_factory) -> dict[str, Pack]:
    """The packs of the sample profiles, keyed by the profile's stem."""
    out = tmp_path_factory.mktemp("packs")
    result = {}
    for name in ("astana_monitoring_centre", "shal_akyn_hospital", "escaping"):
        profile = load_profile(SAMPLES / f"{name}.yaml")
        res = build_pack(profile, out / name)
        result[name] = Pack(res.root, profile)
    return result


PDF_SAMPLES = ("astana_monitoring_centre", "shal_akyn_hospital", "escaping", "jsc_board")
"""The samples built with --pdf once per session (:func:`pdf_packs`): the three of
:func:`packs` and the JSC with 140 employees, the large case of the page check."""


def need_soffice() -> None:
    """Skip the calling test when LibreOffice is not installed, or fail it when
    PACKBUILDER_REQUIRE_PDF=1 (set by .ci/run)."""
    if pdf_module.find_soffice() is None:
        if os.environ.get("PACKBUILDER_REQUIRE_PDF") == "1":
            pytest.fail(pdf_module.INSTALL_HINT)
        pytest.skip("LibreOffice is not installed: " + pdf_module.INSTALL_HINT)


def sample_registry(folder: Path) -> Path:
    """``folder`` made a registry of :data:`PDF_SAMPLES`: their profiles and the staff files
    they name."""
    import yaml
    for name in PDF_SAMPLES:
        shutil.copyfile(SAMPLES / f"{name}.yaml", folder / f"{name}.yaml")
        staff = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))["employees"]
        if isinstance(staff, str):
            shutil.copyfile(SAMPLES / staff, folder / staff)
    return folder


@pytest.fixture(scope="session")
def pdf_packs(tmp_path_factory) -> dict[str, PackResult]:
    """The packs of :data:`PDF_SAMPLES` built with PDFs, keyed by the profile's stem (each
    build's root, files and warnings): LibreOffice converts 90 documents per pack, so the
    packs are built once for the session, by ``batch --pdf`` over a folder of the four
    profiles with two workers, each keeping one LibreOffice running for its packs (the
    path a ministry takes). Skipped (or failed, see :func:`need_soffice`) without LibreOffice."""
    need_soffice()
    registry = sample_registry(tmp_path_factory.mktemp("pdf-registry"))
    out = tmp_path_factory.mktemp("pdf-packs")
    result = run_batch(registry, out, jobs=2, pdf=True)
    packs = {}
    for o in result.outcomes:
        assert o.status == "done", (o.entry.source, o.problems)
        root = out / o.pack
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        packs[Path(o.entry.source).stem] = PackResult(root, [f["path"] for f in manifest["files"]] + ["manifest.json"],
                                                      list(o.warnings))
    return packs


@pytest.fixture
def sample_data():
    """The Astana sample profile as a fresh mapping, for tests that alter it."""
    import yaml
    return yaml.safe_load((SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def write_profile(tmp_path):
    """Writes a mapping as a YAML profile in tmp_path and returns its path."""
    import yaml

    def write(data, name="profile.yaml"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path
    return write
