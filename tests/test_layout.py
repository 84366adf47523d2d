"""The layout syntax (templates/README.md «Layout»), as template text → expected blocks in the
manner of Python-Markdown's ``assertMarkdownRenders``: a test per row of the table, then the
errors, values that look like syntax, and the HTML of the change report."""

from __future__ import annotations

from textwrap import dedent

import pytest

from packbuilder.render.layout import (
    Break,
    Paragraph,
    Run,
    Table,
    TemplateLayoutError,
    new_parser,
    parse,
    parse_with_html,
    value_token,
)


def assert_blocks(source: str, expected: list, values: list[str] | None = None) -> None:
    """``source`` (dedented, tokens standing for ``values``) parses to ``expected``."""
    assert parse(dedent(source), values or []) == expected


def body(text: str, *classes: str) -> Paragraph:
    return Paragraph("body", [Run(text)], classes)


T = [value_token(i) for i in range(4)]


# One test per row of templates/README.md «Layout» ------------------------------------------
def test_title():
    assert_blocks("# Ереже", [Paragraph("title", [Run("Ереже")])])


def test_chapter():
    assert_blocks("## 1. Жалпы ережелер", [Paragraph("chapter", [Run("1. Жалпы ережелер")])])


def test_heading():
    assert_blocks("### Мақсаты", [Paragraph("heading", [Run("Мақсаты")])])


def test_paragraph_lines_joined_until_a_blank_line():
    assert_blocks("""\
        Бірінші жол
        екінші жол.

        Келесі абзац.
        """, [body("Бірінші жол екінші жол."), body("Келесі абзац.")])


def test_numbered_points_as_written():
    assert_blocks("""\
        5. Бесінші.
        6. Алтыншы.
        """, [Paragraph("point", [Run("Бесінші.")], label="5."),
              Paragraph("point", [Run("Алтыншы.")], label="6.")])


def test_sub_points_are_plain_paragraphs():
    assert_blocks("""\
        1) бірінші;

        2) екінші.
        """, [body("1) бірінші;"), body("2) екінші.")])


def test_dash_item():
    assert_blocks("- тармақ", [Paragraph("item", [Run("тармақ")], label="–")])


def test_bold_and_italic():
    assert_blocks("**Жалпы** және *курсив*", [Paragraph("body", [
        Run("Жалпы", bold=True), Run(" және "), Run("курсив", italic=True)])])


@pytest.mark.parametrize("cls", ["right", "center", "left"])
def test_trailing_class(cls):
    assert_blocks(f"Мәтін {{: .{cls} }}", [body("Мәтін", cls)])


def test_trailing_class_after_a_value_and_on_a_heading():
    assert_blocks(f"""\
        ### Тақырып {{: .left }}

        **Кімге:** {T[0]} {{: .right }}
        """, [Paragraph("heading", [Run("Тақырып")], ("left",)),
              Paragraph("body", [Run("Кімге:", bold=True), Run(" Иванов")], ("right",))], ["Иванов"])


def test_approval_block():
    assert_blocks(f"""\
        Приложение {T[0]} {{: .approval }}

        **УТВЕРЖДЕНО** {{: .approval }}
        """, [Paragraph("approval", [Run("Приложение 1")], ("approval",)),
              Paragraph("approval", [Run("УТВЕРЖДЕНО", bold=True)], ("approval",))], ["1"])


def test_table_with_header():
    assert_blocks("""\
        | № | Атауы |
        | --- | --- |
        | 1 | **Бір** |
        """, [Table([[[Run("№")], [Run("Атауы")]], [[Run("1")], [Run("Бір", bold=True)]]])])


def test_widths():
    assert_blocks("""\
        ::: widths 6 94

        | № | Атауы |
        | --- | --- |
        | 1 | Бір |
        """, [Table([[[Run("№")], [Run("Атауы")]], [[Run("1")], [Run("Бір")]]], widths=[6.0, 94.0])])


def test_sheet_named_in_text_or_by_a_value():
    assert_blocks(f"""\
        ::: sheet Жоспар

        | a |
        | --- |
        | 1 |

        ::: sheet {T[0]}

        | b |
        | --- |
        | 2 |

        | c |
        | --- |
        | 3 |
        """, [Table([[[Run("a")]], [[Run("1")]]], sheet="Жоспар"), Table([[[Run("b")]], [[Run("2")]]], sheet="Журнал"),
              Table([[[Run("c")]], [[Run("3")]]])], ["Журнал"])


def test_pagebreak():
    assert_blocks("A\n\n::: pagebreak\n\nB", [body("A"), Break("page"), body("B")])


def test_landscape_and_portrait():
    assert_blocks("::: landscape\n\nA\n\n::: portrait", [Break("landscape"), body("A"), Break("portrait")])


def test_signature_with_values():
    assert_blocks(f"::: signature {T[0]} | {T[1]}",
                  [Paragraph("signature", [Run("Басшы | орынбасары", bold=True)],
                             right=[Run("А. Ахметов", bold=True)])],
                  ["Басшы | орынбасары", "А. Ахметов"])


def test_signature_in_text():
    assert_blocks("::: signature Директор | И. Иванов",
                  [Paragraph("signature", [Run("Директор", bold=True)], right=[Run("И. Иванов", bold=True)])])


# Errors -------------------------------------------------------------------------------------
def test_unknown_directive_is_named():
    with pytest.raises(TemplateLayoutError, match="unknown directive '::: pagebrake'"):
        parse("A\n\n::: pagebrake\n", [])


def test_widths_must_be_numbers():
    with pytest.raises(TemplateLayoutError, match="'::: widths' expects numbers, got '6 x'"):
        parse("::: widths 6 x\n\n| a | b |\n| --- | --- |\n", [])


def test_widths_must_fit_the_table():
    with pytest.raises(TemplateLayoutError, match="'::: widths' gives 2 columns but the table has 3"):
        parse("::: widths 6 94\n\n| a | b | c |\n| --- | --- | --- |\n", [])


def test_a_failed_parse_leaves_no_trace():
    with pytest.raises(TemplateLayoutError, match="unknown directive '::: nope'"):
        parse("> ::: nope\n", [])
    assert_blocks("- ::: pagebreak\n\n# A", [Paragraph("item", [Run("::: pagebreak")], label="–"),
                                            Paragraph("title", [Run("A")])])


# What is not syntax -------------------------------------------------------------------------
def test_values_come_out_literally():
    values = ["*не курсив* _и_ **не жирный**", "::: pagebreak", "текст {: .right }", "# не заголовок"]
    assert_blocks(f"{T[0]}\n\n{T[1]}\n\n{T[2]}\n\n{T[3]}", [body(v) for v in values], values)


def test_a_directive_in_a_list_item_is_text():
    assert_blocks("""\
        - ::: pagebreak
        - b

            ::: widths 1 2
        """, [Paragraph("item", [Run("::: pagebreak")], label="–"), Paragraph("item", [Run("b")], label="–"),
              body("::: widths 1 2")])


def test_a_class_in_a_list_item_is_text():
    assert_blocks("- a {: .right }", [Paragraph("item", [Run("a {: .right }")], label="–")])


def test_blank_text_has_no_blocks():
    parse("# A", [])
    assert parse(" \n", []) == []


# The change report's HTML -------------------------------------------------------------------
def test_html_of_the_same_parse():
    blocks, html = parse_with_html(dedent(f"""\
        # Отчет

        **{T[0]}** {{: .center }}

        ::: widths 10 90

        | № | Было |
        | --- | --- |
        | 1 | {T[1]} |

        - Стало: {T[2]}
        """), ["A & B", "<x>\n*y*", "::: pagebreak"])
    assert blocks == [Paragraph("title", [Run("Отчет")]),
                      Paragraph("body", [Run("A & B", bold=True)], ("center",)),
                      Table([[[Run("№")], [Run("Было")]], [[Run("1")], [Run("<x>\n*y*")]]], widths=[10.0, 90.0]),
                      Paragraph("item", [Run("Стало: ::: pagebreak")], label="–")]
    assert html == dedent("""\
        <h1>Отчет</h1>
        <p><strong>A &amp; B</strong></p>
        <table>
        <thead>
        <tr>
        <th>№</th>
        <th>Было</th>
        </tr>
        </thead>
        <tbody>
        <tr>
        <td>1</td>
        <td>&lt;x&gt;<br>*y*</td>
        </tr>
        </tbody>
        </table>
        <ul>
        <li>Стало: ::: pagebreak</li>
        </ul>""")


# The extension's registration -----------------------------------------------------------------
def test_processors_sit_where_the_extension_docstring_says():
    md = new_parser()
    blocks, trees = md.parser.blockprocessors, md.treeprocessors
    assert blocks.get_index_for_name("layout_directive") + 1 == blocks.get_index_for_name("paragraph")
    assert trees.get_index_for_name("attr_list") + 1 == trees.get_index_for_name("layout_class")
    assert [trees.get_index_for_name(n) for n in ("unescape", "layout_blocks", "layout_html")] == [
        len(trees) - 3, len(trees) - 2, len(trees) - 1]


# A text parsed in pieces (its paragraphs cached on their own) --------------------------------
PIECES = [
    "1. a\n\nText\n\n2. b",  # a list, a paragraph, a list that starts at 2
    "- a\n\n- b\n\nPara\n\n- c",  # a loose list: its second item is not a piece of its own
    "1. x\n\n    more of x\n\nNext",  # an indented continuation stays with its item
    "> q\n\n> r\n\nS",  # a quote continued after a blank line
    "::: widths 1 2\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n# H",  # the widths stay with their table
    "::: sheet Лист\n\nLead\n\n| a |\n| - |\n| 1 |",  # a sheet name waiting past a paragraph
    f"# T\n\nA {T[0]} b\n\n## C {T[1]}\n\nD {T[2]}{T[3]}\n\n::: signature {T[0]} | {T[1]}",
    "A  \nline break\n\n*em* and **bold**\n\nText {: .right }",
]


@pytest.mark.parametrize("text", PIECES)
def test_a_text_parsed_in_pieces_gives_the_blocks_of_the_whole(text):
    from packbuilder.render import layout

    values = ["v0", "", "v2", "v & <3>"]
    whole = layout._fill(((layout._parse(text)[0], None),), values)
    assert parse(text, values) == whole
    assert parse(text, values) == whole  # again, from the cache


def test_a_piece_shared_by_two_texts_gets_each_text_s_values():
    first = parse(f"# A\n\nПункт {T[0]} и {T[1]}.\n\nКонец", ["x", "y"])
    second = parse(f"# B {T[0]}\n\nПункт {T[1]} и {T[2]}.\n\nКонец", ["b", "p", "q"])
    assert first[1] == Paragraph("body", [Run("Пункт x и y.")])
    assert second[1] == Paragraph("body", [Run("Пункт p и q.")])
    assert second[0] == Paragraph("title", [Run("B b")])
