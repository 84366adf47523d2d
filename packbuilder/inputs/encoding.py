"""The encoding of the text files a user gives (profiles, staff and registry .csv): UTF-8,
or Windows-1251 read with a warning, since that is what Excel saves as «CSV» on a Russian
Windows; anything else is refused with what to do."""

from __future__ import annotations

import warnings

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import N_, _

SAVE_AS_UTF8 = N_("save it as UTF-8 (Excel: «CSV UTF-8»; Notepad: «Save as», encoding UTF-8)")


class ProfileEncodingWarning(UserWarning):
    """A file was not UTF-8 and was read in another encoding (Windows-1251)."""


def decode_text(data: bytes, name: str) -> str:
    """The text of a profile or CSV file's bytes ``data``: UTF-8 (a byte-order mark
    allowed). A file in Windows-1251 (Cyrillic Windows, what Excel saves as «CSV» on a
    Russian Windows) is read as such with an :class:`ProfileEncodingWarning` saying to save it as
    UTF-8. Raises InputError naming the file ``name`` for UTF-16 and for binary files
    (a NUL byte, or bytes that are text in neither encoding)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(Problem(name, _("is saved as UTF-16 (Unicode): {fix}").format(fix=_(SAVE_AS_UTF8))))
    if b"\x00" in data[:4096]:
        raise InputError(Problem(name, _(
            "is not a text file (it holds binary data): give a .yaml, .json or .csv file")))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise InputError(Problem(name, _("is not UTF-8 text (byte {byte}): {fix}").format(
            byte=bad + 1, fix=_(SAVE_AS_UTF8)))) from None
    letters = sum(c.isalpha() for c in text)
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in text)
    if not letters or cyrillic / letters < 0.3:
        raise InputError(Problem(name, _("is not UTF-8 text (byte {byte}): {fix}").format(
            byte=bad + 1, fix=_(SAVE_AS_UTF8))))
    warnings.warn(ProfileEncodingWarning(_(
        "{file}: read as Windows-1251, not UTF-8: check its Kazakh letters (Windows-1251 has no ә, ғ, қ, ң, ө, ұ, ү, "
        "һ, і) and {fix}").format(file=name, fix=_(SAVE_AS_UTF8))), stacklevel=2)
    return text
