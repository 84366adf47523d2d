"""The text of a document computed from what is about to be written (layout blocks, a
rendered Word template, the sheet layout) is the text read back from the written file, for
every file of the sample packs: the yearly update compares new documents this way, without
reading them back, and old documents from disk."""

from __future__ import annotations

import pytest

from packbuilder.pack.build import render_pack
from packbuilder.render.layout import Paragraph, Run, Table
from packbuilder.update.diff import body_lines, file_text
from packbuilder.write.text import blocks_lines, paragraph_line


@pytest.mark.parametrize("name", ["astana_monitoring_centre", "shal_akyn_hospital", "escaping"])
def test_rendered_text_is_the_text_read_back(packs, name):
    pack = packs[name]
    rendered = render_pack(pack.profile)
    checked = 0
    for f in rendered.files:
        for form in f.forms:
            # the written file ends with its change sheet, which the rendered text has not yet
            written = body_lines(file_text(pack.root / f.path(form)), f.lang, None)
            assert body_lines(f.text(form), f.lang, None) == written, f.path(form)
            checked += 1
    assert checked == 52 * len(rendered.languages)  # every file: 45 .docx and 7 .xlsx per language


def test_a_paragraph_reads_with_its_label_breaks_and_tabs_as_spaces():
    point = Paragraph("point", [Run("a\nb"), Run("\tc", bold=True)], label="5.")
    assert paragraph_line(point) == "5. a b c"
    signature = Paragraph("signature", [Run("Директор")], right=[Run("Б.М. Сейткали")])
    assert paragraph_line(signature) == "Директор Б.М. Сейткали"
    assert paragraph_line(Paragraph("body", [Run("x\x0b\x01y")])) == "xy"  # illegal in XML: dropped


def test_table_rows_read_as_cells_joined_and_empty_lines_go():
    table = Table([[[Run("№")], [Run("Аты-жөні")]], [[Run("1")], []], [[], []]])
    assert blocks_lines([Paragraph("body", []), table]) == ["№ | Аты-жөні", "1 | "]
