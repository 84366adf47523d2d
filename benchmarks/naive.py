"""The naive way to build a pack, for the benchmark's comparison: what a straightforward
implementation does for every document of every organization, in one process.

- a fresh Jinja environment for every document, so every template (and the shared macros)
  is compiled again;
- the Markdown parsed again, no structure cache;
- a fresh python-docx ``Document`` loaded from python-docx's template file, styled, filled
  paragraph by paragraph and table by table through python-docx's objects, saved, and
  zipped again with fixed times.

This was packbuilder's own writer before the batch work (git history of
packbuilder/docx_writer.py); the benchmark checks that both ways give the same text.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from packbuilder.model.catalogue import CATALOGUE
from packbuilder.model.profile import LANGUAGES, Profile
from packbuilder.pack.build import _heading_lines
from packbuilder.pack.revisions import (
    CHANGE_SHEET_NAME,
    CHANGE_SHEET_TITLE,
    new_revision,
)
from packbuilder.render import layout as markdown_blocks
from packbuilder.render.context import document_context, pack_context
from packbuilder.render.layout import Block, Break, Paragraph, Run, Table
from packbuilder.render.templates import TemplateSet
from packbuilder.write.docx import (
    APPROVAL_WIDTH,
    BODY_PT,
    INDENT,
    LANG_TAGS,
    TABLE_PT,
    _page,
    _styled_document,
)
from packbuilder.write.package import fixed_core_times, read_parts, write_package
from packbuilder.write.xlsx import write_xlsx


def _text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


class NaiveDocxWriter:
    """python-docx's object layer on a fresh Document per document."""

    def __init__(self, lang: str):
        self.lang = lang

    def _new(self, landscape: bool):
        doc = _styled_document(self.lang)  # python-docx's template read and styled again
        if landscape:
            _page(doc.sections[0], True)
        return doc

    def write(self, blocks: list[Block], path: Path, title: str, created: dt.date) -> None:
        """Lay ``blocks`` out and save the document to ``path``."""
        landscape = bool(blocks) and isinstance(blocks[0], Break) and blocks[0].kind == "landscape"
        if blocks and isinstance(blocks[0], Break) and blocks[0].kind in ("landscape", "portrait"):
            blocks = blocks[1:]
        doc = self._new(landscape)
        self.doc = doc
        pending_break = False
        for block in blocks:
            if isinstance(block, Break):
                if block.kind == "page":
                    pending_break = True
                else:
                    section = doc.add_section(WD_SECTION.NEW_PAGE)
                    _page(section, block.kind == "landscape")
                    section.different_first_page_header_footer = False
                    pending_break = False
                continue
            if isinstance(block, Table):
                if pending_break:
                    self._page_break()
                    pending_break = False
                self._table(block)
            else:
                p = self._paragraph(block)
                if pending_break:
                    p.paragraph_format.page_break_before = True
                    pending_break = False
        # a document must not end with a table directly before the section mark in Word
        if doc.element.body[-2].tag == qn("w:tbl"):
            doc.add_paragraph()
        props = doc.core_properties
        props.title = title
        props.author = "packbuilder"
        props.last_modified_by = "packbuilder"
        props.language = LANG_TAGS[self.lang]
        stamp = dt.datetime(created.year, created.month, created.day)
        props.created = stamp
        props.modified = stamp
        props.revision = 1
        buf = io.BytesIO()
        doc.save(buf)
        parts = read_parts(buf.getvalue())
        write_package(path, parts, {"docProps/core.xml": fixed_core_times(dict(parts)["docProps/core.xml"], created)})

    def _page_break(self) -> None:
        p = self.doc.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)

    def _runs(self, p, runs: list[Run], size: int = BODY_PT, bold: bool = False) -> None:
        for r in runs:
            parts = r.text.split("\n")
            for i, part in enumerate(parts):
                run = p.add_run(part)
                if i < len(parts) - 1:
                    run.add_break()
                if r.bold or bold:
                    run.bold = True
                if r.italic:
                    run.italic = True
                if size != BODY_PT:
                    run.font.size = Pt(size)

    def _paragraph(self, block: Paragraph):
        doc = self.doc
        kind = block.kind
        if kind == "title":
            p = doc.add_paragraph(style="Heading 1")
        elif kind == "chapter":
            p = doc.add_paragraph(style="Heading 2")
        elif kind == "heading":
            p = doc.add_paragraph(style="Heading 3")
        else:
            p = doc.add_paragraph()
        pf = p.paragraph_format
        classes = set(block.classes)
        if kind in ("body", "point", "item"):
            pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            pf.first_line_indent = INDENT
        if kind in ("point", "item") and block.label:
            p.add_run(block.label + " ")
        if kind == "approval":
            width = _text_width(doc.sections[-1])
            pf.left_indent = width - APPROVAL_WIDTH
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.space_after = Pt(6)
        if kind == "signature":
            pf.space_before = Pt(18)
            pf.keep_together = True
            pf.tab_stops.add_tab_stop(_text_width(doc.sections[-1]), WD_TAB_ALIGNMENT.RIGHT)
            self._runs(p, block.runs)
            p.add_run("\t").bold = True
            self._runs(p, block.right)
            return p
        if "right" in classes:
            pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            pf.first_line_indent = Cm(0)
        elif "center" in classes:
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.first_line_indent = Cm(0)
        elif "left" in classes:
            pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
            pf.first_line_indent = Cm(0)
        self._runs(p, block.runs)
        return p

    def _table(self, block: Table) -> None:
        doc = self.doc
        ncols = max(len(r) for r in block.rows)
        table = doc.add_table(rows=len(block.rows), cols=ncols)
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        width = _text_width(doc.sections[-1])
        rel = block.widths or [1.0] * ncols
        total = sum(rel)
        col_widths = [int(width * w / total) for w in rel]
        grid = table._tbl.tblGrid
        for gc, w in zip(grid.findall(qn("w:gridCol")), col_widths):
            gc.set(qn("w:w"), str(int(w / 635)))  # EMU → twentieths of a point
        for r, (row, cells) in enumerate(zip(table.rows, block.rows)):
            header = r < block.header_rows
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))
            if header:
                trpr.append(OxmlElement("w:tblHeader"))
            for c, cell in enumerate(row.cells):
                cell.width = col_widths[c]
                p = cell.paragraphs[0]
                runs = cells[c] if c < len(cells) else []
                text = "".join(x.text for x in runs)
                if header or (text.isdigit() and len(text) <= 4):
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._runs(p, runs, size=TABLE_PT, bold=header)


def naive_build(profile: Profile, out: Path) -> int:
    """Build the pack of ``profile`` into ``out`` the naive way; returns the number of
    files (documents) written."""
    count = 0
    for lang in [lg for lg in LANGUAGES if lg in profile.languages]:
        lang_dir = out / lang
        lang_dir.mkdir(parents=True, exist_ok=True)
        base = pack_context(profile, lang, TemplateSet(lang).topics())
        for doc in CATALOGUE:
            jobs = []
            if doc.parts:
                folder = lang_dir / doc.stem
                folder.mkdir(exist_ok=True)
                for part in doc.parts:
                    items = base[part.repeat] if part.repeat else [None]
                    for item in items:
                        name = part.name.format(**item) if item is not None else part.name
                        extra = {part.repeat.rstrip("s"): item} if item is not None else {}
                        jobs.append((folder / f"{name}.docx", part.template, extra))
            else:
                jobs.append((lang_dir / f"{doc.stem}.docx", doc.id, {}))
            for path, template, extra in jobs:
                templates = TemplateSet(lang)  # a new environment: every template compiled again
                markdown_blocks._structure.cache_clear()  # and parsed again
                ctx = document_context(base, doc, lang, **extra)
                blocks = templates.render(template, ctx)
                if any(isinstance(b, Paragraph) and b.kind == "approval" for b in blocks):  # the change sheet
                    ctx = dict(ctx, revisions=[new_revision(profile, 1).context(lang)],
                               change_sheet={"title": CHANGE_SHEET_TITLE[lang], "sheet": CHANGE_SHEET_NAME[lang]})
                    blocks += templates.render("_change_sheet", ctx)
                if "docx" in doc.forms:
                    NaiveDocxWriter(lang).write(blocks, path, doc.title(lang, profile.year), profile.approval.date)
                    count += 1
                if "xlsx" in doc.forms:
                    approval, heading = _heading_lines(blocks, profile, lang)
                    write_xlsx([b for b in blocks if isinstance(b, Table)], path.with_suffix(".xlsx"), heading,
                               profile.approval.date, approval)
                    count += 1
    return count
