"""The staff of two profiles of one organization: who is the same person, who joined or
became equated since the pack the new one follows, and by when they acknowledge it.

Employees carry no identifier in a profile, so a person is recognized by name: the same
Kazakh name (spaces and letter case aside), or failing that the same Russian name;
namesakes are paired in list order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from packbuilder.model import legal_calendar as cal
from packbuilder.model.profile import Employee, Profile


def name_key(text: str) -> str:
    """A name compared between profiles: spaces collapsed, letter case folded."""
    return " ".join(text.split()).casefold()


def match_employees(old: list[Employee], new: list[Employee]) -> list[tuple[Employee | None, Employee | None]]:
    """Pair the employees of two profiles: (old, new) for the same person, (None, e) for one
    who joined, (e, None) for one who left. Pairs follow the new list, leavers come last."""
    pairs: list[tuple[Employee | None, Employee | None]] = []
    unmatched = list(old)
    for e in new:
        found = next((o for o in unmatched if name_key(o.name.kk) == name_key(e.name.kk)), None) \
            or next((o for o in unmatched if name_key(o.name.ru) == name_key(e.name.ru)), None)
        if found is not None:
            unmatched.remove(found)
        pairs.append((found, e))
    pairs.extend((o, None) for o in unmatched)
    return pairs


def acknowledgement_deadline(employee: Employee, approval_date: dt.date) -> dt.date:
    """The last day a joiner acknowledges the pack's documents: 3 calendar days after the
    later of their hiring and the approving order, the working day before when that day is
    a day off (:func:`packbuilder.model.legal_calendar.acknowledgement_deadline`; the
    order's «within 3 days» and «new hires on hiring»; the Agency's guide to the projects of
    typical basic direction № 4, project group 4, task 6). Without a hiring date the order's
    date counts."""
    start = max(employee.hired or approval_date, approval_date)
    return cal.acknowledgement_deadline(start)


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


HEAD_POSITIONS = ("руководитель", "начальник", "заведующ", "главный бухгалтер", "директор департамента")
"""How the Russian position of a department's head starts (letter case aside): руководитель
отдела, начальник отдела кадров, заведующий(-ая) отделением, главный бухгалтер (who heads
the accounting department)."""


def department_heads(profile: Profile) -> list[Employee | None]:
    """For each department of ``profile`` (in order), the first of its employees whose
    Russian position names a head (:data:`HEAD_POSITIONS`), None when the staff list shows
    none (the document then leaves the name to be filled in). The working group of the
    internal analysis of corruption risks has a representative of every department, its
    head or a worker who knows its processes (model rules of internal analysis of corruption
    risks, order № 12 of 19.10.2016; the working group is created by the head's order)."""
    heads: list[Employee | None] = []
    for d in profile.departments:
        heads.append(next((e for e in profile.employees if e.department == d
                           and e.position.ru.strip().casefold().startswith(HEAD_POSITIONS)), None))
    return heads
