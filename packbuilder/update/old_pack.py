"""The pack an update follows: read and verified against its manifest before anything is
built, since a report comparing against altered documents would prove nothing. It is only
read, never written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from packbuilder.errors import InputError
from packbuilder.model.profile import Profile
from packbuilder.pack.manifest import Manifest, PreviousPack, read_manifest, verify_pack
from packbuilder.pack.revisions import Revision
from packbuilder.update.diff import Sections, file_text


@dataclass(frozen=True)
class OldPack:
    """A verified old pack: its folder ``root`` (``OUT/<bin>/<year>``), its ``manifest``
    and the sha256 of the manifest's bytes (recorded in the new pack as where it came from)."""

    root: Path
    manifest: Manifest
    manifest_sha256: str

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
        """The paths of the old pack's files, as its manifest lists them."""
        return frozenset(self.manifest.file_paths())

    def text(self, rel: str) -> Sections | None:
        """The text of the old pack's file ``rel`` (``kk/03-policy.docx``), None when the
        old pack has no such file. Raises OSError when it cannot be read."""
        if rel not in self.files:
            return None
        return file_text(self.root / rel)


def read_old_pack(root: Path) -> OldPack:
    """Read and verify the pack at ``root`` (``OUT/<bin>/<year>``, the folder holding
    ``manifest.json``).

    Raises InputError when the manifest is refused (:func:`packbuilder.pack.manifest.read_manifest`),
    or when a file it lists is missing or differs from its recorded sha256, or the recorded
    profile does not match its digest (:func:`packbuilder.pack.manifest.verify_pack`; each
    such file named).
    """
    root = Path(root)
    manifest, raw = read_manifest(root)
    problems = verify_pack(root, manifest)
    if problems:
        raise InputError(problems)
    return OldPack(root, manifest, hashlib.sha256(raw).hexdigest())
