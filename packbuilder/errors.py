"""Errors of bad input, each naming where the problem is and what is expected, in the
interface language (:mod:`packbuilder.i18n`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from packbuilder.i18n import N_, _

ITEM_LABELS = {
    "employees": N_("employee No. {n}"),
    "departments": N_("department No. {n}"),
    "languages": N_("language No. {n}"),
}
"""How a person reads an item of a profile's list: field paths keep their 0-based index
(``employees[3]``), people count from 1 («работник № 4»)."""

_ITEM = re.compile(r"([A-Za-z_]+)\[(\d+)\]")


def item_labels(where: str) -> list[str]:
    """The items of lists that ``where`` passes through, as people count them:
    ``employees[3].name`` gives ``["employee No. 4"]`` (in the interface language)."""
    labels = []
    for name, index in _ITEM.findall(where):
        template = ITEM_LABELS.get(name)
        n = int(index) + 1
        labels.append(_(template).format(n=n) if template else
                      _("item No. {n} of {list}").format(n=n, list=name))
    return labels


@dataclass(frozen=True)
class Problem:
    """One problem of the input.

    ``where`` names the file, field path (``employees[3].name``, 0-based as in the profile's
    lists) or spreadsheet cell (``staff.xlsx!B7``); ``message`` says what is wrong and what
    is expected, in the interface language; ``source`` and ``line`` (1-based) give the file
    and line the field came from, when it came from a YAML or JSON file.
    """

    where: str
    message: str
    source: str = ""
    line: int | None = None

    def location(self) -> str:
        """Where, for people: ``profile.yaml, line 57, employees[3].name (employee No. 4)``
        (in the interface language); empty when the problem has no place."""
        parts = []
        if self.source and self.line:
            parts.append(_("{file}, line {line}").format(file=self.source, line=self.line))
        elif self.source and self.source != self.where:
            parts.append(self.source)
        if self.where:
            labels = item_labels(self.where)
            parts.append(f"{self.where} ({', '.join(labels)})" if labels else self.where)
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


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
