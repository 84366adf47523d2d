"""The revision history of the approved documents: the change sheet (өзгерістер парағы /
лист регистрации изменений) at the end of each.

An approved document is one that starts with the approval block (the annex of the approving
order and БЕКІТІЛДІ / УТВЕРЖДЕН(А/О/Ы), README «What a pack contains»); each of its files (``03-policy.docx``, ``06-action_plan.xlsx``,
``15-compliance_report/quarterly-1.docx``) ends with the change sheet: one row per
revision — the revision number, the date and number of the order that approved it, what
changed, and who entered it (the compliance officer, whose service keeps the internal
documents: model regulation on compliance services, Agency order № 112 of 31.03.2023,
p. 12). The docx has it as the last page, the xlsx as a sheet of its own.

The history lives in the pack's manifest (``revisions``, keyed by the file's stem
``03-policy``, ``15-compliance_report/quarterly-1``), so an update carries it over and adds
the new revision (what changed is found by :mod:`packbuilder.update.diff`); the wording of
a row is the template ``_change_sheet.md`` of each language.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_serializer

from packbuilder.model.profile import LANGUAGES, Profile
from packbuilder.render.language import initials

CHANGE_SHEET_TITLE = {"kk": "ӨЗГЕРІСТЕР ПАРАҒЫ", "ru": "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ"}
"""The heading of the change sheet, and where the text of a document ends for comparison."""
CHANGE_SHEET_NAME = {"kk": "Өзгерістер парағы", "ru": "Лист изменений"}
"""The xlsx sheet of the change sheet."""

FIRST, UNCHANGED, CHANGED = "first", "unchanged", "changed"


class Revision(BaseModel):
    """One row of a change sheet, as the manifest records it (JSON: the date as ISO text,
    the point numbers as lists).

    ``version`` counts from 1; ``year`` is the plan year of the pack; ``order_number`` and
    ``order_date`` the approving order (the profile's ``approval``); ``officer`` the
    compliance officer's initials per language; ``kind`` is ``first`` (the first edition),
    ``unchanged`` (approved again with the same text) or ``changed``, and then ``changed``,
    ``added``, ``removed`` are the numbers of the points («7.») whose text changed, that are
    new, that were removed, and ``other`` counts the other paragraphs and table rows that differ;
    ``edits`` is True when the edition carries over what the compliance officer changed in
    the previous edition's file.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    year: int
    order_number: str
    order_date: dt.date
    officer: dict[str, str]
    kind: Literal["first", "unchanged", "changed"] = FIRST
    changed: tuple[int, ...] = ()
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    other: int = 0
    edits: bool = False

    @model_serializer(mode="wrap")
    def _without_default_edits(self, handler):
        data = handler(self)
        if not self.edits:  # the manifests of packs without carried edits read as before
            data.pop("edits", None)
        return data

    def context(self, lang: str) -> dict:
        """What ``_change_sheet.md`` sees of this row in ``lang``."""
        return {"version": self.version, "year": self.year, "order_number": self.order_number,
                "order_date": self.order_date, "officer": self.officer.get(lang, ""), "kind": self.kind,
                "changed": list(self.changed), "added": list(self.added), "removed": list(self.removed),
                "other": self.other, "edits": self.edits}


def new_revision(profile: Profile, version: int, kind: str = FIRST, changed: tuple[int, ...] = (),
                 added: tuple[int, ...] = (), removed: tuple[int, ...] = (), other: int = 0) -> Revision:
    """The revision that ``profile``'s pack adds: number ``version``, approved by
    ``profile.approval``, entered by its compliance officer; ``kind`` and the points as in
    :class:`Revision`."""
    officer = {lang: initials(profile.compliance_officer.name[lang], lang) for lang in LANGUAGES}
    return Revision(version=version, year=profile.year, order_number=profile.approval.number,
                    order_date=profile.approval.date, officer=officer, kind=kind, changed=changed,
                    added=added, removed=removed, other=other)
