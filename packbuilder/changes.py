"""What changed between two profiles of an organization: the profile part of the change
report of ``packbuilder update``, and who the new year's journals must mark.

Employees carry no identifier in a profile, so a person is recognized by name: the same
Kazakh name (spaces and letter case aside), or failing that the same Russian name;
namesakes are paired in list order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from packbuilder import legal_calendar as cal
from packbuilder.profile import Employee, Profile

SECTIONS = ("head", "compliance_officer", "approval")
"""The profile parts reported on their own; any other changed field is listed as «other»."""


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def match_employees(old: list[Employee], new: list[Employee]) -> list[tuple[Employee | None, Employee | None]]:
    """Pair the employees of two profiles: (old, new) for the same person, (None, e) for one
    who joined, (e, None) for one who left. Pairs follow the new list, leavers come last."""
    pairs: list[tuple[Employee | None, Employee | None]] = []
    unmatched = list(old)
    for e in new:
        found = next((o for o in unmatched if _key(o.name.kk) == _key(e.name.kk)), None) \
            or next((o for o in unmatched if _key(o.name.ru) == _key(e.name.ru)), None)
        if found is not None:
            unmatched.remove(found)
        pairs.append((found, e))
    pairs.extend((o, None) for o in unmatched)
    return pairs


def acknowledgement_deadline(employee: Employee, approval_date: dt.date) -> dt.date:
    """The last day a joiner acknowledges the pack's documents: the 3rd working day of
    Kazakhstan after the later of their hiring and the approving order (the order's
    «within 3 working days», and «new hires on hiring», PACK.md «order»; seed 001 group 4
    task 6). Without a hiring date the order's date counts."""
    start = max(employee.hired or approval_date, approval_date)
    return cal.workdays_after(start, cal.ACQUAINTANCE_WORKING_DAYS)


@dataclass
class EmployeeMarks:
    """What the journals of a new pack note about one employee (by position in the new
    profile's list): ``joined`` since the old pack, ``newly_equated`` (equated now and not
    in the old pack's restrictions journal: a joiner, or equated only now), ``deadline``
    the last day to acknowledge the documents and sign the art. 12 commitment."""

    joined: bool = False
    newly_equated: bool = False
    deadline: dt.date | None = None


def employee_marks(profile: Profile, previous: Profile | None) -> list[EmployeeMarks]:
    """One :class:`EmployeeMarks` per employee of ``profile``; all empty without ``previous``."""
    if previous is None:
        return [EmployeeMarks() for _ in profile.employees]
    marks = []
    for old, new in match_employees(previous.employees, profile.employees):
        if new is None:
            continue
        joined = old is None
        newly = new.equated and (joined or not old.equated)
        deadline = acknowledgement_deadline(new, profile.approval.date) if (joined or newly) else None
        marks.append(EmployeeMarks(joined, newly, deadline))
    return marks


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
    old_deps = {(_key(d.kk), _key(d.ru)) for d in old.departments}
    new_deps = {(_key(d.kk), _key(d.ru)) for d in new.departments}
    changes.departments_added = [d for d in new.departments if (_key(d.kk), _key(d.ru)) not in old_deps]
    changes.departments_removed = [d for d in old.departments if (_key(d.kk), _key(d.ru)) not in new_deps]
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
