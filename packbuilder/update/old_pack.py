"""The pack an update follows: read against its manifest before anything is built. Only a
damaged manifest is refused; each file is classified as unchanged, edited by the officer (in
Word or Excel) or deleted, and the officer's edits are carried into the new pack
(:mod:`packbuilder.update.merge`). The old pack is only read, never written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from packbuilder.errors import InputError
from packbuilder.model.profile import Profile
from packbuilder.pack.base import BASE_PATH, read_base
from packbuilder.pack.manifest import (
    DELETED,
    EDITED,
    UNCHANGED,
    Manifest,
    PreviousPack,
    file_states,
    manifest_problems,
    read_manifest,
)
from packbuilder.pack.revisions import Revision
from packbuilder.render.layout import Block
from packbuilder.update.diff import Sections, file_text
from packbuilder.update.edited import UNREADABLE_ERRORS


@dataclass(frozen=True)
class OldPack:
    """An old pack: its folder ``root`` (``OUT/<bin>/<year>``), its ``manifest``, the sha256
    of the manifest's bytes (recorded in the new pack as where it came from) and the
    ``states`` of its files (path → unchanged, edited or deleted,
    :func:`packbuilder.pack.manifest.file_states`)."""

    root: Path
    manifest: Manifest
    manifest_sha256: str
    states: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def year(self) -> int:
        """The old pack's plan year."""
        return self.manifest.year

    @property
    def profile(self) -> Profile:
        """The profile the old pack was built from."""
        return self.manifest.profile

    @property
    def revisions(self) -> dict[str, list[Revision]]:
        """The change-sheet history of its approved files, by stem (``03-policy``)."""
        return self.manifest.revisions

    def reference(self) -> PreviousPack:
        """What the new pack's manifest records of this one."""
        return PreviousPack(year=self.year, manifest_sha256=self.manifest_sha256)

    @cached_property
    def files(self) -> frozenset[str]:
        """The paths of the old pack's files that are there, as its manifest lists them."""
        return frozenset(rel for rel in self.manifest.file_paths() if self.states.get(rel, UNCHANGED) != DELETED)

    def state(self, rel: str) -> str | None:
        """The state of the file ``rel`` (``kk/03-policy.docx``): unchanged, edited or
        deleted; None when the manifest does not list it."""
        return self.states.get(rel)

    def edited(self) -> list[str]:
        """The document files (.docx, .xlsx) that hold the officer's edits, sorted: those
        changed since the pack was written, and those into which an update carried the
        edits of the pack before (the manifest says so)."""
        carrying = {f.path for f in self.manifest.files if f.edits}
        return sorted(rel for rel, s in self.states.items()
                      if (s == EDITED or (s == UNCHANGED and rel in carrying))
                      and rel.endswith((".docx", ".xlsx")) and not rel.startswith("changes/"))

    def text(self, rel: str) -> Sections | None:
        """The text of the old pack's file ``rel`` (``kk/03-policy.docx``), None when the
        old pack has no such file, or the officer replaced it by one that is no longer a
        Word or Excel file (:data:`packbuilder.update.edited.UNREADABLE_ERRORS`)."""
        if rel not in self.files:
            return None
        try:
            return file_text(self.root / rel)
        except UNREADABLE_ERRORS:
            return None

    @cached_property
    def base(self) -> dict[str, list[Block]] | None:
        """The pristine blocks of each file stem (``kk/03-policy``) as stored in the pack
        (:mod:`packbuilder.pack.base`); None when the pack has none (built before it was
        kept) or it was changed since."""
        if self.states.get(BASE_PATH) != UNCHANGED:
            return None
        try:
            return read_base(self.root / BASE_PATH)
        except (OSError, ValueError):
            return None


def read_old_pack(root: Path) -> OldPack:
    """Read the pack at ``root`` (``OUT/<bin>/<year>``, the folder holding ``manifest.json``)
    and classify its files.

    Raises InputError when the manifest is refused (:func:`packbuilder.pack.manifest.read_manifest`),
    lists a file outside the pack, or its recorded profile does not match its digest
    (:func:`packbuilder.pack.manifest.manifest_problems`): only a damaged manifest refuses
    an update; edited and deleted files do not. Raises OSError when a file cannot be read.
    """
    root = Path(root)
    manifest, raw = read_manifest(root)
    problems = manifest_problems(root, manifest)
    if problems:
        raise InputError(problems)
    return OldPack(root, manifest, hashlib.sha256(raw).hexdigest(), file_states(root, manifest))
