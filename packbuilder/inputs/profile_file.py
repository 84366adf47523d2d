"""Reading a profile: YAML or JSON files, the staff file (.xlsx/.csv) it may name, and
validation into a :class:`packbuilder.model.profile.Profile` with every problem named by its
field path or staff-file cell (README «The profile»).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _, ngettext
from packbuilder.inputs.encoding import decode_text
from packbuilder.inputs.spreadsheet import read_table
from packbuilder.model.profile import Employee, Profile, profile_problems

ALIAS_EXPANSION_LIMIT = 10_000
"""How many values the aliases (``*name``) of a YAML profile may stand for in all: a
profile repeats a department's name with an alias a few hundred times at most, a «billion
laughs» document (aliases of aliases) thousands of millions."""


class _Loader(yaml.SafeLoader):
    """The YAML loader of profiles: dates are left as strings (an impossible date such as
    2026-02-30 is reported by validation with its field instead of crashing the parser); a
    key given twice in one mapping is an error (the last one would silently win); aliases
    may expand to at most :data:`ALIAS_EXPANSION_LIMIT` values in all."""

    def __init__(self, stream):
        super().__init__(stream)
        self._expanded = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            self._expanded += self._size(node)
            if self._expanded > ALIAS_EXPANSION_LIMIT:
                raise yaml.composer.ComposerError(None, None, _(
                    "the aliases (*name) expand to more than {limit} values").format(limit=ALIAS_EXPANSION_LIMIT),
                    mark)
            return node
        return super().compose_node(parent, index)

    def _size(self, node) -> int:
        """How many values ``node`` stands for, its aliases expanded."""
        key = id(node)
        if key not in self._sizes:
            self._sizes[key] = 1  # a node inside itself (a recursive alias) counts once
            if isinstance(node, yaml.MappingNode):
                self._sizes[key] = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                self._sizes[key] = 1 + sum(self._size(v) for v in node.value)
        return self._sizes[key]

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _value in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, _("the key '{key}' is given twice (also at line {line}): keep one").format(
                            key=key, line=seen[key] + 1), key_node.start_mark)
                if key is not None:
                    seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_profile_data(path: Path) -> dict:
    """The raw mapping of a profile file (.yaml, .yml or .json).

    Raises InputError naming the file when it cannot be read or parsed (another encoding
    than UTF-8 or Windows-1251, :func:`decode_text`; a key given twice; aliases expanding
    too far, :class:`_Loader`), or is not a mapping.
    """
    return read_profile_file(path)[0]


def read_profile_file(path: Path) -> tuple[dict, dict[str, int]]:
    """The raw mapping of a profile file and the line (1-based) each field path of it is
    on (``{"employees[3].name": 57, …}``; JSON files give no lines).

    Raises InputError as :func:`read_profile_data`.
    """
    name = str(path)
    try:
        raw = decode_text(path.read_bytes(), name)
    except OSError as exc:
        raise InputError(Problem(name, _("cannot read the profile ({reason})").format(
            reason=exc.strerror or exc))) from None
    lines: dict[str, int] = {}
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            loader = _Loader(raw)
            try:
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
            if node is not None:
                _node_lines(node, "", lines)
    except json.JSONDecodeError as exc:
        raise InputError(Problem(name, _("not valid JSON at line {line}, column {column}: {problem}").format(
            line=exc.lineno, column=exc.colno, problem=exc.msg))) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark:
            message = _("not valid YAML at line {line}, column {column}: {problem}").format(
                line=mark.line + 1, column=mark.column + 1, problem=problem)
        else:
            message = _("not valid YAML: {problem}").format(problem=problem)
        raise InputError(Problem(name, message)) from None
    if not isinstance(data, dict):
        raise InputError(Problem(name, _("expected a mapping of keys (year, organization, head, …)")))
    return data, lines


def _node_lines(node, path: str, lines: dict[str, int]) -> None:
    """Record in ``lines`` the 1-based line of ``node`` under ``path`` and of everything
    inside it (field paths as :func:`packbuilder.model.profile.profile_problems` names them)."""
    if path not in lines:
        lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = f"{path}.{key.value}" if path else str(key.value)
                lines.setdefault(child, key.start_mark.line + 1)
                _node_lines(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _node_lines(value, f"{path}[{i}]", lines)


def locate_lines(problems: list[Problem], source: str, lines: dict[str, int]) -> list[Problem]:
    """``problems`` with the file ``source`` and the line of their field path (or of the
    nearest enclosing field that is in the file: a missing key is reported at its mapping)
    filled in; problems located elsewhere (a staff-file cell) are kept as they are."""
    located = []
    for p in problems:
        if p.line is None and not p.source and lines and _is_field_path(p.where):
            path = p.where
            while path and path not in lines:
                path = path[:max(path.rfind("."), path.rfind("["), 0)]
            line = lines.get(path) if path else None
            p = replace(p, source=source, line=line)
        located.append(p)
    return located


def _is_field_path(where: str) -> bool:
    return bool(where) and "!" not in where and not where.endswith((".xlsx", ".csv", ".yaml", ".yml", ".json"))


STAFF_COLUMNS = ("name", "name.kk", "name.ru", "position", "position.kk", "position.ru",
                 "department", "department.kk", "department.ru", "equated", "hired")


def nest(values: dict[str, Any]) -> dict:
    """A row's values keyed by dotted field paths (``position.kk``) as a nested mapping.

    A plain ``position`` and a ``position.kk`` in the same row give ``{kk: …, ru: …}`` with
    the specific column winning for its language.
    """
    record: dict = {}
    for key, value in values.items():
        parts = key.split(".")
        node = record
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {} if child is None else {"kk": child, "ru": child}
                node[part] = child
            node = child
        if isinstance(node.get(parts[-1]), dict):
            node[parts[-1]].setdefault("kk", value)
            node[parts[-1]].setdefault("ru", value)
        else:
            node[parts[-1]] = value
    return record


def rows_to_records(rows) -> list[tuple[dict, dict]]:
    """Rows whose headers are dotted field paths as nested mappings (:func:`nest`).

    Returns, per row, the nested mapping and a map from each header to its cell address.
    """
    return [(nest(row.values), dict(row.cells)) for row in rows]


def read_staff(path: Path) -> list[dict]:
    """The employees of a staff file (.xlsx or .csv, UTF-8) as validated mappings.

    The header names fields by path: ``name``, ``position`` or ``position.kk`` +
    ``position.ru``, ``department`` (or .kk/.ru), ``equated``, ``hired``. Raises InputError
    with every problem located by cell (``staff.xlsx!Staff!C7``): a missing or unknown
    column, an empty required cell, a bad value.
    """
    if not path.exists():
        raise InputError(Problem("employees", _("staff file '{file}' does not exist").format(file=path)))
    header, rows = read_table(path)
    problems = []
    unknown = [h for h in header if h and h not in STAFF_COLUMNS]
    if unknown:
        problems.append(Problem(path.name, ngettext(
            "unknown column {columns}; expected: {expected}", "unknown columns {columns}; expected: {expected}",
            len(unknown)).format(columns=", ".join(repr(u) for u in unknown), expected=", ".join(STAFF_COLUMNS))))
    for field in ("name", "position"):
        if field not in header and not (f"{field}.kk" in header and f"{field}.ru" in header):
            problems.append(Problem(path.name, _("missing column '{field}' (or '{field}.kk' and '{field}.ru')").format(
                field=field)))
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError(Problem(path.name, _("has no employees below its header row")))
    employees = []
    for record, cells in rows_to_records(rows):
        try:
            employees.append(Employee.model_validate(record).model_dump())
        except ValidationError as exc:
            for p in profile_problems(exc):
                field = p.where.split("[")[0]
                addr = cells.get(field) or cells.get(field + ".kk") or path.name
                problems.append(Problem(addr, f"{p.where}: {p.message}"))
    if problems:
        raise InputError(problems)
    return employees


def validate_profile(data: dict, base_dir: Path | None = None) -> Profile:
    """A :class:`Profile` from raw ``data``; a staff file named by ``employees`` is read
    relative to ``base_dir``.

    Raises InputError listing every problem with its field path or cell.
    """
    problems: list[Problem] = []
    data = dict(data)
    staff = data.get("employees")
    if isinstance(staff, str):
        path = Path(staff)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            data["employees"] = read_staff(path)
        except InputError as exc:
            problems.extend(exc.problems)
            data["employees"] = [{"name": "-", "position": "-"}]  # validate the rest anyway
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems.extend(profile_problems(exc))
        profile = None
    if problems:
        raise InputError(problems)
    return profile


def load_profile(path: str | Path) -> Profile:
    """Load and validate the profile at ``path`` (YAML or JSON).

    Raises InputError listing every problem (file, field path or staff-file cell).
    """
    path = Path(path)
    data, lines = read_profile_file(path)
    try:
        return validate_profile(data, path.parent)
    except InputError as exc:
        raise InputError(locate_lines(exc.problems, str(path), lines)) from None
