"""The check digit of a business or individual identification number (BIN / IIN, the Law «On
National Registers of Identification Numbers» of 12 January 2007 № 223-III): the 12th digit,
a weighted sum of the first 11 modulo 11."""

from __future__ import annotations

_W1 = range(1, 12)
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_check_digit(first11: str) -> int | None:
    """The 12th digit of a BIN/IIN whose first 11 digits are ``first11``.

    Σ dᵢ·wᵢ mod 11 with weights 1…11; if that is 10, again with weights 3…11,1,2; if it is
    10 again no valid number has these 11 digits and None is returned.
    Raises ValueError unless ``first11`` is 11 ASCII digits.
    """
    if len(first11) != 11 or not first11.isascii() or not first11.isdigit():
        raise ValueError("expected 11 digits")  # not for users: a programming error
    digits = [int(c) for c in first11]
    for weights in (_W1, _W2):
        c = sum(d * w for d, w in zip(digits, weights)) % 11
        if c != 10:
            return c
    return None


def is_valid_bin(value: str) -> bool:
    """True if ``value`` is 12 digits whose last digit is the check digit of the first 11."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    return bin_check_digit(value[:11]) == int(value[11])


def normalize_bin(value) -> str:
    """A BIN as written in a profile or read from a spreadsheet, as its 12-digit text.

    A number (a spreadsheet cell not formatted as text) becomes its digits; 10 or 11 digits
    get back the leading zeros a number loses (050940602947 read as 50940602947). Anything
    else is returned stripped, for validation to reject.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    v = str(value).strip()
    if v.isascii() and v.isdigit() and 10 <= len(v) < 12:
        v = v.zfill(12)
    return v
