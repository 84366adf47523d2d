"""The template set: loading the Markdown + Jinja templates of a language (the built-in ones,
each overridable by a user's .md or Word .docx) and rendering them in Jinja's sandbox with
undefined variables as errors: templates are code, values are data (escaped for Word, never
markup), and a misspelt variable is an error, not an empty text.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from packbuilder.errors import InputError, Problem
from packbuilder.model import legal_calendar
from packbuilder.render import language
from packbuilder.render.layout import Block, TemplateLayoutError, parse, value_token

_PACKAGE = Path(__file__).resolve().parent.parent
BUILTIN_DIR = _PACKAGE.parent / "templates"
if not BUILTIN_DIR.is_dir():  # an installed (non-editable) package carries them inside
    BUILTIN_DIR = _PACKAGE / "templates"

_values: contextvars.ContextVar[list[str]] = contextvars.ContextVar("packbuilder_values")


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` becomes a token; markup (macro output) passes through."""
    if isinstance(value, Markup):
        return value
    values = _values.get()
    values.append("" if value is None else str(value))
    return Markup(value_token(len(values) - 1))


def _lang(ctx) -> str:
    return ctx.get("lang", "kk")


@pass_context
def _f_long(ctx, d: dt.date) -> str:
    return language.date_long(d, _lang(ctx))


@pass_context
def _f_attr(ctx, d: dt.date) -> str:
    return language.date_attr(d, _lang(ctx))


@pass_context
def _f_month(ctx, m: int) -> str:
    return language.month_name(m, _lang(ctx))


@pass_context
def _f_month_loc(ctx, m: int) -> str:
    return language.month_loc(m, _lang(ctx))


@pass_context
def _g_date(ctx, month: int, day: int, year: int | None = None) -> dt.date:
    return dt.date(year or ctx["year"], month, day)


MAX_TEXT = 1_000_000
"""The longest text or list a template may make with ``*`` (characters or items)."""
MAX_EXPONENT = 100
"""The largest exponent of ``**`` in a template."""


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no underscore attributes, no unsafe methods, ``range`` limited) that
    also refuses the two operators that can exhaust memory or time in one expression:
    ``x * n`` making a text or list longer than :data:`MAX_TEXT` and ``a ** b`` with an
    exponent over :data:`MAX_EXPONENT` (templates are code: a user's template must not exhaust
    the machine)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"the exponent {right} is over {MAX_EXPONENT}")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_TEXT:
                    raise SecurityError(f"a text or list of {len(seq) * n} items is over {MAX_TEXT}")
        return super().call_binop(context, operator, left, right)


def _blank(n: int = 20) -> str:
    n = int(n)
    if not 0 <= n <= 200:
        raise ValueError(f"blank({n}): expected 0 to 200 underscores")
    return "_" * n


def _f_nobreak(value: Any) -> str:
    """``value`` with its hyphens made non-breaking (U+2011; an order number «02‑02‑17/4‑1»
    is never wrapped at a hyphen); the .docx writer writes them as Word's non-breaking hyphen."""
    return str(value).replace("-", "\u2011")


def _environment(loader, markdown: bool) -> _Sandbox:
    """The sandboxed environment of Markdown templates (values become tokens, block tags
    take their line with them) or of Word templates (values XML-escaped: docxtpl renders
    with autoescape off unless told, and a ``&`` or ``<`` would corrupt the file); undefined
    variables are errors in both, never empty texts."""
    options = dict(finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True) \
        if markdown else {}
    env = _Sandbox(loader=loader, autoescape=True, undefined=StrictUndefined, **options)
    env.filters.update(dmy=language.date_dmy, long=_f_long, attr=_f_attr,
                       month=_f_month, month_loc=_f_month_loc, nobreak=_f_nobreak)
    env.globals.update(date=_g_date, workdays_after=legal_calendar.workdays_after,
                       blank=_blank, br=lambda: "\n")
    return env


def is_builtin(directory: Path | None) -> bool:
    """Whether a template folder given by the user means the built-in templates only (None,
    or :data:`BUILTIN_DIR` itself)."""
    return directory is None or Path(directory).resolve() == BUILTIN_DIR.resolve()


def ignored(f: Path) -> bool:
    """Whether a file of a template folder is left alone: hidden, Word's lock file (``~$…``)
    or an editor's backup (``…~``)."""
    return f.name.startswith((".", "~$")) or f.name.endswith("~")


def is_template_file(f: Path) -> bool:
    """Whether ``f`` is read as a template: a .md or .docx file that is not :func:`ignored`."""
    return f.is_file() and f.suffix in (".md", ".docx") and not ignored(f)


class TemplateSet:
    """The templates of one language: the built-in ``templates/<lang>/``, each file
    overridden by the same file name in ``overrides/<lang>/`` when given.

    An override is a ``<name>.md`` (Markdown + Jinja, like the built-ins) or, for a document,
    a Word-authored ``<name>.docx`` rendered with docxtpl (:mod:`packbuilder.write.word_template`);
    a document with a ``.docx`` override still takes its .xlsx and its layout blocks from the
    ``.md`` template. ``render(name, context)`` gives the document's layout blocks. Raises
    InputError naming the template file and line for a syntax error, an undefined variable,
    an operation the sandbox forbids or a bad layout directive.
    """

    def __init__(self, lang: str, overrides: Path | None = None):
        self.lang = lang
        self.builtin_dir = BUILTIN_DIR / lang
        self.override_dir = None if is_builtin(overrides) else Path(overrides) / lang
        search = [str(d) for d in (self.override_dir, self.builtin_dir) if d is not None]
        self._contents: dict[Path, tuple[tuple[int, int], bytes]] = {}
        self.env = _environment(FileSystemLoader(search), markdown=True)
        self.docx_env = _environment(None, markdown=False)

    def path(self, name: str) -> Path:
        """The ``.md`` file template ``name`` is rendered from: the override when there is
        one, else the built-in."""
        if self.override_dir is not None and (self.override_dir / f"{name}.md").is_file():
            return self.override_dir / f"{name}.md"
        return self.builtin_dir / f"{name}.md"

    def docx(self, name: str) -> Path | None:
        """The Word template overriding document template ``name``, None when there is none."""
        if self.override_dir is None:
            return None
        f = self.override_dir / f"{name}.docx"
        return f if f.is_file() else None

    def overridden(self) -> list[str]:
        """The file names of the override folder that replace built-in templates, sorted."""
        if self.override_dir is None or not self.override_dir.is_dir():
            return []
        return sorted(f.name for f in self.override_dir.iterdir() if is_template_file(f))

    @property
    def version(self) -> str:
        """The template set's version: the first line of ``VERSION`` beside the language
        folders (the override folder's when it has one, else ``templates/VERSION``), ""
        when there is none."""
        folders = [d.parent for d in (self.override_dir, self.builtin_dir) if d is not None]
        f = next((d / "VERSION" for d in folders if (d / "VERSION").is_file()), None)
        try:
            return self._content(f).decode("utf-8").strip().splitlines()[0].strip() if f else ""
        except (OSError, UnicodeDecodeError, IndexError):
            return ""

    def _files(self, names: list[str]) -> list[Path]:
        shared = {f.name for d in (self.builtin_dir, self.override_dir) if d is not None for f in d.glob("_*.md")}
        files = {self.path(n) for n in names} | {self.path(s[:-3]) for s in shared}
        files |= {d for d in (self.docx(n) for n in names) if d is not None}
        return sorted(files, key=lambda f: f.name)

    def digest(self, names: list[str]) -> str:
        """sha256 over the named templates (their .md and any .docx override) and the shared
        ``_*.md`` files, in file-name order.

        A file is read again only when its modification time or size changed.
        """
        h = hashlib.sha256()
        for f in self._files(names):
            h.update(f.name.encode() + b"\0" + self._content(f) + b"\0")
        return h.hexdigest()

    def file_digests(self, names: list[str]) -> dict[str, str]:
        """The sha256 of each template file that ``digest(names)`` covers, by file name
        (``policy.md``, ``policy.docx``, ``_macros.md``). Raises OSError for a missing file."""
        return {f.name: hashlib.sha256(self._content(f)).hexdigest() for f in self._files(names)}

    def _content(self, f: Path) -> bytes:
        st = f.stat()
        key = (st.st_mtime_ns, st.st_size)
        hit = self._contents.get(f)
        if hit is None or hit[0] != key:
            hit = self._contents[f] = (key, f.read_bytes())
        return hit[1]

    def topics(self) -> list[str]:
        """The 12 training topics set in ``_training.md``."""
        with self._errors("_training"):
            _values.set([])
            module = self.env.get_template("_training.md").module
            topics = getattr(module, "topics", None)
        if not isinstance(topics, (list, tuple)) or len(topics) != 12:
            raise InputError(Problem(str(self.path("_training")), "must set `topics` to a list of 12 texts"))
        return [str(t) for t in topics]

    def render(self, name: str, context: dict[str, Any]) -> list[Block]:
        """The layout blocks of template ``name`` rendered with ``context``."""
        text, values = self.render_markdown(name, context)
        try:
            return parse(text, values)
        except TemplateLayoutError as exc:
            raise InputError(Problem(str(self.path(name)), str(exc))) from None

    def render_markdown(self, name: str, context: dict[str, Any]) -> tuple[str, list[str]]:
        """The Markdown of template ``name`` rendered with ``context``, with a token
        (:func:`markdown_blocks.value_token`) where each value goes, and the values."""
        values: list[str] = []
        token = _values.set(values)
        try:
            with self._errors(name):
                ctx = dict(context)
                ctx["m"] = self.env.get_template("_macros.md").make_module(vars=ctx)
                return self.env.get_template(f"{name}.md").render(ctx), values
        finally:
            _values.reset(token)

    def _errors(self, name: str):
        return _TemplateErrors(str(self.path(name)))


_SETS: dict[tuple[str, Path], TemplateSet] = {}


def template_set(lang: str, overrides: Path | None = None) -> TemplateSet:
    """The :class:`TemplateSet` of ``lang`` with the ``overrides`` folder (None or
    :data:`BUILTIN_DIR`: the built-in templates only), created once per process.

    Jinja keeps every template it compiled and recompiles one only when its file changes
    (its modification time), so a batch compiles each template once per process.
    """
    key = (lang, None if is_builtin(overrides) else Path(overrides).resolve())
    ts = _SETS.get(key)
    if ts is None:
        ts = _SETS[key] = TemplateSet(lang, key[1])
    return ts


class _TemplateErrors:
    """Turns an error raised while rendering a template into an InputError naming the
    template file and line (``where`` is the file of the template being rendered)."""

    def __init__(self, where: str):
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or isinstance(exc, InputError):
            return False
        if isinstance(exc, TemplateNotFound):
            line = template_line(tb)
            raise InputError(Problem(f"{self.where}:{line}" if line else self.where,
                                     f"template not found: {exc.name}")) from None
        if isinstance(exc, (TemplateError, AttributeError, TypeError, ValueError, KeyError, IndexError,
                            OverflowError, ArithmeticError)):
            line = getattr(exc, "lineno", None) or template_line(tb)
            fname = getattr(exc, "filename", None) or self.where
            at = f"{fname}:{line}" if line else fname
            raise InputError(Problem(at, describe_error(exc))) from None
        return False


def describe_error(exc: BaseException) -> str:
    """What a template error means for its author: a variable packbuilder does not provide,
    an operation the sandbox forbids, or Jinja's own message (syntax errors)."""
    if isinstance(exc, UndefinedError):
        return (f"{exc.message}: packbuilder provides no such variable or attribute "
                f"(`packbuilder templates export DIR` lists the variables in DIR/README.md)")
    if isinstance(exc, SecurityError):
        return (f"not allowed in a template: {str(exc.message or exc).rstrip('.')} (templates run in a sandbox: no "
                f"Python internals, files or environment)")
    if isinstance(exc, TemplateSyntaxError):
        return f"syntax error: {exc.message}"
    return f"{exc.__class__.__name__}: {exc}"


def template_line(tb, suffixes: tuple[str, ...] = (".md",)) -> int | None:
    """The template line of the innermost frame that belongs to a template file (a file
    name ending in one of ``suffixes``; ``<template>`` for a template made from a string)."""
    line = None
    while tb is not None:
        fname = tb.tb_frame.f_code.co_filename
        if fname.endswith(suffixes):  # Jinja maps a template's frames to its file and line
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
