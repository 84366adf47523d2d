"""The legal calendar of a pack: Kazakhstan's working days, the twelve monthly training
events, the reporting deadlines of the plan year.

Sources: the `holidays` package for Kazakhstan's public holidays and transferred days off;
seed 001 group 4 task 9 (12 monthly explanatory and training events a year); seed 003
pp. 18–19 (quarterly information by the 1st day of the month after the quarter, the yearly
report by 5 December); seed 001 group 4 task 6 (acquaintance within 3 working days).
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays

ACQUAINTANCE_WORKING_DAYS = 3
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


def workdays_after(d: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``d`` (n ≥ 1), e.g. the last day to acquaint
    employees with a document approved on ``d`` when n = 3."""
    if n < 1:
        raise ValueError("n must be at least 1")
    while n:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def event_dates(year: int, approved: dt.date | None = None) -> list[dt.date]:
    """The 12 dates of the monthly training events of ``year``: in each month the first
    working day on or after the 10th.

    With ``approved`` (the date of the approving order) no event comes before the employees
    have had their 3 working days to acquaint themselves with the documents: an event that
    would is moved to the working day after that period, if it is still in its month.
    """
    earliest = workdays_after(approved, ACQUAINTANCE_WORKING_DAYS + 1) if approved else None
    dates = []
    for m in range(1, 13):
        d = next_working_day(dt.date(year, m, EVENT_DAY))
        if earliest and d < earliest and earliest.month == m and earliest.year == year:
            d = earliest
        dates.append(d)
    return dates


def quarterly_deadlines(year: int) -> list[dt.date]:
    """The dates by which quarterly information is due: the 1st day of the month after each
    quarter (1 April, 1 July, 1 October of ``year``, 1 January of the next year)."""
    return [dt.date(year, 4, 1), dt.date(year, 7, 1), dt.date(year, 10, 1), dt.date(year + 1, 1, 1)]


def yearly_report_deadline(year: int) -> dt.date:
    """5 December of ``year``: the compliance service's yearly report (seed 003 p. 19)."""
    return dt.date(year, 12, 5)
