"""The Excel journals, registers and the plan print on A4 landscape and can be signed
(packbuilder/write/xlsx.py): rows written or signed by hand 9 mm high at least, header rows
sized to their bold text, the title bold above every table, the compliance officer's
signature line under every signed table, no print scale below 85 %. Opened with openpyxl
from a pack built from the Astana sample; the last test prints two of them with LibreOffice."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile

import openpyxl
import pytest
from conftest import SAMPLES

from packbuilder.inputs.profile_file import load_profile
from packbuilder.pack.build import build_pack
from packbuilder.pack.revisions import CHANGE_SHEET_NAME, CHANGE_SHEET_TITLE
from packbuilder.render.language import initials
from packbuilder.render.layout import Paragraph, Run, Table
from packbuilder.update.edited import xlsx_tables
from packbuilder.write import pdf as pdf_module
from packbuilder.write.xlsx import (
    ENTRY_ROW_HEIGHT,
    LINE_HEIGHT,
    MIN_SCALE,
    PRINTABLE_MM,
    TEXT_ROW_HEIGHT,
    TOTAL_WIDTH,
    UNIT_MM,
    filled_by_hand,
    header_fit,
    page_starts,
    print_fit,
    workbook_layout,
    wrapped_lines,
    write_xlsx,
)

LANGS = ("kk", "ru")
NINE_MM = 9 / 25.4 * 72  # 25.5 pt
FILES = {"action_plan": "06-action_plan.xlsx", "acknowledgement_journal": "08-acknowledgement_journal.xlsx",
         "restrictions": "09-restrictions.xlsx", "reports_register": "10-reports_register.xlsx"}
SIGNED = {"06-action_plan.xlsx": {"kk": "Жоспар", "ru": "План"}, "08-acknowledgement_journal.xlsx": "Журнал",
          "09-restrictions.xlsx": "Журнал", "10-reports_register.xlsx": "Журнал"}
"""The signed sheet of each workbook: the others (the register's rules, the change sheets) are not."""
KEEPER = {"kk": "Журналды жүргізуге жауапты:", "ru": "Ответственный за ведение журнала:"}


@pytest.fixture(scope="module")
def astana(tmp_path_factory):
    profile = load_profile(SAMPLES / "astana_monitoring_centre.yaml")
    result = build_pack(profile, tmp_path_factory.mktemp("xlsx"), only=list(FILES))
    return result.root, profile


def _sheets(root):
    for lang in LANGS:
        for name in FILES.values():
            wb = openpyxl.load_workbook(root / lang / name)
            for ws in wb.worksheets:
                yield lang, name, ws


def _signed(name: str, lang: str) -> str:
    sheet = SIGNED[name]
    return sheet[lang] if isinstance(sheet, dict) else sheet


def _header(ws) -> tuple[int, int]:
    """The first and last header row of the table of ``ws`` (its print titles)."""
    first, last = re.fullmatch(r"\$(\d+):\$(\d+)", ws.print_title_rows).groups()
    return int(first), int(last)


def _body(ws) -> list[int]:
    """The rows of the table under its header: those with a bordered first cell."""
    _, last = _header(ws)
    return [r for r in range(last + 1, ws.max_row + 1) if ws.cell(r, 1).border.left.style == "thin"]


def _widths(ws) -> list[float]:
    return [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, ws.max_column + 1)]


def _text(ws, r: int) -> list[str]:
    return ["" if ws.cell(r, c).value is None else str(ws.cell(r, c).value) for c in range(1, ws.max_column + 1)]


def test_every_sheet_prints_on_a4_landscape_one_page_wide_at_85_percent_or_more(astana):
    root, _ = astana
    for lang, name, ws in _sheets(root):
        where = (lang, name, ws.title)
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), where  # 9: A4
        assert MIN_SCALE <= setup.scale <= 100, where
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, where  # the scale is set, not left to the app
        assert (ws.page_margins.left, ws.page_margins.right, ws.page_margins.top) == (0.5, 0.5, 0.6), where
        first, last = _header(ws)
        assert first == last and "№" in _text(ws, first)[0], where  # the header row repeats
        # the columns fit the printable width (A4 landscape less the margins) at that scale
        assert sum(_widths(ws)) * UNIT_MM * setup.scale / 100 <= PRINTABLE_MM, where
        # the sample's tables need no shrinking at all
        assert setup.scale == 100 and sum(_widths(ws)) == pytest.approx(TOTAL_WIDTH, abs=0.5), where


def test_the_workbook_measures_widths_in_times_new_roman(astana):
    root, _ = astana
    with zipfile.ZipFile(root / "ru" / FILES["acknowledgement_journal"]) as z:
        styles = z.read("xl/styles.xml").decode()
    first_font = re.search(r"<font>(.*?)</font>", styles).group(1)
    assert '<name val="Times New Roman"/>' in first_font and '<sz val="11"/>' in first_font


def test_rows_written_or_signed_by_hand_are_at_least_9_mm_high(astana):
    root, profile = astana
    checked = 0
    for lang, name, ws in _sheets(root):
        if name == FILES["action_plan"] and ws.title != CHANGE_SHEET_NAME[lang] or \
                ws.title in ("Нұсқау", "Указания", "Құжаттар", "Документы"):  # printed, not written by hand
            continue
        rows = _body(ws)
        assert rows, (lang, name, ws.title)
        for r in rows:
            assert ws.row_dimensions[r].height >= NINE_MM, (lang, name, ws.title, r)
            checked += 1
        if name == FILES["reports_register"] and ws.title == "Журнал":  # one line each: no more than that
            assert {ws.row_dimensions[r].height for r in rows} == {ENTRY_ROW_HEIGHT}
    # every employee in both journals, the register's 30 rows, the change sheets' 4 rows each
    equated = sum(e.equated for e in profile.employees)
    assert checked == 2 * ((len(profile.employees) + 5) + (equated + 5) + 30 + 4 * 4)


def test_a_row_grows_with_its_wrapped_text(astana):
    root, _ = astana
    for lang, name, ws in _sheets(root):
        widths = _widths(ws)
        for r in _body(ws):
            lines = max(wrapped_lines(t, w) for t, w in zip(_text(ws, r), widths))
            assert ws.row_dimensions[r].height >= LINE_HEIGHT * lines, (lang, name, ws.title, r)


def test_the_plan_rows_have_their_text_s_height_and_a_minimum(astana):
    root, _ = astana
    for lang in LANGS:
        ws = openpyxl.load_workbook(root / lang / FILES["action_plan"])[_signed(FILES["action_plan"], lang)]
        rows, widths = _body(ws), _widths(ws)
        assert len(rows) == 25
        for r in rows:
            lines = max(wrapped_lines(t, w) for t, w in zip(_text(ws, r), widths))
            assert ws.row_dimensions[r].height == max(TEXT_ROW_HEIGHT, LINE_HEIGHT * lines), (lang, r)


def test_header_rows_fit_their_bold_text_and_break_no_word(astana):
    root, _ = astana
    for lang, name, ws in _sheets(root):
        first, last = _header(ws)
        widths = _widths(ws)
        for r in range(first, last + 1):
            texts = _text(ws, r)
            assert all(ws.cell(r, c).font.b for c in range(1, ws.max_column + 1))
            lines = max(wrapped_lines(t, w, bold=True) for t, w in zip(texts, widths))
            assert ws.row_dimensions[r].height >= max(20, LINE_HEIGHT * lines), (lang, name, ws.title, r)
            for text, width in zip(texts, widths):
                for word in re.split(r"[\s/]+", text):
                    assert len(word) * 1.1 + 2 <= width + 0.1, (lang, name, ws.title, word, width)


def test_every_sheet_has_its_heading_with_the_title_in_bold(astana):
    root, profile = astana
    org = profile.organization.name
    for lang, name, ws in _sheets(root):
        first, _ = _header(ws)
        # the heading lines, 12 pt across the sheet, between the approval block (11 pt) and the table
        heading = [r for r in range(1, first) if ws.cell(r, 1).value and ws.cell(r, 1).font.sz == 12]
        assert heading == list(range(first - 1 - len(heading), first - 1)), (lang, name, ws.title)
        assert all(ws.cell(r, ws.max_column).value is None for r in heading)  # merged from the first column
        assert [ws.cell(r, 1).font.b for r in heading] == [True] + [False] * (len(heading) - 1), (lang, name)
        lines = [ws.cell(r, 1).value for r in heading]
        approval = [v for r in range(1, heading[0]) for v in _text(ws, r) if v]
        assert approval[-1] == {"kk": "БЕКІТІЛДІ", "ru": "УТВЕРЖДЕН"}[lang] or approval[-1].startswith("УТВЕРЖДЕН")
        assert lines[-1] == org[lang], (lang, name, ws.title)
        if ws.title == CHANGE_SHEET_NAME[lang]:
            assert lines[0] == CHANGE_SHEET_TITLE[lang] and len(lines) == 3, lines  # and the document's title
        elif name == FILES["restrictions"]:
            assert lines[0] in ("Сыбайлас жемқорлыққа қарсы шектеулерді қабылдау журналы",
                                "Журнал принятия антикоррупционных ограничений"), lines
        else:
            assert len(lines) == 2, lines


def test_a_signature_line_under_every_signed_table(astana):
    root, profile = astana
    officer = profile.compliance_officer
    for lang, name, ws in _sheets(root):
        last_body = _body(ws)[-1]
        if ws.title != _signed(name, lang):
            assert last_body == ws.max_row, (lang, name, ws.title)  # nothing under the table
            continue
        r = ws.max_row
        values = [v for v in _text(ws, r) if v]
        assert values == [officer.position[lang], initials(officer.name[lang], lang)], (lang, name)
        assert ws.row_dimensions[r].height >= NINE_MM
        assert all(c.font.b for c in ws[r] if c.value)
        # the line to sign on: the bottom border of the cells between position and initials
        position = next(c.column for c in ws[r] if c.value == values[0])
        initial = next(c.column for c in ws[r] if c.value == values[1])
        merged = {m.min_col: m.max_col for m in ws.merged_cells.ranges if m.min_row == r}
        line = range(merged.get(position, position) + 1, initial)
        assert len(line) >= 1 and all(ws.cell(r, c).border.bottom.style == "thin" for c in line), (lang, name)
        between = [_text(ws, x) for x in range(last_body + 1, r)]
        if name == FILES["action_plan"]:  # the note on deadlines on days off
            assert between[0] == [""] * ws.max_column and len(between) == 2
            assert between[1][0].startswith(("Ескертпе:", "Примечание:")) and not any(between[1][1:])
        else:
            assert between == [[""] * ws.max_column, [KEEPER[lang]] + [""] * (ws.max_column - 1)], (lang, name)


def _page_of(ws, row: int) -> int:
    heights = [ws.row_dimensions[r].height or 15.0 for r in range(1, ws.max_row + 1)]
    breaks = tuple(b.id for b in ws.row_breaks.brk)
    starts = page_starts(heights, _header(ws), ws.page_setup.scale, breaks=breaks)
    return sum(1 for s in starts if s <= row)


def test_the_signature_line_prints_on_the_page_of_the_last_rows(astana):
    root, _ = astana
    broken = 0
    for lang, name, ws in _sheets(root):
        if ws.title == _signed(name, lang):
            assert _page_of(ws, ws.max_row) == _page_of(ws, _body(ws)[-1]), (lang, name)
            broken += bool(ws.row_breaks.brk)
    assert broken >= 1  # the Russian journal's signature line alone would have started a page


def test_a_form_is_a_table_with_a_signature_column_or_a_blank_to_fill_in():
    assert filled_by_hand([["№", "Аты-жөні", "Қолы"], ["1", "А", "x"]], 1)
    assert filled_by_hand([["№", "Внес изменения (Ф.И.О., подпись)"], ["1", "Г.К. Ибраева\n______"]], 1)
    assert filled_by_hand([["№", "Кто сообщил"], ["1", ""]], 1)
    assert not filled_by_hand([["№", "Мероприятие"], ["1", "Разработка"]], 1)


def test_a_table_too_wide_for_85_percent_has_its_widest_columns_narrowed():
    assert print_fit([20.0] * 6) == ([20.0] * 6, 100)
    assert print_fit([10.0] * 14) == ([10.0] * 14, 97)  # 266.2 / (1.940 × 140) = 97.99 %
    widths, scale = print_fit([5.0] * 20 + [60.0, 40.0, 30.0])
    # 161.4 units print at 85 %: the three wide columns share what the 20 narrow ones leave
    assert scale == MIN_SCALE and widths == [5.0] * 20 + [20.4] * 3
    assert sum(widths) * UNIT_MM * scale / 100 <= 0.98 * PRINTABLE_MM
    # dozens of columns at their minimum: no narrower than 10 units, the scale stays 85 %
    widths, scale = print_fit([12.0] * 30)
    assert widths == [10.0] * 30 and scale == MIN_SCALE


def test_a_header_word_gets_its_column_wide_enough():
    widths = header_fit([6.0, 20.0, 11.0], [["№", "Краткое содержание", "уполномоченный"]])
    # «уполномоченный» needs 14 × 1.1 + 2 = 17.4 units: the 6.4 missing are taken from what
    # the others have over their need (1 and 20 - 13 for «содержание»), 80 % of it each
    assert widths == [5.2, 14.4, 17.4]


def test_wrapped_lines_wraps_whole_words_and_breaks_after_hyphens():
    assert wrapped_lines("Специалист по информационной безопасности", 26) == 3  # not 2: words do not split
    assert wrapped_lines("Административно-правовой отдел", 23.4) == 2
    assert wrapped_lines("первая\nвторая", 50) == 2 and wrapped_lines("", 10) == 1
    assert wrapped_lines("x" * 50, 11) == 6


def _journal_blocks() -> list:
    header = [[Run("№")], [Run("Аты-жөні")], [Run("Қолы")]]
    rows = [header] + [[[Run(str(i))], [Run(f"Қызметкер {i}")], []] for i in range(1, 4)]
    return [Paragraph("title", [Run("Журнал")]),
            Paragraph("chapter", [Run("1. Жалпы ережелер")]),
            Paragraph("body", [Run("Мәтін.")]),
            Table(rows, 1, [5, 60, 35], "Журнал"),
            Paragraph("body", [Run("Журналды жүргізуге жауапты:")], ("left",)),
            Paragraph("signature", [Run("Комплаенс-офицер", bold=True)], right=[Run("Г.Қ. Ибраева", bold=True)]),
            Paragraph("heading", [Run("ӨЗГЕРІСТЕР ПАРАҒЫ")]),
            Paragraph("body", [Run("Журнал")], ("center",)),
            Table([[[Run("№")], [Run("Мазмұны")]], [[Run("1")], [Run("Бастапқы")]]], 1, None, "Өзгерістер")]


def test_the_layout_takes_a_sheet_s_own_heading_and_its_signature_from_the_blocks():
    journal, changes = workbook_layout(_journal_blocks(), ["Журнал", "Ұйым"], ["БЕКІТІЛДІ"])
    # a chapter heading with a body paragraph after it is not the table's own heading
    assert journal.heading == ["Журнал", "Ұйым"]
    assert (journal.footer, journal.signature, journal.form) == (["Журналды жүргізуге жауапты:"],
                                                                 ("Комплаенс-офицер", "Г.Қ. Ибраева"), True)
    assert changes.heading == ["ӨЗГЕРІСТЕР ПАРАҒЫ", "Журнал", "Ұйым"] and changes.signature is None
    assert changes.first == 1 + 3 + 2
    assert journal.lines()[-3:] == [" |  | ", "Журналды жүргізуге жауапты: |  | ",
                                    "Комплаенс-офицер |  | Г.Қ. Ибраева"]


def test_an_update_reads_a_signed_journal_back_without_its_signature_line(tmp_path):
    blocks = _journal_blocks()
    path = tmp_path / "journal.xlsx"
    write_xlsx(blocks, path, ["Журнал", "Ұйым"], dt.date(2026, 1, 15), ["БЕКІТІЛДІ"])
    layouts = workbook_layout(blocks, ["Журнал", "Ұйым"], ["БЕКІТІЛДІ"])
    journal = xlsx_tables(path, layouts)[0]
    assert journal.text_rows() == [["№", "Аты-жөні", "Қолы"]] + [[str(i), f"Қызметкер {i}", ""] for i in (1, 2, 3)]
    # rows the officer inserted above the table, a row signed and one added at its end
    wb = openpyxl.load_workbook(path)
    ws = wb["Журнал"]
    ws.insert_rows(1, 2)
    first = layouts[0].first + 2
    ws.cell(first + 1, 3, "қолы")
    ws.insert_rows(first + 4)
    ws.cell(first + 4, 1, 4)
    ws.cell(first + 4, 2, "Жаңа қызметкер")
    wb.save(path)
    rows = xlsx_tables(path, layouts)[0].text_rows()
    assert rows[1] == ["1", "Қызметкер 1", "қолы"] and rows[-1] == ["4", "Жаңа қызметкер", ""] and len(rows) == 5


def test_libreoffice_prints_the_journal_and_the_plan_as_laid_out(astana, tmp_path):
    """The page count LibreOffice prints equals the one :func:`page_starts` reckons (so no
    column spills onto a page of its own, and the signature line is where it was put)."""
    if pdf_module.find_soffice() is None:
        if os.environ.get("PACKBUILDER_REQUIRE_PDF") == "1":
            pytest.fail(pdf_module.INSTALL_HINT)
        pytest.skip("LibreOffice is not installed")
    root, _ = astana
    files = []
    for name in (FILES["acknowledgement_journal"], FILES["action_plan"]):
        files.append(tmp_path / name)
        files[-1].write_bytes((root / "ru" / name).read_bytes())
    try:
        pdfs = pdf_module.convert_to_pdf(files)
    except RuntimeError as e:
        if os.environ.get("PACKBUILDER_REQUIRE_PDF") == "1":
            raise
        pytest.skip(f"LibreOffice Calc cannot convert a workbook here (libreoffice-calc-nogui?): {e}")
    for xlsx_file, pdf in zip(files, pdfs):
        pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))
        wb = openpyxl.load_workbook(xlsx_file)
        assert pages == sum(_page_of(ws, ws.max_row) for ws in wb.worksheets), xlsx_file.name
