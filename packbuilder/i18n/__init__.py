"""The languages packbuilder speaks to its user: Kazakh, Russian and English messages from
gettext catalogs (``packbuilder/i18n/locale/<lang>/LC_MESSAGES/packbuilder.po``, compiled to
``.mo`` with Babel; README «Interface language»).

The interface language is not the pack's language: a Russian-speaking officer may build a
Kazakh-only pack. It is chosen, first match wins, by

1. :func:`use_language` around a piece of work (a web request, a batch worker);
2. :func:`set_ui_language` (the CLI's ``--ui-lang``);
3. the environment variable ``PACKBUILDER_UI_LANG``;
4. the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, ``LANGUAGE``: ``kk_KZ.UTF-8`` gives kk);
5. :data:`DEFAULT_UI_LANGUAGE`, Russian, where the locale says nothing (``C``, ``POSIX``) or
   names a language packbuilder does not speak.

Messages are translated when they are made, in the language of the moment: code writes
``_("expected 12 digits, got {value}").format(value=...)`` (brace placeholders, the same
names in every catalog); strings defined before a language is known (a table of messages,
a command's help) are marked with :func:`N_` and passed through :func:`_` when shown.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import os
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator, Mapping

UI_LANGUAGES = ("kk", "ru", "en")
"""The interface languages, in the order a language menu shows them."""

UI_LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
"""Each interface language in its own words (a language menu)."""

DEFAULT_UI_LANGUAGE = "ru"
"""The language where neither the user nor the locale chose one."""

DOMAIN = "packbuilder"
LOCALE_DIR = Path(__file__).parent / "locale"
ENV_VAR = "PACKBUILDER_UI_LANG"

_ALIASES = {"kk": "kk", "kaz": "kk", "kz": "kk", "kazakh": "kk", "ru": "ru", "rus": "ru", "russian": "ru",
            "en": "en", "eng": "en", "english": "en"}

_current: ContextVar[str | None] = ContextVar("packbuilder_ui_language", default=None)
_chosen: str | None = None


def normalize_language(value: str | None) -> str | None:
    """The interface language a user's or locale's name stands for, or None.

    ``"kk"``, ``"KK"``, ``"kk_KZ.UTF-8"``, ``"kaz"`` give ``"kk"``; likewise ru and en;
    anything else (``"C"``, ``"POSIX"``, ``"de_DE"``, empty) gives None.
    """
    if not value:
        return None
    head = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return _ALIASES.get(head)


def language_from_locale(env: Mapping[str, str] | None = None) -> str | None:
    """The interface language the locale names, or None when it names none of kk, ru, en.

    The variables of ``env`` (default: this process's environment) in gettext's order,
    ``LANGUAGE`` (a colon list), ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; when none is set
    and ``env`` is this process's environment, the locale Python reports
    (``locale.getlocale()``: Windows gives ``Russian_Russia`` or ``Kazakh_Kazakhstan``, and
    sets no such variable)."""
    own = env is None
    env = os.environ if env is None else env
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in (env.get(var) or "").split(":"):
            lang = normalize_language(part)
            if lang:
                return lang
    if own and not any(env.get(var) for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")):
        import locale

        try:
            return normalize_language(locale.getlocale()[0])
        except (ValueError, TypeError):
            return None
    return None


def default_ui_language(env: Mapping[str, str] | None = None) -> str:
    """The interface language of a process that chose none: ``PACKBUILDER_UI_LANG``, else
    the locale, else :data:`DEFAULT_UI_LANGUAGE`. An unknown ``PACKBUILDER_UI_LANG`` is
    ignored (the CLI reports it; see ``cli``)."""
    env = os.environ if env is None else env
    return normalize_language(env.get(ENV_VAR)) or language_from_locale(env) or DEFAULT_UI_LANGUAGE


def chosen_ui_language(env: Mapping[str, str] | None = None) -> str | None:
    """The interface language a person chose for this process — :func:`set_ui_language`
    (``--ui-lang``), else ``PACKBUILDER_UI_LANG`` — or None when nobody chose (the web app
    then follows each browser's language)."""
    env = os.environ if env is None else env
    return _chosen or normalize_language(env.get(ENV_VAR))


def ui_language() -> str:
    """The interface language now: one of :data:`UI_LANGUAGES`."""
    return _current.get() or _chosen or default_ui_language()


def set_ui_language(lang: str | None) -> None:
    """Choose the interface language of this process (``None``: back to the environment's).

    Raises ValueError for a language that is not one of :data:`UI_LANGUAGES`."""
    global _chosen
    if lang is not None and lang not in UI_LANGUAGES:
        raise ValueError(f"unknown interface language {lang!r}; expected one of {', '.join(UI_LANGUAGES)}")
    _chosen = lang


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Speak ``lang`` inside the ``with`` block, in this thread or task only (a web request
    in the language of its user, while another request speaks another).

    Raises ValueError for a language that is not one of :data:`UI_LANGUAGES`."""
    if lang not in UI_LANGUAGES:
        raise ValueError(f"unknown interface language {lang!r}; expected one of {', '.join(UI_LANGUAGES)}")
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English is the message ids themselves: an English
    catalog, if present, only corrects them)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` (an English message id) in the interface language of the moment."""
    return translations(ui_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` (1 file / 2 files; Russian's three forms, Kazakh's
    one) in the interface language; the ids are English."""
    return translations(ui_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it now: it is translated by
    :func:`_` where it is shown."""
    return message


def in_language(lang: str, message: str) -> str:
    """``message`` in ``lang`` whatever the language of the moment (a workbook's column in
    each language)."""
    return translations(lang).gettext(message)
