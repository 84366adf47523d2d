"""Text widths of packbuilder's serif (Times New Roman, metric-compatible Liberation Serif 2),
for layout decisions made before any word processor sees the document: a table column is
never narrower than the longest word it must hold (:func:`packbuilder.write.formats.table_format`).

The advance widths are Liberation Serif 2.1's (regular and bold), in thousandths of an em,
for the printable ASCII characters, the Russian and Kazakh alphabets and the typographic
signs the templates use («» – — № …); a character not listed counts as a wide one (0.75 em).
Liberation Serif is metric-compatible with Times New Roman by design, so the figures hold
for Word with Times New Roman and for LibreOffice with Liberation Serif alike.
"""

from __future__ import annotations

import functools
import re

_CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюяЁёӘәҒғҚқҢңӨөҰұҮүҺһІі«»–—№…’“”‘'
_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722,
    722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333,
    278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, 722, 574, 667, 578, 682,
    611, 896, 501, 722, 722, 667, 678, 889, 722, 722, 722, 556, 667, 611, 708, 790, 722, 722, 650, 1009,
    1009, 706, 872, 574, 660, 1028, 667, 444, 509, 472, 410, 509, 444, 691, 395, 535, 535, 486, 499, 633,
    535, 500, 535, 500, 444, 437, 500, 648, 500, 535, 503, 770, 770, 517, 672, 456, 429, 747, 460, 611,
    444, 722, 444, 578, 410, 667, 486, 722, 535, 722, 500, 722, 500, 722, 500, 650, 500, 333, 278, 500,
    500, 500, 1000, 954, 1000, 333, 444, 444, 333,
)
_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778,
    778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333,
    278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520, 722, 661, 667, 636, 688,
    667, 989, 528, 778, 778, 725, 745, 944, 778, 778, 778, 611, 722, 667, 734, 859, 722, 778, 734, 1098,
    1098, 765, 982, 661, 678, 1126, 722, 500, 500, 540, 454, 506, 444, 725, 402, 576, 576, 576, 561, 681,
    576, 500, 576, 556, 444, 491, 500, 692, 500, 576, 564, 844, 844, 583, 781, 529, 432, 764, 541, 667,
    444, 739, 444, 636, 454, 725, 576, 778, 576, 778, 500, 722, 500, 722, 500, 734, 556, 389, 278, 500,
    500, 500, 1000, 1005, 1000, 333, 500, 500, 333,
)
_WIDTH = {False: dict(zip(_CHARS, _REGULAR)), True: dict(zip(_CHARS, _BOLD))}
UNKNOWN = 750
"""The width (thousandths of an em) of a character not in the table."""
_PIECES = re.compile(r"[^\s-]*-|[^\s-]+")


KEPT = 65536
"""At most this many texts' widths are kept (per function; a table's words and cells recur in
every row and every document), the least recently used dropped first."""


@functools.lru_cache(maxsize=KEPT)
def _units(text: str, bold: bool) -> int:
    """The advance width of ``text`` in thousandths of an em."""
    widths = _WIDTH[bold]
    return sum(widths.get(c, UNKNOWN) for c in text)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The advance width of ``text`` set in ``size``-point packbuilder serif, in points."""
    return _units(text, bold) * size / 1000


def unbreakable(text: str) -> list[str]:
    """The pieces of ``text`` a line may not be broken inside: the words, each cut after
    a hyphen («Административно-», «правовой»), where word processors may break a line."""
    return _PIECES.findall(text)


def widest_piece(text: str, size: float, bold: bool = False) -> float:
    """The width (points) of the widest unbreakable piece of ``text`` (0 for no text)."""
    return _widest_units(text, bold) * size / 1000


@functools.lru_cache(maxsize=KEPT)
def _widest_units(text: str, bold: bool) -> int:
    return max((_units(p, bold) for p in unbreakable(text)), default=0)
