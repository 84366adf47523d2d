"""Comparing two versions of a document's text paragraph by paragraph: what an update
reports and what fills a new edition's row of the change sheet."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from packbuilder.model.profile import Profile
from packbuilder.pack.revisions import (
    CHANGE_SHEET_NAME,
    CHANGE_SHEET_TITLE,
    CHANGED,
    FIRST,
    UNCHANGED,
    Revision,
    new_revision,
)
from packbuilder.write.text import document_lines, sheet_lines

_POINT = re.compile(r"^(\d+)\. ")


Sections = list[tuple[str | None, list[str]]]
"""A file's text: one section (None, lines) for a .docx, one per sheet (title, lines) for an .xlsx."""


def file_text(path: Path) -> Sections:
    """The text of the pack file ``path`` as :data:`Sections`. Raises OSError or
    zipfile.BadZipFile when it cannot be read, ValueError when it is not a .docx/.xlsx."""
    path = Path(path)
    if path.suffix == ".xlsx":
        return list(sheet_lines(path))
    return [(None, document_lines(path, spaced=True))]


def body_lines(sections: Sections, lang: str, approved: str | None) -> list[str]:
    """The text of a pack file as compared between versions (``sections`` as
    :func:`file_text` gives them): for a .docx its paragraphs and table rows (cells joined
    by « | »), for an .xlsx the rows of every sheet, one line each, empty lines dropped;
    without the approval block (the lines up to the approval word ``approved``, БЕКІТІЛДІ /
    УТВЕРЖДЕНА, when it is among the first lines of the document or of a sheet: it names
    the approving order, a change reported once for the whole pack) and without the change
    sheet (the docx text from its heading on, the xlsx sheet of that name).
    """
    out = []
    for title, lines in sections:
        stripped = [line.strip() for line in lines]
        if title is None and CHANGE_SHEET_TITLE[lang] in stripped:
            lines = lines[:len(lines) - 1 - stripped[::-1].index(CHANGE_SHEET_TITLE[lang])]
        elif title == CHANGE_SHEET_NAME[lang]:
            continue
        out.extend(_without_approval(lines, approved))
    return out


def _without_approval(lines: list[str], approved: str | None) -> list[str]:
    """``lines`` without empty ones and without the approval block at their top."""
    lines = [line for line in lines if line.replace("|", "").strip()]
    if approved:
        for i, line in enumerate(lines[:4]):
            if [c.strip() for c in line.split("|") if c.strip()] == [approved]:
                return lines[i + 1:]
    return lines


@dataclass
class TextDiff:
    """The paragraph-level difference of two versions of a document's text.

    ``added`` and ``removed`` are paragraphs (or table rows) only in the new or only in the
    old version; ``changed`` pairs (old, new) of a paragraph rewritten in place. The point
    sets hold the numbers of the points («7.») the differences fall in; ``other`` counts
    the differences outside numbered points (titles, tables, preambles).
    """

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    changed_points: set[int] = field(default_factory=set)
    added_points: set[int] = field(default_factory=set)
    removed_points: set[int] = field(default_factory=set)
    other: int = 0

    @property
    def differs(self) -> bool:
        """Whether the two versions' texts differ at all."""
        return bool(self.added or self.removed or self.changed)


def _points(lines: list[str]) -> list[int | None]:
    """For each line, the number of the point it belongs to (its own label or the last
    label above it; sub-points «3)» belong to their point); None before the first point and
    for table rows."""
    out: list[int | None] = []
    current = None
    for line in lines:
        m = _POINT.match(line)
        if m:
            current = int(m.group(1))
        out.append(None if " | " in line else current)
    return out


_NUMBER = re.compile(r"^\d+(?:\. |\) | \| )")


def match_key(line: str) -> str:
    """``line`` as it is matched, by the paragraph diff and the merge of edits: spacing
    collapsed (an office suite that saves the file again moves breaks and spaces), without
    its number."""
    return _NUMBER.sub("", " ".join(line.split()), count=1)


def word_diff(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The two versions of a changed paragraph as segments (text, changed): the words that
    differ are marked, whitespace stays with the words, so joining a side's texts gives it
    back."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []

    def add(side: list[tuple[str, bool]], words: list[str], changed: bool) -> None:
        text = "".join(words)
        if not text:
            return
        if side and side[-1][1] == changed:
            side[-1] = (side[-1][0] + text, changed)
        else:
            side.append((text, changed))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b],
                                                      autojunk=False).get_opcodes():
        add(left, a[i1:i2], op != "equal")
        add(right, b[j1:j2], op != "equal")
    return left, right


def replacements(old: str, new: str) -> list[tuple[str, str]] | None:
    """The word replacements that turn paragraph ``old`` into ``new`` (``("2026", "2027")``,
    ``("Б.М. Сейткали", "Е.А. Нурланов")``); None when words are also inserted or deleted."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "replace":
            out.append((" ".join(a[i1:i2]), " ".join(b[j1:j2])))
        elif op != "equal":
            return None
    return out


def paragraph_diff(old: list[str], new: list[str]) -> TextDiff:
    """Compare two versions' lines (:func:`body_lines`) paragraph by paragraph.

    Lines are matched without their number («7. », «3) », a table row's «12 | »), so a
    paragraph or row that is only renumbered (a point inserted above it, an employee who
    left above them in a list) is not a difference. Runs of lines replaced by as many lines
    are «changed» pairs; the surplus of an unequal replacement counts as added or removed. A point whose own label line is added (removed)
    is an added (removed) point; any other difference inside a point makes it changed.
    """
    diff = TextDiff()
    old_points, new_points = _points(old), _points(new)
    matcher = difflib.SequenceMatcher(None, [match_key(x) for x in old], [match_key(x) for x in new],
                                      autojunk=False)

    def place(point: int | None, bucket: set[int], own_label: bool) -> None:
        if point is None:
            diff.other += 1
        elif own_label:
            bucket.add(point)
        else:
            diff.changed_points.add(point)

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            diff.changed.append((old[i1 + k], new[j1 + k]))
            place(new_points[j1 + k], diff.changed_points, False)
        for j in range(j1 + pairs, j2):
            diff.added.append(new[j])
            place(new_points[j], diff.added_points, bool(_POINT.match(new[j])))
        for i in range(i1 + pairs, i2):
            diff.removed.append(old[i])
            place(old_points[i], diff.removed_points, bool(_POINT.match(old[i])))
    diff.changed_points -= diff.added_points | diff.removed_points
    return diff


def edition(profile: Profile, version: int, diffs: list[TextDiff] | None = None) -> Revision:
    """The change-sheet row that ``profile``'s pack adds as edition ``version``. ``diffs``
    are the comparisons of the document's files with the previous pack's, in every language
    and form (None for a document seen first): the points listed are the union over them,
    since point N of the kk and the ru version say the same thing (:mod:`packbuilder.authoring.parity`)."""
    if diffs is None:
        return new_revision(profile, version, FIRST)
    if not any(d.differs for d in diffs):
        return new_revision(profile, version, UNCHANGED)
    changed = set().union(*(d.changed_points for d in diffs))
    added = set().union(*(d.added_points for d in diffs)) - changed
    removed = set().union(*(d.removed_points for d in diffs)) - changed - added
    return new_revision(profile, version, CHANGED, tuple(sorted(changed)), tuple(sorted(added)),
                        tuple(sorted(removed)), max(d.other for d in diffs))
