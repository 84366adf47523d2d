"""Testing of employees' knowledge of anti-corruption law (the pack's training tests).

The Ministry of National Economy's anti-corruption standard (order № 230 of 18.09.2025),
points 30–31: employees' knowledge is assessed by testing; training with a compulsory
assessment of knowledge is held at least once every half-year, and a test is passed with at
least 60 % of 100 %. The pack's policy (point 30) repeats the rule.
"""

from __future__ import annotations

import math

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
