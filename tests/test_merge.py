"""The three-way merge of layout blocks, case by case, on small documents written here."""

from __future__ import annotations

from packbuilder.render.layout import Break, Paragraph, Run, Table
from packbuilder.update.merge import merge_blocks


def P(text: str, kind: str = "body", **kw) -> Paragraph:
    return Paragraph(kind, [Run(text, **kw)])


def pt(n: int, text: str) -> Paragraph:
    return Paragraph("point", [Run(text)], label=f"{n}.")


def lines(blocks) -> list[str]:
    out = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        elif isinstance(b, Table):
            out.extend(" | ".join("".join(r.text for r in c) for c in row) for row in b.rows)
        else:
            out.append(f"<{b.kind}>")
    return out


BASE = [P("Title", "title"), pt(1, "one"), pt(2, "two"), pt(3, "three"), pt(4, "four")]


def test_no_edits_gives_the_new_document_as_it_is():
    theirs = [P("Title 2027", "title"), pt(1, "one"), pt(2, "two, new")]
    result = merge_blocks(BASE, list(BASE), theirs)
    assert result.blocks == theirs and not result.carried and not result.conflicts


def test_edits_of_both_sides_in_different_places_are_all_kept_and_points_renumbered():
    ours = [P("Title", "title"), pt(1, "one"), pt(2, "two"), pt(2, "officer's new point"), pt(3, "three"),
            pt(4, "four — officer")]
    theirs = [P("Title 2027", "title"), pt(1, "one (new law)"), pt(2, "two"), pt(3, "three"), pt(4, "four")]
    result = merge_blocks(BASE, ours, theirs)
    assert lines(result.blocks) == ["Title 2027", "1. one (new law)", "2. two", "3. officer's new point",
                                    "4. three", "5. four — officer"]
    assert [b.kind for b in result.blocks] == ["title"] + ["point"] * 5
    assert [(e.before, e.after) for e in result.carried] == [([], ["2. officer's new point"]),
                                                             (["4. four"], ["4. four — officer"])]
    assert not result.conflicts


def test_an_insertion_next_to_a_paragraph_the_templates_changed_is_no_conflict():
    ours = BASE[:3] + [pt(2, "inserted after two")] + BASE[3:]
    theirs = BASE[:2] + [pt(2, "two, reworded")] + BASE[3:]
    result = merge_blocks(BASE, ours, theirs)
    assert lines(result.blocks)[2:4] == ["2. two, reworded", "3. inserted after two"]
    assert not result.conflicts


def test_the_same_paragraph_changed_by_both_keeps_the_new_text_and_reports_both():
    ours = BASE[:2] + [pt(2, "two — officer")] + BASE[3:]
    theirs = BASE[:2] + [pt(2, "two — law")] + BASE[3:]
    result = merge_blocks(BASE, ours, theirs)
    assert lines(result.blocks)[2] == "2. two — law"
    [c] = result.conflicts
    assert (c.base, c.ours, c.theirs) == (["2. two"], ["2. two — officer"], ["2. two — law"])
    same = merge_blocks(BASE, ours, BASE[:2] + [pt(2, "two — officer")] + BASE[3:])
    assert lines(same.blocks)[2] == "2. two — officer" and not same.conflicts


def test_both_inserting_at_the_same_place_keeps_both_the_new_text_first():
    ours = BASE[:2] + [P("1a officer")] + BASE[2:]
    theirs = BASE[:2] + [pt(2, "law")] + [pt(n + 1, b.runs[0].text) for n, b in enumerate(BASE[2:], 2)]
    result = merge_blocks(BASE, ours, theirs)
    assert lines(result.blocks)[1:4] == ["1. one", "2. law", "1a officer"]


def test_a_deleted_paragraph_leaves_its_page_break():
    base = [P("a"), Break("page"), P("b"), P("c")]
    ours = [P("a"), Break("page"), P("c")]
    result = merge_blocks(base, ours, list(base))
    assert lines(result.blocks) == ["a", "<page>", "c"]
    assert [(e.before, e.after) for e in result.carried] == [(["b"], [])]


def test_a_list_that_starts_again_is_renumbered_on_its_own():
    """An annex whose points count from 1 again: a point the officer adds to it moves only
    the annex's points."""
    base = [pt(1, "a"), pt(2, "b"), pt(3, "c"), P("Annex", "title"), pt(1, "x"), pt(2, "y")]
    ours = [pt(1, "a"), pt(2, "b"), pt(3, "c"), P("Annex", "title"), pt(1, "x"), pt(2, "x2 officer"), pt(2, "y")]
    theirs = [pt(1, "a"), pt(2, "b (new)"), pt(3, "c"), pt(4, "d (new)"), P("Annex", "title"), pt(1, "x"), pt(2, "y")]
    result = merge_blocks(base, ours, theirs)
    assert lines(result.blocks) == ["1. a", "2. b (new)", "3. c", "4. d (new)", "Annex", "1. x", "2. x2 officer",
                                    "3. y"]


def test_the_officer_formatting_and_the_generated_kind_of_a_changed_paragraph():
    ours = BASE[:3] + [Paragraph("body", [Run("3. "), Run("three, "), Run("bold", bold=True),
                                          Run(" underlined", underline=True)])] + BASE[4:]
    ours[3] = Paragraph("point", ours[3].runs[1:], label="3.")
    result = merge_blocks(BASE, ours, list(BASE))
    changed = result.blocks[3]
    assert changed.kind == "point" and changed.label == "3."
    assert [(r.text, r.bold, r.underline) for r in changed.runs] == [("three, ", False, False), ("bold", True, False),
                                                                     (" underlined", False, True)]


def _table(*rows, sheet="Journal"):
    return Table([[[Run(c)] if c else [] for c in row] for row in rows], 1, [1, 3, 2, 2], sheet)


HEAD = ("№", "Name", "Date", "Signature")


def test_a_signed_row_keeps_its_signature_when_the_new_year_changes_another_cell():
    base = [_table(HEAD, ("1", "Ivanov", "", ""), ("2", "Petrov", "", ""))]
    ours = [_table(HEAD, ("1", "Ivanov", "", "signed"), ("2", "Petrov", "", ""))]
    theirs = [_table(HEAD, ("1", "Ivanov", "by 20.01", ""), ("2", "Petrov", "by 20.01", ""),
                     ("3", "Sidorov", "by 21.01", ""))]
    result = merge_blocks(base, ours, theirs, archive=True)
    assert lines(result.blocks) == ["№ | Name | Date | Signature", "1 | Ivanov | by 20.01 | signed",
                                    "2 | Petrov | by 20.01 | ", "3 | Sidorov | by 21.01 | "]
    assert result.blocks[0].sheet == "Journal" and result.blocks[0].widths == [1, 3, 2, 2]
    assert not result.conflicts and not result.archived


def test_a_leaver_signed_row_goes_to_the_archive_and_the_rows_are_numbered_again():
    base = [_table(HEAD, ("1", "Ivanov", "", ""), ("2", "Petrov", "", ""), ("3", "Sidorov", "", ""))]
    ours = [_table(HEAD, ("1", "Ivanov", "", "signed"), ("2", "Petrov", "", "signed"), ("3", "Sidorov", "", ""),
                   ("4", "Added by hand", "", "signed"))]
    theirs = [_table(HEAD, ("1", "Petrov", "", ""), ("2", "Sidorov", "", ""))]
    result = merge_blocks(base, ours, theirs, archive=True)
    assert lines(result.blocks) == ["№ | Name | Date | Signature", "1 | Petrov |  | signed", "2 | Sidorov |  | ",
                                    "3 | Added by hand |  | signed"]
    assert result.archived == [["1", "Ivanov", "", "signed"]]
    # without an archive (a Word table) the same is a conflict, reported
    result = merge_blocks(base, ours, theirs)
    assert [c.ours for c in result.conflicts] == [["1 | Ivanov |  | signed"]]


def test_a_row_replaced_in_place_by_another_person_is_not_given_the_signature():
    base = [_table(HEAD, ("1", "Old head", "", ""), ("2", "Petrov", "", ""))]
    ours = [_table(HEAD, ("1", "Old head", "16.01", "signed"), ("2", "Petrov", "", ""))]
    theirs = [_table(HEAD, ("1", "New head", "", ""), ("2", "Petrov", "", ""))]
    result = merge_blocks(base, ours, theirs, archive=True)
    assert lines(result.blocks)[1] == "1 | New head |  | "
    assert result.archived == [["1", "Old head", "16.01", "signed"]]
