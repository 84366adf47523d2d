"""Errors of bad input, each naming where the problem is and what is expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem of the input.

    ``where`` names the file, field path (``employees[3].name``) or spreadsheet cell
    (``staff.xlsx!B7``); ``message`` says what is wrong and what is expected.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(Exception):
    """Bad input: a profile, staff file or template the user can fix.

    ``problems`` is the non-empty list of :class:`Problem`; ``str()`` gives one line per
    problem. The CLI prints it and exits 1; nothing is written.
    """

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
