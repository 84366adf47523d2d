"""The Flask app of ``packbuilder serve``: organizations, their profiles as forms, staff
uploads, builds with progress, packs to download, next year's update and batches — each
calling the same functions as the CLI (:mod:`packbuilder.cli`), writing the same files.

No path from a form or URL reaches the file system: organizations, builds and uploads are
looked up by their ids in the database, and a pack's file only by its name in the pack's
listing (manifest.json and the folder's files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, flash, g, redirect, render_template, request, send_file, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.security import safe_join

from packbuilder.batch import run_batch, status_summary
from packbuilder.batch import status_label as batch_status_label
from packbuilder.errors import InputError, Problem
from packbuilder.i18n import (
    N_,
    UI_LANGUAGE_NAMES,
    UI_LANGUAGES,
    _,
    default_ui_language,
    ngettext,
    normalize_language,
    ui_language,
    use_language,
)
from packbuilder.inputs.profile_file import STAFF_COLUMNS, read_profile_file, read_staff, validate_profile
from packbuilder.inputs.registry import read_registry
from packbuilder.inputs.registry_workbook import write_registry
from packbuilder.model.bin import normalize_bin
from packbuilder.model.catalogue import CATALOGUE
from packbuilder.model.languages import LANGUAGES
from packbuilder.model.legal_forms import LEGAL_FORMS
from packbuilder.model.profile import Profile, bin_problem, profile_warnings
from packbuilder.pack.build import build_pack, build_steps
from packbuilder.pack.manifest import MANIFEST, read_manifest
from packbuilder.update.old_pack import read_old_pack
from packbuilder.update.yearly import update_pack, update_steps
from packbuilder.web import forms
from packbuilder.web.jobs import JobError, Jobs, Progress
from packbuilder.web.server import is_loopback
from packbuilder.web.store import DONE, FAILED, QUEUED, RUNNING, Store
from packbuilder.web.uploads import UploadError, extract_pack_zip, save_upload

MAX_UPLOAD = 100 * 1024 * 1024
"""The largest request (an upload) the app accepts, in bytes."""

def status_label(code: str) -> str:
    """A job's status or kind (``running``, ``update``) or a batch organization's status
    (``invalid``: :func:`packbuilder.batch.status_label`) as people read it."""
    labels = {QUEUED: N_("queued"), RUNNING: N_("running"), "build": N_("build"), "update": N_("update"),
              "batch": N_("batch")}
    return _(labels[code]) if code in labels else batch_status_label(code)


class _App(Flask):
    """Flask whose every request (its views, hooks and error pages) speaks the
    interface language of its user."""

    def full_dispatch_request(self):
        with use_language(request_language()):
            return super().full_dispatch_request()


def request_language() -> str:
    """The interface language of the current request: the one chosen in the menu (the
    session), else the one the server was started with (``--ui-lang``,
    ``PACKBUILDER_UI_LANG``), else the browser's (``Accept-Language``: ``kk-KZ`` gives kk),
    else the server's locale or Russian (:func:`packbuilder.i18n.default_ui_language`)."""
    from flask import current_app, request

    lang = session.get("lang")
    if lang in UI_LANGUAGES:
        return lang
    return (current_app.config["UI_LANG"] or request.accept_languages.best_match(UI_LANGUAGES)
            or current_app.config["UI_LANG_FALLBACK"])


def _secret_key(path: Path) -> bytes:
    """The app's secret key, made once and kept in ``path`` (mode 0600)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key


def same_secret(given: str, want: str) -> bool:
    """Whether ``given`` is ``want``, compared in constant time (any text: a token typed
    with non-ASCII letters is simply wrong, not an error)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), want.encode("utf-8", "surrogatepass"))


def host_name(host: str) -> str:
    """The name in a Host header without its port (``[::1]:8080`` gives ``::1``), lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def inside(root: Path, name: str) -> bool:
    """True when ``name`` (a ``/``-separated path relative to ``root``) is a regular file in
    ``root`` reached through no symbolic link, no ``..`` and no absolute part."""
    if not name or "\\" in name or "\0" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    if any(p in ("", ".", "..") or (len(p) > 1 and p[1] == ":") for p in parts):
        return False
    here = root
    for part in parts:
        here = here / part
        if here.is_symlink():
            return False
    return here.is_file()


def text_in(value: Any, lang: str | None = None) -> str:
    """A profile text (``{kk, ru}`` or one string) in the interface language (Russian for
    English)."""
    lang = lang or ("kk" if ui_language() == "kk" else "ru")
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("ru") or value.get("kk") or "")
    return "" if value is None else str(value)


def check_profile(data: dict) -> tuple[Profile | None, list[Problem]]:
    """Validate a stored profile mapping with the profile's own reader (the CLI's
    :func:`validate_profile`); a staff file named by a path is refused (in the browser the
    staff file is uploaded on the staff page: no path of a profile reaches the disk)."""
    data = dict(data)
    problems: list[Problem] = []
    if isinstance(data.get("employees"), str):
        problems.append(Problem("employees", _("the profile names a staff file ({file}): upload it on the "
                                               "Staff page").format(file=data["employees"])))
        data["employees"] = []
    try:
        profile = validate_profile(data)
    except InputError as exc:
        return None, problems + [p for p in exc.problems if not (problems and p.where == "employees")]
    return (None, problems) if problems else (profile, [])


def day_month_year(value) -> str:
    """A date as officers write it, ``DD.MM.YYYY`` (``2020-01-10`` gives ``10.01.2020``);
    anything that is not an ISO date is shown as it is, None as ''."""
    text = "" if value is None else str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}.{text[5:7]}.{text[:4]}"
    return text


def create_app(data_dir: Path, token: str | None = None, ui_lang: str | None = None,
               run_jobs_inline: bool = False, max_upload: int = MAX_UPLOAD,
               batch_jobs: int | None = None) -> Flask:
    """The web app keeping its data under ``data_dir`` (created when missing).

    ``token``: when given, every request needs it (``?token=…`` once, kept in the session,
    or the login form). ``ui_lang``: the interface language of a user who chose none in
    the menu (default: each browser's language, else
    :func:`packbuilder.i18n.default_ui_language`; see :func:`request_language`). ``run_jobs_inline`` runs builds
    in the request (tests); ``max_upload`` bounds a request's size; ``batch_jobs`` the
    worker processes of a batch (default: the cores).
    """
    data_dir = Path(data_dir)
    if not data_dir.exists():  # staff lists are personal data: the folder is the user's own
        data_dir.mkdir(parents=True, mode=0o700)
    for sub in ("packs", "uploads", "batches"):
        (data_dir / sub).mkdir(parents=True, exist_ok=True)
    app = _App(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(data_dir / "secret_key"),
        MAX_CONTENT_LENGTH=max_upload,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        UI_LANG=normalize_language(ui_lang),
        UI_LANG_FALLBACK=default_ui_language(),
        TOKEN=token,
        DATA_DIR=data_dir,
    )
    store = Store(data_dir / "packbuilder.sqlite3")
    with use_language(app.config["UI_LANG"] or app.config["UI_LANG_FALLBACK"]):
        store.interrupted(_("The server was stopped before this job finished: run it again."))
    jobs = Jobs(store, inline=run_jobs_inline)
    app.extensions["packbuilder"] = {"store": store, "jobs": jobs}
    packs_dir, uploads_dir, batches_dir = data_dir / "packs", data_dir / "uploads", data_dir / "batches"

    def token_mark() -> str:
        """What the session keeps once the token was given: bound to this token, so a
        server started with another token does not take the old sessions."""
        return hmac.new(app.config["SECRET_KEY"], app.config["TOKEN"].encode("utf-8"), hashlib.sha256).hexdigest()

    def token_ok() -> bool:
        mark = session.get("token_ok")
        return isinstance(mark, str) and hmac.compare_digest(mark, token_mark())

    @app.before_request
    def _need_token():
        want = app.config["TOKEN"]
        if not want:
            # no token: only this computer may ask, by a loopback name (a page of another
            # site whose name is made to point at 127.0.0.1 — DNS rebinding — is refused)
            if not is_loopback(host_name(request.host)):
                return error_page(403, _("Without an access token this server answers only at 127.0.0.1 or "
                                         "localhost: open it by that address."))
            return None
        if token_ok() or request.endpoint in ("static", "login", "language"):
            return None
        given = request.args.get("token", "")
        if given and same_secret(given, want):
            session["token_ok"] = token_mark()
            if request.method in ("GET", "HEAD"):  # the token leaves the address bar and history
                args = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
                return redirect(request.script_root + request.path + ("?" + urlencode(args) if args else ""))
            return None
        return render_template("login.html", failed=False), 403

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    CSRFProtect(app)

    env = app.jinja_env
    env.globals.update(
        _=lambda message, **kw: _(message).format(**kw) if kw else _(message),
        ngettext=lambda s, p, n, **kw: ngettext(s, p, n).format(n=n, **kw),
        ui_language=ui_language, UI_LANGUAGES=UI_LANGUAGES, UI_LANGUAGE_NAMES=UI_LANGUAGE_NAMES,
        text_in=text_in, label=forms.label, choice_label=forms.choice_label, status_label=status_label,
    )

    env.filters["dmy"] = day_month_year

    # --- helpers ---------------------------------------------------------------------------

    def org_or_404(org_id: int) -> dict:
        org = store.organization(org_id)
        if org is None:
            abort(404)
        return org

    def year_or_404(year: int) -> int:
        if not 2000 <= year <= 2100:
            abort(404)
        return year

    def pack_root(org: dict, year: int) -> Path:
        root = packs_dir / org["bin"] / str(year)
        if root.resolve() != packs_dir.resolve() / org["bin"] / str(year):  # a link out of DIR/packs
            abort(404)
        return root

    def pack_listing(root: Path) -> list[str]:
        """The files of the pack at ``root``: those its manifest lists and those in the folder."""
        if not (root / MANIFEST).is_file():
            return []
        names = {MANIFEST}
        try:
            manifest, _raw = read_manifest(root)
            names.update(f.path for f in manifest.files)
        except InputError:
            pass
        for p in root.rglob("*"):
            rel = p.relative_to(root)
            if p.is_file() and not p.is_symlink() and not any(part.startswith(".") for part in rel.parts):
                names.add(rel.as_posix())
        return sorted(n for n in names if inside(root, n))

    def send_listed(root: Path, name: str, listing: list[str]):
        if name not in listing:
            abort(404)
        path = safe_join(str(root), name)
        if path is None or not os.path.isfile(path):
            abort(404)
        ext = name.rsplit(".", 1)[-1].lower()
        if ext == "pdf":
            return send_file(path, mimetype="application/pdf", as_attachment=False,
                             download_name=os.path.basename(name))
        if ext == "html":
            resp = send_file(path, mimetype="text/html", as_attachment=False)
            resp.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
            return resp
        return send_file(path, as_attachment=True, download_name=os.path.basename(name))

    def send_zip(root: Path, names: list[str], prefix: str, download: str):
        # made whole (in memory up to 16 MB, then on disk) before the answer starts: an error
        # is an error page, never a cut zip
        tmp = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                for name in names:
                    if inside(root, name):
                        z.write(root / name, f"{prefix}{name}")
            tmp.seek(0)
        except BaseException:
            tmp.close()
            raise
        return send_file(tmp, mimetype="application/zip", as_attachment=True, download_name=download)

    def profile_state(org: dict, year: int) -> tuple[dict, Profile | None, list[Problem], list[Problem]]:
        data = store.profile(org["id"], year)
        if data is None:
            abort(404)
        profile, problems = check_profile(data)
        if profile is not None:
            other = store.organization_by_bin(profile.organization.bin)
            if other is not None and other["id"] != org["id"]:
                problems = [Problem("organization.bin", _("BIN {bin} belongs to another organization of this "
                                                          "list").format(bin=profile.organization.bin))]
                profile = None
        warnings = profile_warnings(profile) if profile is not None else []
        return data, profile, problems, warnings

    def upload_or_flash(kind: str, beside: Path | None = None):
        try:
            return save_upload(request.files.get("defaults" if kind == "defaults" else "file"), kind, uploads_dir,
                               beside)
        except UploadError as exc:
            flash(str(exc), "error")
            return None

    def stepper(build_id: int, progress: Progress):
        def step(name: str) -> None:
            progress.step(name)
            jobs.save(build_id, progress)
        return step

    def new_org_profile(data: dict, year: int) -> int:
        """The organization of the BIN of ``data`` (added when new) with ``data`` stored as
        its profile of ``year``; returns its id. Raises InputError for a missing or bad BIN."""
        org_data = data.get("organization") if isinstance(data.get("organization"), dict) else {}
        bin_ = normalize_bin(str(org_data.get("bin") or ""))
        if bin_problem(bin_):
            raise InputError(Problem("organization.bin", _("a valid BIN (12 digits) is needed to add the "
                                                           "organization; got {value}").format(value=bin_ or "—")))
        name = org_data.get("name")
        org = store.organization_by_bin(bin_)
        org_id = org["id"] if org else store.add_organization(bin_, text_in(name, "kk"), text_in(name, "ru"))
        store.save_profile(org_id, year, data)
        return org_id

    # --- language, login, errors ------------------------------------------------------------

    @app.route("/lang/<lang>")
    def language(lang: str):
        if lang in UI_LANGUAGES:
            session["lang"] = lang
        target = request.args.get("next", "/")
        if (not target.startswith("/") or target.startswith("//") or "\\" in target
                or any(c <= " " or c == "\x7f" for c in target)):  # a browser drops tabs: "/\t/x" is "//x"
            target = "/"
        return redirect(target)

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            given = request.form.get("token", "")
            if app.config["TOKEN"] and same_secret(given, app.config["TOKEN"]):
                session["token_ok"] = token_mark()
                return redirect(url_for("index"))
            return render_template("login.html", failed=True), 403
        return render_template("login.html", failed=False)

    messages = {
        400: N_("The request was not understood: reload the page and try again."),
        403: N_("You may not open this page."),
        404: N_("There is no such page or file."),
        405: N_("This page does not take that kind of request."),
        413: N_("The file is too large: the largest upload is {mb} MB."),
        500: N_("An internal error: the server's log has the details."),
    }

    def error_page(code: int, message: str | None = None):
        msg = message or _(messages.get(code, messages[500])).format(mb=app.config["MAX_CONTENT_LENGTH"] // (1 << 20))
        return render_template("error.html", code=code, message=msg), code

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_page(400, _("The form has expired or did not come from this page: reload the page and "
                                 "send it again."))

    @app.errorhandler(HTTPException)
    def _http(exc):
        return error_page(exc.code or 500)

    @app.errorhandler(Exception)
    def _internal(exc):
        app.logger.exception("internal error")
        try:
            lang = request_language()
        except Exception:  # noqa: BLE001
            lang = app.config["UI_LANG"] or app.config["UI_LANG_FALLBACK"]
        with use_language(lang):
            return error_page(500)

    # --- organizations ----------------------------------------------------------------------

    @app.route("/")
    def index():
        return render_template("index.html", orgs=store.organizations(), legal_forms=LEGAL_FORMS,
                               this_year=dt.date.today().year, form={})

    @app.route("/org/add", methods=["POST"])
    def org_add():
        f = request.form
        form = {k: f.get(k, "").strip() for k in ("bin", "name_kk", "name_ru", "legal_form", "year")}
        errors = {}
        bin_ = normalize_bin(form["bin"])
        if bin_problem(bin_):
            errors["bin"] = bin_problem(bin_)
        if not form["name_kk"] and not form["name_ru"]:
            errors["name"] = _("give the name in Kazakh and in Russian")
        year = int(form["year"]) if form["year"].isdigit() and 2000 <= int(form["year"]) <= 2100 else None
        if year is None:
            errors["year"] = _("expected a year between 2000 and 2100")
        if errors:
            return render_template("index.html", orgs=store.organizations(), legal_forms=LEGAL_FORMS,
                                   this_year=dt.date.today().year, form=form, errors=errors), 400
        org = store.organization_by_bin(bin_)
        if org is not None:
            flash(_("An organization with BIN {bin} is already in the list.").format(bin=bin_), "error")
            return redirect(url_for("profile_page", org_id=org["id"], year=year))
        org_id = store.add_organization(bin_, form["name_kk"] or form["name_ru"], form["name_ru"] or form["name_kk"])
        organization = {"name": {"kk": form["name_kk"] or form["name_ru"], "ru": form["name_ru"] or form["name_kk"]},
                        "bin": bin_}
        if form["legal_form"] in LEGAL_FORMS:
            organization["legal_form"] = form["legal_form"]
        store.save_profile(org_id, year, {"year": year, "organization": organization})
        flash(_("Organization added: now fill in its profile."), "ok")
        return redirect(url_for("profile_page", org_id=org_id, year=year))

    @app.route("/org/import-profile", methods=["POST"])
    def org_import_profile():
        path = upload_or_flash("profile")
        if path is None:
            return redirect(url_for("index"))
        try:
            data, _lines = read_profile_file(path)
        except InputError as exc:
            for p in exc.problems:
                flash(f"{p.message}", "error")
            return redirect(url_for("index"))
        year = data.get("year") if isinstance(data.get("year"), int) and 2000 <= data.get("year") <= 2100 else None
        year = year or dt.date.today().year
        data["year"] = year
        try:
            org_id = new_org_profile(data, year)
        except InputError as exc:
            for p in exc.problems:
                flash(str(p), "error")
            return redirect(url_for("index"))
        flash(_("Profile imported; check the problems shown next to the fields, if any."), "ok")
        return redirect(url_for("profile_page", org_id=org_id, year=year))

    @app.route("/org/import-registry", methods=["POST"])
    def org_import_registry():
        path = upload_or_flash("registry")
        if path is None:
            return redirect(url_for("index"))
        if request.files.get("defaults") and request.files["defaults"].filename:
            if upload_or_flash("defaults", beside=path) is None:
                return redirect(url_for("index"))
        upload_id = store.add_upload("registry", path.relative_to(uploads_dir).as_posix())
        return redirect(url_for("registry_rows", upload_id=upload_id))

    @app.route("/import-registry/<int:upload_id>", methods=["GET", "POST"])
    def registry_rows(upload_id: int):
        upload = store.upload(upload_id, "registry")
        if upload is None:
            abort(404)
        path = Path(safe_join(str(uploads_dir), upload["file"]) or abort(404))
        defaults = next((p for p in (path.parent / f"defaults{ext}" for ext in (".yaml", ".yml", ".json"))
                         if p.is_file()), None)
        try:
            with read_registry(path, defaults) as reg:
                if request.method == "POST":
                    number = request.form.get("row", type=int)
                    entry = next((e for e in reg.valid if e.number == number), None)
                    if entry is None:
                        flash(_("Choose a valid row of the registry."), "error")
                        return redirect(url_for("registry_rows", upload_id=upload_id))
                    data = json.loads(reg.profile_json(entry))
                    org_id = new_org_profile(data, data["year"])
                    flash(_("Profile imported from the registry."), "ok")
                    return redirect(url_for("profile_page", org_id=org_id, year=data["year"]))
                entries = list(reg.entries)
                problems = list(reg.problems)
        except InputError as exc:
            for p in exc.problems:
                flash(str(p), "error")
            return redirect(url_for("index"))
        return render_template("registry_rows.html", upload_id=upload_id, entries=entries, problems=problems)

    # --- profile --------------------------------------------------------------------------------

    def org_nav(org: dict, year: int, active: str) -> dict:
        return {"org": org, "year": year, "active": active, "years": store.years(org["id"])}

    @app.route("/org/<int:org_id>/<int:year>/profile", methods=["GET", "POST"])
    def profile_page(org_id: int, year: int):
        org, year = org_or_404(org_id), year_or_404(year)
        if store.profile(org_id, year) is None:
            abort(404)
        if request.method == "POST":
            data = forms.form_to_data(request.form, year)
            action = request.form.get("action", "save")
            anchor = None
            if action.startswith("add:") and action[4:] in ("departments", "employees"):
                name = action[4:]
                data.setdefault(name, []).append({"kk": "", "ru": ""} if name == "departments" else {})
                anchor = name
            elif action.startswith("remove:"):
                name, _sep, index = action[7:].partition(":")
                if name in ("departments", "employees") and index.isdigit() and int(index) < len(data.get(name, [])):
                    data[name].pop(int(index))
                    anchor = name
            store.save_profile(org_id, year, data)
            _data, profile, problems, _warnings = profile_state(org, year)
            if profile is not None:
                store.rename_organization(org_id, profile.organization.bin, profile.organization.name.kk,
                                          profile.organization.name.ru)
                if anchor is None:
                    flash(_("Profile saved; it is valid."), "ok")
            elif anchor is None:
                flash(ngettext("Saved as a draft: {n} problem to fix.", "Saved as a draft: {n} problems to fix.",
                               len(problems)).format(n=len(problems)), "error")
            return redirect(url_for("profile_page", org_id=org_id, year=year) + (f"#{anchor}" if anchor else ""))
        data, profile, problems, warnings = profile_state(org, year)
        widgets = forms.profile_form(data)
        placed, top = forms.place_problems(problems, widgets)
        return render_template("profile.html", widgets=widgets, placed=placed, top=top, warnings=warnings,
                               valid=profile is not None, **org_nav(org, year, "profile"))

    # --- staff ---------------------------------------------------------------------------------

    @app.route("/org/<int:org_id>/<int:year>/staff", methods=["GET", "POST"])
    def staff_page(org_id: int, year: int):
        org, year = org_or_404(org_id), year_or_404(year)
        data = store.profile(org_id, year)
        if data is None:
            abort(404)
        problems: list[Problem] = []
        if request.method == "POST":
            path = upload_or_flash("staff")
            if path is not None:
                try:
                    employees = read_staff(path)
                except InputError as exc:
                    problems = exc.problems
                else:
                    data["employees"] = json.loads(json.dumps(employees, ensure_ascii=False, default=str))
                    store.save_profile(org_id, year, data, staff_file=path.relative_to(uploads_dir).as_posix())
                    flash(ngettext("{n} employee read from the staff file.", "{n} employees read from the staff file.",
                                   len(employees)).format(n=len(employees)), "ok")
                    return redirect(url_for("staff_page", org_id=org_id, year=year))
            if not problems:
                return redirect(url_for("staff_page", org_id=org_id, year=year))
        employees = data.get("employees") if isinstance(data.get("employees"), list) else []
        return render_template("staff.html", employees=employees, problems=problems,
                               **org_nav(org, year, "staff")), (400 if problems else 200)

    @app.route("/org/<int:org_id>/<int:year>/staff.xlsx")
    def staff_download(org_id: int, year: int):
        from openpyxl import Workbook

        org, year = org_or_404(org_id), year_or_404(year)
        data = store.profile(org_id, year) or abort(404)
        wb = Workbook()
        ws = wb.active
        ws.title = "Staff"
        # the staff reader's columns, each text in both languages (name.kk, name.ru, …)
        texts = {c.split(".")[0] for c in STAFF_COLUMNS if "." in c}
        columns = tuple(c for c in STAFF_COLUMNS if "." in c or c not in texts)
        ws.append(list(columns))
        for e in data.get("employees") if isinstance(data.get("employees"), list) else []:
            if not isinstance(e, dict):
                continue
            row = []
            for col in columns:
                key, _dot, lang = col.partition(".")
                value = text_in(e.get(key), lang) if lang else e.get(key)
                row.append("true" if value is True else "false" if value is False else value)
            ws.append(row)
            for cell in ws[ws.max_row]:
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
        tmp = tempfile.SpooledTemporaryFile()
        wb.save(tmp)
        tmp.seek(0)
        return send_file(tmp, as_attachment=True, download_name=f"staff-{org['bin']}-{year}.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    # --- build ---------------------------------------------------------------------------------

    @app.route("/org/<int:org_id>/<int:year>/build", methods=["GET", "POST"])
    def build_page(org_id: int, year: int):
        org, year = org_or_404(org_id), year_or_404(year)
        data, profile, problems, warnings = profile_state(org, year)
        soffice = shutil.which("soffice") is not None
        exists = (pack_root(org, year) / MANIFEST).is_file()
        if request.method == "POST":
            if profile is None:
                flash(_("The profile has problems: fix them before building."), "error")
                return redirect(url_for("profile_page", org_id=org_id, year=year))
            langs = [lang for lang in LANGUAGES if lang in request.form.getlist("languages")]
            chosen = [d.id for d in CATALOGUE if d.id in request.form.getlist("documents")]
            if not langs or not chosen:
                flash(_("Choose at least one language and one document."), "error")
                return redirect(url_for("build_page", org_id=org_id, year=year))
            only = None if len(chosen) == len(CATALOGUE) else chosen
            pdf = soffice and bool(request.form.get("pdf"))
            force = bool(request.form.get("force"))

            def work(progress: Progress) -> str:
                progress.total = build_steps(only, langs, pdf)
                result = build_pack(profile, packs_dir, languages=langs, only=only, force=force, pdf=pdf,
                                    progress=stepper(build_id, progress))
                lines = [ngettext("{n} file written.", "{n} files written.", len(result.files)).format(
                    n=len(result.files))]
                return "\n".join(lines + [str(w) for w in result.warnings])

            build_id = store.add_build(org_id, year, "build")
            jobs.submit(build_id, work)
            return redirect(url_for("job_page", build_id=build_id))
        return render_template("build.html", profile=profile, problems=problems, warnings=warnings,
                               catalogue=CATALOGUE, soffice=soffice, exists=exists,
                               **org_nav(org, year, "build"))

    # --- pack ----------------------------------------------------------------------------------

    @app.route("/org/<int:org_id>/<int:year>/pack")
    def pack_page(org_id: int, year: int):
        org, year = org_or_404(org_id), year_or_404(year)
        root = pack_root(org, year)
        listing = pack_listing(root)
        docs, others = [], []
        if listing:
            by_doc: dict[str, list[str]] = {}
            try:
                manifest, _raw = read_manifest(root)
                for f in manifest.files:
                    if f.path in listing:  # a missing file, a link or a path out of the pack is not offered
                        by_doc.setdefault(f.document, []).append(f.path)
            except InputError:
                pass
            listed = {p for paths in by_doc.values() for p in paths}
            for name in listing:  # the PDFs and what the manifest does not list
                if name not in listed and name != MANIFEST:
                    stem = name.rsplit(".", 1)[0]
                    doc = next((d for d, paths in by_doc.items() if any(p.rsplit(".", 1)[0] == stem for p in paths)),
                               None)
                    by_doc.setdefault(doc or "", []).append(name)
            for doc in CATALOGUE:
                if doc.id in by_doc:
                    docs.append({"doc": doc, "kk": doc.title("kk", year), "ru": doc.title("ru", year),
                                 "files": sorted(by_doc.pop(doc.id))})
            others = sorted(p for paths in by_doc.values() for p in paths if not p.startswith(".")) + [MANIFEST]
        return render_template("pack.html", docs=docs, others=others, listing=listing,
                               **org_nav(org, year, "pack"))

    @app.route("/org/<int:org_id>/<int:year>/file/<path:name>")
    def pack_file(org_id: int, year: int, name: str):
        org, year = org_or_404(org_id), year_or_404(year)
        root = pack_root(org, year)
        return send_listed(root, name, pack_listing(root))

    @app.route("/org/<int:org_id>/<int:year>/pack.zip")
    def pack_zip(org_id: int, year: int):
        org, year = org_or_404(org_id), year_or_404(year)
        root = pack_root(org, year)
        listing = pack_listing(root)
        if not listing:
            abort(404)
        return send_zip(root, listing, f"{org['bin']}/{year}/", f"{org['bin']}-{year}.zip")

    @app.route("/org/<int:org_id>/<int:year>/changes")
    def changes_page(org_id: int, year: int):
        org, year = org_or_404(org_id), year_or_404(year)
        listing = pack_listing(pack_root(org, year))
        reports = [(lang, f"changes/{lang}.html") for lang in LANGUAGES if f"changes/{lang}.html" in listing]
        return render_template("changes.html", reports=reports, listing=listing, **org_nav(org, year, "changes"))

    # --- next year -----------------------------------------------------------------------------

    @app.route("/org/<int:org_id>/<int:year>/next-year", methods=["GET", "POST"])
    def next_year_page(org_id: int, year: int):
        org, year = org_or_404(org_id), year_or_404(year)
        data = store.profile(org_id, year)
        if data is None:
            abort(404)
        new_year = year + 1
        if new_year > 2100:
            abort(404)
        have_new = store.profile(org_id, new_year) is not None
        built = (pack_root(org, year) / MANIFEST).is_file()
        if request.method == "POST":
            action = request.form.get("action")
            if action == "copy":
                if not have_new:
                    copy = json.loads(json.dumps(data))
                    copy["year"] = new_year
                    store.save_profile(org_id, new_year, copy)
                flash(_("The profile of {year} is a copy of {old}: set the new order's number and date, and "
                        "what else changed.").format(year=new_year, old=year), "ok")
                return redirect(url_for("profile_page", org_id=org_id, year=new_year))
            if action != "update":
                abort(400)
            if not have_new:
                flash(_("First create the profile of {year}.").format(year=new_year), "error")
                return redirect(url_for("next_year_page", org_id=org_id, year=year))
            _d, profile, problems, _w = profile_state(org, new_year)
            if profile is None:
                flash(_("The profile of {year} has problems: fix them before the update.").format(year=new_year),
                      "error")
                return redirect(url_for("profile_page", org_id=org_id, year=new_year))
            source = request.form.get("source", "built")
            old_root: Path | None = None
            upload_folder: Path | None = None  # uploads/<random>/: the zip and what it held
            if source == "upload":
                path = upload_or_flash("pack")
                if path is None:
                    return redirect(url_for("next_year_page", org_id=org_id, year=year))
                upload_folder = path.parent
                try:
                    old_root = extract_pack_zip(path, path.parent / "pack")
                except InputError as exc:
                    shutil.rmtree(upload_folder, ignore_errors=True)
                    for p in exc.problems:
                        flash(str(p), "error")
                    return redirect(url_for("next_year_page", org_id=org_id, year=year))
            elif built:
                old_root = pack_root(org, year)
            else:
                flash(_("There is no pack of {year} here: upload it as a zip.").format(year=year), "error")
                return redirect(url_for("next_year_page", org_id=org_id, year=year))
            pdf = shutil.which("soffice") is not None and bool(request.form.get("pdf"))
            force = bool(request.form.get("force"))
            redlines = bool(request.form.get("redlines"))


            def work(progress: Progress) -> str:
                try:
                    return update_from(progress)
                finally:  # last year's pack was only needed for the update: its upload is not kept
                    if upload_folder is not None:
                        shutil.rmtree(upload_folder, ignore_errors=True)

            def update_from(progress: Progress) -> str:
                old = read_old_pack(old_root)
                if old.year != year:
                    raise JobError(_("The uploaded pack is of {found}, not of {year}.").format(found=old.year,
                                                                                             year=year))
                langs = profile.languages
                progress.total = update_steps(langs, redlines, pdf)
                result = update_pack(profile, old, packs_dir, year=new_year, force=force, pdf=pdf,
                                     redlines=redlines, progress=stepper(build_id, progress))
                c = result.changes
                return "\n".join([
                    ngettext("{n} file written.", "{n} files written.", len(result.pack.files)).format(
                        n=len(result.pack.files)),
                    _("Changes: {fields} profile fields, {hired} hired, {left} left, {equated} newly equated.").format(
                        fields=len(c.fields), hired=len(c.hired), left=len(c.left), equated=len(c.newly_equated)),
                ] + [str(w) for w in result.pack.warnings])

            build_id = store.add_build(org_id, new_year, "update")
            jobs.submit(build_id, work)
            return redirect(url_for("job_page", build_id=build_id))
        new_listing = pack_listing(pack_root(org, new_year))
        return render_template("next_year.html", new_year=new_year, have_new=have_new, built=built,
                               has_report=any(n.startswith("changes/") for n in new_listing),
                               soffice=shutil.which("soffice") is not None, **org_nav(org, year, "next"))

    # --- batch ---------------------------------------------------------------------------------

    @app.route("/batch", methods=["GET", "POST"])
    def batch_page():
        if request.method == "POST":
            registry = upload_or_flash("registry")
            if registry is None:
                return redirect(url_for("batch_page"))
            defaults = None
            if request.files.get("defaults") and request.files["defaults"].filename:
                defaults = upload_or_flash("defaults", beside=registry)
                if defaults is None:
                    return redirect(url_for("batch_page"))
            pdf = shutil.which("soffice") is not None and bool(request.form.get("pdf"))
            force = bool(request.form.get("force"))

            def work(progress: Progress) -> str:
                out = batches_dir / str(build_id)
                rows: dict[int, dict] = {}

                def validated(reg) -> None:
                    for e in reg.entries:
                        rows[e.number] = {"number": e.number, "bin": e.bin, "name": e.name,
                                          "status": QUEUED if e.valid else "invalid",
                                          "problems": [str(p) for p in e.problems]}
                    progress.details = list(rows.values())
                    progress.total = len(reg.valid)
                    jobs.save(build_id, progress, force=True)

                def built(o) -> None:
                    rows[o.entry.number].update(status=o.status, problems=[str(p) for p in o.problems])
                    progress.details = list(rows.values())
                    stepper(build_id, progress)(o.entry.bin)

                result = run_batch(registry, out, defaults=defaults, jobs=batch_jobs, force=force, pdf=pdf,
                                   on_validated=validated, progress=built)
                progress.details = [{"number": o.entry.number, "bin": o.entry.bin, "name": o.entry.name,
                                     "status": o.status, "problems": [str(p) for p in o.problems]}
                                    for o in result.outcomes]
                return "\n".join([ngettext("{n} organization: {summary}.", "{n} organizations: {summary}.",
                                           len(result.outcomes)).format(n=len(result.outcomes),
                                                                        summary=status_summary(result.outcomes))]
                                 + [str(p) for p in result.registry_problems])

            build_id = store.add_build(None, None, "batch")
            jobs.submit(build_id, work)
            return redirect(url_for("job_page", build_id=build_id))
        return render_template("batch.html", soffice=shutil.which("soffice") is not None)

    @app.route("/batch/registry.xlsx")
    def registry_template():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "registry.xlsx"
            write_registry(path)
            data = path.read_bytes()
        import io

        return send_file(io.BytesIO(data), as_attachment=True, download_name="registry.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def batch_root(build_id: int) -> Path:
        build = store.build(build_id)
        if build is None or build["kind"] != "batch":
            abort(404)
        return batches_dir / str(build_id)

    def batch_listing(root: Path) -> list[str]:
        if not root.is_dir() or root.is_symlink():
            return []
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                      if not any(part.startswith(".") for part in p.relative_to(root).parts)
                      and inside(root, p.relative_to(root).as_posix()))

    @app.route("/batch/<int:build_id>/status.xlsx")
    def batch_status(build_id: int):
        root = batch_root(build_id)
        return send_listed(root, "status.xlsx", batch_listing(root))

    @app.route("/batch/<int:build_id>/packs.zip")
    def batch_zip(build_id: int):
        root = batch_root(build_id)
        listing = batch_listing(root)
        if not listing:
            abort(404)
        return send_zip(root, listing, "", f"batch-{build_id}.zip")

    # --- jobs ----------------------------------------------------------------------------------

    def job_view(build_id: int) -> dict:
        build = store.build(build_id)
        if build is None:
            abort(404)
        live = jobs.progress.get(build_id)
        done, total, current = build["done"], build["total"], build["current_file"]
        details = json.loads(build["details"]) if build["details"] else []
        if live is not None and build["status"] in (QUEUED, RUNNING):
            done, total, current, details = live.done, live.total, live.current, list(live.details)
        org = store.organization(build["organization_id"]) if build["organization_id"] else None
        finished = build["status"] in (DONE, FAILED)
        return {"build": build, "org": org, "done": min(done, total) if total else done, "total": total,
                "current": current, "details": details, "finished": finished,
                "percent": int(100 * min(done, total) / total) if total else (100 if finished else 0),
                "batch_files": batch_listing(batches_dir / str(build_id)) if build["kind"] == "batch" else []}

    @app.route("/jobs/<int:build_id>")
    def job_page(build_id: int):
        return render_template("job.html", **job_view(build_id))

    @app.route("/jobs/<int:build_id>/progress")
    def job_progress(build_id: int):
        return render_template("job_progress.html", **job_view(build_id))

    @app.context_processor
    def _globals():
        return {"g": g, "request": request}

    return app


def store_of(app: Flask) -> Store:
    """The :class:`Store` of an app made by :func:`create_app`."""
    return app.extensions["packbuilder"]["store"]


def jobs_of(app: Flask) -> Jobs:
    """The :class:`Jobs` of an app made by :func:`create_app`."""
    return app.extensions["packbuilder"]["jobs"]

