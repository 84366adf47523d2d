"""The pack's base: the pristine text of every document as its templates rendered it, kept
in the pack so that next year's update can tell the officer's edits from what packbuilder
wrote (Copier keeps its answers to regenerate the old project; a pack keeps the result).

``OUT/<bin>/<year>/.packbuilder/base.json.xz`` holds, for every file stem of the pack
(``kk/03-policy``, ``ru/15-compliance_report/yearly``), its layout blocks before the change
sheet: paragraphs with their kind, classes, label and runs (text, bold, italic, underline),
tables with their rows of cell runs, header rows, widths and sheet, page and section breaks.
It is xz-compressed JSON (no time stored: the same pack gives the same bytes), listed in the
manifest like any other file: about 10 % of the pack (323 KB for the 3.2 MB Astana sample;
xz preset 1, 0.09 s; preset 3 would make 258 KB but take 0.23 s; gzip takes about 1.3 times
as much room as preset 1, since the twelve protocols repeat each other beyond its 32 KB
window).
"""

from __future__ import annotations

import json
import lzma
from pathlib import Path

from packbuilder.render.layout import Block, Break, Paragraph, Run, Table

BASE_PATH = ".packbuilder/base.json.xz"
"""Where a pack keeps its base, relative to the pack folder."""
BASE_DOCUMENT = "base"
"""The ``document`` of the base in the manifest's file list."""
FORMAT = 1
"""The version of the base's JSON layout; a base of another version is not read."""

_BOLD, _ITALIC, _UNDERLINE = 1, 2, 4


def _runs_data(runs: list[Run]) -> list:
    out = []
    for r in runs:
        flags = (_BOLD if r.bold else 0) | (_ITALIC if r.italic else 0) | (_UNDERLINE if r.underline else 0)
        out.append([r.text, flags] if flags else [r.text])
    return out


def _runs(data: list) -> list[Run]:
    out = []
    for item in data:
        flags = item[1] if len(item) > 1 else 0
        out.append(Run(item[0], bool(flags & _BOLD), bool(flags & _ITALIC), bool(flags & _UNDERLINE)))
    return out


def block_data(block: Block) -> dict:
    """``block`` as a JSON value: ``{"p": kind, "r": runs, …}`` for a paragraph,
    ``{"t": rows, …}`` for a table, ``{"b": kind}`` for a break; a run is ``[text]`` or
    ``[text, flags]`` (1 bold, 2 italic, 4 underline)."""
    if isinstance(block, Paragraph):
        data: dict = {"p": block.kind, "r": _runs_data(block.runs)}
        if block.classes:
            data["c"] = list(block.classes)
        if block.label:
            data["l"] = block.label
        if block.right:
            data["R"] = _runs_data(block.right)
        return data
    if isinstance(block, Table):
        data = {"t": [[_runs_data(cell) for cell in row] for row in block.rows], "h": block.header_rows}
        if block.widths:
            data["w"] = block.widths
        if block.sheet:
            data["s"] = block.sheet
        return data
    return {"b": block.kind}


def data_block(data: dict) -> Block:
    """The block :func:`block_data` gave ``data`` for. Raises KeyError, TypeError or
    ValueError for data it did not write."""
    if "p" in data:
        return Paragraph(str(data["p"]), _runs(data["r"]), tuple(data.get("c", ())), str(data.get("l", "")),
                         _runs(data.get("R", [])))
    if "t" in data:
        return Table([[_runs(cell) for cell in row] for row in data["t"]], int(data["h"]),
                     [float(w) for w in data["w"]] if data.get("w") else None, data.get("s"))
    return Break(str(data["b"]))


def base_bytes(files: dict[str, list[Block]]) -> bytes:
    """The base file of a pack whose file stems (``kk/03-policy``) have the pristine
    ``files`` blocks: xz-compressed JSON (preset 1), keys sorted."""
    data = {"format": FORMAT, "files": {rel: [block_data(b) for b in blocks] for rel, blocks in sorted(files.items())}}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return lzma.compress(text.encode("utf-8"), preset=1)


def write_base(folder: Path, files: dict[str, list[Block]]) -> Path:
    """Write the base of ``files`` (see :func:`base_bytes`) into the pack ``folder``;
    returns its path. Raises OSError."""
    path = Path(folder) / BASE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base_bytes(files))
    return path


def read_base(path: Path) -> dict[str, list[Block]]:
    """The pristine blocks of each file stem in the base file ``path``. Raises OSError when
    it cannot be read, ValueError when it is not a base this version writes (not xz, not
    JSON, another format version, a malformed block)."""
    try:
        data = json.loads(lzma.decompress(Path(path).read_bytes()).decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a base of format {FORMAT}")
        return {str(rel): [data_block(b) for b in blocks] for rel, blocks in data["files"].items()}
    except (EOFError, lzma.LZMAError, UnicodeDecodeError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ValueError(f"{path}: not a readable base ({exc})") from None
