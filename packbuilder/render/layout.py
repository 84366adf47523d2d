"""Rendered template text (Markdown) → a list of layout blocks that the docx and xlsx
writers lay out, and the HTML of the same parse for the change report.

Values never pass through Markdown: the template environment puts a placeholder token
where each value goes (:func:`value_token`), the Markdown is parsed, and the tokens are
replaced by the literal values in the text runs (values are data, never markup), or by the
HTML-escaped values in the report's HTML.

The layout syntax (templates/README.md «Layout») is the Python-Markdown extension
:class:`LayoutExtension`, used together with ``tables``, ``attr_list`` and ``sane_lists``:

- :class:`DirectiveProcessor`, a block processor: a paragraph ``::: name arg`` becomes a
  :class:`DirectiveElement`; an unknown name or a bad ``widths`` raises TemplateLayoutError.
- :class:`TrailingClassTreeprocessor`: ``text {: .right }`` at the end of a paragraph's or
  heading's last line gives it the class (attr_list reads ``{: … }`` only on a line of its own).
- :class:`BlocksTreeprocessor`: the finished element tree → blocks (:class:`_Converter`),
  left on the Markdown instance as ``layout_blocks``.
- :class:`HtmlTreeprocessor`: then drops the directive elements and the classes, so the HTML
  that Markdown serializes is the change report's body.

:func:`parse` gives the blocks of a text (its structure cached), :func:`parse_with_html`
the blocks and the HTML of one parse.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor

from packbuilder.i18n import _

TOKEN_OPEN, TOKEN_CLOSE = "\ue000", "\ue001"
TOKEN = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")
"""A value token; group 1 is the value's index."""


def value_token(index: int) -> str:
    """The placeholder standing for value number ``index`` of a render."""
    return f"{TOKEN_OPEN}{index}{TOKEN_CLOSE}"


@dataclass
class Run:
    """Text with its emphasis; ``\\n`` in ``text`` is a line break. Templates give bold
    and italic; ``underline`` comes from an officer's edit carried over by an update."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass
class Paragraph:
    """A paragraph. ``kind``: title, chapter, heading, body, point (numbered, ``label``
    «5.»), item (dash), approval, signature (``runs`` left, ``right`` right)."""

    kind: str
    runs: list[Run]
    classes: tuple[str, ...] = ()
    label: str = ""
    right: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The paragraph's plain text, label included."""
        body = "".join(r.text for r in self.runs)
        if self.kind == "signature":
            return body + "\t" + "".join(r.text for r in self.right)
        return f"{self.label} {body}" if self.label else body


@dataclass
class Table:
    """A table: ``rows[r][c]`` is a cell's runs; the first ``header_rows`` rows are the
    header. ``widths`` are relative column widths, one per column (None: not given);
    ``sheet`` names the xlsx sheet it goes to (None: it goes to none)."""

    rows: list[list[list[Run]]]
    header_rows: int = 1
    widths: list[float] | None = None
    sheet: str | None = None

    def text_rows(self) -> list[list[str]]:
        """The cells' plain texts."""
        return [["".join(r.text for r in cell) for cell in row] for row in self.rows]


@dataclass
class Break:
    """A page break (``kind`` "page") or a new section (``kind`` "landscape"/"portrait")."""

    kind: str


Block = Paragraph | Table | Break


class TemplateLayoutError(ValueError):
    """A layout directive the renderer does not know or cannot apply."""


DIRECTIVES = ("pagebreak", "landscape", "portrait", "widths", "sheet", "signature")
"""The names a ``::: name arg`` directive may have."""
DIRECTIVE_TAG = "layout-directive"
"""The tag of a :class:`DirectiveElement` in the element tree."""
ARG_TAG = "arg"
"""The tag of a directive's text argument, a child of its element."""
_LIST_STATES = ("list", "looselist", "detabbed")
"""The states of Python-Markdown's block parser inside a list item."""


class DirectiveElement(Element):
    """A ``::: name arg`` directive in the element tree: tag DIRECTIVE_TAG, attribute ``name``
    (one of DIRECTIVES). ``widths`` is the list of numbers of ``::: widths`` (None for the other
    names). The text arguments are ARG_TAG children, whose Markdown is inline-processed like any
    text: one for ``sheet`` (the name), two for ``signature`` (left, right); none for the others."""

    widths: list[float] | None = None


class DirectiveProcessor(BlockProcessor):
    """A paragraph ``::: name arg`` → a :class:`DirectiveElement` (modelled on Python-Markdown's
    AdmonitionProcessor). The name is the text up to the first space after ``:::``, the argument
    the rest, stripped. The whole paragraph is the directive, so it is written on a line of its
    own between blank lines (a line that follows belongs to it). Inside a list item ``:::`` is
    text, not a directive.

    ``run`` raises TemplateLayoutError for a name not in DIRECTIVES and for a ``widths``
    argument that is not a list of numbers.
    """

    RE = re.compile(r"\A\s*:::\s*(?P<name>[^ ]*)(?P<arg>.*)\Z", re.DOTALL)
    SIGNATURE_SPLIT = re.compile(r"\\?\|")
    """What separates the sides of ``::: signature``: the first ``|`` (escaped or not)."""

    def test(self, parent: Element, block: str) -> bool:
        return (self.RE.match(block) is not None
                and not any(state in _LIST_STATES for state in self.parser.state))

    def run(self, parent: Element, blocks: list[str]) -> None:
        m = self.RE.match(blocks.pop(0))
        name, arg = m.group("name"), m.group("arg").strip()
        if name not in DIRECTIVES:
            raise TemplateLayoutError(_("unknown directive '::: {name}'").format(name=name))
        el = DirectiveElement(DIRECTIVE_TAG, name=name)
        if name == "widths":
            try:
                el.widths = [float(x) for x in arg.split()]
            except ValueError:
                raise TemplateLayoutError(_("'::: widths' expects numbers, got '{value}'").format(value=arg)) from None
        elif name == "sheet":
            SubElement(el, ARG_TAG).text = arg
        elif name == "signature":
            for side in (self.SIGNATURE_SPLIT.split(arg, maxsplit=1) + [""])[:2]:
                SubElement(el, ARG_TAG).text = side
        parent.append(el)


_CLASS_HOLDERS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")
_NOT_BLOCKS = ("ol", "ul", "table", "pre", "hr", DIRECTIVE_TAG)
"""Elements whose descendants are no paragraphs of their own for the layout (list items are
list points, cells are cells)."""


class TrailingClassTreeprocessor(Treeprocessor):
    """``{: .right }`` (also ``.center``, ``.left``, ``.approval``, several classes) at the end
    of the last line of a paragraph or heading: removed from the text and added to the
    element's classes, after those attr_list gave it. Paragraphs in list items and table cells
    are left as they are. Only template text can hold it: values are still tokens here."""

    RE = re.compile(r"[ \t]*\{:?[ ]*(\.[\w-]+(?:[ ]+\.[\w-]+)*)[ ]*\}[ \t]*$")

    def run(self, root: Element) -> None:
        for el in root:
            if el.tag in _CLASS_HOLDERS:
                self.apply(el)
            elif el.tag not in _NOT_BLOCKS:
                self.run(el)

    def apply(self, el: Element) -> None:
        holder, attr = (el[-1], "tail") if len(el) else (el, "text")
        text = getattr(holder, attr) or ""
        m = self.RE.search(text) if "}" in text else None
        if m:
            setattr(holder, attr, text[:m.start()])
            classes = (el.get("class") or "").split() + [c.lstrip(".") for c in m.group(1).split()]
            el.set("class", " ".join(classes))


class BlocksTreeprocessor(Treeprocessor):
    """The finished element tree → ``md.layout_blocks``, the blocks with the value tokens still
    in their texts (see :class:`_Converter`). Raises TemplateLayoutError when a table's
    ``::: widths`` gives another number of columns than it has."""

    def run(self, root: Element) -> None:
        converter = _Converter()
        self.md.layout_blocks = converter.blocks(root)
        self.md.layout_pending = converter.widths is not None or converter.sheet is not None


class HtmlTreeprocessor(Treeprocessor):
    """Leaves in the tree what the change report's HTML shows: the directive elements are
    removed and the ``class`` attributes (layout classes) dropped."""

    def run(self, root: Element) -> None:
        for parent in root.findall(f".//{DIRECTIVE_TAG}/.."):
            for el in parent.findall(DIRECTIVE_TAG):
                parent.remove(el)
        for el in root.iter():
            el.attrib.pop("class", None)


class LayoutExtension(markdown.Extension):
    """The layout syntax of templates/README.md «Layout» for Python-Markdown (with ``tables``,
    ``attr_list`` and ``sane_lists``). After ``md.convert(text)``, ``md.layout_blocks`` is the
    list of blocks of ``text`` ([] for a blank text) with value tokens in their texts, and the
    HTML ``convert`` returns has no directives and no classes. ``convert`` raises
    TemplateLayoutError for a directive it cannot apply."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """
        Register the processors.

        | Class instance               | Registry        | Name                | Priority |
        | ---------------------------- | --------------- | ------------------- | :------: |
        | `DirectiveProcessor`         | blockprocessors | `layout_directive`  | `12`     |
        | `TrailingClassTreeprocessor` | treeprocessors  | `layout_class`      | `7`      |
        | `BlocksTreeprocessor`        | treeprocessors  | `layout_blocks`     | `-100`   |
        | `HtmlTreeprocessor`          | treeprocessors  | `layout_html`       | `-110`   |

        The directive processor comes after every built-in one but ``paragraph`` (10), so a
        directive is exactly a paragraph that starts with ``:::``. The trailing class follows
        ``attr_list`` (8, after ``inline`` at 20). The blocks are taken last, after
        ``unescape`` (0); then the tree is stripped for the HTML serialization.
        The directive tag is block-level, as the paragraph it stands for, so the line breaks
        ``prettify`` puts around it are those of a paragraph, and removing it leaves no trace.
        """
        md.registerExtension(self)
        self.md = md
        md.layout_blocks = []
        md.layout_pending = False
        md.block_level_elements.append(DIRECTIVE_TAG)
        md.parser.blockprocessors.register(DirectiveProcessor(md.parser), "layout_directive", 12)
        md.treeprocessors.register(TrailingClassTreeprocessor(md), "layout_class", 7)
        md.treeprocessors.register(BlocksTreeprocessor(md), "layout_blocks", -100)
        md.treeprocessors.register(HtmlTreeprocessor(md), "layout_html", -110)

    def reset(self) -> None:
        self.md.layout_blocks = []
        self.md.layout_pending = False


def new_parser() -> markdown.Markdown:
    """A Markdown instance for template text: tables, attr_list, sane_lists and the layout."""
    return markdown.Markdown(extensions=["tables", "attr_list", "sane_lists", LayoutExtension()])


_PARSERS: dict[frozenset[str], markdown.Markdown] = {}
STRUCTURE_CACHE_SIZE = 160  # a pack renders 66 templates per language; see parse()

_INLINE_NEEDS = {
    "backtick": ("`",), "escape": ("\\",),
    "reference": ("[",), "link": ("[",), "image_link": ("[",), "image_reference": ("[",),
    "short_reference": ("[",), "short_image_ref": ("[",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "entity": ("&",),
    # two spaces ending a line, also as Python-Markdown's preprocessing may make them (a tab
    # expanded, a carriage return made a line feed, STX/ETX removed)
    "linebreak": ("  \n", "\t", "\r", "\x02", "\x03"),
    "em_strong": ("*", "_"),
}
"""For Python-Markdown's inline patterns, the strings one of which a text must hold for the
pattern to match anything in it (its regular expression cannot match without); a pattern
not named here is always applied."""


def _parser(text: str) -> markdown.Markdown:
    """The Markdown instance (:func:`new_parser`) for ``text``: without the inline patterns
    that cannot match in it (:data:`_INLINE_NEEDS`), which Python-Markdown would otherwise
    try on every piece of text of every element. A template uses few (bold, italic), so
    this halves the time of a parse; the result is the same. One instance is kept per set
    of patterns left out."""
    unused = frozenset(name for name, needs in _INLINE_NEEDS.items() if not any(n in text for n in needs))
    md = _PARSERS.get(unused)
    if md is None:
        md = new_parser()
        for name in unused:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        _PARSERS[unused] = md
    return md


def parse(text: str, values: list[str]) -> list[Block]:
    """The blocks of rendered Markdown ``text`` whose tokens stand for ``values`` ([] for a
    blank text).

    The Markdown is parsed with tokens in place of values, so the same ``text`` always gives
    the same structure: it is cached (the last STRUCTURE_CACHE_SIZE texts of the process)
    and only the values are filled in. Twelve protocols of a pack, or the policy of two
    organizations with equal staff lists, are parsed once. A text not seen whole is cut
    into pieces that Markdown parses alike alone and in the text (:func:`_pieces`), each
    cached with its tokens numbered from 0 (the last PIECE_CACHE_SIZE): the protocols and
    the organizations differ in a few paragraphs or tables, only those are parsed.
    Raises TemplateLayoutError for an unknown ``:::`` directive, a ``::: widths`` that is not
    numbers or does not fit its table.
    """
    return _fill(_structure(text), values)


def parse_with_html(text: str, values: list[str]) -> tuple[list[Block], str]:
    """The blocks of ``text`` as :func:`parse` gives them, and the HTML of the same parse
    (the inside of a page's ``<body>``, "" for a blank text): without the directives and the
    layout classes, each value HTML-escaped with its line breaks as ``<br>``. The text is parsed
    anew (its HTML is not cached). Raises TemplateLayoutError as :func:`parse` does."""
    blocks, body, _ = _parse(text, html=True)
    body = TOKEN.sub(lambda m: html.escape(values[int(m.group(1))]).replace("\n", "<br>"), body)
    return _fill(((blocks, None),), values), body


Structure = tuple[tuple[tuple[Block, ...], tuple[int, ...] | None], ...]
"""The blocks of a text as pieces: each piece's blocks, with the value tokens left in their
texts and the runs of each paragraph or cell not yet merged (see _fill), and the indexes
into the text's values of the piece's tokens 0, 1, … (None: the tokens are the text's own)."""

PIECE_CACHE_SIZE = 2048  # the pieces of the 20 sample organizations' packs: about 1200
_BOUNDARY = re.compile(r"(?<=\S)\n\n(?=[^\s>+*{0-9-])")
"""Where a text may be cut: at a blank line after a line that ends in a visible character
and before one that starts a block continuing nothing before it (a heading, a paragraph, a
table, a directive): not indented (code, list continuation), not a list item (``-``, ``+``,
``*``, a digit: it would continue a list above), not a quote (``>``) nor attributes (``{``)."""
_UNCUTTABLE = ("<", "[", "\t", "\r", "\x02", "\x03")
"""A text holding one of these is parsed whole: raw HTML blocks and link definitions reach
across blank lines, a tab's width depends on the column, Markdown's preprocessing turns
a carriage return or STX/ETX into something else."""


@functools.lru_cache(maxsize=STRUCTURE_CACHE_SIZE)
def _structure(text: str) -> Structure:
    """The blocks of ``text`` as pieces (:data:`Structure`): the pieces of :func:`_pieces`,
    or the whole text as one when it cannot be cut or a piece leaves a ``::: widths`` or
    ``::: sheet`` for a table of the next one."""
    pieces = _pieces(text)
    if pieces is not None:
        out = []
        for i, (piece, indexes) in enumerate(pieces):
            blocks, pending = _piece_structure(piece)
            if pending and i < len(pieces) - 1:
                break
            out.append((blocks, indexes))
        else:
            return tuple(out)
    return ((_parse(text)[0], None),)


def _pieces(text: str) -> list[tuple[str, tuple[int, ...]]] | None:
    """``text`` cut at each :data:`_BOUNDARY` but after a ``:::`` directive (``::: widths``,
    ``::: sheet`` belong to the table that follows), each piece with its value tokens
    renumbered from 0 in their order and the indexes they had; None when it is not cut (one
    piece, or it holds one of :data:`_UNCUTTABLE`)."""
    if any(c in text for c in _UNCUTTABLE):
        return None
    parts: list[str] = []
    for part in _BOUNDARY.split(text):
        if parts and parts[-1].rpartition("\n\n")[2].lstrip().startswith(":::"):
            parts[-1] += "\n\n" + part  # a directive stays with what follows: its table
        else:
            parts.append(part)
    if len(parts) < 2:
        return None
    out = []
    for part in parts:
        indexes: dict[int, int] = {}

        def renumber(m: re.Match) -> str:
            return value_token(indexes.setdefault(int(m.group(1)), len(indexes)))

        piece = TOKEN.sub(renumber, part) if TOKEN_OPEN in part else part
        out.append((piece, tuple(indexes)))
    return out


@functools.lru_cache(maxsize=PIECE_CACHE_SIZE)
def _piece_structure(piece: str) -> tuple[tuple[Block, ...], bool]:
    """The blocks of a piece of text (see _structure) and whether a ``::: widths`` or
    ``::: sheet`` at its end waits for a table."""
    blocks, _, pending = _parse(piece)
    return blocks, pending


def _parse(text: str, html: bool = False) -> tuple[tuple[Block, ...], str, bool]:
    """One Markdown parse of ``text``: its blocks as _structure gives them, with ``html``
    its HTML with the value tokens in it ("" without: the parse stops once the blocks are
    taken, the tree is not serialized), and whether a ``::: widths`` or ``::: sheet`` at its
    end waits for a table."""
    md = _parser(text)
    md.reset()
    try:
        if html:
            body = md.convert(text)
        else:  # Markdown.convert's steps up to the blocks
            body = ""
            if text.strip():
                lines = text.split("\n")
                for prep in md.preprocessors:
                    lines = prep.run(lines)
                root = md.parser.parseDocument(lines).getroot()
                for treeprocessor in md.treeprocessors:
                    new_root = treeprocessor.run(root)
                    if new_root is not None:
                        root = new_root
                    if isinstance(treeprocessor, BlocksTreeprocessor):
                        break
    except Exception:
        _PARSERS.clear()  # a parse stopped half-way may leave the block parser's state behind
        raise
    return tuple(md.layout_blocks), body, md.layout_pending


def _fill(structure: Structure, values: list[str]) -> list[Block]:
    """New blocks with each token replaced by its value, runs merged and trimmed."""
    out: list[Block] = []
    for blocks, indexes in structure:
        _fill_piece(blocks, values if indexes is None else [values[i] for i in indexes], out)
    return out


def _fill_piece(blocks: tuple[Block, ...], values: list[str], out: list[Block]) -> None:
    """Append ``blocks`` to ``out`` with each token replaced by its value in ``values``."""
    def value(m: re.Match) -> str:
        return values[int(m.group(1))]

    def sub(text: str) -> str:
        return TOKEN.sub(value, text) if TOKEN_OPEN in text else text

    def runs(raw: list[Run]) -> list[Run]:
        return _merge([Run(sub(r.text), r.bold, r.italic) for r in raw])

    for b in blocks:
        if isinstance(b, Paragraph):
            if b.kind == "signature":
                out.append(Paragraph(b.kind, [Run(sub(r.text), r.bold, r.italic) for r in b.runs], b.classes,
                                     b.label, [Run(sub(r.text), r.bold, r.italic) for r in b.right]))
            else:
                out.append(Paragraph(b.kind, runs(b.runs), b.classes, b.label))
        elif isinstance(b, Table):
            out.append(Table([[runs(cell) for cell in row] for row in b.rows], b.header_rows, b.widths,
                             (sub(b.sheet) or "Sheet") if b.sheet is not None else None))
        else:
            out.append(b)


def _merge(raw: list[Run]) -> list[Run]:
    """Neighbouring runs of the same emphasis merged, empty ones dropped, the ends trimmed."""
    merged: list[Run] = []
    for r in raw:
        if merged and merged[-1].bold == r.bold and merged[-1].italic == r.italic:
            merged[-1].text += r.text
        elif r.text:
            merged.append(r)
    if merged:
        merged[0].text = merged[0].text.lstrip(" ")
        merged[-1].text = merged[-1].text.rstrip(" ")
    return [r for r in merged if r.text]


class _Converter:
    """Markdown element tree → blocks whose texts still hold the value tokens. It maps
    elements to blocks: directives are already elements, classes attributes."""

    def __init__(self):
        self.out: list[Block] = []
        self.widths: list[float] | None = None
        self.sheet: str | None = None

    # inline ------------------------------------------------------------------------------
    def runs(self, el: Element, bold: bool = False, italic: bool = False) -> list[Run]:
        """The element's text runs, unmerged (_fill merges them once values are in)."""
        out: list[Run] = []
        self._inline(el, bold, italic, out, top=True)
        return out

    def _inline(self, el, bold, italic, out, top=False):
        tag = el.tag if isinstance(el.tag, str) else ""
        if not top:
            if tag in ("strong", "b"):
                bold = True
            elif tag in ("em", "i"):
                italic = True
            elif tag == "br":
                out.append(Run("\n", bold, italic))
        if el.text and tag != "br":
            out.append(Run(_squash(el.text), bold, italic))
        for child in el:
            if child.tag in ("ol", "ul"):
                continue
            self._inline(child, bold, italic, out)
            if child.tail:
                out.append(Run(_squash(child.tail), bold, italic))

    # blocks ------------------------------------------------------------------------------
    def blocks(self, root: Element) -> list[Block]:
        for el in root:
            self.block(el)
        return self.out

    def block(self, el: Element) -> None:
        tag = el.tag
        classes = tuple((el.get("class") or "").split())
        if tag == DIRECTIVE_TAG:
            self.directive(el)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            kind = {"h1": "title", "h2": "chapter"}.get(tag, "heading")
            self.out.append(Paragraph(kind, self.runs(el), classes))
        elif tag == "p":
            kind = "approval" if "approval" in classes else "body"
            self.out.append(Paragraph(kind, self.runs(el), classes))
        elif tag in ("ol", "ul"):
            self.list_block(el)
        elif tag == "table":
            self.table(el)
        elif tag == "hr":
            self.out.append(Break("page"))
        elif tag == "pre":
            for line in "".join(el.itertext()).splitlines():
                if line.strip():
                    self.out.append(Paragraph("body", [Run(line.strip())]))
        else:
            for child in el:
                self.block(child)

    def list_block(self, el: Element) -> None:
        ordered = el.tag == "ol"
        n = int(el.get("start", "1"))
        for li in el:
            if li.tag != "li":
                continue
            label = f"{n}." if ordered else "–"
            n += 1
            first = True
            paragraphs = [c for c in li if c.tag == "p"]
            if not paragraphs:
                self.out.append(Paragraph("point" if ordered else "item", self.runs(li), label=label))
            else:
                if li.text and li.text.strip():
                    self.out.append(Paragraph("point" if ordered else "item", self.runs(li), label=label))
                    first = False
                for p in paragraphs:
                    kind = ("point" if ordered else "item") if first else "body"
                    self.out.append(Paragraph(kind, self.runs(p), label=label if first else ""))
                    first = False
            for sub in li:
                if sub.tag in ("ol", "ul"):
                    self.list_block(sub)

    def table(self, el: Element) -> None:
        rows, header_rows = [], 0
        for section in el:
            for tr in section:
                if tr.tag != "tr":
                    continue
                rows.append([self.runs(cell) for cell in tr])
                if section.tag == "thead":
                    header_rows += 1
        widths, self.widths = self.widths, None
        sheet, self.sheet = self.sheet, None
        if widths and rows and len(widths) != len(rows[0]):
            raise TemplateLayoutError(_("'::: widths' gives {widths} columns but the table has {columns}").format(
                widths=len(widths), columns=len(rows[0])))
        self.out.append(Table(rows, header_rows or 1, widths, sheet))

    def directive(self, el: DirectiveElement) -> None:
        name = el.get("name")
        if name == "pagebreak":
            self.out.append(Break("page"))
        elif name in ("landscape", "portrait"):
            self.out.append(Break(name))
        elif name == "widths":
            self.widths = el.widths
        elif name == "sheet":
            self.sheet = _plain(el[0])
        elif name == "signature":
            left, right = el
            self.out.append(Paragraph("signature", [Run(_plain(left), bold=True)],
                                      right=[Run(_plain(right), bold=True)]))


def _plain(el: Element) -> str:
    """An element's text without its markup, stripped."""
    return "".join(el.itertext()).strip()


def _squash(text: str) -> str:
    """Soft line breaks and runs of spaces of the Markdown source as one space."""
    return re.sub(r"[ \t\r\n]+", " ", text)
