"""The XML layer of the write stage (packbuilder/write/oxml.py), one behaviour a test: each
builder's output is compared with a short expected XML, as python-docx's cxml tests do."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from docx.shared import Cm, Mm, Pt, Twips
from lxml import etree

from packbuilder.write import oxml
from packbuilder.write.formats import PAGE, Page, ParagraphFormat, RunFormat, TableFormat

DECLARATIONS = f'xmlns:w="{oxml.NSMAP["w"]}" xmlns:r="{oxml.NSMAP["r"]}"'


def body() -> etree._Element:
    """The ``w:body`` of a new document root declaring ``w`` and ``r``, as the base's does."""
    return etree.fromstring(f"<w:document {DECLARATIONS}><w:body/></w:document>")[0]


def xml(el: etree._Element) -> str:
    """``el`` serialized, without the namespace declarations lxml adds to a subtree."""
    return re.sub(r' xmlns:\w+="[^"]*"', "", etree.tostring(el, encoding="unicode"))


def expected(text: str) -> str:
    """``text`` (prefixed XML, one element) parsed and serialized like :func:`xml`."""
    return xml(etree.fromstring(f"<root {DECLARATIONS}>{text}</root>")[0])


def paragraph(*content: tuple[str, RunFormat], fmt: ParagraphFormat = ParagraphFormat()) -> str:
    return xml(oxml.paragraph(body(), fmt, content))


# names, text, lengths ------------------------------------------------------------------------
def test_qn_gives_the_clark_name():
    assert oxml.qn("w:p") == "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def test_qn_of_an_unknown_prefix_raises():
    with pytest.raises(KeyError, match="'x'"):
        oxml.qn("x:p")


def test_clean_drops_control_characters():
    assert oxml.clean("a\x00b\x0bc\x1fd\ufffe") == "abcd"


def test_clean_keeps_tab_line_feed_and_carriage_return():
    assert oxml.clean("a\tb\nc\rd") == "a\tb\nc\rd"


def test_clean_drops_lone_surrogates():
    assert oxml.clean("a\ud800b") == "ab"


def test_twips_rounds_to_the_nearest():
    assert oxml.twips(Cm(1.25)) == 709  # 708.66
    assert oxml.twips(Mm(15)) == 850  # 850.39


def test_twips_rounds_down_when_asked():
    assert oxml.twips(Cm(1.25), down=True) == 708


def test_half_points():
    assert oxml.half_points(12) == 24


# runs ----------------------------------------------------------------------------------------
def test_a_run_holds_its_text_in_a_w_t():
    assert paragraph(("Приказ", RunFormat())) == expected("<w:p><w:r><w:t>Приказ</w:t></w:r></w:p>")


def test_edge_spaces_get_xml_space_preserve():
    assert paragraph(("5. ", RunFormat())) == expected('<w:p><w:r><w:t xml:space="preserve">5. </w:t></w:r></w:p>')


def test_inner_spaces_need_no_xml_space():
    assert paragraph(("a b", RunFormat())) == expected("<w:p><w:r><w:t>a b</w:t></w:r></w:p>")


def test_a_tab_is_a_w_tab():
    assert paragraph(("a\tb", RunFormat())) == expected("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>")


def test_a_tab_alone_is_a_run_with_a_w_tab():
    assert paragraph(("\t", RunFormat(bold=True))) == expected("<w:p><w:r><w:rPr><w:b/></w:rPr><w:tab/></w:r></w:p>")


def test_a_line_feed_ends_the_run_with_a_w_br_and_starts_another():
    assert paragraph(("a\nb", RunFormat(bold=True))) == expected(
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>a</w:t><w:br/></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>b</w:t></w:r></w:p>")


def test_a_control_character_is_dropped():
    assert paragraph(("a\x01b", RunFormat())) == expected("<w:p><w:r><w:t>ab</w:t></w:r></w:p>")


def test_ampersand_and_angle_brackets_are_escaped():
    p = oxml.paragraph(body(), ParagraphFormat(), [('A & B <x> "q"', RunFormat())])
    assert b"<w:t>A &amp; B &lt;x&gt; \"q\"</w:t>" in etree.tostring(p)


def test_an_empty_text_is_an_empty_run():
    assert paragraph(("", RunFormat(italic=True))) == expected("<w:p><w:r><w:rPr><w:i/></w:rPr></w:r></w:p>")


def test_run_properties_in_schema_order_size_in_half_points():
    fmt = RunFormat(font="Times New Roman", size=12, bold=True, italic=True)
    assert xml(oxml.run_properties(fmt)) == expected(
        '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"'
        ' w:eastAsia="Times New Roman"/><w:b/><w:i/><w:sz w:val="24"/></w:rPr>')


def test_a_run_format_that_sets_nothing_has_no_run_properties():
    assert oxml.run_properties(RunFormat()) is None


def test_runs_appends_to_a_paragraph():
    p = oxml.paragraph(body(), ParagraphFormat())
    oxml.runs(p, "x", RunFormat(size=12))
    assert xml(p) == expected('<w:p><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t>x</w:t></w:r></w:p>')


# paragraphs ----------------------------------------------------------------------------------
def test_an_unformatted_empty_paragraph_is_an_empty_w_p():
    assert paragraph() == "<w:p/>"


def test_paragraph_properties_in_schema_order_lengths_in_twips():
    fmt = ParagraphFormat(style="Heading1", keep_lines=True, page_break_before=True, tab_stop=Twips(9355),
                          space_before=Pt(18), space_after=Pt(6), left_indent=Twips(4253),
                          first_line_indent=Cm(1.25), alignment="both")
    assert paragraph(fmt=fmt) == expected(
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:keepLines/><w:pageBreakBefore/>'
        '<w:tabs><w:tab w:val="right" w:pos="9355"/></w:tabs><w:spacing w:before="360" w:after="120"/>'
        '<w:ind w:left="4253" w:firstLine="709"/><w:jc w:val="both"/></w:pPr></w:p>')


def test_a_zero_indent_is_written():
    fmt = ParagraphFormat(first_line_indent=Cm(0), alignment="right")
    assert paragraph(fmt=fmt) == expected('<w:p><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="right"/></w:pPr></w:p>')


def test_the_run_format_of_a_paragraph_is_not_in_its_properties():
    assert paragraph(fmt=ParagraphFormat(run=RunFormat(bold=True))) == "<w:p/>"


def test_paragraphs_of_one_shape_get_their_own_texts():
    parent = body()
    for text in ("first", "second"):
        oxml.paragraph(parent, ParagraphFormat(alignment="center"), [(text, RunFormat())])
    assert [p.findtext(f"{oxml.qn('w:r')}/{oxml.qn('w:t')}") for p in parent] == ["first", "second"]


def test_a_paragraph_of_several_runs_keeps_their_order_and_formats():
    assert paragraph(("a ", RunFormat()), ("b", RunFormat(bold=True))) == expected(
        '<w:p><w:r><w:t xml:space="preserve">a </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>b</w:t></w:r></w:p>')


def test_built_under_a_root_the_elements_declare_no_namespace():
    parent = body()
    oxml.paragraph(parent, ParagraphFormat(alignment="center"), [("x", RunFormat(bold=True))])
    text = etree.tostring(parent.getparent(), encoding="unicode")
    assert text.count("xmlns:w=") == 1


def test_page_break_is_a_paragraph_with_a_page_w_br():
    assert xml(oxml.page_break(body())) == expected('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')


# tables --------------------------------------------------------------------------------------
def test_table_properties_and_a_grid_rounded_down_to_twips():
    tbl = oxml.table(body(), TableFormat((Twips(2338) + 600, Twips(100))))
    assert xml(tbl) == expected(
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0"'
        ' w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="2338"/><w:gridCol w:w="100"/></w:tblGrid></w:tbl>')


def test_table_borders_are_written_when_asked():
    tbl = oxml.table(body(), TableFormat((Twips(100),), borders=True))
    sides = tbl.find(f"{oxml.qn('w:tblPr')}/{oxml.qn('w:tblBorders')}")
    assert xml(sides[0]) == expected('<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>')
    assert [etree.QName(s).localname for s in sides] == ["top", "left", "bottom", "right", "insideH", "insideV"]


def test_a_row_does_not_split_across_pages():
    tbl = oxml.table(body(), TableFormat(()))
    assert xml(oxml.row(tbl)) == expected("<w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr>")


def test_a_header_row_repeats_on_every_page():
    tbl = oxml.table(body(), TableFormat(()))
    assert xml(oxml.row(tbl, header=True)) == expected("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr></w:tr>")


def test_a_cell_is_as_wide_as_asked_rounded_to_twips_and_holds_a_paragraph():
    tr = oxml.row(oxml.table(body(), TableFormat(())))
    tc = oxml.cell(tr, Twips(2338) + 600, ParagraphFormat(alignment="center"), [("12", RunFormat(size=12))])
    assert xml(tc) == expected(
        '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="2339"/></w:tcPr><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t>12</w:t></w:r></w:p></w:tc>')


def test_an_empty_cell_holds_an_empty_paragraph():
    tr = oxml.row(oxml.table(body(), TableFormat(())))
    assert xml(oxml.cell(tr, Twips(100), ParagraphFormat())) == expected(
        '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="100"/></w:tcPr><w:p/></w:tc>')


def test_a_row_holds_its_cells_in_order():
    tr = oxml.row(oxml.table(body(), TableFormat(())), cells=[
        (Twips(100), ParagraphFormat(), [("a", RunFormat())]),
        (Twips(200), ParagraphFormat(), [("b\nc", RunFormat())]),
        (Twips(300), ParagraphFormat(), [])])
    assert xml(tr) == expected(
        '<w:tr><w:trPr><w:cantSplit/></w:trPr>'
        '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="100"/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="200"/></w:tcPr><w:p><w:r><w:t>b</w:t><w:br/></w:r>'
        '<w:r><w:t>c</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="300"/></w:tcPr><w:p/></w:tc></w:tr>')


def test_rows_of_one_shape_get_their_own_texts():
    tbl = oxml.table(body(), TableFormat(()))
    for text in ("1", "2"):
        oxml.row(tbl, cells=[(Twips(100), ParagraphFormat(), [(text, RunFormat())])])
    assert [t.text for t in tbl.iter(oxml.qn("w:t"))] == ["1", "2"]


# sections ------------------------------------------------------------------------------------
def page(landscape: bool = False) -> Page:
    return oxml.read_page(etree.fromstring(
        f'<w:sectPr {DECLARATIONS}><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850"'
        ' w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>'), PAGE).turned(landscape)


def test_section_properties_of_a_portrait_page():
    assert xml(oxml.section_properties(body(), page())) == expected(
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134"'
        ' w:left="1701" w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="720"/>'
        '<w:docGrid w:linePitch="360"/></w:sectPr>')


def test_section_properties_of_a_landscape_page():
    sect = oxml.section_properties(body(), page(landscape=True))
    assert xml(sect.find(oxml.qn("w:pgSz"))) == expected('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>')


def test_section_properties_with_a_header_and_a_title_page():
    sect = oxml.section_properties(body(), page(), header="rId9", title_page=True)
    assert xml(sect[0]) == expected('<w:headerReference w:type="default" r:id="rId9"/>')
    assert [etree.QName(el).localname for el in sect] == [
        "headerReference", "pgSz", "pgMar", "cols", "titlePg", "docGrid"]


def test_a_section_break_is_an_empty_paragraph_holding_the_section_properties():
    p = oxml.section_break(body(), page())
    assert [etree.QName(el).localname for el in p.iter()] == ["p", "pPr", "sectPr", "pgSz", "pgMar", "cols", "docGrid"]


def test_read_page_reads_size_and_margins_in_emu():
    assert page() == Page(Twips(11906), Twips(16838), Twips(1134), Twips(850), Twips(1134), Twips(1701),
                          Twips(567), Twips(567))


def test_read_page_takes_what_the_section_does_not_give_from_the_default():
    sect = etree.fromstring(f'<w:sectPr {DECLARATIONS}><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr>')
    read = oxml.read_page(sect, PAGE)
    assert (read.width, read.height, read.landscape, read.left) == (Twips(16838), Twips(11906), True, PAGE.left)


def test_read_page_reads_a_universal_measure():
    sect = etree.fromstring(f'<w:sectPr {DECLARATIONS}><w:pgMar w:left="3cm"/></w:sectPr>')
    assert oxml.read_page(sect, PAGE).left == Cm(3)


def test_read_page_ignores_a_value_it_cannot_read():
    sect = etree.fromstring(f'<w:sectPr {DECLARATIONS}><w:pgSz w:w="wide"/></w:sectPr>')
    assert oxml.read_page(sect, PAGE) == PAGE


def test_read_page_of_no_section_is_the_default():
    assert oxml.read_page(None, PAGE) is PAGE


# parts ---------------------------------------------------------------------------------------
def test_serialize_writes_the_declaration_as_python_docx_does():
    assert oxml.serialize(etree.fromstring(f"<w:document {DECLARATIONS}/>")).startswith(
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<w:document ")


def test_parse_raises_for_xml_that_is_not_well_formed():
    with pytest.raises(etree.XMLSyntaxError, match="tag mismatch"):
        oxml.parse(b"<document><p></document>")


# core properties -----------------------------------------------------------------------------
CORE_OPEN = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">')


def test_core_properties_are_written_in_schema_order_with_w3cdtf_times():
    props = oxml.CoreProperties(title="Policy", creator="packbuilder", revision="1", created=dt.date(2026, 1, 15),
                                modified=dt.date(2026, 1, 15), language="kk-KZ")
    assert oxml.core_properties_xml(props).decode() == CORE_OPEN + (
        "<dc:title>Policy</dc:title><dc:creator>packbuilder</dc:creator><cp:revision>1</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-15T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-15T00:00:00Z</dcterms:modified>'
        "<dc:language>kk-KZ</dc:language></cp:coreProperties>")


def test_an_empty_core_property_is_an_empty_element_and_none_is_left_out():
    assert oxml.core_properties_xml(oxml.CoreProperties(title="", subject=None)).decode() == (
        CORE_OPEN + "<dc:title/></cp:coreProperties>")


def test_a_core_property_is_escaped_and_cleaned():
    assert b"<dc:title>A &amp; B &lt;C&gt;</dc:title>" in oxml.core_properties_xml(
        oxml.CoreProperties(title="A & B <C>\x07"))


def test_core_properties_read_back_as_written():
    props = oxml.CoreProperties(title="", creator="x", keywords="k", last_printed="2020-01-01T00:00:00Z",
                                created="2013-12-23T23:15:00Z", category="c")
    assert oxml.read_core_properties(oxml.core_properties_xml(props)) == props


def test_fixed_core_times_sets_both_times_and_keeps_the_rest():
    old = oxml.core_properties_xml(oxml.CoreProperties(title="T", creator="python-docx",
                                                        created="2013-12-23T23:15:00Z"))
    fixed = oxml.read_core_properties(oxml.fixed_core_times(old, dt.date(2026, 1, 15)))
    assert fixed == oxml.CoreProperties(title="T", creator="python-docx", created="2026-01-15T00:00:00Z",
                                        modified="2026-01-15T00:00:00Z")


def test_fixed_core_times_reads_openpyxl_s_core_properties():
    openpyxl_core = (
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
        b'<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">packbuilder</dc:creator>'
        b'<dcterms:created xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        b' xsi:type="dcterms:W3CDTF">2026-12-05T13:00:00Z</dcterms:created></cp:coreProperties>')
    assert oxml.fixed_core_times(openpyxl_core, dt.date(2026, 1, 15)).decode() == CORE_OPEN + (
        "<dc:creator>packbuilder</dc:creator>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-15T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-15T00:00:00Z</dcterms:modified></cp:coreProperties>')
