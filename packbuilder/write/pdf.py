"""PDF copies of the documents through LibreOffice headless."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = ("LibreOffice is needed for --pdf: install it (Debian/Ubuntu: "
                "apt-get install libreoffice-writer-nogui) and put soffice on PATH")


def find_soffice() -> str | None:
    """The path of LibreOffice's ``soffice`` (or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(files: list[Path], timeout: int = 600) -> list[Path]:
    """Convert .docx ``files`` to PDF beside them; returns the PDFs written.

    Raises RuntimeError when LibreOffice is missing, fails, or a PDF is not produced
    (a document LibreOffice cannot open).
    """
    if not files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise RuntimeError(INSTALL_HINT)
    out: list[Path] = []
    by_dir: dict[Path, list[Path]] = {}
    for f in files:
        by_dir.setdefault(f.parent, []).append(f)
    with tempfile.TemporaryDirectory(prefix="packbuilder-lo-") as profile:
        for directory, group in by_dir.items():
            cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(directory), *map(str, group)]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            for f in group:
                pdf = f.with_suffix(".pdf")
                if not pdf.exists():
                    raise RuntimeError(f"LibreOffice could not convert {f.name}: "
                                       f"{(proc.stderr or proc.stdout).strip()[:300]}")
                out.append(pdf)
    return out
