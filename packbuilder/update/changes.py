"""What changed between two profiles of an organization: the profile part of the change
report of ``packbuilder update``.

People are matched by name (:func:`packbuilder.model.staff.match_employees`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packbuilder.model.profile import Employee, Profile
from packbuilder.model.staff import match_employees, name_key

SECTIONS = ("head", "compliance_officer", "approval")
"""The profile parts reported on their own; any other changed field is listed as «other»."""


@dataclass
class FieldChange:
    """A changed profile field: its dotted ``path`` (``head.name``) and the ``old`` and
    ``new`` values as in the profile's JSON form (a text is ``{"kk": …, "ru": …}``; None
    when absent)."""

    path: str
    old: Any
    new: Any


@dataclass
class Move:
    """An employee whose position or unit changed: ``old`` and ``new`` are the records."""

    old: Employee
    new: Employee


@dataclass
class ProfileChanges:
    """The differences between the old pack's profile and the new one.

    ``fields`` are the changed fields outside the lists (head, officer, approval,
    organization …) in the profile's order; ``departments_added``/``_removed`` texts;
    ``hired``, ``left`` employees; ``moved`` (position or unit changed); ``newly_equated``
    and ``no_longer_equated`` (employees of both profiles whose ``equated`` changed).
    """

    fields: list[FieldChange] = field(default_factory=list)
    departments_added: list = field(default_factory=list)
    departments_removed: list = field(default_factory=list)
    hired: list[Employee] = field(default_factory=list)
    left: list[Employee] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    newly_equated: list[Employee] = field(default_factory=list)
    no_longer_equated: list[Employee] = field(default_factory=list)

    def any(self) -> bool:
        """Whether anything changed."""
        return any((self.fields, self.departments_added, self.departments_removed, self.hired, self.left,
                    self.moved, self.newly_equated, self.no_longer_equated))

    def section(self, name: str) -> list[FieldChange]:
        """The changed fields under ``name`` (``head``), or with ``other`` those outside
        :data:`SECTIONS`."""
        if name == "other":
            return [f for f in self.fields if f.path.split(".")[0] not in SECTIONS]
        return [f for f in self.fields if f.path.split(".")[0] == name]


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted path → leaf value; a text ``{kk, ru}`` is a leaf."""
    if isinstance(data, dict) and set(data) != {"kk", "ru"}:
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): data}


def compare_profiles(old: Profile, new: Profile) -> ProfileChanges:
    """The :class:`ProfileChanges` from ``old`` to ``new``. The plan year is not a change
    here (every update moves it); departments compare by their Kazakh and Russian texts."""
    changes = ProfileChanges()
    skip = {"year", "departments", "employees"}
    a = {k: v for k, v in _flatten(old.model_dump(mode="json")).items() if k.split(".")[0] not in skip}
    b = {k: v for k, v in _flatten(new.model_dump(mode="json")).items() if k.split(".")[0] not in skip}
    for path in list(b) + [p for p in a if p not in b]:
        if a.get(path) != b.get(path):
            changes.fields.append(FieldChange(path, a.get(path), b.get(path)))
    old_deps = {(name_key(d.kk), name_key(d.ru)) for d in old.departments}
    new_deps = {(name_key(d.kk), name_key(d.ru)) for d in new.departments}
    changes.departments_added = [d for d in new.departments if (name_key(d.kk), name_key(d.ru)) not in old_deps]
    changes.departments_removed = [d for d in old.departments if (name_key(d.kk), name_key(d.ru)) not in new_deps]
    for o, e in match_employees(old.employees, new.employees):
        if o is None:
            changes.hired.append(e)
        elif e is None:
            changes.left.append(o)
        else:
            if o.position != e.position or o.department != e.department:
                changes.moved.append(Move(o, e))
            if e.equated and not o.equated:
                changes.newly_equated.append(e)
            elif o.equated and not e.equated:
                changes.no_longer_equated.append(e)
    return changes
