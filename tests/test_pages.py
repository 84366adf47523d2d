"""Print-ready: every page of every PDF of the sample packs looks right.

The samples of the session's `pdf_packs` fixture (the three of `packs` and the JSC with 140
employees, samples/jsc_board.yaml) are built once with ``pdf=True``; then, for every PDF of
both languages, on every page:

- fonts: every font is embedded and Liberation Serif or Times New Roman, none a fallback
  (:func:`packbuilder.write.pdf.font_problems`), and no document lost its PDF to that check;
- no page holds fewer than 3 lines of text, except a document's last one (a signature line
  or a sentence pushed alone onto a page);
- no table header cell breaks a word: every word of more than 3 letters in the header rows
  of the .docx's tables (the rows marked ``w:tblHeader``, or a table's first row) is whole.

Each test collects every failure of a pack and asserts once, naming file, page and word or
font, so that one run shows everything.

The text is read with poppler's ``pdftotext``, not pypdf: ``-layout`` places the text by its
position on the page, so one output line is one printed line (pypdf's ``extract_text`` gives
a line per run of text in content order: a table row of wrapped cells becomes many lines, a
signature line with a tab may become two); ``-bbox-layout`` gives each table cell's lines as
a block of words, which tells a word broken at the end of a cell's line. The page-number
header (a line holding only a number, at the top of pages 2 on) is not text.

LibreOffice and pdftotext are needed; without them the tests are skipped, or fail when
PACKBUILDER_REQUIRE_PDF=1 (set by .ci/run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import pytest
from conftest import PDF_SAMPLES, W

from packbuilder.write.pdf import font_problems

MIN_LINES = 3
"""A page other than a document's last holds at least this many lines of text."""

_LETTERS = re.compile(r"[^\W\d_]+")
_HEAD = re.compile(r"^[^\W\d_]+")
_TAIL = re.compile(r"[^\W\d_]+$")
_XHTML = "{http://www.w3.org/1999/xhtml}"

LAYOUT_DEFECTS = ("layout defects being fixed: pages holding only a signature line or the end of a sentence, "
                  "table header words broken across lines («Қатысушыл|ар», «ознакомлен|ия»)")


def _need_pdftotext() -> None:
    if shutil.which("pdftotext") is None:
        hint = "pdftotext is not installed (Debian/Ubuntu: apt-get install poppler-utils)"
        if os.environ.get("PACKBUILDER_REQUIRE_PDF") == "1":
            pytest.fail(hint)
        pytest.skip(hint)


def _text(s: str) -> str:
    """``s`` as compared here: ligatures and compatibility forms unfolded, soft hyphens gone."""
    return unicodedata.normalize("NFKC", s).replace("\u00ad", "")


def _pdftotext(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout


def page_lines(pdf: Path) -> list[list[str]]:
    """The printed lines of text of each page of ``pdf`` (``pdftotext -layout``), stripped,
    empty ones and the page-number header left out."""
    pages = _pdftotext(pdf, "-layout").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # the text ends with a form feed after the last page
    out = []
    for n, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if n > 1 and lines and lines[0].isdigit():
            lines = lines[1:]
        out.append(lines)
    return out


class Line(NamedTuple):
    """A line of a block of :func:`page_blocks`: its ``top`` and ``bottom`` (points from the
    page's top) and its ``words``."""

    top: float
    bottom: float
    words: list[str]


def page_blocks(pdf: Path) -> list[list[list[Line]]]:
    """Per page of ``pdf``, its blocks (``pdftotext -bbox-layout``: a paragraph, a table
    cell), each a list of :class:`Line` s."""
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", _pdftotext(pdf, "-bbox-layout"))
    root = ElementTree.fromstring(xml)
    return [[[Line(float(line.get("yMin")), float(line.get("yMax")),
                   [_text(w.text or "") for w in line.iter(_XHTML + "word")])
              for line in block.iter(_XHTML + "line")]
             for block in page.iter(_XHTML + "block")]
            for page in root.iter(_XHTML + "page")]


def _paragraph_text(p: ElementTree.Element) -> str:
    """The text of a ``w:p``, a tab or a line break as a space."""
    spaces = {W + "tab", W + "br", W + "cr"}
    return "".join(el.text or "" if el.tag == W + "t" else " " for el in p.iter() if el.tag == W + "t" or el.tag in spaces)


def header_words(docx: Path) -> set[str]:
    """The words of more than 3 letters in the header rows of the tables of ``docx``: the
    rows marked ``w:tblHeader`` (repeated on every page), or a table's first row."""
    with zipfile.ZipFile(docx) as z:
        body = ElementTree.fromstring(z.read("word/document.xml")).find(W + "body")
    words = set()
    for tbl in body.iter(W + "tbl"):
        rows = [r for r in tbl if r.tag == W + "tr"]
        for row in [r for r in rows if r.find(f"{W}trPr/{W}tblHeader") is not None] or rows[:1]:
            for cell in row.iter(W + "tc"):
                text = " ".join(_paragraph_text(p) for p in cell.iter(W + "p"))
                words |= {w for w in _LETTERS.findall(_text(text)) if len(w) > 3}
    return words


def broken_words(blocks: list[list[Line]], words: set[str]) -> list[tuple[str, str]]:
    """The ``words`` a page's ``blocks`` (:func:`page_blocks`) show broken across lines, as
    (word, its pieces joined by «|»).

    A word is broken where a block's line holds one word only (a word is split only when it
    does not fit on a line alone) whose letters at its end, followed by the letters at the
    start of the line below (and of the lines below it while they hold one word only), spell
    one of ``words``. A break after a hyphen (``Комплаенс-|офицер``) is not one: the letters
    must touch the line's end. Lines side by side (pdftotext splits a justified line at its
    wide spaces) are not lines below.
    """
    prefixes = {w[:i] for w in words for i in range(1, len(w))}
    found = []
    for lines in blocks:
        for i, first in enumerate(lines):
            if len(first.words) != 1 or not (tail := _TAIL.search(first.words[0])):
                continue
            pieces, above = [tail.group()], first
            for line in lines[i + 1:]:
                head = _HEAD.match(line.words[0]) if line.words else None
                if not head or line.top < (above.top + above.bottom) / 2:
                    break
                pieces.append(head.group())
                joined = "".join(pieces)
                if joined in words:
                    found.append((joined, "|".join(pieces)))
                    break
                if joined not in prefixes or len(line.words) != 1 or head.group() != line.words[0]:
                    break
                above = line
    return found


def _each_pdf(root: Path, check: Callable[[Path], list[str]]) -> list[str]:
    """The failures ``check`` finds in every PDF under ``root``, in path order; the PDFs are
    read by pdftotext two at a time or more (one process each)."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        return [f for found in pool.map(check, sorted(root.rglob("*.pdf"))) for f in found]


@pytest.fixture(scope="module")
def pages(pdf_packs):
    """The packs of `pdf_packs` (LibreOffice needed) with pdftotext needed too."""
    _need_pdftotext()
    return pdf_packs


@pytest.mark.parametrize("sample", PDF_SAMPLES)
def test_every_font_is_embedded_liberation_serif_or_times(pages, sample):
    result = pages[sample]
    failures = [w for w in result.warnings if "fonts are wrong" in w]
    for docx in sorted(result.root.rglob("*.docx")):
        pdf = docx.with_suffix(".pdf")
        rel = pdf.relative_to(result.root).as_posix()
        if not pdf.is_file():
            failures.append(f"{rel}: missing")
            continue
        failures += [f"{rel} {problem}" for problem in font_problems(pdf)]
    assert not failures, f"{sample}: {len(failures)} font problem(s):\n" + "\n".join(failures)


@pytest.mark.parametrize("sample", PDF_SAMPLES)
def test_no_page_but_the_last_has_fewer_than_3_lines(pages, sample):
    root = pages[sample].root

    def short_pages(pdf: Path) -> list[str]:
        lines = page_lines(pdf)
        return [f"{pdf.relative_to(root).as_posix()} page {n} of {len(lines)}: {len(text)} line(s) of text: "
                + (" / ".join(f"«{line[:60]}»" for line in text) or "nothing")
                for n, text in enumerate(lines[:-1], 1) if len(text) < MIN_LINES]

    failures = _each_pdf(root, short_pages)
    assert not failures, f"{sample}: {len(failures)} page(s) of fewer than {MIN_LINES} lines:\n" + "\n".join(failures)


@pytest.mark.parametrize("sample", PDF_SAMPLES)
def test_no_table_header_breaks_a_word(pages, sample):
    root = pages[sample].root

    def broken_headers(pdf: Path) -> list[str]:
        words = header_words(pdf.with_suffix(".docx"))
        if not words:
            return []
        return [f"{pdf.relative_to(root).as_posix()} page {n}: header word «{word}» broken as «{pieces}»"
                for n, blocks in enumerate(page_blocks(pdf), 1) for word, pieces in broken_words(blocks, words)]

    failures = _each_pdf(root, broken_headers)
    assert not failures, f"{sample}: {len(failures)} broken header word(s):\n" + "\n".join(failures)


def test_a_broken_word_is_found_and_words_on_lines_of_their_own_are_not():
    def block(*lines: str, side_by_side: bool = False) -> list[Line]:
        return [Line(100 + (0 if side_by_side else 14 * i), 114 + (0 if side_by_side else 14 * i), line.split())
                for i, line in enumerate(lines)]

    words = {"Қатысушылар", "Хаттаманың", "ознакомления", "Комплаенс", "офицер", "басшыларымен"}
    blocks = [
        block("Қатысушыл", "ар саны"),                 # broken: a piece alone on its line
        block("Хаттаманы", "ң №"),
        block("Дата", "ознакомл", "ен", "ия"),          # in three pieces
        block("Комплаенс-", "офицер"),                  # a break at a hyphen is fine
        block("құжаттар Қатысушыл", "ар"),              # two words on the line: not split by LibreOffice
        block("басшылары", "мен", side_by_side=True),   # a justified line cut at its wide spaces
        block("Хаттаманың", "№"),                       # whole
    ]
    assert broken_words(blocks, words) == [("Қатысушылар", "Қатысушыл|ар"), ("Хаттаманың", "Хаттаманы|ң"),
                                           ("ознакомления", "ознакомл|ен|ия")]
