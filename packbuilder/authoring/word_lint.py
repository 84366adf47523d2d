"""Checking Word-authored templates: a user's ``<name>.docx`` with Jinja tags, read before docxtpl renders it.

Reading a Word template (:func:`read_docx_template`) gives, per part (the body, each header
and footer), one line of Jinja source per paragraph, so that a Jinja error's line number is
the paragraph's number, and the problems Word makes that docxtpl cannot repair (Word splits
tags across runs, kk/ru autocorrect turns quotes into «»; docxtpl's documentation, «Jinja2-like syntax» and «Split tags»):

- a tag split across paragraphs, or across a hyperlink, field or content control;
- a tag split into runs of different formatting (the value would take the first run's);
- «», „ quotes inside a tag (kk/ru autocorrect of " and '; “” and ‘’ docxtpl straightens);
- table row loops that cannot work: ``{%tr for %}`` and its ``{%tr endfor %}`` in the same
  row, in different tables, or outside a table; other text in a row that holds a ``{%tr %}``
  tag (docxtpl removes the row); a plain ``{% for %}`` / ``{% if %}`` opened in one table
  cell and closed in another cell, row or outside the table (use ``{%tr %}``).

Rendering a Word template is :mod:`packbuilder.write.word_template`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _
from packbuilder.inputs.spreadsheet import check_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _R, _T, _TC, _TR, _TBL = (f"{{{W}}}{t}" for t in ("p", "r", "t", "tc", "tr", "tbl"))
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
"""A Jinja tag within a paragraph's text."""
_BLOCK = re.compile(r"\{%-?\s*(?:(tr|tc|p|r)\s+)?(\w+)")
_OPENERS = {"for", "if", "macro", "call", "filter", "with", "block", "raw", "autoescape"}
_MIDDLES = {"elif", "else"}
_DOCXTPL_ONLY = re.compile(r"\{%-?\s*(?:cellbg|colspan|hm|vm)\b.*?%\}")
_ROW_TAG = re.compile(r"\{%-?tr\s.*?%\}")
_PREFIX = re.compile(r"(\{[{%]-?)(?:tr|tc|p|r)(?=\s)")
BAD_QUOTES = "«»„"
"""Quotes that kk/ru autocorrect puts where " was typed; Jinja cannot read them in a tag."""
CURLY_QUOTES = "“”‘’"
"""Quotes docxtpl turns back into straight ones inside tags (not so in .md templates)."""
_IGNORED_RPR = {"rFonts", "lang", "noProof", "rsidRPr", "rsidR", "rsidDel", "rsidRDefault", "spellStart",
                "spellEnd", "proofErr", "webHidden", "szCs"}


@dataclass
class DocxParagraph:
    """One paragraph of a Word template: ``n`` its number in its part (1-based, table cells
    included, in reading order), ``where`` how to find it («paragraph 7», «paragraph 12 in
    table 1, row 2, cell 3»), ``text``, its w:t pieces as (start, end, run element), and the
    table cell, row and table it is in (None outside tables)."""

    n: int
    where: str
    text: str
    pieces: list[tuple[int, int, Any]]
    cell: Any = None
    row: Any = None
    table: Any = None

    def label(self) -> str:
        """``where`` with the start of the text, to find it in Word."""
        short = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return f"{self.where} «{short}»"


@dataclass
class DocxSource:
    """A Word template read for checking: per part (``document``, ``header1`` …) its
    paragraphs and its Jinja source (line N = paragraph N), and the problems found."""

    path: Path
    parts: dict[str, list[DocxParagraph]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, part: str, line: int | None) -> str:
        """``policy.docx: paragraph 7 «…»`` for a Jinja line number of ``part``."""
        paras = self.parts.get(part, [])
        prefix = "" if part == "document" else f"{part} "
        if line is not None and 1 <= line <= len(paras):
            return f"{self.path}: {prefix}{paras[line - 1].label()}"
        return f"{self.path}" + (f": {part}" if prefix else "")


def _part_names(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    names = [n for n in z.namelist() if re.fullmatch(r"word/(header|footer)\d*\.xml", n)]
    return [("document", "word/document.xml")] + [(n[5:-4], n) for n in sorted(names)]


def _paragraphs(root) -> list[DocxParagraph]:
    out = []
    tables = list(root.iter(_TBL))  # kept alive, so that lxml gives the same element objects
    for n, p in enumerate(root.iter(_P), start=1):
        pieces, text = [], ""
        for t in p.iter(_T):
            s = t.text or ""
            pieces.append((len(text), len(text) + len(s), t.getparent()))
            text += s
        cell = next((a for a in p.iterancestors(_TC)), None)
        where = _("paragraph {n}").format(n=n)
        row = table = None
        if cell is not None:
            row = cell.getparent()
            table = row.getparent()
            r = [x for x in table if x.tag == _TR].index(row) + 1
            c = [x for x in row if x.tag == _TC].index(cell) + 1
            where = _("paragraph {n} in table {table}, row {row}, cell {cell}").format(
                n=n, table=tables.index(table) + 1, row=r, cell=c)
        out.append(DocxParagraph(n, where, text, pieces, cell, row, table))
    return out


def _rpr_key(run) -> str:
    """A run's formatting without what Word changes on its own (revision ids, proofing,
    language, fonts of the script)."""
    rpr = run.find(f"{{{W}}}rPr")
    if rpr is None:
        return ""
    return "".join(sorted(etree.QName(e).localname + str(sorted(e.attrib.items()))
                          for e in rpr if etree.QName(e).localname not in _IGNORED_RPR))


def _wrappers(run) -> list[str]:
    """The elements between a run and its paragraph (hyperlink, field, content control)."""
    out = []
    for a in run.iterancestors():
        if a.tag == _P:
            break
        out.append(etree.QName(a).localname)
    return out


def quote_problems(tag: str, curly_ok: bool) -> str:
    """The quotes of a tag's text that Jinja cannot read (outside string literals), "" when
    none: «», „ always, “”‘’ unless ``curly_ok`` (docxtpl straightens those)."""
    bad = BAD_QUOTES + ("" if curly_ok else CURLY_QUOTES)
    found, quote = [], None
    for ch in tag:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in bad:
            found.append(ch)
    return "".join(dict.fromkeys(found))


def quote_message(found: str) -> str:
    """The problem of quotes ``found`` inside a tag, in the interface language."""
    return _("{quotes} quotes inside the tag: write straight quotes \" or ' (Word's autocorrect changes them: "
             "File › Options › Proofing › AutoCorrect options › AutoFormat as you type › «Straight quotes with "
             "smart quotes» off)").format(quotes=" ".join(found))


def straighten(text: str) -> str:
    """``text`` with «» „ “ ” as \" and ‘ ’ as ', to keep reading a template after their
    problem was reported."""
    return re.sub("[«»„“”]", '"', re.sub("[‘’]", "'", text))


def read_docx_template(path: Path) -> DocxSource:
    """Read the Word template at ``path``: its paragraphs, Jinja source and the problems of
    Word's making listed in the module's docstring (each with its paragraph). Raises
    InputError when the file is not a .docx (not a zip, no ``word/document.xml``) or too
    large to open safely (:func:`packbuilder.inputs.spreadsheet.check_zip`)."""
    path = Path(path)
    src = DocxSource(path)
    try:
        check_zip(path)  # a zip bomb is refused before a part is read
        with zipfile.ZipFile(path) as z:
            xml = {part: z.read(name) for part, name in _part_names(z)}
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(Problem(str(path), _("not a Word .docx document ({error}); save it in Word as "
                                              "«Word Document (*.docx)»").format(error=exc))) from None
    for part, data in xml.items():
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            raise InputError(Problem(str(path), _("{part}: not readable XML ({error})").format(
                part=part, error=exc))) from None
        paras = _paragraphs(root)
        src.parts[part] = paras
        lines = []
        for p in paras:
            lines.append(_check_paragraph(src, part, p))
        _check_blocks(src, part, paras)
        src.sources[part] = "\n".join(lines) + "\n"
    return src


def _problem(src: DocxSource, part: str, p: DocxParagraph, message: str) -> None:
    src.problems.append(Problem(src.where(part, p.n), message))


def _check_paragraph(src: DocxSource, part: str, p: DocxParagraph) -> str:
    """Check the tags of one paragraph; return its line of Jinja source."""
    text = p.text
    rest = TAG.sub(lambda m: " " * len(m.group(0)), text)
    if re.search(r"\{[{%#]", rest):
        _problem(src, part, p, _("a tag is not closed in this paragraph: a tag must be within one paragraph "
                                 "(Word may have split it with a line or paragraph break; retype it)"))
        return ""
    if re.search(r"[}%#]\}", rest):
        _problem(src, part, p, _("closes a tag that is not opened in this paragraph: a tag must be within one "
                                 "paragraph (Word may have split it with a line or paragraph break; retype it)"))
        return ""
    line = text
    for m in TAG.finditer(text):
        tag = m.group(0)
        runs = [r for start, end, r in p.pieces if start < m.end() and end > m.start()]
        runs = list(dict.fromkeys(runs))
        if len(runs) > 1:
            wrappers = {tuple(_wrappers(r)) for r in runs}
            if len(wrappers) > 1:
                inside = sorted({w for ws in wrappers for w in ws}) or [_("plain text")]
                _problem(src, part, p, _("the tag {tag} is split by Word across a {elements}; retype it as plain "
                                         "text in one go").format(tag=tag, elements=", ".join(inside)))
            elif len({_rpr_key(r) for r in runs}) > 1:
                _problem(src, part, p, _("the tag {tag} is split by Word into parts of different formatting; "
                                         "the value would take only the first part's: select the whole tag and "
                                         "give it one formatting (or retype it)").format(tag=tag))
        found = quote_problems(tag, curly_ok=True)
        if found:
            _problem(src, part, p, f"{tag}: {quote_message(found)}")
    line = _DOCXTPL_ONLY.sub("", line)
    line = _PREFIX.sub(r"\1", line)
    return straighten(line)


def _check_blocks(src: DocxSource, part: str, paras: list[DocxParagraph]) -> None:
    """Pair block tags ({% for %} … {% endfor %}) across paragraphs and check that each pair
    can work where it is (row loops, cell boundaries)."""
    stack: list[tuple[str, str | None, DocxParagraph, str]] = []
    rows_reported: list = []
    for p in paras:
        tags = [m.group(0) for m in TAG.finditer(p.text) if m.group(0).startswith("{%")]
        for tag in tags:
            m = _BLOCK.match(tag)
            if not m:
                continue
            prefix, word = m.group(1), m.group(2)
            if prefix in ("tr", "tc") and p.row is None:
                message = (_("{tag} is not in a table: {{%tr … %}} tags go in a table row") if prefix == "tr"
                           else _("{tag} is not in a table: {{%tc … %}} tags go in a table cell"))
                _problem(src, part, p, message.format(tag=tag))
                continue
            if prefix == "tr" and not any(r is p.row for r in rows_reported):
                rows_reported.append(p.row)
                others = _ROW_TAG.sub("", "".join(x.text for x in _row_paragraphs(p.row, paras))).strip()
                if others:
                    _problem(src, part, p, _("{tag}: docxtpl removes the row holding a {{%tr %}} tag, so its "
                                             "other text «{text}» would be lost; give the tag a row of its own"
                                             ).format(tag=tag, text=others[:40]))
            if word == "set" and "=" in tag:
                continue
            if word in _OPENERS or (word == "set"):
                stack.append((word, prefix, p, tag))
            elif word in _MIDDLES or word.startswith("end"):
                opener = word[3:] if word.startswith("end") else None
                if not stack or (opener is not None and stack[-1][0] != opener) \
                        or (opener is None and stack[-1][0] not in ("if", "for")):
                    continue  # Jinja reports the unmatched tag as a syntax error
                o_word, o_prefix, o_para, o_tag = stack[-1]
                if opener is not None:
                    stack.pop()
                problem = _pair_problem(o_prefix, o_para, o_tag, prefix, p, tag)
                if problem:
                    _problem(src, part, p, problem)


def _row_paragraphs(row, paras: list[DocxParagraph]) -> list[DocxParagraph]:
    return [x for x in paras if x.row is row]


def _pair_problem(o_prefix, o_para: DocxParagraph, o_tag: str, prefix, p: DocxParagraph, tag: str) -> str:
    """Why the block opened by ``o_tag`` and continued or closed by ``tag`` cannot work, ""
    when it can."""
    if o_prefix != prefix and (o_prefix in ("tr", "tc") or prefix in ("tr", "tc")):
        return _("{tag} closes {opening} ({where}); both need the same {form} form").format(
            tag=tag, opening=o_tag, where=o_para.where, form=f"{{%{o_prefix or prefix} … %}}")
    if prefix == "tr":
        if o_para.table is not p.table:
            return _("{tag} is in another table than {opening} ({where}); a row loop stays in one table").format(
                tag=tag, opening=o_tag, where=o_para.where)
        if o_para.row is p.row:
            return _("{opening} and {tag} are in the same table row, which docxtpl removes, so there is nothing "
                     "to repeat: put {opening} in a row above the rows to repeat and {tag} in a row below them"
                     ).format(tag=tag, opening=o_tag)
        rows = [r for r in p.table if r.tag == _TR]
        if rows.index(p.row) == rows.index(o_para.row) + 1:
            return _("no row between {opening} ({where}) and {tag}, so there is nothing to repeat: the rows to "
                     "repeat go between them").format(tag=tag, opening=o_tag, where=o_para.where)
        return ""
    if prefix == "tc":
        if o_para.row is not p.row or o_para.cell is p.cell:
            return _("{opening} and {tag} must be in different cells of the same row (a column loop)").format(
                tag=tag, opening=o_tag)
        return ""
    if o_para is p:
        return ""
    if o_para.cell is not p.cell:
        return _("{opening} ({where}) and {tag} are in different table cells or rows, or one is outside the "
                 "table: that breaks the table. To repeat table rows put {{%tr for … %}} in a row of its own "
                 "above the rows and {{%tr endfor %}} in a row of its own below; inside one cell, keep the "
                 "block in that cell").format(tag=tag, opening=o_tag, where=o_para.where)
    return ""
