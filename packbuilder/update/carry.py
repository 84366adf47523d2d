"""Carrying the officer's edits of last year's pack into this year's, file by file.

For every document file of the new pack whose old file the officer changed
(:func:`packbuilder.update.old_pack.OldPack.edited`), the file is read back into blocks
(:mod:`packbuilder.update.edited`) and merged three ways with last year's pristine base and
this year's rendering (:mod:`packbuilder.update.merge`); the merged blocks replace the
rendered ones, which stay as the new pack's base. The .docx and the .xlsx of a document are
merged each on its own (an officer fills the journal in Excel and edits the Word text
separately), and so are the kk and ru versions.

The base is the one stored in the old pack (``.packbuilder/base.json.xz``). A pack written
before packbuilder kept it has its base rendered again from the profile and templates its
manifest records, when the template version is the same; each such file is accepted as a
base only when it is written again to the very bytes the manifest recorded.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from packbuilder.errors import InputError
from packbuilder.pack.build import RenderedFile, RenderedPack, render_change_sheets, render_pack, write_file
from packbuilder.pack.manifest import DELETED, sha256_file
from packbuilder.render.layout import Block, Paragraph, Run, Table
from packbuilder.update.edited import UNREADABLE_ERRORS, docx_blocks, xlsx_tables
from packbuilder.update.merge import Conflict, Edit, merge_blocks
from packbuilder.update.old_pack import OldPack
from packbuilder.write.xlsx import workbook_layout

ARCHIVE_SHEET = {"kk": "Мұрағат", "ru": "Архив"}

"""The journal sheet that keeps the filled-in rows of people no longer employed."""

CARRIED, SAME_TEXT, NOT_CARRIED, DISCARDED, REGENERATED = (
    "carried", "same_text", "not_carried", "discarded", "regenerated")
"""What became of an edited or deleted file: its edits carried into the new file, none to
carry (the file was saved again, its text is the same), not carried (``reason`` says why),
discarded (``--discard-edits``), or a deleted file generated anew."""
NO_BASE, WORD_TEMPLATE, UNREADABLE, NOT_IN_PACK = "no_base", "word_template", "unreadable", "not_in_pack"
"""Why edits were not carried: no base of the old file, a document made from the user's
Word template, a file that is no longer a Word or Excel file, a document the new pack has not."""


@dataclass
class FileEdits:
    """The officer's changes to one file of the old pack (``path``, ``kk/03-policy.docx``):
    ``outcome`` (:data:`CARRIED` …), ``reason`` when not carried, the ``carried`` edits,
    the ``conflicts`` and the journal rows ``archived``."""

    path: str
    document: str
    lang: str
    outcome: str
    reason: str = ""
    carried: list[Edit] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    archived: list[list[str]] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """The file's stem without language and extension: ``03-policy``."""
        return file_stem(self.path)


def file_stem(rel: str) -> str:
    """``kk/15-compliance_report/yearly.docx`` → ``15-compliance_report/yearly``: the key of
    a document file's revision history, the same in every language and form."""
    return rel.split("/", 1)[1].rsplit(".", 1)[0]


def old_base(old: OldPack, templates_dir: Path | None, wanted: list[str],
             template_version: str) -> dict[str, list[Block]]:
    """The pristine blocks of the old pack's files ``wanted`` (paths ``kk/03-policy.docx``)
    by file stem (``kk/03-policy``): the stored base, or for a pack without one, each file
    rendered again and accepted when written to the bytes its manifest recorded, when its
    template version is ``template_version`` (the new pack's). {} when neither is possible
    (another template version, a template problem)."""
    if old.base is not None:
        return old.base
    if not wanted or old.manifest.template_version != template_version:
        return {}
    m = old.manifest
    try:
        pack = render_pack(m.profile, m.languages, None if m.complete else m.documents, templates_dir)
    except InputError:
        return {}
    render_change_sheets(pack, m.revisions)
    recorded = {f.path: f.sha256 for f in m.files}
    out: dict[str, list[Block]] = {}
    with tempfile.TemporaryDirectory(prefix="packbuilder-base-") as tmp:
        for f in pack.files:
            for form in f.forms:
                rel = f.path(form)
                if rel in wanted:
                    write_file(f, form, Path(tmp) / rel, m.profile.approval.date)
                    if sha256_file(Path(tmp) / rel) == recorded.get(rel):
                        out[f.rel] = f.blocks
    return out


def carry_edits(pack: RenderedPack, old: OldPack, templates_dir: Path | None = None,
                discard: bool = False) -> list[FileEdits]:
    """Merge the officer's edits of ``old`` into the rendered ``pack`` (changed in place:
    a file with edits gets the merged blocks, and a document with both a .docx and an
    .xlsx becomes one file per form). With ``discard`` nothing is merged and each edited
    file is reported as discarded. Returns what became of every edited or deleted file,
    in path order."""
    edited = old.edited()
    by_path = {f.path(form): f for f in pack.files for form in f.forms}
    documents = {f.path: f.document for f in old.manifest.files}
    report = [FileEdits(rel, documents[rel], rel.split("/", 1)[0], REGENERATED)
              for rel, state in sorted(old.states.items())
              if state == DELETED and rel in by_path]
    if not edited:
        return report
    version = pack.templates[pack.languages[0]].version
    base = {} if discard else old_base(old, templates_dir, edited, version)
    results: dict[str, FileEdits] = {}
    for rel in edited:
        f = by_path.get(rel)
        e = FileEdits(rel, documents.get(rel, ""), rel.split("/", 1)[0], NOT_CARRIED)
        results[rel] = e
        if f is None:
            e.reason = NOT_IN_PACK
        elif discard:
            e.outcome = DISCARDED
        elif f.rel not in base:
            e.reason = NO_BASE
        elif rel.endswith(".docx") and f.word is not None:
            e.reason = WORD_TEMPLATE
    merged: dict[str, list[Block]] = {}
    for rel, e in results.items():
        if e.outcome != NOT_CARRIED or e.reason:
            continue
        f = by_path[rel]
        try:
            blocks = _merge_file(f, rel, base[f.rel], old.root / rel, e)
        except UNREADABLE_ERRORS:
            e.reason = UNREADABLE
            continue
        if e.carried or e.conflicts or e.archived:
            e.outcome = CARRIED
            merged[rel] = blocks
        else:
            e.outcome = SAME_TEXT
    _apply(pack, merged)
    return sorted(report + list(results.values()), key=lambda e: e.path)


def _merge_file(f: RenderedFile, rel: str, base: list[Block], path: Path, e: FileEdits) -> list[Block]:
    """The blocks of ``f`` in the form of ``rel`` with the officer's edits of ``path``
    merged in; what was carried goes into ``e``."""
    if rel.endswith(".docx"):
        result = merge_blocks(base, docx_blocks(path, f.lang), f.blocks)
        e.carried, e.conflicts = result.carried, result.conflicts
        return result.blocks
    base_file = replace(f, blocks=base, change_sheet=[])
    approval, heading = base_file.sheet_heading()
    base_tables = [b for b in base if isinstance(b, Table) and b.sheet]
    ours = xlsx_tables(path, workbook_layout(base, heading, approval))
    theirs = [b for b in f.blocks if isinstance(b, Table) and b.sheet]
    result = merge_blocks(base_tables, ours, theirs, archive=True)
    e.carried, e.conflicts, e.archived = result.carried, result.conflicts, result.archived
    blocks = _in_place(f.blocks, result.blocks)
    if result.archived and theirs:
        header = theirs[0].rows[:theirs[0].header_rows]
        blocks.append(Table([list(r) for r in header] + [[_cell(c) for c in row] for row in result.archived],
                            theirs[0].header_rows, theirs[0].widths, ARCHIVE_SHEET[f.lang]))
    return blocks


def _in_place(blocks: list[Block], merged: list[Block]) -> list[Block]:
    """``blocks`` with their sheet tables replaced by the ``merged`` ones, one for one in
    order, so that each keeps the paragraphs around it (its heading, its signature line);
    when the numbers differ, the paragraphs followed by the merged tables."""
    sheets = [b for b in blocks if isinstance(b, Table) and b.sheet]
    if len(merged) != len(sheets) or not all(isinstance(b, Table) for b in merged):
        return [b for b in blocks if isinstance(b, Paragraph)] + merged
    it = iter(merged)
    return [next(it) if isinstance(b, Table) and b.sheet else b for b in blocks if not isinstance(b, Table) or b.sheet]


def _cell(text: str) -> list[Run]:
    return [Run(text)] if text else []


def _apply(pack: RenderedPack, merged: dict[str, list[Block]]) -> None:
    """Put the merged blocks into ``pack``'s files: one file per form where a form has its
    own, the rendered blocks kept as ``pristine``."""
    files: list[RenderedFile] = []
    for f in pack.files:
        own = [form for form in f.forms if f.path(form) in merged]
        if not own:
            files.append(f)
        elif len(f.forms) == 1:
            files.append(replace(f, blocks=merged[f.path(own[0])], pristine=f.blocks))
        else:
            files.extend(replace(f, forms=(form,), blocks=merged.get(f.path(form), f.blocks), pristine=f.blocks)
                         for form in f.forms)
    pack.files[:] = files
