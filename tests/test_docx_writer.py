"""DocxWriter composes the builders of the XML layer (packbuilder/write/docx.py), and Word
templates get the change sheet appended with it (packbuilder/write/word_template.py)."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import zipfile

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from lxml import etree

from packbuilder.render.layout import Break, Paragraph, Run, Table
from packbuilder.write import oxml
from packbuilder.write.docx import DocxWriter
from packbuilder.write.package import read_parts
from packbuilder.write.word_template import write_docx

W = oxml.qn


def test_the_body_declares_no_namespace_of_its_own():
    text = DocxWriter("ru").document_xml([Paragraph("body", [Run("a & b")])])
    assert text.count('xmlns:w="') == 1
    assert "<w:t>a &amp; b</w:t>" in text


def test_a_landscape_section_break_ends_the_first_section_with_the_header():
    root = DocxWriter("kk").document([Paragraph("body", [Run("a")]), Break("landscape"), Paragraph("body", [Run("b")])])
    body = root[0]
    first, last = body[1].find(f"{W('w:pPr')}/{W('w:sectPr')}"), body[-1]
    assert first.find(W("w:headerReference")) is not None and first.find(W("w:titlePg")) is not None
    assert last.find(W("w:pgSz")).get(W("w:orient")) == "landscape"
    assert last.find(W("w:headerReference")) is None


def test_a_document_ending_with_a_table_gets_an_empty_paragraph_before_the_section_mark():
    body = DocxWriter("ru").document([Table([[[Run("a")]]])])[0]
    assert [etree.QName(el).localname for el in body] == ["tbl", "p", "sectPr"]
    assert len(body[1]) == 0


def _template(landscape: bool) -> list[tuple[str, bytes]]:
    doc = docx.Document()
    doc.add_paragraph("Template text")
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # python-docx's default is Letter
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    buf = io.BytesIO()
    doc.save(buf)
    return read_parts(buf.getvalue())


def _appended(tmp_path, landscape: bool) -> etree._Element:
    path = tmp_path / "t.docx"
    sheet = [Break("page"), Paragraph("heading", [Run("Лист изменений")]), Table([[[Run("№")], [Run("Текст")]]])]
    write_docx(_template(landscape), path, "ru", dt.date(2026, 1, 15), sheet)
    with zipfile.ZipFile(path) as z:
        return oxml.parse(z.read("word/document.xml"))[0]


def test_the_change_sheet_goes_before_the_template_s_section_properties(tmp_path):
    body = _appended(tmp_path, landscape=False)
    assert [etree.QName(el).localname for el in body][-4:] == ["p", "p", "tbl", "sectPr"]
    assert body[-3].find(f"{W('w:pPr')}/{W('w:pageBreakBefore')}") is not None


def test_the_change_sheet_is_formatted_directly(tmp_path):
    heading = _appended(tmp_path, landscape=False)[-3]
    assert heading.find(f"{W('w:pPr')}/{W('w:pStyle')}") is None
    assert heading.find(f"{W('w:r')}/{W('w:rPr')}/{W('w:rFonts')}").get(W("w:ascii")) == "Times New Roman"


def test_the_change_sheet_is_as_wide_as_the_template_s_last_section(tmp_path):
    def grid(landscape):
        tbl = _appended(tmp_path, landscape)[-2]
        return sum(int(c.get(W("w:w"))) for c in tbl.iter(W("w:gridCol")))
    assert grid(False) in (11906 - 2 * 1134 - 1, 11906 - 2 * 1134)  # A4 less 20 mm margins, rounded down
    assert grid(True) in (16838 - 2 * 1134 - 1, 16838 - 2 * 1134)


def test_a_document_holds_only_the_parts_it_needs_and_every_reference_resolves(tmp_path):
    path = tmp_path / "a.docx"
    DocxWriter("kk").write([Paragraph("title", [Run("Тақырып")]), Paragraph("body", [Run("Мәтін")])], path, "Т",
                           dt.date(2026, 1, 15))
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        parts = {n: z.read(n) for n in names}
    assert "word/stylesWithEffects.xml" not in names
    assert not any(n.startswith("customXml/") or n.endswith(".jpeg") for n in names)
    assert {"word/document.xml", "word/styles.xml", "word/header1.xml", "docProps/core.xml"} <= names
    rels_ns = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    for name in (n for n in names if n.endswith(".rels")):
        folder = name.rsplit("_rels/", 1)[0]
        for rel in etree.fromstring(parts[name]).iter(f"{rels_ns}Relationship"):
            assert "stylesWithEffects" not in rel.get("Type")
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target")))
            assert target in names, (name, rel.get("Target"))
    types = etree.fromstring(parts["[Content_Types].xml"])
    ct_ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    overrides = {el.get("PartName").lstrip("/") for el in types.iter(f"{ct_ns}Override")}
    defaults = {el.get("Extension") for el in types.iter(f"{ct_ns}Default")}
    assert overrides <= names
    assert defaults == {"rels", "xml"}
    assert all(n in overrides or n.rsplit(".", 1)[1] in defaults for n in names if n != "[Content_Types].xml")
    assert [p.text for p in docx.Document(str(path)).paragraphs] == ["Тақырып", "Мәтін"]
