"""Rendered template text (Markdown) → a list of layout blocks that the docx and xlsx
writers lay out.

Values never pass through Markdown: the template environment puts a placeholder token
where each value goes (:func:`value_token`), the Markdown is parsed, and the tokens are
replaced by the literal values in the text runs (DESIGN.md pitfall 9). The layout syntax is
templates/README.md «Layout».
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor

TOKEN_OPEN, TOKEN_CLOSE = "\ue000", "\ue001"
TOKEN = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")
"""A value token; group 1 is the value's index."""


def value_token(index: int) -> str:
    """The placeholder standing for value number ``index`` of a render."""
    return f"{TOKEN_OPEN}{index}{TOKEN_CLOSE}"


@dataclass
class Run:
    """Text with its emphasis; ``\\n`` in ``text`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


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
    header. ``widths`` are relative column widths; ``sheet`` names the xlsx sheet it goes to."""

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


class _Capture(Treeprocessor):
    def run(self, root: Element) -> None:
        self.md.captured_root = root


class _CaptureExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Capture(md), "packbuilder_capture", -100)


def _new_parser() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "attr_list", "sane_lists", _CaptureExtension()])


_PARSER: markdown.Markdown | None = None
STRUCTURE_CACHE_SIZE = 160  # a pack renders 66 templates per language; see parse()


def parse(text: str, values: list[str]) -> list[Block]:
    """The blocks of rendered Markdown ``text`` whose tokens stand for ``values``.

    The Markdown is parsed with tokens in place of values, so the same ``text`` always gives
    the same structure: it is cached (the last STRUCTURE_CACHE_SIZE texts of the process)
    and only the values are filled in. Twelve protocols of a pack, or the policy of two
    organizations with equal staff lists, are parsed once.
    Raises TemplateLayoutError for an unknown ``:::`` directive.
    """
    return _fill(_structure(text), values)


@functools.lru_cache(maxsize=STRUCTURE_CACHE_SIZE)
def _structure(text: str) -> tuple[Block, ...]:
    """The blocks of ``text`` with the value tokens left in their texts and the runs of each
    paragraph or cell not yet merged (see _fill)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = _new_parser()
    md = _PARSER
    md.reset()
    md.convert(text)
    root = md.captured_root
    return tuple(_Converter().blocks(root))


def _fill(blocks: tuple[Block, ...], values: list[str]) -> list[Block]:
    """New blocks with each token replaced by its value, runs merged and trimmed."""
    def sub(text: str) -> str:
        return TOKEN.sub(lambda m: values[int(m.group(1))], text) if TOKEN_OPEN in text else text

    def runs(raw: list[Run]) -> list[Run]:
        return _merge([Run(sub(r.text), r.bold, r.italic) for r in raw])

    out: list[Block] = []
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
    return out


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
    """Markdown element tree → blocks whose texts still hold the value tokens."""

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
        _inline_attrs(el)
        classes = tuple((el.get("class") or "").split())
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            kind = {"h1": "title", "h2": "chapter"}.get(tag, "heading")
            self.out.append(Paragraph(kind, self.runs(el), classes))
        elif tag == "p":
            raw = "".join(el.itertext()).strip()
            if raw.startswith(":::"):
                self.directive(raw[3:].strip())
                return
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
            raise TemplateLayoutError(
                f"'::: widths' gives {len(widths)} columns but the table has {len(rows[0])}")
        self.out.append(Table(rows, header_rows or 1, widths, sheet))

    def directive(self, text: str) -> None:
        name, _, arg = text.partition(" ")
        arg = arg.strip()
        if name == "pagebreak":
            self.out.append(Break("page"))
        elif name in ("landscape", "portrait"):
            self.out.append(Break(name))
        elif name == "widths":
            try:
                self.widths = [float(x) for x in arg.split()]
            except ValueError:
                raise TemplateLayoutError(f"'::: widths' expects numbers, got '{arg}'") from None
        elif name == "sheet":
            self.sheet = arg
        elif name == "signature":
            left, _, right = arg.partition("|")
            self.out.append(Paragraph("signature", [Run(left.strip(), bold=True)],
                                      right=[Run(right.strip(), bold=True)]))
        else:
            raise TemplateLayoutError(f"unknown directive '::: {name}'")


INLINE_ATTRS = re.compile(r"[ \t]*\{:?[ ]*(\.[\w-]+(?:[ ]+\.[\w-]+)*)[ ]*\}[ \t]*$")
"""A ``{: .class }`` at the end of a line (the layout classes of templates/README.md)."""


def _inline_attrs(el: Element) -> None:
    """Apply a ``{: .class }`` written at the end of a paragraph's last line (python-markdown
    reads it only on a line of its own) and remove it from the text. Only template text can
    hold it: values are still tokens here."""
    if el.tag not in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
        return
    holder, attr = (el[-1], "tail") if len(el) else (el, "text")
    text = getattr(holder, attr) or ""
    m = INLINE_ATTRS.search(text)
    if not m:
        return
    setattr(holder, attr, text[:m.start()])
    classes = (el.get("class") or "").split() + [c.lstrip(".") for c in m.group(1).split()]
    el.set("class", " ".join(classes))


def _squash(text: str) -> str:
    """Soft line breaks and runs of spaces of the Markdown source as one space."""
    return re.sub(r"[ \t\r\n]+", " ", text)
