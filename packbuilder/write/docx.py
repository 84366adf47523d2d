"""Layout blocks → an official-looking .docx.

Layout of an official document (PACK.md «Formats and conventions»): A4, Times New Roman
14 pt (12 pt in tables), margins left 30 mm, right 15 mm, top and bottom 20 mm, single
spacing, justified body text with a 1.25 cm first-line indent, page numbers at the top
centre from page 2.

The styled base package (styles, fonts, the page-number header) is prepared once per
process and language with python-docx and kept in memory; each document is then written
from it directly: its ``word/document.xml`` body is generated as WordprocessingML and the
package is zipped once, with fixed entry times. That skips python-docx's object layer,
which took most of the time of a build (benchmarks/README.md).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from packbuilder.render.layout import Block, Break, Paragraph, Run, Table
from packbuilder.write.package import read_parts, write_package

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


_TWIPS_PER_EMU = 635
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _styled_document(lang: str):
    """The python-docx default document with the official-document styles and the
    page-number header (portrait A4): the base every document of ``lang`` is written from."""
    doc = new_document()
    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_PT, lang)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        st = doc.styles[name]
        _set_fonts(st, BODY_PT, lang)
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
    _page(section, landscape=False)
    _page_number_header(section, first_section=True)
    return doc


@dataclass(frozen=True)
class _Base:
    """A prepared package: its parts in order, the document part's text around the body,
    the relationship id of the page-number header, page geometry in twips."""

    parts: tuple[tuple[str, bytes], ...]
    document_head: str
    document_tail: str
    header_rid: str
    page: tuple[int, int]          # width, height of portrait A4
    margins: dict[str, int]        # top, right, bottom, left, header, footer


_BASES: dict[str, _Base] = {}


def _base(lang: str) -> _Base:
    """The prepared base of ``lang``, built on first use and kept for the process."""
    base = _BASES.get(lang)
    if base is None:
        doc = _styled_document(lang)
        buf = io.BytesIO()
        doc.save(buf)
        parts = tuple(read_parts(buf.getvalue()))
        xml = dict(parts)["word/document.xml"].decode("utf-8")
        head, rest = xml.split("<w:body>", 1)
        sect = re.search(r"<w:sectPr.*?</w:sectPr>", rest, re.S).group(0)
        rid = re.search(r'<w:headerReference[^>]*r:id="([^"]+)"', sect).group(1)
        s = doc.sections[0]
        base = _Base(
            parts=parts,
            document_head=head + "<w:body>",
            document_tail="</w:body></w:document>",
            header_rid=rid,
            page=(_twips(s.page_width), _twips(s.page_height)),
            margins={k: _twips(getattr(s, f"{k}_margin")) for k in ("top", "right", "bottom", "left")}
            | {"header": _twips(s.header_distance), "footer": _twips(s.footer_distance)},
        )
        _BASES[lang] = base
    return base


def _esc(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL_XML.sub("", text)


def _t(text: str) -> str:
    """Run content for ``text``: ``w:t`` elements, a tab as ``w:tab`` (as python-docx does)."""
    out = []
    for i, piece in enumerate(text.split("\t")):
        if i:
            out.append("<w:tab/>")
        if piece:
            space = ' xml:space="preserve"' if piece.strip() != piece else ""
            out.append(f"<w:t{space}>{_esc(piece)}</w:t>")
    return "".join(out)


def _core_xml(title: str, lang: str, created: dt.date) -> bytes:
    stamp = created.strftime("%Y-%m-%dT00:00:00Z")
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_esc(title)}</dc:title><dc:creator>packbuilder</dc:creator>"
        "<cp:lastModifiedBy>packbuilder</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        f"<dc:language>{LANG_TAGS[lang]}</dc:language></cp:coreProperties>"
    ).encode("utf-8")


class DocxWriter:
    """Writes the documents of one language: ``write(blocks, path, title, created)``.

    ``created`` (a date) is stored as the document's creation and modification time, so the
    same input gives the same file. The base package is prepared on first use in a process
    and shared by every writer of the language.
    """

    def __init__(self, lang: str):
        self.lang = lang
        self.base = _base(lang)
        self._direct = False

    # geometry ------------------------------------------------------------------------------
    def _text_width(self, landscape: bool) -> int:
        """The width between the margins in twips."""
        w, h = self.base.page
        m = self.base.margins
        return (h if landscape else w) - m["left"] - m["right"]

    def _sect_pr(self, landscape: bool, first: bool) -> str:
        w, h = self.base.page
        m = self.base.margins
        size = f'<w:pgSz w:w="{h}" w:h="{w}" w:orient="landscape"/>' if landscape else f'<w:pgSz w:w="{w}" w:h="{h}"/>'
        header = f'<w:headerReference w:type="default" r:id="{self.base.header_rid}"/>' if first else ""
        return (f"<w:sectPr>{header}{size}"
                f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}"'
                f' w:header="{m["header"]}" w:footer="{m["footer"]}" w:gutter="0"/>'
                f'<w:cols w:space="720"/>{"<w:titlePg/>" if first else ""}<w:docGrid w:linePitch="360"/></w:sectPr>')

    # documents -----------------------------------------------------------------------------
    def document_xml(self, blocks: list[Block]) -> str:
        """The ``word/document.xml`` of ``blocks``: a new section for each landscape/portrait
        break, a page break before the block after a ``page`` break."""
        landscape = bool(blocks) and isinstance(blocks[0], Break) and blocks[0].kind == "landscape"
        if blocks and isinstance(blocks[0], Break) and blocks[0].kind in ("landscape", "portrait"):
            blocks = blocks[1:]
        out: list[str] = [self.base.document_head]
        first_section = True
        pending_break = False
        last_is_table = False
        for block in blocks:
            if isinstance(block, Break):
                if block.kind == "page":
                    pending_break = True
                else:
                    out.append(f"<w:p><w:pPr>{self._sect_pr(landscape, first_section)}</w:pPr></w:p>")
                    first_section = False
                    landscape = block.kind == "landscape"
                    pending_break = False
                    last_is_table = False
                continue
            if isinstance(block, Table):
                if pending_break:
                    out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
                    pending_break = False
                out.append(self._table(block, self._text_width(landscape)))
                last_is_table = True
            else:
                out.append(self._paragraph(block, self._text_width(landscape), pending_break))
                pending_break = False
                last_is_table = False
        # a document must not end with a table directly before the section mark in Word
        if last_is_table:
            out.append("<w:p/>")
        out.append(self._sect_pr(landscape, first_section))
        out.append(self.base.document_tail)
        return "".join(out)

    def blocks_xml(self, blocks: list[Block], width: int) -> str:
        """The body XML of ``blocks`` laid out ``width`` twips wide, to append to a document
        whose styles are not packbuilder's (a Word template's, :mod:`packbuilder.write.word_template`):
        every paragraph, run and table carries its formatting directly (fonts, sizes, heading
        alignment, borders); a landscape/portrait break becomes a page break."""
        self._direct = True
        try:
            out, pending = [], False
            for block in blocks:
                if isinstance(block, Break):
                    pending = True
                elif isinstance(block, Table):
                    if pending:
                        out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
                        pending = False
                    out.append(self._table(block, width))
                else:
                    out.append(self._paragraph(block, width, pending))
                    pending = False
            return "".join(out)
        finally:
            self._direct = False

    def write(self, blocks: list[Block], path: Path, title: str, created: dt.date) -> None:
        """Lay ``blocks`` out and save the document to ``path``."""
        document = self.document_xml(blocks).encode("utf-8")
        write_package(path, self.base.parts, {"word/document.xml": document,
                                              "docProps/core.xml": _core_xml(title, self.lang, created)})

    # paragraphs ----------------------------------------------------------------------------
    def _runs(self, runs: list[Run], size: int = BODY_PT, bold: bool = False) -> str:
        out = []
        fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>' \
            if self._direct else ""
        for r in runs:
            props = fonts + ("<w:b/>" if (r.bold or bold) else "") + ("<w:i/>" if r.italic else "") \
                + (f'<w:sz w:val="{size * 2}"/>' if size != BODY_PT or self._direct else "")
            rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
            parts = r.text.split("\n")
            for i, part in enumerate(parts):
                brk = "<w:br/>" if i < len(parts) - 1 else ""
                out.append(f"<w:r>{rpr}{_t(part)}{brk}</w:r>")
        return "".join(out)

    def _paragraph(self, block: Paragraph, width: int, page_break: bool) -> str:
        kind = block.kind
        classes = set(block.classes)
        style = {"title": "Heading1", "chapter": "Heading2", "heading": "Heading3"}.get(kind)
        jc = first = left = before = after = tab = None
        keep_lines = False
        content = ""
        if kind in ("body", "point", "item"):
            jc, first = "both", _twips(INDENT)
        if kind in ("point", "item") and block.label:
            content += f"<w:r>{_t(block.label + ' ')}</w:r>"
        if kind == "approval":
            left = int(round(width - APPROVAL_WIDTH / _TWIPS_PER_EMU))
            jc, after = "center", 120
        if style and self._direct:  # a heading without packbuilder's heading styles
            jc, before, after = "center", 240, 120
            content += self._runs(block.runs, bold=True)
            style = None
        elif kind == "signature":
            before, keep_lines, tab = 360, True, width
            content += self._runs(block.runs) + "<w:r><w:rPr><w:b/></w:rPr><w:tab/></w:r>" + self._runs(block.right)
        else:
            if "right" in classes:
                jc, first = "right", 0
            elif "center" in classes:
                jc, first = "center", 0
            elif "left" in classes:
                jc, first = "left", 0
            content += self._runs(block.runs)
        ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") \
            + ("<w:keepLines/>" if keep_lines else "") \
            + ("<w:pageBreakBefore/>" if page_break else "") \
            + (f'<w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs>' if tab is not None else "")
        if before is not None or after is not None:
            ppr += "<w:spacing" + (f' w:before="{before}"' if before is not None else "") \
                + (f' w:after="{after}"' if after is not None else "") + "/>"
        if left is not None or first is not None:
            ppr += "<w:ind" + (f' w:left="{left}"' if left is not None else "") \
                + (f' w:firstLine="{first}"' if first is not None else "") + "/>"
        if jc:
            ppr += f'<w:jc w:val="{jc}"/>'
        return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{content}</w:p>"

    # tables --------------------------------------------------------------------------------
    def _table(self, block: Table, width: int) -> str:
        ncols = max(len(r) for r in block.rows)
        rel = block.widths or [1.0] * ncols
        total = sum(rel)
        widths = [int(width * _TWIPS_PER_EMU * w / total) for w in rel]  # EMU, as python-docx
        borders = ("<w:tblBorders>" + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                                              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
                   + "</w:tblBorders>") if self._direct else ""
        out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
               f'<w:jc w:val="center"/>{borders}<w:tblLayout w:type="fixed"/>'
               '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0"'
               ' w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{w // _TWIPS_PER_EMU}"/>' for w in widths]
        out.append("</w:tblGrid>")
        cell_w = [int(round(w / _TWIPS_PER_EMU)) for w in widths]
        for r, cells in enumerate(block.rows):
            header = r < block.header_rows
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if header else ''}</w:trPr>")
            for c in range(ncols):
                runs = cells[c] if c < len(cells) else []
                text = "".join(x.text for x in runs)
                center = header or (text.isdigit() and len(text) <= 4)
                ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
                content = self._runs(runs, size=TABLE_PT, bold=header)
                para = f"<w:p>{ppr}{content}</w:p>" if (ppr or content) else "<w:p/>"
                out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{cell_w[c]}"/></w:tcPr>{para}</w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


def _twips(length) -> int:
    return int(round(length / _TWIPS_PER_EMU))
