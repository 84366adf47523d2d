"""The command line: a thin layer over the functions of the stages (README «Commands»).

Exit codes: 0 done, 1 invalid input or a failed item, 2 usage error.
"""

from __future__ import annotations

import signal
import sys
import threading
import warnings
from importlib import resources
from pathlib import Path

import click

from packbuilder import __version__
from packbuilder.errors import InputError
from packbuilder.inputs.encoding import ProfileEncodingWarning
from packbuilder.model.catalogue import CATALOGUE, select
from packbuilder.model.languages import LANGUAGES

# A command imports what it uses when it runs (pydantic, lxml, openpyxl, python-docx, Jinja …
# take most of a second): `packbuilder --help` and `list` import none of it.


def _fail(exc: InputError) -> None:
    for p in exc.problems:
        click.echo(f"error: {p}", err=True)
    sys.exit(1)


def _fail_os(exc: OSError, where: Path) -> None:
    """A file system error (a folder not writable, a disk full): the file and the reason; exit 1."""
    click.echo(f"error: {exc.filename or where}: {exc.strerror or exc}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="packbuilder")
def main() -> None:
    """Generate the internal anti-corruption document pack of an organization, in Kazakh
    and Russian, from its profile."""
    warnings.showwarning = _show_warning
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum, frame) -> None:
    """SIGTERM (a service stopping, `kill`) ends a command as Ctrl-C does: what is being
    written is removed, nothing half-written stays."""
    raise KeyboardInterrupt


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning of packbuilder's reading of an input (a file read as Windows-1251) as the
    commands print theirs: «warning: …» on stderr, no source line."""
    if issubclass(category, ProfileEncodingWarning):
        click.echo(f"warning: {message}", err=True)
    else:
        _SHOW_WARNING(message, category, filename, lineno, file, line)


_SHOW_WARNING = warnings.showwarning


@main.command()
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(profile: Path, force: bool) -> None:
    """Write a commented starter PROFILE to fill in."""
    if profile.exists() and not force:
        click.echo(f"error: {profile}: already exists; use --force to overwrite it", err=True)
        sys.exit(1)
    text = resources.files("packbuilder").joinpath("starter_profile.yaml").read_text(encoding="utf-8")
    profile.write_text(text, encoding="utf-8")
    click.echo(f"wrote {profile}: fill it in, then run `packbuilder validate {profile}`")


@main.command()
@click.argument("profile", type=click.Path(path_type=Path))
def validate(profile: Path) -> None:
    """Check PROFILE; list every problem with its field path; exit 1 if any."""
    from packbuilder.inputs.profile_file import load_profile
    from packbuilder.model.profile import profile_warnings

    try:
        p = load_profile(profile)
    except InputError as exc:
        _fail(exc)
    for w in profile_warnings(p):
        click.echo(f"warning: {w}", err=True)
    equated = sum(e.equated for e in p.employees)
    click.echo(f"{profile}: valid — {p.organization.name.ru}, plan year {p.year}, "
               f"{len(p.employees)} employees ({equated} equated), languages {', '.join(p.languages)}")


def _count_files(only: tuple[str, ...], langs: list[str], suffix: str = "") -> int:
    return sum(1 for doc in select(list(only)) for f in doc.files() if f.endswith(suffix)) * len(langs)


@main.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the pack into (as OUT/<bin>/<year>/).")
@click.option("--lang", "langs", multiple=True, type=click.Choice(LANGUAGES),
              help="Only this language (repeatable; default: the profile's languages).")
@click.option("--only", multiple=True, metavar="ID", help="Only this document (repeatable; see `list`).")
@click.option("--pdf", is_flag=True, help="Also write a PDF of every document (needs LibreOffice).")
@click.option("--templates", "templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A folder of your own templates (kk/, ru/) overriding the built-in ones; see `templates export`.")
@click.option("--force", is_flag=True, help="Replace an existing pack of the same organization and year.")
def build(profile: Path, out: Path, langs: tuple[str, ...], only: tuple[str, ...], pdf: bool, force: bool,
          templates: Path | None) -> None:
    """Build the pack of PROFILE into OUT/<bin>/<year>/."""
    from packbuilder.authoring.check import preflight
    from packbuilder.inputs.profile_file import load_profile
    from packbuilder.model.profile import profile_warnings
    from packbuilder.pack.build import build_pack

    known = {d.id for d in CATALOGUE}
    for doc_id in only:
        if doc_id not in known:
            raise click.BadParameter(f"unknown document '{doc_id}'; one of: {', '.join(sorted(known))}",
                                     param_hint="--only")
    try:
        p = load_profile(profile)
        for w in profile_warnings(p):
            click.echo(f"warning: {w}", err=True)
        languages = list(langs) or p.languages
        preflight(templates)
        total = 2 * _count_files(only, languages)  # each file is rendered, then written
        if pdf:  # and each .docx converted
            total += _count_files(only, languages, "docx")
        with click.progressbar(length=total, label="Building", file=sys.stderr,
                               show_pos=True, item_show_func=lambda s: s) as bar:
            result = build_pack(p, out, languages=languages, only=list(only) or None, force=force,
                                pdf=pdf, templates_dir=templates, progress=lambda f: bar.update(1, f))
    except InputError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_os(exc, out)
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(f"built {result.root}: {len(result.files)} files")


@main.command()
@click.argument("profile", type=click.Path(path_type=Path))
@click.option("--from", "old", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Last year's pack: the folder OUT/<bin>/<year> holding its manifest.json.")
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the new pack into (as OUT/<bin>/<year>/).")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Plan year of the new pack (default: the old pack's plus one).")
@click.option("--pdf", is_flag=True, help="Also write a PDF of every document (needs LibreOffice).")
@click.option("--templates", "templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A folder of your own templates (kk/, ru/) overriding the built-in ones; see `templates export`.")
@click.option("--force", is_flag=True, help="Replace an existing pack of the same organization and year.")
@click.option("--discard-edits", is_flag=True,
              help="Build the new pack from the templates only, without the changes made to last year's files.")
@click.option("--redlines/--no-redlines", default=True, show_default=True,
              help="Write changes/redline/: each changed document with Word's tracked changes against last "
                   "year's file (about 1 s a document).")
def update(profile: Path, old: Path, out: Path, year: int | None, pdf: bool, force: bool,
           templates: Path | None, discard_edits: bool, redlines: bool) -> None:
    """Build next year's pack from the updated PROFILE and last year's pack (never changed):
    what you changed in last year's files carried over, change sheets carried over, joiners
    and newly equated marked, and a report of what changed in OUT/<bin>/<year>/changes/."""
    from packbuilder.authoring.check import preflight
    from packbuilder.inputs.profile_file import load_profile
    from packbuilder.model.profile import profile_warnings
    from packbuilder.update.carry import CARRIED, DISCARDED, NOT_CARRIED, REGENERATED, SAME_TEXT
    from packbuilder.update.old_pack import read_old_pack
    from packbuilder.update.yearly import update_pack

    try:
        p = load_profile(profile)
        for w in profile_warnings(p):
            click.echo(f"warning: {w}", err=True)
        old_pack = read_old_pack(old)
        new_year = year if year is not None else old_pack.year + 1
        if p.year != new_year:
            click.echo(f"warning: {profile}: year {p.year} is replaced by {new_year}"
                       + ("" if year is not None else " (the old pack's plan year plus one; --year to choose)"),
                       err=True)
        preflight(templates)
        # each file is rendered, compared, then written (and its redline written)
        total = (4 if redlines else 3) * _count_files((), p.languages)
        if pdf:
            total += _count_files((), p.languages, "docx")
        with click.progressbar(length=total, label="Updating", file=sys.stderr,
                               show_pos=True, item_show_func=lambda s: s) as bar:
            result = update_pack(p, old_pack, out, year=new_year, force=force, pdf=pdf, templates_dir=templates,
                                 discard_edits=discard_edits, redlines=redlines,
                                 progress=lambda f: bar.update(1, f))
            bar.update(total - bar.pos)  # documents whose text did not change get no redline
    except InputError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_os(exc, out)
    for w in result.pack.warnings:
        click.echo(f"warning: {w}", err=True)
    c = result.changes
    click.echo(f"built {result.pack.root}: {len(result.pack.files)} files")
    click.echo(f"changes: {len(c.fields)} profile fields, {len(c.hired)} hired, {len(c.left)} left, "
               f"{len(c.moved)} moved, {len(c.newly_equated)} newly equated; "
               f"{sum(1 for d in result.diffs.values() if d is not None and d.differs)} files with changed text, "
               f"{sum(1 for d in result.diffs.values() if d is None)} new")
    edited = [e for e in result.edits if e.outcome != REGENERATED]
    if edited:
        carried = [e for e in edited if e.outcome == CARRIED]
        same = [e for e in edited if e.outcome == SAME_TEXT]
        left = [e.path for e in edited if e.outcome in (NOT_CARRIED, DISCARDED)]
        click.echo(f"your edits: {len(edited)} files changed since last year's pack: {len(carried)} with edits "
                   f"carried over ({sum(len(e.carried) for e in carried)} changes, "
                   f"{sum(len(e.conflicts) for e in edited)} conflicts kept with the new text), "
                   f"{len(same)} saved again with the same text"
                   + (f"; not carried: {', '.join(left)}" if left else ""))
    click.echo("report: " + ", ".join(str(p) for p in result.report))


@main.command(name="list")
def list_documents() -> None:
    """The documents of a pack: number, id, kk and ru titles, form."""
    for doc in CATALOGUE:
        form = "+".join(doc.forms) + (f" ({doc.describe_parts()})" if doc.parts else "")
        click.echo(f"{doc.number:02d}  {doc.id:<24} {form}")
        click.echo(f"    kk: {doc.title('kk', 2026).replace('2026', '{year}')}")
        click.echo(f"    ru: {doc.title('ru', 2026).replace('2026', '{year}')}")


@main.command()
@click.argument("registry", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the packs (OUT/<bin>/<year>/) and status.xlsx into.")
@click.option("--defaults", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A profile of values every organization shares (parent body, year, approval date).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--templates", "templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A folder of your own templates (kk/, ru/) overriding the built-in ones; see `templates export`.")
@click.option("--pdf", is_flag=True, help="Also write a PDF of every document (needs LibreOffice; "
                                          "each job keeps one LibreOffice running).")
@click.option("--force", is_flag=True, help="Rebuild packs that are already in OUT.")
def batch(registry: Path, out: Path, defaults: Path | None, jobs: int | None, force: bool,
          templates: Path | None, pdf: bool) -> None:
    """Build one pack per organization of REGISTRY (an .xlsx registry or a folder of
    profiles) and write OUT/status.xlsx; exit 1 if any organization failed."""
    from packbuilder.batch import default_jobs, run_batch

    bar = None

    def validated(reg) -> None:
        nonlocal bar
        invalid = len(reg.entries) - len(reg.valid)
        click.echo(f"{registry}: {len(reg.entries)} organizations, {len(reg.valid)} valid"
                   + (f", {invalid} invalid (not built)" if invalid else ""), err=True)
        workers = min(jobs or default_jobs(), max(1, len(reg.valid)))
        bar = click.progressbar(length=len(reg.valid), label=f"Building packs ({workers} "
                                                             f"{'job' if workers == 1 else 'jobs'})",
                                file=sys.stderr, show_pos=True, show_eta=True,
                                item_show_func=lambda o: o.entry.bin if o else None)
        bar.__enter__()

    try:
        try:
            result = run_batch(registry, out, defaults=defaults, jobs=jobs, force=force, templates_dir=templates,
                               pdf=pdf, on_validated=validated, progress=lambda o: bar.update(1, o))
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    except InputError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_os(exc, out)
    for o in result.failed:
        click.echo(f"{o.status}: {o.entry.source} {o.entry.bin} {o.entry.name}".rstrip(), err=True)
        for p in o.problems:
            click.echo(f"  {p}", err=True)
    for p in result.registry_problems:
        click.echo(f"error: {p}", err=True)
    counts: dict[str, int] = {}
    for o in result.outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    click.echo(f"{len(result.outcomes)} organizations: {summary}; status: {result.status_path}")
    if not result.ok:
        sys.exit(1)


@main.group()
def registry() -> None:
    """The registry of organizations that `batch` builds packs for."""


@registry.command(name="init")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def registry_init(file: Path, force: bool) -> None:
    """Write an empty registry workbook FILE to fill in Excel."""
    from packbuilder.inputs.registry_workbook import write_registry

    if file.suffix.lower() != ".xlsx":
        raise click.BadParameter("a registry is an .xlsx workbook", param_hint="FILE")
    if file.exists() and not force:
        click.echo(f"error: {file}: already exists; use --force to overwrite it", err=True)
        sys.exit(1)
    try:
        write_registry(file)
    except OSError as exc:
        _fail_os(exc, file)
    click.echo(f"wrote {file}: one row per organization in sheet 'organizations', their staff in "
               f"'employees' (see sheet 'help'); then run `packbuilder batch {file} -o OUT`")


@main.group(name="templates")
def templates_group() -> None:
    """Your own templates: export the built-in ones to start from, check a folder of them.
    Build, update and batch use such a folder with --templates DIR."""


@templates_group.command(name="export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the templates in a folder that is not empty.")
def templates_export(folder: Path, force: bool) -> None:
    """Copy the built-in templates into FOLDER (kk/, ru/) with a guide to overriding them and
    to the variables (FOLDER/README.md)."""
    from packbuilder.authoring.guide import export_templates

    try:
        written = export_templates(folder, force=force)
    except InputError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_os(exc, folder)
    click.echo(f"wrote {len(written) - 2} templates and {folder / 'README.md'}: keep only the files you "
               f"change, then `packbuilder templates check {folder}`")


@templates_group.command(name="check")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def templates_check(folder: Path) -> None:
    """Check the templates of FOLDER: every problem with its file and line (paragraph for a
    .docx); exit 1 if any."""
    from packbuilder.authoring.check import check_templates

    result = check_templates(folder)
    for p in result.problems:
        click.echo(f"error: {p}", err=True)
    if result.same:
        n = len(result.same)
        click.echo(f"note: {n} {'files are' if n != 1 else 'file is'} the same as the built-in "
                   f"{'ones' if n != 1 else 'one'}; delete what you do not change, so that packbuilder's updates "
                   f"of it reach you", err=True)
    if result.problems:
        files = len({p.where.split(":")[0] for p in result.problems})
        click.echo(f"{folder}: {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''} "
                   f"in {files} file{'s' if files != 1 else ''}", err=True)
        sys.exit(1)
    click.echo(f"{folder}: {len(result.files)} templates checked, no problems")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than 127.0.0.1, ::1 or localhost needs the printed token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the app's data: database, packs, uploads (default: your user data folder).")
def serve(host: str, port: int, data: Path | None) -> None:
    """The same jobs in a browser: organizations, profile forms, staff, builds, packs, next
    year's update and batches (README «For compliance officers: the browser»)."""
    from packbuilder.web.server import serve as run_server

    try:
        run_server(host=host, port=port, data_dir=data)
    except OSError as exc:
        _fail_os(exc, data or Path("."))
