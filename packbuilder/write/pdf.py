"""PDF copies of the documents through LibreOffice headless, and the check of their fonts.

LibreOffice is started once and kept running (:class:`PdfConverter`, through the helper
script :mod:`packbuilder.write.lo_bridge` and LibreOffice's UNO bridge), one per core for a
pack (:class:`PdfService`) and one per worker for a batch: starting it costs 1.5–2 s, a
document about 0.2 s. Without the bridge (no Python with ``uno``) one ``soffice
--convert-to pdf`` call converts a whole list (:func:`convert_once`).

Without Times New Roman LibreOffice sets the documents in Liberation Serif (its metric twin);
Liberation Serif 1.x (Debian ``fonts-liberation``) lacks the Kazakh letters of the Cyrillic
Supplement (Ә Ғ Қ Ң Ө Ұ Ү Һ), which then fall back to another font (DejaVu Serif), visibly.
Version 2 (``fonts-liberation2``) has them. :func:`font_problems` finds such PDFs.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packbuilder.i18n import N_, _

INSTALL_HINT = N_("LibreOffice is needed for --pdf: install it (Debian/Ubuntu: "
                  "apt-get install libreoffice-writer-nogui fonts-liberation2) and put soffice on PATH")
"""What to do without LibreOffice (an English message id: shown through ``_()``)."""

FONT_HINT = N_("install fonts-liberation2")
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


BRIDGE = Path(__file__).with_name("lo_bridge.py")
"""The helper script that keeps a LibreOffice running (:mod:`packbuilder.write.lo_bridge`)."""

DOCUMENT_TIMEOUT = 120.0
"""Seconds one document may take in a running LibreOffice before it counts as hung."""

START_TIMEOUT = 90.0
"""Seconds a LibreOffice may take to start and accept the bridge."""

UNO_PYTHON_ENV = "PACKBUILDER_UNO_PYTHON"
"""The environment variable naming a Python that can ``import uno`` (when the search of
:func:`find_uno_python` does not find it)."""


class ConversionError(RuntimeError):
    """A document LibreOffice could not convert: ``path`` and the ``reason``."""

    def __init__(self, path: Path, reason: str):
        super().__init__(_("LibreOffice could not convert {file}: {reason}").format(
            file=Path(path).name, reason=reason))
        self.path, self.reason = Path(path), reason


_UNO_PYTHON: dict[str, str | None] = {}


def find_uno_python(soffice: str | None = None) -> str | None:
    """The first Python that can ``import uno`` (LibreOffice's bridge), or None: the one
    :data:`UNO_PYTHON_ENV` names; the Python beside ``soffice`` (LibreOffice's own, on
    Windows and macOS); Debian's ``/usr/bin/python3`` (package ``python3-uno``); ``python3``
    on PATH. Each candidate is tried once per process (a subprocess, about 50 ms)."""
    soffice = soffice or find_soffice()
    program = Path(os.path.realpath(soffice)).parent if soffice else None
    candidates = [os.environ.get(UNO_PYTHON_ENV),
                  *([str(program / "python"), str(program / "python.exe")] if program else []),
                  "/usr/bin/python3", shutil.which("python3")]
    for python in dict.fromkeys(c for c in candidates if c):
        if python not in _UNO_PYTHON:
            ok = Path(python).is_file() and subprocess.run(
                [python, "-c", "import uno"], capture_output=True, timeout=60, check=False).returncode == 0
            _UNO_PYTHON[python] = python if ok else None
        if _UNO_PYTHON[python]:
            return python
    return None


class PdfConverter:
    """One LibreOffice kept running headless, converting documents one at a time through
    its UNO bridge (the helper :data:`BRIDGE`, run by the Python :func:`find_uno_python`
    finds), with its own user profile in a temporary folder, so that several convert side
    by side. Started on the first document; a LibreOffice that crashes, or takes more than
    ``timeout`` seconds over a document, is killed, started again and the document tried
    once more. Use it as a context manager, or call :meth:`close` (after which it converts
    no more).

    Raises RuntimeError (with :data:`INSTALL_HINT`) when LibreOffice or a Python with
    ``uno`` is missing (:func:`convert_files` then falls back to one ``soffice
    --convert-to pdf`` call).
    """

    def __init__(self, timeout: float = DOCUMENT_TIMEOUT, soffice: str | None = None,
                 python: str | None = None):
        self.timeout = timeout
        self.soffice = soffice or find_soffice()
        if self.soffice is None:
            raise RuntimeError(_(INSTALL_HINT))
        self.python = python or find_uno_python(self.soffice)
        if self.python is None:
            raise RuntimeError(_(UNO_HINT))
        self.seconds = 0.0
        """LibreOffice's own time over the documents converted (opening to closing each)."""
        self.starts = 0
        """How many times a LibreOffice was started (1, plus one per restart)."""
        self.pid: int | None = None
        """The process id of the running ``soffice`` (which runs ``soffice.bin`` as its child; None
        before the first document)."""
        self._proc: subprocess.Popen | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._profile: str | None = None
        self._closing = False

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start LibreOffice (when not running) and wait until it accepts documents.
        Raises RuntimeError when it does not start in :data:`START_TIMEOUT` seconds."""
        if self._proc is not None:
            return
        if self._closing:  # closed from another thread (Ctrl-C): no new LibreOffice
            raise RuntimeError(_("the PDF conversion was stopped"))
        self._profile = tempfile.mkdtemp(prefix="packbuilder-lo-")
        self._proc = subprocess.Popen([self.python, str(BRIDGE), self.soffice, self._profile],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      text=True, encoding="utf-8", start_new_session=os.name == "posix")
        self._lines = queue.Queue()
        threading.Thread(target=_pump, args=(self._proc.stdout, self._lines), daemon=True).start()
        self.starts += 1
        answer = self._answer(START_TIMEOUT)
        if not answer or not answer.get("ready"):
            self._kill()
            raise RuntimeError(_("LibreOffice did not start: {reason}").format(
                reason=(answer or {}).get("error") or _("no answer")))
        self.pid = answer.get("pid")

    def convert(self, src: Path, dst: Path | None = None) -> Path:
        """Convert the document ``src`` (.docx, .xlsx, …) to the PDF ``dst`` (default:
        beside it, suffix .pdf); returns ``dst``. Raises ConversionError when LibreOffice
        cannot open or export it, or hangs or crashes on it twice; RuntimeError when
        LibreOffice does not start."""
        src = Path(src)
        dst = Path(dst) if dst is not None else src.with_suffix(".pdf")
        reason = ""
        for _attempt in range(2):
            self.start()
            answer = self._ask({"src": os.path.abspath(src), "dst": os.path.abspath(dst)})
            if answer is not None and answer.get("ok") and dst.is_file():
                self.seconds += float(answer.get("seconds", 0))
                return dst
            if answer is not None and not answer.get("crashed"):  # LibreOffice refused the document
                raise ConversionError(src, answer.get("error") or _("no PDF written"))
            reason = (answer or {}).get("error") or _("no answer in {seconds} s").format(seconds=f"{self.timeout:g}")
            self._kill()  # hung or crashed: a new LibreOffice for the next try
        raise ConversionError(src, _("LibreOffice failed twice ({reason})").format(reason=reason))

    def close(self) -> None:
        """Stop LibreOffice; a :meth:`convert` under way in another thread fails with
        RuntimeError instead of starting another."""
        self._closing = True
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                proc.stdin.close()
                proc.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                self._proc = proc
                self._kill()
        self._remove_profile()

    def _ask(self, job: dict) -> dict | None:
        try:
            self._proc.stdin.write(json.dumps(job) + "\n")
            self._proc.stdin.flush()
        except OSError:
            return None
        return self._answer(self.timeout)

    def _answer(self, timeout: float) -> dict | None:
        """The next JSON line of the helper, or None at its end or after ``timeout`` s."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return None
        try:
            return json.loads(line) if line is not None else None
        except ValueError:
            return {"ok": False, "crashed": True, "error": line.strip()[:300]}

    def _kill(self) -> None:
        """Kill the helper and its LibreOffice (one process group)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                if os.name == "posix":
                    os.killpg(proc.pid, signal.SIGKILL)
                else:
                    proc.kill()
            except OSError:
                pass
            proc.wait()
        self._remove_profile()

    def _remove_profile(self) -> None:
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None


def _pump(stream, lines: queue.Queue) -> None:
    """Put each line of ``stream`` into ``lines``, then None at its end."""
    for line in stream:
        lines.put(line)
    lines.put(None)


UNO_HINT = N_("LibreOffice's Python bridge is needed to keep LibreOffice running between documents: "
              "install it (Debian/Ubuntu: apt-get install python3-uno) or name a Python that has it in "
              "PACKBUILDER_UNO_PYTHON")
"""What to do without the bridge (an English message id: shown through ``_()``; names
:data:`UNO_PYTHON_ENV`)."""


def usable_cores() -> int:
    """The CPU cores this process may use (at least 1): how many LibreOffices convert side
    by side by default, and how many batch workers run."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class PdfService:
    """Up to ``jobs`` :class:`PdfConverter` s (default: :func:`usable_cores`), each in a
    thread of its own, converting lists of documents; kept for as many lists as given (a
    batch worker keeps one for the whole run). Without a Python with ``uno`` it falls back
    to one ``soffice --convert-to pdf`` call per list (:func:`convert_once`). Use it as a
    context manager, or call :meth:`close`."""

    def __init__(self, jobs: int | None = None, timeout: float = DOCUMENT_TIMEOUT):
        self.jobs = max(1, jobs or usable_cores())
        self.timeout = timeout
        self._idle: list[PdfConverter] = []
        self._all: list[PdfConverter] = []
        self._lock = threading.Lock()
        self.soffice = find_soffice()
        """LibreOffice's ``soffice`` (None when it is missing)."""
        self.bridge = self.soffice is not None and find_uno_python(self.soffice) is not None
        """True when documents go through running LibreOffices, False for the fallback."""

    def __enter__(self) -> PdfService:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def seconds(self) -> float:
        """LibreOffice's own time over the documents converted so far (bridge only)."""
        return sum(c.seconds for c in self._all)

    def convert(self, files: list[Path], progress: Callable[[Path], None] | None = None
                ) -> tuple[list[Path], list[ConversionError]]:
        """Convert ``files`` to PDFs beside them, in parallel; returns the PDFs written (in
        the order of ``files``) and the documents that failed. ``progress`` is called with
        each PDF written. Raises RuntimeError when LibreOffice is missing or does not start."""
        files = [Path(f) for f in files]
        if not files:
            return [], []
        if not self.bridge:
            pdfs = convert_once(files)
            for p in pdfs:
                if progress:
                    progress(p)
            return pdfs, []
        todo: queue.Queue[Path] = queue.Queue()
        for f in files:
            todo.put(f)
        done: dict[Path, Path] = {}
        failed: list[ConversionError] = []
        fatal: list[RuntimeError] = []

        def work() -> None:
            converter = self._take()
            try:
                while not fatal:
                    try:
                        f = todo.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        done[f] = converter.convert(f)
                        if progress:
                            progress(done[f])
                    except ConversionError as exc:
                        failed.append(exc)
            except RuntimeError as exc:
                fatal.append(exc)
            finally:
                self._give(converter)

        threads = [threading.Thread(target=work, daemon=True) for _ in range(min(self.jobs, len(files)))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if fatal:
            raise fatal[0]
        return [done[f] for f in files if f in done], sorted(failed, key=lambda e: files.index(e.path))

    def close(self) -> None:
        """Stop every LibreOffice this service started."""
        with self._lock:
            converters, self._all, self._idle = self._all, [], []
        for c in converters:
            c.close()

    def _take(self) -> PdfConverter:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            converter = PdfConverter(self.timeout)
            self._all.append(converter)
            return converter

    def _give(self, converter: PdfConverter) -> None:
        with self._lock:
            if converter in self._all:
                self._idle.append(converter)


def convert_once(files: list[Path], timeout: int = 1800) -> list[Path]:
    """Convert .docx ``files`` to PDF beside them with one ``soffice --convert-to pdf`` call
    (the fallback without the bridge: links to the files under distinct names in a
    temporary folder, converted together, the PDFs moved beside the originals); returns the
    PDFs written.

    Raises RuntimeError when LibreOffice is missing, fails, or a PDF is not produced
    (a document LibreOffice cannot open).
    """
    if not files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise RuntimeError(_(INSTALL_HINT))
    out: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="packbuilder-lo-") as work:
        profile, folder = Path(work) / "profile", Path(work) / "docs"
        folder.mkdir()
        names = {}
        for n, f in enumerate(files, 1):
            name = f"{n:05d}-{Path(f).name}"
            try:
                os.link(f, folder / name)
            except OSError:
                shutil.copyfile(f, folder / name)
            names[Path(f)] = name
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(folder), *sorted(str(folder / n) for n in names.values())]
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout)
        for f, name in names.items():
            pdf = (folder / name).with_suffix(".pdf")
            if not pdf.exists():
                raise RuntimeError(_("LibreOffice could not convert {file}: {reason}").format(
                    file=f.name, reason=(proc.stderr or proc.stdout).strip()[:300]))
            out.append(Path(shutil.move(pdf, f.with_suffix(".pdf"))))
    return out


def convert_to_pdf(files: list[Path], timeout: int = 600) -> list[Path]:
    """Convert .docx ``files`` to PDF beside them, through a :class:`PdfService` of this
    machine's cores for the call (or the fallback of :func:`convert_once`); returns the PDFs
    written. ``timeout``: seconds a document may take.

    Raises RuntimeError when LibreOffice is missing or fails, or a PDF is not produced
    (a document LibreOffice cannot open; the message names it).
    """
    with PdfService(timeout=timeout) as service:
        pdfs, failed = service.convert(files)
    if failed:
        raise failed[0]
    return pdfs


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
        len(reader.pages)
    except (PyPdfError, OSError, KeyError, ValueError) as exc:
        raise ValueError(_("{file} is not a readable PDF: {reason}").format(file=Path(path).name, reason=exc)) from exc
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
        raise ValueError(_("{file}: unexpected PDF structure: {reason}").format(file=name, reason=exc)) from exc
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
        return _("page {page}: {font} (not embedded)").format(page=page, font=font.name)
    if is_serif(font.name):
        return None
    letters = {c for c in text or "" if not c.isspace()}
    if letters and letters <= set(KAZAKH_LETTERS):
        letters = sorted(letters, key=KAZAKH_LETTERS.index)
        return _("page {page}: glyphs {letters} fell back to {font}; {fix}").format(
            page=page, letters=" ".join(letters), font=font.name, fix=_(FONT_HINT))
    shown = " ".join((text or "").split())
    if shown:
        return _("page {page}: {font} for «{sample}» is not Liberation Serif or Times New Roman").format(
            page=page, font=font.name, sample=shown[:40] + ("…" if len(shown) > 40 else ""))
    return _("page {page}: {font} is not Liberation Serif or Times New Roman").format(page=page, font=font.name)


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
