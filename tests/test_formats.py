"""The layout rules of the write stage (packbuilder/write/formats.py): what a paragraph, a
cell, a table and a page get, as values, before any XML."""

from __future__ import annotations

from docx.shared import Cm, Length, Pt, Twips

from packbuilder.render.layout import Run
from packbuilder.write.formats import (
    APPROVAL_WIDTH,
    FONT,
    INDENT,
    LABEL,
    PAGE,
    ParagraphFormat,
    RunFormat,
    cell_format,
    paragraph_format,
    run_format,
    table_format,
)

WIDTH = Twips(9355)


def test_body_text_is_justified_with_a_first_line_indent():
    assert paragraph_format("body", (), WIDTH) == ParagraphFormat(alignment="both", first_line_indent=INDENT)


def test_a_point_is_laid_out_as_body_text():
    assert paragraph_format("point", (), WIDTH) == paragraph_format("body", (), WIDTH)


def test_a_layout_class_aligns_without_indent():
    assert paragraph_format("body", ("right",), WIDTH) == ParagraphFormat(alignment="right",
                                                                          first_line_indent=Length(0))


def test_right_wins_over_center_and_left():
    assert paragraph_format("body", ("left", "center", "right"), WIDTH).alignment == "right"


def test_a_page_break_before_is_kept():
    assert paragraph_format("body", (), WIDTH, page_break=True).page_break_before


def test_the_approval_block_sits_at_the_right_margin():
    fmt = paragraph_format("approval", ("approval",), WIDTH)
    assert (fmt.left_indent, fmt.alignment, fmt.space_after) == (WIDTH - APPROVAL_WIDTH, "center", Pt(6))


def test_a_signature_has_a_right_tab_stop_at_the_right_margin():
    fmt = paragraph_format("signature", (), WIDTH)
    assert (fmt.tab_stop, fmt.keep_lines, fmt.space_before) == (WIDTH, True, Pt(18))


def test_headings_take_packbuilder_s_heading_styles():
    assert [paragraph_format(k, (), WIDTH).style for k in ("title", "chapter", "heading")] == [
        "Heading1", "Heading2", "Heading3"]


def test_a_heading_formatted_directly_is_centred_and_bold_without_a_style():
    fmt = paragraph_format("heading", ("right",), WIDTH, direct=True)
    assert fmt == ParagraphFormat(alignment="center", space_before=Pt(12), space_after=Pt(6),
                                  run=RunFormat(font=FONT, size=14, bold=True))


def test_runs_formatted_directly_carry_font_and_size():
    assert paragraph_format("body", (), WIDTH, direct=True).run == RunFormat(font=FONT, size=14)


def test_body_runs_leave_font_and_size_to_the_style():
    assert paragraph_format("body", (), WIDTH).run == RunFormat()


def test_a_run_adds_its_emphasis_to_the_paragraph_s():
    assert run_format(RunFormat(size=12, bold=True), Run("x", italic=True)) == RunFormat(size=12, bold=True,
                                                                                         italic=True)


def test_a_plain_run_gets_the_paragraph_s_format_itself():
    fmt = RunFormat(size=12)
    assert run_format(fmt, Run("x")) is fmt


def test_a_label_has_no_formatting_of_its_own():
    assert LABEL == RunFormat()


def test_a_header_cell_is_bold_and_centred_in_12_pt():
    assert cell_format("Name", header=True) == ParagraphFormat(alignment="center", run=RunFormat(size=12, bold=True))


def test_a_short_number_is_centred():
    assert cell_format("2026", header=False).alignment == "center"


def test_a_long_number_or_text_is_not_centred():
    assert [cell_format(t, header=False).alignment for t in ("12345", "1a")] == [None, None]


def test_table_columns_share_the_width_by_their_relative_widths():
    assert table_format([1, 3], 2, Twips(4000)).columns == (Twips(1000), Twips(3000))


def test_table_columns_are_equal_without_widths_and_rounded_down_to_an_emu():
    assert table_format(None, 3, Length(1000)).columns == (333, 333, 333)


def test_a_table_formatted_directly_has_borders():
    assert table_format(None, 1, WIDTH, direct=True).borders


def test_the_text_width_is_between_the_margins():
    assert PAGE.text_width == PAGE.width - PAGE.left - PAGE.right


def test_a_turned_page_swaps_width_and_height_and_keeps_the_margins():
    turned = PAGE.turned(True)
    assert (turned.width, turned.height, turned.left, turned.landscape) == (PAGE.height, PAGE.width, PAGE.left, True)
    assert turned.text_width == PAGE.height - Cm(3) - Cm(1.5)


def test_a_page_turned_to_its_own_orientation_is_itself():
    assert PAGE.turned(False) is PAGE
