"""The official-document layout as values: what a page, a paragraph, a run and a table get,
decided by pure functions from the layout blocks, with no XML in sight.

The layout of an official document of Kazakhstan's office work: A4, Times New Roman 14 pt (12 pt in tables), margins left
30 mm, right 15 mm, top and bottom 20 mm, single spacing, justified body text with a 1.25 cm
first-line indent, page numbers at the top centre from page 2.

Lengths are python-docx :class:`~docx.shared.Length` values (EMU, English Metric Units:
914400 an inch, 635 a twip), font sizes are points; :mod:`packbuilder.write.oxml` turns these
values into WordprocessingML and converts every length to twips there.

``direct`` (a keyword of the rules below) says the formatting is written on the paragraphs
and runs themselves, for a document whose styles are not packbuilder's (a Word template, to
which :mod:`packbuilder.write.word_template` appends the change sheet): fonts and sizes on
every run, headings centred and bold instead of packbuilder's heading styles, table borders
on the table instead of the TableGrid style.
"""

from __future__ import annotations

import functools
from dataclasses import astuple, dataclass, field, replace

from docx.shared import Cm, Length, Mm, Pt

from packbuilder.render.layout import Block, Break, Paragraph, Run, Table
from packbuilder.write.metrics import KEPT, text_width, widest_piece

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 14, 12
INDENT = Cm(1.25)
APPROVAL_WIDTH = Cm(9)
LANG_TAGS = {"kk": "kk-KZ", "ru": "ru-RU"}
HEADING_STYLES = {"title": "Heading1", "chapter": "Heading2", "heading": "Heading3"}
"""The style id of each heading kind of paragraph (packbuilder's styled base defines them)."""


class _Value:
    """A frozen dataclass that keeps its hash: formats are dictionary keys of the XML
    layer's prototypes, looked up for every paragraph and run. Each subclass repeats
    ``__hash__ = _Value.__hash__``: ``@dataclass(frozen=True)`` would write its own."""

    __slots__ = ()

    @functools.cached_property
    def _hash(self) -> int:
        return hash(astuple(self))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True)
class Page:
    """A section's page: size and margins (EMU), ``landscape`` its orientation.

    ``width`` and ``height`` are the page as it lies: a landscape A4 page is 297 mm wide.
    """

    width: Length
    height: Length
    top: Length
    right: Length
    bottom: Length
    left: Length
    header: Length
    footer: Length
    landscape: bool = False

    @property
    def text_width(self) -> Length:
        """The width between the left and right margins (EMU): the one page-width
        computation of the write stage."""
        return Length(self.width - self.left - self.right)

    def turned(self, landscape: bool) -> Page:
        """This page in the orientation ``landscape``: width and height swapped when the
        orientation changes, margins kept in place (left stays left)."""
        if landscape == self.landscape:
            return self
        return replace(self, width=self.height, height=self.width, landscape=landscape)


PAGE = Page(width=Mm(210), height=Mm(297), top=Mm(20), right=Mm(15), bottom=Mm(20), left=Mm(30),
            header=Mm(10), footer=Mm(10))
"""packbuilder's page: A4 portrait, margins left 30 mm, right 15 mm, top and bottom 20 mm,
header and footer 10 mm from the edge."""


@dataclass(frozen=True)
class RunFormat(_Value):
    """A run's character formatting. ``font`` None: the style's font; ``size`` (points)
    None: the style's size."""

    __hash__ = _Value.__hash__

    font: str | None = None
    size: int | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class ParagraphFormat(_Value):
    """A paragraph's formatting; None (or False) everywhere leaves it to the style.

    ``style``: a paragraph style id (None: Normal). ``alignment``: a WordprocessingML ``jc``
    value, "both" (justified), "center", "left" or "right". ``tab_stop``: a right-aligned
    tab stop at that distance from the left margin. Lengths are EMU. ``run`` is what every
    run of the paragraph gets beyond its own emphasis (:func:`run_format`).
    """

    __hash__ = _Value.__hash__

    style: str | None = None
    keep_next: bool = False
    keep_lines: bool = False
    page_break_before: bool = False
    tab_stop: Length | None = None
    space_before: Length | None = None
    space_after: Length | None = None
    left_indent: Length | None = None
    first_line_indent: Length | None = None
    alignment: str | None = None
    run: RunFormat = field(default=RunFormat())


@dataclass(frozen=True)
class TableFormat(_Value):
    """A table's formatting: ``columns`` the column widths (EMU), ``borders`` single lines
    around and between all cells written on the table (False: the TableGrid style draws them)."""

    __hash__ = _Value.__hash__

    columns: tuple[Length, ...]
    borders: bool = False


LABEL = RunFormat()
"""A point's or item's label («5.», «–»): the paragraph style's font, no emphasis."""
SIGNATURE_TAB = RunFormat(bold=True)
"""The tab between the left and the right part of a signature line."""


def run_format(paragraph: RunFormat, run: Run) -> RunFormat:
    """What ``run`` gets inside a paragraph whose runs get ``paragraph``: its bold, italic
    and underline added."""
    if not (run.bold or run.italic or run.underline):
        return paragraph
    return _emphasized(paragraph, paragraph.bold or run.bold, run.italic, run.underline)


@functools.lru_cache(maxsize=64)
def _emphasized(fmt: RunFormat, bold: bool, italic: bool, underline: bool = False) -> RunFormat:
    return replace(fmt, bold=bold, italic=italic, underline=underline)


def _text_run(size: int, bold: bool, direct: bool) -> RunFormat:
    """What the text runs of a paragraph get: ``size`` points (written when not the Normal
    style's, or ``direct``), bold or not, the font when ``direct``."""
    return RunFormat(font=FONT if direct else None, size=size if (size != BODY_PT or direct) else None,
                     bold=bold)


@functools.lru_cache(maxsize=512)
def paragraph_format(kind: str, classes: tuple[str, ...], width: Length, page_break: bool = False,
                     direct: bool = False, keep_next: bool = False, whole: bool = False) -> ParagraphFormat:
    """What a paragraph of ``kind`` (a :class:`~packbuilder.render.layout.Paragraph` kind)
    with the layout classes ``classes`` gets on a text ``width`` (EMU) wide; ``page_break``:
    it starts a new page; ``direct``: see the module docstring.

    Body text, points and items are justified with a first-line indent; ``right``,
    ``center``, ``left`` align a paragraph without indent; the approval block sits at the
    right margin, centred in APPROVAL_WIDTH; a signature line has the right part at a
    right tab stop at the right margin; headings take packbuilder's heading styles.
    """
    style = HEADING_STYLES.get(kind)
    fmt: dict = {"page_break_before": page_break, "keep_next": keep_next, "keep_lines": whole}
    if kind in ("body", "point", "item"):
        fmt.update(alignment="both", first_line_indent=INDENT)
    if kind == "approval":
        fmt.update(left_indent=Length(width - APPROVAL_WIDTH), alignment="center", space_after=Pt(6))
    if style and direct:  # a heading without packbuilder's heading styles
        return ParagraphFormat(**fmt | dict(alignment="center", space_before=Pt(12), space_after=Pt(6)),
                               run=_text_run(BODY_PT, True, direct))
    if kind == "signature":
        fmt.update(space_before=Pt(18), keep_lines=True, tab_stop=width)
    else:
        for align in ("right", "center", "left"):
            if align in classes:
                fmt.update(alignment=align, first_line_indent=Length(0))
                break
    return ParagraphFormat(style=style, run=_text_run(BODY_PT, False, direct), **fmt)


def cell_format(text: str, header: bool, direct: bool = False, keep_next: bool = False) -> ParagraphFormat:
    """What the paragraph of a table cell whose text is ``text`` gets: 12 pt; a header
    cell bold and centred, a short number (up to four digits) centred; ``keep_next`` keeps
    its row on the page of what follows (:func:`keep_together`)."""
    return _cell_format(header or (text.isdigit() and len(text) <= 4), header, direct, keep_next)


@functools.lru_cache(maxsize=16)
def _cell_format(center: bool, header: bool, direct: bool, keep_next: bool = False) -> ParagraphFormat:
    return ParagraphFormat(alignment="center" if center else None, run=_text_run(TABLE_PT, header, direct),
                           keep_next=keep_next)


CELL_MARGINS = Pt(10.8)
"""The left and right margins of a table cell together (Word's default, 108 twips each)."""


def table_format(widths: list[float] | None, ncols: int, width: Length, direct: bool = False,
                 minimums: list[Length] | None = None) -> TableFormat:
    """What a table of ``ncols`` columns gets on a text ``width`` (EMU) wide: its width
    shared out by the relative ``widths`` (None: equal columns), each column rounded
    down to a whole EMU. ``minimums`` (EMU, per column; :func:`column_minimums`) are the
    widths below which a column would break a word: a narrower column is widened to its
    minimum, the width taken from the columns with room to spare in proportion to it
    (when the minimums together exceed the table, they share it in proportion)."""
    rel = widths or [1.0] * ncols
    total = sum(rel)
    cols = [width * w / total for w in rel]
    if minimums:
        cols = _widened(cols, [float(m) for m in minimums], float(width))
    return TableFormat(tuple(Length(int(c)) for c in cols), borders=direct)


def _widened(cols: list[float], mins: list[float], total: float) -> list[float]:
    if sum(mins) >= total:
        return [total * m / sum(mins) for m in mins]
    for _ in range(len(cols)):
        short = [i for i, (c, m) in enumerate(zip(cols, mins)) if c < m - 0.5]
        if not short:
            break
        need = sum(mins[i] - cols[i] for i in short)
        for i in short:
            cols[i] = mins[i]
        spare = {i: cols[i] - mins[i] for i in range(len(cols)) if i not in short and cols[i] > mins[i]}
        room = sum(spare.values())
        for i, r in spare.items():
            cols[i] -= need * r / room
    return cols


def column_minimums(rows: list[list[str]], header_rows: int) -> list[Length]:
    """For each column of a table whose cells read ``rows`` (the first ``header_rows`` of
    them bold), the width (EMU) its widest unbreakable piece of text needs at the table's
    12 pt, with the cell's margins and 8 % and 2 pt to spare (LibreOffice sets a line a little wider
    than the advance widths add up to)."""
    ncols = max((len(r) for r in rows), default=0)
    out = []
    for c in range(ncols):
        widest = max((widest_piece(r[c], TABLE_PT, bold=i < header_rows) for i, r in enumerate(rows) if c < len(r)),
                     default=0.0)
        out.append(Length(int(Pt(widest * 1.08 + 2) + CELL_MARGINS)))
    return out


UNSPLIT_LINES = 6
"""A table row of up to this many lines (:func:`row_lines`) is never split across pages; a
taller one may be, or it would leave most of a page empty before it."""
UNSPLIT_KEPT_LINES = 24
"""The last rows that stay with the signature after their table (:data:`KEPT_ROWS`) are
not split up to this many lines together (LibreOffice keeps a row with the next paragraph
only whole, and only when they fit on a page with it): taller ones keep just the last row."""


def row_lines(cells: list[str], columns: tuple[Length, ...], bold: bool = False) -> int:
    """How many lines the tallest cell of a row takes: each cell's text (``\\n`` a line
    break) set in 12 pt in its column (EMU, less the cell's margins), words moved whole to
    the next line; an estimate from the font's advance widths."""
    return max([1, *(_cell_lines(text, col, bold) for text, col in zip(cells, columns))])


@functools.lru_cache(maxsize=KEPT)
def _cell_lines(text: str, col: int, bold: bool) -> int:
    """The lines of one cell of :func:`row_lines` (the same cells recur in every document
    that lists the staff: kept, see :data:`packbuilder.write.metrics.KEPT`)."""
    room = max(col / 12700 - CELL_MARGINS.pt, 1.0)
    count = 0
    for part in text.split("\n"):
        count += 1
        used = 0.0
        for word in part.split():
            w = text_width(word + " ", TABLE_PT, bold)
            if used and used + w > room:
                count += 1
                used = 0.0
            used += w
    return count


CLOSING_LINE = 160
"""A paragraph after a signature up to this many characters is part of the closing block
(«С приказом ознакомлен(а):», a name, «Подпись ___ Дата ___»), kept with the signature."""
KEPT_ROWS = 2
"""How many last rows of a table stay on the page of the signature or closing line after it."""


@dataclass(frozen=True)
class Keeps:
    """What :func:`keep_together` keeps on one page, as indices of layout blocks: paragraphs
    kept with the next block (``next``), paragraphs not split across pages (``whole``),
    tables whose last :data:`KEPT_ROWS` rows stay with the next block (``rows``)."""

    next: frozenset[int]
    whole: frozenset[int]
    rows: frozenset[int]


def _closing(block: Block) -> bool:
    """A short paragraph that belongs to a signature: a lead-in or a closing line."""
    return isinstance(block, Paragraph) and block.kind not in ("title", "chapter", "heading", "signature") \
        and len(block.text) <= CLOSING_LINE


def keep_together(blocks: list[Block]) -> Keeps:
    """The layout rules that keep what belongs together on one page, for ``blocks``
    (paragraphs, tables, breaks):

    - A paragraph directly before a table (its title or lead-in) stays with the table, so
      a table starts on the page of its title.
    - A signature never stands on a page alone: the paragraph or table before it stays with
      it (a table also across a short lead-in such as «Ответственный за ведение журнала:»),
      and the short closing lines after it (up to the next break, table or long
      paragraph; :data:`CLOSING_LINE`) stay together with it — office-work practice: the
      signature requisite is not carried to a page without text.
    - Before a page or section break and at the end, the last paragraph is not split and
      the one before it stays with it, so no page ends a part of the document with one or
      two lines.
    """
    keep_next: set[int] = set()
    whole: set[int] = set()
    rows: set[int] = set()
    n = len(blocks)
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < n else None
        if isinstance(block, Paragraph) and isinstance(nxt, Table):
            keep_next.add(i)
        if isinstance(block, Paragraph) and (nxt is None or isinstance(nxt, Break)):
            whole.add(i)
            if i > 0 and isinstance(blocks[i - 1], Paragraph):
                keep_next.add(i - 1)
        if not (isinstance(block, Paragraph) and block.kind == "signature"):
            continue
        before = blocks[i - 1] if i > 0 else None
        if isinstance(before, Paragraph):
            keep_next.add(i - 1)
            # a short lead-in («Ответственный за ведение журнала:») between a table and its
            # signature: the table's last rows stay with both
            k = i - 1
            while k > 0 and _closing(blocks[k]):
                if isinstance(blocks[k - 1], Table):
                    rows.add(k - 1)
                    break
                if not _closing(blocks[k - 1]):
                    break
                keep_next.add(k - 1)
                k -= 1
        elif isinstance(before, Table):
            rows.add(i - 1)
        j = i
        while j + 1 < n and isinstance(blocks[j + 1], Paragraph) and len(blocks[j + 1].text) <= CLOSING_LINE \
                and blocks[j + 1].kind not in ("title", "chapter", "heading"):
            keep_next.add(j)
            j += 1
    return Keeps(frozenset(keep_next), frozenset(whole), frozenset(rows))
