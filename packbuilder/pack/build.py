"""Building one pack: render every document of the catalogue in every language, write the
output tree and its manifest atomically.

    OUT/<bin>/<year>/kk/NN-<id>.docx|.xlsx, kk/NN-<id>/ (documents of several parts),
    ru/…, manifest.json

A pack is a pure function of (profile, templates, plan year) and, for an update, the pack it
follows: the same input gives the same files (zip entries and document properties carry
fixed times). Every file that starts with the approval block ends with its change sheet
(packbuilder/history.py). The manifest records the tool version, the profile and its digest,
the template version and the sha256 of every template, every file with its sha256, the
revision history and, after an update, the pack it follows. The pack is written into a
hidden temporary folder beside the target and renamed into place only when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from packbuilder import __version__
from packbuilder.authoring.check import preflight
from packbuilder.errors import InputError, Problem
from packbuilder.model.catalogue import Document, select
from packbuilder.model.profile import LANGUAGES, Profile
from packbuilder.pack.revisions import (
    CHANGE_SHEET_NAME,
    CHANGE_SHEET_TITLE,
    Revision,
    new_revision,
)
from packbuilder.render.context import document_context, pack_context
from packbuilder.render.layout import Paragraph, Table
from packbuilder.render.templates import TemplateSet, template_set
from packbuilder.update.diff import Previous, TextDiff
from packbuilder.write.docx import DocxWriter
from packbuilder.write.pdf import convert_to_pdf
from packbuilder.write.word_template import render_docx, write_docx
from packbuilder.write.xlsx import write_xlsx

MANIFEST = "manifest.json"


@dataclass
class PackResult:
    """What a build wrote: the pack folder, its files (relative paths), warnings, and for an
    update the comparison of each file with the old pack's (see :func:`build_pack`)."""

    root: Path
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    diffs: dict[str, TextDiff | None] = field(default_factory=dict)


def pack_dir(out: Path, profile: Profile) -> Path:
    """``OUT/<bin>/<year>``."""
    return Path(out) / profile.organization.bin / str(profile.year)


def profile_digest(profile: Profile) -> str:
    """sha256 of the validated profile as canonical JSON."""
    data = json.dumps(profile.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _heading_lines(blocks, profile: Profile, lang: str) -> tuple[list[str], list[str]]:
    """What goes above a sheet: the approval block's paragraphs, and the title lines (the
    document's title paragraph and the organization)."""
    approval = [b.text for b in blocks if isinstance(b, Paragraph) and b.kind == "approval"]
    title = next((b.text for b in blocks if isinstance(b, Paragraph) and b.kind == "title"), "")
    return approval, [line for line in (title, profile.organization.name[lang]) if line]


@dataclass
class RenderedFile:
    """One file of a document rendered in one language, not yet written: ``rel`` its path in
    the pack (``kk/03-policy.docx`` without the extension: ``kk/03-policy``), ``blocks`` its
    layout, ``approved`` whether it starts with the approval block (and so ends with the
    change sheet); ``word`` the user's Word template its .docx is rendered from instead of
    ``blocks`` (which still give its .xlsx), with ``context``; ``word_parts`` the rendered
    Word package, once rendered."""

    doc: Document
    lang: str
    rel: str
    blocks: list
    approved: bool
    word: Path | None = None
    context: dict | None = None
    word_parts: list | None = field(default=None, repr=False)

    @property
    def stem(self) -> str:
        """The path without the language folder: ``03-policy``, ``15-compliance_report/yearly``;
        the key of the document's revision history."""
        return self.rel.split("/", 1)[1]

    def paths(self, root: Path) -> list[Path]:
        """The files it is written to under the pack folder ``root``, docx before xlsx."""
        return [root / f"{self.rel}.{form}" for form in self.doc.forms]


def render_document(doc: Document, lang: str, templates: TemplateSet, base: dict) -> list[RenderedFile]:
    """Render ``doc`` in ``lang``: one :class:`RenderedFile` per file stem (a document of
    parts has several). Raises InputError for a template problem."""
    if doc.parts:
        jobs = []
        for part in doc.parts:
            if part.repeat:
                for item in base[part.repeat]:
                    jobs.append((f"{doc.stem}/{part.name.format(**item)}", part.template,
                                 {part.repeat.rstrip("s"): item}))
            else:
                jobs.append((f"{doc.stem}/{part.name}", part.template, {}))
    else:
        jobs = [(doc.stem, doc.id, {})]
    out = []
    for stem, template, extra in jobs:
        ctx = document_context(base, doc, lang, **extra)
        blocks = templates.render(template, ctx)
        approved = any(isinstance(b, Paragraph) and b.kind == "approval" for b in blocks)
        word = templates.docx(template)
        out.append(RenderedFile(doc, lang, f"{lang}/{stem}", blocks, approved, word, ctx if word else None))
    return out


def write_document(item: RenderedFile, root: Path, templates: TemplateSet, base: dict, profile: Profile,
                   revisions: list[Revision] | None = None) -> list[Path]:
    """Write ``item`` under the pack folder ``root`` as its docx and/or xlsx, with the change
    sheet of ``revisions`` (rendered from ``_change_sheet.md``) at the end when given.
    Returns the paths written. Raises InputError for a template problem."""
    sheet = []
    if revisions:
        ctx = document_context(base, item.doc, item.lang)
        ctx["revisions"] = [r.context(item.lang) for r in revisions]
        ctx["change_sheet"] = {"title": CHANGE_SHEET_TITLE[item.lang], "sheet": CHANGE_SHEET_NAME[item.lang]}
        sheet = templates.render("_change_sheet", ctx)
    blocks = list(item.blocks) + sheet
    written = []
    title = item.doc.title(item.lang, profile.year)
    for path in item.paths(root):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".docx" and item.word is not None:
            if item.word_parts is None:  # an update writes a file twice: render the Word template once
                item.word_parts = render_docx(item.word, templates.docx_env, item.context)
            write_docx(item.word_parts, path, item.lang, profile.approval.date, sheet)
        elif path.suffix == ".docx":
            DocxWriter(item.lang).write(blocks, path, title, profile.approval.date)
        else:
            try:
                approval, heading = _heading_lines(blocks, profile, item.lang)
                write_xlsx([b for b in blocks if isinstance(b, Table)], path, heading, profile.approval.date,
                           approval)
            except ValueError as exc:
                raise InputError(Problem(str(templates.path(item.doc.id)), str(exc))) from None
        written.append(path)
    return written


def build_pack(profile: Profile, out: Path, languages: list[str] | None = None,
               only: list[str] | None = None, force: bool = False, pdf: bool = False,
               templates_dir: Path | None = None,
               progress: Callable[[str], None] | None = None,
               previous: Previous | None = None,
               finish: Callable[[Path, dict[str, TextDiff | None]], list[tuple[Path, str, str]]] | None = None,
               ) -> PackResult:
    """Build the pack of ``profile`` into ``OUT/<bin>/<year>``.

    ``languages`` default to the profile's; ``only`` limits the documents (catalogue ids);
    ``pdf`` adds a PDF of every docx (when LibreOffice is missing the docx/xlsx are still
    built and a warning says what to install). ``templates_dir`` is a folder of template
    overrides laid out like ``templates/`` (:class:`templates.TemplateSet`), checked first
    (:func:`template_check.preflight`); None: the built-in templates. ``progress`` is called with each file written.

    ``previous`` (for ``packbuilder update``) is the pack this one follows: every file is
    compared with its old version, the change sheets carry the old revisions over and add
    this pack's, and the journals mark who joined or became equated since. ``finish`` is then
    called with the pack's (temporary) folder and the comparisons by file path
    (``kk/03-policy.docx`` → TextDiff, None for a file the old pack has not) and returns more
    files it wrote there (path, document id, language) to list in the manifest.

    Raises InputError when the pack exists and ``force`` is False, for an unknown document
    id or language, or a template problem; nothing is left at the target then.
    """
    out = Path(out)
    preflight(templates_dir)
    langs = [lang for lang in LANGUAGES if lang in (languages or profile.languages)]
    unknown_langs = set(languages or []) - set(LANGUAGES)
    if unknown_langs or not langs:
        raise InputError(Problem("--lang", f"expected kk or ru, got {', '.join(sorted(unknown_langs)) or 'none'}"))
    try:
        docs = select(only)
    except KeyError as exc:
        raise InputError(Problem("--only", f"unknown document id {exc}; see `packbuilder list`")) from None
    target = pack_dir(out, profile)
    if target.exists() and not force:
        raise InputError(Problem(str(target), "a pack already exists here; use --force to replace it"))
    created = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    result = PackResult(target)
    try:
        written: list[tuple[Path, str, str]] = []
        rendered: list[tuple[RenderedFile, TemplateSet, dict]] = []
        history: dict[str, list[Revision]] = {}
        diffs: dict[str, TextDiff | None] = {}

        def record(paths: list[Path], item: RenderedFile) -> None:
            for path in paths:
                written.append((path, item.doc.id, item.lang))
                if progress:
                    progress(path.relative_to(tmp).as_posix())

        first = [new_revision(profile, 1)]
        for lang in langs:
            templates = template_set(lang, templates_dir)
            base = pack_context(profile, lang, templates.topics(), previous.profile if previous else None)
            for doc in docs:
                for item in render_document(doc, lang, templates, base):
                    if previous is None:  # a first pack: every approved file's sheet has edition 1
                        if item.approved:
                            history[item.stem] = first
                        record(write_document(item, tmp, templates, base, profile,
                                              first if item.approved else None), item)
                    else:
                        rendered.append((item, templates, base))
        if previous is not None:
            # write every file as it reads without its change sheet and compare it with the
            # old pack's; then the approved files get their change sheet, written again
            for item, templates, base in rendered:
                paths = write_document(item, tmp, templates, base, profile)
                for path in paths:
                    rel = path.relative_to(tmp).as_posix()
                    diffs[rel] = previous.diff(rel, path, item.lang,
                                               item.doc.approved(item.lang) if item.approved else None)
                if not item.approved:
                    record(paths, item)
            for item, templates, base in rendered:
                if not item.approved:
                    continue
                if item.stem not in history:
                    old = previous.revisions.get(item.stem, [])
                    found = [d for rel, d in diffs.items() if d is not None and _stem(rel) == item.stem]
                    history[item.stem] = old + [new_revision(profile, len(old) + 1, found or None)]
                record(write_document(item, tmp, templates, base, profile, history[item.stem]), item)
        if pdf:
            docx_files = [p for p, _, _ in written if p.suffix == ".docx"]
            try:
                for p in convert_to_pdf(docx_files):
                    doc_id, lang = next((d, lg) for f, d, lg in written if f == p.with_suffix(".docx"))
                    written.append((p, doc_id, lang))
            except RuntimeError as exc:
                result.warnings.append(f"no PDF written: {exc}")
        if finish is not None:
            written.extend(finish(tmp, diffs))
        files = [{"path": p.relative_to(tmp).as_posix(), "document": d, "lang": lg, "sha256": _sha256(p)}
                 for p, d, lg in sorted(written, key=lambda w: w[0].relative_to(tmp).as_posix())]
        digests = template_digests(langs, docs, templates_dir)
        manifest = {
            "tool": "packbuilder",
            "version": __version__,
            "bin": profile.organization.bin,
            "year": profile.year,
            "languages": langs,
            "documents": [d.id for d in docs],
            "complete": only is None or not only,
            "profile_digest": profile_digest(profile),
            "template_version": template_set(langs[0], templates_dir).version,
            "template_digest": _combined(digests),
            "template_digests": digests,
            "templates": {lang: template_set(lang, templates_dir).file_digests(_template_names(docs))
                          for lang in langs},
            "template_overrides": {lang: template_set(lang, templates_dir).overridden() for lang in langs},
            "previous": ({"year": previous.year, "manifest_sha256": previous.manifest_sha256}
                         if previous is not None else None),
            "files": files,
            "revisions": {stem: [r.to_json() for r in revs] for stem, revs in sorted(history.items())},
            "profile": profile.model_dump(mode="json"),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if previous is None:
            result.warnings.extend(_history_dropped(target))
        _swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for d in created:  # the folders made for this pack, innermost first, if still empty
            try:
                d.rmdir()
            except OSError:
                break
        raise
    result.files = [f["path"] for f in files] + [MANIFEST]
    result.diffs = diffs
    return result


def _history_dropped(target: Path) -> list[str]:
    """A warning when the pack being replaced at ``target`` was made by ``update``: a plain
    build starts the change sheets again at edition 1."""
    try:
        old = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        editions = max((len(r) for r in old.get("revisions", {}).values()), default=0)
    except (OSError, ValueError, TypeError, AttributeError):
        return []
    if editions <= 1:
        return []
    before = (old.get("previous") or {}).get("year", "previous year")
    return [f"{target}: the replaced pack's change sheets had {editions} editions; this build starts them "
            f"again at 1. To keep them, rebuild it with `packbuilder update PROFILE --from <the {before} "
            f"pack> -o OUT --force`"]


def _stem(rel: str) -> str:
    """``kk/15-compliance_report/yearly.docx`` → ``15-compliance_report/yearly``."""
    return rel.split("/", 1)[1].rsplit(".", 1)[0]


def _template_names(docs: list[Document]) -> list[str]:
    return sorted({p.template for d in docs for p in d.parts} | {d.id for d in docs if not d.parts})


def template_digests(langs: list[str], docs: list[Document], templates_dir: Path | None = None) -> dict[str, str]:
    """Per language, the sha256 of the templates that ``docs`` are rendered from (with the
    shared ``_*.md`` files), as recorded in the manifest."""
    return {lang: template_set(lang, templates_dir).digest(_template_names(docs)) for lang in langs}


def _combined(digests: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{k}:{v}" for k, v in sorted(digests.items())).encode()).hexdigest()


def is_up_to_date(profile: Profile, out: Path, templates_dir: Path | None = None) -> bool:
    """True when ``OUT/<bin>/<year>`` holds the complete pack this version of packbuilder
    would build from ``profile`` and the templates: its manifest records the same tool
    version, profile digest and template digest, and every file it lists is there."""
    target = pack_dir(out, profile)
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    langs = [lang for lang in LANGUAGES if lang in profile.languages]
    return (manifest.get("version") == __version__
            and manifest.get("complete") is True
            and manifest.get("languages") == langs
            and manifest.get("profile_digest") == profile_digest(profile)
            and manifest.get("template_digest") == _combined(template_digests(langs, select(None), templates_dir))
            and all((target / f["path"]).is_file() for f in manifest.get("files", [])))


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
