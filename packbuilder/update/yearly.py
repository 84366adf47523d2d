"""The yearly update (``packbuilder update PROFILE --from OLD_PACK -o OUT``): next year's
pack from the updated profile and last year's pack, in three steps:

1. regenerate: render the new pack (:func:`packbuilder.pack.build.render_pack`) for the new
   plan year, the journals marking who joined or became equated since the old pack, and
   carry into it what the officer changed in last year's files (:mod:`packbuilder.update.carry`);
2. compare: each rendered file's text with the old pack's file
   (:mod:`packbuilder.update.diff`), and the two profiles (:mod:`packbuilder.update.changes`);
   the change sheets carry the old editions over and add this one;
3. write: the new pack with its change report (:mod:`packbuilder.update.report`) in
   ``changes/`` (:func:`packbuilder.pack.build.write_pack`).

The old pack's manifest is checked first (:func:`packbuilder.update.old_pack.read_old_pack`);
the old pack is only read, never written.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _
from packbuilder.inputs.profile_file import validate_profile
from packbuilder.model.catalogue import count_files
from packbuilder.model.profile import Profile
from packbuilder.pack.build import (
    Finisher,
    PackResult,
    Progress,
    RenderedFile,
    RenderedPack,
    pack_dir,
    render_change_sheets,
    render_pack,
    template_names,
    write_pack,
)
from packbuilder.pack.manifest import PackFile
from packbuilder.pack.revisions import Revision
from packbuilder.update.carry import CARRIED, FileEdits, carry_edits, file_stem
from packbuilder.update.changes import ProfileChanges, compare_profiles
from packbuilder.update.diff import TextDiff, body_lines, edition, paragraph_diff
from packbuilder.update.old_pack import OldPack, read_old_pack
from packbuilder.update.redline import INSTALL_HINT, RedlineUnavailable, redline_available, write_redline
from packbuilder.update.report import REPORT_DIR, render_report, report_context


@dataclass
class UpdateResult:
    """What an update wrote: the new ``pack`` (folder, files, warnings), the profile
    ``changes``, the comparison of each new file with the old pack's (``diffs``: path in
    the pack → TextDiff, None for a file the old pack has not), the change report's
    files (absolute paths) and what became of the officer's ``edits`` of the old pack's
    files (:func:`packbuilder.update.carry.carry_edits`)."""

    pack: PackResult
    changes: ProfileChanges
    diffs: dict[str, TextDiff | None]
    report: list[Path]
    edits: list[FileEdits]


def update_steps(languages: list[str], redlines: bool = False, pdf: bool = False) -> int:
    """At most how many times :func:`update_pack` calls its ``progress``: each document file
    rendered, compared and written, and its redline written when ``redlines`` (a file whose
    text did not change gets none, so fewer calls then), and each .docx converted when
    ``pdf``."""
    return (4 if redlines else 3) * count_files(None, languages) + (count_files(None, languages, "docx") if pdf else 0)


def update_pack(profile: Profile, old: Path | OldPack, out: Path, year: int | None = None, force: bool = False,
                pdf: bool = False, templates_dir: Path | None = None, discard_edits: bool = False,
                redlines: bool = False, progress: Progress | None = None) -> UpdateResult:
    """Build the pack that follows the one at ``old`` (a folder, or an :class:`OldPack`
    already read) from the updated ``profile`` into ``OUT/<bin>/<year>``, with the change
    sheets carried over and extended and the change report in ``changes/``.

    ``year`` defaults to the old pack's plus one and replaces the profile's plan year;
    ``pdf``, ``force`` and ``templates_dir`` (template overrides, checked by the command
    beforehand) are as for :func:`packbuilder.pack.build.build_pack`. The officer's edits of
    the old pack's files are carried over (:func:`packbuilder.update.carry.carry_edits`)
    unless ``discard_edits``: then the new pack is built from the templates only. With
    ``redlines``, every new .docx whose text differs from the old file gets a redline in
    ``changes/redline/`` (:func:`redline_finisher`; about 0.8 s a document, on every core).
    ``progress`` is called with each document file rendered, compared with the old pack and
    written, and each redline written.
    Raises InputError when the old pack is refused (:func:`read_old_pack`), for what
    :func:`next_profile` refuses, when the new pack would replace the old one, or for what
    :func:`packbuilder.pack.build.write_pack` refuses.
    """
    old_pack = old if isinstance(old, OldPack) else read_old_pack(old)
    profile = next_profile(profile, old_pack, year)
    target = pack_dir(out, profile)
    if target.resolve() == old_pack.root.resolve() or old_pack.root.resolve() in target.resolve().parents:
        raise InputError(Problem("-o", _("the new pack {folder} would replace the old pack; choose another year "
                                         "or output folder").format(folder=target)))
    pack = render_pack(profile, templates_dir=templates_dir, previous=old_pack.profile, progress=progress)
    edits = carry_edits(pack, old_pack, templates_dir, discard=discard_edits)
    diffs = compare_pack(pack, old_pack, progress)
    history = carried_history(pack, old_pack, diffs, edits)
    render_change_sheets(pack, history)
    changes = compare_profiles(old_pack.profile, profile)
    targets, warnings = redline_targets(diffs, old_pack) if redlines else ([], [])
    report = change_report(pack, old_pack, changes, diffs, edits, targets)
    finish = redline_finisher(old_pack, targets, profile, progress) if targets else None
    result = write_pack(pack, out, history, force=force, pdf=pdf, extra=report, previous=old_pack.reference(),
                        progress=progress, finish=finish)
    result.warnings[:0] = warnings
    return UpdateResult(result, changes, diffs, [result.root / f.path(form) for f in report for form in f.forms],
                        edits)


REDLINE_DIR = f"{REPORT_DIR}/redline"
"""Where an update writes its redlines: ``changes/redline/kk/03-policy.docx``."""


def redline_targets(diffs: dict[str, TextDiff | None], old: OldPack) -> tuple[list[str], list[str]]:
    """The new pack's .docx files (``kk/03-policy.docx``) that get a redline: those whose
    text differs from the old pack's file, sorted; and a warning when the redline engine
    cannot run here (then none)."""
    targets = sorted(rel for rel, d in diffs.items() if rel.endswith(".docx") and d is not None and d.differs
                     and rel in old.files)
    if targets and not redline_available():
        return [], [_("no redlines written: the redline engine cannot run here; {hint}").format(
            hint=_(INSTALL_HINT))]
    return targets, []


def redline_finisher(old: OldPack, targets: list[str], profile: Profile, progress: Progress | None) -> Finisher:
    """The :data:`packbuilder.pack.build.Finisher` that writes the redline of each of
    ``targets`` (:func:`packbuilder.update.redline.write_redline`): the new document with
    Word's tracked changes against the old pack's file as the officer had it, by «packbuilder
    <year>» dated the new approving order, several at a time (one engine process per core).
    A redline that fails is left out with a warning."""
    when = dt.datetime.combine(profile.approval.date, dt.time(), tzinfo=dt.timezone.utc)  # noqa: UP017 (3.10)
    author = f"packbuilder {profile.year}"

    def finish(folder: Path, warnings: list[str]) -> list[PackFile]:
        def one(rel: str) -> Path:
            out = folder / REDLINE_DIR / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            return write_redline(old.root / rel, folder / rel, out, author, date=when)

        written = []
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for rel, job in [(rel, pool.submit(one, rel)) for rel in targets]:
                try:
                    job.result()
                except (RedlineUnavailable, ValueError, OSError) as exc:
                    warnings.append(_("{file}: no redline written: {reason}").format(file=rel, reason=exc))
                    continue
                written.append(PackFile(path=f"{REDLINE_DIR}/{rel}", document="redline", lang=rel.split("/", 1)[0],
                                        sha256=""))
                if progress:
                    progress(f"{REDLINE_DIR}/{rel}")
        return written

    return finish


def next_profile(profile: Profile, old: OldPack, year: int | None = None) -> Profile:
    """``profile`` with the plan year of the new pack: ``year``, default the old pack's plus
    one. Raises InputError when the profile is of another organization, the year is before
    the old pack's, or ``approval`` is still the old pack's order (a new edition is approved
    by a new order)."""
    prev = old.profile
    new_year = year if year is not None else old.year + 1
    problems = []
    if profile.organization.bin != prev.organization.bin:
        problems.append(Problem("organization.bin", _("{bin} is not the old pack's organization ({old_bin})").format(
            bin=profile.organization.bin, old_bin=prev.organization.bin)))
    if new_year < old.year:
        problems.append(Problem("--year", _("{year} is before the old pack's plan year {old_year}").format(
            year=new_year, old_year=old.year)))
    if problems:
        raise InputError(problems)
    data = profile.model_dump(mode="json")
    data["year"] = new_year
    profile = validate_profile(data)
    if (profile.approval.number, profile.approval.date) == (prev.approval.number, prev.approval.date):
        raise InputError(Problem("approval", _("still the old pack's order № {number} of {date}; the {year} edition "
                                               "is approved by a new order: set approval.number and approval.date"
                                               ).format(number=prev.approval.number,
                                                        date=f"{prev.approval.date:%d.%m.%Y}", year=new_year)))
    return profile


def compare_pack(pack: RenderedPack, old: OldPack, progress: Progress | None = None) -> dict[str, TextDiff | None]:
    """Each file of the rendered ``pack`` (path → comparison) compared with the old pack's
    file of the same path, without approval blocks and change sheets; None for a file the
    old pack has not. Reads the old files only; ``progress`` is called with each path."""
    diffs: dict[str, TextDiff | None] = {}
    for f in pack.files:
        for form in f.forms:
            old_text = old.text(f.path(form))
            diffs[f.path(form)] = None if old_text is None else paragraph_diff(
                body_lines(old_text, f.lang, f.approved), body_lines(f.text(form), f.lang, f.approved))
            if progress:
                progress(f.path(form))
    return diffs


def carried_history(pack: RenderedPack, old: OldPack, diffs: dict[str, TextDiff | None],
                    edits: list[FileEdits] = ()) -> dict[str, list[Revision]]:
    """The change-sheet history of every approved file of ``pack``: the old pack's editions
    of its stem and a new one (:func:`packbuilder.update.diff.edition`) from the differences
    of its files in every language and form, noting the officer's edits carried over
    (``edits``); a file the old pack has not starts a history of its own at the next number."""
    carried = {e.stem for e in edits if e.outcome == CARRIED and e.carried}
    history: dict[str, list[Revision]] = {}
    for f in pack.files:
        if not f.approved or f.stem in history:
            continue
        previous = old.revisions.get(f.stem, [])
        found = [d for rel, d in diffs.items() if d is not None and file_stem(rel) == f.stem]
        revision = edition(pack.profile, len(previous) + 1, found or None)
        if f.stem in carried:
            revision = revision.model_copy(update={"edits": True})
        history[f.stem] = previous + [revision]
    return history


def change_report(pack: RenderedPack, old: OldPack, changes: ProfileChanges,
                  diffs: dict[str, TextDiff | None], edits: list[FileEdits] = (),
                  redlines: list[str] = ()) -> list[RenderedFile]:
    """The change report in each language of ``pack``: ``changes/<lang>.docx`` and
    ``.html``. Raises InputError for a problem of the ``_changes.md`` template."""
    names = template_names(pack.documents)
    new_templates = {lang: pack.templates[lang].file_digests(names) for lang in pack.languages}
    version = pack.templates[pack.languages[0]].version
    out = []
    for lang in pack.languages:
        ts = pack.templates[lang]
        ctx = report_context(lang, pack.profile, pack.contexts[lang], old.manifest, new_templates, version,
                             changes, diffs, [d.id for d in pack.documents], edits,
                             [f"{REDLINE_DIR}/{rel}" for rel in redlines])
        blocks, title, page = render_report(lang, ts, ctx)
        out.append(RenderedFile("changes", lang, f"{REPORT_DIR}/{lang}", ("docx", "html"), title, blocks, html=page))
    return out
