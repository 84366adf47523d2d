"""Layout blocks → an official-looking .docx (python-docx).

Layout of an official document (PACK.md «Formats and conventions»): A4, Times New Roman
14 pt (12 pt in tables), margins left 30 mm, right 15 mm, top and bottom 20 mm, single
spacing, justified body text with a 1.25 cm first-line indent, page numbers at the top
centre from page 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from packbuilder.markdown_blocks import Block, Break, Paragraph, Run, Table

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 14, 12
A4 = (Mm(210), Mm(297))
MARGINS = {"left": Mm(30), "right": Mm(15), "top": Mm(20), "bottom": Mm(20)}
INDENT = Cm(1.25)
APPROVAL_WIDTH = Cm(9)
LANG_TAGS = {"kk": "kk-KZ", "ru": "ru-RU"}


def _set_fonts(rpr_owner, size: int, lang: str | None = None) -> None:
    font = rpr_owner.font
    font.name = FONT
    font.size = Pt(size)
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if lang:
        tag = rpr.find(qn("w:lang"))
        if tag is None:
            tag = OxmlElement("w:lang")
            rpr.append(tag)
        tag.set(qn("w:val"), LANG_TAGS[lang])


def _page(section, landscape: bool) -> None:
    w, h = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (h, w) if landscape else (w, h)
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def _page_number_header(section, first_section: bool) -> None:
    section.different_first_page_header_footer = first_section
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _set_fonts(run, TABLE_PT)


class DocxWriter:
    """Writes one document: ``write(blocks, path, title, lang, created)``.

    ``created`` (a date) is stored as the document's creation and modification time, so the
    same input gives the same file.
    """

    def __init__(self, lang: str):
        self.lang = lang

    def _new(self, landscape: bool):
        doc = new_document()
        normal = doc.styles["Normal"]
        _set_fonts(normal, BODY_PT, self.lang)
        pf = normal.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = 1.0
        for name in ("Heading 1", "Heading 2", "Heading 3"):
            st = doc.styles[name]
            _set_fonts(st, BODY_PT, self.lang)
            st.font.bold = True
            st.font.italic = False
            st.font.color.rgb = None
            st.font.color.theme_color = None
            rpr = st.element.get_or_add_rPr()
            color = rpr.find(qn("w:color"))
            if color is not None:
                rpr.remove(color)
            st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            st.paragraph_format.space_before = Pt(12 if name != "Heading 1" else 0)
            st.paragraph_format.space_after = Pt(12 if name == "Heading 1" else 6)
            st.paragraph_format.keep_with_next = True
            st.paragraph_format.first_line_indent = Cm(0)
        section = doc.sections[0]
        _page(section, landscape)
        _page_number_header(section, first_section=True)
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
        doc.save(str(path))

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
