"""The legal calendar of a pack: Kazakhstan's working days, the twelve monthly training
events, the reporting deadlines of the plan year.

Sources: the `holidays` package for Kazakhstan's public holidays and transferred days off;
the Agency's methodological guide to the projects of typical basic direction № 4
(«the Agency's guide» below), project group 4 (quasi-state sector), task 9: 12 monthly
explanatory and training events a year, and task 6: acquaintance within 3 days («3 күн
мерзімде»);
the order of the Minister of Education and Science № 178, annex 1 (methodological guide
for compliance services of subordinate quasi-state organizations), p. 18: quarterly
information by the 1st day of the month after the quarter, p. 19: the yearly report by
5 December.
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays

ACQUAINTANCE_DAYS = 3
"""Days to acquaint every employee with the pack's documents: the Agency's guide to the
projects of typical basic direction № 4, project group 4, task 6 says «3 күн мерзімде» —
days, not working days. The pack counts 3 calendar days, the stricter reading, so that an
organization meets the indicator under either reading (:func:`acknowledgement_deadline`)."""
EVENT_DAY = 10          # events fall on the first working day on or after the 10th
EVENT_TIME = "15:00"


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=[year - 1, year, year + 1])


def is_working_day(d: dt.date) -> bool:
    """True for Monday–Friday that is not a public holiday or day off of Kazakhstan."""
    return d.weekday() < 5 and d not in _holidays(d.year)


def next_working_day(d: dt.date) -> dt.date:
    """``d`` if it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


def previous_working_day(d: dt.date) -> dt.date:
    """``d`` if it is a working day, else the last working day before it."""
    while not is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def workdays_after(d: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``d`` (n ≥ 1), e.g. the last day to acquaint
    employees with a document approved on ``d`` when n = 3."""
    if n < 1:
        raise ValueError("n must be at least 1")  # not for users: a programming error
    while n:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def acknowledgement_deadline(start: dt.date) -> dt.date:
    """The last day to acknowledge documents approved (or a job taken up) on ``start``: the
    3rd calendar day after it (:data:`ACQUAINTANCE_DAYS`), or the last working day before
    it when that day is a day off — a deadline is never a day off, and moving it forward
    would exceed the Agency's «3 күн» (approved on Thursday 15.01.2026 → Friday 16.01.2026,
    not Sunday 18.01; under the working-day reading it would be Tuesday 20.01). Never before
    ``start`` itself."""
    return max(start, previous_working_day(start + dt.timedelta(days=ACQUAINTANCE_DAYS)))


def event_dates(year: int, approved: dt.date | None = None) -> list[dt.date]:
    """The 12 dates of the monthly training events of ``year``: in each month the first
    working day on or after the 10th.

    With ``approved`` (the date of the approving order) no event comes before the employees
    have had their 3 days to acquaint themselves with the documents: an event that would is
    moved to the working day after that period (:func:`acknowledgement_deadline`), if it is
    still in its month.
    """
    earliest = workdays_after(acknowledgement_deadline(approved), 1) if approved else None
    dates = []
    for m in range(1, 13):
        d = next_working_day(dt.date(year, m, EVENT_DAY))
        if earliest and d < earliest and earliest.month == m and earliest.year == year:
            d = earliest
        dates.append(d)
    return dates


def due(d: dt.date) -> dt.date:
    """A deadline as it falls: ``d``, or when ``d`` is a day off or a public holiday the next
    working day (Civil Code of the Republic of Kazakhstan, art. 186: a term whose last day
    is a non-working day ends on the next working day). 01.01.2028 → 04.01.2028."""
    return next_working_day(d)


def quarterly_deadlines(year: int) -> list[dt.date]:
    """The dates by which quarterly information is due: the 1st day of the month after each
    quarter (1 April, 1 July, 1 October of ``year``, 1 January of the next year), each moved
    to the next working day when it is a day off (:func:`due`)."""
    return [due(d) for d in
            (dt.date(year, 4, 1), dt.date(year, 7, 1), dt.date(year, 10, 1), dt.date(year + 1, 1, 1))]


def yearly_report_deadline(year: int) -> dt.date:
    """5 December of ``year``, or the next working day when it is a day off (:func:`due`):
    the compliance service's yearly report (MES order № 178, annex 1, p. 19)."""
    return due(dt.date(year, 12, 5))


QUARTER_ROMAN = ("I", "II", "III", "IV")


def quarters(year: int) -> list[dict]:
    """The four reporting quarters of ``year``: ``n`` (1–4), ``roman`` (I–IV), ``start`` and
    ``end`` (first and last day), ``deadline`` (the 1st day of the next month, or the next
    working day when that is a day off, when the quarterly information is due: MES order
    № 178, annex 1, p. 18; model regulation on compliance services, Agency order № 112 of
    31.03.2023, ch. 3)."""
    out = []
    for n, deadline in enumerate(quarterly_deadlines(year), start=1):
        start = dt.date(year, 3 * n - 2, 1)
        end = (dt.date(year + 1, 1, 1) if n == 4 else dt.date(year, 3 * n + 1, 1)) - dt.timedelta(days=1)
        out.append({"n": n, "roman": QUARTER_ROMAN[n - 1], "start": start, "end": end, "deadline": deadline})
    return out


RISK_UPLOAD_WORKING_DAYS = 10
"""The analytical note and the risk elimination plan are uploaded within 10 working days of
the note's signature (the Agency's guide, project group 1, project 2)."""


def risk_analysis_schedule(year: int) -> dict[str, dt.date | int]:
    """The yearly internal analysis of corruption risks (Law art. 8 p. 5), placed in the II–III
    quarter as the action plan says, in working days of Kazakhstan:

    - ``start``: the order and the working group, first working day of April;
    - ``documents_by``: documents collected, last working day of April;
    - ``analysis_by``: the nine directions studied (the Agency's guide, project group 1,
      project 2; Agency order № 488 of 30.12.2022, methodological recommendations), last working
      day of July;
    - ``note_by``: the analytical note signed, last working day of August;
    - ``plan_by``: the risk elimination plan approved, 10 working days after the note;
    - ``upload_by``: the note and the plan uploaded to the project management information
      system and the results published, 10 working days after the note (the Agency's guide);
    - ``period_start``, ``period_end``: the period analysed, 1 January of the previous year
      to the day before ``start``;
    - ``upload_days``: 10.
    """
    start = next_working_day(dt.date(year, 4, 1))
    note_by = previous_working_day(dt.date(year, 8, 31))
    return {
        "start": start,
        "documents_by": previous_working_day(dt.date(year, 4, 30)),
        "analysis_by": previous_working_day(dt.date(year, 7, 31)),
        "note_by": note_by,
        "plan_by": workdays_after(note_by, RISK_UPLOAD_WORKING_DAYS),
        "upload_by": workdays_after(note_by, RISK_UPLOAD_WORKING_DAYS),
        "period_start": dt.date(year - 1, 1, 1),
        "period_end": start - dt.timedelta(days=1),
        "upload_days": RISK_UPLOAD_WORKING_DAYS,
    }


ISO_TRAINING_PERCENT = 20
"""The share of employees trained in ISO 37001 or ҚР СТ 3049-2017 a year, in per cent (the
Agency's guide, project group 4, KPI 2, project 2 «introducing the anti-corruption
standard», task 2: «ҚР СТ 3049-2017 немесе ISO 37001 стандартына қызметкерлердің 20 %-ын
оқыту»)."""


def iso_training_count(employees: int) -> int:
    """How many of ``employees`` are to be trained in ISO 37001 or ҚР СТ 3049-2017:
    :data:`ISO_TRAINING_PERCENT` per cent rounded up (at least 20 %: 11 employees → 3),
    ⌈0.2 × employees⌉ (the Agency's guide, project group 4, project 2, task 2)."""
    return -(-max(employees, 0) * ISO_TRAINING_PERCENT // 100)


def iso_training_deadline(year: int) -> dt.date:
    """30 November of ``year``: the internal action plan's deadline for the ISO 37001 /
    ҚР СТ 3049-2017 training of 20 % of employees, before the yearly report of 5 December
    (:func:`yearly_report_deadline`) that accounts for it; the next working day when it is a
    day off (:func:`due`)."""
    return due(dt.date(year, 11, 30))


def next_plan_deadline(year: int) -> dt.date:
    """25 December of ``year``: the draft internal action plan of the next year, since the
    plan is updated yearly (the Agency's guide, project group 4, task 2); the next working day
    when it is a day off (:func:`due`)."""
    return due(dt.date(year, 12, 25))
