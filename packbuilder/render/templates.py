"""The template set: loading the Markdown + Jinja templates of a language (the built-in ones,
each overridable by a user's .md or Word .docx) and rendering them in Jinja's sandbox with
undefined variables as errors: templates are code, values are data (escaped for Word, never
markup), and a misspelt variable is an error, not an empty text.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import re
import time
import types
import zipfile
from pathlib import Path
from typing import Any

from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from markupsafe import Markup

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import N_, _
from packbuilder.inputs.spreadsheet import check_zip
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
    index = len(values) - 1
    return _TOKENS[index] if index < len(_TOKENS) else Markup(value_token(index))


_TOKENS = tuple(Markup(value_token(i)) for i in range(2048))
"""The tokens of the first values of a render, made once (a render outputs hundreds)."""


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
"""The longest text or list a template may make (characters or items): with ``*``, ``+``,
``~``, ``%``, ``format``, ``center``, ``ljust``, ``rjust``, ``join``, ``replace``…"""
MAX_EXPONENT = 100
"""The largest exponent of ``**`` in a template."""
MAX_DIGITS = 1_000
"""The most decimal digits a number made with ``*`` or ``**`` in a template may have."""
MAX_RANGE = 10_000
"""The most items of a ``range()`` in a template."""
MAX_MACRO_DEPTH = 100
"""The most macro calls a template may nest (a macro calling itself stops here)."""
RENDER_SECONDS = 10.0
"""The wall-clock budget of one render of a template (a document), in seconds."""
MAX_OUTPUT = 50_000_000
"""The longest text one render of a template may output (characters; a Word template's XML included)."""

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("packbuilder_deadline", default=None)
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("packbuilder_macro_depth", default=0)


class TemplateLimitError(SecurityError):
    """A template went over one of the render limits (:data:`MAX_TEXT`, :data:`MAX_DIGITS`,
    :data:`MAX_RANGE`, :data:`MAX_MACRO_DEPTH`, :data:`RENDER_SECONDS`)."""


def _check_time() -> None:
    """Raise TemplateLimitError when the current render is past its :data:`RENDER_SECONDS`."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TemplateLimitError(_("the render took over {seconds} s, the limit of one document (a loop too long?)")
                                 .format(seconds=f"{RENDER_SECONDS:g}"))


class _Budget:
    """The wall-clock budget of one render: the outermost ``with _Budget()`` sets the deadline
    :data:`RENDER_SECONDS` ahead (read when entered, so a test may lower it); nested ones keep it."""

    def __enter__(self):
        self.token = _deadline.set(time.monotonic() + RENDER_SECONDS) if _deadline.get() is None else None
        return self

    def __exit__(self, *exc):
        if self.token is not None:
            _deadline.reset(self.token)
        return False


_WHAT = {
    "a call": N_("a call"),
    "a product with *": N_("a product with *"),
    "the filter format": N_("the filter format"),
    "the filter join": N_("the filter join"),
}
_WHAT_FILTER = re.compile(r"the filter (\w+)$")
_WHAT_FORMAT = re.compile(r"the format (\{.*\})$", re.S)


def _what(what: str) -> str:
    """The operation ``what`` (English, as the checks name it) in the interface language."""
    if what in _WHAT:
        return _(_WHAT[what])
    m = _WHAT_FILTER.match(what)
    if m:
        return _("the filter {name}").format(name=m.group(1))
    m = _WHAT_FORMAT.match(what)
    if m:
        return _("the format {spec}").format(spec=m.group(1))
    return what


def _text_limit(n: int, what: str) -> None:
    if n > MAX_TEXT:
        raise TemplateLimitError(_("{what} would make a text or list of {n} items, over the limit of {limit}").format(
            what=_what(what), n=n, limit=MAX_TEXT))


def _number_limit(bits: int, what: str) -> None:
    if bits > _bits():
        raise TemplateLimitError(_("{what} would make a number of over {limit} digits, the limit").format(
            what=_what(what), limit=MAX_DIGITS))


def _bits() -> int:
    return int(MAX_DIGITS * 3.3220) + 1


def _range(*args: int) -> Any:
    """``range()`` of templates: at most :data:`MAX_RANGE` items."""
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise TemplateLimitError(_("range() of {n} items is over the limit of {limit}").format(
            n=len(rng), limit=MAX_RANGE))
    return rng


def _loop(iterable: Any) -> Any:
    """The items of a ``{% for %}`` loop, checking the render's deadline every 64 items."""
    if isinstance(iterable, (list, tuple, range, str)) and len(iterable) <= 64:
        return iterable
    return _timed(iterable)


def _timed(iterable: Any):
    for i, item in enumerate(iterable):
        if not i & 63:
            _check_time()
        yield item


_SPEC_NUMBER = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_spec(spec: str, what: str) -> None:
    """Refuse a width or precision over :data:`MAX_TEXT` in a format spec (``>2000000000``)."""
    for m in _SPEC_NUMBER.finditer(spec):
        if len(m.group()) > 7 or int(m.group()) > MAX_TEXT:
            raise TemplateLimitError(_("{what}: the width or precision {value} is over the limit of {limit}").format(
                what=_what(what), value=m.group(), limit=MAX_TEXT))


def _check_percent(fmt: str, what: str) -> None:
    """Refuse ``%`` formatting with a width or precision over :data:`MAX_TEXT` or given by ``*``."""
    for m in _PERCENT_SPEC.finditer(fmt):
        for g in m.groups():
            if g == "*":
                raise TemplateLimitError(_("{what}: a width given by * is not allowed").format(what=_what(what)))
            if g is not None:
                _check_spec(g, what)


def _checked_text(value: Any, what: str) -> Any:
    if isinstance(value, (str, list, tuple)):
        _text_limit(len(value), what)
    return value


_WIDTH_METHODS = frozenset(["center", "ljust", "rjust", "zfill"])


def _check_str_method(obj: Any, args: tuple, kwargs: dict) -> None:
    """Refuse a call of a text method that would make a text over :data:`MAX_TEXT`."""
    name, text = obj.__name__, obj.__self__
    if name in _WIDTH_METHODS:
        width = args[0] if args else kwargs.get("width", 0)
        if isinstance(width, int):
            _text_limit(width, f"{name}({width})")
    elif name == "join" and args:
        items = list(args[0])
        if all(isinstance(x, str) for x in items):
            _text_limit(sum(map(len, items)) + len(text) * max(len(items) - 1, 0), "join()")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        count = text.count(args[0])
        _text_limit(len(text) + count * (len(args[1]) - len(args[0])), "replace()")
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int):
            _text_limit(len(text) + text.count("\t") * size, "expandtabs()")


class _LimitedFormatter(SandboxedFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_spec(format_spec, f"the format {{:{format_spec}}}")
        return _checked_text(super().format_field(value, format_spec), "format()")


class _LimitedEscapeFormatter(SandboxedEscapeFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_spec(format_spec, f"the format {{:{format_spec}}}")
        return _checked_text(super().format_field(value, format_spec), "format()")


def _limited_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The built-in filters that can make a long text or list, checked before and after."""

    def wrap(name: str, before):
        f = filters[name]

        @functools.wraps(f)
        def checked(*args, **kwargs):
            before(args[1:] if getattr(f, "jinja_pass_arg", None) else args, kwargs)
            return _checked_text(f(*args, **kwargs), f"the filter {name}")
        return checked

    def number(position: int, key: str, name: str):
        def before(args, kwargs):
            n = args[position] if len(args) > position else kwargs.get(key)
            if isinstance(n, int):
                _text_limit(n, f"{name}({n})")
        return before

    def fmt(args, kwargs):
        if args and isinstance(args[0], str):
            _check_percent(args[0], "the filter format")

    def join(args, kwargs):
        if args:
            items = list(args[0]) if not isinstance(args[0], str) else args[0]
            sep = args[1] if len(args) > 1 else kwargs.get("d", "")
            if all(isinstance(x, str) for x in items) and isinstance(sep, str):
                _text_limit(sum(map(len, items)) + len(sep) * max(len(items) - 1, 0), "the filter join")

    def replace(args, kwargs):
        if len(args) >= 3 and all(isinstance(x, str) for x in args[:3]):
            s, old, new = args[:3]
            _text_limit(len(s) + s.count(old) * (len(new) - len(old)), "the filter replace")

    checks = {"format": fmt, "center": number(1, "width", "center"), "indent": number(1, "width", "indent"),
              "batch": number(1, "linecount", "batch"), "slice": number(1, "slices", "slice"),
              "truncate": number(1, "length", "truncate"), "wordwrap": number(1, "width", "wordwrap"),
              "join": join, "replace": replace}
    return {name: wrap(name, before) for name, before in checks.items() if name in filters}


class _LimitTemplate(Template):
    """A template whose ``render`` has its wall-clock budget (:data:`RENDER_SECONDS`)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with _Budget():
            return super().render(*args, **kwargs)


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no underscore attributes, no unsafe methods) with limits a template
    cannot go around (templates are code: a user's template must not exhaust the machine):

    - a text or list made with ``*``, ``+``, ``~``, ``%``, ``format``, ``center``, ``join``,
      ``replace``… longer than :data:`MAX_TEXT`, checked before it is made where it can grow
      without bound;
    - a number of more than :data:`MAX_DIGITS` digits made with ``*`` or ``**`` (checked before),
      an exponent over :data:`MAX_EXPONENT`;
    - ``range()`` of more than :data:`MAX_RANGE` items;
    - macros nested more than :data:`MAX_MACRO_DEPTH` deep;
    - a render longer than :data:`RENDER_SECONDS` (checked at each call and every 64 items of a loop).

    Each raises :class:`TemplateLimitError` (a SecurityError), which :class:`_TemplateErrors`
    turns into an InputError naming the template file and line."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    template_class = _LimitTemplate

    @staticmethod
    def concat(parts) -> str:
        """The rendered text of a template from its parts, refused past :data:`MAX_OUTPUT`."""
        out, n = [], 0
        for part in parts:
            n += len(part)
            if n > MAX_OUTPUT:
                raise TemplateLimitError(_("the template outputs over {limit} characters, the limit").format(
                    limit=MAX_OUTPUT))
            out.append(part)
        return "".join(out)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _range
        self.filters.update(_limited_filters(self.filters))
        self.filters["_packbuilder_loop"] = _loop
        self.filters["_packbuilder_concat"] = lambda value: _checked_text(value, "~")

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise TemplateLimitError(_("the exponent {value} is over {limit}").format(value=right, limit=MAX_EXPONENT))
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            _number_limit(max(left.bit_length() - 1, 0) * right, f"** {right}")
        if operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                _number_limit(left.bit_length() + right.bit_length() - 1, "a product with *")
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_TEXT:
                    raise TemplateLimitError(_("a text or list of {n} items is over {limit}").format(
                        n=len(seq) * n, limit=MAX_TEXT))
        if operator == "%" and isinstance(left, str):
            _check_percent(left, "%")
        result = super().call_binop(context, operator, left, right)
        if operator != "**":
            _checked_text(result, operator)
        return result

    def wrap_str_format(self, value: Any) -> Any:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        f_self = value.__self__
        formatter = _LimitedEscapeFormatter(self, escape=f_self.escape) if isinstance(f_self, Markup) \
            else _LimitedFormatter(self)
        is_map = value.__name__ == "format_map"

        @functools.wraps(value)
        def limited(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return type(f_self)(formatter.vformat(f_self, args, kwargs))
        return limited

    def call(self, context, obj, /, *args, **kwargs):
        _check_time()
        if isinstance(obj, Macro):
            depth = _depth.get() + 1
            if depth > MAX_MACRO_DEPTH:
                raise TemplateLimitError(_("recursion too deep: macros nested over {limit} deep (a macro calling "
                                           "itself?)").format(limit=MAX_MACRO_DEPTH))
            token = _depth.set(depth)
            try:
                return super().call(context, obj, *args, **kwargs)
            finally:
                _depth.reset(token)
        if isinstance(obj, types.BuiltinMethodType) and isinstance(getattr(obj, "__self__", None), str):
            _check_str_method(obj, args, kwargs)
        return _checked_text(super().call(context, obj, *args, **kwargs), "a call")

    def _generate(self, source, name, filename, defer_init=False):
        """Jinja's code generation, after wrapping each ``{% for %}``'s items in a deadline
        check and each ``~`` in a length check (Jinja has no hook for either)."""
        _instrument(source)
        return super()._generate(source, name, filename, defer_init=defer_init)


def _instrument(tree: nodes.Template) -> None:
    """Wrap each ``~`` of ``tree`` in a length check and each ``{% for %}``'s items in a
    deadline check (Jinja has no hook for either)."""
    for parent in [tree, *tree.find_all(nodes.Node)]:
        for field in parent.fields:
            value = getattr(parent, field, None)
            if isinstance(value, nodes.Concat):
                setattr(parent, field, _filter(value, "_packbuilder_concat"))
            elif isinstance(value, list):
                value[:] = [_filter(x, "_packbuilder_concat") if isinstance(x, nodes.Concat) else x for x in value]
        if isinstance(parent, nodes.For):
            parent.iter = _filter(parent.iter, "_packbuilder_loop")


def _filter(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


def _blank(n: int = 20) -> str:
    n = int(n)
    if not 0 <= n <= 200:
        raise ValueError(_("blank({n}): expected 0 to 200 underscores").format(n=n))
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
    options = {"finalize": _finalize, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True} \
        if markdown else {}
    env = _Sandbox(loader=loader, autoescape=True, undefined=StrictUndefined, **options)
    env.filters.update(dmy=language.date_dmy, long=_f_long, attr=_f_attr,
                       month=_f_month, month_loc=_f_month_loc, nobreak=_f_nobreak,
                       lc=language.lower_first, cap=language.upper_first)
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


LINKED = N_("is a symbolic link (or outside the templates folder): copy the file itself")
"""What is wrong with a linked template file or folder (:func:`linked`)."""


def linked(f: Path, root: Path) -> bool:
    """Whether ``f`` (a file or folder inside the templates folder ``root``) is a symbolic link,
    is inside a linked folder below ``root``, or resolves outside ``root``: such a file is never
    read (a template folder from elsewhere must not make packbuilder read ``/etc/passwd``)."""
    root, f = Path(root), Path(f)
    try:
        rel = f.relative_to(root)
    except ValueError:
        return True
    part = root
    for name in rel.parts:
        part = part / name
        if part.is_symlink():
            return True
    try:
        f.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return True
    return False


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
        self.env = _environment(_GuardedLoader(search, self), markdown=True)
        self.docx_env = _environment(None, markdown=False)

    def guard(self, f: Path) -> Path:
        """``f``, a file of the override folder about to be read; raises InputError naming it
        when it is a symbolic link or outside the templates folder (:func:`linked`)."""
        if self.override_dir is not None and linked(f, self.override_dir.parent):
            raise InputError(Problem(str(f), _(LINKED)))
        return f

    def path(self, name: str) -> Path:
        """The ``.md`` file template ``name`` is rendered from: the override when there is
        one, else the built-in. Raises InputError for an override that is a symbolic link."""
        f = self.override_dir / f"{name}.md" if self.override_dir is not None else None
        if f is not None and (f.is_file() or f.is_symlink()):
            return self.guard(f)
        return self.builtin_dir / f"{name}.md"

    def docx(self, name: str) -> Path | None:
        """The Word template overriding document template ``name``, None when there is none.
        Raises InputError for one that is a symbolic link or outside the templates folder, no
        zip package, or too large to open safely (:func:`packbuilder.inputs.spreadsheet.check_zip`)."""
        if self.override_dir is None:
            return None
        f = self.override_dir / f"{name}.docx"
        if not (f.is_file() or f.is_symlink()):
            return None
        f = self.guard(f)
        try:
            check_zip(f)
        except zipfile.BadZipFile:
            raise InputError(Problem(str(f), _("is not a Word document (.docx): save it from Word as .docx"))) from None
        return f

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
        if self.override_dir is not None and f.is_relative_to(self.override_dir.parent):
            self.guard(f)
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
            raise InputError(Problem(str(self.path("_training")), _("must set `topics` to a list of 12 texts")))
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


class _GuardedLoader(FileSystemLoader):
    """Jinja's file loader that refuses a file of the override folder that is a symbolic link
    or outside the templates folder (InputError naming it), even when no check ran before."""

    def __init__(self, search: list[str], ts: TemplateSet):
        super().__init__(search)
        self.ts = ts

    def get_source(self, environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if self.ts.override_dir is not None and Path(filename).is_relative_to(self.ts.override_dir):
            self.ts.guard(Path(filename))
        return source, filename, uptodate


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
        self.budget = _Budget().__enter__()
        return self

    def __exit__(self, kind, exc, tb):
        self.budget.__exit__()
        if exc is None or isinstance(exc, InputError):
            return False
        if isinstance(exc, RecursionError):
            line = template_line(tb)
            raise InputError(Problem(f"{self.where}:{line}" if line else self.where,
                                     _("recursion too deep: a macro calling itself without end?"))) from None
        if isinstance(exc, TemplateNotFound):
            line = template_line(tb)
            raise InputError(Problem(f"{self.where}:{line}" if line else self.where,
                                     _("template not found: {name}").format(name=exc.name))) from None
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
        return _("{error}: packbuilder provides no such variable or attribute (`packbuilder templates export DIR` "
                 "lists the variables in DIR/README.md)").format(error=exc.message)
    if isinstance(exc, TemplateLimitError):
        return _("not allowed in a template: {error}").format(error=exc.message or exc)
    if isinstance(exc, SecurityError):
        return _("not allowed in a template: {error} (templates run in a sandbox: no Python internals, files or "
                 "environment)").format(error=str(exc.message or exc).rstrip("."))
    if isinstance(exc, TemplateSyntaxError):
        return _("syntax error: {error}").format(error=exc.message)
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
