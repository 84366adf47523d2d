"""Layout blocks → an official-looking .docx.

Two steps, each on its own layer, as python-docx separates its XML layer from its objects:

- the styled base package (styles, fonts, the page-number header, A4 with packbuilder's
  margins) is prepared once per process and language with python-docx's objects
  (:func:`_styled_document`), saved, and kept in memory as its parts (:class:`_Base`);
- each document is then written from it directly: :class:`DocxWriter` decides what each
  block gets (:mod:`packbuilder.write.formats`), composes the builders of
  :mod:`packbuilder.write.oxml` into a new body under the base's document root, and zips
  the package once, with fixed entry times. That skips python-docx's object layer, which
  took most of the time of a build (benchmarks/batch_benchmark.py measures it).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from lxml import etree

from packbuilder.render.layout import Block, Break, Paragraph, Run, Table
from packbuilder.write import oxml
from packbuilder.write.formats import (  # noqa: F401  (FONT … APPROVAL_WIDTH: this module's names before formats.py)
    APPROVAL_WIDTH,
    BODY_PT,
    FONT,
    INDENT,
    KEPT_ROWS,
    LABEL,
    LANG_TAGS,
    PAGE,
    SIGNATURE_TAB,
    TABLE_PT,
    UNSPLIT_KEPT_LINES,
    UNSPLIT_LINES,
    Page,
    ParagraphFormat,
    RunFormat,
    cell_format,
    column_minimums,
    keep_together,
    paragraph_format,
    row_lines,
    run_format,
    table_format,
)
from packbuilder.write.package import Part, prepare, read_parts, write_package


def _set_fonts(rpr_owner, size: int, lang: str | None = None) -> None:
    """Set the python-docx style or run ``rpr_owner`` to FONT ``size`` points for all scripts,
    and its language to ``lang``'s when given."""
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
    """Set the python-docx ``section`` to packbuilder's page (:data:`formats.PAGE`), turned
    ``landscape`` or not."""
    page = PAGE.turned(landscape)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = page.width, page.height
    for side in ("left", "right", "top", "bottom"):
        setattr(section, f"{side}_margin", getattr(page, side))
    section.header_distance = page.header
    section.footer_distance = page.footer


def _page_number_header(section, first_section: bool) -> None:
    """Give the python-docx ``section`` a header with the page number centred (none on the
    first page when ``first_section``)."""
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
    """A prepared package of one language: its parts in zip order, deflated once, its
    document root with an empty body (copied, never changed), the relationship id of the
    page-number header and the page of its (only) section, portrait."""

    parts: tuple[Part, ...]
    document: etree._Element
    header_rid: str
    page: Page


_BASES: dict[str, _Base] = {}

UNUSED_PARTS = ("word/stylesWithEffects.xml", "customXml/item1.xml", "customXml/_rels/item1.xml.rels",
                "customXml/itemProps1.xml", "docProps/thumbnail.jpeg")
"""The parts of python-docx's default document that packbuilder's documents do not need,
left out of the base with their relationships and content types: Word 2010's copy of the
styles (``stylesWithEffects.xml``, which Word reads only when ``styles.xml`` is missing and
writes anew when it saves), an empty bibliography (``customXml``) and the preview picture of
the template's blank page (``thumbnail.jpeg``)."""
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def without_unused(parts: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """``parts`` (name, bytes) of a package without :data:`UNUSED_PARTS`: the relationships
    that target them (in ``_rels/.rels`` and ``word/_rels/document.xml.rels``) and the
    content-type overrides naming them are removed too, and a default content type no part
    is left with (``jpeg``)."""
    gone = {name for name, _ in parts if name in UNUSED_PARTS}
    kept = [(name, data) for name, data in parts if name not in gone]
    names = {name for name, _ in kept}
    out = []
    for name, data in kept:
        if name.endswith(".rels"):
            root = oxml.parse(data)
            folder = name.rsplit("_rels/", 1)[0]
            for rel in root.findall(f"{_RELS_NS}Relationship"):
                if rel.get("TargetMode") != "External" and _resolve(folder, rel.get("Target")) in gone:
                    root.remove(rel)
            data = oxml.serialize(root)
        elif name == "[Content_Types].xml":
            root = oxml.parse(data)
            for el in root.findall(f"{_TYPES_NS}Override"):
                if el.get("PartName").lstrip("/") in gone:
                    root.remove(el)
            for el in root.findall(f"{_TYPES_NS}Default"):
                if not any(n.lower().endswith("." + el.get("Extension").lower()) for n in names):
                    root.remove(el)
            data = oxml.serialize(root)
        out.append((name, data))
    return out


def _resolve(folder: str, target: str) -> str:
    """The part name a relationship ``target`` of a part in ``folder`` (``word/``, or ""
    for the package) points to: ``../customXml/item1.xml`` from ``word/`` is
    ``customXml/item1.xml``."""
    if target.startswith("/"):
        return target.lstrip("/")
    path: list[str] = [x for x in folder.split("/") if x]
    for piece in target.split("/"):
        if piece == "..":
            path = path[:-1]
        elif piece not in ("", "."):
            path.append(piece)
    return "/".join(path)


def _base(lang: str) -> _Base:
    """The prepared base of ``lang``, built on first use and kept for the process."""
    base = _BASES.get(lang)
    if base is None:
        buf = io.BytesIO()
        _styled_document(lang).save(buf)
        parts = tuple(prepare(name, data) for name, data in without_unused(read_parts(buf.getvalue())))
        root = oxml.parse(next(p.data for p in parts if p.name == "word/document.xml"))
        body = root.find(oxml.qn("w:body"))
        sect = body.find(oxml.qn("w:sectPr"))
        header = sect.find(oxml.qn("w:headerReference"))
        page = oxml.read_page(sect, PAGE)  # as python-docx wrote it: in whole twips
        body.clear()
        base = _Base(parts=parts, document=root, header_rid=header.get(oxml.qn("r:id")), page=page)
        _BASES[lang] = base
    return base


class DocxWriter:
    """Writes the documents of one language: ``write(blocks, path, title, created)``.

    ``created`` (a date) is stored as the document's creation and modification time, so the
    same input gives the same file. The base package is prepared on first use in a process
    and shared by every writer of the language.
    """

    def __init__(self, lang: str):
        self.lang = lang
        self.base = _base(lang)

    def document(self, blocks: list[Block]) -> etree._Element:
        """The root (``w:document``) of the ``word/document.xml`` of ``blocks``: a new section
        for each landscape/portrait break (a first such break sets the first section's
        orientation), a page break before the block after a ``page`` break. The first section
        has the page-number header, not shown on its first page."""
        base = self.base
        landscape = bool(blocks) and isinstance(blocks[0], Break) and blocks[0].kind == "landscape"
        if blocks and isinstance(blocks[0], Break) and blocks[0].kind in ("landscape", "portrait"):
            blocks = blocks[1:]
        root = base.document.__copy__()
        body = root[0]
        page = base.page.turned(landscape)
        width = page.text_width
        first_section = True
        pending_break = False
        last_is_table = False
        keeps = keep_together(blocks)
        for index, block in enumerate(blocks):
            if isinstance(block, Break):
                if block.kind == "page":
                    pending_break = True
                else:
                    oxml.section_break(body, page, base.header_rid if first_section else None, first_section)
                    first_section = False
                    page = base.page.turned(block.kind == "landscape")
                    width = page.text_width
                    pending_break = False
                    last_is_table = False
                continue
            if isinstance(block, Table):
                if pending_break:
                    oxml.page_break(body)
                    pending_break = False
                _table(body, block, width, direct=False, keep_last=KEPT_ROWS if index in keeps.rows else 0)
                last_is_table = True
            else:
                _paragraph(body, block, width, pending_break, direct=False, keep_next=index in keeps.next,
                           whole=index in keeps.whole)
                pending_break = False
                last_is_table = False
        # a document must not end with a table directly before the section mark in Word
        if last_is_table:
            oxml.paragraph(body, _EMPTY)
        oxml.section_properties(body, page, base.header_rid if first_section else None, first_section)
        return root

    def document_xml(self, blocks: list[Block]) -> str:
        """The text of the ``word/document.xml`` part of ``blocks`` (see :meth:`document`)."""
        return oxml.serialize(self.document(blocks)).decode("utf-8")

    def append_blocks(self, body: etree._Element, blocks: list[Block], width: Length) -> None:
        """Append ``blocks`` laid out ``width`` (EMU) wide at the end of ``body``, the
        ``w:body`` of a document whose styles are not packbuilder's (a Word template's,
        :mod:`packbuilder.write.word_template`): every paragraph, run and table carries its
        formatting directly (fonts, sizes, heading alignment, borders; ``direct`` in
        :mod:`packbuilder.write.formats`); a landscape/portrait break becomes a page break.
        A ``w:sectPr`` ending ``body`` stays at its end."""
        sect = body[-1] if len(body) and body[-1].tag == oxml.qn("w:sectPr") else None
        if sect is not None:
            body.remove(sect)
        pending = False
        for block in blocks:
            if isinstance(block, Break):
                pending = True
            elif isinstance(block, Table):
                if pending:
                    oxml.page_break(body)
                    pending = False
                _table(body, block, width, direct=True)
            else:
                _paragraph(body, block, width, pending, direct=True)
                pending = False
        if sect is not None:
            body.append(sect)

    def write(self, blocks: list[Block], path: Path, title: str, created: dt.date) -> None:
        """Lay ``blocks`` out and save the document to ``path``, titled ``title``."""
        core = _core_part(title, created, self.lang)
        write_package(path, [core if p.name == core.name else p for p in self.base.parts],
                      {"word/document.xml": oxml.serialize(self.document(blocks))})


@functools.lru_cache(maxsize=256)
def _core_part(title: str, created: dt.date, lang: str) -> Part:
    """The ``docProps/core.xml`` of a document of ``lang`` titled ``title``, made and deflated
    once for the organizations of a batch that share the title and date."""
    props = oxml.CoreProperties(title=title, creator="packbuilder", last_modified_by="packbuilder",
                                revision="1", created=created, modified=created, language=LANG_TAGS[lang])
    return prepare("docProps/core.xml", oxml.core_properties_xml(props))


_EMPTY = ParagraphFormat()


def _paragraph(parent: etree._Element, block: Paragraph, width: Length, page_break: bool, direct: bool,
               keep_next: bool = False, whole: bool = False) -> None:
    """Append ``block`` on a text ``width`` (EMU) wide: a point's or item's label, then its
    runs; a signature's left runs, a tab, its right runs; ``keep_next`` keeps it on the page
    of the next block, ``whole`` keeps its lines on one page."""
    fmt = paragraph_format(block.kind, block.classes, width, page_break, direct, keep_next, whole)
    content = _runs(block.runs, fmt.run)
    if block.label and block.kind in ("point", "item"):
        content.insert(0, (block.label + " ", LABEL))
    if block.kind == "signature":
        content += [("\t", SIGNATURE_TAB)] + _runs(block.right, fmt.run)
    oxml.paragraph(parent, fmt, content)


def _runs(runs: list[Run], fmt: RunFormat) -> list[tuple[str, RunFormat]]:
    """The (text, format) pairs of ``runs`` in a paragraph whose runs get ``fmt``."""
    return [(r.text, run_format(fmt, r) if (r.bold or r.italic or r.underline) else fmt) for r in runs]


def _table(parent: etree._Element, block: Table, width: Length, direct: bool, keep_last: int = 0) -> None:
    """Append ``block`` on a text ``width`` (EMU) wide; a row shorter than the longest gets
    empty cells; its last ``keep_last`` rows stay on the page of the next block."""
    ncols = max(len(r) for r in block.rows)
    texts = block.text_rows()
    fmt = table_format(block.widths, ncols, width, direct, column_minimums(texts, block.header_rows))
    tbl = oxml.table(parent, fmt)
    columns = fmt.columns
    heights = [row_lines(texts[r], columns, r < block.header_rows) for r in range(len(block.rows))]
    kept_from = len(block.rows) - keep_last if keep_last else len(block.rows)
    while kept_from < len(block.rows) - 1 and sum(heights[kept_from:]) > UNSPLIT_KEPT_LINES:
        kept_from += 1  # tall last rows: only as many as fit on a page with the signature
    for r, cells in enumerate(block.rows):
        header = r < block.header_rows
        row = []
        for c in range(ncols):
            runs = cells[c] if c < len(cells) else ()
            cf = cell_format(runs[0].text if len(runs) == 1 else "".join([x.text for x in runs]), header, direct,
                             r >= kept_from)
            row.append((columns[c], cf, _runs(runs, cf.run)))
        oxml.row(tbl, header, row,
                 whole=header or heights[r] <= (UNSPLIT_KEPT_LINES if r >= kept_from else UNSPLIT_LINES))
