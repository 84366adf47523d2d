"""Checking a folder of template overrides (``packbuilder templates check DIR``) before a
build uses it, and the lighter check every build with ``--templates`` makes first.

An override folder is laid out like ``templates/``: ``DIR/kk/<name>.md|.docx`` and
``DIR/ru/…``, where ``<name>`` is a built-in template's name (``packbuilder templates
export`` writes them all out). Every problem is reported with its file and line (a
paragraph for a .docx):

- files that override nothing (a misspelt name, another extension, another folder), a
  document given both as .md and .docx, a .docx for a shared ``_*.md`` file or for a
  document that is only a spreadsheet;
- Jinja syntax errors; quotes «» „ (and “” ‘’ in .md) inside a tag;
- variables and attributes packbuilder does not provide (found by walking the template's
  syntax tree against the context of the example profile ``example_profile.yaml``, so the
  check follows the context as it is, never a list kept by hand);
- the kk and ru templates of a document using different variables (the two
  versions say the same things point for point; case forms such as ``org.name_gen`` count
  as ``org.name``);
- in a .docx, what :mod:`packbuilder.authoring.word_lint` finds (tags split by Word, row loops
  that cannot work);
- and, when a file has none of these, what rendering it for the example profile raises.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from packbuilder import __version__
from packbuilder.authoring.word_lint import (
    TAG,
    DocxSource,
    quote_message,
    quote_problems,
    read_docx_template,
    straighten,
)
from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _, ui_language
from packbuilder.inputs.profile_file import load_profile, validate_profile
from packbuilder.model.catalogue import BY_ID, CATALOGUE, Document
from packbuilder.model.profile import LANGUAGES, Profile
from packbuilder.pack.manifest import Manifest, PackFile, profile_digest
from packbuilder.pack.revisions import CHANGE_SHEET_NAME, CHANGE_SHEET_TITLE
from packbuilder.render.context import document_context, pack_context
from packbuilder.render.language import CASES
from packbuilder.render.templates import (
    BUILTIN_DIR,
    LINKED,
    TemplateSet,
    describe_error,
    ignored,
    is_builtin,
    is_template_file,
    linked,
    template_set,
)
from packbuilder.update.changes import compare_profiles
from packbuilder.update.diff import TextDiff, edition
from packbuilder.update.report import report_context
from packbuilder.write.word_template import render_docx

EXAMPLE_PROFILE = Path(__file__).resolve().parent.parent / "example_profile.yaml"
SHARED = ("_macros", "_training", "_change_sheet", "_changes")
"""The templates that are not documents: the macros ``m``, the training topics, the change
sheet and the change report."""


def document_templates() -> dict[str, tuple[Document, str | None]]:
    """Each document template's name → (its document, the context list it repeats over:
    ``events``, ``quarters`` or None), in catalogue order."""
    out: dict[str, tuple[Document, str | None]] = {}
    for doc in CATALOGUE:
        for part in doc.parts or ():
            out[part.template] = (doc, part.repeat)
        if not doc.parts:
            out[doc.id] = (doc, None)
    return out


def template_names() -> list[str]:
    """Every template name an override may use: the documents', then the shared ones."""
    return list(document_templates()) + list(SHARED)


# --- the folder's layout ------------------------------------------------------------------


def override_files(directory: Path) -> list[Path]:
    """The files of ``DIR/kk`` and ``DIR/ru`` that are templates (.md, .docx), sorted."""
    return sorted(f for lang in LANGUAGES if (Path(directory) / lang).is_dir()
                  for f in (Path(directory) / lang).iterdir() if is_template_file(f) and not linked(f, directory))


def layout_problems(directory: Path) -> list[Problem]:
    """What in the folder ``directory`` overrides nothing or cannot be used, one problem per
    file: see the module's docstring. Files at the top of the folder (a README, VERSION) are
    left alone."""
    directory = Path(directory)
    if not directory.is_dir():
        return [Problem(str(directory), _("no such folder of templates"))]
    problems = []
    names = template_names()
    docs = document_templates()
    langs = [d for d in sorted(directory.iterdir()) if d.is_dir() and not ignored(d)]
    for d in langs:
        if d.name not in LANGUAGES:
            problems.append(Problem(str(d), _("not a language folder: templates go in kk/ and ru/")))
    if not any(d.name in LANGUAGES for d in langs):
        problems.append(Problem(str(directory), _("has no kk/ or ru/ folder, so it overrides no template "
                                                  "(`packbuilder templates export DIR` shows the layout)")))
    for lang in LANGUAGES:
        folder = directory / lang
        if folder.is_symlink() or linked(folder, directory):
            problems.append(Problem(str(folder), LINKED))
            continue
        if not folder.is_dir():
            continue
        for f in sorted(folder.iterdir()):
            if ignored(f):
                continue
            if linked(f, directory):
                problems.append(Problem(str(f), LINKED))
                continue
            if f.is_dir():
                problems.append(Problem(str(f), _("a folder inside a language folder is not read")))
                continue
            if f.suffix not in (".md", ".docx"):
                problems.append(Problem(str(f), _("not a template: a template is a .md or a Word .docx file")))
                continue
            name = f.stem
            if name not in names:
                near = difflib.get_close_matches(name, names, n=1)
                if near:
                    message = _("no built-in template is called {name}, so this file would override nothing; "
                                "did you mean {suggestion}? the names are those of `packbuilder templates export`"
                                ).format(name=repr(name), suggestion=near[0] + f.suffix)
                else:
                    message = _("no built-in template is called {name}, so this file would override nothing; "
                                "the names are those of `packbuilder templates export`").format(name=repr(name))
                problems.append(Problem(str(f), message))
                continue
            if f.suffix == ".docx":
                if name in SHARED:
                    problems.append(Problem(str(f), _("{name} is not a document: override it with {name}.md").format(
                        name=name)))
                    continue
                doc = docs[name][0]
                if "docx" not in doc.forms:
                    problems.append(Problem(str(f), _(
                        "{document} is only a spreadsheet (.xlsx), written from the tables of its template: "
                        "override it with {name}.md").format(document=doc.id, name=name)))
                    continue
                if (folder / f"{name}.md").is_file():
                    problems.append(Problem(str(f), _("both {name}.md and {name}.docx override {name}: keep one"
                                                      ).format(name=name)))
    return problems


def preflight(directory: Path | None) -> None:
    """The check a build makes of an override folder before writing anything: its layout,
    the Jinja syntax of every file, what Word broke in every .docx and the variables the
    profile does not provide (not the kk/ru comparison, nor a trial render). Raises InputError
    with every problem found. Does nothing for None (the built-in templates). The result is
    kept for the process while no file of the folder changes (a batch checks once), per
    interface language (the problems are written in it)."""
    if is_builtin(directory):
        return
    directory = Path(directory)
    try:
        key = (ui_language(), str(directory.resolve()),
               tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(directory.rglob("*"))))
    except OSError:
        key = None
    problems = _PREFLIGHT.get(key) if key else None
    if problems is None:
        problems = layout_problems(directory)
        if not problems:
            for f in override_files(directory):
                problems += _static(f, template_set(f.parent.name, directory))[1]
        if key:
            _PREFLIGHT[key] = problems
    if problems:
        raise InputError(problems)


_PREFLIGHT: dict[tuple, list[Problem]] = {}


# --- one file: syntax, quotes and the Jinja source ------------------------------------------


@dataclass
class _FileCheck:
    """One template file read for checking: its Jinja sources by part (one part for .md),
    the problems so far and, for a .docx, how to name a line."""

    path: Path
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    docx: DocxSource | None = None
    trees: dict[str, nodes.Template] = field(default_factory=dict)

    def where(self, part: str, line: int | None) -> str:
        if self.docx is not None:
            return self.docx.where(part, line)
        return f"{self.path}:{line}" if line else str(self.path)


def _file_check(path: Path, ts: TemplateSet) -> _FileCheck:
    """Read ``path``: for a .docx what Word broke; quotes in tags; then the Jinja parse of
    each part (syntax errors)."""
    fc = _FileCheck(path)
    try:
        if path.suffix == ".docx":
            fc.docx = read_docx_template(path)
            fc.problems += fc.docx.problems
            fc.sources = dict(fc.docx.sources)
            env = ts.docx_env
        else:
            text = path.read_text(encoding="utf-8")
            for m in TAG.finditer(text):
                found = quote_problems(m.group(0), curly_ok=False)
                if found:
                    line = text.count("\n", 0, m.start()) + 1
                    fc.problems.append(Problem(f"{path}:{line}", f"{m.group(0)}: {quote_message(found)}"))
            fc.sources = {"document": TAG.sub(lambda m: straighten(m.group(0)), text)}
            env = ts.env
    except UnicodeDecodeError as exc:
        fc.problems.append(Problem(str(path), _("not UTF-8 text ({reason}); save it as UTF-8").format(
            reason=exc.reason)))
        return fc
    except InputError as exc:
        fc.problems += exc.problems
        return fc
    for part, source in fc.sources.items():
        try:
            fc.trees[part] = env.parse(source)
        except TemplateSyntaxError as exc:
            fc.problems.append(Problem(fc.where(part, exc.lineno), describe_error(exc)))
    return fc


# --- the example contexts --------------------------------------------------------------------


@cache
def example_profiles() -> tuple[Profile, Profile]:
    """The example profile and a «last year» version of it (another head and order, one
    employee fewer, one department more), so that an update's variables have values."""
    profile = load_profile(EXAMPLE_PROFILE)
    data = profile.model_dump(mode="json")
    data["year"] -= 1
    data["approval"] = {"number": "01-05/3", "date": f"{data['year']}-01-16"}
    data["head"]["name"] = {"kk": "Әлиев Дәулет Серікұлы", "ru": "Алиев Даулет Серикович"}
    data["employees"] = data["employees"][1:2]
    data["departments"] = data["departments"] + [{"kk": "Шаруашылық бөлімі", "ru": "Хозяйственный отдел"}]
    return profile, validate_profile(data)


def example_context(name: str, lang: str) -> dict[str, Any]:
    """What template ``name`` sees in ``lang`` when rendered for the example profile (as an
    update of its «last year» version, so that ``previous`` and the marks have values);
    ``m`` is left out (see :func:`_macros`). Raises KeyError for an unknown name."""
    profile, previous = example_profiles()
    if name == "_training":
        return {}
    base = _example_base(lang)
    if name == "_changes":
        return _report_context(lang, profile, previous, base)
    docs = document_templates()
    doc, repeat = docs[name] if name in docs else (BY_ID["policy"], None)
    extra = {repeat.rstrip("s"): base[repeat][0]} if repeat else {}
    ctx = document_context(base, doc, lang, **extra)
    if name == "_change_sheet":
        diff = TextDiff(changed=[("1. a", "1. b")], changed_points={1})
        ctx["revisions"] = [r.context(lang) for r in (edition(previous, 1), edition(profile, 2, [diff]))]
        ctx["change_sheet"] = {"title": CHANGE_SHEET_TITLE[lang], "sheet": CHANGE_SHEET_NAME[lang]}
    return ctx


@cache
def _example_base(lang: str) -> dict[str, Any]:
    """The pack context of the example profile in ``lang`` (copied, never changed, by
    :func:`context.document_context`)."""
    profile, previous = example_profiles()
    return pack_context(profile, lang, template_set(lang).topics(), previous)


def _report_context(lang: str, profile: Profile, previous: Profile, base: dict[str, Any]) -> dict[str, Any]:
    """The change report's context for an example update from ``previous`` to ``profile``:
    one changed and one new file, one edited template."""
    diffs = {f"{lang}/03-policy.docx": TextDiff(added=["5. b"], removed=["6. c"],
                                                changed=[("1. a b c", "1. a x c")], changed_points={1}),
             f"{lang}/04-instruction.docx": None}
    old = Manifest(version=__version__, bin=previous.organization.bin, year=previous.year, languages=[lang],
                   documents=[d.id for d in CATALOGUE], complete=True, profile_digest=profile_digest(previous),
                   template_version="", template_digest="", template_digests={},
                   templates={lang: {"policy.md": "0"}}, template_overrides={lang: []},
                   files=[PackFile(path=f"{lang}/03-policy.docx", document="policy", lang=lang, sha256="")],
                   revisions={}, profile=previous)
    return report_context(lang, profile, base, old, {lang: {"policy.md": "1"}}, "",
                          compare_profiles(previous, profile), diffs, [d.id for d in CATALOGUE])


# --- variables: walking the syntax tree ------------------------------------------------------


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()
"""A value the check cannot know (a loop variable over an empty example list, a call's
result): any attribute of it is accepted."""


@dataclass
class _Known:
    value: Any
    path: str  # "org.name", "employees[]"; "" for a value not from the context


def example_item(items: list) -> Any:
    """One example standing for every item of a list: dicts merged key by key."""
    if not items:
        return ANY
    if all(isinstance(i, dict) for i in items):
        out: dict[str, Any] = {}
        for item in items:
            for k, v in item.items():
                if k not in out or (not out[k] and v is not None and (v or out[k] is None)):
                    out[k] = v  # the first example that is not empty
        return out
    return items[0]


def _kind(value: Any) -> str:
    """What ``value`` is, for people, in the interface language («a list»)."""
    if isinstance(value, dict):
        return _("a group of values")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("a text")
    if isinstance(value, bool):
        return _("yes/no")
    if isinstance(value, int):
        return _("a number")
    return type(value).__name__


class _Walker:
    """Resolves every variable of a template against an example context; records the
    context paths used (with their first line) and the problems (line, message)."""

    GLOBALS_EXTRA = frozenset({"loop", "caller", "varargs", "kwargs", "self", "super"})

    def __init__(self, context: dict[str, Any], env_globals: dict[str, Any]):
        self.context = context
        self.globals = env_globals
        self.used: dict[str, int] = {}
        self.problems: list[tuple[int, str]] = []

    def problem(self, node, message: str) -> None:
        item = (node.lineno, message)
        if item not in self.problems:
            self.problems.append(item)

    def use(self, path: str, node) -> None:
        if path and path not in self.used:
            self.used[path] = node.lineno

    # statements ---------------------------------------------------------------------------
    def template(self, tree: nodes.Template) -> None:
        scope: dict[str, _Known] = {}
        for node in tree.body:  # macros and top-level sets are visible throughout
            if isinstance(node, nodes.Macro):
                scope[node.name] = _Known(ANY, "")
        self.body(tree.body, scope)

    def body(self, body: list, scope: dict[str, _Known]) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node, scope: dict[str, _Known]) -> None:
        if isinstance(node, nodes.For):
            it = self.expr(node.iter, scope)
            inner = dict(scope)
            item = _Known(example_item(it.value) if it and isinstance(it.value, list) else ANY,
                          f"{it.path}[]" if it and it.path else "")
            self.bind(node.target, item, inner)
            inner["loop"] = _Known(ANY, "")
            if node.test is not None:
                self.expr(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            value = self.expr(node.node, scope)
            self.bind(node.target, value or _Known(ANY, ""), scope)
        elif isinstance(node, nodes.AssignBlock):
            self.body(node.body, dict(scope))
            self.bind(node.target, _Known(ANY, ""), scope)
        elif isinstance(node, nodes.Macro):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = _Known(ANY, "")
            for default in node.defaults:
                self.expr(default, scope)
            scope[node.name] = _Known(ANY, "")
            self.body(node.body, inner)
        elif isinstance(node, nodes.CallBlock):
            self.expr(node.call, scope)
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = _Known(ANY, "")
            self.body(node.body, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.expr(value, scope) or _Known(ANY, ""), inner)
            self.body(node.body, inner)
        elif isinstance(node, (nodes.Import, nodes.FromImport)):
            names = [node.target] if isinstance(node, nodes.Import) else \
                [n if isinstance(n, str) else n[-1] for n in node.names]
            for n in names:
                scope[n] = _Known(ANY, "")
        elif isinstance(node, (nodes.Expr, nodes.Output)):
            for child in node.iter_child_nodes():
                self.expr(child, scope) if isinstance(child, nodes.Expr) else self.visit(child, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.body(node.body, scope)
            for elif_ in node.elif_:
                self.visit(elif_, scope)
            self.body(node.else_, scope)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expr(child, scope)
                else:
                    self.visit(child, scope)

    def bind(self, target, value: _Known, scope: dict[str, _Known]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, _Known(ANY, ""), scope)

    # expressions --------------------------------------------------------------------------
    def expr(self, node, scope: dict[str, _Known]) -> _Known | None:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.context:
                self.use(node.name, node)
                return _Known(self.context[node.name], node.name)
            if node.name in self.globals or node.name in self.GLOBALS_EXTRA:
                return _Known(ANY, "")
            near = difflib.get_close_matches(node.name, list(self.context), n=1)
            self.problem(node, _("the variable {name} is not provided (did you mean {suggestion}?)").format(
                name=node.name, suggestion=near[0]) if near else
                _("the variable {name} is not provided").format(name=node.name))
            return None
        if isinstance(node, nodes.Getattr):
            return self.attribute(node, self.expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            self.expr(node.arg, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.attribute(node, base, node.arg.value)
            if base is not None and isinstance(base.value, list):
                return _Known(example_item(base.value), f"{base.path}[]" if base.path else "")
            return _Known(ANY, "")
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            elif isinstance(child, nodes.Node):
                self.visit(child, scope)
        return _Known(ANY, "")

    def attribute(self, node, base: _Known | None, attr: str) -> _Known | None:
        if base is None:
            return None
        name = f"{base.path}.{attr}" if base.path else attr
        if attr.startswith("_"):
            self.problem(node, _("not allowed in a template: {name} (no attribute starting with _: templates run "
                                 "in a sandbox, without Python internals, files or environment)").format(name=name))
            return None
        value = base.value
        if value is ANY or value is None:
            return _Known(ANY, "")
        if isinstance(value, dict):
            if attr in value:
                path = f"{base.path}.{attr}" if base.path else ""
                self.use(path, node)
                return _Known(value[attr], path)
            if hasattr(dict, attr):
                return _Known(ANY, "")
            keys = [k for k in value if not k.startswith("_")]
            near = difflib.get_close_matches(attr, keys, n=1)
            if near and base.path:
                message = _("{name} is not provided: {owner} has no {attr} (did you mean {suggestion}?)")
            elif near:
                message = _("{name} is not provided: it has no {attr} (did you mean {suggestion}?)")
            elif base.path:
                message = _("{name} is not provided: {owner} has only {keys}")
            else:
                message = _("{name} is not provided: it has only {keys}")
            self.problem(node, message.format(name=name, owner=base.path, attr=attr, keys=", ".join(keys),
                                              suggestion=f"{base.path}.{near[0]}" if base.path and near
                                              else near[0] if near else ""))
            return None
        if hasattr(value, attr):
            return _Known(ANY, "")
        message = (_("{name} is not provided: {owner} is {kind}") if base.path else
                   _("{name} is not provided: it is {kind}"))
        self.problem(node, message.format(name=name, owner=base.path, kind=_kind(value)))
        return None


_CASE = re.compile(r"_(" + "|".join(CASES + ("poss", "in", "into", "about", "its")) + r")$")
"""A case form of a value (``org.name_gen``), the Kazakh position after a name
(``head.position_poss``) or a Russian name with its preposition (``org.short_in``): the
same value in another form, as the other language needs it."""


_AGREEMENT = re.compile(r"(?:\.|_)a$")


def normalized_paths(used: dict[str, int]) -> dict[str, int]:
    """``used`` paths with case forms folded (``org.name_gen``, ``org.short_in``,
    ``head.position_poss`` → ``org.name``, …: :data:`_CASE`) and only the
    longest of each chain kept (``employees`` goes when ``employees[].name`` is there); the
    Russian past-tense endings that agree with a person (``officer.a``,
    ``events[].speaker_a``) are left out: Kazakh verbs have no gender."""
    folded: dict[str, int] = {}
    for path, line in used.items():
        if _AGREEMENT.search(path):
            continue
        p = _CASE.sub("", path)
        folded.setdefault(p, line)
    return {p: line for p, line in folded.items()
            if not any(o != p and (o.startswith((p + ".", p + "["))) for o in folded)}


# --- the whole check ---------------------------------------------------------------------------


@dataclass
class CheckResult:
    """What ``templates check`` found: ``problems`` (exit 1 when any), ``files`` checked,
    ``same`` the override files identical to the built-in ones (worth deleting, so that
    packbuilder's updates of them apply)."""

    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    same: list[Path] = field(default_factory=list)


def check_templates(directory: Path) -> CheckResult:
    """Check the override folder ``directory`` (module docstring); the built-in templates
    when ``directory`` is :data:`BUILTIN_DIR`. Never raises for a problem of the templates:
    they are all in the result."""
    directory = Path(directory)
    builtin = is_builtin(directory)
    result = CheckResult()
    if not builtin:
        result.problems += layout_problems(directory)
        if not directory.is_dir():
            return result
    bad = {Path(p.where.split(":")[0]) for p in result.problems}
    files = [f for f in (_builtin_files() if builtin else override_files(directory)) if f not in bad]
    result.files = files
    used: dict[tuple[str, str], tuple[_FileCheck, dict[str, int] | None]] = {}
    for f in files:
        lang, name = f.parent.name, f.stem
        ts = template_set(lang, None if builtin else directory)
        if not builtin and f.suffix == ".md" and (ts.builtin_dir / f.name).read_bytes() == f.read_bytes():
            result.same.append(f)
        fc, problems, paths = _static(f, ts)
        if not problems and len(fc.trees) == len(fc.sources):
            problems += _trial(f, ts, name, lang)
        result.problems += problems
        used[(lang, name)] = (fc, None if problems else normalized_paths(paths))
    result.problems += _parity(used, directory, builtin)
    return result


def _static(f: Path, ts: TemplateSet) -> tuple[_FileCheck, list[Problem], dict[str, int]]:
    """What reading ``f`` finds (:func:`_file_check`) and the variables it uses that the
    example context has not; with the context paths it uses (and their first line)."""
    lang, name = f.parent.name, f.stem
    fc = _file_check(f, ts)
    problems = list(fc.problems)
    paths: dict[str, int] = {}
    if fc.trees:
        ctx = example_context(name, lang)
        macros: dict[str, list[str]] = {}
        if f.suffix == ".md" and name not in ("_training", "_macros"):
            macros = _macros(ts, ctx)
            ctx["m"] = {m: ANY for m in macros}
        for part, tree in fc.trees.items():
            w = _Walker(ctx, (ts.docx_env if f.suffix == ".docx" else ts.env).globals)
            w.template(tree)
            problems += [Problem(fc.where(part, line), msg) for line, msg in w.problems]
            for p, line in w.used.items():
                paths.setdefault(p, line)
        if macros:  # what the macros it calls use counts as used here
            for p, line in list(paths.items()):
                if p.startswith("m."):
                    for q in macros.get(p[2:], ()):
                        paths.setdefault(q, line)
    return fc, problems, paths


def _macros(ts: TemplateSet, ctx: dict[str, Any]) -> dict[str, list[str]]:
    """What the effective ``_macros.md`` exports as ``m``: its macros and top-level sets, each
    with the context paths it uses (a macro's top-level ``set``s included:
    ``order_approval.date`` is ``approval.date``). {} when it cannot be read."""
    try:
        tree = ts.env.parse(ts.path("_macros").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TemplateSyntaxError):
        return {}
    out: dict[str, list[str]] = {n.target.name: [] for n in tree.body
                                 if isinstance(n, nodes.Assign) and isinstance(n.target, nodes.Name)}
    for macro in [n for n in tree.body if isinstance(n, nodes.Macro)]:
        w = _Walker(ctx, ts.env.globals)
        scope: dict[str, _Known] = {}
        for node in tree.body:
            if isinstance(node, nodes.Assign):
                w.visit(node, scope)
        w.used.clear()
        w.visit(macro, scope)
        out[macro.name] = list(w.used)
    return out


def _builtin_files() -> list[Path]:
    return sorted(f for lang in LANGUAGES for f in (BUILTIN_DIR / lang).glob("*.md"))


def _trial(f: Path, ts: TemplateSet, name: str, lang: str) -> list[Problem]:
    """Render ``f`` for the example profile; the problem it raises, if any."""
    try:
        if name == "_training":
            ts.topics()
        elif f.suffix == ".docx":
            render_docx(f, ts.docx_env, example_context(name, lang))
        elif name == "_changes":
            ts.render_markdown(name, example_context(name, lang))
        elif name != "_macros":
            ts.render(name, example_context(name, lang))
    except InputError as exc:
        return exc.problems
    return []


def _parity(used: dict[tuple[str, str], tuple[_FileCheck, dict[str, int] | None]], directory: Path,
            builtin: bool) -> list[Problem]:
    """The variables one language's template of a document uses and the other's does not,
    for every template with at least one language overridden: one problem per override
    file, naming each variable with its line. The macros ``m`` are left out when one side
    is a .docx (a Word template writes its approval block by hand)."""
    problems = []
    for name in [n for n in template_names() if any(k[1] == n for k in used) and n != "_training"]:
        pair: dict[str, tuple[Path, dict[str, int] | None, _FileCheck | None, bool]] = {}
        for lang in LANGUAGES:
            if (lang, name) in used:
                fc, paths = used[(lang, name)]
                pair[lang] = (fc.path, paths, fc, not builtin)
            elif builtin or not (Path(directory) / lang / f"{name}.docx").is_file():
                f = BUILTIN_DIR / lang / f"{name}.md"
                pair[lang] = (f, normalized_paths(_builtin_paths(lang, name)), None, False)
        if len(pair) < 2 or any(v[1] is None for v in pair.values()):
            continue  # a file with problems: the comparison waits for them to be fixed
        word = any(v[0].suffix == ".docx" for v in pair.values())
        sets = {lang: {p: line for p, line in v[1].items() if not (word and p.startswith("m."))}
                for lang, v in pair.items()}
        for lang, other in (("kk", "ru"), ("ru", "kk")):
            f, _paths, fc, overridden = pair[lang]
            extra = sorted(set(sets[lang]) - set(sets[other]))
            missing = sorted(set(sets[other]) - set(sets[lang]))
            other_name = f"{other}/{pair[other][0].name}"
            if not pair[other][3]:
                other_name = _("{file} (built-in)").format(file=other_name)
            if not overridden:
                continue
            missing = missing if not pair[other][3] else []
            if extra:
                at = (lambda p, lines=sets[lang]: _("line {line}").format(line=lines[p])) if f.suffix == ".md" else \
                    (lambda p, lines=sets[lang], doc=fc.docx: doc.parts["document"][lines[p] - 1].where)
                uses = ", ".join(f"{p} ({at(p)})" for p in extra)
            if extra and missing:
                message = _("uses {uses}, which {other} does not; does not use {missing}, which {other} uses: "
                            "the kk and ru versions of a document must say the same things")
            elif extra:
                message = _("uses {uses}, which {other} does not: the kk and ru versions of a document must say "
                            "the same things")
            elif missing:
                message = _("does not use {missing}, which {other} uses: the kk and ru versions of a document "
                            "must say the same things")
            else:
                continue
            problems.append(Problem(str(f), message.format(uses=uses if extra else "", other=other_name,
                                                           missing=", ".join(missing))))
    return problems


@cache
def _builtin_paths_cached(lang: str, name: str) -> tuple[tuple[str, int], ...]:
    return tuple(_static(BUILTIN_DIR / lang / f"{name}.md", template_set(lang))[2].items())


def _builtin_paths(lang: str, name: str) -> dict[str, int]:
    return dict(_builtin_paths_cached(lang, name))
