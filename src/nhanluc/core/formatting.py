"""Vietnamese-first number, percent and date formatting (9.262 · 46,31% · 22/11/2026).

English pages get the English separators (9,262 · 46.31%); dates stay day/month/year, which both
audiences read without doubt.
"""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import get_language


def round_half_up(value: float | int | Decimal, decimals: int = 0) -> Decimal:
    """Round as Vietnamese reports do (2,345 → 2,35), not banker's rounding."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def _separators(language: str | None) -> tuple[str, str]:
    if (language or get_language() or "vi").startswith("en"):
        return ",", "."
    return ".", ","


def format_number(value, decimals: int = 0, language: str | None = None) -> str:
    """9262 → "9.262"; 1234.5 with 1 decimal → "1.234,5"."""
    if value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    try:
        rounded = round_half_up(value, decimals)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not rounded.is_finite():
        return ""
    thousands, decimal_mark = _separators(language)
    sign = "-" if rounded < 0 else ""
    digits = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thousands.join(groups)
    if decimals:
        text += decimal_mark + fraction
    return sign + text


def format_percent(value, decimals: int = 2, language: str | None = None) -> str:
    """46.314 → "46,31%" (the value is already a percentage, not a fraction)."""
    text = format_number(value, decimals, language)
    return f"{text}%" if text else ""


def format_date(value: datetime.date | datetime.datetime | None) -> str:
    """→ "22/11/2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: datetime.datetime | None) -> str:
    """→ "22/11/2026 14:05"."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local)} {local.hour:02d}:{local.minute:02d}"
