"""A redline: the revised .docx with Word's own tracked changes (``w:ins`` / ``w:del``)
against the original, so a reader sees in Word or LibreOffice what a new edition changed
and can accept or reject each change.

The comparison is done by the Docxodus engine of the PyPI package ``python-redlines``
(2.x, module ``python_redlines``, class ``DocxodusEngine``). The engine is a self-contained
.NET 10 program shipped in the companion wheel ``python-redlines-docxodus`` (pulled in by
the ``python-redlines[docxodus]`` extra); on first use ``python_redlines`` extracts it into
the user cache (``~/.cache/python-redlines/docxodus/<version>/``, about 108 MB) and then runs
it as a subprocess per comparison. It needs no .NET install and no network, but the .NET
runtime loads the system's ICU library (Debian: ``libicu72``); without it the engine aborts
at start, which is reported here as :class:`RedlineUnavailable`.

Only the standard library and :mod:`packbuilder.i18n` are imported at module level;
``python_redlines`` is imported inside the functions, so importing this module costs nothing
when no redline is made.
"""

from __future__ import annotations

import io
import os
import secrets
import subprocess
import time
import zipfile
from datetime import datetime
from pathlib import Path

from packbuilder.i18n import N_, _

INSTALL_HINT = N_("the redline engine is missing: reinstall packbuilder, or "
                  "pip install 'python-redlines[docxodus]>=2.0,<3'")
"""What to do when the redline engine cannot run (an English message id: show ``_(INSTALL_HINT)``)."""

_ICU_HINT = N_("the .NET runtime of the redline engine needs the ICU library: install it "
               "(Debian/Ubuntu: apt-get install libicu72, or the libicuNN of the release), "
               "or set DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")


class RedlineUnavailable(RuntimeError):
    """The redline engine is not installed, or is installed but cannot start (its binary is
    missing for this platform, cannot be extracted or executed, or its .NET runtime aborts).
    The message says what to install."""


def write_redline(original: Path, revised: Path, out: Path, author: str = "packbuilder",
                  *, date: datetime | None = None) -> Path:
    """Write to ``out`` the ``revised`` .docx with tracked changes against ``original``.

    Shapes: ``original`` and ``revised`` are paths of existing .docx files; ``out`` is the
    path of the .docx to write (its folder must exist; an existing file is replaced). The
    result is the revised document in which every difference from the original is a
    tracked change by ``author`` dated ``date`` (an aware datetime, or a naive one taken as
    local time; default: now), to second precision in UTC: inserted words are runs inside
    ``w:ins``, deleted words are ``w:delText`` runs inside ``w:del``, an added or removed
    paragraph also has its paragraph mark marked (``w:pPr/w:rPr/w:ins`` or ``w:del``), and a
    formatting-only change is a ``w:rPrChange``. Unchanged paragraphs carry no revision
    mark. Changes are found word by word, not paragraph by paragraph. Given the same inputs,
    author and date, the output is the same bytes. Returns ``out``.

    ``out`` is written atomically: the document goes to a temporary file in ``out``'s
    folder, then ``os.replace`` puts it in place; on any error ``out`` is left as it was.

    Raises:
        RedlineUnavailable: ``python-redlines`` or its Docxodus engine is not installed, or
            the engine cannot start (e.g. no ICU library, see the module docstring).
        FileNotFoundError: ``original`` or ``revised`` does not exist (an ``OSError``).
        OSError: ``out``'s folder is missing or not writable, or a temporary file cannot
            be written.
        ValueError: ``author`` is empty, or the engine ran and rejected a document (not a
            readable .docx); the message gives the engine's own words.

    Time cost, measured on a 2-core x86_64 machine: about 0.8 s for a pair of 10- or
    20-page documents (75/150 paragraphs of Kazakh and Russian text, 8 paragraphs changed),
    1.0 s for 80 pages; a two-paragraph document still takes 0.7 s, which is the engine's
    start and JIT on every call. The first call on a machine also extracts the engine into
    the cache (0.7 s once). The engine process peaks at about 110 MB of memory.
    """
    original, revised, out = Path(original), Path(revised), Path(out)
    if not author.strip():
        raise ValueError("the redline's author must not be empty")
    for path in (original, revised):
        if not path.is_file():
            raise FileNotFoundError(2, _("no such document to compare"), str(path))
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(None if date is None else date.timestamp()))

    engine = _engine()
    from python_redlines import EngineExecutionError

    try:
        data, _stdout, _stderr = engine.run_redline(author, original=str(original), modified=str(revised),
                                                    date_time=stamp)
    except EngineExecutionError as exc:
        raise _engine_failure(exc, original, revised) from exc
    except OSError as exc:
        if exc.filename == engine.extracted_binaries_path:
            raise RedlineUnavailable(_("the redline engine {program} cannot be run ({reason}); {hint}").format(
                program=exc.filename, reason=exc.strerror, hint=_(INSTALL_HINT))) from exc
        raise
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RedlineUnavailable(_("the redline engine wrote no .docx ({size} bytes) comparing {original} with "
                                   "{revised}; {hint}").format(size=len(data), original=original.name,
                                                               revised=revised.name, hint=_(INSTALL_HINT)))

    _write_atomically(out, data)
    return out


def _write_atomically(out: Path, data: bytes) -> None:
    """``data`` into ``out`` through a new temporary file beside it, renamed into place;
    ``out`` is left as it was on any error."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def redline_available() -> bool:
    """Whether :func:`write_redline` can run here: ``python-redlines`` and its Docxodus
    engine are installed and the engine starts (it is asked its version, about 0.03 s,
    after a one-time extraction into the user cache)."""
    try:
        engine = _engine()
        proc = subprocess.run([engine.extracted_binaries_path, "--version"], check=False,
                              capture_output=True, timeout=60)
    except (RedlineUnavailable, OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _engine():
    """The Docxodus engine of ``python_redlines``, its binary located (and extracted into the
    user cache on first use); RedlineUnavailable when that cannot be done."""
    try:
        from python_redlines import DocxodusEngine
    except ImportError as exc:
        raise RedlineUnavailable(_("python-redlines is not installed ({reason}); {hint}").format(
            reason=exc, hint=_(INSTALL_HINT))) from exc
    try:
        return DocxodusEngine()
    except ImportError as exc:  # python_redlines.EngineNotInstalledError: the companion wheel is missing
        raise RedlineUnavailable(f"{exc}; " + _(INSTALL_HINT)) from exc
    except OSError as exc:  # an unsupported platform, or a cache folder that cannot be written
        raise RedlineUnavailable(_("the redline engine cannot be set up here: {reason}").format(reason=exc)) from exc


def _engine_failure(exc: subprocess.CalledProcessError, original: Path, revised: Path) -> Exception:
    """The error for an engine run that exited unsuccessfully: the engine's own complaint
    about a document (``Error: ...`` and exit status 1) is a ValueError; anything else (a
    signal, the .NET host's or runtime's failure) means the engine could not start."""
    stderr = (exc.stderr or "").strip()
    if exc.returncode == 1 and stderr.startswith("Error:"):
        return ValueError(_("the redline engine could not compare {original} with {revised}: {reason}").format(
            original=original, revised=revised, reason=stderr.removeprefix("Error:").strip()))
    hint = _(_ICU_HINT) if "ICU" in stderr else _(INSTALL_HINT)
    detail = stderr.splitlines()[:3] or [_("exit status {code}").format(code=exc.returncode)]
    return RedlineUnavailable(_("the redline engine failed to start ({detail}); {hint}").format(
        detail=" ".join(detail), hint=hint))
