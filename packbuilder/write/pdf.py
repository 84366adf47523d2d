"""PDF copies of the documents through LibreOffice headless, and the check of their fonts.

Without Times New Roman LibreOffice sets the documents in Liberation Serif (its metric twin);
Liberation Serif 1.x (Debian ``fonts-liberation``) lacks the Kazakh letters of the Cyrillic
Supplement (Ә Ғ Қ Ң Ө Ұ Ү Һ), which then fall back to another font (DejaVu Serif), visibly.
Version 2 (``fonts-liberation2``) has them. :func:`font_problems` finds such PDFs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = ("LibreOffice is needed for --pdf: install it (Debian/Ubuntu: "
                "apt-get install libreoffice-writer-nogui fonts-liberation2) and put soffice on PATH")

FONT_HINT = "install fonts-liberation2"
"""What to do when Kazakh letters fell back to another font."""

SERIF_FAMILIES = ("LiberationSerif", "TimesNewRoman")
"""The font families a document's PDF may use (any style), names without spaces: the
documents are set in Times New Roman, which LibreOffice replaces by Liberation Serif."""

KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
"""The letters of the Kazakh alphabet beyond the Russian one: those a serif font without
Kazakh lacks (Liberation Serif 1.x has І і, not the others)."""

_SUBSET = re.compile(r"^[A-Z]{6}\+")


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
            proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout)
            for f in group:
                pdf = f.with_suffix(".pdf")
                if not pdf.exists():
                    raise RuntimeError(f"LibreOffice could not convert {f.name}: "
                                       f"{(proc.stderr or proc.stdout).strip()[:300]}")
                out.append(pdf)
    return out


@dataclass(frozen=True)
class PdfFont:
    """A font used on a page of a PDF: its base ``name`` without the subset prefix
    (``LiberationSerif-Bold``), whether its program is ``embedded``, and the PDF ``key``
    that identifies its dictionary (to tell which text it draws)."""

    name: str
    embedded: bool
    key: tuple[int, int] | None = None


def _font(obj) -> PdfFont:
    """The :class:`PdfFont` of a pypdf font dictionary."""
    font = obj.get_object()
    ref = font.indirect_reference
    key = (ref.idnum, ref.generation) if ref is not None else None
    subtype = font.get("/Subtype")
    if subtype == "/Type3":  # glyphs drawn by the PDF itself: always embedded
        return PdfFont(str(font.get("/Name", "Type3")).lstrip("/") or "Type3", True, key)
    name = _SUBSET.sub("", str(font.get("/BaseFont", "/unnamed")).lstrip("/"))
    descriptor = font.get("/FontDescriptor")
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        descriptor = descendants.get_object()[0].get_object().get("/FontDescriptor") if descendants else None
    descriptor = _resolved(descriptor)
    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return PdfFont(name, embedded, key)


def _resolved(obj) -> dict:
    """The dictionary ``obj`` refers to, or {} for None."""
    return obj.get_object() if obj is not None else {}


_NAME = rb"/([^\s/\[\]()<>{}%]+)\s+"
_END = rb"(?![^\s/\[\]()<>{}%])"
_TF = re.compile(_NAME + rb"[-+]?[\d.]+\s+Tf" + _END)
_DO = re.compile(_NAME + rb"Do" + _END)


def _name(raw: bytes) -> str:
    """A name read from a content stream as pypdf keys it: ``/F1``, ``#xx`` escapes decoded."""
    return "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def _used_fonts(content: bytes, resources, seen: set[int]) -> list[PdfFont]:
    """The fonts that ``content`` (a decoded content stream) sets text in with ``Tf``, looked
    up in its ``resources``, and those of the form XObjects it paints with ``Do``,
    recursively (``seen``: the forms done). A content stream's operators are found by a scan
    of its bytes, much faster than parsing it (LibreOffice gives every page of a document the
    same resources, so they do not tell which fonts a page uses)."""
    resources = _resolved(resources)
    fonts = _resolved(resources.get("/Font"))
    xobjects = _resolved(resources.get("/XObject"))
    out = [_font(fonts[name]) for name in {_name(n) for n in _TF.findall(content)} if name in fonts]
    for name in {_name(n) for n in _DO.findall(content)}:
        xobj = xobjects.get(name)
        form = xobj.get_object() if xobj is not None else None
        ref = getattr(xobj, "idnum", None)
        if form is None or form.get("/Subtype") != "/Form" or ref in seen:
            continue
        if ref is not None:
            seen.add(ref)
        out += _used_fonts(form.get_data(), form.get("/Resources") or resources, seen)
    return out


def _read(path: Path):
    """A pypdf reader of ``path``; ValueError when it is not a readable PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    try:
        reader = PdfReader(str(path))
        _ = len(reader.pages)
    except (PyPdfError, OSError, KeyError, ValueError) as exc:
        raise ValueError(f"{Path(path).name} is not a readable PDF: {exc}") from exc
    return reader


def _content(page) -> bytes:
    """The decoded content stream of a pypdf ``page`` (its parts joined when it has several)."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if contents is None:
        return b""
    parts = contents if isinstance(contents, list) else [contents]
    return b"\n".join(part.get_object().get_data() for part in parts)


def page_fonts(path: Path) -> dict[int, list[PdfFont]]:
    """The fonts of each page of the PDF at ``path``: page number from 1 → the
    :class:`PdfFont` s its text is set in (its content's and its forms'), each once, sorted
    by name.

    Raises ValueError when ``path`` is not a readable PDF.
    """
    return _page_fonts(_read(path), Path(path).name)


def _page_fonts(reader, name: str) -> dict[int, list[PdfFont]]:
    """:func:`page_fonts` of the PDF a pypdf ``reader`` reads (``name`` for the error)."""
    from pypdf.errors import PyPdfError
    out = {}
    try:
        for n, page in enumerate(reader.pages, 1):
            used = _used_fonts(_content(page), page.get("/Resources"), set())
            fonts = {(f.name, f.embedded, f.key): f for f in used}
            out[n] = sorted(fonts.values(), key=lambda f: (f.name, not f.embedded))
    except (KeyError, AttributeError, TypeError, ValueError, PyPdfError) as exc:
        raise ValueError(f"{name}: unexpected PDF structure: {exc}") from exc
    return out


def pdf_fonts(path: Path) -> dict[int, set[str]]:
    """The base font names of the text of each page of the PDF at ``path``, subset prefix
    (``ABCDEF+``) stripped: page number from 1 → {``LiberationSerif``, ``LiberationSerif-Bold``}
    (a page without text: an empty set).

    Raises ValueError when ``path`` is not a readable PDF.
    """
    return {n: {f.name for f in fonts} for n, fonts in page_fonts(path).items()}


def is_serif(name: str) -> bool:
    """True when the base font ``name`` (subset prefix stripped) is Liberation Serif or Times
    New Roman in any style: ``LiberationSerif-BoldItalic``, ``TimesNewRomanPS-BoldMT``,
    ``Times New Roman,Bold``."""
    family = re.split(r"[-,]", name.replace(" ", ""), maxsplit=1)[0]
    family = re.sub(r"(PSMT|PS|MT)$", "", family)
    return family in SERIF_FAMILIES


def font_problem(page: int, font: PdfFont, text: str | None = None) -> str | None:
    """The problem with ``font`` on ``page`` (from 1), given the ``text`` it draws there
    (None when not known), or None when there is none: not embedded, or not one of
    :data:`SERIF_FAMILIES`. A font that draws only Kazakh letters is a fallback for the
    letters the document's font lacks (Liberation Serif 1.x): the message says so, and what
    to install."""
    if not font.embedded:
        return f"page {page}: {font.name} (not embedded)"
    if is_serif(font.name):
        return None
    letters = {c for c in text or "" if not c.isspace()}
    if letters and letters <= set(KAZAKH_LETTERS):
        letters = sorted(letters, key=KAZAKH_LETTERS.index)
        return f"page {page}: glyphs {' '.join(letters)} fell back to {font.name}; {FONT_HINT}"
    shown = " ".join((text or "").split())
    sample = f" for «{shown[:40]}{'…' if len(shown) > 40 else ''}»" if shown else ""
    return f"page {page}: {font.name}{sample} is not Liberation Serif or Times New Roman"


def _drawn_text(page) -> dict[tuple[int, int] | None, str]:
    """The text each font draws on a pypdf ``page``, keyed like :attr:`PdfFont.key`."""
    drawn: dict[tuple[int, int] | None, list[str]] = {}

    def visit(text, cm, tm, font_dict, size):
        ref = getattr(font_dict, "indirect_reference", None) if font_dict is not None else None
        drawn.setdefault((ref.idnum, ref.generation) if ref else None, []).append(text)

    try:
        page.extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - the text only refines a message; the font is reported anyway
        return {}
    return {k: "".join(v) for k, v in drawn.items()}


def font_problems(path: Path) -> list[str]:
    """What is wrong with the fonts of the PDF at ``path``, one message per page and font,
    in page order: ``"page 3: DejaVuSerif (not embedded)"``, ``"page 1: glyphs ә қ fell back
    to DejaVuSerif-Bold; install fonts-liberation2"``, ``"page 2: DejaVuSans for «…» is not
    Liberation Serif or Times New Roman"``; [] when every font of every page is embedded and
    Liberation Serif or Times New Roman (any style). A PDF pypdf cannot read gives one
    message saying so.
    """
    try:
        reader = _read(path)
        fonts = _page_fonts(reader, Path(path).name)
    except ValueError as exc:
        return [str(exc)]
    problems = []
    for n, page in fonts.items():
        bad = [f for f in page if not f.embedded or not is_serif(f.name)]
        if not bad:
            continue
        drawn = _drawn_text(reader.pages[n - 1])
        problems += [m for f in bad if (m := font_problem(n, f, drawn.get(f.key)))]
    return problems
