"""The XML layer of the write stage: WordprocessingML and core properties as lxml elements.

Everything that turns values into XML is here, and nothing else is:

- names: the namespaces (:data:`NSMAP`) and qualified names (:func:`qn`, ``"w:p"`` → Clark
  notation);
- text: :func:`clean`, the one function every text goes through, drops the characters XML
  cannot hold; lxml escapes ``&``, ``<``, ``>`` (and ``"`` in attributes) when serializing;
- lengths: :func:`twips`, the one conversion from EMU (python-docx's
  :class:`~docx.shared.Length`) to the twips (twentieths of a point) WordprocessingML counts in;
- parts: :func:`parse` and :func:`serialize` (python-docx's form: ``<?xml version='1.0'
  encoding='UTF-8' standalone='yes'?>`` and a newline before the root);
- builders: each appends one element to a parent and returns it: :func:`paragraph`,
  :func:`runs` (text with tabs and line breaks), :func:`page_break`, :func:`table`,
  :func:`row`, :func:`cell`, :func:`section_properties`, :func:`section_break`; and
  :func:`read_page`, the page of a section read back;
- core properties: :class:`CoreProperties`, the one ``docProps/core.xml`` writer
  :func:`core_properties_xml`, :func:`read_core_properties` and :func:`fixed_core_times`.

The builders take formatting as values (:mod:`packbuilder.write.formats`) and keep a
prototype element for each distinct value (``pPr``, ``rPr``, ``tblPr`` …) and for each
distinct shape of paragraph, cell and table row (formats, widths, which runs keep their
spaces): a new element is a copy of its prototype with its texts filled in, one lxml call
where building it would take one per element. Appended under a document's root, the
elements use its namespace prefixes and declare none of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

from docx.oxml.simpletypes import ST_SignedTwipsMeasure, ST_TwipsMeasure
from docx.shared import Length
from lxml import etree

from packbuilder.write.formats import Page, ParagraphFormat, RunFormat, TableFormat

# names ---------------------------------------------------------------------------------------
NSMAP = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def qn(tag: str) -> str:
    """The Clark-notation name of a prefixed name: ``qn("w:p")`` is
    ``{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p``. Raises KeyError for
    a prefix not in :data:`NSMAP`."""
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


_W_NSMAP = {"w": NSMAP["w"]}
_P, _PPR, _T, _TAB, _BR, _TBL = (qn(f"w:{x}") for x in ("p", "pPr", "t", "tab", "br", "tbl"))
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
NB_HYPHEN = "\u2011"
"""A hyphen where no line may break («02‑02‑17/4‑1»): written as Word's ``w:noBreakHyphen``,
which Word and LibreOffice draw with the run's own font (the character U+2011 itself is
missing from Times New Roman's metric twin Liberation Serif and would fall back to another
font); read back as «-»."""
_XML_SPACE = qn("xml:space")

# text ----------------------------------------------------------------------------------------
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML cannot hold (control characters other than tab,
    line feed and carriage return, lone surrogates, U+FFFE, U+FFFF); they are dropped.
    Every text written by this module goes through it."""
    return _ILLEGAL_XML.sub("", text)


# lengths -------------------------------------------------------------------------------------
EMU_PER_TWIP = 635


def twips(length: int, down: bool = False) -> int:
    """``length`` (EMU) in whole twips, rounded to the nearest (``down``: rounded down, as
    the table grid is). Every length this module writes goes through it."""
    if down:
        return int(length) // EMU_PER_TWIP
    return int(round(length / EMU_PER_TWIP))


def half_points(points: int) -> int:
    """A font size in points as WordprocessingML's ``w:sz`` value (half-points)."""
    return points * 2


# parts ---------------------------------------------------------------------------------------
_PARSER = etree.XMLParser(resolve_entities=False)


def parse(xml: bytes) -> etree._Element:
    """The root element of the XML part ``xml``; whitespace is kept, entities are not
    resolved. Raises lxml.etree.XMLSyntaxError for XML that is not well-formed."""
    return etree.fromstring(xml, _PARSER)


def serialize(root: etree._Element) -> bytes:
    """The bytes of an XML part whose root is ``root``, as python-docx writes them:
    ``<?xml version='1.0' encoding='UTF-8' standalone='yes'?>``, a newline, the root."""
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _attrs(attrs: dict[str, str] | None) -> dict[str, str]:
    """Attributes with prefixed names (``{"w:val": "center"}``) in Clark notation, their
    values cleaned."""
    return {qn(k): clean(v) for k, v in (attrs or {}).items()}


def _el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A new element ``tag`` (prefixed: ``"w:p"``) with ``attrs`` and ``children``, declaring
    the ``w`` namespace: a prototype, or the root of a builder's own tree."""
    el = etree.Element(qn(tag), _attrs(attrs), nsmap=_W_NSMAP)
    el.extend(children)
    return el


def _sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
    """A new element ``tag`` (prefixed) with ``attrs`` appended to ``parent``."""
    return etree.SubElement(parent, qn(tag), _attrs(attrs))


# runs ----------------------------------------------------------------------------------------
_RPR_PROTOS: dict[RunFormat, etree._Element | None] = {}


def run_properties(fmt: RunFormat) -> etree._Element | None:
    """The ``w:rPr`` prototype of ``fmt`` (None when it sets nothing): ``w:rFonts`` for all
    four scripts, ``w:b``, ``w:i``, ``w:sz`` (half-points), ``w:u`` (single). Do not change
    it: copy it."""
    try:
        return _RPR_PROTOS[fmt]
    except KeyError:
        pass
    rpr = _el("w:rPr")
    if fmt.font:
        _sub(rpr, "w:rFonts", {"w:ascii": fmt.font, "w:hAnsi": fmt.font, "w:cs": fmt.font, "w:eastAsia": fmt.font})
    if fmt.bold:
        _sub(rpr, "w:b")
    if fmt.italic:
        _sub(rpr, "w:i")
    if fmt.size is not None:
        _sub(rpr, "w:sz", {"w:val": str(half_points(fmt.size))})
    if fmt.underline:  # after w:sz: the schema's order
        _sub(rpr, "w:u", {"w:val": "single"})
    _RPR_PROTOS[fmt] = rpr if len(rpr) else None
    return _RPR_PROTOS[fmt]


Runs = Sequence[tuple[str, RunFormat]]
"""The runs of a paragraph: (text, format) pairs, each written by :func:`runs`."""

_RUN_PROTOS: dict[tuple[RunFormat, int], etree._Element] = {}
_EMPTY, _TEXT, _SPACED_TEXT = 0, 1, 2
_PROTOS_KEPT = 4096
"""At most this many prototypes of paragraphs, cells or rows are kept: a long-running
process starts afresh when there are more."""


def _run_proto(fmt: RunFormat, content: int) -> etree._Element:
    """The run prototype of ``fmt`` holding nothing, a ``w:t``, or a ``w:t`` whose spaces
    are kept (``content``)."""
    try:
        return _RUN_PROTOS[fmt, content]
    except KeyError:
        rpr = run_properties(fmt)
        proto = _el("w:r", None, *([rpr.__copy__()] if rpr is not None else []))
        if content:
            t = _sub(proto, "w:t")
            if content == _SPACED_TEXT:
                t.set(_XML_SPACE, "preserve")
        _RUN_PROTOS[fmt, content] = proto
        return proto


def runs(parent: etree._Element, text: str, fmt: RunFormat) -> None:
    """Append ``text`` (cleaned, :func:`clean`) formatted ``fmt`` to the paragraph
    ``parent`` as runs (``w:r``): one run per line, each but the last ending with a line
    break (``w:br``); within a line a tab is a ``w:tab``, a :data:`NB_HYPHEN` a
    ``w:noBreakHyphen``, the text between them a ``w:t``
    (``xml:space="preserve"`` when it starts or ends with white space). An empty ``text``
    gives one empty run."""
    lines = clean(text).split("\n")
    last = len(lines) - 1
    for i, line in enumerate(lines):
        r = _run_proto(fmt, _EMPTY).__copy__()
        for j, piece in enumerate(line.split("\t")):
            if j:
                etree.SubElement(r, _TAB)
            for k, part in enumerate(piece.split(NB_HYPHEN)):
                if k:
                    etree.SubElement(r, _NO_BREAK_HYPHEN)
                if part:
                    t = etree.SubElement(r, _T)
                    if part.strip() != part:
                        t.set(_XML_SPACE, "preserve")
                    t.text = part
        if i < last:
            etree.SubElement(r, _BR)
        parent.append(r)


def _plain(content: Runs) -> tuple[list[str], tuple] | None:
    """The cleaned texts of ``content`` and its shape (format, spaces kept, of each run)
    when each run is one ``w:t`` (text without tab or line break); None otherwise."""
    texts, shape = [], []
    for text, fmt in content:
        if not text.isprintable():  # printable text has nothing clean() drops: most texts
            text = clean(text)
            if "\n" in text or "\t" in text:
                return None
        if NB_HYPHEN in text:
            return None
        if not text:
            return None
        texts.append(text)
        shape.append((fmt, _SPACED_TEXT if text.strip() != text else _TEXT))
    return texts, tuple(shape)


def _copy(protos: dict, key, build, texts: list[str]) -> etree._Element:
    """A copy of the prototype ``protos[key]`` (made by ``build(key)`` when missing), its
    ``w:t`` elements in document order given ``texts``."""
    entry = protos.get(key)
    if entry is None:
        if len(protos) >= _PROTOS_KEPT:
            protos.clear()
        proto = build(key)
        entry = protos[key] = (proto, _text_paths(proto))
    proto, paths = entry
    el = proto.__copy__()
    for path, text in zip(paths, texts):
        node = el
        for i in path:
            node = node[i]
        node.text = text
    return el


def _text_paths(el: etree._Element) -> tuple[tuple[int, ...], ...]:
    """Where the ``w:t`` elements of ``el`` are, in document order: the child indexes that
    lead from ``el`` to each (indexing is quicker than searching)."""
    paths = []
    for t in el.iter(_T):
        path = []
        while t is not el:  # lxml gives the same proxy for an element while one is alive
            parent = t.getparent()
            path.append(parent.index(t))
            t = parent
        paths.append(tuple(reversed(path)))
    return tuple(paths)


# paragraphs ----------------------------------------------------------------------------------
_PPR_PROTOS: dict[ParagraphFormat, etree._Element | None] = {}


def paragraph_properties(fmt: ParagraphFormat) -> etree._Element | None:
    """The ``w:pPr`` prototype of ``fmt`` (None when it sets nothing): ``w:pStyle``,
    ``w:keepNext``, ``w:keepLines``, ``w:pageBreakBefore``, ``w:tabs``, ``w:spacing``, ``w:ind``, ``w:jc`` in
    the schema's order, lengths in twips. ``fmt.run`` is not part of it. Do not change it:
    copy it."""
    try:
        return _PPR_PROTOS[fmt]
    except KeyError:
        pass
    ppr = _el("w:pPr")
    if fmt.style:
        _sub(ppr, "w:pStyle", {"w:val": fmt.style})
    if fmt.keep_next:
        _sub(ppr, "w:keepNext")
    if fmt.keep_lines:
        _sub(ppr, "w:keepLines")
    if fmt.page_break_before:
        _sub(ppr, "w:pageBreakBefore")
    if fmt.tab_stop is not None:
        _sub(_sub(ppr, "w:tabs"), "w:tab", {"w:val": "right", "w:pos": str(twips(fmt.tab_stop))})
    spacing = {k: str(twips(v)) for k, v in (("w:before", fmt.space_before), ("w:after", fmt.space_after))
               if v is not None}
    if spacing:
        _sub(ppr, "w:spacing", spacing)
    ind = {k: str(twips(v)) for k, v in (("w:left", fmt.left_indent), ("w:firstLine", fmt.first_line_indent))
           if v is not None}
    if ind:
        _sub(ppr, "w:ind", ind)
    if fmt.alignment:
        _sub(ppr, "w:jc", {"w:val": fmt.alignment})
    _PPR_PROTOS[fmt] = ppr if len(ppr) else None
    return _PPR_PROTOS[fmt]


_P_PROTOS: dict = {}


def _paragraph_proto(key: tuple[ParagraphFormat, tuple]) -> etree._Element:
    fmt, shape = key
    ppr = paragraph_properties(fmt)
    p = _el("w:p", None, *([ppr.__copy__()] if ppr is not None else []))
    for run_fmt, content in shape:
        p.append(_run_proto(run_fmt, content).__copy__())
    return p


def paragraph(parent: etree._Element, fmt: ParagraphFormat, content: Runs = ()) -> etree._Element:
    """Append a paragraph (``w:p``) formatted ``fmt`` holding the runs ``content`` (see
    :func:`runs`) to ``parent`` (a body or a cell) and return it."""
    plain = _plain(content)
    if plain is not None:
        p = _copy(_P_PROTOS, (fmt, plain[1]), _paragraph_proto, plain[0])
        parent.append(p)
        return p
    p = _copy(_P_PROTOS, (fmt, ()), _paragraph_proto, [])
    parent.append(p)
    for text, run_fmt in content:
        runs(p, text, run_fmt)
    return p


_PAGE_BREAK = _el("w:p", None, _el("w:r", None, _el("w:br", {"w:type": "page"})))


def page_break(parent: etree._Element) -> etree._Element:
    """Append a paragraph holding only a page break (``<w:br w:type="page"/>``) to
    ``parent`` and return it."""
    p = _PAGE_BREAK.__copy__()
    parent.append(p)
    return p


# tables --------------------------------------------------------------------------------------
_BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")
_TBLPR_PROTOS: dict[bool, etree._Element] = {}


def _table_properties(borders: bool) -> etree._Element:
    tblpr = _TBLPR_PROTOS.get(borders)
    if tblpr is None:
        tblpr = _el("w:tblPr")
        _sub(tblpr, "w:tblStyle", {"w:val": "TableGrid"})
        _sub(tblpr, "w:tblW", {"w:type": "auto", "w:w": "0"})
        _sub(tblpr, "w:jc", {"w:val": "center"})
        if borders:
            box = _sub(tblpr, "w:tblBorders")
            for side in _BORDERS:
                _sub(box, f"w:{side}", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "auto"})
        _sub(tblpr, "w:tblLayout", {"w:type": "fixed"})
        _sub(tblpr, "w:tblLook", {"w:firstColumn": "1", "w:firstRow": "1", "w:lastColumn": "0", "w:lastRow": "0",
                                  "w:noHBand": "0", "w:noVBand": "1", "w:val": "04A0"})
        _TBLPR_PROTOS[borders] = tblpr
    return tblpr


def table(parent: etree._Element, fmt: TableFormat) -> etree._Element:
    """Append a table (``w:tbl``) to ``parent`` and return it, with its properties (the
    TableGrid style, centred, fixed layout, ``fmt.borders`` written on it when set) and its
    grid: one ``w:gridCol`` per column of ``fmt.columns``, rounded down to whole twips. Its
    rows are added with :func:`row`."""
    tbl = etree.SubElement(parent, _TBL)
    tbl.append(_table_properties(fmt.borders).__copy__())
    grid = _sub(tbl, "w:tblGrid")
    for width in fmt.columns:
        _sub(grid, "w:gridCol", {"w:w": str(twips(width, down=True))})
    return tbl


Cell = tuple[Length, ParagraphFormat, Runs]
"""A table cell: its width (EMU), the format of its paragraph and the paragraph's runs."""

_CELL_PROTOS: dict = {}


def _cell_proto(key: tuple[Length, ParagraphFormat, tuple]) -> etree._Element:
    width, fmt, shape = key
    tc = _el("w:tc", None, _el("w:tcPr", None, _el("w:tcW", {"w:type": "dxa", "w:w": str(twips(width))})))
    tc.append(_paragraph_proto((fmt, shape)))
    return tc


def cell(tr: etree._Element, width: Length, fmt: ParagraphFormat, content: Runs = ()) -> etree._Element:
    """Append a cell (``w:tc``) ``width`` (EMU) wide to the row ``tr`` and return it; it holds
    one paragraph (a cell needs one) formatted ``fmt`` with the runs ``content``."""
    plain = _plain(content)
    if plain is not None:
        tc = _copy(_CELL_PROTOS, (width, fmt, plain[1]), _cell_proto, plain[0])
        tr.append(tc)
        return tc
    tc = _copy(_CELL_PROTOS, (width, fmt, ()), _cell_proto, [])
    tr.append(tc)
    p = tc[1]
    for text, run_fmt in content:
        runs(p, text, run_fmt)
    return tc


_ROW_PROTOS: dict = {}


def _row_proto(key: tuple[bool, tuple, bool]) -> etree._Element:
    header, cells, whole = key
    tr = _el("w:tr", None, _el("w:trPr", None, *([_el("w:cantSplit")] if whole else []),
                                *([_el("w:tblHeader")] if header else [])))
    for cell_key in cells:
        tr.append(_cell_proto(cell_key))
    return tr


def row(tbl: etree._Element, header: bool = False, cells: Sequence[Cell] = (), whole: bool = True) -> etree._Element:
    """Append a row (``w:tr``) of ``cells`` (see :func:`cell`) to the table ``tbl`` and
    return it: a ``whole`` row does not split across pages; a ``header`` row repeats on
    every page."""
    texts, shape = [], []
    for width, fmt, content in cells:
        plain = _plain(content)
        if plain is None:
            break
        texts += plain[0]
        shape.append((width, fmt, plain[1]))
    else:
        tr = _copy(_ROW_PROTOS, (header, tuple(shape), whole), _row_proto, texts)
        tbl.append(tr)
        return tr
    tr = _copy(_ROW_PROTOS, (header, (), whole), _row_proto, [])
    tbl.append(tr)
    for width, fmt, content in cells:
        cell(tr, width, fmt, content)
    return tr


# sections ------------------------------------------------------------------------------------
def section_properties(parent: etree._Element, page: Page, header: str | None = None,
                       title_page: bool = False) -> etree._Element:
    """Append section properties (``w:sectPr``) to ``parent`` (the body, for its last
    section, or a paragraph's ``w:pPr``) and return them: ``page``'s size (with
    ``w:orient="landscape"`` when it is) and margins in twips, one column, the default
    header ``header`` (a relationship id; None: none of its own), and ``title_page``: the
    first page has its own (empty) header."""
    sect = _sub(parent, "w:sectPr")
    if header is not None:
        _sub(sect, "w:headerReference", {"w:type": "default", "r:id": header})
    size = {"w:w": str(twips(page.width)), "w:h": str(twips(page.height))}
    if page.landscape:
        size["w:orient"] = "landscape"
    _sub(sect, "w:pgSz", size)
    _sub(sect, "w:pgMar", {f"w:{side}": str(twips(getattr(page, side)))
                           for side in ("top", "right", "bottom", "left", "header", "footer")} | {"w:gutter": "0"})
    _sub(sect, "w:cols", {"w:space": "720"})
    if title_page:
        _sub(sect, "w:titlePg")
    _sub(sect, "w:docGrid", {"w:linePitch": "360"})
    return sect


def section_break(parent: etree._Element, page: Page, header: str | None = None,
                  title_page: bool = False) -> etree._Element:
    """Append the empty paragraph that ends a section (its ``w:pPr`` holds the section's
    properties, see :func:`section_properties`) to ``parent`` and return it."""
    p = etree.SubElement(parent, _P)
    section_properties(etree.SubElement(p, _PPR), page, header, title_page)
    return p


def read_page(sect_pr: etree._Element | None, default: Page) -> Page:
    """The page of the section whose properties are ``sect_pr`` (a ``w:sectPr``): its
    ``w:pgSz`` and ``w:pgMar`` in EMU, landscape when ``w:orient`` says so. A size or margin
    the section does not give, or gives in a form that cannot be read, is ``default``'s;
    ``sect_pr`` None gives ``default``."""
    if sect_pr is None:
        return default
    size = sect_pr.find(qn("w:pgSz"))
    margins = sect_pr.find(qn("w:pgMar"))
    values = {}
    for el, name, attr, kind in (
            (size, "width", "w:w", ST_TwipsMeasure), (size, "height", "w:h", ST_TwipsMeasure),
            (margins, "top", "w:top", ST_SignedTwipsMeasure), (margins, "right", "w:right", ST_TwipsMeasure),
            (margins, "bottom", "w:bottom", ST_SignedTwipsMeasure), (margins, "left", "w:left", ST_TwipsMeasure),
            (margins, "header", "w:header", ST_TwipsMeasure), (margins, "footer", "w:footer", ST_TwipsMeasure)):
        text = el.get(qn(attr)) if el is not None else None
        if text is not None:
            try:
                values[name] = Length(kind.convert_from_xml(text))
            except (ValueError, TypeError):
                pass
    if size is not None and size.get(qn("w:orient")) is not None:
        values["landscape"] = size.get(qn("w:orient")) == "landscape"
    return replace(default, **values)


# core properties -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CoreProperties:
    """The document properties of ``docProps/core.xml`` (OPC core properties). None: the
    property is left out; "" is written as an empty element. ``created``, ``modified``: a
    date is written as its midnight UTC, a string (a W3CDTF time read from a file) as it is.
    The fields are in the order they are written."""

    title: str | None = None
    subject: str | None = None
    creator: str | None = None
    keywords: str | None = None
    description: str | None = None
    last_modified_by: str | None = None
    revision: str | None = None
    last_printed: str | None = None
    created: dt.date | str | None = None
    modified: dt.date | str | None = None
    category: str | None = None
    content_status: str | None = None
    identifier: str | None = None
    language: str | None = None
    version: str | None = None


_CORE_NAMES = {
    "title": "dc:title", "subject": "dc:subject", "creator": "dc:creator", "keywords": "cp:keywords",
    "description": "dc:description", "last_modified_by": "cp:lastModifiedBy", "revision": "cp:revision",
    "last_printed": "cp:lastPrinted", "created": "dcterms:created", "modified": "dcterms:modified",
    "category": "cp:category", "content_status": "cp:contentStatus", "identifier": "dc:identifier",
    "language": "dc:language", "version": "cp:version",
}
_CORE_NSMAP = {k: NSMAP[k] for k in ("cp", "dc", "dcterms", "dcmitype", "xsi")}
_CORE_FIELDS = [f.name for f in fields(CoreProperties)]


def _w3cdtf(value: dt.date | str) -> str:
    return value if isinstance(value, str) else value.strftime("%Y-%m-%dT00:00:00Z")


def core_properties_xml(props: CoreProperties) -> bytes:
    """The ``docProps/core.xml`` part of ``props``: the one writer of core properties, for
    the docx documents, the xlsx workbooks and the rendered Word templates."""
    root = etree.Element(qn("cp:coreProperties"), nsmap=_CORE_NSMAP)
    for name in _CORE_FIELDS:
        value = getattr(props, name)
        if value is None:
            continue
        el = etree.SubElement(root, qn(_CORE_NAMES[name]))
        if name in ("created", "modified"):
            el.set(qn("xsi:type"), "dcterms:W3CDTF")
            value = _w3cdtf(value)
        el.text = clean(value) or None
    return serialize(root)


def read_core_properties(xml: bytes) -> CoreProperties:
    """The core properties in the ``docProps/core.xml`` part ``xml``, each as its text
    ("" for an empty element, None for a missing one). Elements the OPC schema does not
    define are not read. Raises lxml.etree.XMLSyntaxError for XML that is not well-formed."""
    root = parse(xml)
    values = {}
    for name, tag in _CORE_NAMES.items():
        el = root.find(qn(tag))
        if el is not None:
            values[name] = el.text or ""
    return CoreProperties(**values)


def fixed_core_times(core_xml: bytes, stamp: dt.date) -> bytes:
    """The ``docProps/core.xml`` part ``core_xml`` rewritten by :func:`core_properties_xml`
    with its created and modified times set to ``stamp`` (midnight UTC), its other
    properties kept."""
    return core_properties_xml(replace(read_core_properties(core_xml), created=stamp, modified=stamp))
