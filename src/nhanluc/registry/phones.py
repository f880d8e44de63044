"""Vietnamese phone numbers, normalised to E.164 for a whole column at once or for one value."""

import re
import sys

import polars as pl

from nhanluc.core.text import WHITESPACE

# What str.isdigit() accepts: such a character (a superscript, a full-width digit) stays in the number,
# which the patterns below, in ASCII digits, then refuse rather than read with a digit dropped.
_DIGITS = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isdigit())
_NOT_A_DIGIT = "[^" + "".join(re.escape(ch) for ch in _DIGITS) + "]"


# The national number after its prefix: a mobile number is 0[35789] and 8 digits, a landline 02 and
# 9 digits. "84" in front is the country code; a mobile number typed as a number loses its zero.
_AFTER_PLUS = r"^84([35789][0-9]{8}|2[0-9]{9})$"
_MOBILE = r"^(?:84|0)?([35789][0-9]{8})$"
_LANDLINE = r"^(?:84|0)(2[0-9]{9})$"


def phone_e164(column: pl.Expr) -> pl.Expr:
    """Vietnamese phone numbers in E.164 (+84…); null when it is not one.

    Digits are kept whatever else was written; "+84…", "84…" and a mobile number that lost its
    leading zero (typed as a number) are read as the national number; then it must be a mobile
    number (10 digits, 0[35789]…) or a landline (11 digits, 02…), written in ASCII digits.

    Each part is computed once: the same rule written as nested conditions on the digits repeated
    them in every branch, and cost 10 ms for a frame of any size (a phone column per imported file).
    """
    digits = column.str.replace_all(_NOT_A_DIGIT, "")
    national = (
        pl.when(column.str.strip_chars_start(WHITESPACE).str.starts_with("+"))
        .then(digits.str.extract(_AFTER_PLUS))
        .otherwise(pl.coalesce(digits.str.extract(_MOBILE), digits.str.extract(_LANDLINE)))
    )
    return "+84" + national


def normalise_phone(value: str) -> str | None:
    """One phone number in E.164 (+84…); None when it is not one."""
    return pl.select(phone_e164(pl.lit(value, dtype=pl.Utf8))).item()
