"""The profile as an HTML form, generated from the pydantic model
(:class:`packbuilder.model.profile.Profile`): every field of the model becomes a widget named
by its field path (``organization.name.kk``, ``employees[3].hired``), and the posted form
turns back into the nested mapping the profile readers give (:func:`form_to_data`).

Widgets: a text (:class:`packbuilder.model.profile.Text`) is two inputs, kk and ru, side by
side; a date is ``<input type=date>``; a bool a checkbox; a Literal (and the legal form) a
select; a list of Literals checkboxes; a list of texts or of models repeated rows.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from packbuilder.errors import Problem
from packbuilder.i18n import N_, _
from packbuilder.model.legal_forms import LEGAL_FORMS
from packbuilder.model.profile import Profile, Text

LABELS = {
    "year": N_("Plan year"),
    "languages": N_("Languages of the pack"),
    "organization": N_("Organization"),
    "organization.name": N_("Full official name (legal form included)"),
    "organization.short_name": N_("Short name («hereinafter – …»)"),
    "organization.legal_form": N_("Legal form"),
    "organization.bin": N_("BIN"),
    "organization.city": N_("City"),
    "organization.address": N_("Address"),
    "organization.parent_body": N_("Parent body (owner, authorized body)"),
    "organization.governing_body": N_("Governing body"),
    "organization.website": N_("Website"),
    "organization.hotline": N_("Hotline"),
    "organization.hotline.phone": N_("Hotline phone"),
    "organization.hotline.email": N_("Hotline e-mail"),
    "head": N_("Head of the organization"),
    "head.name": N_("Full name"),
    "head.position": N_("Position"),
    "compliance_officer": N_("Compliance officer"),
    "compliance_officer.name": N_("Full name"),
    "compliance_officer.position": N_("Position"),
    "compliance_officer.phone": N_("Phone"),
    "compliance_officer.email": N_("E-mail"),
    "approval": N_("Order approving the pack"),
    "approval.number": N_("Order number"),
    "approval.date": N_("Order date"),
    "departments": N_("Departments"),
    "employees": N_("Employees"),
    "employees.name": N_("Full name"),
    "employees.position": N_("Position"),
    "employees.department": N_("Department"),
    "employees.equated": N_("Equated to persons authorized to perform state functions"),
    "employees.hired": N_("Hired on"),
}
"""Each field's human name by its path without list indexes (``employees.name``)."""

CHOICE_LABELS = {
    "board_of_directors": N_("board of directors"),
    "supervisory_board": N_("supervisory board"),
    "none": N_("none"),
    "kk": N_("Kazakh"),
    "ru": N_("Russian"),
}
"""How a Literal's values read in the form."""

_INDEX = re.compile(r"\[\d+\]")
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
MAX_ROWS = 5000
"""The most rows a list of the form may have (a posted index beyond it is ignored)."""


def label(path: str) -> str:
    """The human name of the field at ``path`` in the interface language (the path itself
    when it has none)."""
    key = _INDEX.sub("", path)
    return _(LABELS[key]) if key in LABELS else key


@dataclass
class Widget:
    """One field of the form: its ``path``, ``kind`` (text, str, int, date, bool, choice,
    choices, group, list), whether ``required``, its ``choices`` (value, label), ``children``
    (a group's fields; a list's item template), the current ``value`` and ``rows`` (a list's
    items as widgets)."""

    path: str
    kind: str
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list["Widget"] = field(default_factory=list)
    item: "Widget | None" = None
    value: Any = None
    rows: list["Widget"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return label(self.path)

    @property
    def name(self) -> str:
        """The last part of the path (a column of a list's table)."""
        return _INDEX.sub("", self.path).rsplit(".", 1)[-1]


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside Annotated/Optional, and whether None is allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _widget(path: str, annotation: Any, required: bool) -> Widget:
    tp, optional = _unwrap(annotation)
    required = required and not optional
    origin = get_origin(tp)
    if tp is Text:
        return Widget(path, "text", required)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return Widget(path, "group", required, children=model_widgets(tp, path))
    if origin is list:
        item_tp, _opt = _unwrap(get_args(tp)[0])
        if get_origin(item_tp) is Literal:
            return Widget(path, "choices", required, choices=[(v, v) for v in get_args(item_tp)])
        return Widget(path, "list", required, item=_widget(path + "[]", get_args(tp)[0], True))
    if origin is Literal:
        return Widget(path, "choice", required, choices=[(v, v) for v in get_args(tp)])
    if tp is bool:
        return Widget(path, "bool", False)
    if tp is int:
        return Widget(path, "int", required)
    if tp is dt.date:
        return Widget(path, "date", required)
    if path.endswith("legal_form"):
        return Widget(path, "choice", required, choices=[(k, f"{k} — {f.ru}") for k, f in LEGAL_FORMS.items()])
    return Widget(path, "str", required)


def model_widgets(model: type[BaseModel], prefix: str = "") -> list[Widget]:
    """The widgets of every field of ``model`` (recursively), paths under ``prefix``."""
    return [_widget(f"{prefix}.{name}" if prefix else name, info.annotation, info.is_required())
            for name, info in model.model_fields.items()]


def _get(data: Any, key: str | int) -> Any:
    if isinstance(key, int):
        return data[key] if isinstance(data, list) and key < len(data) else None
    return data.get(key) if isinstance(data, dict) else None


def _date_value(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).date().isoformat()
            except ValueError:
                continue
    return "" if value is None else str(value)


def _text_value(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {lang: "" if value.get(lang) is None else str(value.get(lang)) for lang in ("kk", "ru")}
    if value is None:
        return {"kk": "", "ru": ""}
    return {"kk": str(value), "ru": str(value)}


def _fill(w: Widget, value: Any) -> Widget:
    """A copy of the widget template ``w`` holding ``value`` (rows made for lists)."""
    out = Widget(w.path, w.kind, w.required, w.choices, [], w.item)
    if w.kind == "group":
        out.children = [_fill(c, _get(value, c.path.rsplit(".", 1)[-1])) for c in w.children]
    elif w.kind == "list":
        items = value if isinstance(value, list) else []
        out.rows = [_fill(_reindex(w.item, w.path, i), v) for i, v in enumerate(items[:MAX_ROWS])]
    elif w.kind == "text":
        out.value = _text_value(value)
    elif w.kind == "date":
        out.value = _date_value(value)
    elif w.kind == "bool":
        out.value = value is True or (isinstance(value, str) and value.strip().lower() in
                                      ("true", "yes", "иә", "ия", "да", "1", "+"))
    elif w.kind == "choices":
        out.value = [str(v) for v in value] if isinstance(value, list) else [v for v, _l in w.choices]
    else:
        out.value = "" if value is None else str(value)
    return out


def _reindex(w: Widget, list_path: str, i: int) -> Widget:
    """The item template ``w`` (paths ``list[]…``) for item ``i`` (``list[i]…``)."""
    old = list_path + "[]"
    new = f"{list_path}[{i}]"
    return Widget(new + w.path[len(old):], w.kind, w.required, w.choices,
                  [_reindex(c, list_path, i) for c in w.children], w.item)


def profile_form(data: dict) -> list[Widget]:
    """The widgets of the profile form filled with ``data`` (a raw profile mapping, maybe
    invalid)."""
    return [_fill(w, _get(data, w.path)) for w in model_widgets(Profile)]


def all_paths(widgets: list[Widget]) -> list[str]:
    """Every path a problem may be shown at: widgets, groups, lists and their rows."""
    out = []
    for w in widgets:
        out.append(w.path)
        out.extend(all_paths(w.children))
        out.extend(all_paths(w.rows))
        out.extend(r.path for r in w.rows)
    return out


def place_problems(problems: list[Problem], widgets: list[Widget]) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """Each problem at the widget of its field path (the deepest widget whose path is the
    problem's or encloses it; a text's ``.kk``/``.ru`` problems at the text), and those
    that belong to no field (shown at the top of the form)."""
    paths = set(all_paths(widgets))
    placed: dict[str, list[Problem]] = {}
    top = []
    for p in problems:
        where = p.where
        while where and where not in paths:
            cut = max(where.rfind("."), where.rfind("["))
            where = where[:cut] if cut > 0 else ""
        if where:
            placed.setdefault(where, []).append(p)
        else:
            top.append(p)
    return placed, top


_NAME = re.compile(r"[A-Za-z_]+(\[\d{1,6}\])?(\.[A-Za-z_]+(\[\d{1,6}\])?)*")


def _parse(path: str) -> list[str | int] | None:
    """The keys and indexes of a field path (``employees[3].name.kk`` → employees, 3, name,
    kk), None when ``path`` is not one."""
    if not _NAME.fullmatch(path):
        return None
    return [m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _TOKEN.finditer(path)]


def _set(root: dict, tokens: list[str | int], value: Any) -> None:
    node: Any = root
    for key, nxt in zip(tokens, tokens[1:]):
        child = {} if isinstance(nxt, str) else []
        if isinstance(key, int):
            while len(node) <= key:
                node.append(None)
            if node[key] is None:
                node[key] = child
            node = node[key]
        else:
            if not isinstance(node.get(key), type(child)):
                node[key] = child
            node = node[key]
    last = tokens[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def _prune(value: Any) -> Any:
    """Empty strings, empty mappings and empty list rows removed (a field left empty is
    missing, not an empty text); None for what is empty as a whole."""
    if isinstance(value, dict):
        out = {k: v for k, v in ((k, _prune(v)) for k, v in value.items()) if v is not None}
        return out or None
    if isinstance(value, list):
        return [v for v in (_prune(v) for v in value) if v is not None]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def form_to_data(form, year: int) -> dict:
    """The nested profile mapping of a posted form (a werkzeug MultiDict): each input
    named by its field path; checkboxes absent are False (bools) or unticked (languages);
    empty inputs, rows and texts are left out. Inputs whose name is no field path of the
    profile form are ignored. ``year`` is the plan year of the page (the form cannot change it)."""
    widgets = {w.path: w for w in _flat(model_widgets(Profile))}
    data: dict = {}
    for name in form.keys():
        tokens = _parse(name)
        if tokens is None or any(isinstance(t, int) and t >= MAX_ROWS for t in tokens):
            continue
        key = _INDEX.sub("[]", name)
        w = widgets.get(key)
        if w is None and key.endswith((".kk", ".ru")) and widgets.get(key[:-3], Widget("", "")).kind == "text":
            w = Widget(key, "str")
        if w is None or w.kind in ("group", "list"):
            continue
        if w.kind == "choices":
            _set(data, tokens, [v for v in form.getlist(name) if v in dict(w.choices)])
        elif w.kind == "bool":
            _set(data, tokens, form.get(name) in ("true", "on", "1"))
        elif w.kind == "int":
            raw = form.get(name, "").strip()
            _set(data, tokens, int(raw) if re.fullmatch(r"-?\d{1,6}", raw) else raw)
        else:
            _set(data, tokens, form.get(name, ""))
    # a row whose only value is an unticked checkbox is an empty row
    for list_name in ("employees", "departments"):
        rows = data.get(list_name)
        if isinstance(rows, list):
            data[list_name] = [r for r in rows if not (isinstance(r, dict) and not any(
                v for k, v in r.items() if k != "equated" and _prune(v) is not None))]
    data = _prune(data) or {}
    if "languages" in widgets and "languages" not in data and form.get("languages_shown"):
        data["languages"] = []
    data["year"] = year
    return data


def _flat(widgets: list[Widget]) -> list[Widget]:
    out = []
    for w in widgets:
        out.append(w)
        out.extend(_flat(w.children))
        if w.item is not None:
            out.append(w.item)
            out.extend(_flat(w.item.children))
    return out


def choice_label(value: str) -> str:
    """A Literal's value as the form shows it (the value itself when it has no label)."""
    return _(CHOICE_LABELS[value]) if value in CHOICE_LABELS else value
