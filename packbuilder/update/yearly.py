"""The yearly update (``packbuilder update PROFILE --from OLD_PACK -o OUT``): next year's
pack from the updated profile, its change sheets carried over from the old pack, and the
change report.

The old pack is only read. Before anything is built it is verified against its manifest:
every file it lists must be there with the sha256 recorded, and the profile it records must
match its digest; a pack that fails is refused with the files named, since a report
comparing against altered documents would prove nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from packbuilder import __version__
from packbuilder.authoring.check import preflight
from packbuilder.errors import InputError, Problem
from packbuilder.inputs.profile_file import validate_profile
from packbuilder.model.catalogue import select
from packbuilder.model.profile import Profile
from packbuilder.pack.build import (
    MANIFEST,
    PackResult,
    _sha256,
    _template_names,
    build_pack,
    pack_dir,
    profile_digest,
)
from packbuilder.pack.revisions import Revision
from packbuilder.render.templates import template_set
from packbuilder.update.changes import ProfileChanges, compare_profiles
from packbuilder.update.diff import Previous
from packbuilder.update.report import REPORT_DIR, report_context, write_report


@dataclass
class OldPack:
    """A verified old pack: its ``manifest`` (parsed) and the :class:`Previous` a build follows."""

    manifest: dict
    previous: Previous


def read_old_pack(root: Path) -> OldPack:
    """Read and verify the pack at ``root`` (``OUT/<bin>/<year>``, the folder holding
    ``manifest.json``).

    Raises InputError when the manifest is missing or unreadable, was not written by a
    packbuilder that records its profile and revision history, or when a file it lists is
    missing or differs from its recorded sha256 (each such file is named), or the recorded
    profile does not match its digest.
    """
    root = Path(root)
    mpath = root / MANIFEST
    if not mpath.is_file():
        hint = ""
        if root.is_dir():
            found = sorted(p.parent for p in root.glob(f"*/*/{MANIFEST}"))
            if found:
                hint = "; packs below it: " + ", ".join(str(p) for p in found[:5])
        raise InputError(Problem(str(mpath), "no manifest: --from must be a pack folder OUT/<bin>/<year> "
                                             f"written by packbuilder build{hint}"))
    raw = mpath.read_bytes()
    try:
        manifest = json.loads(raw.decode("utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(Problem(str(mpath), f"not a readable manifest ({exc})")) from None
    if manifest.get("tool") != "packbuilder" or not isinstance(manifest.get("files"), list):
        raise InputError(Problem(str(mpath), "not a packbuilder manifest (no 'tool': 'packbuilder' and 'files')"))
    missing = [k for k in ("profile", "revisions", "templates", "year") if k not in manifest]
    if missing:
        raise InputError(Problem(str(mpath), f"written by packbuilder {manifest.get('version', '?')}, which did not "
                                             f"record {', '.join(missing)}; rebuild the old pack with this version "
                                             f"(packbuilder build OLD_PROFILE -o OUT --force), then update from it"))
    problems = []
    for f in manifest["files"]:
        rel = str(f.get("path", "")) if isinstance(f, dict) else ""
        path = root / rel
        if not rel or Path(rel).is_absolute() or ".." in Path(rel).parts:
            problems.append(Problem(str(mpath), f"lists a file outside the pack: {rel!r}"))
        elif not path.is_file():
            problems.append(Problem(str(path), "listed in manifest.json but missing from the pack"))
        elif _sha256(path) != f.get("sha256"):
            problems.append(Problem(str(path), "differs from the sha256 recorded in manifest.json: the file was "
                                               "changed after the pack was built"))
    try:
        profile = Profile.model_validate(manifest["profile"])
        if profile_digest(profile) != manifest.get("profile_digest"):
            problems.append(Problem(f"{mpath}: profile", "does not match the profile_digest recorded beside it"))
    except ValueError as exc:
        problems.append(Problem(f"{mpath}: profile", f"not a valid profile ({str(exc).splitlines()[0]})"))
        profile = None
    try:
        revisions = {str(stem): [Revision.from_json(r) for r in revs]
                     for stem, revs in dict(manifest["revisions"]).items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problems.append(Problem(f"{mpath}: revisions", f"malformed revision history ({exc})"))
        revisions = {}
    if problems:
        raise InputError(problems)
    return OldPack(manifest, Previous(root=root, year=int(manifest["year"]), profile=profile,
                                      files=frozenset(str(f["path"]) for f in manifest["files"]),
                                      revisions=revisions, manifest_sha256=hashlib.sha256(raw).hexdigest()))


@dataclass
class UpdateResult:
    """What an update wrote: the new pack (``pack``: folder, files, warnings, comparisons),
    the profile ``changes``, and the change report's files (absolute paths)."""

    pack: PackResult
    changes: ProfileChanges
    report: list[Path]


def update_pack(profile: Profile, old: Path, out: Path, year: int | None = None, force: bool = False,
                pdf: bool = False, templates_dir: Path | None = None,
                progress: Callable[[str], None] | None = None) -> UpdateResult:
    """Build the pack that follows the one at ``old`` from the updated ``profile`` into
    ``OUT/<bin>/<year>``, with the change sheets carried over and extended and the change
    report in ``changes/``.

    ``year`` defaults to the old pack's plus one and replaces the profile's plan year;
    ``pdf``, ``force`` and ``templates_dir`` (template overrides) are as for
    :func:`pack.build_pack`.
    The old pack is read, never written. Raises InputError when the old pack is refused
    (:func:`read_old_pack`), when the profile is of another organization, when the year is
    before the old pack's, when ``approval`` is still the old pack's order (a new edition
    is approved by a new order), when the new pack would replace the old one, or for what
    :func:`pack.build_pack` refuses.
    """
    preflight(templates_dir)
    old_pack = read_old_pack(old)
    prev = old_pack.previous
    new_year = year if year is not None else prev.year + 1
    problems = []
    if profile.organization.bin != prev.profile.organization.bin:
        problems.append(Problem("organization.bin", f"{profile.organization.bin} is not the old pack's organization "
                                                    f"({prev.profile.organization.bin})"))
    if new_year < prev.year:
        problems.append(Problem("--year", f"{new_year} is before the old pack's plan year {prev.year}"))
    if problems:
        raise InputError(problems)
    data = profile.model_dump(mode="json")
    data["year"] = new_year
    profile = validate_profile(data)
    if (profile.approval.number, profile.approval.date) == (prev.profile.approval.number, prev.profile.approval.date):
        raise InputError(Problem("approval", f"still the old pack's order № {prev.profile.approval.number} of "
                                             f"{prev.profile.approval.date:%d.%m.%Y}; the {new_year} edition is "
                                             f"approved by a new order: set approval.number and approval.date"))
    target = pack_dir(out, profile)
    if target.resolve() == prev.root.resolve() or prev.root.resolve() in target.resolve().parents:
        raise InputError(Problem("-o", f"the new pack {target} would replace the old pack; choose another year "
                                       f"or output folder"))
    changes = compare_profiles(prev.profile, profile)
    docs = select(None)
    names = _template_names(docs)
    langs = profile.languages
    new_templates = {lang: template_set(lang, templates_dir).file_digests(names) for lang in langs}
    version = template_set(langs[0], templates_dir).version
    report: list[Path] = []

    def finish(tmp: Path, diffs) -> list[tuple[Path, str, str]]:
        written = []
        for lang in langs:
            ts = template_set(lang, templates_dir)
            ctx = report_context(lang, profile, prev.profile, old_pack.manifest, new_templates, version,
                                 __version__, changes, diffs, [d.id for d in docs], ts.topics())
            for path in write_report(tmp / REPORT_DIR, lang, ts, ctx, profile.approval.date):
                written.append((path, "changes", lang))
                report.append(target / path.relative_to(tmp))
        return written

    result = build_pack(profile, out, force=force, pdf=pdf, templates_dir=templates_dir, progress=progress,
                        previous=prev, finish=finish)
    return UpdateResult(result, changes, report)
