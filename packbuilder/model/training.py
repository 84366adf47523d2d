"""What the twelve monthly training events cover, and how often the pack commits to each theme.

The monthly explanatory and training events (12 a year: the Agency's guide to typical basic
direction № 4, group of projects 4, task 9) carry, besides their own topic, the events that
the pack's standard, policy and reporting procedure promise at a fixed frequency. The
frequencies come from the Ministry of National Economy's anti-corruption standard (order
№ 230 of 18.09.2025, seed 002), which the pack's documents restate:

- ``whistleblower`` – once a quarter, events explaining the measures protecting persons who
  assist in combating corruption, the safe reporting channels and the possibilities of
  encouragement (seed standard p.42; pack standard p.51, policy p.64, reporting procedure
  p.53; the Law «On combating corruption», art. 24);
- ``coi_gifts`` – at least once a half-year, training events on typical situations of conflict
  of interest and gifts (seed standard p.18; pack standard p.24, policy p.50, conflict-of-
  interest policy p.25);
- ``procurement`` – at least once a half-year, training of the employees taking part in
  procurement on current topics (seed standard p.51 sub-p.3; pack standard p.62 sub-p.3,
  policy p.36 sub-p.3);
- ``testing`` – at least once a half-year, an assessment of the employees' knowledge by a
  test, pass mark 60 % of 100 % (seed standard p.31; pack standard p.37, policy p.30);
- ``declarations`` – once a year, an event explaining the order and terms of submitting the
  declarations, run by the employee responsible for personnel work with the compliance
  service (seed standard p.27; pack standard p.33; the Law, art. 11).

``EVENT_THEMES[i]`` are the themes of event ``i + 1`` (month ``i + 1``); the topics in
templates/<lang>/_training.md and the protocol's notes say the same in words. The other
themes (``law``, ``internal_docs``, ``restrictions``, ``liability``, ``iso``, ``ethics``,
``risk_analysis``, ``culture``, ``results``) have no committed frequency: each is covered
once a year. Knowledge is tested in months 6 and 12 (the internal plan's point 13 names
``events[5]`` and ``events[11]``).

Testing of knowledge (the pack's training test materials): the same standard, points 30–31,
says training with a compulsory assessment of knowledge is held at least once every
half-year and a test is passed with at least 60 % of 100 % (:data:`PASS_MARK_PERCENT`,
:func:`min_correct`, :func:`training_context`); the pack's policy (point 30) repeats it.
"""

from __future__ import annotations

import math
from typing import Literal

Period = Literal["quarter", "half", "year"]

EVENT_THEMES: tuple[frozenset[str], ...] = (
    frozenset({"law", "internal_docs", "whistleblower"}),       # 1 January
    frozenset({"restrictions", "declarations"}),                 # 2 February
    frozenset({"coi_gifts"}),                                    # 3 March
    frozenset({"procurement"}),                                  # 4 April
    frozenset({"whistleblower"}),                                # 5 May
    frozenset({"liability", "testing"}),                         # 6 June
    frozenset({"iso"}),                                          # 7 July
    frozenset({"ethics", "whistleblower"}),                      # 8 August
    frozenset({"risk_analysis"}),                                # 9 September
    frozenset({"coi_gifts", "procurement"}),                     # 10 October
    frozenset({"culture", "whistleblower"}),                     # 11 November
    frozenset({"results", "testing"}),                           # 12 December
)

COMMITMENTS: dict[str, tuple[int, Period, str]] = {
    "whistleblower": (4, "quarter", "seed standard p.42; standard p.51; policy p.64; reporting procedure p.53"),
    "coi_gifts": (2, "half", "seed standard p.18; standard p.24; policy p.50; conflict-of-interest policy p.25"),
    "procurement": (2, "half", "seed standard p.51 sub-p.3; standard p.62 sub-p.3; policy p.36 sub-p.3"),
    "testing": (2, "half", "seed standard p.31; standard p.37; policy p.30"),
    "declarations": (1, "year", "seed standard p.27; standard p.33"),
}
"""theme → (times a year, the period each time falls in, the points that commit to it)."""

PERIOD_MONTHS: dict[str, int] = {"quarter": 3, "half": 6, "year": 12}


def period_of(month: int, period: str) -> int:
    """The number (from 1) of the quarter, half-year or year (always 1) that ``month`` (1–12)
    falls in: ``period_of(7, "half") == 2``."""
    return (month - 1) // PERIOD_MONTHS[period] + 1


def uncovered(themes: tuple[frozenset[str], ...] = EVENT_THEMES) -> list[tuple[str, int]]:
    """The (theme, period number) pairs of :data:`COMMITMENTS` that no event of ``themes``
    (one set per month) covers; [] when the schedule holds every commitment."""
    missing = []
    for theme, (times, period, _) in COMMITMENTS.items():
        for p in range(1, times + 1):
            if not any(theme in t and period_of(m, period) == p for m, t in enumerate(themes, start=1)):
                missing.append((theme, p))
    return missing


PASS_MARK_PERCENT = 60
"""The pass mark of a test, per cent of correct answers (standard, order № 230, p. 31)."""

SHEET_QUESTIONS = 20
"""How many questions of the bank a test sheet has (the pack's choice)."""

TEST_MINUTES = 20
"""The time allowed to answer a test sheet, minutes (the pack's choice)."""


def min_correct(questions: int, percent: int = PASS_MARK_PERCENT) -> int:
    """The least number of correct answers out of ``questions`` that reaches ``percent``
    (rounded up: 60 % of 20 is 12, of 25 is 15, of 24 is 15)."""
    return math.ceil(questions * percent / 100)


def training_context() -> dict[str, int]:
    """``training``: the pass mark (per cent), the questions of a test sheet, the correct
    answers needed to pass it and the minutes allowed."""
    return {"pass_percent": PASS_MARK_PERCENT, "sheet_questions": SHEET_QUESTIONS,
            "min_correct": min_correct(SHEET_QUESTIONS), "minutes": TEST_MINUTES}
