"""The organization profile as a validated model (README «The profile»).

A *text* is one string used in both languages or ``{kk: …, ru: …}``. Unknown keys are
errors. :func:`profile_problems` turns a validation error into problems named by field path
(``employees[3].name``, 0-based indexes); reading profile and staff files is
:mod:`packbuilder.inputs.profile_file`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from openpyxl.utils.datetime import from_excel
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from packbuilder.errors import Problem
from packbuilder.i18n import N_, _
from packbuilder.model.bin import is_valid_bin, normalize_bin
from packbuilder.model.languages import LANGUAGES
from packbuilder.model.legal_forms import LEGAL_FORMS, find_legal_form

GOVERNING_BODIES = ("board_of_directors", "supervisory_board", "none")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\ud800-\udfff]")
_INVISIBLE = re.compile("[\\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u034f]+")
QUOTE_LIMIT = 80
"""An error message quotes at most this many characters of a value."""


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """``value`` for an error message: a text in quotes «'…'», a number as it is; cut to
    ``limit`` characters with the length of the whole (a value of 10 MB must not flood the
    terminal)."""
    text = str(value)
    mark = "'" if isinstance(value, str) else ""
    if len(text) <= limit:
        return f"{mark}{text}{mark}"
    return _("{text} ({n} characters)").format(text=f"{mark}{text[:limit]}…{mark}", n=len(text))


def bin_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a BIN (already :func:`normalize_bin`-ed), in the
    interface language, or None for a valid one: 12 digits whose last is the check digit of
    the first 11 (the Law «On National Registers of Identification Numbers» of 12 January
    2007 № 223-III; :func:`packbuilder.model.bin.is_valid_bin`)."""
    if not (len(value) == 12 and value.isascii() and value.isdigit()):
        return _("expected 12 digits, got {value}").format(value=quote(value))
    if not is_valid_bin(value):
        return _("'{value}' fails the BIN check digit; check the number").format(value=value)
    return None


def _single_line(v: str) -> str:
    if _CONTROL.search(v):
        raise ValueError(_("must be one line of text (no line breaks or control characters)"))
    if _NONCHARACTER.search(v):
        raise ValueError(_("holds a character that is not text (U+FFFE, U+FFFF or another noncharacter): "
                           "type the text again or paste it as plain text"))
    if not _INVISIBLE.sub("", v):
        raise ValueError(_("holds no visible character (only spaces or zero-width characters)"))
    return v


def _scalar_text(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, (str, int, float)):
        return {"kk": str(v), "ru": str(v)}
    return v


LINE_LIMIT = 1000
"""The longest text of a profile field, in characters: an organization's full name is a few
hundred; an Excel cell holds 32,767 and would cut a longer one silently."""
Line = Annotated[str, Field(min_length=1, max_length=LINE_LIMIT), AfterValidator(_single_line)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Text(_Strict):
    """A text in both languages; a plain string in the profile gives the same text to both."""

    kk: Line
    ru: Line

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)


TextField = Annotated[Text, BeforeValidator(_scalar_text)]

_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


def excel_serial_to_date(value: int | float) -> dt.date:
    """An Excel date serial (days since 1899-12-30, Excel's leap-year bug included) as a date."""
    return from_excel(value).date()


def _to_date(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 1 <= v < 2958466:
        return excel_serial_to_date(v)  # a spreadsheet date serial
    if isinstance(v, str):
        s = v.strip()
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}", s):
            raise ValueError(_("{value} is not a date that exists").format(value=quote(s)))
    raise ValueError(_("expected a date as YYYY-MM-DD or DD.MM.YYYY, got {value}").format(value=quote(v)))


Date = Annotated[dt.date, BeforeValidator(_to_date)]


def _to_bool(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("true", "yes", "иә", "ия", "да", "1", "+"):
            return True
        if s in ("false", "no", "жоқ", "нет", "0", "-", ""):
            return False
    raise ValueError(_("expected true/false, yes/no, иә/жоқ, да/нет or 1/0, got {value}").format(value=quote(v)))


Bool = Annotated[bool, BeforeValidator(_to_bool)]


def _to_str(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v


class Hotline(_Strict):
    """The organization's hotline (both optional)."""

    phone: Line | None = None
    email: Line | None = None


class Organization(_Strict):
    """The organization: names, legal form (its Kazakh abbreviation,
    :data:`packbuilder.model.legal_forms.LEGAL_FORMS`), BIN."""

    name: TextField
    short_name: TextField
    legal_form: str
    bin: Annotated[str, BeforeValidator(_to_str)]
    city: TextField
    address: TextField | None = None
    parent_body: TextField
    governing_body: Literal["board_of_directors", "supervisory_board", "none"] = "none"
    website: Line | None = None
    hotline: Hotline | None = None

    @field_validator("legal_form")
    @classmethod
    def _legal_form(cls, v: str) -> str:
        form = find_legal_form(v)
        if form is None:
            raise ValueError(_("unknown legal form '{value}'; expected one of: {forms}").format(
                value=v, forms=", ".join(LEGAL_FORMS)))
        return form.kk

    @field_validator("bin")
    @classmethod
    def _bin(cls, v: str) -> str:
        v = normalize_bin(v)  # a BIN read as a number lost its leading zeros
        problem = bin_problem(v)
        if problem:
            raise ValueError(problem)
        return v

    @field_validator("website")
    @classmethod
    def _website(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^(https?://)?[\w.-]+\.[a-zа-я]{2,}", v, re.I):
            raise ValueError(_("expected a web address like https://example.kz, got {value}").format(value=quote(v)))
        return v


class Person(_Strict):
    """A person of the profile: full name and position."""

    name: TextField
    position: TextField


class Officer(Person):
    """The compliance officer, with optional phone and e-mail."""

    phone: Annotated[Line | None, BeforeValidator(_to_str)] = None
    email: Line | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v):
            raise ValueError(_("expected an e-mail address, got {value}").format(value=quote(v)))
        return v


class Approval(_Strict):
    """The order that approves the pack: its number and date."""

    number: Annotated[Line, BeforeValidator(_to_str)]
    date: Date


class Employee(_Strict):
    """One employee: name, position, optional unit, whether equated to persons authorized
    to perform state functions (Law № 410-V art. 12 restrictions apply), hiring date."""

    name: TextField
    position: TextField
    department: TextField | None = None
    equated: Bool = False
    hired: Date | None = None


class Profile(_Strict):
    """A validated profile (README «The profile»)."""

    year: int = Field(ge=2000, le=2100)
    languages: list[Literal["kk", "ru"]] = Field(default_factory=lambda: list(LANGUAGES), min_length=1)
    organization: Organization
    head: Person
    compliance_officer: Officer
    approval: Approval
    departments: list[TextField] = Field(default_factory=list)
    employees: list[Employee] = Field(min_length=1)

    @field_validator("languages")
    @classmethod
    def _languages(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError(_("a language is named twice"))
        return [lang for lang in LANGUAGES if lang in v]

    @model_validator(mode="after")
    def _approval_in_time(self) -> "Profile":
        if not (self.year - 1 <= self.approval.date.year <= self.year):
            raise ValueError(_("approval.date {date} must fall in the plan year {year} or the year before it").format(
                date=self.approval.date.isoformat(), year=self.year))
        return self


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-before", "function-after") or str(part).startswith(("function-", "constrained-")):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


_MESSAGES = {
    "missing": N_("is required"),
    "extra_forbidden": N_("unknown key (check its spelling against the profile format)"),
    "string_too_short": N_("must not be empty"),
    "string_too_long": N_("is longer than {limit} characters: shorten it"),
    "int_parsing": N_("expected a whole number"),
    "int_type": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "float_parsing": N_("expected a number"),
    "float_type": N_("expected a number"),
    "bool_parsing": N_("expected true or false"),
    "bool_type": N_("expected true or false"),
    "string_type": N_("expected a text"),
    "date_type": N_("expected a date as YYYY-MM-DD or DD.MM.YYYY"),
    "date_parsing": N_("expected a date as YYYY-MM-DD or DD.MM.YYYY"),
    "date_from_datetime_inexact": N_("expected a date without a time of day"),
    "model_type": N_("expected a mapping of keys"),
    "model_attributes_type": N_("expected a mapping of keys"),
    "dict_type": N_("expected a mapping of keys"),
    "list_type": N_("expected a list"),
    "too_short": N_("must not be empty"),
    "too_long": N_("has too many items: at most {max_length}"),
    "greater_than_equal": N_("expected a year between 2000 and 2100, got {value}"),
    "less_than_equal": N_("expected a year between 2000 and 2100, got {value}"),
}
"""The user's words for pydantic's kinds of error (``err["type"]``), English ids translated
when a problem is made; ``value_error`` (our validators' own translated words) and
``literal_error`` are made in :func:`profile_problems`, any other kind gets
:data:`OTHER_ERROR`."""

OTHER_ERROR = N_("is not a valid value: {value}")


def _message(err: dict) -> str:
    """The message of one pydantic error ``err`` in the interface language."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our validators' messages, translated when raised
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        values = re.findall(r"'[^']*'|-?\d+", expected) or [expected]
        return _("expected one of: {values}").format(values=", ".join(values))
    template = _MESSAGES.get(kind)
    if template is None:
        return _(OTHER_ERROR).format(value=quote(err.get("input")))
    return _(template).format(limit=LINE_LIMIT, value=quote(err.get("input")),
                              max_length=ctx.get("max_length", ""))


def profile_problems(exc: ValidationError, prefix: str = "") -> list[Problem]:
    """The problems of a pydantic ``ValidationError`` of a profile (or of a part of one),
    one per field path and message, in the user's words and the interface language (no
    pydantic English reaches the user); ``prefix`` is put before each path
    (``employees[3]``)."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "json-or-python"))))
        # a text is a string or {kk, ru}: report its error once, at the text's own path
        if loc and loc[-1] in ("str", "int", "float"):
            loc = loc[:-1]
        where = _path(loc)
        if prefix:
            where = prefix + ("." + where if where and not where.startswith("[") else where)
        problems.append(Problem(where, _message(err)))
    # one problem per place and message
    seen, unique = set(), []
    for p in problems:
        if (p.where, p.message) not in seen:
            seen.add((p.where, p.message))
            unique.append(p)
    return unique


def profile_warnings(profile: Profile) -> list[Problem]:
    """Things that are allowed but probably wrong: a state institution (not a quasi-state
    entity: the Budget Code's definition of quasi-state sector entities, art. 1, names state
    enterprises, partnerships and joint-stock companies, not institutions), an employee's unit
    missing from ``departments``."""
    warnings = []
    form = LEGAL_FORMS[profile.organization.legal_form]
    if not form.quasi:
        warnings.append(Problem("organization.legal_form",
                                _("{form_kk} ({form_ru}) is a state institution, not a quasi-state entity; "
                                  "the pack is built, but check that it applies").format(
                                    form_kk=form.kk, form_ru=form.ru)))
    if profile.departments:
        known = {d.kk for d in profile.departments} | {d.ru for d in profile.departments}
        for i, e in enumerate(profile.employees):
            if e.department is not None and e.department.kk not in known and e.department.ru not in known:
                warnings.append(Problem(f"employees[{i}].department",
                                        _("'{department}' is not in the departments list").format(
                                            department=e.department.ru)))
    return warnings
