"""Building one pack: render every document of the catalogue in every language, write the
output tree and its manifest atomically.

    OUT/<bin>/<year>/kk/NN-<id>.docx|.xlsx, kk/NN-<id>/ (documents of several parts),
    ru/…, manifest.json

A pack is a pure function of (profile, templates, plan year): the same input gives the same
files (zip entries and document properties carry fixed times). The pack is written into a
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
from packbuilder.catalogue import Document, select
from packbuilder.context import document_context, pack_context
from packbuilder.docx_writer import DocxWriter
from packbuilder.errors import InputError, Problem
from packbuilder.markdown_blocks import Paragraph, Table
from packbuilder.pdf import convert_to_pdf
from packbuilder.profile import LANGUAGES, Profile
from packbuilder.templates import BUILTIN_DIR, TemplateSet, template_set
from packbuilder.xlsx_writer import write_xlsx

MANIFEST = "manifest.json"


@dataclass
class PackResult:
    """What a build wrote: the pack folder, its files (relative paths), warnings."""

    root: Path
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


def render_document(doc: Document, lang: str, templates: TemplateSet, base: dict, profile: Profile,
                    target: Path) -> list[Path]:
    """Render ``doc`` in ``lang`` into ``target`` (the language folder); returns the files
    written. Raises InputError for a template problem."""
    created = profile.approval.date
    title = doc.title(lang, profile.year)
    written: list[Path] = []
    parts = doc.parts or ()
    if parts:
        folder = target / doc.stem
        folder.mkdir(parents=True, exist_ok=True)
        jobs = []
        for part in parts:
            if part.repeat:
                for item in base[part.repeat]:
                    jobs.append((folder / (part.name.format(**item) + ".docx"), part.template,
                                 {part.repeat.rstrip("s"): item}))
            else:
                jobs.append((folder / (part.name + ".docx"), part.template, {}))
    else:
        jobs = [(target / f"{doc.stem}.docx", doc.id, {})]
    for path, template, extra in jobs:
        blocks = templates.render(template, document_context(base, doc, lang, **extra))
        if "docx" in doc.forms:
            DocxWriter(lang).write(blocks, path, title, created)
            written.append(path)
        if "xlsx" in doc.forms:
            xlsx = path.with_suffix(".xlsx")
            try:
                approval, heading = _heading_lines(blocks, profile, lang)
                write_xlsx([b for b in blocks if isinstance(b, Table)], xlsx, heading, created, approval)
            except ValueError as exc:
                raise InputError(Problem(str(templates.path(template)), str(exc))) from None
            written.append(xlsx)
    return written


def build_pack(profile: Profile, out: Path, languages: list[str] | None = None,
               only: list[str] | None = None, force: bool = False, pdf: bool = False,
               templates_dir: Path = BUILTIN_DIR,
               progress: Callable[[str], None] | None = None) -> PackResult:
    """Build the pack of ``profile`` into ``OUT/<bin>/<year>``.

    ``languages`` default to the profile's; ``only`` limits the documents (catalogue ids);
    ``pdf`` adds a PDF of every docx (when LibreOffice is missing the docx/xlsx are still
    built and a warning says what to install). ``progress`` is called with each file written.

    Raises InputError when the pack exists and ``force`` is False, for an unknown document
    id or language, or a template problem; nothing is left at the target then.
    """
    out = Path(out)
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
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    result = PackResult(target)
    try:
        written: list[tuple[Path, str, str]] = []
        digests = template_digests(langs, docs, templates_dir)
        for lang in langs:
            templates = template_set(lang, templates_dir)
            base = pack_context(profile, lang, templates.topics())
            lang_dir = tmp / lang
            lang_dir.mkdir()
            for doc in docs:
                for path in render_document(doc, lang, templates, base, profile, lang_dir):
                    written.append((path, doc.id, lang))
                    if progress:
                        progress(str(path.relative_to(tmp)))
        if pdf:
            docx_files = [p for p, _, _ in written if p.suffix == ".docx"]
            try:
                for p in convert_to_pdf(docx_files):
                    doc_id, lang = next((d, lg) for f, d, lg in written if f == p.with_suffix(".docx"))
                    written.append((p, doc_id, lang))
            except RuntimeError as exc:
                result.warnings.append(f"no PDF written: {exc}")
        files = [{"path": str(p.relative_to(tmp)), "document": d, "lang": lg, "sha256": _sha256(p)}
                 for p, d, lg in sorted(written, key=lambda w: str(w[0]))]
        manifest = {
            "tool": "packbuilder",
            "version": __version__,
            "bin": profile.organization.bin,
            "year": profile.year,
            "languages": langs,
            "documents": [d.id for d in docs],
            "complete": only is None or not only,
            "profile_digest": profile_digest(profile),
            "template_digest": _combined(digests),
            "template_digests": digests,
            "files": files,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.files = [f["path"] for f in files] + [MANIFEST]
    return result


def template_digests(langs: list[str], docs: list[Document], templates_dir: Path = BUILTIN_DIR) -> dict[str, str]:
    """Per language, the sha256 of the templates that ``docs`` are rendered from (with the
    shared ``_*.md`` files), as recorded in the manifest."""
    names = sorted({p.template for d in docs for p in d.parts} | {d.id for d in docs if not d.parts})
    return {lang: template_set(lang, templates_dir).digest(names) for lang in langs}


def _combined(digests: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{k}:{v}" for k, v in sorted(digests.items())).encode()).hexdigest()


def is_up_to_date(profile: Profile, out: Path, templates_dir: Path = BUILTIN_DIR) -> bool:
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
