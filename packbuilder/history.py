"""The revision history of the approved documents: the change sheet (өзгерістер парағы /
лист регистрации изменений) at the end of each, and the paragraph-level comparison of two
versions of a document that fills it.

An approved document is one that starts with the approval block (PACK.md «Every approved
document»); each of its files (``03-policy.docx``, ``06-action_plan.xlsx``,
``15-compliance_report/quarterly-1.docx``) ends with the change sheet: one row per
revision — the revision number, the date and number of the order that approved it, what
changed, and who entered it (the compliance officer, who keeps the documents: seed 000 p. 12).
The docx has it as the last page, the xlsx as a sheet of its own.

The history lives in the pack's manifest (``revisions``, keyed by the file's stem
``03-policy``, ``15-compliance_report/quarterly-1``), so an update carries it over and adds
the new revision; the wording of a row is the template ``_change_sheet.md`` of each language.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from packbuilder.language import initials
from packbuilder.parity import document_lines, sheet_lines
from packbuilder.profile import LANGUAGES, Profile

CHANGE_SHEET_TITLE = {"kk": "ӨЗГЕРІСТЕР ПАРАҒЫ", "ru": "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ"}
"""The heading of the change sheet, and where the text of a document ends for comparison."""
CHANGE_SHEET_NAME = {"kk": "Өзгерістер парағы", "ru": "Лист изменений"}
"""The xlsx sheet of the change sheet."""

FIRST, UNCHANGED, CHANGED = "first", "unchanged", "changed"

_POINT = re.compile(r"^(\d+)\. ")


@dataclass(frozen=True)
class Revision:
    """One row of a change sheet.

    ``version`` counts from 1; ``year`` is the plan year of the pack; ``order_number`` and
    ``order_date`` the approving order (the profile's ``approval``); ``officer`` the
    compliance officer's initials per language; ``kind`` is ``first`` (the first edition),
    ``unchanged`` (approved again with the same text) or ``changed``, and then ``changed``,
    ``added``, ``removed`` are the numbers of the points («7.») whose text changed, that are
    new, that were removed, and ``other`` counts the other paragraphs and table rows that differ.
    """

    version: int
    year: int
    order_number: str
    order_date: dt.date
    officer: dict[str, str]
    kind: str = FIRST
    changed: tuple[int, ...] = ()
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    other: int = 0

    def to_json(self) -> dict:
        """The manifest's form: plain JSON types, the date as ISO text."""
        data = asdict(self)
        data["order_date"] = self.order_date.isoformat()
        for key in ("changed", "added", "removed"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Revision":
        """The inverse of :meth:`to_json`. Raises KeyError, TypeError or ValueError for a
        malformed record."""
        return cls(version=int(data["version"]), year=int(data["year"]), order_number=str(data["order_number"]),
                   order_date=dt.date.fromisoformat(data["order_date"]),
                   officer={k: str(v) for k, v in dict(data["officer"]).items()},
                   kind=str(data["kind"]), changed=tuple(int(x) for x in data.get("changed", ())),
                   added=tuple(int(x) for x in data.get("added", ())),
                   removed=tuple(int(x) for x in data.get("removed", ())), other=int(data.get("other", 0)))

    def context(self, lang: str) -> dict:
        """What ``_change_sheet.md`` sees of this row in ``lang``."""
        return {"version": self.version, "year": self.year, "order_number": self.order_number,
                "order_date": self.order_date, "officer": self.officer.get(lang, ""), "kind": self.kind,
                "changed": list(self.changed), "added": list(self.added), "removed": list(self.removed),
                "other": self.other}


def new_revision(profile: Profile, version: int, diffs: list["TextDiff"] | None = None) -> Revision:
    """The revision that ``profile``'s pack adds: number ``version``, approved by
    ``profile.approval``. ``diffs`` are the comparisons of the document's files with the
    previous pack's, in every language and form (None for a document seen first): the
    points listed are the union over them, since point N of the kk and the ru version
    correspond (PACK.md «The documents»)."""
    officer = {lang: initials(profile.compliance_officer.name[lang], lang) for lang in LANGUAGES}
    base = dict(version=version, year=profile.year, order_number=profile.approval.number,
                order_date=profile.approval.date, officer=officer)
    if diffs is None:
        return Revision(kind=FIRST, **base)
    if not any(d.differs for d in diffs):
        return Revision(kind=UNCHANGED, **base)
    changed = set().union(*(d.changed_points for d in diffs))
    added = set().union(*(d.added_points for d in diffs)) - changed
    removed = set().union(*(d.removed_points for d in diffs)) - changed - added
    return Revision(kind=CHANGED, changed=tuple(sorted(changed)), added=tuple(sorted(added)),
                    removed=tuple(sorted(removed)), other=max(d.other for d in diffs), **base)


# --- the text of a document ---------------------------------------------------------------


def body_lines(path: Path, lang: str, approved: str | None) -> list[str]:
    """The text of a pack file as compared between versions: for a .docx its paragraphs and
    table rows (cells joined by « | »), for an .xlsx the rows of every sheet, one line each,
    empty lines dropped; without the approval block (the lines up to the approval word
    on each sheet
    ``approved``, БЕКІТІЛДІ / УТВЕРЖДЕНА, when it is among the first lines: it names the
    approving order, a change reported once for the whole pack) and without the change sheet.

    Raises OSError when the file cannot be read, ValueError when it is not a docx/xlsx.
    """
    path = Path(path)
    if path.suffix == ".xlsx":
        return [line for title, lines in sheet_lines(path) if title != CHANGE_SHEET_NAME[lang]
                for line in _without_approval(lines, approved)]
    lines = document_lines(path, spaced=True)
    title = CHANGE_SHEET_TITLE[lang]
    if title in lines:
        lines = lines[:len(lines) - 1 - lines[::-1].index(title)]
    return _without_approval(lines, approved)


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


def _unnumbered(line: str) -> str:
    return _NUMBER.sub("", line, count=1)


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
    matcher = difflib.SequenceMatcher(None, [_unnumbered(x) for x in old], [_unnumbered(x) for x in new],
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


@dataclass
class Previous:
    """The pack a new one follows (``packbuilder update``), already verified against its
    manifest: its folder ``root`` (``OUT/<bin>/<year>``), plan ``year``, the ``profile`` it
    was built from, its ``files`` (paths relative to ``root``, as in the manifest) and the
    ``revisions`` of its approved documents by stem; ``manifest_sha256`` identifies its
    manifest, recorded in the new pack's as where it came from."""

    root: Path
    year: int
    profile: Profile
    files: frozenset[str]
    revisions: dict[str, list[Revision]]
    manifest_sha256: str = ""

    def diff(self, rel: str, new_path: Path, lang: str, approved: str | None) -> TextDiff | None:
        """The comparison of the old pack's file ``rel`` (``kk/03-policy.docx``) with
        ``new_path``; None when the old pack has no such file. Reads the old file only."""
        if rel not in self.files:
            return None
        return paragraph_diff(body_lines(self.root / rel, lang, approved), body_lines(new_path, lang, approved))
