"""A LibreOffice kept running, driven through its UNO bridge: the helper process of
:class:`packbuilder.write.pdf.PdfConverter`.

Run as a script by a Python that can ``import uno`` (Debian's ``python3`` with the package
``python3-uno``, or the Python LibreOffice ships), never imported by packbuilder (it imports
only the standard library and ``uno``)::

    python3 lo_bridge.py SOFFICE PROFILE_DIR

It starts ``SOFFICE`` headless with its own user profile in ``PROFILE_DIR`` (so that several
run side by side), listening on a named pipe, connects to it and prints one JSON line
``{"ready": true, "pid": N}``. Then for every JSON line ``{"src": PATH, "dst": PATH}`` read
from stdin it opens the document ``src`` hidden, exports it as PDF to ``dst`` (Writer's or
Calc's PDF export, by the document's kind), closes it, and prints ``{"ok": true, "seconds": S}``
(S: LibreOffice's own time for the document, from opening to closing it) or
``{"ok": false, "error": "…"}`` (with ``"crashed": true``, and the helper ends, when
LibreOffice died). At the end of stdin LibreOffice is terminated. A hung or
crashed LibreOffice is the caller's to detect (no answer in time) and to kill: the helper and
LibreOffice share a process group.
"""

import json
import os
import subprocess
import sys
import time
import uuid

import uno  # noqa: F401 - the import registers the com.sun.star modules
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60


def _props(**values):
    """A tuple of UNO PropertyValues from keyword arguments."""
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def _url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


def start(soffice, profile):
    """Start LibreOffice listening on a fresh pipe; returns (process, desktop)."""
    pipe = "packbuilder-" + uuid.uuid4().hex
    cmd = [soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
           "--nofirststartwizard", "--norestore", "-env:UserInstallation=" + _url(profile),
           "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("LibreOffice did not start (exit code %s)" % proc.poll())
            time.sleep(0.05)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return proc, desktop


def convert(desktop, src, dst):
    """Export the document at ``src`` as the PDF ``dst``."""
    doc = desktop.loadComponentFromURL(_url(src), "_blank", 0, _props(Hidden=True, ReadOnly=True))
    if doc is None:
        raise RuntimeError("LibreOffice cannot open it")
    try:
        calc = doc.supportsService("com.sun.star.sheet.SpreadsheetDocument")
        doc.storeToURL(_url(dst), _props(FilterName="calc_pdf_Export" if calc else "writer_pdf_Export"))
    finally:
        doc.close(True)


def main():
    soffice, profile = sys.argv[1], sys.argv[2]
    proc, desktop = start(soffice, profile)
    print(json.dumps({"ready": True, "pid": proc.pid}), flush=True)
    try:
        for line in sys.stdin:
            job = json.loads(line)
            began = time.perf_counter()
            try:
                convert(desktop, job["src"], job["dst"])
                answer = {"ok": True, "seconds": round(time.perf_counter() - began, 4)}
            except Exception as exc:  # noqa: BLE001 - reported to the caller, which decides
                answer = {"ok": False, "error": "%s: %s" % (type(exc).__name__, getattr(exc, "Message", "") or exc)}
                if proc.poll() is not None:  # LibreOffice died under the document: the caller restarts
                    answer["crashed"] = True
            print(json.dumps(answer), flush=True)
            if answer.get("crashed"):
                return
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - LibreOffice may be gone already
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
