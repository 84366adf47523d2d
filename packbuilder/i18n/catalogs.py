"""Keeping the message catalogs: extract the messages of the code with Babel, merge them
into the Kazakh and Russian catalogs, compile those, and check that none is missing.

Run by developers, not users (Babel is a test dependency)::

    python -m packbuilder.i18n.catalogs update    # new messages into kk and ru .po (empty)
    python -m packbuilder.i18n.catalogs compile   # .po -> .mo
    python -m packbuilder.i18n.catalogs check     # exit 1 on a missing or bad translation

A message is written in English in the code, with brace placeholders (``{value}``); each
catalog translates it with the same placeholders.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from packbuilder.i18n import DOMAIN, LOCALE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CATALOG_LANGUAGES = ("kk", "ru")
"""The languages with a catalog; English is the message ids themselves."""

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "in_language": (2,)}
METHOD_MAP = [
    ("i18n/catalogs.py", "ignore"),
    ("**/templates/**.html", "jinja2"),
    ("**.py", "python"),
]
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^}]*)?\}")


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def extract(root: Path = PACKAGE_DIR) -> Catalog:
    """Every message of the code under ``root`` (Python ``_()``, ``N_()``, ``ngettext()``;
    Jinja ``{{ _() }}`` in ``templates/`` folders), with the files and lines it is used at."""
    catalog = Catalog(domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
            root, METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        if isinstance(message, (tuple, list)) and any(m == "" or m is None for m in message):
            continue
        catalog.add(message, locations=[(f"packbuilder/{filename}", lineno)], auto_comments=comments,
                    context=context)
    return catalog


PLURAL_FORMS = {"kk": "nplurals=1; plural=0;"}
"""Plural forms that differ from Babel's (CLDR's) for a language: a Kazakh noun after a
number stays singular («5 файл»), so the Kazakh catalog has one form."""


def _plurals(catalog: Catalog, lang: str) -> Catalog:
    if lang in PLURAL_FORMS:
        catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]
    return catalog


def new_catalog(lang: str) -> Catalog:
    return _plurals(Catalog(locale=lang, domain=DOMAIN), lang)


def read(path: Path, lang: str) -> Catalog:
    with open(path, "rb") as f:
        return _plurals(read_po(f, locale=lang), lang)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=False, omit_header=False)
    path.write_bytes(buf.getvalue())


def update(locale_dir: Path = LOCALE_DIR, template: Catalog | None = None) -> None:
    """Merge the code's messages into each catalog: new ones come in empty, translations of
    messages the code no longer has are dropped (Babel's ``update`` keeps them as obsolete;
    they are removed so that the catalogs hold only what the code says)."""
    template = template or extract()
    for lang in CATALOG_LANGUAGES:
        path = po_path(lang, locale_dir)
        catalog = read(path, lang) if path.exists() else new_catalog(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write(catalog, path)


def compiled(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compile_all(locale_dir: Path = LOCALE_DIR) -> None:
    for lang in CATALOG_LANGUAGES:
        mo_path(lang, locale_dir).write_bytes(compiled(read(po_path(lang, locale_dir), lang)))


def placeholders(text: str) -> set[str]:
    """The names of the brace placeholders of ``text`` (``{value}``, ``{n:02d}``)."""
    return set(_PLACEHOLDER.findall(text))


def problems(locale_dir: Path = LOCALE_DIR, template: Catalog | None = None) -> list[str]:
    """Everything wrong with the catalogs, one line each: a message of the code without a
    translation (or only a fuzzy one) in kk or ru; a translation whose placeholders are not
    the message's; a ``.mo`` that is not its ``.po`` compiled."""
    template = template or extract()
    found = []
    for lang in CATALOG_LANGUAGES:
        path = po_path(lang, locale_dir)
        if not path.exists():
            found.append(f"{lang}: no catalog {path}")
            continue
        catalog = read(path, lang)
        for message in template:
            if not message.id:
                continue
            have = catalog.get(message.id, context=message.context)
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
            strings = (have.string if isinstance(have.string, (tuple, list)) else (have.string,)) if have else ()
            if have is None or have.fuzzy or not all(strings):
                found.append(f"{lang}: no translation of {ids[0]!r} ({where})")
                continue
            wanted = set().union(*(placeholders(i) for i in ids))
            for s in strings:
                # a plural's forms may each name what its own form needs («{possibility}» in one,
                # «{possibilities}» in another), never a placeholder the code does not give
                if placeholders(s) != wanted if len(ids) == 1 else not placeholders(s) <= wanted:
                    found.append(f"{lang}: the translation of {ids[0]!r} has placeholders "
                                 f"{sorted(placeholders(s))}, the message {sorted(wanted)}")
        mo = mo_path(lang, locale_dir)
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            found.append(f"{lang}: {mo} is not {path.name} compiled; run "
                         f"`python -m packbuilder.i18n.catalogs compile`")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m packbuilder.i18n.catalogs")
    parser.add_argument("command", choices=("update", "compile", "check"))
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
    elif args.command == "compile":
        compile_all()
    else:
        found = problems()
        for p in found:
            print(p)
        print(f"{len(found)} problem(s)", file=sys.stderr)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
