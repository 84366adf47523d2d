"""Uploaded files: checked by kind (extension AND content), stored under ``DIR/uploads`` with
names the app makes (never the name from the form), and pack zips extracted safely.
"""

from __future__ import annotations

import shutil
import stat
import uuid
import warnings
import zipfile
from pathlib import Path, PurePosixPath

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _
from packbuilder.inputs.encoding import decode_text
from packbuilder.inputs.spreadsheet import ZIP_MEMBERS, ZIP_UNCOMPRESSED, check_zip

ZIP_MAGIC = b"PK\x03\x04"
KINDS = {
    "profile": (".yaml", ".yml", ".json"),
    "staff": (".xlsx", ".csv"),
    "registry": (".xlsx",),
    "defaults": (".yaml", ".yml", ".json"),
    "pack": (".zip",),
}
"""The extensions each kind of upload accepts."""


class UploadError(Exception):
    """An upload refused: the message says why, in the interface language."""


def save_upload(storage, kind: str, uploads: Path, beside: Path | None = None) -> Path:
    """Check the uploaded file ``storage`` (a werkzeug FileStorage) as a ``kind`` of
    :data:`KINDS` and store it as ``uploads/<random>/<kind>.<ext>`` (in the folder of the upload ``beside``
    when given); returns the stored path.

    Raises UploadError when no file was chosen, its extension is not one of the kind's, or
    its content is not what the extension says (an .xlsx or .zip not starting as a zip
    package, a text that is neither UTF-8 nor Windows-1251, a zip too large to open)."""
    if storage is None or not storage.filename:
        raise UploadError(_("Choose a file to upload."))
    ext = PurePosixPath(storage.filename.replace("\\", "/")).suffix.lower()
    allowed = KINDS[kind]
    if ext not in allowed:
        raise UploadError(_("{file}: expected a file of type {types}.").format(
            file=storage.filename, types=", ".join(allowed)))
    data = storage.read()
    if not data:
        raise UploadError(_("{file}: the file is empty.").format(file=storage.filename))
    if ext in (".xlsx", ".zip"):
        if not data.startswith(ZIP_MAGIC):
            raise UploadError(_("{file}: not a {type} file (its content is not a zip package).").format(
                file=storage.filename, type=ext))
    else:
        try:
            with warnings.catch_warnings():  # Windows-1251 is read; the reader warns again
                warnings.simplefilter("ignore")
                decode_text(data, storage.filename)
        except InputError as exc:
            raise UploadError("; ".join(str(p) for p in exc.problems)) from None
    folder = beside.parent if beside is not None else uploads / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=beside is not None)
    path = folder / f"{kind}{ext}"  # staff.xlsx: what the reader's problems name
    path.write_bytes(data)
    if ext in (".xlsx", ".zip"):
        try:
            check_zip(path)
        except zipfile.BadZipFile:
            path.unlink()
            raise UploadError(_("{file}: not a {type} file (its content is not a zip package).").format(
                file=storage.filename, type=ext)) from None
        except InputError:
            path.unlink()
            raise UploadError(_("{file}: too large to open safely.").format(file=storage.filename)) from None
    return path


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("{name}: an absolute path").format(name=name)
    if ".." in PurePosixPath(name).parts:
        return _("{name}: a path leading out of the folder").format(name=name)
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("{name}: a symbolic link").format(name=name)
    return None


def extract_pack_zip(path: Path, dest: Path) -> Path:
    """Extract the zip ``path`` (a pack folder as the officer has it) into the new folder
    ``dest`` and return the folder in it that holds ``manifest.json``.

    Raises InputError (naming the member) for a zip with too many members or too many bytes
    uncompressed, an absolute path, a ``..`` part, a drive letter or a symbolic link, and
    when no folder or more than one holds a manifest.json; nothing stays in ``dest`` then."""
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError(Problem(path.name, _("not a zip file"))) from None
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if len(infos) > ZIP_MEMBERS or total > ZIP_UNCOMPRESSED:
            raise InputError(Problem(path.name, _("too large to open safely ({n} parts, {mb} MB uncompressed)").format(
                n=len(infos), mb=total // (1024 * 1024))))
        problems = [Problem(path.name, m) for m in map(_member_problem, infos) if m]
        if problems:
            raise InputError(problems)
        dest.mkdir(parents=True, exist_ok=False)
        try:
            written = 0
            for info in infos:
                target = dest.joinpath(*PurePosixPath(info.filename).parts)
                if dest.resolve() not in target.resolve().parents:
                    raise InputError(Problem(path.name, _("{name}: a path leading out of the folder").format(
                        name=info.filename)))
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with z.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > ZIP_UNCOMPRESSED:
                            raise InputError(Problem(path.name, _("too large to open safely")))
                        out.write(chunk)
            roots = sorted({p.parent for p in dest.rglob("manifest.json")}, key=lambda p: len(p.parts))
            if not roots:
                raise InputError(Problem(path.name, _("holds no pack: no folder in it has a manifest.json")))
            if len(roots) > 1 and len(roots[0].parts) == len(roots[1].parts):
                raise InputError(Problem(path.name, _("holds more than one pack: upload one pack folder")))
            return roots[0]
        except BaseException:
            shutil.rmtree(dest, ignore_errors=True)
            raise
