"""The pack's manifest, ``OUT/<bin>/<year>/manifest.json``: what a pack is made of and from
what, enough to verify it and to build the pack that follows it (Copier's answers file).

One model (:class:`Manifest`), one writer (:func:`write_manifest`), one reader
(:func:`read_manifest`) and one verifier (:func:`verify_pack`); every other module uses them.
The JSON keeps the model's field order, two-space indents and non-ASCII text as is, so the
same pack gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, model_serializer

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import N_, _
from packbuilder.model.profile import Profile, profile_problems
from packbuilder.pack.revisions import Revision

MANIFEST = "manifest.json"
TOOL = "packbuilder"
REQUIRED_FOR_UPDATE = ("profile", "revisions", "templates", "year")
"""What an update needs of an old pack's manifest; packbuilder before 0.1 did not record it."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackFile(_Record):
    """A file of the pack: ``path`` relative to the pack folder (``kk/03-policy.docx``), the
    ``document`` it belongs to (a catalogue id, ``changes`` for the change report, ``base``
    for the pack's base), its ``lang`` and the ``sha256`` of its bytes (hex); ``edits`` is
    True when the file carries the officer's edits of an earlier pack (an update merged them
    in), so that the next update merges them again. JSON leaves ``edits`` out when False."""

    path: str
    document: str
    lang: str
    sha256: str
    edits: bool = False

    @model_serializer(mode="wrap")
    def _without_default_edits(self, handler):
        data = handler(self)
        if not self.edits:
            data.pop("edits", None)
        return data


class PreviousPack(_Record):
    """The pack this one follows (after ``packbuilder update``): its plan ``year`` and the
    sha256 of its ``manifest.json`` bytes."""

    year: int
    manifest_sha256: str


class Manifest(_Record):
    """What ``manifest.json`` records.

    ``version`` is packbuilder's; ``languages`` and ``documents`` (catalogue ids) what the
    pack holds, ``complete`` whether it holds every document; ``profile`` the validated
    profile and ``profile_digest`` its sha256 (:func:`profile_digest`); the templates:
    ``template_version`` (``templates/VERSION``), ``template_digest`` (over both
    languages), ``template_digests`` (per language), ``templates`` (language → file name →
    sha256 of every template file used) and ``template_overrides`` (language → the user's
    files that replaced built-in ones); ``previous`` the pack an update followed (None for a
    first build); ``files`` every file with its sha256, sorted by path; ``revisions`` the
    change-sheet history of every approved file by stem (``03-policy``).
    """

    tool: str = TOOL
    version: str
    bin: str
    year: int
    languages: list[str]
    documents: list[str]
    complete: bool
    profile_digest: str
    template_version: str
    template_digest: str
    template_digests: dict[str, str]
    templates: dict[str, dict[str, str]]
    template_overrides: dict[str, list[str]]
    previous: PreviousPack | None = None
    files: list[PackFile]
    revisions: dict[str, list[Revision]]
    profile: Profile

    def file_paths(self) -> list[str]:
        """The paths of :attr:`files`, in order."""
        return [f.path for f in self.files]

    def editions(self) -> int:
        """The largest number of editions of any approved file's change sheet (0 when none)."""
        return max((len(r) for r in self.revisions.values()), default=0)


def profile_digest(profile: Profile) -> str:
    """sha256 (hex) of the validated ``profile`` as canonical JSON (keys sorted, UTF-8)."""
    data = json.dumps(profile.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def sha256_file(path: Path) -> str:
    """sha256 (hex) of the bytes of ``path``. Raises OSError when it cannot be read."""
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    """Write ``manifest`` as ``folder/manifest.json``; returns its path. Raises OSError."""
    path = Path(folder) / MANIFEST
    data = manifest.model_dump(mode="json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_manifest(folder: Path) -> tuple[Manifest, bytes]:
    """The manifest of the pack at ``folder`` (``OUT/<bin>/<year>``) and its raw bytes.

    Raises InputError naming ``manifest.json`` when it is missing (with the packs found
    below ``folder`` when it is a folder of packs), not JSON, not a packbuilder manifest,
    written by a packbuilder that did not record what an update needs
    (:data:`REQUIRED_FOR_UPDATE`), or malformed (each field named).
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        found = sorted(p.parent for p in folder.glob(f"*/*/{MANIFEST}")) if folder.is_dir() else []
        if found:
            message = _("no manifest: --from must be a pack folder OUT/<bin>/<year> written by packbuilder build; "
                        "packs below it: {packs}").format(packs=", ".join(str(p) for p in found[:5]))
        else:
            message = _("no manifest: --from must be a pack folder OUT/<bin>/<year> written by packbuilder build")
        raise InputError(Problem(str(path), message))
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError(_("not a JSON object"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(Problem(str(path), _("not a readable manifest ({reason})").format(reason=exc))) from None
    if data.get("tool") != TOOL or not isinstance(data.get("files"), list):
        raise InputError(Problem(str(path), _("not a packbuilder manifest (no 'tool': 'packbuilder' and 'files')")))
    missing = [k for k in REQUIRED_FOR_UPDATE if k not in data]
    if missing:
        raise InputError(Problem(str(path), _(
            "written by packbuilder {version}, which did not record {fields}; rebuild the old pack with this version "
            "(packbuilder build OLD_PROFILE -o OUT --force), then update from it").format(
            version=data.get("version", "?"), fields=", ".join(missing))))
    try:
        return Manifest.model_validate(data), raw
    except ValidationError as exc:
        raise InputError([Problem(f"{path}: {p.where}", p.message) for p in profile_problems(exc)]) from None


UNCHANGED, EDITED, DELETED = "unchanged", "edited", "deleted"
"""The states of a pack's file against its manifest (:func:`file_states`)."""

_STATE_MESSAGES = {
    DELETED: N_("listed in manifest.json but missing from the pack"),
    EDITED: N_("differs from the sha256 recorded in manifest.json: the file was changed after the pack was built"),
}


def manifest_problems(folder: Path, manifest: Manifest) -> list[Problem]:
    """What makes the ``manifest`` of the pack at ``folder`` unusable: a listed file outside
    the pack or reached through a symbolic link (an update would read what it points to),
    and a recorded profile that does not match its digest. [] when sound."""
    where = Path(folder) / MANIFEST
    problems = [Problem(str(where), _("lists a file outside the pack: {path}").format(path=repr(f.path)))
                for f in manifest.files
                if not f.path or Path(f.path).is_absolute() or ".." in Path(f.path).parts]
    root = Path(folder).resolve()
    for f in manifest.files:
        path = Path(folder) / f.path
        if f.path and not Path(f.path).is_absolute() and ".." not in Path(f.path).parts and (
                path.is_symlink() or (path.exists() and root not in path.resolve().parents)):
            problems.append(Problem(str(path), _(
                "is a symbolic link (or lies outside the pack): copy the file itself into the pack")))
    if profile_digest(manifest.profile) != manifest.profile_digest:
        problems.append(Problem(f"{where}: profile", _("does not match the profile_digest recorded beside it")))
    return problems


def file_states(folder: Path, manifest: Manifest) -> dict[str, str]:
    """Each file the (sound) ``manifest`` lists → :data:`UNCHANGED` (its bytes have the
    sha256 recorded), :data:`EDITED` (they differ: changed after the pack was built, by the
    officer in Word or Excel) or :data:`DELETED` (not there). Raises OSError when a file
    cannot be read."""
    states = {}
    for f in manifest.files:
        path = Path(folder) / f.path
        if not path.is_file():
            states[f.path] = DELETED
        else:
            states[f.path] = UNCHANGED if sha256_file(path) == f.sha256 else EDITED
    return states


def verify_pack(folder: Path, manifest: Manifest) -> list[Problem]:
    """What in the pack at ``folder`` does not match its ``manifest``: the manifest's own
    problems (:func:`manifest_problems`), then each listed file missing or whose bytes
    differ from the sha256 recorded (each file named). [] when the pack is as built."""
    problems = manifest_problems(folder, manifest)
    if problems:
        return problems
    return [Problem(str(Path(folder) / rel), _(_STATE_MESSAGES[state]))
            for rel, state in file_states(folder, manifest).items() if state != UNCHANGED]
