"""The baseline of the benchmark: a plain docxtpl loop over Word templates equivalent to
packbuilder's documents.

For every organization and every .docx document of its pack::

    tpl = DocxTemplate(template)      # a new one per document: docxtpl cannot render twice
    tpl.render(context, autoescape=True)
    tpl.save(out)

in one process, nothing kept between documents except what docxtpl keeps itself
(:func:`run_loop`; ``autoescape=True`` is what docxtpl needs for values holding ``&`` or
``<``).

How the Word templates are made (:func:`make_templates`; setup, not timed). packbuilder's
template engine puts a placeholder for every ``{{ value }}`` it outputs and fills the values
in after the Markdown is parsed (packbuilder/render/layout.py). Here each document is
rendered the way packbuilder renders it (the same template, context and change sheet) and
laid out twice by packbuilder's own writer (:class:`DocxWriter`): once with the values,
which is the document packbuilder writes, and once with a marker in place of every value,
which becomes the Word template. So the template has the same page set-up, styles,
paragraphs, tables and static text, and a docxtpl tag where packbuilder inserts a value:

- every marker becomes a tag, ``{{ v[17] }}``, whole inside one run; the context maps
  ``v`` to the values, which are the final texts (dates already formatted, names already
  declined): the docxtpl templates compute nothing, which favours docxtpl;
- table rows laid out alike that differ only in their values (a staff list, the rows of a
  register) become one row in a ``{%tr for row in t0 %}`` … ``{%tr endfor %}`` loop whose
  cells are ``{{ row[0] }}``, ``{{ row[1] }}``…, as someone writing the template by hand
  would do; paragraphs a Jinja loop repeated, the ``{% if %}`` branches a profile selects
  and a loop that made a single row stay unrolled, so an organization whose staff or
  profile selects other text gets its own variant of the template. Equal templates are
  stored once (``templates_made`` counts them);
- paragraph properties are taken from the document with the values (packbuilder centres a
  table cell holding a short number, which depends on the value); a folded row's cells must
  have the same properties in every row it stands for;
- a ``{{``, ``{%`` or ``{#`` in the static text is escaped as ``{{ '{' }}…``.

:func:`compare` checks that docxtpl's output is the document packbuilder writes: the same
paragraphs (body and table cells, in order) with the same properties and the same text in
the same bold, italic and size (a value's non-breaking hyphen is Word's ``w:noBreakHyphen``
in packbuilder's document, the character U+2011 in docxtpl's: the same). The benchmark runs
it on packbuilder's own output.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from packbuilder.model.catalogue import CATALOGUE
from packbuilder.pack.revisions import CHANGE_SHEET_NAME, CHANGE_SHEET_TITLE, new_revision
from packbuilder.render.context import document_context, pack_context
from packbuilder.render.layout import Break, Paragraph, parse
from packbuilder.render.templates import template_set
from packbuilder.write.docx import DocxWriter
from packbuilder.write.oxml import NB_HYPHEN

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MARK_OPEN, _MARK_CLOSE = "\ue010", "\ue011"  # not layout.TOKEN_OPEN/CLOSE (\ue000, \ue001)
_MARK = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


DOCX_ONLY = [d.id for d in CATALOGUE if tuple(d.forms) == ("docx",)]
"""The documents written as a .docx alone (no .xlsx beside it)."""


def _marker(i: int) -> str:
    return f"{_MARK_OPEN}{i}{_MARK_CLOSE}"


@dataclass
class Job:
    """One document of the loop: ``rel`` its path in the pack (``kk/03-policy.docx``),
    ``template`` its Word template, ``context`` what the template is rendered with."""

    rel: str
    template: Path
    context: dict


def _files(profile, ids: list[str] | None):
    """(lang, doc, rel, template name, extra context) of every .docx of the pack, as
    packbuilder names and renders them."""
    for lang in profile.languages:
        templates = template_set(lang)
        base = pack_context(profile, lang, templates.topics())
        for doc in CATALOGUE:
            if "docx" not in doc.forms or (ids is not None and doc.id not in ids):
                continue
            if not doc.parts:
                yield lang, templates, base, doc, f"{lang}/{doc.stem}.docx", doc.id, {}
                continue
            for part in doc.parts:
                for item in (base[part.repeat] if part.repeat else [None]):
                    name = part.name.format(**item) if item is not None else part.name
                    extra = {part.repeat.rstrip("s"): item} if item is not None else {}
                    yield lang, templates, base, doc, f"{lang}/{doc.stem}/{name}.docx", part.template, extra


def make_templates(profile, folder: Path, ids: list[str] | None = None) -> list[Job]:
    """The Word templates and contexts of every .docx of ``profile``'s pack (the documents
    ``ids``, all when None), the templates written to ``folder`` (equal ones once)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for lang, templates, base, doc, rel, name, extra in _files(profile, ids):
        text, values = templates.render_markdown(name, document_context(base, doc, lang, **extra))
        real = parse(text, values)
        marked = parse(text, [_marker(i) for i in range(len(values))])
        first = next((b for b in real if not isinstance(b, Break)), None)
        if doc.annex is not None and isinstance(first, Paragraph) and first.kind == "approval":
            # an approved annex ends with the change sheet (pack/build.py, render_document); an
            # order that only names its annexes' approval further on has none
            ctx = document_context(base, doc, lang)
            ctx["revisions"] = [new_revision(profile, 1).context(lang)]
            ctx["change_sheet"] = {"title": CHANGE_SHEET_TITLE[lang], "sheet": CHANGE_SHEET_NAME[lang]}
            stext, svalues = templates.render_markdown("_change_sheet", ctx)
            real += parse(stext, svalues)
            marked += parse(stext, [_marker(len(values) + i) for i in range(len(svalues))])
            values = values + svalues
        writer = DocxWriter(lang)
        document, context = word_template(writer.document_xml(real), writer.document_xml(marked), values)
        scratch = folder / "scratch.docx"
        writer.write(marked, scratch, doc.title(lang, profile.year), profile.approval.date)
        data = _replace_part(scratch, "word/document.xml", document)
        path = folder / f"{hashlib.sha256(data).hexdigest()[:20]}.docx"
        if not path.exists():
            path.write_bytes(data)
        jobs.append(Job(rel, path, context))
    (folder / "scratch.docx").unlink(missing_ok=True)
    return jobs


def templates_made(folder: Path) -> int:
    """How many distinct Word templates ``folder`` holds."""
    return sum(1 for _ in Path(folder).glob("*.docx"))


def _replace_part(package: Path, name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, data if info.filename == name else src.read(info.filename))
    return buf.getvalue()


def word_template(real_xml: str, marked_xml: str, values: list[str]) -> tuple[bytes, dict]:
    """The ``word/document.xml`` of the Word template and its context, from the document
    laid out with the values (``real_xml``) and with markers for them (``marked_xml``)."""
    real = etree.fromstring(real_xml.encode("utf-8"))
    tpl = etree.fromstring(marked_xml.encode("utf-8"))
    real_p, tpl_p = list(real.iter(_W + "p")), list(tpl.iter(_W + "p"))
    if len(real_p) != len(tpl_p):
        raise AssertionError(f"{len(real_p)} paragraphs with the values, {len(tpl_p)} with markers")
    for a, b in zip(real_p, tpl_p):
        pa, pb = a.find(_W + "pPr"), b.find(_W + "pPr")
        if pb is not None:
            b.remove(pb)
        if pa is not None:
            b.insert(0, copy.deepcopy(pa))

    context: dict = {"v": []}
    tags: dict[int, str] = {}  # marker → tag, for the markers of loop rows
    loops: list[tuple[etree._Element, str]] = []
    for tbl in tpl.iter(_W + "tbl"):
        rows = tbl.findall(_W + "tr")
        i = 0
        while i < len(rows):
            shape = _shape(rows[i])
            j = i + 1
            while j < len(rows) and shape is not None and _shape(rows[j]) == shape:
                j += 1
            if j - i >= 2:
                name = f"t{len(loops)}"
                context[name] = [[values[int(k)] for k in _MARK.findall(etree.tostring(r, encoding="unicode"))]
                                 for r in rows[i:j]]
                for n, k in enumerate(_MARK.findall(etree.tostring(rows[i], encoding="unicode"))):
                    tags[int(k)] = f"{{{{ row[{n}] }}}}"
                for r in rows[i + 1:j]:
                    tbl.remove(r)
                loops.append((rows[i], name))
            i = j

    def tag(m: re.Match) -> str:
        k = int(m.group(1))
        if k not in tags:
            tags[k] = f"{{{{ v[{len(context['v'])}] }}}}"
            context["v"].append(values[k])
        return tags[k]

    for t in tpl.iter(_W + "t"):
        if t.text:
            t.text = _MARK.sub(tag, _JINJA_OPEN.sub("{{ '{' }}", t.text))
    for row, name in loops:
        row.addprevious(_control_row(f"{{%tr for row in {name} %}}"))
        row.addnext(_control_row("{%tr endfor %}"))
    return etree.tostring(tpl, xml_declaration=True, encoding="UTF-8", standalone=True), context


def _shape(row) -> str | None:
    """The row's XML with its markers blanked; None when it has no marker."""
    xml = etree.tostring(row, encoding="unicode")
    return _MARK.sub(_MARK_OPEN, xml) if _MARK.search(xml) else None


def _control_row(text: str):
    tr = etree.Element(_W + "tr")
    t = etree.SubElement(etree.SubElement(etree.SubElement(etree.SubElement(tr, _W + "tc"), _W + "p"),
                                          _W + "r"), _W + "t")
    t.text = text
    return tr


def run_loop(jobs: list[Job], out: Path) -> int:
    """Render every job's template with docxtpl into ``out``/rel; returns the count. The
    folders are made first, outside the loop."""
    from docxtpl import DocxTemplate

    for job in jobs:
        (Path(out) / job.rel).parent.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        tpl = DocxTemplate(str(job.template))
        tpl.render(job.context, autoescape=True)
        tpl.save(str(Path(out) / job.rel))
    return len(jobs)


# the check ----------------------------------------------------------------------------------

def _props(el) -> tuple:
    if el is None:
        return ()
    return tuple((etree.QName(e).localname, tuple(sorted((etree.QName(k).localname, v) for k, v in e.attrib.items())))
                 for e in el.iter())


def _runs(p) -> list[tuple]:
    """(properties, text) of the paragraph's runs, neighbours of equal properties merged,
    empty ones dropped; a line break reads \\n, a page break \\f, a tab \\t, Word's
    non-breaking hyphen U+2011 (the character docxtpl writes for it from a value)."""
    out: list[list] = []
    for r in p.iter(_W + "r"):
        props = _props(r.find(_W + "rPr"))
        text = ""
        for e in r:
            if e.tag == _W + "t":
                text += e.text or ""
            elif e.tag == _W + "br":
                text += "\f" if e.get(_W + "type") == "page" else "\n"
            elif e.tag == _W + "tab":
                text += "\t"
            elif e.tag == _W + "noBreakHyphen":
                text += NB_HYPHEN
        if not text:
            continue
        if out and out[-1][0] == props:
            out[-1][1] += text
        else:
            out.append([props, text])
    return [tuple(x) for x in out]


def layout(path: Path) -> list[tuple]:
    """What :func:`compare` compares of a .docx: every paragraph of the body and of its table
    cells, in order, as (paragraph properties, runs), then the final section properties."""
    import docx  # python-docx

    body = docx.Document(str(path)).element.body
    out = [(_props(p.find(_W + "pPr")), _runs(p)) for p in body.iter(_W + "p")]
    out.append(_props(body.find(_W + "sectPr")))
    return out


def text(path: Path) -> list[str]:
    """The text of every paragraph of the body and of its table cells, in order (python-docx,
    which reads Word's ``w:noBreakHyphen`` as «-»; the character U+2011 that docxtpl writes
    for it from a value is read so too)."""
    import docx

    d = docx.Document(str(path))
    lines = []
    for block in d.iter_inner_content():
        if hasattr(block, "rows"):
            lines += [cell.text for row in block.rows for cell in row.cells]
        else:
            lines.append(block.text)
    return [line.replace(NB_HYPHEN, "-") for line in lines]


def compare(ours: Path, theirs: Path) -> str | None:
    """None when the .docx ``ours`` has the text and layout of ``theirs``, else what differs."""
    a, b = text(ours), text(theirs)
    if a != b:
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return (f"text differs at paragraph/cell {at}: {a[at] if at < len(a) else '<end>'!r} "
                f"vs {b[at] if at < len(b) else '<end>'!r}")
    a, b = layout(ours), layout(theirs)
    if a != b:
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return f"layout differs at paragraph {at}: {a[at] if at < len(a) else '<end>'} vs " \
               f"{b[at] if at < len(b) else '<end>'}"
    return None
