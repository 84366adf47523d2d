"""The map (cartogram) of corruption risks and the lists of positions built from the staff.

Corruption risk mapping is the process of identifying, analysing, assessing (ranking) the
risks and working out measures to eliminate them; the cartogram is the updatable set of data
holding the list of risks with their ranking and the list of positions exposed to corruption
risks (the Ministry of National Economy's anti-corruption standard, order № 230 of
18.09.2025, p. 2 sub-pp. 10)–11), chapter 2, pp. 5–8). Quasi-state entities analyse their
corruption risks every year (Law «On combating corruption» art. 8 p. 5; the Agency's guide to
the projects of typical basic direction № 4, project group 4, task 5), following the model
rules of internal analysis of corruption risks (order № 12 of 19.10.2016) and the
methodological recommendations (Agency order № 488 of 30.12.2022).

Here lives the language-neutral part: the typical risks of a quasi-state organization with
their default scores (the officer adjusts them in the generated files), the scale and its
bands, the ranking, the 5 × 5 cartogram, which department of the profile answers for a
risk (by keywords of its name), and which positions of the staff are exposed to risks or
equated to persons authorized to perform state functions. The texts are the templates'
(templates/<lang>/risk_map.md, equated_positions.md), keyed by :attr:`Risk.key`.
"""

from __future__ import annotations

from dataclasses import dataclass

from packbuilder.model.profile import Employee, Profile, Text
from packbuilder.model.staff import department_heads, name_key

SCALE = range(1, 6)
"""Likelihood and impact are each scored 1 (lowest) to 5 (highest); score = likelihood × impact."""

BANDS: tuple[tuple[str, int, int], ...] = (
    ("low", 1, 4),
    ("medium", 5, 9),
    ("high", 10, 16),
    ("critical", 20, 25),
)
"""The risk levels by score (likelihood × impact; the products 1…25 that occur all fall in a
band: 17–19 and 21–24 are not products of two scores from 1 to 5)."""


def level(score: int) -> str:
    """The band of ``score``: "low", "medium", "high" or "critical".

    Raises ValueError for a score outside 1…25."""
    for name, low, high in BANDS:
        if low <= score <= high:
            return name
    if 1 <= score <= 25:  # not a product of two scores, but keep every integer placed
        return "high" if score < 20 else "critical"
    raise ValueError(f"score {score} is outside 1…25")  # not for users: a programming error


UNIT_KEYWORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "procurement": (("закуп",), ("сатып ал",)),
    "hr": (("кадр", "персонал"), ("кадр", "персонал")),
    "finance": (("бухгалтер", "финанс", "экономич"), ("бухгалтер", "қаржы", "экономика")),
    "property": (("хозяйств", "имуществ", "материально-техн"), ("шаруашылық", "мүлік", "материалдық-техн")),
    "legal": (("правов", "юридич"), ("құқықтық", "заң")),
    "control": (("мониторинг", "контрол", "аудит"), ("мониторинг", "бақылау", "аудит")),
    "information": (("информацион", "делопроизвод", "документацион"), ("ақпараттық", "іс жүргізу", "құжаттама")),
}
"""Which department answers for a risk: the first department of the profile (in its order)
whose Russian name contains one of the first stems or whose Kazakh name contains one of the
second, letter case aside."""

POSITION_KEYWORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "procurement": (("закуп",), ("сатып ал",)),
    "finance": (("бухгалтер", "кассир", "экономист"), ("бухгалтер", "кассир", "экономист")),
    "hr": (("кадр", "персонал"), ("кадр", "персонал")),
}
"""Positions exposed by their title (procurement, accounting and finance, personnel), kk or ru."""


@dataclass(frozen=True)
class Risk:
    """A typical corruption risk: ``key`` names its texts in the templates, ``direction`` the
    direction of activity, ``unit`` the :data:`UNIT_KEYWORDS` entry of the department that
    answers for it (None: every unit; "core": the departments of the organization's own activity,
    those no :data:`UNIT_KEYWORDS` entry names), ``owner`` who owns it
    ("unit": the head of that department; "officer": the compliance officer), ``management``
    whether the organization's management (positions outside any department) is exposed to it,
    ``general`` whether every exposed position is."""

    key: str
    direction: str
    likelihood: int
    impact: int
    unit: str | None = None
    owner: str = "unit"
    management: bool = False
    general: bool = False

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


RISKS: tuple[Risk, ...] = (
    Risk("procurement_specification", "procurement", 4, 5, "procurement", management=True),
    Risk("procurement_single_source", "procurement", 4, 4, "procurement", management=True),
    Risk("procurement_acceptance", "procurement", 3, 5, "procurement"),
    Risk("hr_hiring", "hr", 4, 4, "hr", management=True),
    Risk("hr_bonuses", "hr", 3, 3, "hr", management=True),
    Risk("hr_fictitious", "hr", 2, 4, "hr"),
    Risk("finance_payments", "finance", 3, 5, "finance"),
    Risk("finance_cash", "finance", 2, 5, "finance"),
    Risk("property_personal_use", "property", 4, 3, "property"),
    Risk("property_disposal", "property", 3, 4, "property", management=True),
    Risk("contracts_terms", "contracts", 3, 4, "legal", management=True),
    Risk("services_payments", "services", 4, 4, "core"),
    Risk("permits", "permits", 2, 4, "core"),
    Risk("control_concealment", "control", 3, 4, "control"),
    Risk("information_leak", "information", 3, 3, "information"),
    Risk("information_reporting", "information", 2, 2, "information"),
    Risk("coi_undisclosed", "coi", 3, 4, owner="officer", management=True, general=True),
    Risk("gifts", "gifts", 3, 3, owner="officer", management=True, general=True),
    Risk("sponsorship", "sponsorship", 2, 3, owner="officer", management=True),
)
"""The register's defaults, in the order of the directions (procurement; personnel; finance
and accounting; property; contracts with counterparties; services to the public; permits;
control; document flow and information; conflict of interest; gifts and hospitality;
sponsorship and charity: the directions of internal analysis in the Agency's guide, project
group 1, project 2, tasks 1–10, and the standard's chapters 3, 6–8)."""


def ranked(risks: tuple[Risk, ...] = RISKS) -> list[Risk]:
    """``risks`` by score, highest first; equal scores by impact, highest first, then in
    register order (a stable, deterministic ranking)."""
    return sorted(risks, key=lambda r: (-r.score, -r.impact))


def cartogram(risks: list[Risk]) -> list[list[list[int]]]:
    """The 5 × 5 cartogram of ``risks`` numbered from 1 in list order: rows are likelihood
    5 down to 1, columns impact 1 to 5, each cell the numbers of the risks placed there."""
    return [[[n for n, r in enumerate(risks, start=1) if r.likelihood == lk and r.impact == im]
             for im in SCALE] for lk in reversed(SCALE)]


def _matches(text: Text | None, stems: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    if text is None:
        return False
    ru, kk = text.ru.casefold(), text.kk.casefold()
    return any(s in ru for s in stems[0]) or any(s in kk for s in stems[1])


def risk_departments(profile: Profile, risks: list[Risk]) -> list[int | None]:
    """For each risk, the index in ``profile.departments`` of the department that answers
    for it (:data:`UNIT_KEYWORDS`), None when no department matches or the risk is every
    unit's."""
    out: list[int | None] = []
    for r in risks:
        stems = UNIT_KEYWORDS.get(r.unit) if r.unit else None
        out.append(next((i for i, d in enumerate(profile.departments) if _matches(d, stems)), None)
                   if stems else None)
    return out


def position_kinds(e: Employee) -> list[str]:
    """The :data:`POSITION_KEYWORDS` kinds the position's title names (kk or ru)."""
    return [k for k, stems in POSITION_KEYWORDS.items() if _matches(e.position, stems)]


def is_head(profile: Profile, e: Employee) -> bool:
    """Whether ``e`` is the first head (by name, kk or ru)."""
    h = profile.head.name
    return name_key(e.name.kk) == name_key(h.kk) or name_key(e.name.ru) == name_key(h.ru)


def head_in_staff(profile: Profile) -> bool:
    """Whether the first head is in the staff list."""
    return any(is_head(profile, e) for e in profile.employees)


def core_department(d: Text | None) -> bool:
    """Whether ``d`` is a department of the organization's own activity: one no
    :data:`UNIT_KEYWORDS` entry names (a hospital's wards, a monitoring centre's units)."""
    return d is not None and not any(_matches(d, stems) for stems in UNIT_KEYWORDS.values())


@dataclass(frozen=True)
class Position:
    """A distinct position (with its department) of a list of positions: ``position`` and
    ``department`` (None outside departments) as in the profile, ``head`` True for the first
    head's position (from the staff list, or from the profile's ``head`` when they are not in
    it), ``equated``, ``unit_head``
    (heads a department), ``kinds`` (:func:`position_kinds`), ``risks`` the numbers of the
    ranked register it relates to, ascending."""

    position: Text
    department: Text | None
    head: bool = False
    equated: bool = False
    unit_head: bool = False
    kinds: tuple[str, ...] = ()
    risks: tuple[int, ...] = ()


def _distinct(rows: list[Position]) -> list[Position]:
    """One row per position and department, the first appearance's; its flags and risk
    numbers the union of all the rows merged into it."""
    out: dict[tuple, Position] = {}
    for p in rows:
        key = (name_key(p.position.ru), name_key(p.position.kk),
               p.department.ru if p.department else None, p.department.kk if p.department else None)
        if key in out:
            q = out[key]
            p = Position(q.position, q.department, q.head or p.head, q.equated or p.equated,
                         q.unit_head or p.unit_head, tuple(dict.fromkeys(q.kinds + p.kinds)),
                         tuple(sorted(set(q.risks) | set(p.risks))))
        out[key] = p
    return list(out.values())


def equated_positions(profile: Profile) -> list[Position]:
    """The distinct positions of the employees marked ``equated`` (one per position and
    department, in order of first appearance), preceded by the first head's position when
    the head is not in the staff list: the head of a quasi-state entity performs its
    managerial (organizational-administrative and administrative-economic) functions and is
    always equated to persons authorized to perform state functions (Law «On combating
    corruption»: such persons accept the anti-corruption restrictions of art. 12 in
    writing; the Agency's guide, project group 4, task 7)."""
    heads = {id(h) for h in department_heads(profile) if h is not None}
    rows = [] if head_in_staff(profile) else [Position(profile.head.position, None, head=True, equated=True)]
    rows += [Position(e.position, e.department, head=is_head(profile, e), equated=True,
                      unit_head=id(e) in heads, kinds=tuple(position_kinds(e)))
             for e in profile.employees if e.equated]
    return _distinct(rows)


def exposed_positions(profile: Profile, risks: list[Risk]) -> list[Position]:
    """The positions exposed to corruption risks (the standard's cartogram, chapter 2, p. 8):
    the first head (when not in the staff list), then the employees who are equated, head a
    department, or whose title names procurement, accounting or personnel, one row per
    distinct position and department. Each relates to the risks (numbered 1… in the order of
    ``risks``) its department answers for, those of the directions its title names, those of
    management for positions outside any department, the risks of the organization's own
    activity for positions in its departments (:func:`core_department`), and those every
    exposed position shares (:attr:`Risk.general`)."""
    depts = risk_departments(profile, risks)
    heads = {id(h) for h in department_heads(profile) if h is not None}
    direction_of_kind = {"procurement": "procurement", "finance": "finance", "hr": "hr"}

    def numbers(dept: Text | None, kinds: list[str]) -> tuple[int, ...]:
        d = profile.departments.index(dept) if dept in profile.departments else None
        out = set()
        for n, (r, rd) in enumerate(zip(risks, depts), start=1):
            if (r.general or (d is not None and rd == d) or (r.unit == "core" and core_department(dept))
                    or r.direction in {direction_of_kind[k] for k in kinds}
                    or (dept is None and r.management)):
                out.add(n)
        return tuple(sorted(out))

    rows = [] if head_in_staff(profile) else [Position(profile.head.position, None, head=True, equated=True,
                                                       risks=numbers(None, []))]
    for e in profile.employees:
        kinds = position_kinds(e)
        unit_head = id(e) in heads
        if e.equated or unit_head or kinds:
            rows.append(Position(e.position, e.department, head=is_head(profile, e), equated=e.equated,
                                 unit_head=unit_head,
                                 kinds=tuple(kinds), risks=numbers(e.department, kinds)))
    return _distinct(rows)
