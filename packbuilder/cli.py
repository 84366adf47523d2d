"""The command line: a thin layer over the functions of the stages (README «Commands»), in the
interface language (``--ui-lang``, ``PACKBUILDER_UI_LANG`` or the locale; :mod:`packbuilder.i18n`).

Exit codes: 0 done, 1 invalid input or a failed item, 2 usage error.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import warnings
from importlib import resources
from pathlib import Path

import click

from packbuilder import __version__
from packbuilder.errors import InputError
from packbuilder.i18n import (
    ENV_VAR,
    N_,
    UI_LANGUAGES,
    _,
    ngettext,
    normalize_language,
    set_ui_language,
    ui_language,
)
from packbuilder.inputs.encoding import ProfileEncodingWarning
from packbuilder.model.catalogue import CATALOGUE
from packbuilder.model.languages import LANGUAGES

# A command imports what it uses when it runs (pydantic, lxml, openpyxl, python-docx, Jinja …
# take most of a second): `packbuilder --help` and `list` import none of it.

CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"), N_("Aborted!"),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("Error: {message}"),
    N_("Try '{command} {option}' for help."), N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"), N_("Missing argument"), N_("Missing option"),
    N_("Missing parameter"), N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."), N_("No such command {name!r}."), N_("Missing command."),
    N_("Could not open file {filename!r}: {message}"), N_("unknown error"), N_("default: {default}"),
    N_("env var: {var}"), N_("file"), N_("directory"), N_("path"), N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."), N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."), N_("{name} {filename!r} is not writable."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("Option {name!r} does not take a value."), N_("Argument {name!r} takes {nargs} values."),
    N_("Choose from:\n\t{choices}"), N_("%(prog)s, version %(version)s"), N_("deprecated"),
    N_("integer"), N_("float"), N_("required"), N_("[OPTIONS]"), N_("COMMAND [ARGS]..."),
)
"""click's own messages (usage, errors of arguments) that packbuilder's catalogs translate:
click looks them up through ``gettext``, which :func:`_speak_click` points at the catalogs."""



def _click_plurals(n: int) -> list[str]:
    """click's own messages with plural forms (never called: it puts them in the catalogs)."""
    return [ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
            ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n),
            ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
            ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n)]


def _speak_click() -> None:
    """Make click's own messages (``Usage:``, ``Missing argument``) speak the interface
    language: its modules call ``_`` and ``ngettext`` bound at their import; they are
    pointed at packbuilder's catalogs."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                   click.termui, click.types):
        if hasattr(module, "_"):
            module._ = _
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


_speak_click()


_env_checked = False


def _choose_ui_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    global _env_checked
    if value is not None:
        set_ui_language(value)
    elif ctx.parent is None:
        set_ui_language(None)  # a new run of the group (tests run many in one process)
    elif not _env_checked and os.environ.get(ENV_VAR) and normalize_language(os.environ[ENV_VAR]) is None:
        _env_checked = True
        click.echo(_("warning: {var}={value!r} is not one of {languages}; the interface speaks {default}").format(
            var=ENV_VAR, value=os.environ[ENV_VAR], languages=", ".join(UI_LANGUAGES),
            default=ui_language()), err=True)


def _ui_lang_option() -> click.Option:
    return Option(["--ui-lang"], type=click.Choice(UI_LANGUAGES), default=None, is_eager=True, expose_value=False,
                  callback=_choose_ui_language, metavar="[kk|ru|en]",
                  help=N_("Language of messages and help: kk, ru or en (default: PACKBUILDER_UI_LANG, else the "
                          "locale, else ru)."))


class PathType(click.Path):
    """``click.Path`` naming itself (``FILE``, «file '…' does not exist») in the language of
    the moment, not of the import."""

    @property
    def name(self) -> str:
        if self.file_okay and not self.dir_okay:
            return _("file")
        if self.dir_okay and not self.file_okay:
            return _("directory")
        return _("path")

    @name.setter
    def name(self, value: str) -> None:
        pass


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": "packbuilder", "version": __version__})
        ctx.exit()


class Option(click.Option):
    """An option whose help (a message id marked with ``N_``) is translated when shown."""

    def get_help_record(self, ctx: click.Context):
        original = self.help
        self.help = _(original) if original else original
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = original


class _Translated:
    """A command whose help and short help (message ids) are translated when shown, and
    which takes ``--ui-lang`` like the group."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params.append(_ui_lang_option())

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [_(p) if p in ("[OPTIONS]", "COMMAND [ARGS]...") else p for p in super().collect_usage_pieces(ctx)]

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None and not isinstance(option, Option):
            option.__class__ = Option
            option.help = "Show this message and exit."  # the message id: translated when shown
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        text = self.short_help or (self.help or "").partition("\f")[0]
        return _short(_(text), limit) if text else ""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                for paragraph in _(self.help).split("\n\n"):
                    formatter.write_text(paragraph)


def _short(text: str, limit: int) -> str:
    """The first sentence of ``text``, cut at a word to at most ``limit`` characters (« …»)."""
    words = text.split()
    out = ""
    for word in words:
        candidate = f"{out} {word}" if out else word
        if len(candidate) > limit - 3:
            return out + "..."
        out = candidate
        if word.endswith("."):
            break
    return out


class Command(_Translated, click.Command):
    """A command of packbuilder (help translated, ``--ui-lang``)."""


class Group(_Translated, click.Group):
    """A group of packbuilder's commands (help translated, ``--ui-lang``)."""

    command_class = Command
    group_class = type  # subgroups are Groups too


def option(*param_decls: str, **attrs):
    """``click.option`` with a translated help."""
    return click.option(*param_decls, cls=Option, **attrs)


def _fail(exc: InputError) -> None:
    for p in exc.problems:
        click.echo(_("error: {message}").format(message=p), err=True)
    sys.exit(1)


def _fail_os(exc: OSError, where: Path) -> None:
    """A file system error (a folder not writable, a disk full): the file and the reason; exit 1."""
    click.echo(_("error: {message}").format(message=f"{exc.filename or where}: {exc.strerror or exc}"), err=True)
    sys.exit(1)


def _warn(message) -> None:
    click.echo(_("warning: {message}").format(message=message), err=True)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Generate the internal anti-corruption document pack of an organization, in Kazakh and Russian, "
                     "from its profile."))
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
        help=N_("Show the version and exit."))
def main() -> None:
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
        _warn(message)
    else:
        _SHOW_WARNING(message, category, filename, lineno, file, line)


_SHOW_WARNING = warnings.showwarning


_FORCE_FILE = N_("Overwrite an existing file.")
_TEMPLATES = N_("A folder of your own templates (kk/, ru/) overriding the built-in ones; see `templates export`.")
_PDF = N_("Also write a PDF of every document (needs LibreOffice).")
_FORCE_PACK = N_("Replace an existing pack of the same organization and year.")


@main.command(help=N_("Write a commented starter PROFILE to fill in."))
@click.argument("profile", type=PathType(dir_okay=False, path_type=Path))
@option("--force", is_flag=True, help=_FORCE_FILE)
def init(profile: Path, force: bool) -> None:
    if profile.exists() and not force:
        click.echo(_("error: {message}").format(
            message=_("{file}: already exists; use --force to overwrite it").format(file=profile)), err=True)
        sys.exit(1)
    text = resources.files("packbuilder").joinpath("starter_profile.yaml").read_text(encoding="utf-8")
    profile.write_text(text, encoding="utf-8")
    click.echo(_("wrote {file}: fill it in, then run `packbuilder validate {file}`").format(file=profile))


@main.command(help=N_("Check PROFILE; list every problem with its field path and line; exit 1 if any."))
@click.argument("profile", type=PathType(path_type=Path))
def validate(profile: Path) -> None:
    from packbuilder.inputs.profile_file import load_profile
    from packbuilder.model.profile import profile_warnings

    try:
        p = load_profile(profile)
    except InputError as exc:
        _fail(exc)
    for w in profile_warnings(p):
        _warn(w)
    n = len(p.employees)
    click.echo(ngettext(
        "{file}: valid — {name}, plan year {year}, {n} employee ({equated} equated), languages {languages}",
        "{file}: valid — {name}, plan year {year}, {n} employees ({equated} equated), languages {languages}",
        n).format(file=profile, name=p.organization.name.kk if ui_language() == "kk" else p.organization.name.ru,
                  year=p.year, n=n,
                  equated=sum(e.equated for e in p.employees), languages=", ".join(p.languages)))


def _built(root: Path, files: int) -> str:
    return ngettext("built {folder}: {n} file", "built {folder}: {n} files", files).format(folder=root, n=files)


@main.command(help=N_("Build the pack of PROFILE into OUT/<bin>/<year>/."))
@click.argument("profile", type=PathType(path_type=Path))
@option("-o", "--out", "out", required=True, type=PathType(file_okay=False, path_type=Path),
        help=N_("Folder to write the pack into (as OUT/<bin>/<year>/)."))
@option("--lang", "langs", multiple=True, type=click.Choice(LANGUAGES),
        help=N_("Only this language (repeatable; default: the profile's languages)."))
@option("--only", multiple=True, metavar="ID", help=N_("Only this document (repeatable; see `list`)."))
@option("--pdf", is_flag=True, help=_PDF)
@option("--templates", "templates", type=PathType(file_okay=False, path_type=Path), default=None, help=_TEMPLATES)
@option("--force", is_flag=True, help=_FORCE_PACK)
def build(profile: Path, out: Path, langs: tuple[str, ...], only: tuple[str, ...], pdf: bool, force: bool,
          templates: Path | None) -> None:
    from packbuilder.authoring.check import preflight
    from packbuilder.inputs.profile_file import load_profile
    from packbuilder.model.profile import profile_warnings
    from packbuilder.pack.build import build_pack, build_steps

    known = {d.id for d in CATALOGUE}
    for doc_id in only:
        if doc_id not in known:
            raise click.BadParameter(_("unknown document '{id}'; one of: {ids}").format(
                id=doc_id, ids=", ".join(sorted(known))), param_hint="--only")
    try:
        p = load_profile(profile)
        for w in profile_warnings(p):
            _warn(w)
        languages = list(langs) or p.languages
        preflight(templates)
        total = build_steps(only, languages, pdf)
        with click.progressbar(length=total, label=_("Building"), file=sys.stderr,
                               show_pos=True, item_show_func=lambda s: s) as bar:
            result = build_pack(p, out, languages=languages, only=list(only) or None, force=force,
                                pdf=pdf, templates_dir=templates, progress=lambda f: bar.update(1, f))
    except InputError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_os(exc, out)
    for w in result.warnings:
        _warn(w)
    click.echo(_built(result.root, len(result.files)))


@main.command(help=N_(
    "Build next year's pack from the updated PROFILE and last year's pack (never changed): what you changed in "
    "last year's files carried over, change sheets carried over, joiners and newly equated marked, and a report "
    "of what changed in OUT/<bin>/<year>/changes/."))
@click.argument("profile", type=PathType(path_type=Path))
@option("--from", "old", required=True, type=PathType(file_okay=False, path_type=Path),
        help=N_("Last year's pack: the folder OUT/<bin>/<year> holding its manifest.json."))
@option("-o", "--out", "out", required=True, type=PathType(file_okay=False, path_type=Path),
        help=N_("Folder to write the new pack into (as OUT/<bin>/<year>/)."))
@option("--year", type=click.IntRange(2000, 2100), default=None,
        help=N_("Plan year of the new pack (default: the old pack's plus one)."))
@option("--pdf", is_flag=True, help=_PDF)
@option("--templates", "templates", type=PathType(file_okay=False, path_type=Path), default=None, help=_TEMPLATES)
@option("--force", is_flag=True, help=_FORCE_PACK)
@option("--discard-edits", is_flag=True,
        help=N_("Build the new pack from the templates only, without the changes made to last year's files."))
@option("--redlines/--no-redlines", default=True, show_default=True,
        help=N_("Write changes/redline/: each changed document with Word's tracked changes against last year's "
                "file (about 1 s a document)."))
def update(profile: Path, old: Path, out: Path, year: int | None, pdf: bool, force: bool,
           templates: Path | None, discard_edits: bool, redlines: bool) -> None:
    from packbuilder.authoring.check import preflight
    from packbuilder.inputs.profile_file import load_profile
    from packbuilder.model.profile import profile_warnings
    from packbuilder.update.carry import CARRIED, DISCARDED, NOT_CARRIED, REGENERATED, SAME_TEXT
    from packbuilder.update.old_pack import read_old_pack
    from packbuilder.update.yearly import update_pack, update_steps

    try:
        p = load_profile(profile)
        for w in profile_warnings(p):
            _warn(w)
        old_pack = read_old_pack(old)
        new_year = year if year is not None else old_pack.year + 1
        if p.year != new_year:
            _warn(_("{file}: year {year} is replaced by {new_year}").format(file=profile, year=p.year,
                                                                            new_year=new_year)
                  if year is not None else
                  _("{file}: year {year} is replaced by {new_year} (the old pack's plan year plus one; --year to "
                    "choose)").format(file=profile, year=p.year, new_year=new_year))
        preflight(templates)
        total = update_steps(p.languages, redlines, pdf)
        with click.progressbar(length=total, label=_("Updating"), file=sys.stderr,
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
        _warn(w)
    c = result.changes
    click.echo(_built(result.pack.root, len(result.pack.files)))
    click.echo(_("changes: {fields} profile fields, {hired} hired, {left} left, {moved} moved, {equated} newly "
                 "equated; {changed} files with changed text, {new} new").format(
        fields=len(c.fields), hired=len(c.hired), left=len(c.left), moved=len(c.moved),
        equated=len(c.newly_equated),
        changed=sum(1 for d in result.diffs.values() if d is not None and d.differs),
        new=sum(1 for d in result.diffs.values() if d is None)))
    edited = [e for e in result.edits if e.outcome != REGENERATED]
    if edited:
        carried = [e for e in edited if e.outcome == CARRIED]
        same = [e for e in edited if e.outcome == SAME_TEXT]
        left = [e.path for e in edited if e.outcome in (NOT_CARRIED, DISCARDED)]
        line = _("your edits: {files} files changed since last year's pack: {carried} with edits carried over "
                 "({changes} changes, {conflicts} conflicts kept with the new text), {same} saved again with the "
                 "same text").format(files=len(edited), carried=len(carried),
                                     changes=sum(len(e.carried) for e in carried),
                                     conflicts=sum(len(e.conflicts) for e in edited), same=len(same))
        if left:
            line += "; " + _("not carried: {files}").format(files=", ".join(left))
        click.echo(line)
    click.echo(_("report: {files}").format(files=", ".join(str(p) for p in result.report)))


@main.command(name="list", help=N_("The documents of a pack: number, id, kk and ru titles, form."))
def list_documents() -> None:
    for doc in CATALOGUE:
        form = "+".join(doc.forms) + (f" ({doc.describe_parts()})" if doc.parts else "")
        click.echo(f"{doc.number:02d}  {doc.id:<24} {form}")
        click.echo(f"    kk: {doc.title('kk', 2026).replace('2026', '{year}')}")
        click.echo(f"    ru: {doc.title('ru', 2026).replace('2026', '{year}')}")


@main.command(help=N_("Build one pack per organization of REGISTRY (an .xlsx registry or a folder of profiles) and "
                      "write OUT/status.xlsx; exit 1 if any organization failed."))
@click.argument("registry", type=PathType(exists=True, path_type=Path))
@option("-o", "--out", "out", required=True, type=PathType(file_okay=False, path_type=Path),
        help=N_("Folder to write the packs (OUT/<bin>/<year>/) and status.xlsx into."))
@option("--defaults", type=PathType(exists=True, dir_okay=False, path_type=Path),
        help=N_("A profile of values every organization shares (parent body, year, approval date)."))
@option("--jobs", type=click.IntRange(min=1), default=None, help=N_("Worker processes (default: the number of cores)."))
@option("--templates", "templates", type=PathType(file_okay=False, path_type=Path), default=None, help=_TEMPLATES)
@option("--pdf", is_flag=True, help=N_("Also write a PDF of every document (needs LibreOffice; each job keeps one "
                                       "LibreOffice running)."))
@option("--force", is_flag=True, help=N_("Rebuild packs that are already in OUT."))
def batch(registry: Path, out: Path, defaults: Path | None, jobs: int | None, force: bool,
          templates: Path | None, pdf: bool) -> None:
    from packbuilder.batch import default_jobs, run_batch, status_label, status_summary

    bar = None

    def validated(reg) -> None:
        nonlocal bar
        invalid = len(reg.entries) - len(reg.valid)
        line = ngettext("{file}: {n} organization, {valid} valid", "{file}: {n} organizations, {valid} valid",
                        len(reg.entries)).format(file=registry, n=len(reg.entries), valid=len(reg.valid))
        if invalid:
            line += ", " + _("{n} invalid (not built)").format(n=invalid)
        click.echo(line, err=True)
        workers = min(jobs or default_jobs(), max(1, len(reg.valid)))
        bar = click.progressbar(length=len(reg.valid),
                                label=ngettext("Building packs ({n} job)", "Building packs ({n} jobs)",
                                               workers).format(n=workers),
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
        click.echo(f"{status_label(o.status)}: {o.entry.source} {o.entry.bin} {o.entry.name}".rstrip(), err=True)
        for p in o.problems:
            click.echo(f"  {p}", err=True)
    for p in result.registry_problems:
        click.echo(_("error: {message}").format(message=p), err=True)
    summary = status_summary(result.outcomes)
    click.echo(ngettext("{n} organization: {summary}; status: {file}", "{n} organizations: {summary}; status: {file}",
                        len(result.outcomes)).format(n=len(result.outcomes), summary=summary,
                                                     file=result.status_path))
    if not result.ok:
        sys.exit(1)


@main.group(help=N_("The registry of organizations that `batch` builds packs for."))
def registry() -> None:
    pass


@registry.command(name="init", help=N_("Write an empty registry workbook FILE to fill in Excel."))
@click.argument("file", type=PathType(dir_okay=False, path_type=Path))
@option("--force", is_flag=True, help=_FORCE_FILE)
def registry_init(file: Path, force: bool) -> None:
    from packbuilder.inputs.registry_workbook import write_registry

    if file.suffix.lower() != ".xlsx":
        raise click.BadParameter(_("a registry is an .xlsx workbook"), param_hint="FILE")
    if file.exists() and not force:
        click.echo(_("error: {message}").format(
            message=_("{file}: already exists; use --force to overwrite it").format(file=file)), err=True)
        sys.exit(1)
    try:
        write_registry(file)
    except OSError as exc:
        _fail_os(exc, file)
    click.echo(_("wrote {file}: one row per organization in sheet 'organizations', their staff in 'employees' "
                 "(see sheet 'help'); then run `packbuilder batch {file} -o OUT`").format(file=file))


@main.group(name="templates", help=N_(
    "Your own templates: export the built-in ones to start from, check a folder of them. Build, update and batch "
    "use such a folder with --templates DIR."))
def templates_group() -> None:
    pass


@templates_group.command(name="export", help=N_(
    "Copy the built-in templates into FOLDER (kk/, ru/) with a guide to overriding them and to the variables "
    "(FOLDER/README.md)."))
@click.argument("folder", type=PathType(file_okay=False, path_type=Path))
@option("--force", is_flag=True, help=N_("Overwrite the templates in a folder that is not empty."))
def templates_export(folder: Path, force: bool) -> None:
    from packbuilder.authoring.guide import export_templates

    try:
        written = export_templates(folder, force=force)
    except InputError as exc:
        _fail(exc)
    except OSError as exc:
        _fail_os(exc, folder)
    click.echo(_("wrote {n} templates and {guide}: keep only the files you change, then `packbuilder templates "
                 "check {folder}`").format(n=len(written) - 2, guide=folder / "README.md", folder=folder))


@templates_group.command(name="check", help=N_(
    "Check the templates of FOLDER: every problem with its file and line (paragraph for a .docx); exit 1 if any."))
@click.argument("folder", type=PathType(file_okay=False, path_type=Path))
def templates_check(folder: Path) -> None:
    from packbuilder.authoring.check import check_templates

    result = check_templates(folder)
    for p in result.problems:
        click.echo(_("error: {message}").format(message=p), err=True)
    if result.same:
        n = len(result.same)
        click.echo(ngettext(
            "note: {n} file is the same as the built-in one; delete what you do not change, so that "
            "packbuilder's updates of it reach you",
            "note: {n} files are the same as the built-in ones; delete what you do not change, so that "
            "packbuilder's updates of it reach you", n).format(n=n), err=True)
    if result.problems:
        files = len({p.where.split(":")[0] for p in result.problems})
        click.echo(ngettext("{folder}: {n} problem", "{folder}: {n} problems", len(result.problems)).format(
            folder=folder, n=len(result.problems)) + " " + ngettext("in {n} file", "in {n} files", files).format(
            n=files), err=True)
        sys.exit(1)
    click.echo(ngettext("{folder}: {n} template checked, no problems", "{folder}: {n} templates checked, no problems",
                        len(result.files)).format(folder=folder, n=len(result.files)))


@main.command(help=N_("The same work in a browser: organizations, profile forms, staff, builds, packs, next year's "
                      "update and batches (README «For compliance officers: the browser»)."))
@option("--host", default="127.0.0.1", show_default=True,
        help=N_("Address to listen on; any other than 127.0.0.1, ::1 or localhost needs the printed token."))
@option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help=N_("Port to listen on."))
@option("--data", "data", type=PathType(file_okay=False, path_type=Path), default=None,
        help=N_("Folder of the app's data: database, packs, uploads (default: your user data folder)."))
def serve(host: str, port: int, data: Path | None) -> None:
    from packbuilder.i18n import chosen_ui_language
    from packbuilder.web.server import serve as run_server

    try:
        run_server(host=host, port=port, data_dir=data, ui_lang=chosen_ui_language())
    except OSError as exc:
        _fail_os(exc, data or Path("."))
