"""The template set: loading the Markdown + Jinja templates of a language and rendering
them in Jinja's sandbox with undefined variables as errors (DESIGN.md pitfalls 2, 8, 9).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, pass_context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from packbuilder import language, legal_calendar
from packbuilder.errors import InputError, Problem
from packbuilder.markdown_blocks import Block, TemplateLayoutError, parse, value_token

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates"
if not BUILTIN_DIR.is_dir():  # an installed (non-editable) package carries them inside
    BUILTIN_DIR = Path(__file__).resolve().parent / "templates"

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


class TemplateSet:
    """The templates of one language, from ``directory/<lang>/`` (the built-in set by default).

    ``render(name, context)`` gives the document's layout blocks. Raises InputError naming
    the template file and line for a syntax error, an undefined variable, a forbidden
    (sandboxed) operation or a bad layout directive.
    """

    def __init__(self, lang: str, directory: Path = BUILTIN_DIR):
        self.lang = lang
        self.directory = Path(directory) / lang
        self._contents: dict[Path, tuple[tuple[int, int], bytes]] = {}
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(str(self.directory)),
            autoescape=True,
            finalize=_finalize,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(dmy=language.date_dmy, long=_f_long, attr=_f_attr,
                                month=_f_month, month_loc=_f_month_loc)
        self.env.globals.update(date=_g_date, workdays_after=legal_calendar.workdays_after,
                                blank=lambda n=20: "_" * int(n), br=lambda: "\n")

    def path(self, name: str) -> Path:
        """The file of template ``name`` (without ``.md``)."""
        return self.directory / f"{name}.md"

    @property
    def version(self) -> str:
        """The template set's version: the first line of ``VERSION`` beside the language
        folders (``templates/VERSION``), "" when there is none."""
        f = self.directory.parent / "VERSION"
        try:
            return self._content(f).decode("utf-8").strip().splitlines()[0].strip()
        except (OSError, UnicodeDecodeError, IndexError):
            return ""

    def _files(self, names: list[str]) -> list[Path]:
        return sorted({self.path(n) for n in names} | set(self.directory.glob("_*.md")))

    def digest(self, names: list[str]) -> str:
        """sha256 over the named templates and the shared ``_*.md`` files, in name order.

        A file is read again only when its modification time or size changed.
        """
        h = hashlib.sha256()
        for f in self._files(names):
            h.update(f.name.encode() + b"\0" + self._content(f) + b"\0")
        return h.hexdigest()

    def file_digests(self, names: list[str]) -> dict[str, str]:
        """The sha256 of each template file that ``digest(names)`` covers, by file name
        (``policy.md``, ``_macros.md``). Raises OSError for a missing file."""
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
        return _TemplateErrors(self, name)


_SETS: dict[tuple[str, Path], TemplateSet] = {}


def template_set(lang: str, directory: Path = BUILTIN_DIR) -> TemplateSet:
    """The :class:`TemplateSet` of ``lang`` in ``directory``, created once per process.

    Jinja keeps every template it compiled and recompiles one only when its file changes
    (its modification time), so a batch compiles each template once per process.
    """
    key = (lang, Path(directory).resolve())
    ts = _SETS.get(key)
    if ts is None:
        ts = _SETS[key] = TemplateSet(lang, directory)
    return ts


class _TemplateErrors:
    def __init__(self, ts: TemplateSet, name: str):
        self.ts, self.name = ts, name

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        if isinstance(exc, InputError):
            return False
        where = str(self.ts.path(self.name))
        if isinstance(exc, TemplateNotFound):
            raise InputError(Problem(str(self.ts.directory / exc.name), "template not found")) from None
        if isinstance(exc, (TemplateError, AttributeError, TypeError, ValueError, KeyError, IndexError)):
            line = getattr(exc, "lineno", None) or _line_of(tb)
            fname = getattr(exc, "filename", None) or where
            at = f"{fname}:{line}" if line else fname
            raise InputError(Problem(at, f"{exc.__class__.__name__}: {exc}")) from None
        return False


def _line_of(tb) -> int | None:
    """The template line of the innermost frame that belongs to a template file."""
    line = None
    while tb is not None:
        fname = tb.tb_frame.f_code.co_filename
        if fname.endswith(".md"):  # Jinja maps a template's frames to its file and line
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
