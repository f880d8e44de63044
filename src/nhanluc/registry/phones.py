"""Vietnamese phone numbers, normalised to E.164 for a whole column at once or for one value."""

import re
import sys

import polars as pl

from nhanluc.core.text import WHITESPACE

# What str.isdigit() accepts, so that the vectorised rule reads text as Python does.
_DIGITS = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isdigit())
_NOT_A_DIGIT = "[^" + "".join(re.escape(ch) for ch in _DIGITS) + "]"


def phone_e164(column: pl.Expr) -> pl.Expr:
    """Vietnamese phone numbers in E.164 (+84…); null when it is not one.

    Digits are kept whatever else was written; "+84…", "84…" and a mobile number that lost its
    leading zero (typed as a number) are read as the national number; then it must be a mobile
    number (10 digits, 0[35789]…) or a landline (11 digits, 02…).
    """
    digits = column.str.replace_all(_NOT_A_DIGIT, "")
    international = digits.str.starts_with("84")
    national = "0" + digits.str.slice(2)
    digits = (
        pl.when(column.str.strip_chars_start(WHITESPACE).str.starts_with("+"))
        .then(pl.when(international).then(national))
        .when(international & digits.str.len_chars().is_in([11, 12]))
        .then(national)
        .otherwise(digits)
    )
    digits = (
        pl.when((digits.str.len_chars() == 9) & digits.str.slice(0, 1).is_in(list("35789")))
        .then("0" + digits)
        .otherwise(digits)
    )
    mobile = (
        (digits.str.len_chars() == 10)
        & digits.str.starts_with("0")
        & digits.str.slice(1, 1).is_in(list("35789"))
    )
    landline = (digits.str.len_chars() == 11) & digits.str.starts_with("02")
    return pl.when(mobile | landline).then("+84" + digits.str.slice(1))


def normalise_phone(value: str) -> str | None:
    """One phone number in E.164 (+84…); None when it is not one."""
    return pl.select(phone_e164(pl.lit(value, dtype=pl.Utf8))).item()
