"""Batch generation: one pack per organization of a registry, built in parallel processes,
with a status workbook saying what happened to each organization.

Every organization is validated before anything is rendered (:func:`registry.read_registry`);
an invalid or failing organization never stops the others. Each worker process prepares
the templates and the base documents once and reuses them for every organization it
builds; organizations are handed to the workers a few at a time, so memory does not grow
with the size of the registry. A pack that is already in OUT and up to date (same tool
version, profile and templates, see :func:`pack.is_up_to_date`) is not built again, so a
batch can be re-run after fixing the failed rows.
"""

from __future__ import annotations

import atexit
import collections
import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from packbuilder.authoring.check import preflight
from packbuilder.errors import InputError, Problem
from packbuilder.i18n import N_, _, set_ui_language, ui_language
from packbuilder.inputs.registry import Entry, Registry, read_registry
from packbuilder.model.profile import Profile, profile_warnings
from packbuilder.pack.build import build_pack, is_up_to_date, pack_dir
from packbuilder.write.pdf import PdfService, usable_cores
from packbuilder.write.xlsx import LINE_HEIGHT, wrapped_lines

STATUS_FILE = "status.xlsx"
DONE, UP_TO_DATE, FAILED, INVALID, CANCELLED = "done", "up to date", "failed", "invalid", "cancelled"
"""The statuses of an organization: internal codes, the same in every interface language
(programs and tests compare them); people read :func:`status_label`."""
STATUS_LABELS = {
    DONE: N_("done"),
    UP_TO_DATE: N_("up to date"),
    FAILED: N_("failed"),
    INVALID: N_("invalid"),
    CANCELLED: N_("cancelled"),
}
STATUS_HEADERS = ("№", N_("registry"), N_("BIN"), N_("organization"), N_("status"), N_("errors"),
                  N_("warnings"), N_("files"), N_("seconds"), N_("pack"))
"""The columns of the status workbook's sheet ``status``, translated when written."""
REGISTRY_HEADERS = (N_("where"), N_("problem"))
"""The columns of the status workbook's sheet ``registry``."""
IN_FLIGHT_PER_JOB = 2  # organizations queued per worker process
WIDTHS = (5, 22, 15, 50, 14, 80, 30, 7, 8, 22)  # status workbook columns, in characters


@dataclass
class Outcome:
    """What happened to one organization: ``status`` (done, up to date, failed, invalid,
    cancelled), the ``problems`` of a failed or invalid one, the number of ``files`` of its
    pack, the build time in ``seconds``, the ``pack`` folder relative to OUT, ``warnings``."""

    entry: Entry
    status: str
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    pack: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the organization's pack is in OUT."""
        return self.status in (DONE, UP_TO_DATE)


@dataclass
class BatchResult:
    """All outcomes in registry order, the registry's own problems (rows that belong to no
    organization) and the status workbook's path."""

    outcomes: list[Outcome]
    registry_problems: list[Problem]
    status_path: Path

    @property
    def failed(self) -> list[Outcome]:
        """The outcomes of organizations without a pack."""
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        """True when every organization has its pack and the registry has no problems."""
        return not self.failed and not self.registry_problems


def status_label(status: str) -> str:
    """The status code ``status`` (:data:`DONE` …) as people read it, in the interface
    language: ``"готово"`` for ``"done"`` in Russian. An unknown code is returned as it is."""
    label = STATUS_LABELS.get(status)
    return _(label) if label else status


def status_summary(outcomes: list[Outcome]) -> str:
    """How many organizations ended in each status, in the order the statuses first come,
    in the interface language: ``"готово — 2, ошибки в данных — 1"``."""
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    return ", ".join(f"{status_label(status)} — {n}" for status, n in counts.items())


def default_jobs() -> int:
    """The number of worker processes by default: the cores this process may use."""
    return usable_cores()


_CONVERTER: PdfService | None = None
"""This process's LibreOffice for ``batch --pdf``: started by the first organization, kept
for the whole run (:func:`worker_converter`)."""


def worker_converter() -> PdfService:
    """The :class:`PdfService` of this process (one LibreOffice: a worker converts one
    document at a time, the workers run side by side), made on first use and stopped when
    the process exits or :func:`close_worker_converter` is called."""
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = PdfService(jobs=1)
        atexit.register(close_worker_converter)
    return _CONVERTER


def close_worker_converter() -> None:
    """Stop this process's LibreOffice, if one was started."""
    global _CONVERTER
    converter, _CONVERTER = _CONVERTER, None
    if converter is not None:
        converter.close()


def build_one(profile_json: str, out: str, force: bool, templates_dir: str, pdf: bool = False) -> dict:
    """Build the pack of one validated profile (JSON) into ``out`` with the template
    overrides of ``templates_dir`` ("" for none), with a PDF of every document when ``pdf``
    (through :func:`worker_converter`); runs in a worker.

    Returns a picklable mapping: status, problems as (where, message) pairs, files,
    seconds, pack, warnings. Never raises for a problem of the organization.
    """
    start = time.perf_counter()
    try:
        profile = Profile.model_validate_json(profile_json)
        out_dir = Path(out)
        target = pack_dir(out_dir, profile)
        rel = str(target.relative_to(out_dir))
        warnings = [str(w) for w in profile_warnings(profile)]
        if target.exists() and not force:
            overrides = Path(templates_dir) if templates_dir else None
            if is_up_to_date(profile, out_dir, overrides, pdf=pdf):
                return {"status": UP_TO_DATE, "pack": rel, "warnings": warnings,
                        "files": sum(1 for p in target.rglob("*") if p.is_file()),
                        "seconds": time.perf_counter() - start}
            why = (_("a pack without PDFs is already here; use --force to replace it")
                   if pdf and is_up_to_date(profile, out_dir, overrides)
                   else _("a pack built from other data or templates is already here; use --force to replace it"))
            return {"status": FAILED, "pack": rel, "problems": [(rel, why)],
                    "seconds": time.perf_counter() - start}
        result = build_pack(profile, out_dir, force=True, pdf=pdf,
                            templates_dir=Path(templates_dir) if templates_dir else None,
                            converter=worker_converter() if pdf else None)
        return {"status": DONE, "pack": rel, "files": len(result.files), "warnings": warnings + result.warnings,
                "seconds": time.perf_counter() - start}
    except InputError as exc:
        return {"status": FAILED, "problems": [(p.where, p.message) for p in exc.problems],
                "seconds": time.perf_counter() - start}
    except OSError as exc:
        return {"status": FAILED, "problems": [(str(exc.filename or out), exc.strerror or str(exc))],
                "seconds": time.perf_counter() - start}
    except Exception as exc:  # a bug must not stop the other organizations
        return {"status": FAILED, "problems": [("", _("internal error, please report it: {error}").format(
                    error=f"{exc.__class__.__name__}: {exc}"))],
                "seconds": time.perf_counter() - start}


def _outcome(entry: Entry, res: dict) -> Outcome:
    return Outcome(entry, res["status"], [Problem(w, m) for w, m in res.get("problems", [])],
                   res.get("files", 0), res.get("seconds", 0.0), res.get("pack", ""), res.get("warnings", []))


def run_batch(registry: str | Path, out: str | Path, defaults: str | Path | None = None,
              jobs: int | None = None, force: bool = False, templates_dir: Path | None = None,
              pdf: bool = False, on_validated: Callable[[Registry], None] | None = None,
              progress: Callable[[Outcome], None] | None = None) -> BatchResult:
    """Build the pack of every organization of ``registry`` (an .xlsx workbook or a folder
    of profiles, :mod:`packbuilder.inputs.registry`) into ``OUT/<bin>/<year>/``, with ``jobs``
    worker processes (default: :func:`default_jobs`; 1 builds in this process), and write
    the status workbook ``OUT/status.xlsx``.

    ``on_validated(registry)`` is called once every row is validated, before anything is
    rendered; ``progress(outcome)`` after each organization built. ``force`` rebuilds packs
    that are already in OUT. ``templates_dir`` is a folder of template overrides
    (:class:`templates.TemplateSet`), checked before anything is written. ``pdf`` adds a PDF
    of every document, each worker converting through one LibreOffice kept running for the
    whole run (a pack already there with its PDFs is not converted again). Raises InputError
    only when the registry or the defaults cannot be read at all, or for a problem of the
    template overrides; every problem of an organization goes into its outcome. On
    Ctrl-C the organizations not yet built are marked cancelled in the status workbook.
    """
    out = Path(out)
    preflight(templates_dir)
    with read_registry(registry, defaults) as reg:
        out.mkdir(parents=True, exist_ok=True)
        outcomes: dict[int, Outcome] = {e.number: Outcome(e, INVALID, list(e.problems))
                                        for e in reg.entries if not e.valid}
        valid = reg.valid
        if on_validated:
            on_validated(reg)
        try:
            jobs = max(1, min(jobs or default_jobs(), len(valid) or 1))
            runner = _run_here if jobs == 1 else _run_pool
            runner(reg, valid, outcomes, str(out), force, str(templates_dir or ""), pdf, jobs, progress)
        finally:
            close_worker_converter()
            stopped = _("not built: the batch was stopped")
            for e in valid:
                outcomes.setdefault(e.number, Outcome(e, CANCELLED, [Problem("", stopped)]))
            result = BatchResult([outcomes[e.number] for e in reg.entries], list(reg.problems), out / STATUS_FILE)
            write_status(result)
    return result


def _run_here(reg, valid, outcomes, out, force, templates_dir, pdf, jobs, progress) -> None:
    for entry in valid:
        outcome = _outcome(entry, build_one(reg.profile_json(entry), out, force, templates_dir, pdf))
        outcomes[entry.number] = outcome
        if progress:
            progress(outcome)


def _run_pool(reg, valid, outcomes, out, force, templates_dir, pdf, jobs, progress) -> None:
    """Hand the organizations to ``jobs`` worker processes, at most IN_FLIGHT_PER_JOB each
    at a time. A worker that dies takes down the pool and every organization in flight with
    it: those go to a new pool once more, so only an organization that kills its worker
    again is marked failed. When the batch is stopped (Ctrl-C, SIGTERM), the workers are
    let finish what they are building, and what they finished is recorded as done: the
    status workbook says exactly what is in OUT."""
    todo = collections.deque(valid)
    broke: dict[int, int] = {}
    context = multiprocessing.get_context("spawn")  # the same on Linux, macOS and Windows
    while todo:
        pending: dict[Future, Entry] = {}
        # the workers speak the language of this run: their problems are written as they are made
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=set_ui_language,
                                 initargs=(ui_language(),)) as pool:
            def submit() -> None:
                if todo:
                    entry = todo.popleft()
                    pending[pool.submit(build_one, reg.profile_json(entry), out, force, templates_dir, pdf)] = entry

            for _ in range(jobs * IN_FLIGHT_PER_JOB):
                submit()
            try:
                _collect(pending, outcomes, progress, submit, todo, broke)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                _harvest(pending, outcomes)
                raise


def _collect(pending, outcomes, progress, submit, todo, broke) -> None:
    """Record each organization as its build ends; on a broken pool, record the builds
    that finished anyway, put those still in flight back in ``todo`` (the second time, mark
    them failed) and return for a new pool."""
    while pending:
        done, _not_done = wait(pending, return_when=FIRST_COMPLETED)
        for fut in done:
            entry = pending.pop(fut)
            try:
                outcome = _outcome(entry, fut.result())
            except BrokenProcessPool:
                # the builds that finished before the pool broke keep their result
                for other, e in list(pending.items()):
                    if other.done() and not other.cancelled() and other.exception() is None:
                        outcomes[e.number] = _outcome(e, other.result())
                        del pending[other]
                        if progress:
                            progress(outcomes[e.number])
                lost = [entry] + list(pending.values())
                pending.clear()
                for e in lost:
                    broke[e.number] = broke.get(e.number, 0) + 1
                    if broke[e.number] >= 2:
                        outcomes[e.number] = Outcome(e, FAILED, [Problem("", _(
                            "the worker process building it stopped unexpectedly, twice (out of memory?); "
                            "run the batch again to retry"))])
                        if progress:
                            progress(outcomes[e.number])
                    else:
                        todo.appendleft(e)
                return
            outcomes[entry.number] = outcome
            if progress:
                progress(outcome)
            submit()


def _harvest(pending: dict[Future, Entry], outcomes: dict) -> None:
    """After a stopped pool has shut down: the organizations whose build finished anyway
    are recorded with their result (their packs are in OUT)."""
    for fut, entry in pending.items():
        if fut.done() and not fut.cancelled() and fut.exception() is None:
            outcomes.setdefault(entry.number, _outcome(entry, fut.result()))


def write_status(result: BatchResult) -> None:
    """Write ``result`` as the status workbook: sheet ``status`` with one row per
    organization (№, registry row or file, BIN, name, status, errors with their sheet and
    cell, warnings, files, seconds, pack folder), and sheet ``registry`` with the problems
    that belong to no organization, when there are any. The column headers and the statuses
    are in the interface language (:data:`STATUS_HEADERS`, :func:`status_label`); the sheet
    names stay ``status`` and ``registry`` in every language. Written atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "status"
    ws.append([_(h) for h in STATUS_HEADERS])
    fills = {DONE: "E2EFDA", UP_TO_DATE: "E2EFDA", FAILED: "F8CBAD", INVALID: "F8CBAD", CANCELLED: "FFF2CC"}
    for o in result.outcomes:
        row = [o.entry.number, o.entry.source, o.entry.bin, o.entry.name, status_label(o.status),
               "\n".join(str(p) for p in o.problems), "\n".join(o.warnings),
               o.files or None, round(o.seconds, 2) if o.seconds else None, o.pack or None]
        ws.append(row)
        r = ws.max_row
        for c in range(1, len(row) + 1):
            cell = ws.cell(row=r, column=c)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if c in (2, 3, 4, 6, 7, 10) and cell.value is not None:
                cell.data_type = "s"  # a name starting with '=' stays text
        ws.cell(row=r, column=5).fill = PatternFill("solid", fgColor=fills[o.status])
        # LibreOffice and Excel print rows at the height they were given: fit the wrapped text
        ws.row_dimensions[r].height = LINE_HEIGHT * max(
            wrapped_lines(str(v or ""), WIDTHS[c - 1]) for c, v in enumerate(row, start=1))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.auto_filter.ref = f"A1:J{ws.max_row}"
    if result.registry_problems:
        rs = wb.create_sheet("registry")
        rs.append([_(h) for h in REGISTRY_HEADERS])
        for p in result.registry_problems:
            rs.append([p.where, p.message])
        rs.column_dimensions["A"].width = 20
        rs.column_dimensions["B"].width = 100
    path = result.status_path
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    wb.save(str(tmp))
    os.replace(tmp, path)
