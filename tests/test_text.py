"""The text of a document computed from what is about to be written (layout blocks, a
rendered Word template, the sheet layout) is the text read back from the written file, for
every file of the sample packs: the yearly update compares new documents this way, without
reading them back, and old documents from disk."""

from __future__ import annotations

import pytest

from packbuilder.pack.build import render_pack
from packbuilder.pack.revisions import CHANGE_SHEET_NAME, CHANGE_SHEET_TITLE
from packbuilder.render.layout import Paragraph, Run, Table
from packbuilder.update.diff import file_text
from packbuilder.write.text import blocks_lines, paragraph_line


def _non_empty(sections):
    return [(title, [line for line in lines if line.replace("|", "").strip()]) for title, lines in sections]


def _without_change_sheet(sections, lang):
    out = []
    for title, lines in sections:
        if title is None and CHANGE_SHEET_TITLE[lang] in lines:
            lines = lines[:len(lines) - 1 - lines[::-1].index(CHANGE_SHEET_TITLE[lang])]
        elif title == CHANGE_SHEET_NAME[lang]:
            continue
        out.append((title, lines))
    return out


@pytest.mark.parametrize("name", ["astana_monitoring_centre", "shal_akyn_hospital", "escaping"])
def test_rendered_text_is_the_text_read_back(packs, name):
    pack = packs[name]
    rendered = render_pack(pack.profile)
    checked = 0
    for f in rendered.files:
        for form in f.forms:
            written = _without_change_sheet(file_text(pack.root / f.path(form)), f.lang)
            assert _non_empty(f.text(form)) == _non_empty(written), f.path(form)
            checked += 1
    assert checked == 36 * len(rendered.languages)  # every file: 32 .docx and 4 .xlsx per language


def test_a_paragraph_reads_with_its_label_breaks_and_tabs_as_spaces():
    point = Paragraph("point", [Run("a\nb"), Run("\tc", bold=True)], label="5.")
    assert paragraph_line(point) == "5. a b c"
    signature = Paragraph("signature", [Run("Директор")], right=[Run("Б.М. Сейткали")])
    assert paragraph_line(signature) == "Директор Б.М. Сейткали"
    assert paragraph_line(Paragraph("body", [Run("x\x0b\x01y")])) == "xy"  # illegal in XML: dropped


def test_table_rows_read_as_cells_joined_and_empty_lines_go():
    table = Table([[[Run("№")], [Run("Аты-жөні")]], [[Run("1")], []], [[], []]])
    assert blocks_lines([Paragraph("body", []), table]) == ["№ | Аты-жөні", "1 | "]
