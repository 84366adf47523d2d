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
from lxml import etree

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _
from packbuilder.render.layout import Block
from packbuilder.render.templates import describe_error, template_line
from packbuilder.write import oxml
from packbuilder.write.docx import DocxWriter
from packbuilder.write.package import read_parts, write_package


def render_docx(template: Path, env, context: dict[str, Any]) -> list[tuple[str, bytes]]:
    """Render the Word template ``template`` with ``context`` in ``env`` (the sandboxed
    Word environment of :class:`templates.TemplateSet`, values XML-escaped); returns the
    rendered package's parts. A new DocxTemplate per render (a DocxTemplate cannot be rendered twice).

    Raises InputError naming the template and paragraph for a template error (undefined
    variable, forbidden operation, syntax error)."""
    from docxtpl import DocxTemplate  # imported when first needed: it takes a while

    tpl = DocxTemplate(str(template))
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except (TemplateError, AttributeError, TypeError, ValueError, KeyError, IndexError, OverflowError,
            ArithmeticError, RecursionError) as exc:
        where = str(template)
        line = getattr(exc, "lineno", None) or template_line(exc.__traceback__, ("<template>",))
        if line:
            xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml())).splitlines()
            if line <= len(xml):
                text = re.sub(r"<[^>]+>", "", xml[line - 1]).strip()
                where = _("{file}: the paragraph «{text}»").format(file=where, text=text[:60])
        raise InputError(Problem(where, describe_error(exc))) from None
    buf = io.BytesIO()
    tpl.save(buf)
    return read_parts(buf.getvalue())


def _last_section(body: etree._Element) -> etree._Element | None:
    """The ``w:sectPr`` of the last section of the document whose ``w:body`` is ``body``: the
    body's own, else the last one ending a section in a paragraph; None when there is none."""
    sect = body.find(oxml.qn("w:sectPr"))
    if sect is None:
        inner = body.findall(f"{oxml.qn('w:p')}/{oxml.qn('w:pPr')}/{oxml.qn('w:sectPr')}")
        sect = inner[-1] if inner else None
    return sect


def write_docx(parts: list[tuple[str, bytes]], path: Path, lang: str, created: dt.date,
               blocks: list[Block] | None = None) -> None:
    """Write the rendered Word template ``parts`` to ``path``, with ``blocks`` (the change
    sheet) appended at the end of its body, laid out by :meth:`DocxWriter.append_blocks` as
    wide as the text of the document's last section, and the document times fixed to
    ``created`` so that equal input gives equal bytes. Raises KeyError when ``parts`` has no
    ``word/document.xml`` and ``blocks`` are given."""
    names = dict(parts)
    replace = {}
    if blocks:
        writer = DocxWriter(lang)
        root = oxml.parse(names["word/document.xml"])
        body = root.find(oxml.qn("w:body"))
        page = oxml.read_page(_last_section(body), writer.base.page)
        writer.append_blocks(body, blocks, page.text_width)
        replace["word/document.xml"] = oxml.serialize(root)
    if "docProps/core.xml" in names:
        replace["docProps/core.xml"] = oxml.fixed_core_times(names["docProps/core.xml"], created)
    write_package(path, parts, replace)
