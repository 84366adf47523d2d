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
from dataclasses import asdict, dataclass

from packbuilder.model.profile import LANGUAGES, Profile
from packbuilder.render.language import initials

CHANGE_SHEET_TITLE = {"kk": "ӨЗГЕРІСТЕР ПАРАҒЫ", "ru": "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ"}
"""The heading of the change sheet, and where the text of a document ends for comparison."""
CHANGE_SHEET_NAME = {"kk": "Өзгерістер парағы", "ru": "Лист изменений"}
"""The xlsx sheet of the change sheet."""

FIRST, UNCHANGED, CHANGED = "first", "unchanged", "changed"



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
