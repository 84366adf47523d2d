"""Building one pack: profile + templates → rendered documents → a written pack.

    OUT/<bin>/<year>/kk/NN-<id>.docx|.xlsx, kk/NN-<id>/ (documents of several parts),
    kk/calendar.ics, ru/…, manifest.json

Three steps, each a function the yearly update reuses as they are:

1. :func:`render_pack` renders every document of the catalogue in every language into
   :class:`RenderedFile` s (layout blocks, or a rendered Word template), nothing written;
2. :func:`render_change_sheets` gives every approved file its change sheet from a revision
   history (:mod:`packbuilder.pack.revisions`): edition 1 for a first build, the old
   pack's editions and a new one for an update;
3. :func:`write_pack` writes every file once, converts the .docx to PDF when asked, and
   writes the manifest (:mod:`packbuilder.pack.manifest`), all into a hidden folder beside
   the target that is renamed into place only when complete.

A pack is a pure function of (profile, templates, plan year) and, for an update, the pack it
follows: the same input gives the same files (zip entries and document properties carry
fixed times).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from packbuilder import __version__
from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _
from packbuilder.model.catalogue import BY_ID, Document, count_files, select
from packbuilder.model.pack_calendar import pack_calendar
from packbuilder.model.profile import LANGUAGES, Profile
from packbuilder.pack.base import BASE_DOCUMENT, BASE_PATH, write_base
from packbuilder.pack.manifest import (
    MANIFEST,
    Manifest,
    PackFile,
    PreviousPack,
    profile_digest,
    read_manifest,
    sha256_file,
    write_manifest,
)
from packbuilder.pack.revisions import (
    CHANGE_SHEET_NAME,
    CHANGE_SHEET_TITLE,
    Revision,
    new_revision,
)
from packbuilder.render.context import document_context, pack_context
from packbuilder.render.layout import Block, Break, Paragraph, Table
from packbuilder.render.templates import TemplateSet, template_set
from packbuilder.write.calendar_ics import calendar_ics
from packbuilder.write.docx import DocxWriter
from packbuilder.write.oxml import NB_HYPHEN
from packbuilder.write.pdf import UNO_HINT, PdfService, font_problems
from packbuilder.write.text import blocks_lines, xml_lines
from packbuilder.write.word_template import render_docx, write_docx
from packbuilder.write.xlsx import workbook_layout, write_xlsx

CALENDAR_FILE = "calendar.ics"
CALENDAR_DOCUMENT = "calendar"
"""Every language folder of a pack holds ``calendar.ics``, every dated event of the pack
(:mod:`packbuilder.model.pack_calendar`); the manifest lists it under the document id
``calendar``. It is not a document of the catalogue: an update regenerates it and never
merges it (only .docx and .xlsx files carry the officer's edits)."""

Progress = Callable[[str], None]
"""Called with a file's path in the pack (``kk/03-policy.docx``) once per step a document
file goes through: rendered, then written (and, in an update, compared in between)."""


@dataclass
class RenderedFile:
    """One file stem of a pack in one language, rendered and not yet written.

    ``document`` is the catalogue id (or ``changes`` for the change report); ``rel`` the
    path in the pack without extension (``kk/03-policy``, ``kk/15-compliance_report/yearly``,
    ``changes/kk``); ``forms`` the extensions written (``docx``, ``xlsx``, ``html``);
    ``title`` the document's title (the .docx properties); ``blocks`` its layout;
    ``approved`` the approval word (БЕКІТІЛДІ, УТВЕРЖДЕНА …) when it starts with the
    approval block, else None; ``word`` the rendered package of the user's Word template
    its .docx is written from instead of ``blocks`` (which still give its .xlsx);
    ``organization`` the organization's name, a line of the heading of each sheet;
    ``html`` the text of an .html form; ``change_sheet`` the blocks appended at its end;
    ``pristine`` the blocks as the templates rendered them when ``blocks`` carry the
    officer's edits (an update, :mod:`packbuilder.update.merge`), kept as the pack's base.
    """

    document: str
    lang: str
    rel: str
    forms: tuple[str, ...]
    title: str
    blocks: list[Block]
    approved: str | None = None
    word: list[tuple[str, bytes]] | None = field(default=None, repr=False)
    organization: str = ""
    html: str | None = field(default=None, repr=False)
    change_sheet: list[Block] = field(default_factory=list, repr=False)
    pristine: list[Block] | None = field(default=None, repr=False)

    @property
    def stem(self) -> str:
        """The path without the language folder: ``03-policy``, ``15-compliance_report/yearly``;
        the key of the document's revision history."""
        return self.rel.split("/", 1)[1]

    def path(self, form: str) -> str:
        """The file's path in the pack in ``form``: ``kk/03-policy.docx``."""
        return f"{self.rel}.{form}"

    def sheet_heading(self) -> tuple[list[str], list[str]]:
        """What goes above each sheet of the .xlsx: the approval block's paragraphs, and
        the title lines (the document's title paragraph and the organization)."""
        blocks = self.blocks + self.change_sheet
        approval = [b.text.replace(NB_HYPHEN, "-") for b in blocks if isinstance(b, Paragraph) and b.kind == "approval"]
        title = next((b.text for b in blocks if isinstance(b, Paragraph) and b.kind == "title"), "")
        return approval, [line.replace(NB_HYPHEN, "-") for line in (title, self.organization) if line]

    def text(self, form: str) -> list[tuple[str | None, list[str]]]:
        """The text of the file in ``form`` (docx or xlsx) as it reads once written, without
        its change sheet: for a .docx one section (None, its lines), for an .xlsx one per
        sheet (title, lines); see :mod:`packbuilder.write.text`."""
        if form == "docx" and self.word is not None:
            return [(None, xml_lines(dict(self.word)["word/document.xml"], spaced=True))]
        if form == "docx":
            return [(None, blocks_lines(self.blocks))]
        approval, heading = self.sheet_heading()
        return [(layout.title, layout.lines()) for layout in workbook_layout(self.blocks, heading, approval)]


@dataclass
class RenderedPack:
    """A pack rendered and not yet written: the ``profile`` (its plan year final),
    ``languages``, ``documents`` of the catalogue, whether it is ``complete`` (every
    document), the ``templates`` and pack ``contexts`` of each language, the ``files``
    in catalogue order per language, ``templates_dir`` (the user's overrides or None), and
    the ``calendars`` (language → the bytes of its ``calendar.ics``)."""

    profile: Profile
    languages: list[str]
    documents: list[Document]
    complete: bool
    templates_dir: Path | None
    templates: dict[str, TemplateSet]
    contexts: dict[str, dict]
    files: list[RenderedFile] = field(default_factory=list)
    calendars: dict[str, bytes] = field(default_factory=dict)


@dataclass
class PackResult:
    """What a build wrote: the pack folder ``root``, its ``files`` (paths relative to it,
    ``manifest.json`` last) and ``warnings`` for the user."""

    root: Path
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def pack_dir(out: Path, profile: Profile) -> Path:
    """``OUT/<bin>/<year>``."""
    return Path(out) / profile.organization.bin / str(profile.year)


# --- 1. render --------------------------------------------------------------------------------


def render_pack(profile: Profile, languages: list[str] | None = None, only: list[str] | None = None,
                templates_dir: Path | None = None, previous: Profile | None = None,
                progress: Progress | None = None) -> RenderedPack:
    """Render the documents of ``profile`` (catalogue ids ``only``, default all) in
    ``languages`` (default the profile's) with the built-in templates overridden by
    ``templates_dir`` (a folder laid out like ``templates/``, or None). ``previous`` is the
    profile of the pack this one follows, for the journals' marks of who joined or became
    equated since (:func:`packbuilder.model.staff.employee_marks`). ``progress`` is called
    with each file rendered.

    Raises InputError for an unknown language or document id, and for a template problem
    (file and line named).
    """
    langs = [lang for lang in LANGUAGES if lang in (languages or profile.languages)]
    unknown_langs = set(languages or []) - set(LANGUAGES)
    if unknown_langs or not langs:
        if unknown_langs:
            message = _("expected kk or ru, got {value}").format(value=", ".join(sorted(unknown_langs)))
        else:
            message = _("expected kk or ru, got none")
        raise InputError(Problem("--lang", message))
    try:
        docs = select(only)
    except KeyError as exc:
        raise InputError(Problem("--only", _("unknown document id {id}; see `packbuilder list`").format(
            id=exc))) from None
    pack = RenderedPack(profile, langs, docs, not only, templates_dir,
                        templates={lang: template_set(lang, templates_dir) for lang in langs}, contexts={})
    for lang in langs:
        ts = pack.templates[lang]
        pack.contexts[lang] = pack_context(profile, lang, ts.topics(), previous)
        for doc in docs:
            for f in render_document(doc, lang, ts, pack.contexts[lang], profile):
                pack.files.append(f)
                for form in f.forms if progress else ():
                    progress(f.path(form))
    topics = {lang: [e["topic"] for e in pack.contexts[lang]["events"]] for lang in langs}
    items = pack_calendar(profile.year, profile.approval.date, topics, len(profile.employees))
    for lang in langs:
        pack.calendars[lang] = calendar_ics(items, lang, profile.organization.bin, profile.year,
                                            profile.approval.date, profile.organization.name[lang])
    return pack


def _parts(doc: Document, base: dict) -> list[tuple[str, str, dict]]:
    """(file stem, template, extra context) of each file of ``doc``: one for a single-file
    document, one per part (and per item of a repeated part) for a document of parts."""
    if not doc.parts:
        return [(doc.stem, doc.id, {})]
    jobs = []
    for part in doc.parts:
        if part.repeat:
            jobs.extend((f"{doc.stem}/{part.name.format(**item)}", part.template, {part.repeat.rstrip("s"): item})
                        for item in base[part.repeat])
        else:
            jobs.append((f"{doc.stem}/{part.name}", part.template, {}))
    return jobs


def render_document(doc: Document, lang: str, templates: TemplateSet, base: dict,
                    profile: Profile) -> list[RenderedFile]:
    """Render ``doc`` in ``lang`` with the pack context ``base``: one :class:`RenderedFile`
    per file stem. Raises InputError for a template problem, or when a document that is
    also a workbook has no table marked ``::: sheet``."""
    out = []
    for stem, template, extra in _parts(doc, base):
        ctx = document_context(base, doc, lang, **extra)
        blocks = templates.render(template, ctx)
        if "xlsx" in doc.forms and not any(isinstance(b, Table) and b.sheet for b in blocks):
            raise InputError(Problem(str(templates.path(template)), _("the document has no table marked '::: sheet'")))
        first = next((b for b in blocks if not isinstance(b, Break)), None)
        approved = doc.annex is not None and isinstance(first, Paragraph) and first.kind == "approval"
        word = templates.docx(template)
        out.append(RenderedFile(
            doc.id, lang, f"{lang}/{stem}", doc.forms, doc.title(lang, profile.year), blocks,
            approved=doc.approved(lang) if approved else None,
            word=render_docx(word, templates.docx_env, ctx) if word is not None and "docx" in doc.forms else None,
            organization=profile.organization.name[lang]))
    return out


# --- 2. change sheets ---------------------------------------------------------------------------


def first_editions(pack: RenderedPack) -> dict[str, list[Revision]]:
    """The revision history of a first build: edition 1 for every approved file's stem."""
    first = [new_revision(pack.profile, 1)]
    return {f.stem: first for f in pack.files if f.approved}


def render_change_sheets(pack: RenderedPack, history: dict[str, list[Revision]]) -> None:
    """Give every approved file of ``pack`` its change sheet: ``_change_sheet.md`` rendered
    with the revisions of its stem in ``history``. Raises InputError for a template problem."""
    for f in pack.files:
        revisions = history.get(f.stem) if f.approved else None
        if not revisions:
            continue
        ctx = document_context(pack.contexts[f.lang], BY_ID[f.document], f.lang)
        ctx["revisions"] = [r.context(f.lang) for r in revisions]
        ctx["change_sheet"] = {"title": CHANGE_SHEET_TITLE[f.lang], "sheet": CHANGE_SHEET_NAME[f.lang]}
        f.change_sheet = pack.templates[f.lang].render("_change_sheet", ctx)


# --- 3. write -----------------------------------------------------------------------------------


Finisher = Callable[[Path, list[str]], list[PackFile]]
"""Called by :func:`write_pack` with the folder a pack is being written into, once its
documents are there, and the list of warnings; writes more files into it (an update's
redlines) and returns them as manifest entries (sha256 left empty)."""


def write_pack(pack: RenderedPack, out: Path, history: dict[str, list[Revision]], force: bool = False,
               pdf: bool = False, extra: list[RenderedFile] = (), previous: PreviousPack | None = None,
               progress: Progress | None = None, finish: Finisher | None = None,
               converter: PdfService | None = None) -> PackResult:
    """Write ``pack`` (and the ``extra`` files, such as the change report) into
    ``OUT/<bin>/<year>`` with its manifest recording ``history`` and the pack it follows
    (``previous``); with ``pdf`` a PDF beside every document's .docx, converted by
    ``converter`` (a batch worker's, kept for the run; default: one for this pack, of this
    machine's cores) unless the pack being replaced has the PDF of the same .docx bytes;
    when LibreOffice is missing or fails on a document, a warning says so and the rest is
    still written; ``progress`` is called with each file written, PDFs included; the pack's base
    (:mod:`packbuilder.pack.base`: every file's pristine blocks) in ``.packbuilder/``;
    ``finish`` writes more files once the documents are written (:data:`Finisher`).

    Raises InputError when the pack exists and ``force`` is False; OSError when the disk
    refuses. Nothing is left at the target when it fails: the pack is written into a
    hidden folder and renamed into place when complete, the old one removed only then.
    """
    target = pack_dir(out, pack.profile)
    result = PackResult(target)
    if previous is None:
        result.warnings.extend(_history_dropped(target))
    created = pack.profile.approval.date
    with _staged(target, force) as tmp:
        written: list[PackFile] = []
        for f in pack.files + list(extra):
            for form in f.forms:
                write_file(f, form, tmp / f.path(form), created)
                written.append(PackFile(path=f.path(form), document=f.document, lang=f.lang, sha256="",
                                        edits=f.pristine is not None))
                if progress and f.document in BY_ID:
                    progress(f.path(form))
        for lang, data in pack.calendars.items():
            rel = f"{lang}/{CALENDAR_FILE}"
            (tmp / lang).mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
            written.append(PackFile(path=rel, document=CALENDAR_DOCUMENT, lang=lang, sha256=""))
        write_base(tmp, {f.rel: f.blocks if f.pristine is None else f.pristine for f in pack.files})
        written.append(PackFile(path=BASE_PATH, document=BASE_DOCUMENT, lang="", sha256=""))
        if finish is not None:
            written += finish(tmp, result.warnings)
        if pdf:
            written += _pdfs(tmp, [w for w in written if w.path.endswith(".docx") and w.document in BY_ID],
                             result.warnings, _old_pdfs(target), converter, progress)
        files = sorted((w.model_copy(update={"sha256": sha256_file(tmp / w.path)}) for w in written),
                       key=lambda w: w.path)
        write_manifest(tmp, pack_manifest(pack, files, history, previous))
    result.files = [f.path for f in files] + [MANIFEST]
    return result


def write_file(f: RenderedFile, form: str, path: Path, created: dt.date) -> None:
    """Write ``f`` in ``form`` to ``path`` (its folder made), its change sheet at the end;
    ``created`` is stored as the document's time. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if form == "docx" and f.word is not None:
        write_docx(f.word, path, f.lang, created, f.change_sheet)
    elif form == "docx":
        DocxWriter(f.lang).write(f.blocks + f.change_sheet, path, f.title, created)
    elif form == "xlsx":
        approval, heading = f.sheet_heading()
        write_xlsx(f.blocks + f.change_sheet, path, heading, created, approval)
    else:
        path.write_text(f.html or "", encoding="utf-8")


def _old_pdfs(target: Path) -> dict[str, tuple[str, Path]]:
    """The PDFs of the pack at ``target`` (the one a forced build replaces), by the path of
    their .docx: (the .docx's sha256, the PDF's path), for each PDF still there with the bytes
    its manifest records; {} when there is no readable pack."""
    try:
        manifest = read_manifest(target)[0]
    except (InputError, OSError):
        return {}
    sha = {f.path: f.sha256 for f in manifest.files}
    out = {}
    for path, digest in sha.items():
        if path.endswith(".pdf") and (docx := path[:-4] + ".docx") in sha:
            pdf = target / path
            if pdf.is_file() and sha256_file(pdf) == digest:
                out[docx] = (sha[docx], pdf)
    return out


def _pdfs(root: Path, docx: list[PackFile], warnings: list[str], reuse: dict[str, tuple[str, Path]],
          converter: PdfService | None, progress: Progress | None) -> list[PackFile]:
    """PDFs of the ``docx`` files under ``root``, as manifest entries (sha256 left empty):
    copied from ``reuse`` (:func:`_old_pdfs`) where the .docx has the same bytes, converted
    by ``converter`` (or a :class:`PdfService` made for the call) otherwise. A document
    LibreOffice fails on gets a warning and no PDF; without LibreOffice there is one warning
    and no PDF. A PDF whose fonts are wrong (:func:`packbuilder.write.pdf.font_problems`:
    not embedded, or not Liberation Serif or Times New Roman, such as Kazakh letters fallen
    back to DejaVu Serif) is removed, with a warning naming it and its fonts."""
    by_path = {root / d.path: d for d in docx}
    done, todo = [], []
    for path, d in by_path.items():
        old = reuse.get(d.path)
        if old is not None and sha256_file(path) == old[0]:
            shutil.copyfile(old[1], path.with_suffix(".pdf"))
            done.append(path.with_suffix(".pdf"))
            if progress:
                progress(d.path[:-5] + ".pdf")
        else:
            todo.append(path)
    report = (lambda p: progress(p.relative_to(root).as_posix())) if progress else None
    try:
        if converter is None:
            with PdfService() as service:
                if todo and service.soffice and not service.bridge:
                    warnings.append(_("PDFs converted by one soffice call, slower: {fix}").format(fix=_(UNO_HINT)))
                pdfs, failed = service.convert(todo, report)
        else:
            pdfs, failed = converter.convert(todo, report)
    except RuntimeError as exc:
        warnings.append(_("no PDF written: {reason}").format(reason=exc))
        return []
    warnings.extend(_("{file}: PDF not written: {reason}").format(file=e.path.relative_to(root).as_posix(),
                                                                 reason=e.reason) for e in failed)
    out = []
    for p in sorted(done + pdfs):
        rel = p.relative_to(root).as_posix()
        problems = font_problems(p)
        if problems:
            p.unlink()
            if len(problems) > 3:
                warnings.append(_("{file}: PDF not written, its fonts are wrong: {problems}; and {n} more").format(
                    file=rel, problems="; ".join(problems[:3]), n=len(problems) - 3))
            else:
                warnings.append(_("{file}: PDF not written, its fonts are wrong: {problems}").format(
                    file=rel, problems="; ".join(problems)))
            continue
        out.append(by_path[p.with_suffix(".docx")].model_copy(update={"path": rel}))
    return out


def pack_manifest(pack: RenderedPack, files: list[PackFile], history: dict[str, list[Revision]],
                  previous: PreviousPack | None) -> Manifest:
    """The :class:`Manifest` of ``pack`` written as ``files``."""
    names = template_names(pack.documents)
    digests = template_digests(pack.languages, pack.documents, pack.templates_dir)
    first = pack.templates[pack.languages[0]]
    return Manifest(
        version=__version__, bin=pack.profile.organization.bin, year=pack.profile.year,
        languages=pack.languages, documents=[d.id for d in pack.documents], complete=pack.complete,
        profile_digest=profile_digest(pack.profile), template_version=first.version,
        template_digest=combined_digest(digests), template_digests=digests,
        templates={lang: pack.templates[lang].file_digests(names) for lang in pack.languages},
        template_overrides={lang: pack.templates[lang].overridden() for lang in pack.languages},
        previous=previous, files=files, revisions=dict(sorted(history.items())), profile=pack.profile)


@contextmanager
def _staged(target: Path, force: bool) -> Iterator[Path]:
    """A hidden empty folder beside ``target`` to write a pack into, renamed to ``target``
    when the block ends without error (an existing pack is replaced only with ``force``);
    on any error (Ctrl-C and SIGTERM included) it is removed with the folders made for it.

    The pack folder is locked while it is written (:func:`_lock`): a second build or update
    of the same organization and year is refused, not mixed with the first; the hidden
    folders that a killed run left beside ``target`` are removed. Raises InputError when
    ``target`` exists and ``force`` is False, or another packbuilder is writing it."""
    created = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.partial-{os.getpid()}"
    try:
        with _lock(target):
            if target.exists() and not force:
                raise InputError(Problem(str(target), _("a pack already exists here; use --force to replace it")))
            _remove_stale(target)
            if tmp.exists():
                shutil.rmtree(tmp)
            tmp.mkdir()
            try:
                yield tmp
                _swap_into_place(tmp, target)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        for d in created:  # the folders made for this pack, innermost first, if still empty
            try:
                d.rmdir()
            except OSError:
                break
        raise


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (signal 0 on POSIX, OpenProcess on
    Windows, where ``os.kill`` would end it)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
        return bool(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _lock(target: Path) -> Iterator[None]:
    """Hold ``.<year>.lock`` beside the pack folder ``target`` (it names this process) for
    the block. A lock of a process that no longer runs is taken over. Raises InputError
    naming the pack when another running packbuilder holds it."""
    lock = target.parent / f".{target.name}.lock"
    for _attempt in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            try:
                pid = int(lock.read_text(encoding="ascii").strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                raise InputError(Problem(str(target), _(
                    "another packbuilder (process {pid}) is writing this pack; wait until it ends (if none runs, "
                    "delete {lock})").format(pid=pid, lock=lock))) from None
            lock.unlink(missing_ok=True)
    else:
        raise InputError(Problem(str(target), _(
            "cannot lock the pack folder: delete {lock} if no packbuilder runs").format(lock=lock)))
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(str(os.getpid()))
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _remove_stale(target: Path) -> None:
    """Remove the hidden folders a run killed while writing ``target`` left beside it
    (``.<year>.partial-PID``, ``.<year>.old-PID`` of a process that no longer runs)."""
    for d in target.parent.glob(f".{target.name}.*-*"):
        kind, _sep, pid = d.name.rpartition("-")
        if kind.endswith((".partial", ".old")) and pid.isdigit() and d.is_dir() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


def _swap_into_place(tmp: Path, target: Path) -> None:
    """Replace ``target`` by the complete ``tmp`` with renames (the old pack is removed only
    after the new one is in place)."""
    old = None
    if target.exists():
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --- the whole build, and what a batch needs ----------------------------------------------------


def build_steps(only: list[str] | tuple[str, ...] | None, languages: list[str], pdf: bool = False) -> int:
    """How many times :func:`build_pack` calls its ``progress``: each document file once
    rendered and once written, and each .docx once more when converted to PDF."""
    return 2 * count_files(only, languages) + (count_files(only, languages, "docx") if pdf else 0)


def build_pack(profile: Profile, out: Path, languages: list[str] | None = None,
               only: list[str] | None = None, force: bool = False, pdf: bool = False,
               templates_dir: Path | None = None, progress: Progress | None = None,
               converter: PdfService | None = None) -> PackResult:
    """Build the first pack of ``profile`` into ``OUT/<bin>/<year>``: :func:`render_pack`,
    edition 1 of every change sheet, :func:`write_pack`.

    ``languages`` default to the profile's; ``only`` limits the documents (catalogue ids);
    ``pdf`` adds a PDF of every docx (through ``converter``, see :func:`write_pack`);
    ``templates_dir`` is a folder of template overrides
    (checked by the command beforehand: :func:`packbuilder.authoring.check.preflight`);
    ``progress`` is called with each document file rendered and again when written.

    Raises InputError when the pack exists and ``force`` is False, for an unknown document
    id or language, or a template problem; nothing is left at the target then.
    """
    pack = render_pack(profile, languages, only, templates_dir, progress=progress)
    history = first_editions(pack)
    render_change_sheets(pack, history)
    return write_pack(pack, out, history, force=force, pdf=pdf, progress=progress, converter=converter)


def _history_dropped(target: Path) -> list[str]:
    """A warning when the pack being replaced at ``target`` was made by ``update``: a plain
    build starts the change sheets again at edition 1."""
    try:
        old = read_manifest(target)[0]
    except (InputError, OSError):
        return []
    editions = old.editions()
    if editions <= 1:
        return []
    if old.previous:
        message = _("{target}: the replaced pack's change sheets had {n} editions; this build starts them again "
                    "at 1. To keep them, rebuild it with `packbuilder update PROFILE --from <the {year} pack> -o OUT "
                    "--force`").format(target=target, n=editions, year=old.previous.year)
    else:
        message = _("{target}: the replaced pack's change sheets had {n} editions; this build starts them again "
                    "at 1. To keep them, rebuild it with `packbuilder update PROFILE --from <the previous year "
                    "pack> -o OUT --force`").format(target=target, n=editions)
    return [message]


def template_names(docs: list[Document]) -> list[str]:
    """The templates ``docs`` are rendered from (a document of parts has one per part), sorted."""
    return sorted({p.template for d in docs for p in d.parts} | {d.id for d in docs if not d.parts})


def template_digests(langs: list[str], docs: list[Document], templates_dir: Path | None = None) -> dict[str, str]:
    """Per language, the sha256 of the templates that ``docs`` are rendered from (with the
    shared ``_*.md`` files), as recorded in the manifest."""
    return {lang: template_set(lang, templates_dir).digest(template_names(docs)) for lang in langs}


def combined_digest(digests: dict[str, str]) -> str:
    """One sha256 over the per-language ``digests`` (the manifest's ``template_digest``)."""
    return hashlib.sha256("".join(f"{k}:{v}" for k, v in sorted(digests.items())).encode()).hexdigest()


def is_up_to_date(profile: Profile, out: Path, templates_dir: Path | None = None, pdf: bool = False) -> bool:
    """True when ``OUT/<bin>/<year>`` holds the complete pack this version of packbuilder
    would build from ``profile`` and the templates: its manifest records the same tool
    version, languages, profile digest and template digest, and every file it lists is there;
    with ``pdf``, a PDF of every document's .docx too."""
    target = pack_dir(out, profile)
    try:
        manifest = read_manifest(target)[0]
    except (InputError, OSError):
        return False
    langs = [lang for lang in LANGUAGES if lang in profile.languages]
    return (manifest.version == __version__
            and manifest.complete
            and manifest.languages == langs
            and manifest.profile_digest == profile_digest(profile)
            and manifest.template_digest == combined_digest(template_digests(langs, select(None), templates_dir))
            and all((target / f.path).is_file() for f in manifest.files)
            and (not pdf or _has_pdfs(manifest)))


def _has_pdfs(manifest) -> bool:
    """True when the ``manifest`` lists a PDF beside every document's .docx."""
    paths = {f.path for f in manifest.files}
    return all(f.path[:-5] + ".pdf" in paths for f in manifest.files
               if f.path.endswith(".docx") and f.document in BY_ID)
