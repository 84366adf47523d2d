"""Word-authored templates: a user's ``<name>.docx`` with Jinja tags, rendered with docxtpl
in the sandbox (:func:`render_docx`) and written with packbuilder's layout blocks (the
change sheet) appended at its end (:func:`write_docx`). Checking such a template is
:mod:`packbuilder.authoring.word_lint`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from packbuilder.errors import InputError, Problem
from packbuilder.render.layout import Block
from packbuilder.render.templates import describe_error, template_line
from packbuilder.write.docx import DocxWriter
from packbuilder.write.package import fixed_core_times, read_parts, write_package


def render_docx(template: Path, env, context: dict[str, Any]) -> list[tuple[str, bytes]]:
    """Render the Word template ``template`` with ``context`` in ``env`` (the sandboxed
    Word environment of :class:`templates.TemplateSet`, values XML-escaped); returns the
    rendered package's parts. A new DocxTemplate per render (DESIGN.md pitfall 3).

    Raises InputError naming the template and paragraph for a template error (undefined
    variable, forbidden operation, syntax error)."""
    from docxtpl import DocxTemplate  # imported when first needed: it takes a while

    tpl = DocxTemplate(str(template))
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except (TemplateError, AttributeError, TypeError, ValueError, KeyError, IndexError, OverflowError,
            ArithmeticError) as exc:
        where = str(template)
        line = getattr(exc, "lineno", None) or template_line(exc.__traceback__, ("<template>",))
        if line:
            xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml())).splitlines()
            if line <= len(xml):
                text = re.sub(r"<[^>]+>", "", xml[line - 1]).strip()
                where += f": the paragraph «{text[:60]}»"
        raise InputError(Problem(where, describe_error(exc))) from None
    buf = io.BytesIO()
    tpl.save(buf)
    return read_parts(buf.getvalue())


def _text_width(document_xml: str) -> int:
    """The width between the margins of the last section, in twips (A4 portrait with
    packbuilder's margins when the document does not say)."""
    sect = re.findall(r"<w:sectPr[ >].*?</w:sectPr>", document_xml, re.S)
    last = sect[-1] if sect else ""

    def attr(tag: str, name: str, default: int) -> int:
        m = re.search(rf"<w:{tag}\b[^>]*\bw:{name}=\"(\d+)\"", last)
        return int(m.group(1)) if m else default

    return attr("pgSz", "w", 11906) - attr("pgMar", "left", 1701) - attr("pgMar", "right", 850)


def write_docx(parts: list[tuple[str, bytes]], path: Path, lang: str, created: dt.date,
               blocks: list[Block] | None = None) -> None:
    """Write the rendered Word template ``parts`` to ``path``, with ``blocks`` (the change
    sheet) appended at the end of its body, laid out by :meth:`DocxWriter.blocks_xml`, and
    the document times fixed to ``created`` so that equal input gives equal bytes."""
    names = dict(parts)
    replace = {}
    if blocks:
        doc = names["word/document.xml"].decode("utf-8")
        body_end = doc.rindex("</w:body>")
        sect = doc.rfind("<w:sectPr", 0, body_end)
        at = sect if sect != -1 and doc.rfind("</w:p>", 0, body_end) < sect else body_end
        fragment = DocxWriter(lang).blocks_xml(blocks, _text_width(doc))
        replace["word/document.xml"] = (doc[:at] + fragment + doc[at:]).encode("utf-8")
    if "docProps/core.xml" in names:
        replace["docProps/core.xml"] = fixed_core_times(names["docProps/core.xml"], created)
    write_package(path, parts, replace)
